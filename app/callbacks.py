"""Callbacks: parse inputs, compute with zzgeo, build with :mod:`app.layout`, return.

Errors a user can act on (:class:`zzgeo.errors.ZzgeoError`) are shown as they are in the
error banner (in the import panel for imports); anything else is logged and shown as a
short generic message.

The data come from :class:`app.data.LiveData`: accepting or removing an import reloads
it and bumps the ``DATA_VERSION`` store, on which the views, the map's payload URLs and
the inline layers depend.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import re
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import dash
import geopandas as gpd
import pandas as pd
import shapely
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from app import ids
from app.data import AppData, LiveData
from app.hexes import (
    COVERAGE_RESOLUTION,
    FilterCache,
    make_hex_counts,
    make_hex_gaps,
    make_hex_legend,
    make_hex_tips,
    with_coverage,
)
from app.i18n import layer_title, t
from app.layout import (
    FIT_OPTIONS,
    PHONE_FIT_OPTIONS,
    ZOOM_SNAP,
    fit_request,
    make_cards,
    make_choropleth_hideout,
    make_config,
    make_import_list,
    make_import_report,
    make_import_status,
    make_page,
    make_panel_body,
    make_synthetic_note,
    make_views,
    make_whatif_summary,
)
from app.layout import target_of as layout_target
from app.server import html_lang
from app.state import ViewState, parse_query, to_query
from app.upload import PendingImports, decode_contents, import_upload, upload_root
from zzgeo import coverage as zz_coverage
from zzgeo import planning
from zzgeo.errors import ZzgeoError
from zzgeo.export import export, geojson_text
from zzgeo.indicators import compute_indicators, filter_layer, sites_by_year
from zzgeo.layers import OPERATORS
from zzgeo.workspace import MODES

logger = logging.getLogger(__name__)

MAX_PROPOSALS = 5000
CENTER_TOLERANCE_DEG = 2e-4  # map moves smaller than ~20 m do not change the URL
EMPTY_FC: dict[str, Any] = {"type": "FeatureCollection", "features": []}


# ---------------------------------------------------------------------------------------
# helpers (pure)


def error_message(exc: BaseException, lang: str) -> str:
    """What the user sees for an exception: ZzgeoError's message, else a generic line."""
    if isinstance(exc, ZzgeoError):
        return exc.text(lang)
    return t("error_generic", lang)


def error_banner(message: str) -> Any:
    """The error banner's children for ``message`` ("" hides it)."""
    return html.Div(message, className="zz-error-text") if message else ""


def guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a callback whose LAST output is the error banner.

    On success the banner is cleared; on an error every other output is left unchanged
    and the banner shows :func:`error_message`. PreventUpdate passes through.
    """

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        try:
            result = func(*args)
        except PreventUpdate:
            raise
        except Exception as exc:
            if not isinstance(exc, ZzgeoError):
                logger.exception("callback %s failed", func.__name__)
            lang = _lang_of(args)
            n = len(ctx.outputs_list) - 1
            return (*([no_update] * n), error_banner(error_message(exc, lang)))
        return (*result, "")

    return wrapper


def _lang_of(args: tuple[Any, ...]) -> str:
    for arg in args:
        if isinstance(arg, dict) and arg.get("lang") in ("zh", "en"):
            return str(arg["lang"])
    return "zh"


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

    Mirrors Leaflet's ``fitBounds`` with ``options``' padding (:data:`app.layout.FIT_OPTIONS`,
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
    fit_zoom = max(min(fit_zoom, 18), 6)
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
) -> ViewState:
    """``base`` with the controls' values (invalid values keep the defaults).

    ``hexes``/``resolution``/``palette`` None keep ``base``'s.
    """
    data = base.to_dict()
    data.update(indicator=indicator, year=year, operators=operators, statuses=statuses, layers=layers)
    if palette is not None:
        data["palette"] = palette
    if hexes is not None:
        data["hexes"] = hexes
    if resolution is not None:
        data["resolution"] = resolution
    parsed = ViewState.from_dict(data)
    return replace(parsed, center=base.center, zoom=base.zoom, district=base.district)


def features_of(store: Any) -> list[dict[str, Any]]:
    """Features of a FeatureCollection kept in a dcc.Store (or [])."""
    if isinstance(store, dict) and isinstance(store.get("features"), list):
        return [f for f in store["features"] if isinstance(f, dict)]
    return []


def to_feature_collection(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """A proposals frame as a FeatureCollection for a dcc.Store / the map."""
    if len(gdf) == 0:
        return dict(EMPTY_FC)
    fc: dict[str, Any] = json.loads(geojson_text(gdf, decimals=6))
    return fc


# ---------------------------------------------------------------------------------------
# computing


class Computer:
    """The computations the callbacks share (on the app's current data)."""

    def __init__(self, data: AppData | LiveData) -> None:
        self.live = data if isinstance(data, LiveData) else LiveData(data)
        # results per filter state (keys start with the data version: imports change it)
        self.coverage_cache = FilterCache(maxsize=64)
        self.hex_cache = FilterCache(maxsize=64)

    @property
    def data(self) -> AppData:
        """The current data (reloaded when imports are accepted or removed)."""
        return self.live.data

    def sites(self, accepted: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
        """The 5G layer, with accepted proposals as planned sites."""
        layer = self.data.layers.get("5g_sites")
        if layer is None:
            raise ZzgeoError(self.data.layer_errors.get("5g_sites", "the 5G layer is not loaded"))
        if accepted is None or len(accepted) == 0:
            return layer
        return planning.accept_proposals(layer, accepted)

    def proposals(self, store: Any) -> gpd.GeoDataFrame:
        """Proposals kept in the browser, as a typed frame."""
        return planning.proposals_from_features(features_of(store), self.data.districts)

    def tables(
        self, state: ViewState, proposals: gpd.GeoDataFrame, accepted: gpd.GeoDataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Indicator tables without and with the proposals."""
        layer = self.sites(accepted)
        kwargs: dict[str, Any] = {
            "year": state.year,
            "operators": list(state.operators),
            "statuses": list(state.statuses),
            "targets": self.data.targets,
        }
        base = compute_indicators(layer, self.data.districts, self.data.population, kind="5g_sites", **kwargs)
        if len(proposals) == 0:
            table = base.copy()
            table["proposed_sites"] = 0
            table.attrs.update(base.attrs, proposed_outside=0)
            return base, table
        with_props = planning.indicators_with_proposals(
            layer, proposals, self.data.districts, self.data.population, **kwargs
        )
        return base, with_props

    def by_year(self, state: ViewState, accepted: gpd.GeoDataFrame) -> pd.DataFrame:
        """Sites by year (2019–2025) per district, with the operator/status filters."""
        return sites_by_year(
            self.sites(accepted),
            self.data.districts,
            operators=list(state.operators),
            statuses=list(state.statuses),
        )

    def filtered_layer(self, kind: str, state: ViewState, accepted: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """A point layer with the view's filters (what the map shows)."""
        if kind == "5g_sites":
            layer = self.sites(accepted)
            operators: list[str] | None = list(state.operators)
        else:
            layer = self.data.layers.get(kind)
            if layer is None:
                raise ZzgeoError(self.data.layer_errors.get(kind, f"layer {kind} is not loaded"))
            operators = None
        return filter_layer(layer, kind, year=state.year, operators=operators, statuses=list(state.statuses))

    def in_service(self, state: ViewState) -> gpd.GeoDataFrame:
        """In-service 5G sites as of the view's year, of its operators (what coverage counts).

        Accepted proposals are planned sites, so they never count.
        """
        return filter_layer(
            self.sites(None), "5g_sites", year=state.year, operators=list(state.operators), statuses=["in_service"]
        )

    def coverage(self, state: ViewState) -> pd.DataFrame:
        """:func:`zzgeo.coverage.coverage_by_district` of :meth:`in_service` (cached)."""
        data = self.data
        key = ("coverage", data.version, state.year, state.operators)
        return self.coverage_cache.get(
            key,
            lambda: zz_coverage.coverage_by_district(
                self.in_service(state), resolution=COVERAGE_RESOLUTION, population=data.population
            ),
        )

    def hex_counts(self, state: ViewState, accepted: gpd.GeoDataFrame, digest: str = "") -> dict[str, Any]:
        """The counts overlay of the sites the filters show (accepted proposals included).

        ``digest`` identifies the accepted proposals in the cache key ("" when none).
        """
        key = ("counts", self.data.version, state.year, state.operators, state.statuses, state.resolution, digest)

        def compute() -> dict[str, Any]:
            layer = self.filtered_layer("5g_sites", state, accepted)
            geoms = layer.geometry.to_numpy()
            counts = zz_coverage.hex_counts(shapely.get_x(geoms), shapely.get_y(geoms), resolution=state.resolution)
            return {**make_hex_counts(counts, state.resolution), "key": _key_text(key)}

        return self.hex_cache.get(key, compute)

    def hex_gaps(self, state: ViewState) -> dict[str, Any]:
        """The gaps overlay: land cells with no in-service site within R km (cached)."""
        key = ("gaps", self.data.version, state.year, state.operators, state.resolution)

        def compute() -> dict[str, Any]:
            gaps = zz_coverage.coverage_gaps(self.in_service(state), resolution=state.resolution)
            land = len(zz_coverage.land_cells(state.resolution))
            return {**make_hex_gaps(gaps["cell"].to_numpy(), state.resolution, land), "key": _key_text(key)}

        return self.hex_cache.get(key, compute)

    def layer_counts(self, state: ViewState, accepted: gpd.GeoDataFrame) -> dict[str, int]:
        """Features shown per point layer."""
        return {kind: len(self.filtered_layer(kind, state, accepted)) for kind in self.data.layers}


class Tickets:
    """Numbers the requests of a callback per page load (tab), in the order they arrive.

    A filter change sends ``update_views`` (and ``update_hexes``) once per new view state;
    with several in flight, their answers may arrive in any order, and the browser shows
    the last to arrive. An answer whose request is no longer the tab's newest is dropped
    (PreventUpdate): an older view state never replaces a newer one. Requests without a
    tab id are never dropped.
    """

    def __init__(self, maxsize: int = 4096) -> None:
        self._items: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._lock = threading.Lock()
        self.maxsize = maxsize

    def take(self, tab: Any, name: str) -> int:
        """A new ticket for a request of ``name`` from ``tab`` (0 without a tab)."""
        if not isinstance(tab, str) or not tab:
            return 0
        with self._lock:
            ticket = self._items.get((tab, name), 0) + 1
            self._items[(tab, name)] = ticket
            self._items.move_to_end((tab, name))
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return ticket

    def is_stale(self, tab: Any, name: str, ticket: int) -> bool:
        """True when a newer request of ``name`` from ``tab`` has arrived since ``ticket``."""
        if not ticket:
            return False
        with self._lock:
            return self._items.get((tab, name), ticket) != ticket


def _key_text(key: tuple[Any, ...]) -> str:
    """A short text naming a cache key (the browser redraws an overlay when it changes)."""
    return hashlib.sha1(repr(key).encode("utf-8")).hexdigest()[:16]


def _download(df: gpd.GeoDataFrame | pd.DataFrame, fmt: str, stem: str) -> dict[str, Any]:
    suffix = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv", "xlsx": ".xlsx"}[fmt]
    with tempfile.TemporaryDirectory(prefix="zzgeo-") as tmp:
        path = Path(tmp) / f"{stem}{suffix}"
        export(df, path, fmt)
        return dcc.send_bytes(path.read_bytes(), path.name)


# ---------------------------------------------------------------------------------------
# registration


def register(
    app: dash.Dash, live: LiveData, pending: PendingImports | None = None
) -> Callable[[str | None], tuple[list[Any], str, str]]:
    """Register every callback of the app (``pending`` keeps import results until accepted).

    Returns the page builder (query string -> page children, ``<html lang>``, language) that
    the first-render callback uses, for the layout to build the page at once when it can.
    """
    compute = Computer(live)
    tickets = Tickets()
    pending = pending if pending is not None else PendingImports()
    home_bounds = live.data.bounds  # the districts never change

    def page_for(search: str | None) -> tuple[list[Any], str, str]:
        """The page for a query string: its children, ``<html lang>`` value and language."""
        data = live.refresh()  # the workspace may have been changed by another process
        meta = data.meta()
        state = parse_query(search)
        hideout, cards = None, None
        try:  # colours and cards from the first paint (callbacks keep them up to date)
            _, table = compute.tables(state, planning.empty_proposals(), planning.empty_proposals())
            hideout = make_choropleth_hideout(
                table, state.indicator, state.lang, selected=state.district, palette_name=state.palette
            )
            cards = make_cards(table, state.lang)
        except Exception:
            logger.exception("initial indicators failed")
        page = make_page(state, meta, hideout, tab=secrets.token_urlsafe(9), cards=cards)
        return page, html_lang(state.lang), state.lang

    @app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.PAGE, "lang"),
        Output(ids.RENDERED, "data"),
        Input(ids.URL_INIT, "search"),
        State(ids.RENDERED, "data"),
    )
    def render_page(search: str | None, rendered: Any) -> tuple[Any, str, str]:
        if rendered:  # the layout came with the page already (see app.server.referrer_query)
            raise PreventUpdate
        return page_for(search)

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.INDICATOR, "value"),
        Output(ids.PALETTE, "value"),
        Output(ids.YEAR, "value"),
        Output(ids.OPERATORS, "value"),
        Output(ids.STATUSES, "value"),
        Output(ids.LAYERS, "value"),
        Output(ids.HEXES, "value"),
        Output(ids.HEX_RES, "value"),
        Output(ids.VIEW_REQUEST, "data"),
        Output(ids.STATE, "data"),
        Output(ids.LANG_LINK, "href"),
        Output(ids.URL_REPLACE, "data"),
        Input(ids.URL, "search"),
        Input(ids.YEAR, "value"),
        Input(ids.OPERATORS, "value"),
        Input(ids.STATUSES, "value"),
        Input(ids.LAYERS, "value"),
        Input(ids.HEXES, "value"),
        Input(ids.HEX_RES, "value"),
        Input(ids.MAP, "center"),
        Input(ids.MAP, "zoom"),
        Input(ids.DISTRICTS, "clickData"),
        Input(ids.GRID, "cellClicked"),
        Input(ids.PANEL_CLOSE, "n_clicks"),
        State(ids.INDICATOR, "value"),
        State(ids.PALETTE, "value"),
        State(ids.MAP, "bounds"),
        State(ids.STATE, "data"),
    )
    def sync_view(
        search,
        year,
        operators,
        statuses,
        layers,
        hexes,
        resolution,
        center,
        zoom,
        click,
        cell,
        _close,
        indicator,
        palette,
        map_bounds,
        current,
    ):  # type: ignore[no-untyped-def]
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
        trigger = ctx.triggered_id
        url_state = parse_query(search)
        if current is None or trigger is None:
            # first call after the page was rendered from the URL: the controls already match
            return [
                url_output(to_query(url_state), search),  # tidies a bad or untidy URL
                *([no_update] * 9),
                url_state.for_server().to_dict(),
                lang_href(url_state),
                no_update,
            ]
        if trigger == ids.URL:  # back/forward: move the controls and the map to the URL's view
            state = url_state
            viewport: Any = no_update
            c, z = map_center(center), zoom
            if state.center is not None and state.zoom is not None:
                if not (_near(c, state.center) and z == state.zoom):
                    viewport = {"center": list(state.center), "zoom": state.zoom}
            elif view_from_map(center, zoom, map_bounds, state, home_bounds) != (None, None):
                viewport = fit_request(home_bounds)
            stored = state.for_server().to_dict()
            return [
                no_update,
                state.indicator if state.indicator != indicator else no_update,
                state.palette if state.palette != palette else no_update,
                *(
                    [no_update] * 6
                    if stored == current
                    else [
                        state.year,
                        list(state.operators),
                        list(state.statuses),
                        list(state.layers),
                        list(state.hexes),
                        state.resolution,
                    ]
                ),
                viewport,
                stored if stored != current else no_update,
                lang_href(state),
                no_update,
            ]
        c, z = view_from_map(center, zoom, map_bounds, url_state, home_bounds)
        base = replace(ViewState.from_dict(current), center=c, zoom=z)
        state = state_from_controls(base, indicator, year, operators, statuses, layers, hexes, resolution, palette)
        viewport = no_update
        if trigger == ids.MAP:  # the current entry takes the new view (no new history entry)
            stored = state.for_server().to_dict()
            return [
                *([no_update] * 10),
                stored if stored != current else no_update,
                lang_href(state),
                {"search": to_query(state)},
            ]
        if trigger == ids.DISTRICTS and isinstance(click, dict):
            code = (click.get("properties") or {}).get("adcode")
            state = replace(state, district=ViewState.from_dict({"district": code}).district or state.district)
        elif trigger == ids.GRID and isinstance(cell, dict):
            code = ViewState.from_dict({"district": cell.get("rowId")}).district
            bounds = compute.data.district_bounds(code) if code else None
            if code and bounds:
                state = replace(state, district=code)
                viewport = fit_request(bounds)
        elif trigger == ids.PANEL_CLOSE:
            state = replace(state, district=None)
        stored = state.for_server().to_dict()
        return [
            url_output(to_query(state), search),
            *([no_update] * 8),
            viewport,
            stored if stored != current else no_update,
            lang_href(state),
            no_update,
        ]

    @app.callback(
        Output(ids.VIEWS, "data"),
        Output(ids.CARDS, "children"),
        Output(ids.PANEL_BODY, "children"),
        Output(ids.WHATIF_SUMMARY, "children"),
        Output({"type": ids.LAYER_COUNT, "index": ALL}, "children"),
        Output(ids.ERROR, "children", allow_duplicate=True),
        Input(ids.STATE, "data"),
        Input(ids.PROPOSALS, "data"),
        Input(ids.ACCEPTED, "data"),
        Input(ids.DATA_VERSION, "data"),
        State(ids.TAB, "data"),
        prevent_initial_call=True,
    )
    @guarded
    def update_views(
        current: Any, proposals_store: Any, accepted_store: Any, _version: Any, tab: Any
    ) -> tuple[Any, ...]:
        ticket = tickets.take(tab, "views")
        if current is None:
            raise PreventUpdate
        state = ViewState.from_dict(current)
        lang = state.lang
        proposals = compute.proposals(proposals_store)
        accepted = compute.proposals(accepted_store)
        base, table = compute.tables(state, proposals, accepted)
        table = with_coverage(table, compute.coverage(state))
        # every indicator and colour scheme: the browser shows the chosen ones
        views = make_views(table, lang, selected=state.district, dim=bool(state.hexes), proposals=len(proposals) > 0)
        counts = compute.layer_counts(state, accepted)
        count_out = []
        for item in ctx.outputs_list[4]:
            kind = item["id"]["index"]
            count_out.append(f" ({counts[kind]:,})" if kind in counts else "")
        panel = make_panel_body(
            state.district,
            table,
            lang,
            by_year=compute.by_year(state, accepted) if state.district else None,
            targets_by_year=compute.data.targets_by_year(),
        )
        if tickets.is_stale(tab, "views", ticket):  # newer inputs came while this was computed
            raise PreventUpdate
        effect = planning.proposal_effect(base, table) if len(proposals) else None
        summary = make_whatif_summary(
            effect, lang, outside=int(table.attrs.get("proposed_outside", 0)), accepted=len(accepted)
        )
        return (
            views,
            make_cards(table, lang),
            panel,
            summary,
            count_out,
        )

    @app.callback(
        Output(ids.PROPOSALS, "data", allow_duplicate=True),
        Output(ids.ACCEPTED, "data", allow_duplicate=True),
        Output(ids.EDIT, "editToolbar"),
        Output(ids.STATUSES, "value", allow_duplicate=True),
        Output(ids.DRAWN, "data"),
        Output(ids.ERROR, "children", allow_duplicate=True),
        Input(ids.WHATIF_SUGGEST, "n_clicks"),
        Input(ids.WHATIF_CLEAR, "n_clicks"),
        Input(ids.WHATIF_ACCEPT, "n_clicks"),
        Input(ids.EDIT, "geojson"),
        State(ids.WHATIF_N, "value"),
        State(ids.WHATIF_RULE, "value"),
        State(ids.WHATIF_OPERATOR, "value"),
        State(ids.STATE, "data"),
        State(ids.PROPOSALS, "data"),
        State(ids.ACCEPTED, "data"),
        State(ids.DRAWN, "data"),
        prevent_initial_call=True,
    )
    @guarded
    def what_if(_suggest, _clear, _accept, drawn, n, rule, operator, current, proposals_store, accepted_store, seen):  # type: ignore[no-untyped-def]
        """Suggest, absorb drawn points, clear or accept proposals (they live in the browser)."""
        trigger = ctx.triggered_id
        state = ViewState.from_dict(current)
        proposals = compute.proposals(proposals_store)
        accepted = compute.proposals(accepted_store)
        out = {
            "proposals": no_update,
            "accepted": no_update,
            "toolbar": no_update,
            "statuses": no_update,
            "seen": no_update,
        }
        if trigger == ids.EDIT:
            seen_ids = set(seen or [])
            new = [
                f
                for f in features_of(drawn)
                if (f.get("geometry") or {}).get("type") == "Point"
                and (f.get("properties") or {}).get("_leaflet_id") not in seen_ids
            ]
            if not new:
                raise PreventUpdate
            added = planning.make_proposals(
                [f["geometry"]["coordinates"][0] for f in new],
                [f["geometry"]["coordinates"][1] for f in new],
                year=state.year,
                start=planning.next_proposal_number(proposals, accepted),
                operator=_operator(operator),
                districts=compute.data.districts,
            )
            out["proposals"] = to_feature_collection(_concat(proposals, added))
            out["seen"] = sorted(seen_ids | {f["properties"].get("_leaflet_id") for f in new} - {None})[-1000:]
            # the drawn points now live in the proposals layer: empty the drawing layer
            out["toolbar"] = {"mode": "remove", "action": "clear all", "n_clicks": time.monotonic_ns()}
        elif trigger == ids.WHATIF_CLEAR:
            out["proposals"] = dict(EMPTY_FC)
        elif trigger == ids.WHATIF_ACCEPT:
            if len(proposals) == 0:
                raise PreventUpdate
            out["proposals"] = dict(EMPTY_FC)
            out["accepted"] = to_feature_collection(_concat(accepted, proposals))
            if "planned" not in state.statuses:  # accepted sites are planned: show them
                out["statuses"] = [*state.statuses, "planned"]
        elif trigger == ids.WHATIF_SUGGEST:
            count = _count(n, state.lang)
            if len(proposals) + count > MAX_PROPOSALS:
                raise ZzgeoError(t("error_too_many", state.lang, max=MAX_PROPOSALS))
            _, table = compute.tables(state, proposals, accepted)
            if rule == "gap" and layout_target(table) is None:
                raise ZzgeoError(t("error_no_target_gap", state.lang, year=state.year))
            existing = filter_layer(compute.sites(accepted), "5g_sites", year=state.year, statuses=None)
            if len(proposals):
                existing = planning.add_proposals(existing, proposals)
            number = planning.next_proposal_number(proposals, accepted)
            new_sites = planning.suggest_sites(
                table,
                count,
                districts=compute.data.districts,
                land=compute.data.land,
                existing=existing,
                by=rule if rule in planning.ALLOCATION_RULES else "sites_per_10k",
                seed=number,
                start=number,
                year=state.year,
                operator=_operator(operator),
            )
            out["proposals"] = to_feature_collection(_concat(proposals, new_sites))
        else:
            raise PreventUpdate
        return out["proposals"], out["accepted"], out["toolbar"], out["statuses"], out["seen"]

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Output(ids.ERROR, "children", allow_duplicate=True),
        Input(ids.EXPORT_GEOJSON, "n_clicks"),
        Input(ids.EXPORT_GPKG, "n_clicks"),
        Input(ids.EXPORT_CSV, "n_clicks"),
        Input(ids.EXPORT_XLSX, "n_clicks"),
        Input(ids.WHATIF_EXPORT, "n_clicks"),
        State(ids.EXPORT_LAYER, "value"),
        State(ids.STATE, "data"),
        State(ids.PROPOSALS, "data"),
        State(ids.ACCEPTED, "data"),
        prevent_initial_call=True,
    )
    @guarded
    def download(_g, _p, _c, _x, _w, kind, current, proposals_store, accepted_store):  # type: ignore[no-untyped-def]
        trigger = ctx.triggered_id
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            raise PreventUpdate
        state = ViewState.from_dict(current)
        proposals = compute.proposals(proposals_store)
        accepted = compute.proposals(accepted_store)
        if trigger == ids.WHATIF_EXPORT:
            if len(proposals) == 0:
                raise ZzgeoError(t("export_empty", state.lang))
            return (_download(proposals, "geojson", "zzgeo_proposed_5g_sites"),)
        if trigger in (ids.EXPORT_CSV, ids.EXPORT_XLSX):
            _, table = compute.tables(state, proposals, accepted)
            fmt = "csv" if trigger == ids.EXPORT_CSV else "xlsx"
            return (_download(table, fmt, f"zzgeo_indicators_{state.year}"),)
        kind = kind if kind in compute.data.layers else "5g_sites"
        layer = compute.filtered_layer(kind, state, accepted)
        fmt = "geojson" if trigger == ids.EXPORT_GEOJSON else "gpkg"
        return (_download(layer, fmt, f"zzgeo_{kind}_{state.year}"),)

    @app.callback(
        Output(ids.HEX_DATA, "data"),
        Output(ids.HEX_LEGEND, "children"),
        Output(ids.ERROR, "children", allow_duplicate=True),
        Input(ids.HEX_REQUEST, "data"),
        State(ids.STATE, "data"),
        State(ids.ACCEPTED, "data"),
        State(ids.TAB, "data"),
        prevent_initial_call=True,
    )
    @guarded
    def update_hexes(request: Any, current: Any, accepted_store: Any, tab: Any) -> tuple[Any, ...]:
        """Cell ids (and counts) of the hexagon overlays shown, and their legend.

        Dash also calls this once as the page loads (before any request): it answers
        "no overlay" then rather than nothing (an empty 204 answer).
        """
        ticket = tickets.take(tab, "hexes")
        state = ViewState.from_dict(current)
        if not isinstance(request, dict) or current is None or not state.hexes:
            return {"counts": None, "gaps": None}, []
        counts = gaps = None
        if "counts" in state.hexes:
            features = features_of(accepted_store)
            digest = hashlib.sha1(json.dumps(features, sort_keys=True).encode()).hexdigest() if features else ""
            counts = compute.hex_counts(state, compute.proposals(accepted_store), digest)
        if "gaps" in state.hexes:
            gaps = compute.hex_gaps(state)
        if tickets.is_stale(tab, "hexes", ticket):  # newer inputs came while this was computed
            raise PreventUpdate
        data = {"counts": counts, "gaps": gaps, "tips": make_hex_tips(state.resolution, state.lang)}
        legend = make_hex_legend(state.hexes, state.resolution, state.lang, counts=counts, gaps=gaps)
        return data, legend

    # browser-side work: filtering points and styling needs no server round trip
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="hexRequest"),
        Output(ids.HEX_REQUEST, "data"),
        Input(ids.STATE, "data"),
        Input(ids.ACCEPTED, "data"),
        Input(ids.DATA_VERSION, "data"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="hexLayers"),
        Output(ids.HEX_COUNTS, "data"),
        Output(ids.HEX_COUNTS, "hideout"),
        Output(ids.HEX_GAPS, "data"),
        Output(ids.HEX_GAPS, "hideout"),
        Input(ids.HEX_DATA, "data"),
        State(ids.CONFIG, "data"),
    )
    app.clientside_callback(  # indicator and colours: in the browser, no server round trip
        ClientsideFunction(namespace="zzgeo", function_name="applyIndicator"),
        Output(ids.DISTRICTS, "hideout"),
        Output(ids.LEGEND, "children"),
        Output(ids.GRID, "columnDefs"),
        Output(ids.GRID, "rowData"),
        Output(ids.LANG_LINK, "href", allow_duplicate=True),
        Input(ids.INDICATOR, "value"),
        Input(ids.PALETTE, "value"),
        Input(ids.VIEWS, "data"),
        State(ids.LANG_LINK, "href"),
        State(ids.CONFIG, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="replaceUrl"),
        Output(ids.URL_REPLACED, "data"),
        Input(ids.URL_REPLACE, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="fitView"),
        Output(ids.MAP, "viewport"),
        Input(ids.VIEW_REQUEST, "data"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="setDocumentLang"),
        Output(ids.DOC_LANG, "data"),
        Input(ids.PAGE, "lang"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="filterSites"),
        Output(ids.SITES, "data"),
        Input(ids.STATE, "data"),
        Input(ids.ACCEPTED, "data"),
        Input(ids.CONFIG, "data"),  # its payload URL changes when imports change the 5G layer
    )
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="pointHideouts"),
        Output(ids.DATA_CENTERS, "hideout"),
        Output(ids.SMART_PROJECTS, "hideout"),
        Input(ids.STATE, "data"),
        State(ids.LABELS, "data"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="proposedData"),
        Output(ids.PROPOSED, "data"),
        Input(ids.PROPOSALS, "data"),
    )

    register_imports(app, compute, pending)
    return page_for


# ---------------------------------------------------------------------------------------
# import panel


def display_name(filename: Any) -> str:
    """The user's file name for messages and the report (never used in a path)."""
    if not isinstance(filename, str) or not filename.strip():
        return "upload"
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip() or "upload"
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:200]


def download_name(file: str, suffix: str = "_rejected.csv") -> str:
    """A download file name derived from the user's file name (letters, digits, . _ - only)."""
    stem = file.rsplit(".", 1)[0] if "." in file.strip(".") else file
    safe = re.sub(r"[^\w.-]+", "_", stem).strip("._")[:80] or "import"
    return safe + suffix


def import_guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run an import-panel callback whose LAST output is the panel's status line.

    ZzgeoError messages are shown as they are; anything else is logged and shown as a
    short generic message; the other outputs are left unchanged. PreventUpdate passes.
    """

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        try:
            return func(*args)
        except PreventUpdate:
            raise
        except Exception as exc:
            if not isinstance(exc, ZzgeoError):
                logger.exception("callback %s failed", func.__name__)
            lang = _lang_of(args)
            n = len(ctx.outputs_list) - 1
            return (*([no_update] * n), make_import_status(error_message(exc, lang), lang, error=True))

    return wrapper


def inline_layers(data: AppData) -> tuple[dict[str, Any], dict[str, Any]]:
    """The data-center and smart-project FeatureCollections sent inside the page."""
    out = []
    for kind in ("data_centers", "smart_projects"):
        body = data.payloads.get(kind)
        out.append(json.loads(body) if body is not None else dict(EMPTY_FC))
    return out[0], out[1]


def register_imports(app: dash.Dash, compute: Computer, pending: PendingImports) -> None:
    """The import panel: read an upload, show its report, accept it, remove imports."""
    live = compute.live

    def lang_of(current: Any) -> str:
        return ViewState.from_dict(current).lang if isinstance(current, dict) else "zh"

    # the size check runs in the browser: an oversized file is never sent
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="importRequest"),
        Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        Output(ids.IMPORT_REQUEST, "data"),
        Input(ids.IMPORT_UPLOAD, "contents"),
        Input(ids.IMPORT_KIND, "value"),
        Input(ids.IMPORT_CRS, "value"),
        Input(ids.IMPORT_LAYER, "value"),
        State(ids.IMPORT_UPLOAD, "filename"),
        State(ids.IMPORT_CONFIG, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.IMPORT_REPORT, "children"),
        Output(ids.IMPORT_TOKEN, "data"),
        Output(ids.IMPORT_ACCEPT, "disabled"),
        Output(ids.IMPORT_REJECTED, "disabled"),
        Output(ids.IMPORT_LAYER, "options"),
        Output(ids.IMPORT_LAYER_WRAP, "hidden"),
        Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        Input(ids.IMPORT_REQUEST, "data"),
        State(ids.IMPORT_TOKEN, "data"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    def read_upload(request: Any, old_token: Any, current: Any) -> tuple[Any, ...]:
        """Import the uploaded file (in a server-named temporary file) and show its report."""
        lang = lang_of(current)
        pending.pop(old_token)  # a new report replaces the previous one
        cleared: tuple[Any, ...] = ([], None, True, True)
        if not isinstance(request, dict) or not request.get("contents"):
            return (*cleared, no_update, no_update, no_update)
        name = display_name(request.get("filename"))
        max_bytes = compute.data.settings.max_upload_bytes
        layer, kind, crs = (request.get(k) for k in ("layer", "kind", "crs"))
        layer = layer if isinstance(layer, str) else None
        kind = kind if isinstance(kind, str) else "5g_sites"
        crs = crs if isinstance(crs, str) else None
        try:
            raw = decode_contents(request["contents"], name, max_bytes, lang)
            outcome = import_upload(raw, name, kind, crs, layer, max_bytes=max_bytes, root=upload_root())
        except Exception as exc:
            if not isinstance(exc, ZzgeoError):
                logger.exception("reading upload %r failed", name)
            return (*cleared, [], True, make_import_status(error_message(exc, lang), lang, error=True, file=name))
        several = len(outcome.layers) > 1
        options = [{"label": n, "value": n} for n in outcome.layers] if several else []
        if outcome.result is None:
            message = outcome.error_text(lang) or t("error_generic", lang)
            status = make_import_status(message, lang, error=True, file=name)
            if several:
                status.append(html.P(t("import_layer_choose", lang), className="zz-small"))
            return (*cleared, options, not several, status)
        result = outcome.result
        token = pending.put(result)
        report = make_import_report(result, lang)
        return report, token, len(result.layer) == 0, len(result.rejected) == 0, options, not several, []

    @app.callback(
        Output(ids.DATA_VERSION, "data"),
        Output(ids.IMPORT_ACCEPT, "disabled", allow_duplicate=True),
        Output(ids.IMPORT_UPLOAD, "contents"),
        Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        Input(ids.IMPORT_ACCEPT, "n_clicks"),
        State(ids.IMPORT_TOKEN, "data"),
        State(ids.IMPORT_MODE, "value"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    @import_guarded
    def accept_import(n_clicks: Any, token: Any, mode: Any, current: Any) -> tuple[Any, ...]:
        """Add the accepted rows of the pending import to the workspace; reload the data."""
        if not n_clicks:
            raise PreventUpdate
        lang = lang_of(current)
        result = pending.claim(token)
        if result is None:
            return no_update, True, no_update, make_import_status(t("import_expired", lang), lang, error=True)
        mode = mode if mode in MODES else "add"
        try:
            compute.data.workspace.add(result, mode)
        except Exception:
            pending.unclaim(token)
            raise
        data = live.reload()
        message = t(
            "import_added",
            lang,
            n=f"{len(result.layer):,}",
            layer=layer_title(result.kind, lang),
            mode=t("import_mode_replace" if mode == "replace" else "import_mode_add", lang),
        )
        # the upload is emptied: changing an option must not read (and offer) the file again
        return data.version, True, None, make_import_status(message, lang)

    @app.callback(
        Output(ids.DATA_VERSION, "data", allow_duplicate=True),
        Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        Input({"type": ids.IMPORT_REMOVE, "index": ALL}, "n_clicks"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    @import_guarded
    def remove_import(_clicks: Any, current: Any) -> tuple[Any, ...]:
        """Remove one import from the workspace; reload the data."""
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not ctx.triggered or not ctx.triggered[0].get("value"):
            raise PreventUpdate
        lang = lang_of(current)
        entry_id = str(trigger.get("index"))
        files = {e.id: e.file for e in compute.data.imports}
        try:
            compute.data.workspace.remove(entry_id)
        finally:
            data = live.reload()  # also when another tab removed it first
        return data.version, make_import_status(t("import_removed", lang, file=files.get(entry_id, entry_id)), lang)

    @app.callback(
        Output(ids.CONFIG, "data"),
        Output(ids.DATA_CENTERS, "data"),
        Output(ids.SMART_PROJECTS, "data"),
        Output(ids.IMPORT_LIST, "children"),
        Output(ids.SYNTHETIC_NOTE, "children"),
        Output(ids.FOOTER_NOTE, "children"),
        Input(ids.DATA_VERSION, "data"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    def refresh_data(_version: Any, current: Any) -> tuple[Any, ...]:
        """New payload URLs, inline layers, list of imports and data note after a change."""
        lang = lang_of(current)
        data = compute.data
        meta = data.meta()
        centers, projects = inline_layers(data)
        note = make_synthetic_note(meta.imports, lang)
        return (
            make_config(meta),
            centers,
            projects,
            make_import_list(meta.imports, lang, meta.workspace_error),
            note,
            note,
        )

    @app.callback(
        Output(ids.IMPORT_DOWNLOAD, "data"),
        Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        Input(ids.IMPORT_REJECTED, "n_clicks"),
        State(ids.IMPORT_TOKEN, "data"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    @import_guarded
    def download_rejected(n_clicks: Any, token: Any, current: Any) -> tuple[Any, ...]:
        """The rejected rows (with their ``row`` and ``problem``, in the page's language) as UTF-8-BOM CSV."""
        if not n_clicks:
            raise PreventUpdate
        lang = lang_of(current)
        result = pending.get(token)
        if result is None:
            return no_update, make_import_status(t("import_expired", lang), lang, error=True)
        with tempfile.TemporaryDirectory(prefix="rejected-", dir=upload_root()) as tmp:
            path = result.rejected_csv(Path(tmp) / "rejected.csv", lang)
            body = path.read_bytes()
        return dcc.send_bytes(body, download_name(result.file)), no_update


def _concat(first: gpd.GeoDataFrame, second: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if len(first) == 0:
        return second
    if len(second) == 0:
        return first
    return gpd.GeoDataFrame(pd.concat([first, second], ignore_index=True), crs="EPSG:4326")


def _operator(value: Any) -> str:
    return value if value in OPERATORS else "China Mobile"


def _count(value: Any, lang: str) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ZzgeoError(t("error_n", lang, max=MAX_PROPOSALS)) from None
    if not 1 <= n <= MAX_PROPOSALS:
        raise ZzgeoError(t("error_n", lang, max=MAX_PROPOSALS))
    return n
