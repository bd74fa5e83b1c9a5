"""Downloads of the filtered layer (GeoJSON, GeoPackage) and of the indicator table (CSV, Excel)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import dash
import geopandas as gpd
import pandas as pd
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from app import ids
from app.context import AppContext
from app.data import PageMeta
from app.errors import guarded
from app.i18n import layer_title, t
from app.state import POINT_LAYERS, ViewState
from zzgeo.errors import ZzgeoError
from zzgeo.export import export


def make_export(lang: str, meta: PageMeta) -> html.Section:
    """Download buttons for the filtered layer and the indicator table."""
    return html.Section(
        [
            html.H2(t("export", lang), className="zz-h2"),
            html.Label(t("export_layer", lang), htmlFor=ids.EXPORT_LAYER, className="zz-label"),
            dcc.Dropdown(
                id=ids.EXPORT_LAYER,
                options=[
                    {"label": layer_title(k, lang), "value": k, "disabled": k in meta.layer_errors}
                    for k in POINT_LAYERS
                ],
                value="5g_sites",
                clearable=False,
                searchable=False,
                className="zz-dropdown",
            ),
            html.Div(
                [
                    html.Button(t("export_geojson", lang), id=ids.EXPORT_GEOJSON, n_clicks=0, className="zz-btn"),
                    html.Button(t("export_gpkg", lang), id=ids.EXPORT_GPKG, n_clicks=0, className="zz-btn"),
                ],
                className="zz-buttons",
            ),
            html.Div(t("export_table", lang), className="zz-label"),
            html.Div(
                [
                    html.Button(t("export_csv", lang), id=ids.EXPORT_CSV, n_clicks=0, className="zz-btn"),
                    html.Button(t("export_xlsx", lang), id=ids.EXPORT_XLSX, n_clicks=0, className="zz-btn"),
                ],
                className="zz-buttons",
            ),
        ],
        className="zz-section",
    )


def _download(df: gpd.GeoDataFrame | pd.DataFrame, fmt: str, stem: str) -> dict[str, Any]:
    suffix = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv", "xlsx": ".xlsx"}[fmt]
    with tempfile.TemporaryDirectory(prefix="zzgeo-") as tmp:
        path = Path(tmp) / f"{stem}{suffix}"
        export(df, path, fmt)
        return dcc.send_bytes(path.read_bytes(), path.name)


def register(app: dash.Dash, ctx: AppContext) -> None:
    """The export buttons."""
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
        trigger = dash.ctx.triggered_id
        if not dash.ctx.triggered or not dash.ctx.triggered[0].get("value"):
            raise PreventUpdate
        state = ViewState.from_dict(current)
        proposals = ctx.proposals(proposals_store)
        accepted = ctx.proposals(accepted_store)
        if trigger == ids.WHATIF_EXPORT:
            if len(proposals) == 0:
                raise ZzgeoError(t("export_empty", state.lang))
            return (_download(proposals, "geojson", "zzgeo_proposed_5g_sites"),)
        if trigger in (ids.EXPORT_CSV, ids.EXPORT_XLSX):
            _, table = ctx.tables(state, proposals, accepted)
            fmt = "csv" if trigger == ids.EXPORT_CSV else "xlsx"
            return (_download(table, fmt, f"zzgeo_indicators_{state.year}"),)
        kind = kind if kind in ctx.data.layers else "5g_sites"
        layer = ctx.filtered_layer(kind, state, accepted)
        fmt = "geojson" if trigger == ids.EXPORT_GEOJSON else "gpkg"
        return (_download(layer, fmt, f"zzgeo_{kind}_{state.year}"),)
