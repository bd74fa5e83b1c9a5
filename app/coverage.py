"""Coverage figures in the page: what they assume, and merging them into the indicator table.

Coverage (land within R km of an in-service site, R per band) comes from
:func:`zzgeo.coverage.coverage_by_district` at resolution :data:`COVERAGE_RESOLUTION`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from app.i18n import t, tu
from zzgeo.coverage import CELL_AREA_KM2 as CELL_AREA_KM2  # the app's hexagon texts name them
from zzgeo.coverage import CELL_EDGE_KM as CELL_EDGE_KM
from zzgeo.coverage import DEFAULT_RADIUS_KM

#: resolution of the coverage figures in the panel and ranking (cells ≈ 0.74 km², ≈ 0.5 km across)
COVERAGE_RESOLUTION = 8


#: coverage columns merged into the indicator table (percent, one decimal shown)
COVERAGE_COLUMNS = ("coverage_pct", "population_weighted_pct")


def radius_text(lang: str, radius_km: Mapping[str | None, float] = DEFAULT_RADIUS_KM) -> str:
    """The assumed radius per band, e.g. ``"n28 3 km, n1 1.5 km, …, other bands 1 km"``."""
    sep = t("list_sep", lang)
    parts = [f"{band} {value:g} km" for band, value in radius_km.items() if band is not None]
    if None in radius_km:
        parts.append(t("radius_other", lang, value=f"{radius_km[None]:g}"))
    return sep.join(parts)


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


def coverage_note(lang: str, areas: bool = False) -> str:
    """What the coverage figures assume (radii per band, resolution, even population); ``areas``: the
    figures of an area level (estimated populations, weighted by the land of each district)."""
    return tu(
        "coverage_note",
        lang,
        areas,
        radii=radius_text(lang),
        res=COVERAGE_RESOLUTION,
        edge=f"{CELL_EDGE_KM[COVERAGE_RESOLUTION]:g}",
    )
