"""Downloads of the filtered layer (GeoJSON, GeoPackage) and of the indicator table (CSV, Excel).

For people, the Excel workbook (:mod:`zzgeo.tables`) speaks the page's language (headers with
units, rounded numbers, underserved rows marked) and has a sheet of sources, filters, the year,
the time it was made and the synthetic flag. For machines, the CSV has the stable English
columns. GeoJSON and GeoPackage files carry their provenance (:mod:`zzgeo.provenance`).
"""

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
from zzgeo.provenance import Provenance, area_provenance, indicators_provenance, provenance_of
from zzgeo.tables import csv_table, indicators_xlsx_bytes


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


def download_of(
    df: gpd.GeoDataFrame | pd.DataFrame, fmt: str, stem: str, provenance: Provenance | None = None
) -> dict[str, Any]:
    """A download of ``df`` as ``fmt``; GeoJSON and GeoPackage carry ``provenance`` (see :mod:`zzgeo.provenance`)."""
    suffix = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv", "xlsx": ".xlsx"}[fmt]
    with tempfile.TemporaryDirectory(prefix="zzgeo-") as tmp:
        path = Path(tmp) / f"{stem}{suffix}"
        export(df, path, fmt, provenance=provenance if fmt in ("geojson", "gpkg") else None)
        return dcc.send_bytes(path.read_bytes(), path.name)


def table_provenance(ctx: AppContext, state: ViewState, proposals: gpd.GeoDataFrame) -> Provenance:
    """Sources, filters and dates of the view's indicator table (with the area layer on an area level)."""
    provenance = indicators_provenance(
        ctx.sites(), ctx.data.population, year=state.year, operators=list(state.operators),
        statuses=list(state.statuses), targets=ctx.data.targets, proposals=len(proposals),
    )  # fmt: skip
    areas = ctx.areas(state)
    return provenance if areas is None else area_provenance(provenance, areas)


def table_download(ctx: AppContext, state: ViewState, proposals: gpd.GeoDataFrame, fmt: str) -> dict[str, Any]:
    """The indicator table: Excel for people (the page's language, a sources sheet), CSV for machines."""
    _, table = ctx.tables(state, proposals)
    stem = f"zzgeo_indicators_{state.year}"
    if fmt == "xlsx":
        data = indicators_xlsx_bytes(table, state.lang, table_provenance(ctx, state, proposals))
        return dcc.send_bytes(data, f"{stem}_{state.lang}.xlsx")
    return download_of(csv_table(table, "en"), "csv", stem)  # the stable English columns (README)


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
            return (table_download(ctx, state, proposals, "csv" if trigger == ids.EXPORT_CSV else "xlsx"),)
        kind = kind if kind in ctx.data.layers else "5g_sites"
        layer = ctx.filtered_layer(kind, state)
        if not current_user().can("editor"):  # columns an editor chose to keep are not for every viewer
            layer = without_extra_columns(layer, kind)
        fmt = "geojson" if trigger == ids.EXPORT_GEOJSON else "gpkg"
        operators = list(state.operators) if kind == "5g_sites" else None
        provenance = provenance_of(
            {kind: layer}, ctx.data.population, year=state.year, operators=operators, statuses=list(state.statuses)
        )
        return (download_of(layer, fmt, f"zzgeo_{kind}_{state.year}", provenance),)
