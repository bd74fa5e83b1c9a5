"""What-if: proposed 5G sites (drawn or suggested), their effect, exporting them.

Accepting them and removing accepted ones: :mod:`app.features.proposals`.

Proposals live in the browser (a session store) until accepted; the server computes their
effect with the views (:mod:`app.features.views`): sites per 10,000 and coverage, the
proposals counting as in-service sites. What an action did, or why it could not, shows next to
its buttons; clearing asks first and can be undone.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import dash
import geopandas as gpd
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from app import ids
from app.context import AppContext, features_of
from app.data import EMPTY_FC, ProposalBatch
from app.errors import error_message
from app.features.export import download_of
from app.features.proposals import REMOVE_BATCH, make_batches
from app.i18n import district_name, operator_name, t
from app.state import ViewState
from app.widgets import make_status, radio_fieldset
from zzgeo import planning
from zzgeo.classes import fmt_number, target_of
from zzgeo.districts import CITY_ADCODE
from zzgeo.errors import ZzgeoError
from zzgeo.export import geojson_text
from zzgeo.indicators import filter_layer
from zzgeo.layers import OPERATORS

MAX_PROPOSALS = 5000

logger = logging.getLogger(__name__)


def make_whatif(lang: str, batches: Sequence[ProposalBatch] = ()) -> html.Section:
    """What-if: N, allocation rule, operator and the buttons on the left; what they did (or why
    they could not), the undo of a clear and the effect on the right."""
    form = html.Div(
        [
            html.P(t("whatif_help", lang), className="zz-small zz-muted"),
            html.Label(t("whatif_n", lang), htmlFor=ids.WHATIF_N, className="zz-label"),
            dcc.Input(id=ids.WHATIF_N, type="number", min=1, max=MAX_PROPOSALS, step=1, value=40, className="zz-input"),
            radio_fieldset(
                t("whatif_rule", lang),
                ids.WHATIF_RULE,
                [(t("rule_sites_per_10k", lang), "sites_per_10k"), (t("rule_gap", lang), "gap")],
                "sites_per_10k",
            ),
            html.Label(t("whatif_operator", lang), htmlFor=ids.WHATIF_OPERATOR, className="zz-label"),
            dcc.Dropdown(
                id=ids.WHATIF_OPERATOR,
                options=[{"label": operator_name(k, lang), "value": k} for k in OPERATORS],
                value="China Mobile",
                clearable=False,
                searchable=False,
                className="zz-dropdown",
            ),
            html.Div(
                [
                    html.Button(
                        t("whatif_suggest", lang), id=ids.WHATIF_SUGGEST, n_clicks=0, className="zz-btn zz-btn-primary"
                    ),
                    html.Button(t("whatif_clear", lang), id=ids.WHATIF_CLEAR, n_clicks=0, className="zz-btn"),
                    html.Button(
                        t("whatif_accept", lang), id=ids.WHATIF_ACCEPT, n_clicks=0, className="zz-btn zz-editor-only"
                    ),
                    html.Button(t("whatif_export", lang), id=ids.WHATIF_EXPORT, n_clicks=0, className="zz-btn"),
                ],
                className="zz-buttons",
            ),
            html.Div(
                [
                    html.Div(id=ids.WHATIF_STATUS, className="zz-status"),
                    html.Button(
                        t("whatif_undo", lang),
                        id=ids.WHATIF_UNDO,
                        n_clicks=0,
                        hidden=True,
                        className="zz-btn zz-btn-small",
                    ),
                ],
                className="zz-status-line",
                role="status",
                **{"aria-live": "polite"},
            ),
            dcc.ConfirmDialog(id=ids.WHATIF_CONFIRM, message=t("whatif_clear_confirm", lang, n="{n}")),
        ],
        className="zz-whatif-form",
    )
    result = html.Div(
        [
            html.Div(
                id=ids.WHATIF_SUMMARY,
                className="zz-whatif-summary",
                role="status",
                **{"aria-live": "polite", "aria-label": t("whatif_summary_label", lang)},
            ),
            dcc.Store(id=ids.WHATIF_CLEARED, data=None),
            html.H3(t("whatif_batches", lang), className="zz-h3"),
            html.P(t("whatif_batches_help", lang), className="zz-small zz-muted"),
            html.Div(make_batches(batches, lang), id=ids.WHATIF_BATCHES),
            *REMOVE_BATCH.parts(t("whatif_batch_confirm", lang, n="{n}")),
        ],
        className="zz-whatif-result",
    )
    return html.Section(
        [html.H2(t("whatif", lang), className="zz-h2"), html.Div([form, result], className="zz-whatif-grid")],
        id=ids.WHATIF,
        className="zz-section",
    )


def _effect_item(row: Mapping[str, Any], lang: str, **attrs: Any) -> html.Li:
    """One line of the what-if effect: "name: before -> after per 10,000 (+added)", and the land
    coverage before -> after when the effect has it."""
    text = t(
        "whatif_effect",
        lang,
        name=district_name(row, lang),
        before=fmt_number(row["per_10k_before"], 1),
        after=fmt_number(row["per_10k_after"], 1),
        added=int(row["added"]),
    )
    cover: dict[str, str] = {}
    if "coverage_after" in row:
        before, after = fmt_number(row["coverage_before"], 1), fmt_number(row["coverage_after"], 1)
        text += t("whatif_coverage", lang, before=before, after=after)
        cover = {"data-coverage-before": before, "data-coverage-after": after}
    return html.Li(
        text,
        **attrs,
        **{"data-adcode": str(row["adcode"]), "data-after": f"{row['per_10k_after']:.1f}"},
        **cover,
    )


def make_whatif_summary(effect: pd.DataFrame | None, lang: str, *, outside: int = 0, accepted: int = 0) -> list[Any]:
    """Text of the what-if result: per district, density before -> after."""
    out: list[Any] = []
    if effect is None or effect.empty or (int(effect["added"].sum()) == 0 and not outside):
        out.append(html.P(t("whatif_none", lang), className="zz-muted"))
    else:
        districts = effect[(effect["adcode"] != CITY_ADCODE) & (effect["added"] > 0)]
        total = int(effect.loc[effect["adcode"] == CITY_ADCODE, "added"].sum()) + outside
        out.append(html.P(html.Strong(t("whatif_count", lang, n=total))))
        items = [_effect_item(row, lang) for row in districts.sort_values("added", ascending=False).to_dict("records")]
        city = effect[effect["adcode"] == CITY_ADCODE]
        if len(city):
            items.append(_effect_item(city.iloc[0].to_dict(), lang, className="zz-city-line"))
        out.append(html.Ul(items, className="zz-effect"))
        if outside:
            out.append(html.P(t("whatif_outside", lang, n=outside), className="zz-bad"))
    if accepted:
        out.append(html.P(t("whatif_accepted_total", lang, n=accepted), className="zz-muted"))
    return out


def to_feature_collection(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """A proposals frame as a FeatureCollection for a dcc.Store / the map."""
    if len(gdf) == 0:
        return dict(EMPTY_FC)
    fc: dict[str, Any] = json.loads(geojson_text(gdf, decimals=6))
    return fc


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


#: what the what-if callback writes, by name
OUTPUTS = {
    "proposals": Output(ids.PROPOSALS, "data", allow_duplicate=True),
    "toolbar": Output(ids.EDIT, "editToolbar"),
    "statuses": Output(ids.STATUSES, "value", allow_duplicate=True),
    "seen": Output(ids.DRAWN, "data"),
    "cleared": Output(ids.WHATIF_CLEARED, "data"),
    "undo_hidden": Output(ids.WHATIF_UNDO, "hidden"),
    "status": Output(ids.WHATIF_STATUS, "children"),
}


def answer(**changes: Any) -> dict[str, Any]:
    """The what-if callback's answer: ``changes`` by output name, the rest left as it is."""
    return {name: changes.get(name, no_update) for name in OUTPUTS}


def drawn_proposals(
    ctx: AppContext, state: ViewState, drawn: Any, seen: Any, operator: Any, known: Any
) -> dict[str, Any]:
    """Points drawn with the tool become proposals; the drawing layer is emptied."""
    proposals = known
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
        start=planning.next_proposal_number(proposals, ctx.sites()),
        operator=_operator(operator),
        districts=ctx.data.districts,
    )
    return answer(
        proposals=to_feature_collection(_concat(proposals, added)),
        seen=sorted(seen_ids | {f["properties"].get("_leaflet_id") for f in new} - {None})[-1000:],
        # the drawn points now live in the proposals layer: empty the drawing layer
        toolbar={"mode": "remove", "action": "clear all", "n_clicks": time.monotonic_ns()},
        status=[],
    )


def suggested(ctx: AppContext, state: ViewState, n: Any, rule: Any, operator: Any, known: Any) -> dict[str, Any]:
    """N suggested sites in the most underserved districts (or areas of the view's level, by the
    rule), added to the proposals."""
    proposals = known
    count = _count(n, state.lang)
    if len(proposals) + count > MAX_PROPOSALS:
        raise ZzgeoError(t("error_too_many", state.lang, max=MAX_PROPOSALS))
    _, table = ctx.tables(state, proposals)
    if rule == "gap" and target_of(table) is None:
        raise ZzgeoError(t("error_no_target_gap", state.lang, year=state.year))
    existing = filter_layer(ctx.sites(), "5g_sites", year=state.year, statuses=None)
    if len(proposals):
        existing = planning.add_proposals(existing, proposals)
    number = planning.next_proposal_number(proposals, ctx.sites())
    new_sites = planning.suggest_sites(
        table,
        count,
        districts=ctx.data.districts,
        land=ctx.data.land,
        existing=existing,
        by=rule if rule in planning.ALLOCATION_RULES else "sites_per_10k",
        seed=number,
        start=number,
        year=state.year,
        operator=_operator(operator),
        areas=ctx.areas(state),  # the most underserved areas of the view's level
    )
    message = t("whatif_suggested", state.lang, n=fmt_number(len(new_sites)))
    return answer(
        proposals=to_feature_collection(_concat(proposals, new_sites)),
        status=make_status(message, state.lang),
        undo_hidden=True,
    )


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Suggest, draw, clear (asks first; undo) and accept proposals; export them."""
    _register_what_if(app, ctx)
    _register_clear_confirm(app)
    _register_export(app, ctx)
    _register_proposed_data(app)


def _register_what_if(app: dash.Dash, ctx: AppContext) -> None:
    """Suggest, absorb drawn points, clear (once confirmed) or undo a clear."""

    @app.callback(
        output=OUTPUTS,
        inputs={
            "suggest": Input(ids.WHATIF_SUGGEST, "n_clicks"),
            "clear": Input(ids.WHATIF_CONFIRM, "submit_n_clicks"),
            "undo": Input(ids.WHATIF_UNDO, "n_clicks"),
            "drawn": Input(ids.EDIT_DRAWN, "data"),
        },
        state={
            "n": State(ids.WHATIF_N, "value"),
            "rule": State(ids.WHATIF_RULE, "value"),
            "operator": State(ids.WHATIF_OPERATOR, "value"),
            "current": State(ids.STATE, "data"),
            "proposals_store": State(ids.PROPOSALS, "data"),
            "seen": State(ids.DRAWN, "data"),
            "cleared": State(ids.WHATIF_CLEARED, "data"),
        },
        prevent_initial_call=True,
    )
    def what_if(**inputs: Any) -> dict[str, Any]:
        """Suggest, absorb drawn points, clear or undo a clear (proposals live in the browser until accepted)."""
        trigger = dash.ctx.triggered_id
        state = ViewState.from_dict(inputs["current"])
        lang = state.lang
        try:
            known = ctx.proposals(inputs["proposals_store"])
            if trigger == ids.EDIT_DRAWN:
                return drawn_proposals(ctx, state, inputs["drawn"], inputs["seen"], inputs["operator"], known)
            if trigger == ids.WHATIF_SUGGEST:
                return suggested(ctx, state, inputs["n"], inputs["rule"], inputs["operator"], known)
            if trigger == ids.WHATIF_CONFIRM:  # the user confirmed: clear, and offer to undo
                n = len(known)
                message = t("whatif_cleared", lang, n=fmt_number(n))
                return answer(
                    proposals=dict(EMPTY_FC),
                    cleared=inputs["proposals_store"],
                    undo_hidden=n == 0,
                    status=make_status(message, lang),
                )
            if trigger == ids.WHATIF_UNDO and features_of(inputs["cleared"]):
                restored = inputs["cleared"]
                message = t("whatif_restored", lang, n=fmt_number(len(features_of(restored))))
                return answer(proposals=restored, cleared=None, undo_hidden=True, status=make_status(message, lang))
        except PreventUpdate:
            raise
        except Exception as exc:
            if not isinstance(exc, ZzgeoError):
                logger.exception("what-if failed")
            return answer(status=make_status(error_message(exc, lang), lang, error=True))
        raise PreventUpdate


def _register_clear_confirm(app: dash.Dash) -> None:
    """The Clear button asks first, naming how many (zz-whatif.js: confirmClear)."""
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="confirmClear"),
        Output(ids.WHATIF_CONFIRM, "displayed"),
        Output(ids.WHATIF_CONFIRM, "message"),
        Input(ids.WHATIF_CLEAR, "n_clicks"),
        State(ids.PROPOSALS, "data"),
        State(ids.WHATIF_CONFIRM, "message"),
        prevent_initial_call=True,
    )


def _register_export(app: dash.Dash, ctx: AppContext) -> None:
    """Export the proposals as GeoJSON."""

    @app.callback(
        Output(ids.DOWNLOAD, "data", allow_duplicate=True),
        Output(ids.WHATIF_STATUS, "children", allow_duplicate=True),
        Input(ids.WHATIF_EXPORT, "n_clicks"),
        State(ids.STATE, "data"),
        State(ids.PROPOSALS, "data"),
        prevent_initial_call=True,
    )
    def export_proposals(n_clicks: Any, current: Any, proposals_store: Any) -> tuple[Any, Any]:
        """The proposals as GeoJSON (said so next to the button when there are none)."""
        if not n_clicks:
            raise PreventUpdate
        lang = ViewState.from_dict(current).lang
        proposals = ctx.proposals(proposals_store)
        if len(proposals) == 0:
            return no_update, make_status(t("export_empty", lang), lang, error=True)
        return download_of(proposals, "geojson", "zzgeo_proposed_5g_sites"), []


def _register_proposed_data(app: dash.Dash) -> None:
    """The map's layer of proposals follows the store (zz-whatif.js: proposedData); the drawing
    tool's points reach the server only once there are (or were) any (zz-whatif.js: drawnChange)."""
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="drawnChange"),
        Output(ids.EDIT_DRAWN, "data"),
        Input(ids.EDIT, "geojson"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="proposedData"),
        Output(ids.PROPOSED, "data"),
        Input(ids.PROPOSALS, "data"),
    )
