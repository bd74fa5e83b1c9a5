"""The view state in both directions: controls, map view, URL and the STATE store.

``sync_view`` keeps them in step; map fits go to the VIEW_REQUEST store, which the browser
pads for the layout shown (``zzgeo.fitView``); map moves rewrite the current history entry
(``zzgeo.replaceUrl``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State, no_update

from app import ids
from app.context import AppContext
from app.state import (
    FIT_OPTIONS,
    PHONE_FIT_OPTIONS,
    ZOOM_RANGE,
    ZOOM_SNAP,
    ViewState,
    fit_request,
    parse_query,
    to_query,
)

CENTER_TOLERANCE_DEG = 2e-4  # map moves smaller than ~20 m do not change the URL


def url_output(query: str, search: str | None) -> Any:
    """The new ``search`` of the location, or no_update when the URL already shows ``query``."""
    current = "" if search in (None, "", "?") else search
    return no_update if query == current else query


def lang_href(state: ViewState) -> str:
    """Link to the same view in the other language (a full page load)."""
    return to_query(state.with_lang("en" if state.lang == "zh" else "zh")) or "?"


def map_center(center: Any) -> tuple[float, float] | None:
    """(lat, lon) from the map's ``center`` prop ({"lat", "lng"} or [lat, lon])."""
    try:
        if isinstance(center, dict):
            lat, lon = float(center["lat"]), float(center.get("lng", center.get("lon")))
        elif isinstance(center, (list, tuple)) and len(center) == 2:
            lat, lon = float(center[0]), float(center[1])
        else:
            return None
    except (TypeError, ValueError, KeyError):
        return None
    return (lat, lon) if math.isfinite(lat) and math.isfinite(lon) else None


def _near(a: tuple[float, float] | None, b: Any) -> bool:
    if a is None or not isinstance(b, (list, tuple)) or len(b) != 2:
        return False
    return abs(a[0] - float(b[0])) < CENTER_TOLERANCE_DEG and abs(a[1] - float(b[1])) < CENTER_TOLERANCE_DEG


def _mercator(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel coordinates (Leaflet's EPSG:3857 at 256 px tiles)."""
    scale = 256 * 2**zoom
    lat = max(min(lat, 85.0511287798), -85.0511287798)
    s = math.sin(math.radians(lat))
    return (lon + 180) / 360 * scale, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale


def fitted_view(
    target: Sequence[Sequence[float]],
    map_bounds: Any,
    zoom: float,
    *,
    snap: float = ZOOM_SNAP,
    options: dict[str, list[int]] = FIT_OPTIONS,
) -> tuple[tuple[float, float], float] | None:
    """The centre/zoom that fitting ``target`` gives on a map showing ``map_bounds`` at ``zoom``.

    Mirrors Leaflet's ``fitBounds`` with ``options``' padding (:data:`app.state.FIT_OPTIONS`,
    or PHONE_FIT_OPTIONS on a phone) and the map's zoom snap; the map's pixel size is
    derived from the bounds it reports.
    """
    try:
        (south, west), (north, east) = ((float(a), float(b)) for a, b in map_bounds)
        (t_south, t_west), (t_north, t_east) = ((float(a), float(b)) for a, b in target)
    except (TypeError, ValueError):
        return None
    x0, y0 = _mercator(north, west, zoom)
    x1, y1 = _mercator(south, east, zoom)
    width, height = x1 - x0, y1 - y0
    (pl, pt), (pr, pb) = options["paddingTopLeft"], options["paddingBottomRight"]
    tx0, ty0 = _mercator(t_north, t_west, 0)
    tx1, ty1 = _mercator(t_south, t_east, 0)
    if width <= pl + pr or height <= pt + pb or tx1 <= tx0 or ty1 <= ty0:
        return None
    scale = min((width - pl - pr) / (tx1 - tx0), (height - pt - pb) / (ty1 - ty0))
    fit_zoom = math.floor(round(math.log2(scale) / snap, 6)) * snap
    fit_zoom = max(min(fit_zoom, ZOOM_RANGE[1]), ZOOM_RANGE[0])
    ax, ay = _mercator(t_north, t_west, fit_zoom)
    bx, by = _mercator(t_south, t_east, fit_zoom)
    cx = (ax + bx) / 2 + (pr - pl) / 2
    cy = (ay + by) / 2 + (pb - pt) / 2
    world = 256 * 2**fit_zoom
    lon = cx / world * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * cy / world))))
    return (lat, lon), fit_zoom


def view_from_map(
    center: Any, zoom: Any, map_bounds: Any, url_state: ViewState, home_bounds: Sequence[Sequence[float]]
) -> tuple[tuple[float, float] | None, float | None]:
    """Centre/zoom to keep in the URL after the map reported its view.

    (None, None) for the home view (the city fitted to the map, which depends on the
    window size, so it is not written); the URL's own view when the map is within a few
    metres of it (restoring a view then does not rewrite history); else the rounded view.
    """
    c = map_center(center)
    try:
        z: float | None = round(float(zoom) * 4) / 4
    except (TypeError, ValueError):
        z = None
    if c is None or z is None:
        return url_state.center, url_state.zoom
    if url_state.center is not None and _near(c, url_state.center) and z == url_state.zoom:
        return url_state.center, url_state.zoom
    for options in (FIT_OPTIONS, PHONE_FIT_OPTIONS):  # the browser pads phone fits less
        home = fitted_view(home_bounds, map_bounds, z, options=options)
        if home is not None and abs(home[1] - z) < 0.01:
            tolerance = 8 * 360 / (256 * 2**z)  # about 8 pixels
            if abs(home[0][0] - c[0]) < tolerance and abs(home[0][1] - c[1]) < tolerance:
                return None, None
    return (round(c[0], 5), round(c[1], 5)), z


def state_from_controls(
    base: ViewState,
    indicator: Any,
    year: Any,
    operators: Any,
    statuses: Any,
    layers: Any,
    hexes: Any = None,
    resolution: Any = None,
    palette: Any = None,
    compare: Any = None,
    level: Any = None,
) -> ViewState:
    """``base`` with the controls' values (invalid values keep the defaults).

    ``hexes``/``resolution``/``palette`` None keep ``base``'s; ``compare`` None is no comparison;
    ``level`` None or "" is the districts. Another level closes the selected district (or area).
    """
    data = base.to_dict()
    data.update(indicator=indicator, year=year, operators=operators, statuses=statuses, layers=layers, compare=compare)
    data["level"] = level or None
    if palette is not None:
        data["palette"] = palette
    if hexes is not None:
        data["hexes"] = hexes
    if resolution is not None:
        data["resolution"] = resolution
    parsed = ViewState.from_dict(data)
    district = base.district if parsed.level == base.level else None
    return replace(parsed, center=base.center, zoom=base.zoom, district=district)


#: what sync_view writes, by name (an answer names only what it changes)
OUTPUTS = {
    "search": Output(ids.URL, "search"),
    "level": Output(ids.LEVEL, "value"),
    "indicator": Output(ids.INDICATOR, "value"),
    "palette": Output(ids.PALETTE, "value"),
    "year": Output(ids.YEAR, "value"),
    "compare": Output(ids.COMPARE, "value"),
    "operators": Output(ids.OPERATORS, "value"),
    "statuses": Output(ids.STATUSES, "value"),
    "layers": Output(ids.LAYERS, "value"),
    "hexes": Output(ids.HEXES, "value"),
    "resolution": Output(ids.HEX_RES, "value"),
    "viewport": Output(ids.VIEW_REQUEST, "data"),
    "state": Output(ids.STATE, "data"),
    "lang_href": Output(ids.LANG_LINK, "href"),
    "replace": Output(ids.URL_REPLACE, "data"),
}
#: the filter controls: output name -> the ViewState field they show
CONTROLS = ("level", "year", "compare", "operators", "statuses", "layers", "hexes", "resolution")


def answer(**changes: Any) -> dict[str, Any]:
    """sync_view's answer: ``changes`` by output name, everything else left as it is."""
    unknown = set(changes) - set(OUTPUTS)
    if unknown:
        raise KeyError(f"not an output of sync_view: {sorted(unknown)}")
    return {name: changes.get(name, no_update) for name in OUTPUTS}


def control_values(state: ViewState) -> dict[str, Any]:
    """The values of the filter controls that show ``state``."""
    values = {name: getattr(state, name) for name in CONTROLS}
    values["level"] = state.level or ""  # the dropdown's value for the districts
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


#: the STATE store's key of the last district click handled (see :func:`unhandled_click`)
CLICK_KEY = "click_at"


def stored(state: ViewState, current: Any, click_at: Any = None) -> Any:
    """The STATE store's new value (``no_update`` when it holds that already).

    ``click_at``: the stamp of the district click just handled (kept in the store; else the last one's).
    """
    value = state.for_server().to_dict()
    last = click_at if click_at is not None else (current or {}).get(CLICK_KEY) if isinstance(current, dict) else None
    if last is not None:
        value[CLICK_KEY] = last
    return value if value != current else no_update


def unhandled_click(click: Any, current: Any) -> Any:
    """The stamp (``at``) of a click passed through a cluster or symbol (``zzgeo.clickThrough``) that
    the STATE store has not seen, else None.

    Such a click also zooms the map (a cluster zooms in): when the map's move comes while the
    click's request is under way, Dash may send one request reporting the move only, with the click
    among its inputs. The stamp lets that request handle the click too.
    """
    at = click.get("at") if isinstance(click, dict) else None
    seen = current.get(CLICK_KEY) if isinstance(current, dict) else None
    return at if isinstance(at, (int, float)) and at != seen else None


def back_forward(url_state: ViewState, inputs: dict[str, Any], current: Any, home: Any) -> dict[str, Any]:
    """Back/forward: the controls and the map move to the URL's view."""
    state = url_state
    viewport: Any = no_update
    center, zoom = inputs["center"], inputs["zoom"]
    if state.center is not None and state.zoom is not None:
        if not (_near(map_center(center), state.center) and zoom == state.zoom):
            viewport = {"center": list(state.center), "zoom": state.zoom}
    elif view_from_map(center, zoom, inputs["map_bounds"], state, home) != (None, None):
        viewport = fit_request(home, home=True)
    new = stored(state, current)
    return answer(
        indicator=state.indicator if state.indicator != inputs["indicator"] else no_update,
        palette=state.palette if state.palette != inputs["palette"] else no_update,
        **({} if new is no_update else control_values(state)),
        viewport=viewport,
        state=new,
        lang_href=lang_href(state),
    )


def changed(trigger: Any, state: ViewState, inputs: dict[str, Any], current: Any, ctx: AppContext) -> dict[str, Any]:
    """A control, the map, a district click, a ranking row or the panel's close button changed the view."""
    click, cell = inputs["click"], inputs["cell"]
    click_at = unhandled_click(click, current)
    if trigger == ids.MAP and click_at is None:  # the current entry takes the new view (no new history entry)
        return answer(state=stored(state, current), lang_href=lang_href(state), replace={"search": to_query(state)})
    viewport: Any = no_update
    if (trigger == ids.DISTRICTS or click_at is not None) and isinstance(click, dict):
        code = _unit(state, (click.get("properties") or {}).get("adcode"))
        state = replace(state, district=code or state.district)
    elif trigger == ids.GRID and isinstance(cell, dict):
        code = _unit(state, cell.get("rowId"))
        bounds = ctx.unit_bounds(state, code) if code else None
        if code and bounds:
            state = replace(state, district=code)
            viewport = fit_request(bounds, drawer=True)
    elif trigger == ids.PANEL_CLOSE:
        state = replace(state, district=None)
    elif trigger == ids.SEARCH_PICK and isinstance(inputs["pick"], dict):
        state, viewport = _picked(state, inputs["pick"])
    state = state.within_levels(ctx.data.level_keys())
    return answer(
        search=url_output(to_query(state), inputs["search"]),
        viewport=viewport,
        state=stored(state, current, click_at),
        lang_href=lang_href(state),
    )


def main_trigger(prop_ids: Any) -> str | None:
    """What changed, of the inputs Dash reports together: the URL first, then anything but the map.

    A district click on a cluster also zooms the map: both can arrive in one call, and the
    click must not be taken for a mere map move.
    """
    triggered = [str(p).rsplit(".", 1)[0] for p in (prop_ids or {})]
    if not triggered:
        return None
    if ids.URL in triggered:
        return ids.URL
    others = [t for t in triggered if t != ids.MAP]
    return others[0] if others else ids.MAP


def _unit(state: ViewState, code: Any) -> str | None:
    """``code`` as the selected district (or area, on an area level), or None when it is not one."""
    return ViewState.from_dict({"district": code, "level": state.level}).district


def _picked(state: ViewState, pick: dict[str, Any]) -> tuple[ViewState, Any]:
    """A place picked in the search box: its district (or area) opens, the map flies to it."""
    code = _unit(state, pick.get("district"))
    state = replace(state, district=code) if code else state
    if isinstance(pick.get("bounds"), list):
        return state, {**fit_request(pick["bounds"], drawer=True), "transition": "flyToBounds"}
    center = map_center(pick.get("center"))
    if center is None:
        return state, no_update
    return state, {"center": list(center), "zoom": pick.get("zoom", 15), "transition": "flyTo"}


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Keep controls, map, URL and STATE in step."""

    @app.callback(
        output=OUTPUTS,
        inputs={
            "search": Input(ids.URL, "search"),
            **{name: Input(OUTPUTS[name].component_id, "value") for name in CONTROLS},
            "center": Input(ids.MAP, "center"),
            "zoom": Input(ids.MAP, "zoom"),
            "click": Input(ids.DISTRICTS, "clickData"),
            "cell": Input(ids.GRID, "cellClicked"),
            "close": Input(ids.PANEL_CLOSE, "n_clicks"),
            "pick": Input(ids.SEARCH_PICK, "data"),
        },
        state={
            "indicator": State(ids.INDICATOR, "value"),
            "palette": State(ids.PALETTE, "value"),
            "map_bounds": State(ids.MAP, "bounds"),
            "current": State(ids.STATE, "data"),
        },
        prevent_initial_call=True,  # the page comes with its view (app.features.shell.first_view)
    )
    def sync_view(**inputs: Any) -> dict[str, Any]:
        """Keep controls, map view, URL and the STATE store in step, in both directions.

        The indicator and colour pickers are not inputs: the browser applies them and
        writes them into the URL (``zzgeo.applyIndicator``); they are read here so the
        URL keeps them, and set from the URL on back/forward. STATE holds
        :meth:`ViewState.for_server`. Map fits go to the VIEW_REQUEST store; the browser
        pads them for the layout (``zzgeo.fitView``) and moves the map.

        Moving the map rewrites the current history entry (URL_REPLACE, ``zzgeo.replaceUrl``)
        instead of adding one: Back undoes a change of the view's settings, not every pan.
        The location's ``search`` then lags behind the address bar, so the map's view in a
        URL always comes from the map itself.
        """
        trigger = main_trigger(dash.ctx.triggered_prop_ids)
        current = inputs["current"]
        url_state = parse_query(inputs["search"]).within(ctx.data.years).within_levels(ctx.data.level_keys())
        if trigger == ids.URL:
            return back_forward(url_state, inputs, current, ctx.home_bounds)
        c, z = view_from_map(inputs["center"], inputs["zoom"], inputs["map_bounds"], url_state, ctx.home_bounds)
        base = replace(ViewState.from_dict(current), center=c, zoom=z)
        state = state_from_controls(
            base, inputs["indicator"], palette=inputs["palette"], **{k: inputs[k] for k in CONTROLS}
        )
        return changed(trigger, state, inputs, current, ctx)

    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="replaceUrl"),
        Output(ids.URL_REPLACED, "data"),
        Input(ids.URL_REPLACE, "data"),  # also as the page mounts: a bad or untidy URL is tidied
    )
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="fitView"),
        Output(ids.MAP, "viewport"),
        Input(ids.VIEW_REQUEST, "data"),
    )
