"""Classes and colours of the district maps: one source for the app and the printed maps.

Pure functions and constants, no drawing library: :func:`classify` turns the district
values of an indicator into a :class:`Scheme` (class breaks, colours, legend labels) that the
web map (dash-leaflet) and the printed map (:mod:`zzgeo.cartography`) both draw, so a
district has the same class and colour on screen and on paper.

Sites per 10,000 residents with a plan target use fixed shares of the target (50 %, 75 %,
100 %, 125 %: :data:`TARGET_SHARES`) on a diverging scale; the other indicators up to five
classes at rounded quantiles on a sequential scale. Three colour schemes
(:data:`PALETTE_NAMES`): ColorBrewer (``standard``), viridis/PuOr for colour-blind readers
(``cb``) and greys for black-and-white printing (``grey``); a scheme changes the colours,
never the classes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from zzgeo.districts import CITY_ADCODE
from zzgeo.indicators import INDICATORS

__all__ = [
    "DEFAULT_PALETTE",
    "GREYS",
    "NO_DATA_COLOR",
    "OPERATOR_COLORS",
    "PALETTES",
    "PALETTE_NAMES",
    "PART_SYMBOLS",
    "PROPOSED_EDGE_COLOR",
    "PROPOSED_FILL_COLOR",
    "STANDARD_PALETTES",
    "TARGET_PALETTE",
    "TARGET_PALETTES",
    "TARGET_SHARES",
    "UNDER_OUTLINE_COLOR",
    "UNDER_OUTLINE_DASH",
    "VIRIDIS",
    "Scheme",
    "city_row",
    "classify",
    "classify_change",
    "district_rows",
    "fmt_indicator",
    "fmt_number",
    "is_finite",
    "nice",
    "scheme_for",
    "target_of",
]

#: ColorBrewer 5-class sequential schemes per indicator (light = low value)
STANDARD_PALETTES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "sites_per_10k": ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
        "sites_per_100km2": ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"),
        "sites": ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),
        "gap_sites": ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),
        "residents_per_site": ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"),
    }
)
#: viridis at 5 classes, light (low) to dark (high): perceptually even, colour-blind safe
VIRIDIS = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
#: ColorBrewer Greys, light (low) to dark (high): prints on a black-and-white printer
GREYS = ("#f7f7f7", "#cccccc", "#969696", "#636363", "#252525")
#: colour scheme -> indicator -> 5 colours, light (low) to dark (high)
PALETTES: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "standard": STANDARD_PALETTES,
        "cb": MappingProxyType(dict.fromkeys(STANDARD_PALETTES, VIRIDIS)),
        "grey": MappingProxyType(dict.fromkeys(STANDARD_PALETTES, GREYS)),
    }
)
#: the colour schemes, in the order the app offers them
PALETTE_NAMES = tuple(PALETTES)
DEFAULT_PALETTE = "standard"
#: Sites per 10,000 residents against the target, per colour scheme: two classes below the
#: target, three at or above (standard: ColorBrewer RdBu; cb: PuOr; grey: Greys)
TARGET_PALETTES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "standard": ("#ca0020", "#f4a582", "#fddbc7", "#92c5de", "#0571b0"),
        "cb": ("#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"),
        "grey": GREYS,
    }
)
TARGET_PALETTE = TARGET_PALETTES["standard"]
#: class breaks of sites per 10,000 residents, as shares of the year's plan target
TARGET_SHARES = (0.5, 0.75, 1.0, 1.25)
#: fill of districts with no value
NO_DATA_COLOR = "#d9d9d9"
#: outline of districts below the plan target: dashed red (the web map's ``dashArray: "7 5"``)
UNDER_OUTLINE_COLOR = "#b2182b"
UNDER_OUTLINE_DASH = (7.0, 5.0)
#: what-if proposed sites: gold with a dashed black edge
PROPOSED_FILL_COLOR = "#ffd700"
PROPOSED_EDGE_COLOR = "#000000"
#: Okabe-Ito colours (colour-blind safe) per operator
OPERATOR_COLORS: Mapping[str, str] = MappingProxyType(
    {
        "China Mobile": "#0072B2",
        "China Telecom": "#009E73",
        "China Unicom": "#D55E00",
        "China Broadnet": "#CC79A7",
    }
)
#: symbol of smart-city projects per plan part
PART_SYMBOLS: Mapping[str, str] = MappingProxyType(
    {"five_new": "diamond", "integration": "triangle", "innovation": "circle"}
)


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
    """A value of ``indicator`` with its decimals (:data:`zzgeo.indicators.INDICATORS`)."""
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
    names: tuple[str, ...] = ()  # legend texts when the default ones do not fit (change maps)

    def recoloured(self, palette_name: str) -> Scheme:
        """The same classes in the colours of ``palette_name`` (:data:`PALETTES`)."""
        return replace(self, colors=_colors(self.indicator, len(self.colors), self.target_based, palette_name))

    def color(self, value: Any) -> str:
        """Fill colour of ``value`` (:data:`NO_DATA_COLOR` when missing)."""
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
        """Legend text of each class, e.g. ``"< 15"``, ``"15 – 22.5"``, ``"≥ 37.5"`` (or :attr:`names`).

        Whole-number indicators (site counts, gaps) get whole-number ranges such as
        ``"0"``, ``"1 – 119"``, ``"≥ 330"``.
        """
        if self.names:
            return list(self.names)
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


def nice(value: float) -> float:
    """Round to two significant digits (1131 -> 1100, 32.74 -> 33, 0.456 -> 0.46)."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    digits = 1 - math.floor(math.log10(abs(value)))
    return float(round(value, digits))


def classify(
    values: Sequence[Any], indicator: str, target: float | None = None, palette_name: str = DEFAULT_PALETTE
) -> Scheme:
    """Class breaks and colours for the district values of ``indicator``.

    Parameters
    ----------
    values : sequence
        The districts' values (missing values are left out of the classing).
    indicator : str
        A key of :data:`zzgeo.indicators.INDICATORS`.
    target : float, optional
        The year's plan target in sites per 10,000 residents (only used for
        ``sites_per_10k``).
    palette_name : str
        One of :data:`PALETTE_NAMES`; it changes the colours, never the classes.

    Returns
    -------
    Scheme
        Sites per 10,000 residents with a plan target: fixed shares of the target
        (:data:`TARGET_SHARES`) on a diverging scale, so "below the target" reads at a
        glance. Otherwise up to five classes at rounded quantiles of the values on a
        sequential scale (dark = high; for the gap, a zero gap has its own lightest class).

    Raises
    ------
    KeyError
        For an unknown indicator or colour scheme.
    """
    if indicator not in STANDARD_PALETTES:
        raise KeyError(indicator)
    if indicator == "sites_per_10k" and target is not None and math.isfinite(target) and target > 0:
        shares = tuple(nice(target * s) for s in TARGET_SHARES)
        return Scheme(indicator, shares, _colors(indicator, len(shares) + 1, True, palette_name), target_based=True)
    numbers = np.array([float(v) for v in values if is_finite(v)], dtype=float)
    if numbers.size == 0:
        return Scheme(indicator, (), _colors(indicator, 1, False, palette_name))
    if indicator == "gap_sites":
        positive = numbers[numbers > 0]
        inner = _quantile_breaks(positive, 4) if positive.size else []
        breaks = sorted({0.5, *[b for b in inner if b > 0.5]})
    else:
        breaks = _quantile_breaks(numbers, 5)
    return Scheme(indicator, tuple(breaks), _colors(indicator, len(breaks) + 1, False, palette_name))


def classify_change(values: Sequence[Any], indicator: str, palette_name: str = DEFAULT_PALETTE) -> Scheme:
    """Class breaks and colours for the districts' change of ``indicator`` between two years.

    Changes of one sign get up to five classes at rounded quantiles of their size on the
    indicator's sequential scale (dark = a large change), with "no change" (0) as its own
    lightest class. Changes of both signs get a diverging scale around "about no change"
    (the target's colours: red for a fall, blue for a rise). ``palette_name`` changes the
    colours, never the classes. Legend texts carry the sign ("+3 – +7").
    """
    if indicator not in STANDARD_PALETTES:
        raise KeyError(indicator)
    numbers = np.array([float(v) for v in values if is_finite(v)], dtype=float)
    if numbers.size == 0:
        return Scheme(indicator, (), _colors(indicator, 1, False, palette_name))
    decimals = INDICATORS[indicator].decimals
    step = 0.5 * 10.0**-decimals  # half the smallest change shown: below it is "no change"
    low, high = float(numbers.min()), float(numbers.max())
    if low < -step and high > step:
        edge = max(nice(max(-low, high) / 2), 2 * step)
        breaks = (-edge, -step, step, edge)
        fall, rise = _signed(-edge, decimals), _signed(edge, decimals)
        both = (f"< {fall}", f"{fall} – 0", "0", f"0 – {rise}", f"≥ {rise}")
        return Scheme(indicator, breaks, _colors(indicator, 5, True, palette_name), True, both)
    sizes = np.abs(numbers)
    inner = _quantile_breaks(sizes[sizes > step], 4) if sizes.max() > step else []
    edges = [step, *sorted(b for b in set(inner) if b > step)]
    colors = _colors(indicator, len(edges) + 1, False, palette_name)
    shown = [_signed(e, decimals) for e in edges[1:]]
    if high > step or low >= -step:  # rises (or no change at all)
        if not shown:
            names = ["0", "> 0"]
        else:
            steps = [f"{lo} – {hi}" for lo, hi in itertools.pairwise(shown)]
            names = ["0", f"0 – {shown[0]}", *steps, f"≥ {shown[-1]}"]
        return Scheme(indicator, tuple(edges), colors, names=tuple(names))
    # falls: mirrored, the largest fall darkest
    down = [_signed(-e, decimals) for e in reversed(edges[1:])]  # from the largest fall up
    if not down:
        names = ["< 0", "0"]
    else:
        names = [f"< {down[0]}", *[f"{lo} – {hi}" for lo, hi in itertools.pairwise(down)], f"{down[-1]} – 0", "0"]
    return Scheme(indicator, tuple(sorted(-e for e in edges)), tuple(reversed(colors)), names=tuple(names))


def _signed(value: float, decimals: int) -> str:
    """A change with its sign: ``+3``, ``−1.5`` (decimals only when it has them)."""
    text = fmt_number(abs(value), decimals if value % 1 else 0)
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else "0")


def _colors(indicator: str, n: int, target_based: bool, palette_name: str) -> tuple[str, ...]:
    """The colours of ``n`` classes of ``indicator`` in ``palette_name`` (a lone class: the lightest)."""
    if palette_name not in PALETTES:
        raise KeyError(palette_name)
    if target_based:
        return TARGET_PALETTES[palette_name]
    palette = PALETTES[palette_name][indicator]
    return (palette[0],) if n == 1 else _spread(palette, n)


def is_finite(value: Any) -> bool:
    """True for a finite number (False for None, NaN, infinity and text)."""
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _quantile_breaks(numbers: np.ndarray, classes: int) -> list[float]:
    qs = np.quantile(numbers, [i / classes for i in range(1, classes)])
    lo, hi = float(numbers.min()), float(numbers.max())
    return sorted({nice(float(q)) for q in qs if lo < nice(float(q)) <= hi})


def _spread(palette: Sequence[str], n: int) -> tuple[str, ...]:
    """``n`` colours spread over ``palette`` (keeping its lightest and darkest)."""
    if n >= len(palette):
        return tuple(palette)
    if n == 1:
        return (palette[len(palette) // 2],)
    idx = np.round(np.linspace(0, len(palette) - 1, n)).astype(int)
    return tuple(palette[i] for i in idx)


# ---------------------------------------------------------------------------------------
# indicator tables


def target_of(table: pd.DataFrame) -> float | None:
    """The plan target (sites per 10,000 residents) of an indicator table, if any."""
    if "target_per_10k" not in table.columns or table.empty:
        return None
    values = table["target_per_10k"].to_numpy()
    if values.dtype.kind != "f":  # an object or nullable column (rarely): coerce
        values = pd.to_numeric(table["target_per_10k"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    found = values[~np.isnan(values)]
    return float(found[0]) if len(found) else None


def district_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of the 11 districts (without the city row)."""
    return table[_adcodes(table) != CITY_ADCODE]


def city_row(table: pd.DataFrame) -> pd.Series:
    """The city row."""
    return table[_adcodes(table) == CITY_ADCODE].iloc[0]


def _adcodes(table: pd.DataFrame) -> np.ndarray:
    """The adcode column as str values (it may hold ints when read back from a file)."""
    codes = table["adcode"]
    if not pd.api.types.is_string_dtype(codes):
        codes = codes.astype("str")
    return codes.to_numpy(dtype=object)


def scheme_for(table: pd.DataFrame, indicator: str, palette_name: str = DEFAULT_PALETTE) -> Scheme:
    """The :class:`Scheme` of ``indicator`` for this indicator table's district values."""
    return classify(district_rows(table)[indicator].tolist(), indicator, target_of(table), palette_name)
