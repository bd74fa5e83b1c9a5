"""Colour schemes and classes of the district map (the browser switches between them).

Class breaks depend on the values (or the plan target); the colour scheme never changes
the classes. Operators are drawn in Okabe-Ito colours (colour-blind safe).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from app.fmt import finite, fmt_number
from app.state import DEFAULT_PALETTE
from app.table import district_rows, target_of
from zzgeo.indicators import INDICATORS

#: Okabe-Ito colours (colour-blind safe) per operator
OPERATOR_COLORS = {
    "China Mobile": "#0072B2",
    "China Telecom": "#009E73",
    "China Unicom": "#D55E00",
    "China Broadnet": "#CC79A7",
}


NO_DATA_COLOR = "#d9d9d9"


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




TARGET_SHARES = (0.5, 0.75, 1.0, 1.25)


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
    numbers = np.array([float(v) for v in values if finite(v)], dtype=float)
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


def scheme_for(table: pd.DataFrame, indicator: str, palette_name: str = DEFAULT_PALETTE) -> Scheme:
    """The :class:`Scheme` of ``indicator`` for this table's district values."""
    return classify(district_rows(table)[indicator].tolist(), indicator, target_of(table), palette_name)
