"""Pure builders of the app's components and of the data they show.

Every ``make_*`` function takes plain values (a view state, an indicator table, a
language) and returns Dash components or JSON-ready dicts; nothing here reads files or
calls back. The callbacks in :mod:`app.callbacks` compute with zzgeo and call these.

Testing hooks (for browser tests): district paths carry the classes ``zz-district``,
``zz-d-<adcode>`` and, when below the target, ``zz-under`` (their ``fill`` attribute is
the class colour); cards carry ``data-value``; the legend's content
(``#legend > .zz-legend-content``) carries ``data-indicator`` and one ``li[data-class]``
per class; the panel carries ``data-adcode`` and its coverage cells
``td[data-indicator=coverage_pct]``; grid rows have ``row-id=<adcode>``. Hexagons are
paths with the class ``zz-hex`` and ``zz-hex-c<class>`` (counts) or ``zz-gap`` (gaps);
the hexagon legend (``#hex-legend .zz-legend-hex``) carries ``data-res`` and per
overlay ``data-cells`` (the number of hexagons sent). The import report carries ``data-read``/``data-accepted``/
``data-rejected``; its tables have ``tr[data-source]`` (mapping), ``tr[data-row]``
(problems); the list of imports has ``tr[data-entry=<id>]``.

Every value from a user's file is passed to Dash as a string child (React escapes it);
nothing here builds HTML or Markdown from data.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import dash_ag_grid as dag
import dash_leaflet as dl
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from app import ids
from app.hexes import COVERAGE_COLUMNS, coverage_note, radius_text
from app.i18n import (
    STRINGS,
    district_name,
    indicator_label,
    indicator_title,
    indicator_value,
    layer_title,
    operator_name,
    part_name,
    population_status,
    status_name,
    t,
    target_status,
)
from app.state import (
    DEFAULT_INDICATOR,
    DEFAULT_PALETTE,
    HEX_KINDS,
    HEX_RESOLUTIONS,
    PALETTE_NAMES,
    POINT_LAYERS,
    QUERY_ORDER,
    YEARS,
    ViewState,
    to_query,
)
from zzgeo.crs import CRS_CHOICES, CoordinateSystem
from zzgeo.districts import CITY_ADCODE
from zzgeo.imports import ImportResult
from zzgeo.indicators import INDICATORS
from zzgeo.layers import LAYER_KINDS, OPERATORS, STATUSES
from zzgeo.plan import PLAN_PARTS

# ---------------------------------------------------------------------------------------
# constants

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
TIANDITU_URL = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={token}"
)
TIANDITU_ATTRIBUTION = '&copy; <a href="https://www.tianditu.gov.cn/">天地图 Tianditu</a>'

#: Okabe-Ito colours (colour-blind safe) per operator
OPERATOR_COLORS = {
    "China Mobile": "#0072B2",
    "China Telecom": "#009E73",
    "China Unicom": "#D55E00",
    "China Broadnet": "#CC79A7",
}
PART_SYMBOLS = {"five_new": "diamond", "integration": "triangle", "innovation": "circle"}
NO_DATA_COLOR = "#d9d9d9"
EMPTY_FC: dict[str, Any] = {"type": "FeatureCollection", "features": []}
ZOOM_SNAP = 0.25
#: map fits leave room for the legend at the bottom right (on a phone it sits below the
#: map, and the browser uses PHONE_FIT_OPTIONS instead: see zzgeo.fitView)
FIT_OPTIONS = {"paddingTopLeft": [10, 10], "paddingBottomRight": [130, 10]}
PHONE_FIT_OPTIONS = {"paddingTopLeft": [10, 10], "paddingBottomRight": [10, 10]}

#: ColorBrewer 5-class sequential schemes per indicator (light = low value)
STANDARD_PALETTES = {
    "sites_per_10k": ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
    "sites_per_100km2": ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"),
    "sites": ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),
    "gap_sites": ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),
    "residents_per_site": ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"),
}
#: viridis at 5 classes, light (low) to dark (high): perceptually even, colour-blind safe
VIRIDIS = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
#: ColorBrewer Greys, light (low) to dark (high): prints on a black-and-white printer
GREYS = ("#f7f7f7", "#cccccc", "#969696", "#636363", "#252525")
#: colour scheme (app.state.PALETTES) -> indicator -> 5 colours, light (low) to dark (high)
PALETTES: dict[str, dict[str, tuple[str, ...]]] = {
    "standard": STANDARD_PALETTES,
    "cb": dict.fromkeys(STANDARD_PALETTES, VIRIDIS),
    "grey": dict.fromkeys(STANDARD_PALETTES, GREYS),
}
#: Sites per 10,000 residents against the target, per colour scheme: two classes below the
#: target, three at or above (standard: ColorBrewer RdBu; cb: PuOr; grey: Greys)
TARGET_PALETTES = {
    "standard": ("#ca0020", "#f4a582", "#fddbc7", "#92c5de", "#0571b0"),
    "cb": ("#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"),
    "grey": GREYS,
}
TARGET_PALETTE = TARGET_PALETTES["standard"]
TARGET_SHARES = (0.5, 0.75, 1.0, 1.25)
#: problems listed in the import report (all of them are in the rejected-rows CSV)
MAX_PROBLEMS_SHOWN = 200
#: longest value shown in a report cell (characters)
MAX_CELL_CHARS = 160


@dataclass(frozen=True)
class ImportEntry:
    """One import stored in the workspace (a row of ``Workspace.entries()``)."""

    id: str
    kind: str
    file: str
    imported_at: str  # ISO 8601, UTC
    rows_accepted: int
    rows_rejected: int
    mode: str  # "add" or "replace"
    crs: str = ""


@dataclass(frozen=True)
class PageMeta:
    """Static facts the page builders need (from the loaded data)."""

    urls: Mapping[str, str]  # payload name -> URL of its GeoJSON (the 5G sites are fetched)
    bounds: list[list[float]]  # [[south, west], [north, east]] of the city
    geojson: Mapping[str, dict[str, Any]] = field(default_factory=dict)  # small layers, sent inline
    tianditu_token: str | None = None
    layer_errors: Mapping[str, str] = field(default_factory=dict)
    layer_totals: Mapping[str, int] = field(default_factory=dict)
    task_names: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # key -> (zh, en)
    imports: Sequence[ImportEntry] = ()  # the workspace's imports, oldest first
    data_version: str = ""  # changes whenever the data shown changes (imports accepted/removed)
    max_upload_mb: float = 50.0
    workspace_error: str | None = None
    h3_url: str = "/assets/vendor/h3-js-4.5.0.umd.js"  # loaded when a hexagon overlay is first shown


# ---------------------------------------------------------------------------------------
# formatting


def fmt_number(value: Any, decimals: int = 0) -> str:
    """``1234.5`` -> ``"1,234.5"``; missing values -> ``"—"``."""
    if value is None or value is pd.NA:
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "—"
    if not math.isfinite(number):
        return "—"
    return f"{number:,.{decimals}f}"


def fmt_indicator(value: Any, indicator: str) -> str:
    """A value of ``indicator`` with its decimals."""
    return fmt_number(value, INDICATORS[indicator].decimals)


# ---------------------------------------------------------------------------------------
# classes and colours


@dataclass(frozen=True)
class Scheme:
    """Classed colours of one indicator: class i covers ``breaks[i-1] <= v < breaks[i]``."""

    indicator: str
    breaks: tuple[float, ...]
    colors: tuple[str, ...]
    target_based: bool = False

    def recoloured(self, palette_name: str) -> Scheme:
        """The same classes in the colours of ``palette_name`` (:data:`PALETTES`)."""
        return replace(self, colors=_colors(self.indicator, len(self.colors), self.target_based, palette_name))

    def color(self, value: Any) -> str:
        """Fill colour of ``value`` (grey when missing)."""
        index = self.index(value)
        return NO_DATA_COLOR if index is None else self.colors[index]

    def index(self, value: Any) -> int | None:
        """Class index of ``value`` or None when missing."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        if not math.isfinite(number):
            return None
        return int(np.searchsorted(np.asarray(self.breaks, dtype=float), number, side="right"))

    def labels(self) -> list[str]:
        """Legend text of each class, e.g. ``"< 15"``, ``"15 – 22.5"``, ``"≥ 37.5"``.

        Whole-number indicators (site counts, gaps) get whole-number ranges such as
        ``"0"``, ``"1 – 119"``, ``"≥ 330"``.
        """
        decimals = INDICATORS[self.indicator].decimals
        if not self.breaks:
            return ["—"] * len(self.colors)
        if decimals == 0:
            edges = [math.ceil(b) for b in self.breaks]
            first = edges[0] - 1
            out = [fmt_number(first) if first <= 0 else f"≤ {fmt_number(first)}"]
            for lo, hi in itertools.pairwise(edges):
                out.append(fmt_number(lo) if hi - 1 <= lo else f"{fmt_number(lo)} – {fmt_number(hi - 1)}")
            out.append(f"≥ {fmt_number(edges[-1])}")
            return out
        shown = [fmt_number(b, decimals if b % 1 else 0) for b in self.breaks]
        out = [f"< {shown[0]}"]
        out += [f"{lo} – {hi}" for lo, hi in itertools.pairwise(shown)]
        out.append(f"≥ {shown[-1]}")
        return out


def _nice(value: float) -> float:
    """Round to two significant digits (1131 -> 1100, 32.74 -> 33, 0.456 -> 0.46)."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    digits = 1 - math.floor(math.log10(abs(value)))
    return float(round(value, digits))


def classify(
    values: Sequence[Any], indicator: str, target: float | None = None, palette_name: str = DEFAULT_PALETTE
) -> Scheme:
    """Class breaks and colours for the district values of ``indicator``.

    Sites per 10,000 residents with a plan target use fixed shares of the target
    (50 %, 75 %, 100 %, 125 %) on a diverging scale (red/blue in the standard colours), so
    "below the target" reads at a glance. Otherwise up to five classes at rounded
    quantiles of the values on a sequential scale (dark = high; for the gap, a zero gap
    has its own lightest class). ``palette_name`` (:data:`PALETTES`) changes the colours,
    never the classes.
    """
    if indicator not in STANDARD_PALETTES:
        raise KeyError(indicator)
    if indicator == "sites_per_10k" and target is not None and math.isfinite(target) and target > 0:
        breaks = tuple(_nice(target * s) for s in TARGET_SHARES)
        return Scheme(indicator, breaks, _colors(indicator, len(breaks) + 1, True, palette_name), target_based=True)
    numbers = np.array([float(v) for v in values if _finite(v)], dtype=float)
    if numbers.size == 0:
        return Scheme(indicator, (), _colors(indicator, 1, False, palette_name))
    if indicator == "gap_sites":
        positive = numbers[numbers > 0]
        inner = _quantile_breaks(positive, 4) if positive.size else []
        breaks = sorted({0.5, *[b for b in inner if b > 0.5]})
    else:
        breaks = _quantile_breaks(numbers, 5)
    return Scheme(indicator, tuple(breaks), _colors(indicator, len(breaks) + 1, False, palette_name))


def _colors(indicator: str, n: int, target_based: bool, palette_name: str) -> tuple[str, ...]:
    """The colours of ``n`` classes of ``indicator`` in ``palette_name`` (a lone class: the lightest)."""
    if palette_name not in PALETTES:
        raise KeyError(palette_name)
    if target_based:
        return TARGET_PALETTES[palette_name]
    palette = PALETTES[palette_name][indicator]
    return (palette[0],) if n == 1 else _spread(palette, n)


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _quantile_breaks(numbers: np.ndarray, classes: int) -> list[float]:
    qs = np.quantile(numbers, [i / classes for i in range(1, classes)])
    lo, hi = float(numbers.min()), float(numbers.max())
    return sorted({_nice(float(q)) for q in qs if lo < _nice(float(q)) <= hi})


def _spread(palette: Sequence[str], n: int) -> tuple[str, ...]:
    """``n`` colours spread over ``palette`` (keeping its lightest and darkest)."""
    if n >= len(palette):
        return tuple(palette)
    if n == 1:
        return (palette[len(palette) // 2],)
    idx = np.round(np.linspace(0, len(palette) - 1, n)).astype(int)
    return tuple(palette[i] for i in idx)


def target_of(table: pd.DataFrame) -> float | None:
    """The plan target (sites per 10,000 residents) of an indicator table, if any."""
    if "target_per_10k" not in table.columns or table.empty:
        return None
    value = pd.to_numeric(table["target_per_10k"], errors="coerce").dropna()
    return float(value.iloc[0]) if len(value) else None


def district_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of the 11 districts (without the city row)."""
    return table[table["adcode"].astype("str") != CITY_ADCODE]


def city_row(table: pd.DataFrame) -> pd.Series:
    """The city row."""
    return table[table["adcode"].astype("str") == CITY_ADCODE].iloc[0]


def scheme_for(table: pd.DataFrame, indicator: str, palette_name: str = DEFAULT_PALETTE) -> Scheme:
    """The :class:`Scheme` of ``indicator`` for this table's district values."""
    return classify(district_rows(table)[indicator].tolist(), indicator, target_of(table), palette_name)


# ---------------------------------------------------------------------------------------
# map: hideouts and legend


def make_district_tips(
    table: pd.DataFrame, indicator: str, lang: str, records: list[dict[str, Any]] | None = None
) -> dict[str, list[str]]:
    """Tooltip lines per adcode (plain text; the browser escapes them).

    ``records``: ``district_rows(table).to_dict("records")`` when already at hand.
    """
    tips = {}
    for row in district_rows(table).to_dict("records") if records is None else records:
        code = str(row["adcode"])
        other = row["name_zh"] if lang == "en" else row["name_en"]
        lines = [f"{district_name(row, lang)} · {other}"]
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


def _underserved(table: pd.DataFrame) -> list[str]:
    rows = district_rows(table)
    return sorted(str(c) for c in rows.loc[rows["underserved"].astype(bool), "adcode"])


def make_choropleth_hideout(
    table: pd.DataFrame,
    indicator: str,
    lang: str,
    *,
    selected: str | None = None,
    palette_name: str = DEFAULT_PALETTE,
) -> dict[str, Any]:
    """The ``hideout`` of the district layer: colours, underserved codes, tooltips.

    The JS style function (``zzgeo.districtStyle``) reads it; geometry never changes.
    The page's first paint uses it; afterwards the browser builds the same dict from
    :func:`make_views` (``zzgeo.applyIndicator``).
    """
    return {
        "indicator": indicator,
        "palette": palette_name,
        "fill": _fills(district_rows(table), scheme_for(table, indicator, palette_name)),
        "under": _underserved(table),
        "selected": selected,
        "tips": make_district_tips(table, indicator, lang),
    }


def make_legend(scheme: Scheme, table: pd.DataFrame, lang: str) -> list[Any]:
    """Children of the legend box: classes with units, the target marking, point symbols."""
    indicator = scheme.indicator
    year = table.attrs.get("year")
    items: list[Any] = []
    if scheme.breaks or indicator != "gap_sites" or target_of(table) is not None:
        for i, (color, label) in enumerate(zip(scheme.colors, scheme.labels(), strict=True)):
            items.append(
                html.Li(
                    [html.Span(className="zz-swatch", style={"background": color}), html.Span(label)],
                    **{"data-class": str(i), "data-color": color},
                )
            )
    if indicator == "gap_sites" and target_of(table) is None:
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
    target = target_of(table)
    if target is not None:
        items.append(
            html.Li(
                [html.Span(className="zz-swatch zz-swatch-under"), t("legend_below_target", lang)],
                className="zz-legend-under",
            )
        )
    children: list[Any] = [
        html.Div(
            [html.Strong(indicator_label(indicator, lang))],
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


def make_labels(lang: str, task_names: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    """Labels the JS tooltips need, in ``lang`` (the browser escapes every value)."""
    return {
        "lang": lang,
        "operators": {k: operator_name(k, lang) for k in OPERATORS},
        "operatorColors": dict(OPERATOR_COLORS),
        "statuses": {k: status_name(k, lang) for k in STATUSES},
        "parts": {k: part_name(k, lang) for k in PLAN_PARTS},
        "tasks": {k: (v[1] if lang == "en" else v[0]) for k, v in task_names.items()},
        "site": t("tip_site", lang),
        "cluster": t("tip_cluster", lang, n="{n}"),
        "proposed": t("tip_proposed", lang),
        "year": t("tip_year", lang),
        "band": t("tip_band", lang),
        "racks": t("tip_racks", lang),
        "power": t("tip_power", lang),
        "budget": t("tip_budget", lang),
        "task": t("tip_task", lang),
        "part": t("tip_part", lang),
        "source": t("tip_source", lang),
        "dataCenter": t("legend_data_center", lang),
        "project": layer_title("smart_projects", lang),
    }


# ---------------------------------------------------------------------------------------
# cards, ranking, panel


def _card(
    card_id: str, label: str, value: str, sub: list[Any] | str, data_value: Any, extra: dict[str, Any] | None = None
):
    attrs = {"data-value": str(data_value)}
    attrs.update(extra or {})
    return html.Div(
        [
            html.Div(label, className="zz-card-label"),
            html.Div(value, className="zz-card-value"),
            html.Div(sub, className="zz-card-sub"),
        ],
        id=card_id,
        className="zz-card",
        role="group",
        **{"aria-label": label},
        **attrs,
    )


def make_cards(table: pd.DataFrame, lang: str) -> list[Any]:
    """The three summary cards: total sites, city-wide density vs target, underserved districts."""
    city = city_row(table)
    year = table.attrs.get("year")
    rows = district_rows(table)
    proposed = int(city.get("proposed_sites", 0) or 0)
    sites_sub = [t("card_as_of", lang, year=year)]
    if proposed:
        sites_sub.append(
            html.Span(" · " + t("card_proposed", lang, n=fmt_number(proposed)), className="zz-proposed-text")
        )
    target = target_of(table)
    density = float(city["sites_per_10k"])
    if target is not None:
        status = t("meets_target", lang) if density >= target else t("below_target", lang)
        density_sub: list[Any] = [
            t(
                "card_target",
                lang,
                value=fmt_number(target, 0),
                year=year,
                status=target_status(city["target_status"], lang),
            ),
            html.Span(" · " + status, className="zz-ok" if density >= target else "zz-bad"),
        ]
    else:
        density_sub = [t("card_no_target", lang, year=year)]
    under = int(rows["underserved"].astype(bool).sum())
    return [
        _card(
            ids.CARD_SITES,
            t("card_sites", lang),
            fmt_number(city["sites"]),
            sites_sub,
            int(city["sites"]),
            {"data-proposed": str(proposed)},
        ),
        _card(
            ids.CARD_DENSITY,
            t("card_density", lang),
            fmt_number(density, 1),
            density_sub,
            round(density, 1),
            {"data-target": "" if target is None else str(target)},
        ),
        _card(
            ids.CARD_UNDERSERVED,
            t("card_underserved", lang),
            t("card_of", lang, n=under, total=len(rows)),
            [t("card_as_of", lang, year=year)] if target is not None else [t("card_no_target", lang, year=year)],
            under,
        ),
    ]


def make_grid_columns(indicator: str, lang: str, *, proposals: bool = False) -> list[dict[str, Any]]:
    """Column definitions of the ranking grid (sorted by the chosen indicator)."""
    spec = INDICATORS[indicator]
    number = {"type": "numericColumn", "filter": False, "wrapHeaderText": True, "autoHeaderHeight": True}
    wrap = {"wrapText": True, "autoHeight": True, "cellClass": "zz-cell-wrap"}
    cols: list[dict[str, Any]] = [
        {"field": "rank", "headerName": t("col_rank", lang), "width": 72, **number, "wrapHeaderText": False},
        # long (English) names wrap instead of being cut off
        {"field": "name", "headerName": t("col_district", lang), "flex": 1, "minWidth": 110, **wrap},
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
                "headerTooltip": coverage_note(lang),
                "valueFormatter": percent,
                "width": 92,
                "wrapHeaderText": True,
                "autoHeaderHeight": True,
                **number,
            }
        )
    cols += [
        {"field": "population", "headerName": t("col_population", lang), "width": 104, "type": "rightAligned"},
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
                "population": fmt_number(row["population"]) + ("*" if pop_status == "derived" else ""),
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
    return round(float(value), 1) if _finite(value) else None


def make_views(
    table: pd.DataFrame, lang: str, *, selected: str | None = None, dim: bool = False, proposals: bool = False
) -> dict[str, Any]:
    """What the indicator picker and the colour choice switch between, for one view state.

    Colours and legends of every indicator in every colour scheme, tooltips, ranking
    columns and rows of every indicator (a few kB once compressed). The browser
    (``zzgeo.applyIndicator``) picks one indicator and scheme and sets the district
    hideout (as :func:`make_choropleth_hideout` builds it), the legend and the ranking:
    changing either needs no server round trip.

    ``dim``: fainter districts (under hexagon overlays); ``proposals``: the ranking
    shows a column of proposed sites.
    """
    fill: dict[str, dict[str, dict[str, str]]] = {}
    legend: dict[str, dict[str, list[Any]]] = {}
    rows = district_rows(table)
    records = rows.to_dict("records")
    for indicator in INDICATORS:
        classes = scheme_for(table, indicator)
        schemes = {name: classes.recoloured(name) for name in PALETTE_NAMES}
        fill[indicator] = {name: _fills(rows, scheme) for name, scheme in schemes.items()}
        legend[indicator] = {name: make_legend(scheme, table, lang) for name, scheme in schemes.items()}
    return {
        "hideout": {
            "fill": fill,
            "tips": {indicator: make_district_tips(table, indicator, lang, records) for indicator in INDICATORS},
            "under": _underserved(table),
            "selected": selected,
            "dim": dim,
            "visible": True,
        },
        "legend": legend,
        "columns": {indicator: make_grid_columns(indicator, lang, proposals=proposals) for indicator in INDICATORS},
        "rows": {indicator: make_grid_rows(table, indicator, lang, records) for indicator in INDICATORS},
    }


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


# ---------------------------------------------------------------------------------------
# page


def make_shell(page: list[Any] | None = None, html_lang: str | None = None, lang: str | None = None) -> html.Div:
    """The top-level layout: a location that triggers the first render, and the page.

    With ``page`` (and its ``<html lang>`` value and language) the page comes with the
    layout; without, the first-render callback builds it from the URL.
    """
    return html.Div(
        [
            dcc.Location(id=ids.URL_INIT, refresh=False),
            dcc.Store(id=ids.RENDERED, data=lang if page else None),
            dcc.Store(id=ids.DOC_LANG, data=None),
            html.Div(page or [], id=ids.PAGE, className="zz-page", lang=html_lang if page else None),
        ],
        className="zz-app",
    )


def fit_request(bounds: Sequence[Sequence[float]], *, initial: bool = False) -> dict[str, Any]:
    """A VIEW_REQUEST that fits ``bounds``: the desktop padding (room for the legend) and
    the phone padding (the legend sits below the map); ``zzgeo.fitView`` picks one.

    ``initial``: the page's first fit, which the map already did with desktop padding.
    """
    out: dict[str, Any] = {
        "bounds": [list(b) for b in bounds],
        "options": FIT_OPTIONS,
        "phoneOptions": PHONE_FIT_OPTIONS,
    }
    if initial:
        out["initial"] = True
    return out


def make_config(meta: PageMeta) -> dict[str, Any]:
    """What the browser needs: payload URLs, the h3-js script's URL, the query string's rules.

    ``query``: the parameters the browser writes itself (indicator, colours), their
    defaults (left out of the URL) and allowed values, and the order of all parameters
    (as :func:`app.state.to_query` writes them).
    """
    return {
        "urls": dict(meta.urls),
        "h3": meta.h3_url,
        "query": {
            "order": list(QUERY_ORDER),
            "params": {
                "ind": {"default": DEFAULT_INDICATOR, "allowed": list(INDICATORS), "control": ids.INDICATOR},
                "pal": {"default": DEFAULT_PALETTE, "allowed": list(PALETTE_NAMES), "control": ids.PALETTE},
            },
        },
    }


def make_stores(meta: PageMeta, state: ViewState | None = None) -> list[Any]:
    """The page's location, stores and download (the view state lives here).

    Without a map view in the URL the map is fitted to the city; the view request asks
    the browser to redo that fit with phone padding when the legend is below the map.
    """
    home = state is None or state.center is None or state.zoom is None
    return [
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.URL_REPLACE, data=None),
        dcc.Store(id=ids.URL_REPLACED, data=None),
        dcc.Store(id=ids.CONFIG, data=make_config(meta)),
        dcc.Store(id=ids.VIEW_REQUEST, data=fit_request(meta.bounds, initial=True) if home else None),
        dcc.Store(id=ids.HEX_REQUEST, data=None),
        dcc.Store(id=ids.HEX_DATA, data=None),
        dcc.Store(id=ids.STATE, data=None),
        dcc.Store(id=ids.VIEWS, data=None),
        dcc.Store(id=ids.PROPOSALS, data=None, storage_type="session"),
        dcc.Store(id=ids.ACCEPTED, data=None, storage_type="session"),
        dcc.Store(id=ids.DRAWN, data=[]),  # leaflet ids of drawn points already taken
        dcc.Store(id=ids.DATA_VERSION, data=meta.data_version),
        dcc.Download(id=ids.DOWNLOAD),
    ]


def make_synthetic_note(imports: Sequence[ImportEntry], lang: str) -> str:
    """The note on where the point layers come from.

    Without imports: the layers are a synthetic sample. With imports, per kind: "your
    data (from ...)" when an import replaces the sample, "the sample mixed with N imported
    rows (from ...)" when imports were added; the kinds left as they were are still
    called a synthetic sample.
    """
    if not imports:
        return t("synthetic_note", lang)
    sep = t("list_sep", lang)
    sample: list[str] = []
    parts: list[str] = []
    for kind in POINT_LAYERS:
        mine = [e for e in imports if e.kind == kind]
        if not mine:
            sample.append(layer_title(kind, lang))
            continue
        files = sep.join(dict.fromkeys(e.file for e in mine))
        if any(e.mode == "replace" for e in mine):
            parts.append(t("note_replaced", lang, layer=layer_title(kind, lang), files=files))
        else:
            n = sum(e.rows_accepted for e in mine)
            parts.append(t("note_mixed", lang, layer=layer_title(kind, lang), n=fmt_number(n), files=files))
    if sample:
        parts.insert(0, t("note_sample", lang, layers=sep.join(sample)))
    parts.append(t("note_base", lang))
    return ("" if lang == "zh" else " ").join(parts)


def make_header(state: ViewState, imports: Sequence[ImportEntry] = ()) -> html.Header:
    """Title, the note on the data (synthetic sample / imports) and the language switch."""
    lang = state.lang
    other = "en" if lang == "zh" else "zh"
    return html.Header(
        [
            html.Div(
                [html.H1(t("app_title", lang), id=ids.TITLE), html.P(t("app_subtitle", lang), className="zz-subtitle")],
                className="zz-titles",
            ),
            html.A(
                t("switch_lang", lang),
                id=ids.LANG_LINK,
                href=to_query(state.with_lang(other)) or "?",
                className="zz-lang",
                lang="en" if other == "en" else "zh-CN",
                title=t("switch_lang_label", lang),
                **{"aria-label": t("switch_lang_label", lang)},
            ),
            html.P(make_synthetic_note(imports, lang), id=ids.SYNTHETIC_NOTE, className="zz-note", role="note"),
        ],
        className="zz-header",
    )


def _fieldset(legend: str, child: Any, fid: str) -> html.Fieldset:
    return html.Fieldset([html.Legend(legend, id=f"{fid}-legend"), child], className="zz-fieldset")


def _radio_fieldset(legend: str, fid: str, options: list[tuple[str, str]], value: str) -> html.Fieldset:
    """A labelled group of radio buttons; ``options`` are (label, value) pairs."""
    radios = dcc.RadioItems(
        id=fid,
        options=[{"label": label, "value": v} for label, v in options],
        value=value,
        className="zz-checklist",
    )
    return _fieldset(legend, radios, fid)


def make_controls(state: ViewState, meta: PageMeta) -> html.Section:
    """Indicator picker, year slider, operator/status filters and layer toggles."""
    lang = state.lang
    layer_options = []
    symbol = {
        "5g_sites": html.Span(className="zz-dot zz-dot-site"),
        "data_centers": html.Span(className="zz-sym zz-sym-dc zz-sym-inline"),
        "smart_projects": html.Span(
            [
                html.Span(className=f"zz-sym zz-sym-{part} zz-sym-inline", title=part_name(part, lang))
                for part in PLAN_PARTS
            ],
            className="zz-syms",
        ),
    }
    for kind in POINT_LAYERS:
        error = meta.layer_errors.get(kind)
        label = html.Span(
            [
                symbol[kind],
                html.Span(layer_title(kind, lang)),
                html.Span(
                    "" if error else "…",
                    id={"type": ids.LAYER_COUNT, "index": kind},
                    className="zz-count",
                    **{"data-kind": kind},
                ),
            ],
            className="zz-opt",
        )
        layer_options.append({"label": label, "value": kind, "disabled": bool(error)})
    return html.Section(
        [
            html.H2(t("controls", lang), className="zz-h2"),
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
            html.Label(t("year", lang), htmlFor=ids.YEAR, className="zz-label", id=f"{ids.YEAR}-label"),
            dcc.Slider(
                id=ids.YEAR,
                min=YEARS[0],
                max=YEARS[-1],
                step=1,
                value=state.year,
                marks={y: {"label": str(y)} for y in YEARS},
                allow_direct_input=False,
                className="zz-slider",
            ),
            _fieldset(
                t("operator", lang),
                dcc.Checklist(
                    id=ids.OPERATORS,
                    options=[
                        {
                            "label": html.Span(
                                [
                                    html.Span(className="zz-dot", style={"background": OPERATOR_COLORS[k]}),
                                    operator_name(k, lang),
                                ],
                                className="zz-opt",
                            ),
                            "value": k,
                        }
                        for k in OPERATORS
                    ],
                    value=list(state.operators),
                    className="zz-checklist",
                ),
                ids.OPERATORS,
            ),
            _fieldset(
                t("status", lang),
                dcc.Checklist(
                    id=ids.STATUSES,
                    options=[{"label": status_name(k, lang), "value": k} for k in STATUSES],
                    value=list(state.statuses),
                    className="zz-checklist",
                ),
                ids.STATUSES,
            ),
            _fieldset(
                t("layers", lang),
                html.Div(
                    [
                        dcc.Checklist(
                            id=ids.LAYERS, options=layer_options, value=list(state.layers), className="zz-checklist"
                        ),
                        html.Ul(
                            [
                                html.Li(
                                    [html.Span(className=f"zz-sym zz-sym-{part} zz-sym-inline"), part_name(part, lang)]
                                )
                                for part in PLAN_PARTS
                            ],
                            className="zz-part-legend zz-small",
                            **{"aria-label": layer_title("smart_projects", lang)},
                        ),
                    ]
                ),
                ids.LAYERS,
            ),
            make_hex_controls(state),
            *[
                html.P(
                    t("error_layer_missing", lang, layer=layer_title(k, lang), message=msg), className="zz-bad zz-small"
                )
                for k, msg in meta.layer_errors.items()
            ],
            # scrolls to the import panel (zzgeo.js); a link would change the URL's hash
            html.Button(
                t("import_jump", lang),
                className="zz-btn zz-btn-link",
                type="button",
                **{"data-scroll-to": ids.IMPORT},
            ),
        ],
        id=ids.CONTROLS,
        className="zz-section",
    )


def make_hex_controls(state: ViewState) -> html.Fieldset:
    """Hexagon overlays (off by default: site counts, coverage gaps) and their resolution."""
    lang = state.lang
    swatch = {
        "counts": html.Span(className="zz-swatch zz-swatch-hex zz-swatch-counts"),
        "gaps": html.Span(className="zz-swatch zz-swatch-hex zz-swatch-gaps"),
    }
    return _fieldset(
        t("hex_overlays", lang),
        html.Div(
            [
                dcc.Checklist(
                    id=ids.HEXES,
                    options=[
                        {"label": html.Span([swatch[k], t(f"hex_{k}", lang)], className="zz-opt"), "value": k}
                        for k in HEX_KINDS
                    ],
                    value=list(state.hexes),
                    className="zz-checklist",
                ),
                html.Fieldset(
                    [
                        html.Legend(t("hex_resolution", lang), id=f"{ids.HEX_RES}-legend"),
                        dcc.RadioItems(
                            id=ids.HEX_RES,
                            options=[{"label": t(f"hex_res_{r}", lang), "value": r} for r in HEX_RESOLUTIONS],
                            value=state.resolution,
                            className="zz-checklist",
                        ),
                    ],
                    className="zz-fieldset zz-fieldset-inner",
                ),
                html.P(t("hex_help", lang, radii=radius_text(lang)), className="zz-small zz-muted zz-hex-help"),
            ]
        ),
        ids.HEXES,
    )


def make_whatif(lang: str) -> html.Section:
    """What-if controls: N, allocation rule, operator, suggest/clear/accept/export."""
    return html.Section(
        [
            html.H2(t("whatif", lang), className="zz-h2"),
            html.P(t("whatif_help", lang), className="zz-small zz-muted"),
            html.Label(t("whatif_n", lang), htmlFor=ids.WHATIF_N, className="zz-label"),
            dcc.Input(id=ids.WHATIF_N, type="number", min=1, max=5000, step=1, value=40, className="zz-input"),
            _radio_fieldset(
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


def _js(name: str) -> dict[str, str]:
    """Reference to a function in ``app/assets/zzgeo.js`` (``window.zzgeo.<name>``)."""
    return {"variable": f"zzgeo.{name}"}


def make_point_hideout(kind: str, state: ViewState, labels: Mapping[str, Any]) -> dict[str, Any]:
    """Hideout of a small point layer: labels and the filters its JS filter reads.

    The same dict is built in the browser (``zzgeo.pointHideouts``) when the filters change.
    """
    return {
        "labels": dict(labels),
        "visible": kind in state.layers,
        "year": state.year,
        "statuses": list(state.statuses),
    }


def make_map(state: ViewState, meta: PageMeta, district_hideout: dict[str, Any] | None = None) -> dl.MapContainer:
    """The Leaflet map: base layers, district choropleth, point layers, what-if drawing."""
    lang = state.lang
    base = [
        dl.BaseLayer(
            dl.TileLayer(url=OSM_URL, attribution=OSM_ATTRIBUTION, maxZoom=18),
            name=t("basemap_osm", lang),
            checked=True,
        )
    ]
    if meta.tianditu_token:
        tiles = [
            dl.TileLayer(
                url=TIANDITU_URL.format(layer=name, token=meta.tianditu_token),
                subdomains="01234567",
                attribution=TIANDITU_ATTRIBUTION,
                maxZoom=18,
            )
            for name in ("vec", "cva")
        ]
        base.append(dl.BaseLayer(dl.LayerGroup(tiles), name=t("basemap_tianditu", lang), checked=False))
    base.append(dl.BaseLayer(dl.LayerGroup([]), name=t("basemap_none", lang), checked=False))
    labels = make_labels(lang, meta.task_names)
    # dash-leaflet needs a centre and zoom from the start; without a view in the URL the
    # map is then fitted to Zhangzhou (the "home" view, which depends on the window size)
    view: dict[str, Any]
    if state.center is not None and state.zoom is not None:
        view = {"center": list(state.center), "zoom": state.zoom}
    else:
        (south, west), (north, east) = meta.bounds
        view = {
            "center": [round((south + north) / 2, 5), round((west + east) / 2, 5)],
            "zoom": 9,
            # leave room for the legend at the bottom right (a phone refits: zzgeo.fitView)
            "viewport": {"bounds": meta.bounds, "options": FIT_OPTIONS},
        }
    children: list[Any] = [
        dl.LayersControl(base, id=ids.LAYERS_CONTROL, position="topright", collapsed=True),
        dl.GeoJSON(
            id=ids.DISTRICTS,
            data=meta.geojson.get("districts", EMPTY_FC),
            style=_js("districtStyle"),
            onEachFeature=_js("districtEach"),
            hideout=district_hideout or {"fill": {}, "under": [], "selected": None, "tips": {}},
        ),
        dl.Pane(
            [
                dl.GeoJSON(
                    id=ids.HEX_GAPS,
                    data=EMPTY_FC,
                    style=_js("hexStyle"),
                    onEachFeature=_js("hexEach"),
                    hideout={"kind": "gaps"},
                ),
                dl.GeoJSON(
                    id=ids.HEX_COUNTS,
                    data=EMPTY_FC,
                    style=_js("hexStyle"),
                    onEachFeature=_js("hexEach"),
                    hideout={"kind": "counts"},
                ),
            ],
            name="zzhexes",
        ),
        dl.Pane(
            [
                dl.GeoJSON(
                    id=ids.SITES,
                    data={"type": "FeatureCollection", "features": []},
                    cluster=True,
                    clusterToLayer=_js("siteCluster"),
                    zoomToBoundsOnClick=True,
                    superClusterOptions={"radius": 50, "maxZoom": 14},
                    pointToLayer=_js("sitePoint"),
                    onEachFeature=_js("siteEach"),
                    hideout={"labels": labels},
                ),
                dl.GeoJSON(
                    id=ids.PROPOSED,
                    data={"type": "FeatureCollection", "features": []},
                    pointToLayer=_js("proposedPoint"),
                    onEachFeature=_js("proposedEach"),
                    hideout={"labels": labels},
                ),
            ],
            name="zzpoints",
        ),
        dl.GeoJSON(
            id=ids.DATA_CENTERS,
            data=meta.geojson.get("data_centers", EMPTY_FC),
            filter=_js("pointFilter"),
            pointToLayer=_js("dataCenterPoint"),
            onEachFeature=_js("dataCenterEach"),
            hideout=make_point_hideout("data_centers", state, labels),
        ),
        dl.GeoJSON(
            id=ids.SMART_PROJECTS,
            data=meta.geojson.get("smart_projects", EMPTY_FC),
            filter=_js("pointFilter"),
            pointToLayer=_js("projectPoint"),
            onEachFeature=_js("projectEach"),
            hideout=make_point_hideout("smart_projects", state, labels),
        ),
        dl.FeatureGroup(
            dl.EditControl(
                id=ids.EDIT,
                position="topleft",
                draw={
                    "polyline": False,
                    "polygon": False,
                    "rectangle": False,
                    "circle": False,
                    "marker": False,
                    "circlemarker": {
                        "radius": 7,
                        "color": "#000000",
                        "weight": 2,
                        "fillColor": "#ffd700",
                        "fillOpacity": 1,
                    },
                },
                # the remove tool stays (hidden by CSS): the app empties the drawing layer with it
                edit={"edit": False},
            )
        ),
        dl.ScaleControl(position="bottomleft", imperial=False),
        dl.FullScreenControl(position="topleft"),
    ]
    return dl.MapContainer(
        children,
        id=ids.MAP,
        className="zz-map",
        minZoom=6,
        maxZoom=18,
        zoomSnap=ZOOM_SNAP,
        **view,
    )


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


def make_page(
    state: ViewState,
    meta: PageMeta,
    district_hideout: dict[str, Any] | None = None,
    *,
    tab: str = "",
    cards: list[Any] | None = None,
) -> list[Any]:
    """The whole page for ``state`` (its language and initial control values).

    ``district_hideout`` (from :func:`make_choropleth_hideout`) colours the districts
    and ``cards`` (:func:`make_cards`) fill the summary from the first paint, so nothing
    moves when the callbacks' answers arrive. ``tab`` names this page load (see
    :class:`app.callbacks.Tickets`).
    """
    lang = state.lang
    return [
        *make_stores(meta, state),
        dcc.Store(id=ids.TAB, data=tab),
        make_header(state, meta.imports),
        html.Div(id=ids.ERROR, className="zz-error", role="alert", **{"aria-live": "assertive"}),
        dcc.Store(id=ids.LABELS, data=make_labels(lang, meta.task_names)),
        html.Main(
            [
                html.Aside(
                    [make_controls(state, meta), make_whatif(lang), make_export(lang, meta)],
                    className="zz-sidebar",
                    **{"aria-label": t("controls", lang)},
                ),
                html.Div(cards or [], id=ids.CARDS, className="zz-cards", **{"aria-live": "polite"}),
                html.Div(
                    [
                        make_map(state, meta, district_hideout),
                        html.Details(
                            [
                                html.Summary(t("legend", lang)),
                                html.Div(id=ids.LEGEND, className="zz-legend-body"),
                                html.Div(id=ids.HEX_LEGEND, className="zz-legend-body"),
                            ],
                            open=True,
                            className="zz-legend",
                            id=f"{ids.LEGEND}-box",
                        ),
                    ],
                    id=ids.MAP_WRAP,
                    className="zz-map-wrap",
                    **{"data-draw-title": t("draw_title", lang), "data-draw-hint": t("draw_hint", lang)},
                ),
                make_panel(lang),
                html.Section(
                    [
                        html.H2(t("ranking", lang), id=ids.GRID_TITLE, className="zz-h2"),
                        html.P(t("ranking_hint", lang), className="zz-small zz-muted"),
                        make_grid(state.indicator, lang),
                        html.P(coverage_note(lang), className="zz-small zz-muted zz-coverage-note"),
                    ],
                    className="zz-section zz-ranking",
                ),
                make_import_panel(lang, meta),
            ],
            className="zz-main",
        ),
        html.Footer(
            html.P(make_synthetic_note(meta.imports, lang), id=ids.FOOTER_NOTE, className="zz-small zz-muted"),
            className="zz-footer",
        ),
    ]


# ---------------------------------------------------------------------------------------
# import panel


def make_import_panel(lang: str, meta: PageMeta) -> html.Section:
    """The "Import data" panel: options, the upload box, the report and the list of imports."""
    mb = f"{meta.max_upload_mb:g}"
    max_bytes = int(meta.max_upload_mb * 1_000_000)
    form = html.Div(
        [
            html.Label(t("import_kind", lang), htmlFor=ids.IMPORT_KIND, className="zz-label"),
            dcc.Dropdown(
                id=ids.IMPORT_KIND,
                options=[{"label": spec.title(lang), "value": key} for key, spec in LAYER_KINDS.items()],
                value="5g_sites",
                clearable=False,
                searchable=False,
                className="zz-dropdown",
            ),
            html.Label(t("import_crs", lang), htmlFor=ids.IMPORT_CRS, className="zz-label"),
            dcc.Dropdown(
                id=ids.IMPORT_CRS,
                options=[{"label": c.title(lang), "value": key} for key, c in CRS_CHOICES.items()],
                value="wgs84",
                clearable=False,
                searchable=False,
                className="zz-dropdown",
            ),
            html.P(t("import_crs_help", lang), className="zz-small zz-muted"),
            html.Div(
                [
                    html.Label(t("import_layer", lang), htmlFor=ids.IMPORT_LAYER, className="zz-label"),
                    dcc.Dropdown(id=ids.IMPORT_LAYER, options=[], value=None, clearable=False, className="zz-dropdown"),
                ],
                id=ids.IMPORT_LAYER_WRAP,
                hidden=True,
            ),
            _radio_fieldset(
                t("import_mode", lang),
                ids.IMPORT_MODE,
                [(t("import_mode_add", lang), "add"), (t("import_mode_replace", lang), "replace")],
                "add",
            ),
            dcc.Upload(
                html.Div(
                    [html.Span(t("import_drop", lang)), " ", html.Span(t("import_browse", lang), className="zz-link")],
                    className="zz-upload-text",
                ),
                id=ids.IMPORT_UPLOAD,
                multiple=False,
                className="zz-upload",
                className_active="zz-upload zz-upload-active",
            ),
        ],
        className="zz-import-form",
    )
    result = html.Div(
        [
            html.Div(id=ids.IMPORT_STATUS, className="zz-import-status", role="status", **{"aria-live": "polite"}),
            dcc.Loading(html.Div(id=ids.IMPORT_REPORT, className="zz-report"), type="dot", delay_show=300),
            html.Div(
                [
                    html.Button(
                        t("import_accept", lang),
                        id=ids.IMPORT_ACCEPT,
                        n_clicks=0,
                        disabled=True,
                        className="zz-btn zz-btn-primary",
                    ),
                    html.Button(
                        t("import_rejected_csv", lang),
                        id=ids.IMPORT_REJECTED,
                        n_clicks=0,
                        disabled=True,
                        className="zz-btn",
                    ),
                ],
                className="zz-buttons",
            ),
        ],
        className="zz-import-result",
    )
    return html.Section(
        [
            html.H2(t("import", lang), className="zz-h2"),
            html.P(t("import_help", lang, mb=mb), className="zz-small zz-muted"),
            html.Div([form, result], className="zz-import-grid"),
            html.H3(t("imports", lang), className="zz-h3"),
            html.Div(make_import_list(meta.imports, lang, meta.workspace_error), id=ids.IMPORT_LIST),
            dcc.Store(id=ids.IMPORT_TOKEN, data=None),
            dcc.Store(id=ids.IMPORT_REQUEST, data=None),
            dcc.Store(
                id=ids.IMPORT_CONFIG,
                data={
                    "maxBytes": max_bytes,
                    # the browser fills in {file} and {size} (MB) before sending anything
                    "tooBig": t("import_too_big", lang, file="{file}", size="{size}", limit=mb),
                },
            ),
            dcc.Download(id=ids.IMPORT_DOWNLOAD),
        ],
        id=ids.IMPORT,
        className="zz-section zz-import",
        **{"aria-label": t("import", lang)},
    )


def make_import_status(message: str, lang: str, *, error: bool = False, file: str | None = None) -> list[Any]:
    """The status line of the import panel ("" hides it); errors start with the file that failed."""
    if not message:
        return []
    children: list[Any] = []
    if error and file:
        children.append(html.Strong(t("import_failed", lang, file=file) + " "))
    children.append(html.Span(message, className="zz-status-text"))
    return [html.P(children, className="zz-bad" if error else "zz-ok", **{"data-kind": "error" if error else "ok"})]


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


def _table(head: Sequence[str], rows: list[Any], class_name: str) -> html.Table:
    return html.Table(
        [html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(rows)],
        className=f"zz-table {class_name}",
    )


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
            html.Div(_table(head, rows, "zz-report-mapping"), className="zz-table-wrap"),
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
            html.Div(_table(head, rows, "zz-report-values"), className="zz-table-wrap"),
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
        children.append(html.Div(_table(head, rows, "zz-report-problems"), className="zz-table-wrap"))
        children.append(html.P(t("report_severity_help", lang), className="zz-small zz-muted"))
        if len(result.problems) > MAX_PROBLEMS_SHOWN:
            more = len(result.problems) - MAX_PROBLEMS_SHOWN
            children.append(html.P(t("report_more_problems", lang, n=fmt_number(more)), className="zz-small"))
    if not accepted:
        children.append(html.P(t("import_nothing", lang), className="zz-bad"))
    return html.Div(children, className="zz-report-content", **{"data-kind": result.kind})


def _import_time(text: str) -> str:
    """``2026-11-02T10:11:12+00:00`` -> ``2026-11-02 10:11 UTC`` (unparsable text as it is)."""
    try:
        when = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return text
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
        return when.strftime("%Y-%m-%d %H:%M UTC")
    return when.strftime("%Y-%m-%d %H:%M")


def make_import_list(entries: Sequence[ImportEntry], lang: str, workspace_error: str | None = None) -> list[Any]:
    """The imports in the workspace with a Remove button each (pattern-matching ids)."""
    out: list[Any] = []
    if workspace_error:
        out.append(html.P(t("workspace_error", lang, message=workspace_error), className="zz-bad"))
    if not entries:
        out.append(html.P(t("imports_none", lang), className="zz-muted zz-small"))
        return out
    rows = [
        html.Tr(
            [
                html.Td(e.file, className="zz-import-file"),
                html.Td(layer_title(e.kind, lang) if e.kind in LAYER_KINDS else e.kind),
                html.Td(_import_time(e.imported_at)),
                html.Td(f"{fmt_number(e.rows_accepted)} / {fmt_number(e.rows_rejected)}", className="zz-num"),
                html.Td(t("mode_replace" if e.mode == "replace" else "mode_add", lang)),
                html.Td(
                    html.Button(
                        t("imports_remove", lang),
                        id={"type": ids.IMPORT_REMOVE, "index": e.id},
                        n_clicks=0,
                        className="zz-btn zz-btn-small",
                        title=t("imports_remove_label", lang, file=e.file),
                        **{"aria-label": t("imports_remove_label", lang, file=e.file)},
                    )
                ),
            ],
            **{"data-entry": e.id, "data-kind": e.kind, "data-mode": e.mode},
        )
        for e in entries
    ]
    head = [t(k, lang) for k in ("imports_file", "imports_kind", "imports_time", "imports_rows", "imports_mode")]
    out.append(html.Div(_table([*head, ""], rows, "zz-imports"), className="zz-table-wrap"))
    return out
