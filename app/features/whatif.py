"""What-if: proposed 5G sites (drawn or suggested), their effect, accepting and exporting them.

Proposals live in the browser (a session store) until accepted; the server computes their
effect with the views (:mod:`app.features.views`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

import dash
import geopandas as gpd
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from app import ids
from app.context import AppContext, features_of
from app.data import EMPTY_FC
from app.errors import guarded
from app.fmt import fmt_number
from app.i18n import district_name, operator_name, t
from app.state import ViewState
from app.table import target_of as layout_target
from app.widgets import radio_fieldset
from zzgeo import planning
from zzgeo.districts import CITY_ADCODE
from zzgeo.errors import ZzgeoError
from zzgeo.export import geojson_text
from zzgeo.indicators import filter_layer
from zzgeo.layers import OPERATORS

MAX_PROPOSALS = 5000


def make_whatif(lang: str) -> html.Section:
    """What-if controls: N, allocation rule, operator, suggest/clear/accept/export."""
    return html.Section(
        [
            html.H2(t("whatif", lang), className="zz-h2"),
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
                    html.Button(t("whatif_accept", lang), id=ids.WHATIF_ACCEPT, n_clicks=0, className="zz-btn"),
                    html.Button(t("whatif_export", lang), id=ids.WHATIF_EXPORT, n_clicks=0, className="zz-btn"),
                ],
                className="zz-buttons",
            ),
            html.Div(
                id=ids.WHATIF_SUMMARY,
                className="zz-whatif-summary",
                role="status",
                **{"aria-live": "polite", "aria-label": t("whatif_summary_label", lang)},
            ),
        ],
        id=ids.WHATIF,
        className="zz-section",
    )


def _effect_item(row: Mapping[str, Any], lang: str, **attrs: Any) -> html.Li:
    """One line of the what-if effect: "name: before -> after per 10,000 (+added)"."""
    return html.Li(
        t(
            "whatif_effect",
            lang,
            name=district_name(row, lang),
            before=fmt_number(row["per_10k_before"], 1),
            after=fmt_number(row["per_10k_after"], 1),
            added=int(row["added"]),
        ),
        **attrs,
        **{"data-adcode": str(row["adcode"]), "data-after": f"{row['per_10k_after']:.1f}"},
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


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Suggest, draw, clear and accept proposals."""
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
        trigger = dash.ctx.triggered_id
        state = ViewState.from_dict(current)
        proposals = ctx.proposals(proposals_store)
        accepted = ctx.proposals(accepted_store)
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
                districts=ctx.data.districts,
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
            _, table = ctx.tables(state, proposals, accepted)
            if rule == "gap" and layout_target(table) is None:
                raise ZzgeoError(t("error_no_target_gap", state.lang, year=state.year))
            existing = filter_layer(ctx.sites(accepted), "5g_sites", year=state.year, statuses=None)
            if len(proposals):
                existing = planning.add_proposals(existing, proposals)
            number = planning.next_proposal_number(proposals, accepted)
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
            )
            out["proposals"] = to_feature_collection(_concat(proposals, new_sites))
        else:
            raise PreventUpdate
        return out["proposals"], out["accepted"], out["toolbar"], out["statuses"], out["seen"]

    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="proposedData"),
        Output(ids.PROPOSED, "data"),
        Input(ids.PROPOSALS, "data"),
    )
