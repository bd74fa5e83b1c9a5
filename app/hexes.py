"""Hexagon overlays and coverage figures: pure builders and a cache per filter state.

The server sends H3 cell ids (hex strings) with counts; the browser draws each hexagon
with h3-js (``zzgeo.hexLayers`` in ``assets/zzgeo.js``) and colours it from the classes
sent along, so no polygon travels. Counts are classed on fixed breaks per resolution,
so colours compare between years and operators.

Coverage (land within R km of an in-service site, R per band) comes from
:func:`zzgeo.coverage.coverage_by_district` at resolution :data:`COVERAGE_RESOLUTION`;
the gaps overlay shows the uncovered land cells at the overlay's resolution.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from dash import html

from app.i18n import t
from app.state import DEFAULT_HEX_RESOLUTION, HEX_RESOLUTIONS
from zzgeo.coverage import DEFAULT_RADIUS_KM, RESOLUTIONS

#: resolution of the coverage figures in the panel and ranking (cells ≈ 0.74 km², ≈ 0.5 km across)
COVERAGE_RESOLUTION = 8
#: average cell area (km²) and edge length (km) per resolution (H3's published averages)
CELL_AREA_KM2 = {7: 5.16, 8: 0.74}
CELL_EDGE_KM = {7: 1.41, 8: 0.53}
#: class breaks of sites per hexagon: class i covers breaks[i-1] <= n < breaks[i]
HEX_BREAKS = {8: (2, 4, 8, 16), 7: (3, 10, 30, 100)}
#: viridis, light = few sites (readable over the dimmed districts; colour-blind safe)
HEX_COLORS = ("#fde725", "#7ad151", "#22a884", "#2a788e", "#414487")
GAP_COLOR = "#d6006f"
#: coverage columns merged into the indicator table (percent, one decimal shown)
COVERAGE_COLUMNS = ("coverage_pct", "population_weighted_pct")

assert set(HEX_BREAKS) == set(RESOLUTIONS) == set(CELL_AREA_KM2) == set(HEX_RESOLUTIONS)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class FilterCache:
    """A small thread-safe LRU cache of results per filter state.

    Two requests for the same missing key may both compute it (the result is the same);
    the lock only guards the dict.
    """

    def __init__(self, maxsize: int = 64) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The cached value of ``key``, computed (and kept) when missing."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                value: V = self._items[key]
                return value
            self.misses += 1
        value = compute()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._items.clear()


def resolution_of(value: Any) -> int:
    """A valid H3 resolution of the overlays (the default for anything else)."""
    try:
        res = int(value)
    except (TypeError, ValueError):
        return DEFAULT_HEX_RESOLUTION
    return res if res in RESOLUTIONS else DEFAULT_HEX_RESOLUTION


def cell_ids(cells: Any) -> list[str]:
    """H3 cells (uint64) as the hex strings h3-js reads (e.g. ``"8841a9c1a7fffff"``)."""
    return [format(int(c), "x") for c in np.asarray(cells, dtype=np.uint64)]


def hex_class(count: int, resolution: int) -> int:
    """Class index (0–4) of a hexagon with ``count`` sites."""
    return int(np.searchsorted(np.asarray(HEX_BREAKS[resolution]), count, side="right"))


def hex_class_labels(resolution: int) -> list[str]:
    """Legend text of each count class, e.g. ``["1", "2–3", "4–7", "8–15", "≥ 16"]``."""
    edges = [1, *HEX_BREAKS[resolution]]
    out = []
    for lo, hi in itertools.pairwise(edges):
        out.append(str(lo) if hi - 1 == lo else f"{lo}–{hi - 1}")
    out.append(f"≥ {edges[-1]}")
    return out


def make_hex_counts(counts: pd.DataFrame, resolution: int) -> dict[str, Any]:
    """The counts overlay's data: cell ids, site counts, class breaks and colours.

    ``counts`` is :func:`zzgeo.coverage.hex_counts`'s table (``cell``, ``count``).
    """
    return {
        "kind": "counts",
        "res": resolution,
        "cells": cell_ids(counts["cell"].to_numpy()),
        "n": [int(n) for n in counts["count"].to_numpy()],
        "breaks": list(HEX_BREAKS[resolution]),
        "colors": list(HEX_COLORS),
        "sites": int(counts["count"].sum()),
    }


def make_hex_gaps(cells: Any, resolution: int, land_cells: int) -> dict[str, Any]:
    """The gaps overlay's data: ids of land cells with no in-service site within R km."""
    ids = cell_ids(cells)
    return {"kind": "gaps", "res": resolution, "cells": ids, "color": GAP_COLOR, "land": int(land_cells)}


def radius_text(lang: str, radius_km: Mapping[str | None, float] = DEFAULT_RADIUS_KM) -> str:
    """The assumed radius per band, e.g. ``"n28 3 km, n1 1.5 km, …, other bands 1 km"``."""
    sep = t("list_sep", lang)
    parts = [f"{band} {value:g} km" for band, value in radius_km.items() if band is not None]
    if None in radius_km:
        parts.append(t("radius_other", lang, value=f"{radius_km[None]:g}"))
    return sep.join(parts)


def make_hex_tips(resolution: int, lang: str) -> dict[str, str]:
    """Tooltip templates of the hexagons (``{n}`` is filled in by the browser)."""
    return {
        "count": t("hex_tip_count", lang, n="{n}", res=resolution, area=f"{CELL_AREA_KM2[resolution]:g}"),
        "gap": t("hex_tip_gap", lang),
    }


def make_hex_legend(
    kinds: Sequence[str],
    resolution: int,
    lang: str,
    *,
    counts: Mapping[str, Any] | None = None,
    gaps: Mapping[str, Any] | None = None,
) -> list[Any]:
    """The legend's hexagon part (empty when no overlay is on).

    Carries ``data-res`` and, per overlay, ``data-cells`` (hexagons sent) for tests.
    """
    if not kinds:
        return []
    area = f"{CELL_AREA_KM2[resolution]:g}"
    children: list[Any] = []
    if "counts" in kinds:
        items = [
            html.Li(
                [html.Span(className="zz-swatch zz-swatch-hex", style={"background": color}), html.Span(label)],
                **{"data-class": str(i), "data-color": color},
            )
            for i, (color, label) in enumerate(zip(HEX_COLORS, hex_class_labels(resolution), strict=True))
        ]
        children.append(
            html.Div(
                [
                    html.Div(html.Strong(t("hex_counts_title", lang, res=resolution, area=area))),
                    html.Ul(items, className="zz-legend-classes"),
                ],
                className="zz-legend-hex-counts",
                **{"data-cells": str(len(counts["cells"])) if counts else "0"},
            )
        )
    if "gaps" in kinds:
        land = int(gaps["land"]) if gaps else 0
        share = f"{len(gaps['cells']) / land * 100:.0f}" if gaps and land else "—"
        children.append(
            html.Div(
                [
                    html.Ul(
                        html.Li(
                            [
                                html.Span(className="zz-swatch zz-swatch-hex", style={"background": GAP_COLOR}),
                                html.Span(t("hex_gaps_title", lang, share=share)),
                            ],
                            **{"data-class": "gap", "data-color": GAP_COLOR},
                        ),
                        className="zz-legend-classes",
                    ),
                    html.P(t("hex_radii", lang, radii=radius_text(lang)), className="zz-legend-note"),
                ],
                className="zz-legend-hex-gaps",
                **{"data-cells": str(len(gaps["cells"])) if gaps else "0"},
            )
        )
    children.append(
        html.P(
            t("hex_approx", lang, res=resolution, edge=f"{CELL_EDGE_KM[resolution]:g}"),
            className="zz-legend-note",
        )
    )
    return [html.Div(children, className="zz-legend-hex", **{"data-res": str(resolution)})]


def with_coverage(table: pd.DataFrame, coverage: pd.DataFrame | None) -> pd.DataFrame:
    """The indicator table with :data:`COVERAGE_COLUMNS` (by adcode, city row included).

    Returns a copy; ``attrs`` are kept and ``coverage_resolution`` is added. Without a
    coverage table the columns are missing (NaN).
    """
    out = table.copy()
    out.attrs.update(table.attrs)
    if coverage is None:
        for col in COVERAGE_COLUMNS:
            out[col] = np.nan
        return out
    by_code = coverage.set_index(coverage["adcode"].astype("str"))
    codes = out["adcode"].astype("str")
    for col in COVERAGE_COLUMNS:
        out[col] = codes.map(by_code[col]).astype("float64").to_numpy()
    out.attrs["coverage_resolution"] = coverage.attrs.get("resolution")
    return out


def coverage_note(lang: str) -> str:
    """What the coverage figures assume (radii per band, resolution, even population)."""
    return t(
        "coverage_note",
        lang,
        radii=radius_text(lang),
        res=COVERAGE_RESOLUTION,
        edge=f"{CELL_EDGE_KM[COVERAGE_RESOLUTION]:g}",
    )
