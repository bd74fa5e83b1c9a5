"""The indicator views of one view state, computed once per change and shared by the features.

``update_views`` computes the indicator tables (with proposals and coverage) for the STATE
store and answers with every feature's part: the colours, legends and ranking of every
indicator (:func:`make_views`; the browser picks one), the cards, the district panel, the
what-if summary and the layer counts. One request per change, whatever shows it.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import ALL, Input, Output, State
from dash.exceptions import PreventUpdate

from app import ids
from app.colors import scheme_for
from app.context import AppContext
from app.coverage import with_coverage
from app.errors import guarded
from app.features.cards import make_cards
from app.features.choropleth import make_choropleth_hideout, make_district_tips, make_legend
from app.features.panel import make_panel_body
from app.features.ranking import make_grid_columns, make_grid_rows
from app.features.whatif import make_whatif_summary
from app.state import PALETTE_NAMES, ViewState
from app.table import district_rows
from zzgeo import planning
from zzgeo.indicators import INDICATORS


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
    records = district_rows(table).to_dict("records")
    for indicator in INDICATORS:
        tips = make_district_tips(table, indicator, lang, records)
        hideouts[indicator] = {
            name: make_choropleth_hideout(
                table, indicator, lang, selected=selected, palette_name=name, dim=dim, tips=tips
            )
            for name in PALETTE_NAMES
        }
        legend[indicator] = {
            name: make_legend(scheme_for(table, indicator, name), table, lang) for name in PALETTE_NAMES
        }
    return {
        "hideouts": hideouts,
        "legend": legend,
        "columns": {indicator: make_grid_columns(indicator, lang, proposals=proposals) for indicator in INDICATORS},
        "rows": {indicator: make_grid_rows(table, indicator, lang, records) for indicator in INDICATORS},
    }


def register(app: dash.Dash, ctx: AppContext) -> None:
    """The views of the current view state (one request per change)."""

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
        ticket = ctx.tickets.take(tab, "views")
        if current is None:
            raise PreventUpdate
        state = ViewState.from_dict(current)
        lang = state.lang
        proposals = ctx.proposals(proposals_store)
        accepted = ctx.proposals(accepted_store)
        base, table = ctx.tables(state, proposals, accepted)
        table = with_coverage(table, ctx.coverage(state))
        # every indicator and colour scheme: the browser shows the chosen ones
        views = make_views(table, lang, selected=state.district, dim=bool(state.hexes), proposals=len(proposals) > 0)
        counts = ctx.layer_counts(state, accepted)
        count_out = []
        for item in dash.ctx.outputs_list[4]:
            kind = item["id"]["index"]
            count_out.append(f" ({counts[kind]:,})" if kind in counts else "")
        panel = make_panel_body(
            state.district,
            table,
            lang,
            by_year=ctx.by_year(state, accepted) if state.district else None,
            targets_by_year=ctx.data.targets_by_year(),
        )
        if ctx.tickets.is_stale(tab, "views", ticket):  # newer inputs came while this was computed
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
