"""Place search: one box that finds a district (Chinese, English or pinyin name, code) or a site
(by id) and flies the map there; a district's panel opens, a site is ringed on the map.

The server searches (:class:`zzgeo.places.PlaceIndex`, built with the data); a pick goes to
the SEARCH_PICK store, which :mod:`app.features.view` turns into the view (district, map).
Enter picks the first result.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from app import ids
from app.context import AppContext
from app.i18n import t, tu
from app.state import ViewState
from app.widgets import UNSET
from zzgeo.places import Place, PlaceIndex

#: results listed under the box
MAX_RESULTS = 8
#: zoom of the map on a site that was found
SITE_ZOOM = 15


def search_placeholder(lang: str, areas: bool) -> str:
    """The search box's placeholder: districts and sites, or also the areas of an area level (``areas``;
    the views change it with the level)."""
    return tu("search_placeholder", lang, areas)


def make_search(lang: str, areas: bool = False) -> html.Div:
    """The search box (``type=search``, labelled) and its list of results; ``areas``: on an area level."""
    return html.Div(
        [
            html.Label(t("search", lang), htmlFor=ids.SEARCH, className="zz-visually-hidden"),
            dcc.Input(
                id=ids.SEARCH,
                type="search",
                placeholder=search_placeholder(lang, areas),
                debounce=0.25,
                autoComplete="off",
                className="zz-search-input",
            ),
            html.Div(id=ids.SEARCH_RESULTS, className="zz-search-results", role="status", **{"aria-live": "polite"}),
            dcc.Store(id=ids.SEARCH_PICK, data=UNSET),
        ],
        className="zz-search",
        role="search",
        **{"aria-label": t("search", lang)},
    )


def place_label(place: Place, lang: str, district_names: dict[str, str]) -> list[Any]:
    """A result's text: the name and what it is (a site: its district)."""
    if place.kind == "site":
        where = district_names.get(place.district or "", t("search_outside", lang))
        return [html.Strong(place.key), html.Span(f" · {t('search_site', lang)} · {where}", className="zz-muted")]
    other = place.name_en if lang == "zh" else place.name_zh
    if other == place.name(lang):  # an area without an English name
        return [html.Strong(place.name(lang))]
    return [html.Strong(place.name(lang)), html.Span(f" · {other}", className="zz-muted")]


def make_results(
    places: Sequence[Place], lang: str, district_names: dict[str, str], query: str, *, areas: bool = False
) -> list[Any]:
    """The list of results (buttons) or a line saying nothing matched (``areas``: on an area level)."""
    if not query.strip():
        return []
    if not places:
        return [html.P(tu("search_none", lang, areas, query=query[:60]), className="zz-search-none")]
    return [
        html.Ul(
            [
                html.Li(
                    html.Button(
                        place_label(place, lang, district_names),
                        id={"type": ids.SEARCH_HIT, "index": f"{place.kind}:{place.key}"},
                        n_clicks=0,
                        type="button",
                        className="zz-search-hit",
                        **{"data-kind": place.kind, "data-key": place.key},
                    )
                )
                for place in places
            ],
            className="zz-search-list",
        )
    ]


def pick_of(place: Place) -> dict[str, Any]:
    """What SEARCH_PICK holds for a place: the district to open and where the map goes."""
    south, west, north, east = place.bounds
    pick: dict[str, Any] = {"kind": place.kind, "key": place.key, "district": place.district, "n": time.time_ns()}
    if place.kind == "district":
        pick["district"] = place.key
        pick["bounds"] = [[south, west], [north, east]]
    else:
        pick["center"] = [south, west]
        pick["zoom"] = SITE_ZOOM
    return pick


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Search as the user types; a click on a result (or Enter) picks it."""

    def district_names(lang: str) -> dict[str, str]:
        display = ctx.data.display
        names = display["name_en" if lang == "en" else "name_zh"]
        return dict(zip(display["adcode"].astype("str"), names, strict=True))

    def index() -> PlaceIndex:
        index = ctx.data.places
        return index if index is not None else PlaceIndex(ctx.data.display)

    def found(text: str, current: Any) -> list[Place]:
        """The places matching ``text``: the areas of the view's level first, then districts and sites."""
        level = ctx.level(ViewState.from_dict(current))
        out = level.places.search(text, MAX_RESULTS) if level is not None and level.places is not None else []
        return out + index().search(text, MAX_RESULTS - len(out)) if len(out) < MAX_RESULTS else out

    @app.callback(
        Output(ids.SEARCH_RESULTS, "children"),
        Output(ids.SEARCH_PICK, "data", allow_duplicate=True),
        Input(ids.SEARCH, "value"),
        Input(ids.SEARCH, "n_submit"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    def search_places(query: Any, _submit: Any, current: Any) -> tuple[Any, Any]:
        state = ViewState.from_dict(current)
        lang = state.lang
        text = query if isinstance(query, str) else ""
        places = found(text[:100], current)
        if f"{ids.SEARCH}.n_submit" in dash.ctx.triggered_prop_ids:
            if not places:
                return make_results(places, lang, {}, text, areas=ctx.level(state) is not None), no_update
            return [], pick_of(places[0])
        return make_results(places, lang, district_names(lang), text, areas=ctx.level(state) is not None), no_update

    @app.callback(
        Output(ids.SEARCH_PICK, "data", allow_duplicate=True),
        Output(ids.SEARCH_RESULTS, "children", allow_duplicate=True),
        Input({"type": ids.SEARCH_HIT, "index": dash.ALL}, "n_clicks"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    def pick_place(_clicks: Any, current: Any) -> tuple[Any, Any]:
        trigger = dash.ctx.triggered_id
        if not isinstance(trigger, dict) or not dash.ctx.triggered or not dash.ctx.triggered[0].get("value"):
            raise PreventUpdate
        kind, _, key = str(trigger.get("index")).partition(":")
        for place in found(key, current):
            if place.kind == kind and place.key == key:
                return pick_of(place), []
        raise PreventUpdate

    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="foundMarker"),
        Output(ids.FOUND, "data"),
        Input(ids.SEARCH_PICK, "data"),
        prevent_initial_call=True,
    )
