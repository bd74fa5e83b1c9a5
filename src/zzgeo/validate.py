"""Checking a layer against its kind's spec.

:func:`check_layer` collects every problem (file, row, column, value, what is accepted)
and returns them; :func:`validate_layer` raises one :class:`ValidationError` listing them
all. Rows are numbered from 1 in the order of the data (in a CSV with a header, row N
is line N + 1).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zzgeo.errors import Problem, ValidationError
from zzgeo.layers import BOOL_WORDS, ColumnSpec, coerce_columns, get_spec

__all__ = ["check_layer", "validate_layer"]


def _suggest(value: str, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{value!r} is not allowed{hint} (accepted: {', '.join(allowed)})"


def _check_column(values: pd.Series, col: ColumnSpec, file: str | None) -> list[Problem]:
    problems: list[Problem] = []
    for pos, raw in enumerate(values.to_numpy(dtype=object), start=1):
        if raw is None or (isinstance(raw, float) and np.isnan(raw)) or raw is pd.NA or str(raw).strip() == "":
            if col.required:
                problems.append(Problem("missing value (required)", pos, col.name, None, "error", file))
            continue
        text = str(raw).strip()
        if col.dtype in ("int", "float"):
            number = pd.to_numeric(pd.Series([text]), errors="coerce").iloc[0]
            if pd.isna(number):
                problems.append(Problem(f"{text!r} is not a number", pos, col.name, raw, "error", file))
                continue
            if col.dtype == "int" and float(number) != int(float(number)):
                problems.append(Problem(f"{text!r} is not a whole number", pos, col.name, raw, "error", file))
                continue
            if (col.min is not None and number < col.min) or (col.max is not None and number > col.max):
                accepted = f"{col.min if col.min is not None else '-∞'} to {col.max if col.max is not None else '∞'}"
                problems.append(
                    Problem(f"{text} is out of range (accepted: {accepted})", pos, col.name, raw, "error", file)
                )
        elif col.dtype == "bool":
            if text.lower() not in BOOL_WORDS:
                problems.append(Problem(f"{text!r} is not true/false", pos, col.name, raw, "error", file))
        elif col.allowed and text not in col.allowed:
            problems.append(Problem(_suggest(text, col.allowed), pos, col.name, raw, "error", file))
    return problems


def _check_geometry(gdf: gpd.GeoDataFrame, geometry_type: str, file: str | None) -> list[Problem]:
    problems: list[Problem] = []
    geoms = gdf.geometry.to_numpy()
    for pos, geom in enumerate(geoms, start=1):
        if geom is None or geom.is_empty:
            problems.append(Problem("missing coordinates", pos, "geometry", None, "error", file))
            continue
        if geom.geom_type != geometry_type:
            problems.append(
                Problem(f"{geom.geom_type} geometry (accepted: {geometry_type})", pos, "geometry", geom.geom_type,
                        "error", file)
            )  # fmt: skip
            continue
        if geometry_type == "Point":
            x, y = shapely.get_x(geom), shapely.get_y(geom)
            if not (np.isfinite(x) and np.isfinite(y)):
                problems.append(Problem("coordinates are not numbers", pos, "geometry", None, "error", file))
            elif abs(y) > 90:
                hint = " — are lat and lon swapped?" if abs(x) <= 90 else ""
                problems.append(Problem(f"latitude {y} is not a latitude{hint}", pos, "lat", y, "error", file))
            elif abs(x) > 180:
                problems.append(Problem(f"longitude {x} is not a longitude", pos, "lon", x, "error", file))
            elif x == 0 and y == 0:
                problems.append(Problem("coordinates are 0, 0 (missing?)", pos, "geometry", "0, 0", "error", file))
    return problems


def check_layer(gdf: gpd.GeoDataFrame, kind: str, file: str | None = None) -> list[Problem]:
    """Every problem of ``gdf`` as a layer of ``kind`` (errors and warnings)."""
    spec = get_spec(kind)
    problems: list[Problem] = []
    if len(gdf) == 0:
        return [Problem("the file has no rows", file=file)]
    missing = [c for c in spec.required if c not in gdf.columns]
    if missing:
        accepted = ", ".join(spec.required)
        problems.append(Problem(f"missing required column(s) {', '.join(missing)} (required: {accepted})", file=file))
    for col in spec.columns:
        if col.name in gdf.columns:
            problems.extend(_check_column(gdf[col.name], col, file))
    if spec.id_column in gdf.columns:
        ids = gdf[spec.id_column].astype("str")
        dup = ids.duplicated(keep="first") & gdf[spec.id_column].notna().to_numpy()
        for pos in np.flatnonzero(dup.to_numpy()) + 1:
            first = int(np.flatnonzero((ids == ids.iloc[pos - 1]).to_numpy())[0]) + 1
            problems.append(
                Problem(f"duplicate {spec.id_column} {ids.iloc[pos - 1]!r} (first in row {first})",
                        int(pos), spec.id_column, ids.iloc[pos - 1], "error", file)
            )  # fmt: skip
    problems.extend(_check_geometry(gdf, spec.geometry_type, file))
    unknown = [c for c in gdf.columns if c != gdf.geometry.name and c not in {s.name for s in spec.columns}]
    if unknown:
        problems.append(
            Problem(f"column(s) {', '.join(map(str, unknown))} are not part of {kind}; they are kept as they are",
                    severity="warning", file=file)
        )  # fmt: skip
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def validate_layer(gdf: gpd.GeoDataFrame, kind: str, file: str | None = None) -> gpd.GeoDataFrame:
    """Return ``gdf`` with the spec's column types if it has no errors, else raise.

    Raises
    ------
    ValidationError
        Listing every error (warnings are not errors).
    """
    problems = check_layer(gdf, kind, file)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ValidationError(errors, summary=f"{file or 'the layer'}: {len(errors)} error(s) for kind {kind}")
    return coerce_columns(gdf, get_spec(kind))
