"""The indicator views of one view state, computed once per change and shared by the features.

``update_views`` computes the indicator tables (with proposals and coverage) for the STATE
store and answers with every feature's part: the colours, legends and ranking of every
indicator (:func:`make_views`; the browser picks one), the cards, the district panel, the
what-if summary, the layer counts, the level note, the ranking hint and the search box's
placeholder (both follow the level). One request per change, whatever shows it; the page
comes with its first view's answer (:func:`first_props`), so its first view asks for none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import dash
import pandas as pd
from dash import ALL, Input, Output, State
from dash.exceptions import PreventUpdate

from app import ids
from app.context import AppContext, proposals_digest
from app.coverage import coverage_note, with_coverage
from app.errors import guarded
from app.features.cards import make_cards
from app.features.choropleth import _underserved, hideout_of, make_district_tips, make_legend
from app.features.level import make_level_note
from app.features.panel import make_panel_body, make_panel_placeholder
from app.features.ranking import make_grid_columns, make_grid_rows, ranking_hint
from app.features.search import search_placeholder
from app.features.time import make_change_views
from app.features.whatif import make_whatif_summary
from app.state import PALETTE_NAMES, ViewState
from zzgeo import planning
from zzgeo.classes import classify, district_rows, target_of
from zzgeo.indicators import INDICATORS, change_table
from zzgeo.tables import is_area_table


def make_views(
    table: pd.DataFrame, lang: str, *, selected: str | None = None, dim: bool = False, proposals: bool = False
) -> dict[str, Any]:
    """What the indicator picker and the colour choice switch between, for one view state.

    Colours and legends of every indicator in every colour scheme, tooltips, ranking
    columns and rows of every indicator (a few kB once compressed). The browser
    (``zzgeo.applyIndicator``) picks one indicator and scheme and sets the district
    hideout (:func:`make_choropleth_hideout`), the legend and the ranking:
    changing either needs no server round trip.

    ``dim``: fainter districts (under hexagon overlays); ``proposals``: the ranking
    shows a column of proposed sites.
    """
    hideouts: dict[str, dict[str, dict[str, Any]]] = {}
    legend: dict[str, dict[str, list[Any]]] = {}
    rows = district_rows(table)  # once: every indicator and scheme reads the same rows
    records = rows.to_dict("records")
    under = _underserved(rows)
    target = target_of(table)
    for indicator in INDICATORS:
        tips = make_district_tips(table, indicator, lang, records)
        classes = classify(rows[indicator].tolist(), indicator, target)
        schemes = {name: classes.recoloured(name) for name in PALETTE_NAMES}
        hideouts[indicator] = {
            name: hideout_of(scheme, name, rows, under, tips, selected=selected, dim=dim)
            for name, scheme in schemes.items()
        }
        legend[indicator] = {name: make_legend(scheme, table, lang) for name, scheme in schemes.items()}
    return {
        "hideouts": hideouts,
        "legend": legend,
        "columns": {
            indicator: make_grid_columns(indicator, lang, proposals=proposals, areas=is_area_table(table))
            for indicator in INDICATORS
        },
        "rows": {indicator: make_grid_rows(table, indicator, lang, records) for indicator in INDICATORS},
    }


@dataclass(frozen=True)
class ViewsAnswer:
    """Every feature's part of the views of one view state (see :func:`answer_views`)."""

    views: dict[str, Any]
    cards: Any
    panel: Any
    summary: Any
    counts: dict[str, int]
    note: str
    hint: str
    coverage: str
    placeholder: str

    def count_text(self, kind: str) -> str:
        """A point layer's count after its name in the layer list ("" when not counted)."""
        return f" ({self.counts[kind]:,})" if kind in self.counts else ""


#: what update_views writes, in order: (component id, prop, the ViewsAnswer field it shows);
#: "counts" is the layer list's count of each point layer (a pattern-matching output)
ANSWER_OUTPUTS: tuple[tuple[Any, str, str], ...] = (
    (ids.VIEWS, "data", "views"),
    (ids.CARDS, "children", "cards"),
    (ids.PANEL_BODY, "children", "panel"),
    (ids.WHATIF_SUMMARY, "children", "summary"),
    ({"type": ids.LAYER_COUNT, "index": ALL}, "children", "counts"),
    (ids.LEVEL_NOTE, "children", "note"),
    (ids.RANKING_HINT, "children", "hint"),
    (ids.RANKING_NOTE, "children", "coverage"),
    (ids.SEARCH, "placeholder", "placeholder"),
)
_COUNTS = [field for _, _, field in ANSWER_OUTPUTS].index("counts")


def answer_views(ctx: AppContext, state: ViewState, proposals: Any) -> ViewsAnswer:
    """The views of ``state`` (a :meth:`ViewState.for_server` state) with ``proposals``.

    Many officials look at the same few views: each part is computed once per data version.
    The map's views do not depend on the selected district (they are computed for a copy
    without one), the panel does.
    """
    digest = proposals_digest(proposals)
    city = replace(state, district=None)
    views, cards, summary, counts, note = ctx.views_cache.get(
        ("views", ctx.data.version, city, digest), lambda: compute_views(ctx, city, proposals)
    )
    panel = ctx.views_cache.get(
        ("panel", ctx.data.version, state, digest), lambda: compute_panel(ctx, state, proposals)
    )
    areas = ctx.level(state) is not None
    return ViewsAnswer(
        views=with_selected(views, state.district),
        cards=cards,
        panel=panel,
        summary=summary,
        counts=counts,
        note=note,
        hint=ranking_hint(state.lang, areas),
        coverage=coverage_note(state.lang, areas),
        placeholder=search_placeholder(state.lang, areas),
    )


def first_props(answer: ViewsAnswer, state: ViewState, kinds: Iterable[str]) -> list[tuple[Any, dict[str, Any]]]:
    """What ``update_views`` and ``zzgeo.applyIndicator`` would set for the page's first view, as
    (component id, props) pairs: the page holds them from its first paint, so its first view
    asks the server for nothing (see :func:`app.features.shell.page_builder`).

    ``state`` is the page's whole view state (its indicator and colours pick the views shown);
    ``kinds``: the point layers whose count the layer list shows.
    """
    views = answer.views
    pairs: list[tuple[Any, dict[str, Any]]] = []
    for cid, prop, field in ANSWER_OUTPUTS:
        if field == "counts":
            pairs += [({"type": ids.LAYER_COUNT, "index": kind}, {prop: answer.count_text(kind)}) for kind in kinds]
        else:
            pairs.append((cid, {prop: getattr(answer, field)}))
    # and what zzgeo.applyIndicator picks from the views for the page's indicator and colours
    legend = views["legend"][state.indicator].get(state.palette) or []
    return [
        *pairs,
        (ids.DISTRICTS, {"hideout": views["hideouts"][state.indicator][state.palette]}),
        (ids.LEGEND, {"children": legend}),
        (ids.GRID, {"columnDefs": views["columns"][state.indicator], "rowData": views["rows"][state.indicator]}),
    ]


def register(app: dash.Dash, ctx: AppContext) -> None:
    """The views of the current view state (one request per change; the page comes with the first)."""

    @app.callback(
        *(Output(cid, prop) for cid, prop, _ in ANSWER_OUTPUTS),
        Output(ids.ERROR, "children", allow_duplicate=True),
        Input(ids.STATE, "data"),
        Input(ids.PROPOSALS, "data"),
        Input(ids.DATA_VERSION, "data"),
        State(ids.TAB, "data"),
        prevent_initial_call=True,
    )
    @guarded
    def update_views(current: Any, proposals_store: Any, _version: Any, tab: Any) -> tuple[Any, ...]:
        ticket = ctx.tickets.take(tab, "views")
        if current is None:
            raise PreventUpdate
        state = ViewState.from_dict(current).for_server()
        answer = answer_views(ctx, state, ctx.proposals(proposals_store))
        if ctx.tickets.is_stale(tab, "views", ticket):  # newer inputs came while this was computed
            raise PreventUpdate
        counts = [answer.count_text(item["id"]["index"]) for item in dash.ctx.outputs_list[_COUNTS]]
        return tuple(counts if field == "counts" else getattr(answer, field) for _, _, field in ANSWER_OUTPUTS)


def with_selected(views: dict[str, Any], district: str | None) -> dict[str, Any]:
    """``views`` with ``district`` outlined on every hideout (a copy: cached views stay as they are)."""
    hideouts = {
        indicator: {name: {**hideout, "selected": district} for name, hideout in schemes.items()}
        for indicator, schemes in views["hideouts"].items()
    }
    return {**views, "hideouts": hideouts}


def _tables(ctx: AppContext, state: ViewState, proposals: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicator tables without and with ``proposals``, with their land coverage."""
    base, table = ctx.tables(state, proposals)
    base = with_coverage(base, ctx.coverage(state))
    # proposals count as in-service sites for coverage too (what-if)
    table = with_coverage(table, ctx.coverage(state, proposals) if len(proposals) else ctx.coverage(state))
    return base, table


def compute_views(
    ctx: AppContext, state: ViewState, proposals: Any
) -> tuple[dict[str, Any], Any, Any, dict[str, int], str]:
    """The city-wide parts of ``update_views`` for one view state (see :func:`make_views`):
    views (no district selected), cards, what-if summary, the layer counts and the area level's note."""
    lang = state.lang
    base, table = _tables(ctx, state, proposals)
    # every indicator and colour scheme: the browser shows the chosen ones
    views = make_views(table, lang, dim=bool(state.hexes), proposals=len(proposals) > 0)
    if state.compare is not None:  # the map shows the change from that year
        _, before = ctx.tables(replace(state, year=state.compare), planning.empty_proposals())
        change = change_table(before, table)
        views.update(make_change_views(change, lang, PALETTE_NAMES, dim=bool(state.hexes)))
    effect = planning.proposal_effect(base, table) if len(proposals) else None
    summary = make_whatif_summary(effect, lang, outside=int(table.attrs.get("proposed_outside", 0)))
    level = ctx.level(state)
    note = make_level_note(ctx.data.census_year if level and level.estimated else None, bool(ctx.data.levels), state)
    return views, make_cards(table, lang), summary, ctx.layer_counts(state), note


def compute_panel(ctx: AppContext, state: ViewState, proposals: Any) -> Any:
    """The district panel of ``update_views`` (nothing to show without a district)."""
    if state.district is None:
        return make_panel_placeholder(state.lang, areas=ctx.level(state) is not None)
    _, table = _tables(ctx, state, proposals)
    return make_panel_body(
        state.district,
        table,
        state.lang,
        by_year=ctx.by_year(state),
        targets_by_year=ctx.data.targets_by_year(),
        district_names=ctx.unit_names(replace(state, level=None)),
    )
