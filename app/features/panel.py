"""The district panel: indicators of one district against the city, its target and a chart by year."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from app import ids
from app.coverage import COVERAGE_COLUMNS, coverage_note
from app.fmt import fmt_indicator, fmt_number
from app.i18n import district_name, indicator_label, population_status, t, target_status
from app.state import YEARS
from app.table import city_row, district_rows, target_of
from zzgeo.indicators import INDICATORS


def make_chart(
    by_year: pd.Series,
    target_sites: Mapping[int, float],
    lang: str,
    *,
    proposed: int = 0,
    proposed_year: int | None = None,
) -> go.Figure:
    """Sites by year (bars) against the sites the plan target asks for (line)."""
    years = [int(y) for y in by_year.index]
    fig = go.Figure()
    fig.add_bar(x=years, y=[int(v) for v in by_year.to_numpy()], name=t("chart_sites", lang), marker_color="#3182bd")
    if proposed and proposed_year is not None:
        fig.add_bar(
            x=[proposed_year],
            y=[proposed],
            name=t("chart_proposed", lang),
            marker={"color": "#ffd700", "line": {"color": "#000", "width": 1.5}},
        )
    if target_sites:
        xs = sorted(target_sites)
        fig.add_scatter(
            x=xs,
            y=[target_sites[x] for x in xs],
            name=t("chart_target", lang),
            mode="lines+markers",
            line={"color": "#ca0020", "dash": "dash", "width": 2},
        )
    fig.update_layout(
        barmode="stack",
        title={"text": t("chart_title", lang), "font": {"size": 14}},
        margin={"l": 48, "r": 8, "t": 40, "b": 36},
        height=260,
        legend={"orientation": "h", "y": -0.25},
        xaxis={"title": None, "tickmode": "array", "tickvals": list(YEARS), "tickangle": 0, "tickfont": {"size": 10}},
        yaxis={"title": t("chart_sites", lang), "rangemode": "tozero"},
        plot_bgcolor="#fff",
        paper_bgcolor="#fff",
        font={"family": "system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"},
    )
    fig.update_yaxes(gridcolor="#e5e5e5")
    return fig


def make_panel_body(
    adcode: str | None,
    table: pd.DataFrame,
    lang: str,
    *,
    by_year: pd.DataFrame | None = None,
    targets_by_year: Mapping[int, float] | None = None,
) -> list[Any]:
    """Content of the district panel (placeholder text when no district is selected)."""
    rows = district_rows(table)
    match = rows[rows["adcode"].astype("str") == str(adcode)] if adcode else rows.iloc[0:0]
    if match.empty:
        return [
            html.Div(
                html.P(t("panel_empty", lang), className="zz-muted"),
                className="zz-panel-content",
                **{"data-adcode": ""},
            )
        ]
    row = match.iloc[0]
    city = city_row(table)
    year = table.attrs.get("year")
    other = row["name_zh"] if lang == "en" else row["name_en"]
    pop_status = str(row["population_status"])
    body: list[Any] = [
        html.H3([district_name(row.to_dict(), lang), html.Small(f" {other}")], className="zz-panel-name"),
        html.P(
            [
                html.Strong(t("population", lang) + ": "),
                t(
                    "population_line",
                    lang,
                    value=fmt_number(row["population"]),
                    year=row["population_year"],
                    status=population_status(pop_status, lang),
                ),
            ],
            className="zz-panel-pop",
            **{"data-status": pop_status},
        ),
    ]
    head = html.Thead(
        html.Tr(
            [html.Th(t("col_indicator", lang)), html.Th(t("col_this_district", lang)), html.Th(t("col_city", lang))]
        )
    )
    lines = []
    for key in INDICATORS:
        lines.append(
            html.Tr(
                [
                    html.Th(indicator_label(key, lang), scope="row"),
                    html.Td(fmt_indicator(row[key], key), **{"data-indicator": key}),
                    html.Td(fmt_indicator(city[key], key)),
                ]
            )
        )
    has_coverage = all(c in table.columns for c in COVERAGE_COLUMNS)
    if has_coverage:
        lines.append(html.Tr(html.Th(t("coverage", lang), colSpan=3, className="zz-panel-sub"), className="zz-sub"))
        for key, label in (("coverage_pct", "cov_land"), ("population_weighted_pct", "cov_pop")):
            lines.append(
                html.Tr(
                    [
                        html.Th(t(label, lang), scope="row"),
                        html.Td(fmt_number(row[key], 1), **{"data-indicator": key}),
                        html.Td(fmt_number(city[key], 1)),
                    ],
                    className="zz-coverage-row",
                )
            )
    body.append(html.Table([head, html.Tbody(lines)], className="zz-panel-table"))
    if has_coverage:
        body.append(html.P(coverage_note(lang), className="zz-muted zz-small zz-coverage-note"))
    target = target_of(table)
    if target is not None:
        body.append(
            html.P(
                t(
                    "target_line",
                    lang,
                    value=fmt_number(target, 0),
                    year=year,
                    status=target_status(row["target_status"], lang),
                ),
                className="zz-panel-target",
            )
        )
        gap = row.get("gap_sites")
        if gap is not None and not pd.isna(gap) and int(gap) > 0:
            body.append(html.P(t("gap_line", lang, n=fmt_number(gap)), className="zz-bad"))
        else:
            body.append(html.P(t("meets_target", lang), className="zz-ok"))
    else:
        body.append(html.P(t("no_target_line", lang, year=year), className="zz-muted"))
    if by_year is not None and str(adcode) in by_year.index:
        pop = float(row["population"])
        targets = {int(y): math.ceil(round(v * pop / 10_000, 9)) for y, v in (targets_by_year or {}).items()}
        fig = make_chart(
            by_year.loc[str(adcode)],
            targets,
            lang,
            proposed=int(row.get("proposed_sites", 0) or 0),
            proposed_year=year,
        )
        body.append(
            dcc.Graph(
                id=ids.PANEL_CHART,
                figure=fig,
                config={"displayModeBar": False, "responsive": True},
                className="zz-chart",
            )
        )
    if pop_status == "derived":
        body.append(html.P(t("derived_explain", lang), className="zz-muted zz-small"))
    return [html.Div(body, className="zz-panel-content", **{"data-adcode": str(adcode)})]


def make_panel(lang: str) -> html.Aside:
    """The district panel: a fixed head with a close button, a body from callbacks."""
    return html.Aside(
        [
            html.Div(
                [
                    html.H2(t("panel_title", lang), className="zz-h2"),
                    html.Button(
                        "×",
                        id=ids.PANEL_CLOSE,
                        n_clicks=0,
                        className="zz-close",
                        title=t("panel_close", lang),
                        **{"aria-label": t("panel_close", lang)},
                    ),
                ],
                className="zz-panel-head",
            ),
            html.Div(id=ids.PANEL_BODY, className="zz-panel-body"),
        ],
        id=ids.PANEL,
        className="zz-panel",
        **{"aria-label": t("panel_title", lang)},
    )
