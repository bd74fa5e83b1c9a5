"""The report of one import: file, format, CRS, summary, column mapping, recognised values, problems.

Every value from a user's file is passed to Dash as a string child (React escapes it);
nothing here builds HTML or Markdown from data.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from dash import html

from app.fmt import fmt_number
from app.i18n import STRINGS, t
from app.widgets import table
from zzgeo.crs import CoordinateSystem
from zzgeo.imports import ImportResult
from zzgeo.layers import LAYER_KINDS

#: problems listed in the import report (all of them are in the rejected-rows CSV)
MAX_PROBLEMS_SHOWN = 200


#: longest value shown in a report cell (characters)
MAX_CELL_CHARS = 160


def _cell(value: Any) -> str:
    """A value from a file as plain text for a table cell (long values shortened)."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    text = str(value)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def _column_title(kind: str, column: str, lang: str) -> str:
    if column == "lon":
        return t("col_lon", lang)
    if column == "lat":
        return t("col_lat", lang)
    for col in LAYER_KINDS[kind].columns if kind in LAYER_KINDS else ():
        if col.name == column:
            return col.title_en if lang == "en" else col.title_zh
    return column


def _crs_title(result: ImportResult, lang: str) -> str:
    crs = result.crs
    if isinstance(crs, CoordinateSystem):
        return crs.title(lang)
    return str(getattr(crs, "name", crs))


def make_import_report(result: ImportResult, lang: str) -> html.Div:
    """The report of one import: file, format, CRS, summary, mapping, recognised values, problems."""
    fmt_key = f"format_{result.fmt}"
    fmt = t(fmt_key, lang) if fmt_key in STRINGS else result.fmt
    crs_key = "report_crs_file" if result.crs_from_file else "report_crs_chosen"
    accepted, rejected = len(result.layer), len(result.rejected)
    errors, warnings = len(result.errors), len(result.warnings)
    children: list[Any] = [
        html.H3(t("report", lang), className="zz-h3"),
        html.P(
            [
                html.Span(t("report_file", lang, file=result.file), className="zz-report-file"),
                html.Br(),
                t("report_format", lang, fmt=fmt),
                html.Br(),
                t(crs_key, lang, crs=_crs_title(result, lang)),
            ],
            className="zz-small",
        ),
        html.P(
            t(
                "report_summary",
                lang,
                read=fmt_number(result.rows_total),
                accepted=fmt_number(accepted),
                rejected=fmt_number(rejected),
                errors=fmt_number(errors),
                warnings=fmt_number(warnings),
            ),
            className="zz-report-summary" + ("" if accepted else " zz-bad"),
            **{"data-read": str(result.rows_total), "data-accepted": str(accepted), "data-rejected": str(rejected)},
        ),
    ]
    if result.mapping:
        rows = [
            html.Tr(
                [html.Td(_cell(src)), html.Td([html.Code(dst), " ", _column_title(result.kind, dst, lang)])],
                **{"data-source": _cell(src), "data-target": dst},
            )
            for src, dst in result.mapping
        ]
        head = [t("report_source_column", lang), t("report_target_column", lang)]
        children += [
            html.H4(t("report_mapping", lang), className="zz-h4"),
            html.Div(table(head, rows, "zz-report-mapping"), className="zz-table-wrap"),
            html.P(t("report_unmapped", lang), className="zz-small zz-muted"),
        ]
    if result.normalized:
        rows = [
            html.Tr(
                [
                    html.Td(_column_title(result.kind, col, lang)),
                    html.Td(_cell(old)),
                    html.Td(_cell(new)),
                    html.Td(fmt_number(n), className="zz-num"),
                ],
                **{"data-column": col},
            )
            for col, old, new, n in result.normalized
        ]
        head = [
            t(k, lang) for k in ("report_value_column", "report_value_from", "report_value_to", "report_value_rows")
        ]
        children += [
            html.H4(t("report_values", lang), className="zz-h4"),
            html.Div(table(head, rows, "zz-report-values"), className="zz-table-wrap"),
        ]
    children.append(html.H4(t("report_problems", lang), className="zz-h4"))
    if not result.problems:
        children.append(html.P(t("report_no_problems", lang), className="zz-ok"))
    else:
        rows = []
        for p in result.problems[:MAX_PROBLEMS_SHOWN]:
            error = p.severity == "error"
            message = p.text(lang)
            rows.append(
                html.Tr(
                    [
                        html.Td(t("severity_error" if error else "severity_warning", lang), className="zz-nowrap"),
                        html.Td("" if p.row is None else str(p.row), className="zz-num"),
                        html.Td(_cell(p.column), className="zz-nowrap"),
                        html.Td(_cell(p.value), className="zz-report-value"),
                        html.Td(_cell(message) if len(message) <= 400 else message[:399] + "…"),
                    ],
                    className="zz-problem-error" if error else "zz-problem-warning",
                    **{"data-row": "" if p.row is None else str(p.row), "data-severity": p.severity},
                )
            )
        head = [t(k, lang) for k in ("col_severity", "col_row", "col_column", "col_value", "col_problem")]
        children.append(html.Div(table(head, rows, "zz-report-problems"), className="zz-table-wrap"))
        children.append(html.P(t("report_severity_help", lang), className="zz-small zz-muted"))
        if len(result.problems) > MAX_PROBLEMS_SHOWN:
            more = len(result.problems) - MAX_PROBLEMS_SHOWN
            children.append(html.P(t("report_more_problems", lang, n=fmt_number(more)), className="zz-small"))
    if not accepted:
        children.append(html.P(t("import_nothing", lang), className="zz-bad"))
    return html.Div(children, className="zz-report-content", **{"data-kind": result.kind})
