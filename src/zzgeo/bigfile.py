"""Indicators straight from large inventories, streamed in batches.

A province has ~10^5 5G sites and China ~4×10^6. :func:`count_file` reads a CSV,
Parquet (lon/lat columns) or GeoParquet (WKB points, read straight from the Arrow
buffers) file in batches of rows (pyarrow), maps headers and values with the same
aliases as :mod:`zzgeo.imports`, converts coordinates, filters, and counts sites per
district with the grid index (:func:`zzgeo.indicators.count_in_areas`) — never making a
shapely object or a Python string per row, so memory stays bounded by one batch whatever
the file's size. Rows that cannot be used (missing/invalid coordinates or year) are
counted by reason rather than listed one by one: ``zzgeo validate`` lists them.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from pyproj import CRS

from zzgeo._aliases import COLUMN_ALIASES, LAT_ALIASES, LON_ALIASES, VALUE_ALIASES, normalize_header, normalize_value
from zzgeo.crs import parse_crs, to_wgs84
from zzgeo.districts import load_districts
from zzgeo.errors import DataError
from zzgeo.imports import _year_of, sniff_format
from zzgeo.indicators import count_in_areas
from zzgeo.layers import get_spec
from zzgeo.messages import text as say

__all__ = ["BATCH_ROWS", "FileCounts", "count_file", "iter_batches"]

logger = logging.getLogger(__name__)

BATCH_ROWS = 1_000_000

Progress = Callable[[int, int], None]  # (done, total) in bytes or rows


@dataclass
class FileCounts:
    """Counts per district from :func:`count_file`, and what was left out and why."""

    counts: pd.Series
    rows: int = 0
    kept: int = 0
    unassigned: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """One line: rows read, counted, outside, skipped by reason."""
        parts = [f"{self.rows:,} row(s) read", f"{int(self.counts.sum()):,} counted in districts"]
        if self.unassigned:
            parts.append(f"{self.unassigned:,} outside Zhangzhou or on a border")
        parts += [f"{n:,} skipped: {why}" for why, n in sorted(self.skipped.items()) if n]
        return "; ".join(parts)


def _columns_of(names: Sequence[str], kind: str) -> dict[str, str]:
    """Source column -> role (lon, lat, operator, status, year) for the needed roles."""
    spec = get_spec(kind)
    wanted = {"operator", "status", "year"}
    roles: dict[str, str] = {}
    for name in names:
        key = normalize_header(name)
        if "lon" not in roles.values() and key in LON_ALIASES:
            roles[name] = "lon"
        elif "lat" not in roles.values() and key in LAT_ALIASES:
            roles[name] = "lat"
        else:
            for role in wanted - set(roles.values()):
                aliases = COLUMN_ALIASES[role]
                target = spec.year_column if role == "year" else role
                if key in {normalize_header(a) for a in (role, target, *aliases)}:
                    roles[name] = role
                    break
    missing = {"lon", "lat"} - set(roles.values())
    if missing:
        raise DataError(
            f"no {' and '.join(sorted(missing))} column; found: {', '.join(names)}; accepted headers: "
            f"{'/'.join(LON_ALIASES)} and {'/'.join(LAT_ALIASES)}"
        )
    return roles


def iter_batches(path: str | Path, columns_for: Callable[[Sequence[str]], dict[str, str]],
                 progress: Progress | None = None, batch_rows: int = BATCH_ROWS) -> Iterator[pd.DataFrame]:  # fmt: skip
    """Yield batches of ``path`` (CSV or Parquet) with columns renamed to their roles."""
    path = Path(path)
    fmt = sniff_format(path)
    if fmt == "parquet":
        pf = pq.ParquetFile(path)
        geo = _geo_column(pf, path.name)
        names = list(pf.schema_arrow.names)
        if geo is not None:  # GeoParquet: lon/lat come from the WKB points
            names = [n for n in names if n != geo] + ["lon", "lat"]
        roles = columns_for(names)
        read = [c for c in roles if c not in ("lon", "lat")] if geo is not None else list(roles)
        done = 0
        total = pf.metadata.num_rows
        for batch in pf.iter_batches(batch_size=batch_rows, columns=read + ([geo] if geo else [])):
            done += batch.num_rows
            if progress:
                progress(done, total)
            if geo is None:
                yield _to_frame(batch, roles)
                continue
            frame = _to_frame(batch.select(read), roles)
            frame["lon"], frame["lat"] = _wkb_points(batch.column(geo), path.name)
            yield frame
        return
    if fmt != "csv":
        raise DataError(f"{path.name}: {fmt} files are not streamed; stream CSV or Parquet with lon/lat columns")
    raw = path.read_bytes()[:65536]
    encoding = "utf8"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(raw) - 4:  # not just a character cut at the end of the sample
            encoding = "gb18030"
    total = path.stat().st_size
    block = 32 << 20
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=block, encoding=encoding),
            convert_options=pacsv.ConvertOptions(strings_can_be_null=True),
        )
    except pa.ArrowInvalid as exc:
        raise _csv_error(path.name, exc, block) from exc
    roles = columns_for([f.name.lstrip("\ufeff") for f in reader.schema])
    clean = {f.name: f.name.lstrip("\ufeff") for f in reader.schema}
    done = 0
    for batch in _batches_or_error(reader, path.name, block):
        done = min(total, done + batch.nbytes)
        if progress:
            progress(done, total)
        renamed = batch.rename_columns([clean[n] for n in batch.schema.names])
        yield _to_frame(renamed.select(list(roles)), roles)


def _csv_error(name: str, exc: Exception, block: int) -> DataError:
    """A clear error for a CSV pyarrow cannot split into rows (a line longer than a block, bad quoting)."""
    if "straddling" in str(exc) or "block" in str(exc):
        return DataError.of(say("limit_line", where=name, limit=f"{block / 1e6:.0f} MB"))
    return DataError.of(say("file_bad_csv", where=name, reason=str(exc).splitlines()[0][:200]))


def _batches_or_error(reader: pacsv.CSVStreamingReader, name: str, block: int) -> Iterator[pa.RecordBatch]:
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowInvalid as exc:
            raise _csv_error(name, exc, block) from exc
        yield batch


def _geo_column(pf: pq.ParquetFile, name: str) -> str | None:
    """The WKB point column of a GeoParquet file in WGS-84 lon/lat, or None for plain Parquet."""
    raw = (pf.schema_arrow.metadata or {}).get(b"geo")
    if raw is None:
        return None
    meta = json.loads(raw)
    column = str(meta["primary_column"])
    info = meta["columns"][column]
    if info.get("encoding", "WKB").upper() != "WKB" or set(info.get("geometry_types") or ["Point"]) != {"Point"}:
        raise DataError(f"{name}: only GeoParquet points in WKB are streamed; import other geometries instead")
    crs = info.get("crs")
    if crs is not None and not CRS.from_user_input(crs).equals("EPSG:4326", ignore_axis_order=True):
        raise DataError(f"{name}: GeoParquet in {CRS.from_user_input(crs).name}; streaming needs WGS-84 lon/lat")
    return column


def _wkb_points(column: pa.Array, name: str) -> tuple[np.ndarray, np.ndarray]:
    """x, y of 2-D WKB points read straight from the Arrow buffers (no geometry objects)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if column.null_count:
        column = column.fill_null(b"")
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int32)[column.offset : column.offset + len(column) + 1]
    data = np.frombuffer(column.buffers()[2], dtype=np.uint8)
    starts = offsets[:-1]
    sizes = np.diff(offsets)
    x = np.full(len(column), np.nan)
    y = np.full(len(column), np.nan)
    ok = sizes == 21  # byte order, type, x, y
    if ok.any():
        begin = starts[ok].astype(np.int64)
        records = data[begin[:, None] + np.arange(21)]
        little = records[:, 0] == 1
        kinds = np.where(little, records[:, 1:5].copy().view("<u4")[:, 0], records[:, 1:5].copy().view(">u4")[:, 0])
        coords = records[:, 5:21].copy()
        xy = np.where(little[:, None], coords.view("<f8"), coords.view(">f8"))
        point = kinds == 1
        idx = np.flatnonzero(ok)[point]
        x[idx] = xy[point, 0]
        y[idx] = xy[point, 1]
    return x, y


def _to_frame(batch: pa.RecordBatch, roles: dict[str, str]) -> pd.DataFrame:
    frame = batch.to_pandas(strings_to_categorical=True)
    return frame.rename(columns=roles)


def _normalize(values: pd.Series, role: str) -> pd.Series:
    """Map aliases on the unique values only (columns are categorical)."""
    cat = values.astype("category")
    mapping = VALUE_ALIASES.get(role)
    new_categories = [(mapping.get(normalize_value(str(c)), str(c)) if mapping else str(c)) for c in cat.cat.categories]
    return pd.Series(pd.Categorical.from_codes(cat.cat.codes, categories=pd.Index(new_categories).unique())
                     if len(set(new_categories)) == len(new_categories)
                     else cat.astype(str).map(dict(zip(map(str, cat.cat.categories), new_categories, strict=True))),
                     index=values.index)  # fmt: skip


def _years(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(values):
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    cat = values.astype("category")
    parsed = pd.to_numeric(pd.Series([_year_of(str(c)) for c in cat.cat.categories]), errors="coerce").to_numpy()
    out = np.full(len(values), np.nan)
    codes = cat.cat.codes.to_numpy()
    ok = codes >= 0
    out[ok] = parsed[codes[ok]]
    return out


def count_file(
    path: str | Path,
    kind: str = "5g_sites",
    districts: gpd.GeoDataFrame | None = None,
    *,
    year: int | None = None,
    operators: Sequence[str] | None = None,
    statuses: Sequence[str] | None = ("in_service",),
    crs: str | None = None,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
) -> FileCounts:
    """Count the rows of a large CSV/Parquet inventory per district, streaming.

    ``districts`` may be any polygons with an ``adcode`` column, e.g. a prepared area layer
    (:func:`zzgeo.areas.prepare_areas`); a row in two overlapping areas counts in both, and
    ``unassigned`` counts rows in none.

    Filters as :func:`zzgeo.indicators.filter_layer`: ``year`` keeps rows whose year is
    at most ``year`` (rows without a year are then skipped); ``operators``/``statuses``
    keep rows with those (alias-normalized) values when the file has the column.
    """
    districts = load_districts("full") if districts is None else districts
    chosen = parse_crs(crs)
    codes = districts["adcode"].astype(str)
    result = FileCounts(counts=pd.Series(0, index=pd.Index(codes, name="adcode"), dtype="int64", name="sites"))
    for frame in iter_batches(path, lambda names: _columns_of(names, kind), progress, batch_rows):
        n = len(frame)
        result.rows += n
        x = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float)
        y = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float)
        keep = np.isfinite(x) & np.isfinite(y) & ~((x == 0) & (y == 0))
        result.skipped["missing or invalid coordinates"] += int(n - keep.sum())
        if year is not None:
            if "year" not in frame:
                raise DataError(f"--year needs a year column; accepted headers: {', '.join(COLUMN_ALIASES['year'])}")
            years = _years(frame["year"])
            no_year = keep & ~np.isfinite(years)
            result.skipped["no readable year"] += int(no_year.sum())
            keep &= np.isfinite(years) & (years <= year)
        for role, wanted in (("operator", operators), ("status", statuses)):
            if wanted is not None and role in frame:
                keep &= _normalize(frame[role], role).isin(list(wanted)).to_numpy(dtype=bool)
        lon, lat = to_wgs84(x[keep], y[keep], chosen)
        counted, none = count_in_areas(lon, lat, districts)  # districts, or any polygons with an adcode
        result.kept += int(keep.sum())
        result.unassigned += none
        result.counts = result.counts.add(counted, fill_value=0).astype("int64")
    logger.info("%s: %s", Path(path).name, result.summary())
    return result
