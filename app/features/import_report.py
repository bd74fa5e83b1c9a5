"""The report of one import: file, format, encoding, CRS, summary, columns used and left out,
recognised values, problems.

Every value from a user's file is passed to Dash as a string child (React escapes it);
nothing here builds HTML or Markdown from data. Two of zzgeo's warnings name command-line
options (``--encoding``, ``--keep-columns``): the report words them for the panel's own
controls instead (:func:`problem_text`).
"""

from __future__ import annotations

import functools
import math
import re
from string import Formatter
from typing import Any

import pandas as pd
from dash import html

from app.i18n import STRINGS, layer_title, t
from app.widgets import table
from zzgeo.classes import fmt_number
from zzgeo.crs import CoordinateSystem
from zzgeo.errors import Problem
from zzgeo.imports import ImportResult
from zzgeo.layers import LAYER_KINDS
from zzgeo.messages import TEXTS, Text

#: problems listed in the import report (all of them are in the rejected-rows CSV)
MAX_PROBLEMS_SHOWN = 200


#: longest value shown in a report cell (characters)
MAX_CELL_CHARS = 160
#: column names listed in a line of the report (the rest are counted)
MAX_NAMES_SHOWN = 30


@functools.cache
def _template(key: str) -> re.Pattern[str]:
    """A pattern matching zzgeo's English message ``key`` (:data:`zzgeo.messages.TEXTS`), values as groups."""
    parts: list[str] = []
    seen: set[str] = set()
    for literal, field, _spec, _conversion in Formatter().parse(TEXTS[key].en):
        parts.append(re.escape(literal))
        if field is None:
            continue
        if field.isidentifier() and field not in seen:
            seen.add(field)
            parts.append(f"(?P<{field}>.*?)")
        else:
            parts.append(".*?")
    return re.compile("".join(parts), re.DOTALL)


def message_values(key: str, message: Text | str | None) -> dict[str, str] | None:
    """The values in ``message`` when it is zzgeo's message ``key`` (in English), else None."""
    english = message.en if isinstance(message, Text) else message
    if not english:
        return None
    match = _template(key).fullmatch(english)
    return match.groupdict() if match else None


def _names(columns: list[str]) -> str:
    """Column names for a line of text (long names shortened, at most :data:`MAX_NAMES_SHOWN`)."""
    shown = ", ".join(_cell(c) for c in columns[:MAX_NAMES_SHOWN])
    more = len(columns) - MAX_NAMES_SHOWN
    return shown + (f" … (+{fmt_number(more)})" if more > 0 else "")


def _encoding_title(encoding: str, lang: str) -> str:
    """zzgeo's name of an encoding ("UTF-8 with BOM", "latin-1 (as chosen)") in ``lang``."""
    for english, key in ((" (as chosen)", "report_encoding_chosen"), (" with BOM", "report_encoding_bom")):
        if encoding.endswith(english):
            return encoding[: -len(english)] + t(key, lang)
    return encoding


def extra_columns(result: ImportResult) -> list[str]:
    """Columns of the layer outside its kind's spec (kept because the user asked)."""
    spec = LAYER_KINDS.get(result.kind)
    known = {c.name for c in spec.columns} if spec else set()
    geometry = result.layer.geometry.name if len(result.layer.columns) else "geometry"
    return [str(c) for c in result.layer.columns if c not in known and c != geometry]


def problem_text(p: Problem, result: ImportResult, lang: str) -> str:
    """A problem's message in ``lang``, worded for the panel when zzgeo's names a command-line option."""
    if p.severity == "warning" and p.row is None:
        kind = layer_title(result.kind, lang) if result.kind in LAYER_KINDS else result.kind
        if message_values("unknown_columns_dropped", p.message) is not None:
            return t("report_dropped", lang, kind=kind, columns=_names(result.dropped))
        kept = message_values("unknown_columns", p.message)
        if kept is not None:
            return t("report_kept", lang, kind=kind, columns=_names(extra_columns(result)) or _cell(kept["columns"]))
        suspect = message_values("encoding_suspect", p.message)
        if suspect is not None:
            return t("report_encoding_suspect", lang, encoding=suspect["encoding"], sample=_cell(suspect["sample"]))
    return p.text(lang)


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
            return col.title.get(lang)
    return column


def _crs_title(result: ImportResult, lang: str) -> str:
    crs = result.crs
    if isinstance(crs, CoordinateSystem):
        return crs.title.get(lang)
    return str(getattr(crs, "name", crs))


def _report_about(result: ImportResult, lang: str) -> list[Any]:
    """File, format, encoding and CRS of an import."""
    fmt_key = f"format_{result.fmt}"
    fmt = t(fmt_key, lang) if fmt_key in STRINGS else result.fmt
    crs_key = "report_crs_file" if result.crs_from_file else "report_crs_chosen"
    about: list[Any] = [
        html.Span(t("report_file", lang, file=result.file), className="zz-report-file"),
        html.Br(),
        t("report_format", lang, fmt=fmt),
    ]
    if result.encoding:
        encoding = _encoding_title(result.encoding, lang)
        about += [html.Br(), html.Span(t("report_encoding", lang, encoding=encoding), className="zz-report-encoding")]
    about += [html.Br(), t(crs_key, lang, crs=_crs_title(result, lang))]
    return about


def _report_mapping(result: ImportResult, lang: str) -> list[Any]:
    """Which of the file's columns became which column of the layer."""
    children: list[Any] = []
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
    return children


def _report_columns(result: ImportResult, lang: str) -> list[Any]:
    """The file's columns left out, or kept (an editor asked), with the layer's."""
    children: list[Any] = []
    kind_title = layer_title(result.kind, lang) if result.kind in LAYER_KINDS else result.kind
    if result.dropped:
        children.append(
            html.P(
                t("report_dropped", lang, kind=kind_title, columns=_names(result.dropped)),
                className="zz-small zz-report-dropped",
                **{"data-dropped": "|".join(result.dropped[:MAX_NAMES_SHOWN])},
            )
        )
    kept = extra_columns(result)
    if kept:
        children.append(
            html.P(
                t("report_kept", lang, kind=kind_title, columns=_names(kept)),
                className="zz-small zz-report-kept",
                **{"data-kept": "|".join(kept[:MAX_NAMES_SHOWN])},
            )
        )
    return children


def _report_values(result: ImportResult, lang: str) -> list[Any]:
    """Values recognised and rewritten (aliases, spellings), per column."""
    children: list[Any] = []
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
    return children


def _report_problems(result: ImportResult, lang: str) -> list[Any]:
    """The problems, one row each (at most MAX_PROBLEMS_SHOWN), or that there are none."""
    children: list[Any] = []
    children.append(html.H4(t("report_problems", lang), className="zz-h4"))
    if not result.problems:
        children.append(html.P(t("report_no_problems", lang), className="zz-ok"))
    else:
        rows = []
        for p in result.problems[:MAX_PROBLEMS_SHOWN]:
            error = p.severity == "error"
            message = problem_text(p, result, lang)
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
    return children


def make_import_report(result: ImportResult, lang: str) -> html.Div:
    """The report of one import: file, format, encoding (and a warning when it looks wrong), CRS,
    summary, columns used, left out or kept, recognised values, problems."""
    accepted, rejected = len(result.layer), len(result.rejected)
    errors, warnings = len(result.errors), len(result.warnings)
    children: list[Any] = [
        html.H3(t("report", lang), className="zz-h3"),
        html.P(_report_about(result, lang), className="zz-small"),
    ]
    children += [
        html.P(problem_text(p, result, lang), className="zz-warn zz-report-suspect", **{"data-warning": "encoding"})
        for p in result.warnings
        if p.row is None and message_values("encoding_suspect", p.message) is not None
    ]
    children += [
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
    children += _report_mapping(result, lang)
    children += _report_columns(result, lang)
    children += _report_values(result, lang)
    children += _report_problems(result, lang)
    if not accepted:
        children.append(html.P(t("import_nothing", lang), className="zz-bad"))
    return html.Div(children, className="zz-report-content", **{"data-kind": result.kind})
