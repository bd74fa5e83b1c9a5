"""The ranking of the districts (dash-ag-grid), sorted by the chosen indicator.

Its rows and columns for every indicator come with the views (:mod:`app.features.views`);
the browser shows the chosen indicator's (``zzgeo.applyIndicator``). The grid's code loads
when the ranking comes into view (``lazyGrid`` in ``assets/zzgeo.js``).
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import pandas as pd
from dash import html

from app import ids
from app.coverage import coverage_note
from app.i18n import district_name, indicator_label, t, tu
from app.state import ViewState
from zzgeo.areas import ESTIMATED
from zzgeo.classes import district_rows, fmt_number, is_finite, target_of
from zzgeo.indicators import INDICATORS


def make_grid_columns(
    indicator: str, lang: str, *, proposals: bool = False, areas: bool = False
) -> list[dict[str, Any]]:
    """Column definitions of the ranking grid (sorted by the chosen indicator); ``areas``: of areas."""
    spec = INDICATORS[indicator]
    number = {"type": "numericColumn", "filter": False, "wrapHeaderText": True, "autoHeaderHeight": True}
    wrap = {"wrapText": True, "autoHeight": True, "cellClass": "zz-cell-wrap"}
    cols: list[dict[str, Any]] = [
        {"field": "rank", "headerName": t("col_rank", lang), "width": 72, **number, "wrapHeaderText": False},
        # long (English) names wrap instead of being cut off
        {"field": "name", "headerName": tu("col_district", lang, areas), "flex": 1, "minWidth": 110, **wrap},
        {
            "field": "value",
            "headerName": indicator_label(indicator, lang),
            "sort": "desc" if spec.higher_is_better else "asc",
            "valueFormatter": {
                "function": f"params.value == null ? '—' : d3.format(',.{spec.decimals}f')(params.value)"
            },
            "width": 132,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            **number,
        },
        {
            "field": "sites",
            "headerName": t("col_sites", lang),
            "valueFormatter": {"function": "d3.format(',')(params.value)"},
            "width": 80,
            **number,
        },
    ]
    if indicator != "sites_per_10k":
        cols.append(
            {
                "field": "per_10k",
                "headerName": t("col_per_10k", lang),
                "valueFormatter": {"function": "d3.format('.1f')(params.value)"},
                "width": 96,
                **number,
            }
        )
    if proposals:
        cols.append({"field": "proposed", "headerName": t("col_proposed", lang), "width": 84, **number})
    if indicator != "gap_sites":
        cols.append({"field": "gap", "headerName": t("col_gap", lang), "width": 72, **number})
    percent = {"function": "params.value == null ? '—' : d3.format('.1f')(params.value)"}
    for field_name, key in (("cov", "col_coverage"), ("pop_cov", "col_pop_coverage")):
        cols.append(
            {
                "field": field_name,
                "headerName": t(key, lang),
                "headerTooltip": coverage_note(lang, areas),
                "valueFormatter": percent,
                "width": 112 if lang == "en" else 92,
                "wrapHeaderText": True,
                "autoHeaderHeight": True,
                **number,
            }
        )
    cols += [
        {
            "field": "population",
            "headerName": t("col_population", lang),
            "width": 112,
            "type": "rightAligned",
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        {"field": "status", "headerName": t("col_status", lang), "width": 150 if lang == "en" else 100, **wrap},
    ]
    return cols


def make_grid_rows(
    table: pd.DataFrame, indicator: str, lang: str, records: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Rows of the ranking grid: one per district, ranked by ``indicator`` (best first).

    ``records``: ``district_rows(table).to_dict("records")`` when already at hand.
    """
    spec = INDICATORS[indicator]
    if records is None:
        records = district_rows(table).to_dict("records")
    values = pd.to_numeric(pd.Series([r[indicator] for r in records], dtype="object"), errors="coerce")
    order = values.rank(ascending=not spec.higher_is_better, method="min")
    target = target_of(table)
    out = []
    for row, rank, value in zip(records, order, values, strict=True):
        gap = row.get("gap_sites")
        status_text = "—"
        if target is not None:
            status_text = t("below_target", lang) if bool(row["underserved"]) else t("meets_target", lang)
        pop_status = str(row["population_status"])
        out.append(
            {
                "adcode": str(row["adcode"]),
                "rank": None if pd.isna(rank) else int(rank),
                "name": district_name(row, lang),
                "value": None if pd.isna(value) else round(float(value), spec.decimals),
                "sites": int(row["sites"]),
                "per_10k": round(float(row["sites_per_10k"]), 1),
                "gap": None if gap is None or pd.isna(gap) else int(gap),
                # * derived (the panel explains), ≈ zzgeo's estimate (areas without a figure)
                "population": ("≈" if pop_status == ESTIMATED else "")
                + fmt_number(row["population"])
                + ("*" if pop_status == "derived" else ""),
                "status": status_text,
                "underserved": bool(row["underserved"]),
                "proposed": int(row.get("proposed_sites", 0) or 0),
                "cov": _percent(row.get("coverage_pct")),
                "pop_cov": _percent(row.get("population_weighted_pct")),
            }
        )
    out.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["adcode"]))
    return out


def _percent(value: Any) -> float | None:
    """A percentage rounded to 0.1 for the grid, None when missing."""
    return round(float(value), 1) if is_finite(value) else None


def make_grid(indicator: str, lang: str) -> dag.AgGrid:
    """The (initially empty) ranking grid; rows come from a callback."""
    return dag.AgGrid(
        id=ids.GRID,
        columnDefs=make_grid_columns(indicator, lang),
        rowData=[],
        getRowId="params.data.adcode",
        rowClassRules={"zz-row-under": "params.data.underserved"},
        defaultColDef={"sortable": True, "resizable": True, "suppressMovable": True},
        dashGridOptions={"domLayout": "autoHeight", "suppressCellFocus": False, "animateRows": False},
        className="zz-grid",
        style={"width": "100%"},
    )


def ranking_hint(lang: str, areas: bool) -> str:
    """The hint below the ranking's title: a row is a district, or an area of the level (``areas``;
    the views change it with the level)."""
    return tu("ranking_hint", lang, areas)


def make_ranking(state: ViewState) -> html.Section:
    """The ranking section: title, hint, the grid and the coverage note."""
    lang = state.lang
    return html.Section(
        [
            html.H2(t("ranking", lang), id=ids.GRID_TITLE, className="zz-h2"),
            html.P(ranking_hint(lang, state.level is not None), id=ids.RANKING_HINT, className="zz-small zz-muted"),
            make_grid(state.indicator, lang),
            html.P(
                coverage_note(lang, state.level is not None),
                id=ids.RANKING_NOTE,
                className="zz-small zz-muted zz-coverage-note",
            ),
        ],
        className="zz-section zz-ranking",
    )
