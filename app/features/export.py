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
from app.auth import current_user
from app.context import AppContext
from app.data import PageMeta
from app.errors import guarded_status
from app.i18n import layer_title, t
from app.state import POINT_LAYERS, ViewState
from zzgeo.export import export
from zzgeo.layers import without_extra_columns


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
            html.Div(id=ids.EXPORT_STATUS, className="zz-status", role="status", **{"aria-live": "polite"}),
        ],
        className="zz-section",
    )


def download_of(df: gpd.GeoDataFrame | pd.DataFrame, fmt: str, stem: str) -> dict[str, Any]:
    suffix = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv", "xlsx": ".xlsx"}[fmt]
    with tempfile.TemporaryDirectory(prefix="zzgeo-") as tmp:
        path = Path(tmp) / f"{stem}{suffix}"
        export(df, path, fmt)
        return dcc.send_bytes(path.read_bytes(), path.name)


def register(app: dash.Dash, ctx: AppContext) -> None:
    """The export buttons."""

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Output(ids.EXPORT_STATUS, "children"),
        Input(ids.EXPORT_GEOJSON, "n_clicks"),
        Input(ids.EXPORT_GPKG, "n_clicks"),
        Input(ids.EXPORT_CSV, "n_clicks"),
        Input(ids.EXPORT_XLSX, "n_clicks"),
        State(ids.EXPORT_LAYER, "value"),
        State(ids.STATE, "data"),
        State(ids.PROPOSALS, "data"),
        prevent_initial_call=True,
    )
    @guarded_status
    def download(_g, _p, _c, _x, kind, current, proposals_store):  # type: ignore[no-untyped-def]
        trigger = dash.ctx.triggered_id
        if not dash.ctx.triggered or not dash.ctx.triggered[0].get("value"):
            raise PreventUpdate
        state = ViewState.from_dict(current)
        proposals = ctx.proposals(proposals_store)
        if trigger in (ids.EXPORT_CSV, ids.EXPORT_XLSX):
            _, table = ctx.tables(state, proposals)
            fmt = "csv" if trigger == ids.EXPORT_CSV else "xlsx"
            return (download_of(table, fmt, f"zzgeo_indicators_{state.year}"),)
        kind = kind if kind in ctx.data.layers else "5g_sites"
        layer = ctx.filtered_layer(kind, state)
        if not current_user().can("editor"):  # columns an editor chose to keep are not for every viewer
            layer = without_extra_columns(layer, kind)
        fmt = "geojson" if trigger == ids.EXPORT_GEOJSON else "gpkg"
        return (download_of(layer, fmt, f"zzgeo_{kind}_{state.year}"),)
