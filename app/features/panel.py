"""The district (or area) panel: its indicators against the city's, its target and a chart by year."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
from dash import dcc, html

from app import ids
from app.coverage import COVERAGE_COLUMNS, coverage_note
from app.i18n import district_name, indicator_label, population_status, t, target_status, tu
from zzgeo.areas import ESTIMATED, estimate_rule
from zzgeo.classes import city_row, district_rows, fmt_indicator, fmt_number, target_of
from zzgeo.indicators import INDICATORS
from zzgeo.tables import is_area_table


def make_chart(
    by_year: pd.Series,
    target_sites: Mapping[int, float],
    lang: str,
    *,
    proposed: int = 0,
    proposed_year: int | None = None,
) -> dict[str, Any]:
    """Sites by year (bars) against the sites the plan target asks for (line).

    A plain Plotly figure dict: building a ``go.Figure`` validates every property, which cost
    more than the rest of the district panel together.
    """
    years = [int(y) for y in by_year.index]
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "x": years,
            "y": [int(v) for v in by_year.to_numpy()],
            "name": t("chart_sites", lang),
            "marker": {"color": "#3182bd"},
        }
    ]
    if proposed and proposed_year is not None:
        data.append(
            {
                "type": "bar",
                "x": [proposed_year],
                "y": [proposed],
                "name": t("chart_proposed", lang),
                "marker": {"color": "#ffd700", "line": {"color": "#000", "width": 1.5}},
            }
        )
    if target_sites:
        xs = sorted(target_sites)
        data.append(
            {
                "type": "scatter",
                "x": xs,
                "y": [target_sites[x] for x in xs],
                "name": t("chart_target", lang),
                "mode": "lines+markers",
                "line": {"color": "#ca0020", "dash": "dash", "width": 2},
            }
        )
    layout = {
        "barmode": "stack",
        "title": {"text": t("chart_title", lang, first=years[0], last=years[-1]), "font": {"size": 14}},
        "margin": {"l": 48, "r": 8, "t": 40, "b": 36},
        "height": 260,
        "legend": {"orientation": "h", "y": -0.25},
        "xaxis": {"title": None, "tickmode": "array", "tickvals": years, "tickangle": 0, "tickfont": {"size": 10}},
        "yaxis": {"title": {"text": t("chart_sites", lang)}, "rangemode": "tozero", "gridcolor": "#e5e5e5"},
        "plot_bgcolor": "#fff",
        "paper_bgcolor": "#fff",
        "font": {"family": "system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"},
    }
    return {"data": data, "layout": layout}


def make_panel_placeholder(lang: str, *, areas: bool = False) -> list[Any]:
    """The panel without a district (or area) selected."""
    empty = html.P(tu("panel_empty", lang, areas), className="zz-muted")
    return [html.Div(empty, className="zz-panel-content", **{"data-adcode": ""})]


def make_panel_body(
    adcode: str | None,
    table: pd.DataFrame,
    lang: str,
    *,
    by_year: pd.DataFrame | None = None,
    targets_by_year: Mapping[int, float] | None = None,
    district_names: Mapping[str, str] | None = None,
) -> list[Any]:
    """Content of the panel of a district (or of an area, for a table per area): its indicators
    against the city's, its target and a chart by year (a placeholder when none is selected).

    ``district_names`` (adcode -> name): an area's panel names the district holding it.
    """
    areas = is_area_table(table)
    rows = district_rows(table)
    match = rows[rows["adcode"].astype("str") == str(adcode)] if adcode else rows.iloc[0:0]
    if match.empty:
        return make_panel_placeholder(lang, areas=areas)
    row = match.iloc[0]
    city = city_row(table)
    body = [*_panel_head(row, lang, district_names if areas else None), _panel_table(row, city, table, lang, areas)]
    if all(c in table.columns for c in COVERAGE_COLUMNS):
        body.append(html.P(coverage_note(lang, areas), className="zz-muted zz-small zz-coverage-note"))
    body += _panel_target(row, table, lang)
    if by_year is not None and str(adcode) in by_year.index:
        body.append(_panel_chart(row, by_year.loc[str(adcode)], table, lang, targets_by_year or {}))
    status = str(row["population_status"])
    if status == "derived":
        body.append(html.P(t("derived_explain", lang), className="zz-muted zz-small"))
    elif status == ESTIMATED:
        rule = estimate_rule(int(row["population_year"])).get(lang)
        body.append(html.P(t("estimated_explain", lang, rule=rule), className="zz-muted zz-small"))
    return [html.Div(body, className="zz-panel-content", **{"data-adcode": str(adcode)})]


def _panel_head(row: pd.Series, lang: str, district_names: Mapping[str, str] | None) -> list[Any]:
    """The name (and the other language's), the population with its year and status; with
    ``district_names`` (an area's panel), its code, district and size."""
    name = district_name(row.to_dict(), lang)
    other = str(row["name_zh"] if lang == "en" else row["name_en"])
    status = str(row["population_status"])
    out: list[Any] = [
        html.H3([name, html.Small(f" {other}")] if other != name else [name], className="zz-panel-name"),
        html.P(
            [
                html.Strong(t("population", lang) + ": "),
                t(
                    "population_line",
                    lang,
                    value=fmt_number(row["population"]),
                    year=row["population_year"],
                    status=population_status(status, lang),
                ),
            ],
            className="zz-panel-pop",
            **{"data-status": status},
        ),
    ]
    if district_names is not None:
        code = row.get("code")
        district = district_names.get(str(row.get("district_adcode")), "—")
        facts = t("area_facts", lang, district=district, km2=fmt_number(row.get("area_km2"), 1))
        if isinstance(code, str) and code:
            facts = t("area_code", lang, code=code) + t("list_sep", lang) + facts
        out.append(html.P(facts, className="zz-small zz-muted zz-panel-facts"))
    return out


def _panel_table(row: pd.Series, city: pd.Series, table: pd.DataFrame, lang: str, areas: bool) -> html.Table:
    """Every indicator (and coverage) of the district or area against the city's."""
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("col_indicator", lang)),
                html.Th(tu("col_this_district", lang, areas)),
                html.Th(t("col_city", lang)),
            ]
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
    if all(c in table.columns for c in COVERAGE_COLUMNS):
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
    return html.Table([head, html.Tbody(lines)], className="zz-panel-table")


def _panel_target(row: pd.Series, table: pd.DataFrame, lang: str) -> list[Any]:
    """The plan target of the year and the sites still needed (or that it is met)."""
    year = table.attrs.get("year")
    target = target_of(table)
    if target is None:
        return [html.P(t("no_target_line", lang, year=year), className="zz-muted")]
    out = [
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
    ]
    gap = row.get("gap_sites")
    if gap is not None and not pd.isna(gap) and int(gap) > 0:
        out.append(html.P(t("gap_line", lang, n=fmt_number(gap)), className="zz-bad"))
    else:
        out.append(html.P(t("meets_target", lang), className="zz-ok"))
    return out


def _panel_chart(
    row: pd.Series, counts: pd.Series, table: pd.DataFrame, lang: str, targets_by_year: Mapping[int, float]
) -> dcc.Graph:
    """Sites by year against the sites the targets ask for (of its population), proposals on top."""
    pop = float(row["population"])
    targets = {int(y): math.ceil(round(v * pop / 10_000, 9)) for y, v in targets_by_year.items()}
    fig = make_chart(
        counts,
        targets,
        lang,
        proposed=int(row.get("proposed_sites", 0) or 0),
        proposed_year=table.attrs.get("year"),
    )
    return dcc.Graph(id=ids.PANEL_CHART, figure=fig, config={"displayModeBar": False, "responsive": True},
                     className="zz-chart")  # fmt: skip


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
