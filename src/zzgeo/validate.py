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
from zzgeo.messages import Text
from zzgeo.messages import text as say

__all__ = ["check_layer", "validate_layer"]


def _suggest(value: str, allowed: Iterable[str]) -> Text:
    allowed = list(allowed)
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
    if close:
        return say("not_allowed_close", value=value, close=close[0], accepted=", ".join(allowed))
    return say("not_allowed", value=value, accepted=", ".join(allowed))


def _check_column(values: pd.Series, col: ColumnSpec, file: str | None) -> list[Problem]:
    problems: list[Problem] = []
    for pos, raw in enumerate(values.to_numpy(dtype=object), start=1):
        if raw is None or (isinstance(raw, float) and np.isnan(raw)) or raw is pd.NA or str(raw).strip() == "":
            if col.required:
                problems.append(Problem.of(say("missing_value"), pos, col.name, None, "error", file))
            continue
        text = str(raw).strip()
        if col.dtype in ("int", "float"):
            number = pd.to_numeric(pd.Series([text]), errors="coerce").iloc[0]
            if pd.isna(number):
                problems.append(Problem.of(say("not_a_number", value=text), pos, col.name, raw, "error", file))
                continue
            if col.dtype == "int" and float(number) != int(float(number)):
                problems.append(Problem.of(say("not_whole", value=text), pos, col.name, raw, "error", file))
                continue
            if (col.min is not None and number < col.min) or (col.max is not None and number > col.max):
                low = col.min if col.min is not None else "-∞"
                high = col.max if col.max is not None else "∞"
                message = say("out_of_range", value=text, low=low, high=high)
                problems.append(Problem.of(message, pos, col.name, raw, "error", file))
        elif col.dtype == "bool":
            if text.lower() not in BOOL_WORDS:
                problems.append(Problem.of(say("not_bool", value=text), pos, col.name, raw, "error", file))
        elif col.allowed and text not in col.allowed:
            problems.append(Problem.of(_suggest(text, col.allowed), pos, col.name, raw, "error", file))
    return problems


def _check_geometry(gdf: gpd.GeoDataFrame, geometry_type: str, file: str | None) -> list[Problem]:
    problems: list[Problem] = []
    geoms = gdf.geometry.to_numpy()
    for pos, geom in enumerate(geoms, start=1):
        if geom is None or geom.is_empty:
            problems.append(Problem.of(say("missing_coordinates"), pos, "geometry", None, "error", file))
            continue
        if geom.geom_type != geometry_type:
            message = say("wrong_geometry", found=geom.geom_type, accepted=geometry_type)
            problems.append(Problem.of(message, pos, "geometry", geom.geom_type, "error", file))
            continue
        if geometry_type == "Point":
            x, y = shapely.get_x(geom), shapely.get_y(geom)
            if not (np.isfinite(x) and np.isfinite(y)):
                problems.append(Problem.of(say("coords_not_numbers"), pos, "geometry", None, "error", file))
            elif abs(y) > 90:
                message = say("lat_invalid_swapped" if abs(x) <= 90 else "lat_invalid", lat=y)
                problems.append(Problem.of(message, pos, "lat", y, "error", file))
            elif abs(x) > 180:
                problems.append(Problem.of(say("lon_invalid", lon=x), pos, "lon", x, "error", file))
            elif x == 0 and y == 0:
                problems.append(Problem.of(say("zero_zero"), pos, "geometry", "0, 0", "error", file))
    return problems


def check_layer(gdf: gpd.GeoDataFrame, kind: str, file: str | None = None) -> list[Problem]:
    """Every problem of ``gdf`` as a layer of ``kind`` (errors and warnings)."""
    spec = get_spec(kind)
    problems: list[Problem] = []
    if len(gdf) == 0:
        return [Problem.of(say("no_rows"), file=file)]
    missing = [c for c in spec.required if c not in gdf.columns]
    if missing:
        message = say("missing_columns", missing=", ".join(missing), required=", ".join(spec.required))
        problems.append(Problem.of(message, file=file))
    for col in spec.columns:
        if col.name in gdf.columns:
            problems.extend(_check_column(gdf[col.name], col, file))
    if spec.id_column in gdf.columns:
        ids = gdf[spec.id_column].astype("str")
        dup = ids.duplicated(keep="first") & gdf[spec.id_column].notna().to_numpy()
        for pos in np.flatnonzero(dup.to_numpy()) + 1:
            first = int(np.flatnonzero((ids == ids.iloc[pos - 1]).to_numpy())[0]) + 1
            message = say("duplicate_id", column=spec.id_column, value=ids.iloc[pos - 1], first=first)
            problems.append(Problem.of(message, int(pos), spec.id_column, ids.iloc[pos - 1], "error", file))
    problems.extend(_check_geometry(gdf, spec.geometry_type, file))
    unknown = [c for c in gdf.columns if c != gdf.geometry.name and c not in {s.name for s in spec.columns}]
    if unknown:
        message = say("unknown_columns", columns=", ".join(map(str, unknown)), kind=kind)
        problems.append(Problem.of(message, severity="warning", file=file))
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
