"""The district choropleth and its legend: colours, underserved outline, tooltips.

The JS style function (``zzgeo.districtStyle``) reads the district layer's ``hideout``;
geometry never changes. The indicator and colour pickers switch between views the server
sent for all of them (``zzgeo.applyIndicator``): no server round trip.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, dcc, html

from app import ids
from app.context import AppContext
from app.i18n import district_name, indicator_label, indicator_title, indicator_value, population_status, t
from app.state import PALETTE_NAMES, ViewState
from zzgeo.classes import NO_DATA_COLOR, Scheme, district_rows, fmt_indicator, fmt_number, target_of
from zzgeo.indicators import INDICATORS


def make_district_tips(
    table: pd.DataFrame, indicator: str, lang: str, records: list[dict[str, Any]] | None = None
) -> dict[str, list[str]]:
    """Tooltip lines per adcode (plain text; the browser escapes them).

    ``records``: ``district_rows(table).to_dict("records")`` when already at hand.
    """
    tips = {}
    for row in district_rows(table).to_dict("records") if records is None else records:
        code = str(row["adcode"])
        name, other = district_name(row, lang), row["name_zh"] if lang == "en" else row["name_en"]
        # an area without a name in the other language (name_en = name_zh): its name once
        lines = [f"{name} · {other}" if isinstance(other, str) and other and other != name else name]
        value = fmt_indicator(row[indicator], indicator)
        line = t(
            "tip_value", lang, title=indicator_title(indicator, lang), value=indicator_value(indicator, value, lang)
        )
        proposed = int(row.get("proposed_sites", 0) or 0)
        if proposed:
            line += f" ({t('tip_with_proposed', lang, n=proposed)})"
        lines.append(line.strip())
        lines.append(
            t(
                "tip_population",
                lang,
                value=fmt_number(row["population"]),
                year=row["population_year"],
                status=population_status(str(row["population_status"]), lang),
            )
        )
        if bool(row.get("underserved")):
            lines.append(t("tip_under", lang))
        tips[code] = lines
    return tips


def _fills(rows: pd.DataFrame, scheme: Scheme) -> dict[str, str]:
    """Fill colour per district adcode (``rows``: :func:`district_rows`) of ``scheme``'s indicator."""
    return {str(code): scheme.color(value) for code, value in zip(rows["adcode"], rows[scheme.indicator], strict=True)}


def _underserved(rows: pd.DataFrame) -> list[str]:
    """Adcodes of the districts below the target (``rows``: :func:`district_rows`)."""
    return sorted(str(c) for c in rows.loc[rows["underserved"].astype(bool), "adcode"])


def hideout_of(
    scheme: Scheme, palette_name: str, rows: pd.DataFrame, under: list[str], tips: dict[str, list[str]], **view: Any
) -> dict[str, Any]:
    """The district layer's hideout of one indicator in one colour scheme (``view``: selected, dim)."""
    return {
        "indicator": scheme.indicator,
        "palette": palette_name,
        "fill": _fills(rows, scheme),
        "under": under,
        "selected": view.get("selected"),
        "dim": bool(view.get("dim", False)),
        "tips": tips,
    }


def make_legend(scheme: Scheme, table: pd.DataFrame, lang: str, *, title: str | None = None) -> list[Any]:
    """Children of the legend box: classes with units, the target marking, point symbols.

    ``title``: instead of the indicator with its unit (the change map's "change from … to …").
    """
    indicator = scheme.indicator
    year = table.attrs.get("year")
    target = target_of(table)
    items: list[Any] = []
    if scheme.breaks or indicator != "gap_sites" or target is not None:
        for i, (color, label) in enumerate(zip(scheme.colors, scheme.labels(), strict=True)):
            items.append(
                html.Li(
                    [html.Span(className="zz-swatch", style={"background": color}), html.Span(label)],
                    **{"data-class": str(i), "data-color": color},
                )
            )
    if indicator == "gap_sites" and target is None:
        items = [
            html.Li(
                [
                    html.Span(className="zz-swatch", style={"background": NO_DATA_COLOR}),
                    t("legend_no_target", lang, year=year),
                ],
                **{"data-class": "none"},
            )
        ]
    else:
        items.append(
            html.Li(
                [html.Span(className="zz-swatch", style={"background": NO_DATA_COLOR}), t("legend_no_data", lang)],
                **{"data-class": "none"},
            )
        )
    if target is not None:
        items.append(
            html.Li(
                [html.Span(className="zz-swatch zz-swatch-under"), t("legend_below_target", lang)],
                className="zz-legend-under",
            )
        )
    children: list[Any] = [
        html.Div(
            [html.Strong(title or indicator_label(indicator, lang))],
            className="zz-legend-title",
        ),
        html.Ul(items, className="zz-legend-classes"),
    ]
    # point symbols are explained beside the layer toggles and the operator filter
    symbols = [html.Li([html.Span(className="zz-dot zz-dot-proposed"), t("legend_proposed", lang)])]
    children.append(html.Ul(symbols, className="zz-legend-symbols"))
    return [
        html.Div(
            children,
            className="zz-legend-content",
            **{"data-indicator": indicator, "data-target-based": "true" if scheme.target_based else "false"},
        )
    ]


def make_pickers(state: ViewState) -> list[Any]:
    """The indicator and colour pickers (their changes are applied in the browser)."""
    lang = state.lang
    return [
        html.Label(t("indicator", lang), htmlFor=ids.INDICATOR, className="zz-label"),
        dcc.Dropdown(
            id=ids.INDICATOR,
            options=[{"label": indicator_label(k, lang), "value": k} for k in INDICATORS],
            value=state.indicator,
            clearable=False,
            searchable=False,
            className="zz-dropdown",
        ),
        html.Label(t("palette", lang), htmlFor=ids.PALETTE, className="zz-label"),
        dcc.Dropdown(
            id=ids.PALETTE,
            options=[{"label": t(f"palette_{name}", lang), "value": name} for name in PALETTE_NAMES],
            value=state.palette,
            clearable=False,
            searchable=False,
            className="zz-dropdown",
        ),
    ]


def register(app: dash.Dash, ctx: AppContext) -> None:
    """The indicator and colour pickers (in the browser)."""
    app.clientside_callback(  # indicator and colours: in the browser, no server round trip
        ClientsideFunction(namespace="zzgeo", function_name="applyIndicator"),
        Output(ids.DISTRICTS, "hideout"),
        Output(ids.LEGEND, "children"),
        Output(ids.GRID, "columnDefs"),
        Output(ids.GRID, "rowData"),
        Output(ids.LANG_LINK, "href", allow_duplicate=True),
        Input(ids.INDICATOR, "value"),
        Input(ids.PALETTE, "value"),
        Input(ids.VIEWS, "data"),
        State(ids.LANG_LINK, "href"),
        prevent_initial_call=True,
    )
