"""Checking a layer against its kind's spec.

:func:`check_layer` collects every problem (file, row, column, value, what is accepted)
and returns them; :func:`validate_layer` raises one :class:`ValidationError` listing them
all. Rows are numbered from 1 in the order of the data (in a CSV with a header, row N
is line N + 1).

The checks work on columns, not rows: each column is factorized once and the rules run
on its distinct values (a column of 1,000,000 rows holds a few dozen operators or years);
numbers, duplicates and geometry are checked with NumPy, pandas and shapely array
functions. A problem's text is built only for the rows that have one. The answers are
those of the row-by-row rules (the tests keep a row-by-row reference and compare).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pandas.api.types import infer_dtype

from zzgeo.errors import Problem, ValidationError
from zzgeo.layers import BOOL_WORDS, ColumnSpec, LayerSpec, coerce_columns, get_spec
from zzgeo.messages import Text
from zzgeo.messages import text as say

__all__ = ["check_layer", "validate_layer"]

#: shapely geometry type ids -> names (shapely.get_type_id)
_GEOM_TYPES = (
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
)


def _suggest(value: str, allowed: Iterable[str]) -> Text:
    allowed = list(allowed)
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
    if close:
        return say("not_allowed_close", value=value, close=close[0], accepted=", ".join(allowed))
    return say("not_allowed", value=value, accepted=", ".join(allowed))


def _is_blank(raw: object) -> bool:
    """A cell with no value: None, NaN, NA or only whitespace."""
    return raw is None or (isinstance(raw, float) and np.isnan(raw)) or raw is pd.NA or str(raw).strip() == ""


def _value_message(raw: object, col: ColumnSpec) -> Text | None:
    """What is wrong with the non-blank value ``raw`` of column ``col`` (None: nothing)."""
    text = str(raw).strip()
    if col.dtype in ("int", "float"):
        number = pd.to_numeric(pd.Series([text]), errors="coerce").iloc[0]
        if pd.isna(number) or not np.isfinite(number):
            return say("not_a_number", value=text)
        if col.dtype == "int" and float(number) != int(float(number)):
            return say("not_whole", value=text)
        if (col.min is not None and number < col.min) or (col.max is not None and number > col.max):
            low = col.min if col.min is not None else "-∞"
            high = col.max if col.max is not None else "∞"
            return say("out_of_range", value=text, low=low, high=high)
    elif col.dtype == "bool":
        if text.lower() not in BOOL_WORDS:
            return say("not_bool", value=text)
    elif col.allowed and text not in col.allowed:
        return _suggest(text, col.allowed)
    return None


def _cell_message(raw: object, col: ColumnSpec) -> Text | None:
    if _is_blank(raw):
        return say("missing_value") if col.required else None
    return _value_message(raw, col)


#: The characters ``str.strip`` removes (``str.isspace``): a cell of only these is blank.
_WHITESPACE = [chr(c) for c in (*range(9, 14), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                                0x2028, 0x2029, 0x202F, 0x205F, 0x3000)]  # fmt: skip


def _blank_rows(values: pd.Series) -> np.ndarray:
    """Positions of blank cells of a text column, without a Python call per cell.

    A blank cell is missing or whitespace only, so its first character (if any) is
    whitespace: only those few are tested with :func:`_is_blank`.
    """
    na = values.isna().to_numpy(dtype=bool)
    first = values.str.slice(0, 1)
    maybe = (first.isin(_WHITESPACE) | (first == "")).to_numpy(dtype=bool) & ~na
    cand = np.flatnonzero(maybe)
    blank = cand[[_is_blank(v) for v in values.iloc[cand].tolist()]] if cand.size else cand
    return np.union1d(np.flatnonzero(na), blank).astype(np.intp)


def _number_messages(distinct: list[object], col: ColumnSpec) -> list[Text | None]:
    """:func:`_cell_message` of many distinct values of a number column, parsed at once."""
    texts = [str(raw).strip() for raw in distinct]
    blank = [_is_blank(raw) for raw in distinct]
    numbers = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        not_number = ~np.isfinite(numbers)
        not_whole = ~not_number & (numbers != np.floor(numbers)) if col.dtype == "int" else np.zeros(len(texts), bool)
        low = numbers < col.min if col.min is not None else np.zeros(len(texts), bool)
        high = numbers > col.max if col.max is not None else np.zeros(len(texts), bool)
    out: list[Text | None] = []
    for i, text in enumerate(texts):
        if blank[i]:
            out.append(say("missing_value") if col.required else None)
        elif not_number[i]:
            out.append(say("not_a_number", value=text))
        elif not_whole[i]:
            out.append(say("not_whole", value=text))
        elif low[i] or high[i]:
            lo = col.min if col.min is not None else "-∞"
            hi = col.max if col.max is not None else "∞"
            out.append(say("out_of_range", value=text, low=lo, high=hi))
        else:
            out.append(None)
    return out


def _check_column(values: pd.Series, col: ColumnSpec, file: str | None, offset: int = 0) -> list[Problem]:
    """Problems of one column; rows are numbered from ``offset + 1``."""
    if col.dtype == "str" and not col.allowed and pd.api.types.is_string_dtype(values) and values.dtype != object:
        # Free text (ids, names): only blank cells matter.
        if not col.required:
            return []
        rows = _blank_rows(values)
        return [Problem.of(say("missing_value"), pos + 1 + offset, col.name, None, "error", file)
                for pos in rows.tolist()]  # fmt: skip
    if values.dtype == object and infer_dtype(values, skipna=True) not in ("string", "empty"):
        # Mixed Python objects (1 and 1.0 factorize together): the rules cell by cell.
        cells = values.to_numpy(dtype=object)
        found = [(pos, raw, _cell_message(raw, col)) for pos, raw in enumerate(cells)]
        return [Problem.of(m, pos + 1 + offset, col.name, raw if m.en != "missing value (required)" else None,
                           "error", file) for pos, raw, m in found if m is not None]  # fmt: skip
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = list(uniques.tolist()) if hasattr(uniques, "tolist") else list(uniques)
    if col.dtype in ("int", "float") and len(distinct) > 64:
        messages = _number_messages(distinct, col)
    else:
        messages = [_cell_message(raw, col) for raw in distinct]
    problems: list[Problem] = []
    bad_codes = np.array([m is not None for m in messages] + [False], dtype=bool)
    na_rows = np.flatnonzero(codes < 0)
    na_messages: dict[int, Text | None] = {}
    if na_rows.size and pd.api.types.is_string_dtype(values) and values.dtype != object:
        missing_text = say("missing_value") if col.required else None  # text columns hold NaN for missing
        na_messages = dict.fromkeys(na_rows.tolist(), missing_text)
    elif na_rows.size:
        na_cells = values.iloc[na_rows].to_numpy(dtype=object)
        for pos, raw in zip(na_rows.tolist(), na_cells, strict=True):
            na_messages[pos] = _cell_message(raw, col)
    rows = np.flatnonzero(bad_codes[codes]) if len(distinct) else np.array([], dtype=np.intp)
    if na_messages:
        rows = np.union1d(rows, [pos for pos, m in na_messages.items() if m is not None]).astype(np.intp)
    missing = say("missing_value")
    for pos in rows.tolist():
        code = int(codes[pos])
        if code >= 0:
            message = messages[code]
            raw = distinct[code]
        else:
            message = na_messages[pos]
            raw = None if message == missing else values.iloc[pos]
        assert message is not None
        problems.append(Problem.of(message, pos + 1 + offset, col.name, None if message == missing else raw,
                                   "error", file))  # fmt: skip
    return problems


def first_positions(codes: np.ndarray) -> np.ndarray:
    """Position of the first row of each code of :func:`pandas.factorize`.

    Codes number the values in order of first appearance, so each first appearance is a new
    running maximum: linear time, no Python step per row.
    """
    if not len(codes):
        return np.array([], dtype=np.int64)
    running = np.maximum.accumulate(codes)
    new = np.empty(len(codes), dtype=bool)
    new[0] = True
    new[1:] = running[1:] > running[:-1]
    return np.flatnonzero(new).astype(np.int64)


def duplicate_rows(ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Positions of repeated ids (not the first of each) and the position of each one's first.

    ``ids`` are compared as text; missing ids are never duplicates.
    """
    text = ids.astype("str")
    codes, _ = pd.factorize(text, use_na_sentinel=False)
    n = len(codes)
    first_of_row = first_positions(codes)[codes]
    dup = (first_of_row != np.arange(n)) & ids.notna().to_numpy()
    where = np.flatnonzero(dup)
    return where, first_of_row[where]


def _duplicate_problems(
    ids: pd.Series, column: str, file: str | None, first_rows: np.ndarray | None = None, offset: int = 0
) -> list[Problem]:
    """Problems of repeated ids.

    ``first_rows`` (0-based file positions of each row's id's first appearance, from earlier
    batches too) replaces the batch's own answer when given.
    """
    if first_rows is None:
        where, first = duplicate_rows(ids)
        first = first + offset
    else:
        here = np.arange(len(ids), dtype=np.int64) + offset
        where = np.flatnonzero((first_rows != here) & ids.notna().to_numpy())
        first = first_rows[where]
    text = ids.astype("str")
    problems = []
    for pos, first_pos in zip(where.tolist(), first.tolist(), strict=True):
        value = text.iloc[pos]
        message = say("duplicate_id", column=column, value=value, first=int(first_pos) + 1)
        problems.append(Problem.of(message, pos + 1 + offset, column, value, "error", file))
    return problems


def geometry_problems(
    type_ids: np.ndarray,
    empty: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    geometry_type: str,
    file: str | None,
    offset: int = 0,
) -> list[Problem]:
    """Geometry checks from arrays: type id (-1: none), emptiness, x and y (NaN unless a point)."""
    problems: list[Problem] = []
    missing = (type_ids < 0) | empty
    expected = _GEOM_TYPES.index(geometry_type)
    wrong = ~missing & (type_ids != expected)
    for pos in np.flatnonzero(missing).tolist():
        problems.append(Problem.of(say("missing_coordinates"), pos + 1 + offset, "geometry", None, "error", file))
    for pos in np.flatnonzero(wrong).tolist():
        found = _GEOM_TYPES[int(type_ids[pos])]
        message = say("wrong_geometry", found=found, accepted=geometry_type)
        problems.append(Problem.of(message, pos + 1 + offset, "geometry", found, "error", file))
    if geometry_type != "Point":
        return problems
    point = ~missing & ~wrong
    with np.errstate(invalid="ignore"):
        not_numbers = point & ~(np.isfinite(x) & np.isfinite(y))
        lat_bad = point & ~not_numbers & (np.abs(y) > 90)
        lon_bad = point & ~not_numbers & ~lat_bad & (np.abs(x) > 180)
        zero = point & ~not_numbers & ~lat_bad & ~lon_bad & (x == 0) & (y == 0)
    for pos in np.flatnonzero(not_numbers).tolist():
        problems.append(Problem.of(say("coords_not_numbers"), pos + 1 + offset, "geometry", None, "error", file))
    for pos in np.flatnonzero(lat_bad).tolist():
        lat, lon = y[pos], x[pos]
        message = say("lat_invalid_swapped" if abs(lon) <= 90 else "lat_invalid", lat=lat)
        problems.append(Problem.of(message, pos + 1 + offset, "lat", lat, "error", file))
    for pos in np.flatnonzero(lon_bad).tolist():
        problems.append(Problem.of(say("lon_invalid", lon=x[pos]), pos + 1 + offset, "lon", x[pos], "error", file))
    for pos in np.flatnonzero(zero).tolist():
        problems.append(Problem.of(say("zero_zero"), pos + 1 + offset, "geometry", "0, 0", "error", file))
    return problems


def geometry_arrays(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Type ids, emptiness, x and y (NaN for non-points) of an array of shapely geometries."""
    type_ids = shapely.get_type_id(geoms)
    empty = shapely.is_empty(geoms)
    return type_ids, empty, shapely.get_x(geoms), shapely.get_y(geoms)


def attribute_problems(
    table: pd.DataFrame,
    spec: LayerSpec,
    file: str | None,
    *,
    offset: int = 0,
    first_rows: np.ndarray | None = None,
) -> list[Problem]:
    """Column checks and duplicate ids of ``table`` (rows numbered from ``offset + 1``)."""
    problems: list[Problem] = []
    for col in spec.columns:
        if col.name in table.columns:
            problems.extend(_check_column(table[col.name], col, file, offset))
    if spec.id_column in table.columns:
        problems.extend(_duplicate_problems(table[spec.id_column], spec.id_column, file, first_rows, offset))
    return problems


def missing_columns(columns: Sequence[str], spec: LayerSpec, file: str | None) -> list[Problem]:
    """The file-level problem of required columns that are not there (or nothing)."""
    missing = [c for c in spec.required if c not in columns]
    if not missing:
        return []
    message = say("missing_columns", missing=", ".join(missing), required=", ".join(spec.required))
    return [Problem.of(message, file=file)]


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in report order: by row (file-level first), then column; stable."""
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def check_layer(gdf: gpd.GeoDataFrame, kind: str, file: str | None = None) -> list[Problem]:
    """Every problem of ``gdf`` as a layer of ``kind`` (errors and warnings)."""
    spec = get_spec(kind)
    if len(gdf) == 0:
        return [Problem.of(say("no_rows"), file=file)]
    problems = missing_columns(list(gdf.columns), spec, file)
    problems += attribute_problems(gdf, spec, file)
    problems += geometry_problems(*geometry_arrays(gdf.geometry.to_numpy()), spec.geometry_type, file)
    unknown = [c for c in gdf.columns if c != gdf.geometry.name and c not in {s.name for s in spec.columns}]
    if unknown:
        message = say("unknown_columns", columns=", ".join(map(str, unknown)), kind=kind)
        problems.append(Problem.of(message, severity="warning", file=file))
    return sort_problems(problems)


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
