"""Importing users' inventories: read, map headers, convert coordinates, check, split.

:func:`import_file` takes a file as it comes — CSV (UTF-8, UTF-8 with BOM, GBK/GB18030),
Excel (.xlsx), GeoJSON, GeoPackage, zipped Shapefile, (Geo)Parquet; the format is
detected from the content, not the extension — and returns an :class:`ImportResult`:

- ``mapping``: which header became which column (Chinese and English aliases);
- ``normalized``: which values were recognised as aliases (中国移动 -> China Mobile);
- ``problems``: every problem with file, row, column, value and what is accepted;
- ``layer``: the rows that pass, typed per the layer kind, in WGS-84;
- ``rejected``: the rows that fail, as they were read, with ``row`` and ``problem``
  columns (and, from vector formats, the geometry as read in ``wkt``) — nothing is lost.

Coordinates: the file's own CRS wins when it states one (GeoPackage, Shapefile .prj,
GeoParquet, GeoJSON with a ``crs`` member); otherwise the user's choice applies
(:data:`zzgeo.crs.CRS_CHOICES`: WGS-84, CGCS2000, GCJ-02, BD-09, Gauss-Krüger, UTM, or
any EPSG code). Rows are numbered from 1 in data order (CSV row N is line N + 1).
"""

from __future__ import annotations

import json
import logging
import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from zzgeo._aliases import (
    COLUMN_ALIASES,
    LAT_ALIASES,
    LON_ALIASES,
    VALUE_ALIASES,
    normalize_header,
    normalize_value,
)
from zzgeo.crs import CoordinateSystem, parse_crs, to_wgs84
from zzgeo.districts import load_districts
from zzgeo.errors import DataError, Problem
from zzgeo.export import to_csv
from zzgeo.io import decode_text
from zzgeo.layers import LayerSpec, coerce_columns, get_spec
from zzgeo.messages import DIRECTIONS
from zzgeo.messages import text as say
from zzgeo.settings import get_settings
from zzgeo.validate import check_layer

__all__ = ["FORMATS", "ImportResult", "RawData", "import_file", "read_raw", "sniff_format"]

logger = logging.getLogger(__name__)

#: format key -> description (what users can upload)
FORMATS = {
    "csv": "CSV or text table (UTF-8, UTF-8 with BOM, GBK/GB18030, UTF-16; comma, semicolon or tab) "
    "with lon/lat columns",
    "xlsx": "Excel workbook (.xlsx, first sheet) with lon/lat columns",
    "geojson": "GeoJSON",
    "gpkg": "GeoPackage (choose a layer if it has several)",
    "shapefile": "zipped Shapefile (.zip with .shp, .shx, .dbf; .prj and .cpg honoured)",
    "parquet": "GeoParquet, or Parquet with lon/lat columns",
}

#: Points farther than this from Zhangzhou are errors; nearer ones are warnings.
FAR_OUTSIDE_KM = 50.0
#: Within this distance outside the boundary, a GCJ-02/BD-09 offset is a likely cause.
OFFSET_HINT_KM = 1.5
_YEAR = re.compile(
    r"^\s*((?:19|20)\d\d)\s*(?:年\s*)?"  # the year, optionally with 年
    r"(?:[-/.]?\s*\d{1,2}\s*(?:月\s*)?(?:[-/.]?\s*\d{1,2}\s*日?)?)?"  # month, day
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*$"  # time of day
)
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")  # 1,200 or 12,345.5
_METRES_CRS = "EPSG:32650"  # WGS-84 / UTM 50N: metres around Zhangzhou


@dataclass
class RawData:
    """A file as read, before any mapping: attributes, geometry and the file's CRS."""

    table: pd.DataFrame
    geometry: gpd.GeoSeries | None
    crs: CRS | None
    fmt: str
    layers: tuple[str, ...] = ()


@dataclass
class ImportResult:
    """The outcome of importing one file (see the module docstring)."""

    kind: str
    file: str
    fmt: str
    crs: CoordinateSystem | CRS
    crs_from_file: bool
    rows_total: int
    mapping: list[tuple[str, str]] = field(default_factory=list)
    normalized: list[tuple[str, str, str, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    layer: gpd.GeoDataFrame = field(default_factory=lambda: gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"))
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def errors(self) -> list[Problem]:
        """Problems that make a row (or the file) unusable."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems worth a look that do not reject a row."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def crs_name(self) -> str:
        """A readable name of the CRS the coordinates were read in."""
        if isinstance(self.crs, CoordinateSystem):
            return self.crs.title("en")
        return str(self.crs.name)

    def summary(self) -> str:
        """One line: rows read, accepted, rejected, errors and warnings."""
        return (
            f"{self.file}: {self.rows_total} row(s) read as {self.kind}; {len(self.layer)} accepted, "
            f"{len(self.rejected)} rejected; {len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        )

    def report_lines(self) -> list[str]:
        """The whole report as text lines: mapping, recognised values, problems, summary."""
        lines = [f"format: {FORMATS.get(self.fmt, self.fmt)}"]
        source = "from the file" if self.crs_from_file else "as chosen"
        lines.append(f"coordinates: {self.crs_name} ({source}), converted to WGS-84")
        for src, dst in self.mapping:
            lines.append(f"column {src!r} -> {dst}" if src != dst else f"column {src!r}")
        for col, old, new, n in self.normalized:
            lines.append(f"value {old!r} in {col} read as {new!r} ({n} row(s))")
        lines += [f"{p.severity}: {p}" for p in self.problems]
        lines.append(self.summary())
        return lines

    def rejected_table(self, lang: str = "en") -> pd.DataFrame:
        """The rejected rows with their ``problem`` column in ``lang`` ("en" or "zh")."""
        if lang == "en" or self.rejected.empty or "problem" not in self.rejected.columns:
            return self.rejected
        out = self.rejected.copy()
        out["problem"] = _row_problems(self.errors, [int(r) for r in out["row"]], lang)
        return out

    def rejected_csv(self, path: str | Path, lang: str = "en") -> Path:
        """Write the rejected rows (with ``row`` and ``problem``, in ``lang``) as UTF-8-BOM CSV."""
        return to_csv(self.rejected_table(lang), path)


def _row_problems(errors: list[Problem], rows: list[int], lang: str = "en") -> list[str]:
    """The ``problem`` text of each of ``rows``: its errors ("column: message"; file errors: every row)."""
    texts: dict[int, list[str]] = {}
    for p in errors:
        message = p.text(lang)
        for r in [p.row] if p.row is not None else rows:
            texts.setdefault(r, []).append(f"{p.column}: {message}" if p.column else message)
    return ["; ".join(texts.get(r, [])) for r in rows]


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def sniff_format(path: str | Path) -> str:
    """The file's format, told from its first bytes (the extension is only a hint).

    Raises
    ------
    DataError
        For empty files and formats zzgeo does not read, with what is accepted.
    """
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head:
        raise DataError.of(say("file_empty", where=path.name))
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError.of(say("file_xls", where=path.name))
    if head[:4] == b"\x00\x00\x27\x0a":
        raise DataError.of(say("file_lone_shp", where=path.name))
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(path).namelist()
        except zipfile.BadZipFile as exc:
            raise DataError.of(say("file_bad_zip", where=path.name, reason=exc)) from exc
        if "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.lower().endswith(".shp") for n in names):
            return "shapefile"
        raise DataError.of(say("file_zip_no_shp", where=path.name, found=", ".join(names[:10])))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"  # UTF-16 text, as Excel's "Unicode text" export writes it
    if b"\x00" in head:
        raise DataError.of(say("file_binary", where=path.name, accepted="; ".join(FORMATS.values())))
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"{", b"[")):
        return "geojson"
    return "csv"


def _delimiter(text: str) -> str:
    """The delimiter of a table: the most frequent of , ; tab | in its header line."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _read_table_text(raw: bytes, where: str) -> pd.DataFrame:
    text = decode_text(raw, where)
    try:
        table = pd.read_csv(
            StringIO(text),
            sep=_delimiter(text),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skipinitialspace=True,
        )
    except pd.errors.EmptyDataError as exc:
        raise DataError.of(say("file_no_header", where=where)) from exc
    except pd.errors.ParserError as exc:
        raise DataError.of(say("file_bad_csv", where=where, reason=exc)) from exc
    return table


def _geojson_states_crs(path: Path) -> bool:
    try:
        doc = json.loads(decode_text(path.read_bytes(), path.name))
    except ValueError as exc:
        raise DataError.of(say("file_bad_json", where=path.name, reason=exc)) from exc
    return isinstance(doc, dict) and "crs" in doc


def read_raw(path: str | Path, layer: str | None = None) -> RawData:
    """Read ``path`` as it is: attributes, geometry (vector formats) and the stated CRS."""
    path = Path(path)
    where = path.name
    fmt = sniff_format(path)
    if fmt == "csv":
        return RawData(_read_table_text(path.read_bytes(), where), None, None, fmt)
    if fmt == "xlsx":
        try:
            table = pd.read_excel(path, dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many kinds of errors for damaged workbooks
            raise DataError.of(say("file_bad_xlsx", where=where, reason=exc)) from exc
        return RawData(table, None, None, fmt)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            metadata = pq.read_schema(path).metadata or {}
            if b"geo" in metadata:
                gdf = gpd.read_parquet(path)
                return RawData(pd.DataFrame(gdf.drop(columns=gdf.geometry.name)), gdf.geometry, gdf.crs, fmt)
            return RawData(pd.read_parquet(path).astype("string").astype(object), None, None, fmt)
        except (OSError, ValueError) as exc:
            raise DataError.of(say("file_bad_parquet", where=where, reason=exc)) from exc
    layers: tuple[str, ...] = ()
    source = f"/vsizip/{path}" if fmt == "shapefile" else str(path)
    try:
        listed = pyogrio.list_layers(source)
        layers = tuple(str(name) for name in listed[:, 0])
        if fmt == "gpkg" and layer is None and len(layers) > 1:
            raise DataError.of(say("file_gpkg_layers", where=where, n=len(layers), layers=", ".join(layers)))
        if layer is not None and layer not in layers:
            raise DataError.of(say("file_no_layer", where=where, layer=layer, layers=", ".join(layers)))
        gdf = gpd.read_file(source, layer=layer, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataError.of(say("file_bad_vector", where=where, fmt=fmt, reason=exc)) from exc
    crs = gdf.crs
    if fmt == "geojson" and not _geojson_states_crs(path):
        crs = None  # GDAL assumes WGS-84 for GeoJSON; Chinese tools often write GCJ-02 without saying
    table = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    return RawData(table, gdf.geometry, crs, fmt, layers)


# --------------------------------------------------------------------------------------------
# Mapping headers and values
# --------------------------------------------------------------------------------------------


def _map_headers(
    columns: list[str], spec: LayerSpec, need_xy: bool, file: str
) -> tuple[dict[str, str], list[Problem], str | None, str | None]:
    """Rename map (source -> spec column), problems, and the x/y source columns."""
    lookup: dict[str, str] = {}
    for canonical, aliases in COLUMN_ALIASES.items():
        target = spec.year_column if canonical == "year" else canonical
        if target not in {c.name for c in spec.columns}:
            continue
        for alias in (canonical, target, *aliases):
            lookup.setdefault(normalize_header(alias), target)
    rename: dict[str, str] = {}
    problems: list[Problem] = []
    taken: dict[str, str] = {}
    x_col = y_col = None
    for col in columns:
        key = normalize_header(col)
        if need_xy and x_col is None and key in LON_ALIASES:
            x_col = col
            continue
        if need_xy and y_col is None and key in LAT_ALIASES:
            y_col = col
            continue
        mapped = lookup.get(key)
        if mapped is None:
            continue
        if mapped in taken:
            problems.append(
                Problem.of(
                    say("header_taken", column=col, field=mapped, taken=taken[mapped]),
                    column=str(col),
                    severity="warning",
                    file=file,
                )
            )
            continue
        taken[mapped] = str(col)
        rename[str(col)] = mapped
    return rename, problems, x_col, y_col


def _normalize_values(table: pd.DataFrame, spec: LayerSpec) -> list[tuple[str, str, str, int]]:
    """Replace recognised aliases in place; return (column, from, to, count) records."""
    records: list[tuple[str, str, str, int]] = []
    for col in spec.columns:
        if col.name not in table.columns:
            continue
        values = table[col.name]
        present = values.notna()
        text = values[present].astype(str).str.strip()
        aliases = VALUE_ALIASES.get(col.name)
        if col.dtype in ("int", "float") and col.name != spec.year_column:
            new = text.map(lambda v: v.replace(",", "") if _THOUSANDS.match(v) else v)
        elif aliases is not None:
            new = text.map(lambda v, a=aliases: a.get(normalize_value(v), v))
        elif col.name == spec.year_column:
            new = text.map(_year_of)
        else:
            new = text
        changed = new != text
        for (old, value), count in Counter(zip(text[changed], new[changed], strict=True)).items():
            records.append((col.name, old, value, count))
        if changed.any():
            table.loc[present, col.name] = new.to_numpy()
    return records


def _year_of(text: str) -> str:
    """'2021年', '2021-06-30', '2021/6', '2021.0' -> '2021'; anything else unchanged."""
    match = _YEAR.match(text)
    if match:
        return match.group(1)
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else text


# --------------------------------------------------------------------------------------------
# Coordinates
# --------------------------------------------------------------------------------------------


def _table_points(
    table: pd.DataFrame, x_col: str, y_col: str, crs: CoordinateSystem, file: str
) -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    """WGS-84 lon/lat arrays (NaN where unusable) and per-row coordinate problems."""
    problems: list[Problem] = []
    raw_x = table[x_col]
    raw_y = table[y_col]
    x = pd.to_numeric(raw_x, errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(raw_y, errors="coerce").to_numpy(dtype=float)
    bad = np.zeros(len(table), dtype=bool)
    for i in range(len(table)):
        row = i + 1
        for col, raw, val in ((x_col, raw_x.iloc[i], x[i]), (y_col, raw_y.iloc[i], y[i])):
            if pd.isna(raw) or str(raw).strip() == "":
                problems.append(Problem.of(say("missing_coordinate"), row, str(col), None, "error", file))
                bad[i] = True
            elif not np.isfinite(val):
                problems.append(Problem.of(say("not_a_number", value=raw), row, str(col), raw, "error", file))
                bad[i] = True
        if not bad[i] and x[i] == 0 and y[i] == 0:
            problems.append(Problem.of(say("zero_zero"), row, f"{x_col}/{y_col}", "0, 0", "error", file))
            bad[i] = True
    ok = ~bad
    looks_metres = ok & ((np.abs(x) > 360) | (np.abs(y) > 360))
    if crs.projected:
        wrong = ok & ~looks_metres
        key = "degrees_for_projected"
    else:
        wrong = looks_metres
        key = "metres_for_degrees"
    for i in np.flatnonzero(wrong).tolist():
        where = f"{x_col}/{y_col}"
        message = say(key, x=x[i], y=y[i], crs=crs.key)
        problems.append(Problem.of(message, i + 1, where, f"{x[i]}, {y[i]}", "error", file))
    bad |= wrong
    lon = np.full(len(table), np.nan)
    lat = np.full(len(table), np.nan)
    ok = ~bad
    if ok.any():
        lon[ok], lat[ok] = to_wgs84(x[ok], y[ok], crs)
    if crs.projected and ok.any():
        # Chinese survey coordinates put the northing in X and the easting in Y.
        west, south, east, north = load_districts("full").total_bounds

        def near(lo: np.ndarray, la: np.ndarray) -> np.ndarray:
            return (lo > west - 1) & (lo < east + 1) & (la > south - 1) & (la < north + 1)

        swap_lon, swap_lat = to_wgs84(y[ok], x[ok], crs)
        flipped = np.flatnonzero(ok)[~near(lon[ok], lat[ok]) & near(swap_lon, swap_lat)]
        for i in flipped.tolist():
            problems.append(
                Problem.of(
                    say("xy_swapped", x=x[i], y=y[i]), i + 1, f"{x_col}/{y_col}", f"{x[i]}, {y[i]}", "error", file
                )
            )
        lon[flipped] = lat[flipped] = np.nan
    return lon, lat, problems


def _direction(dx: float, dy: float) -> str:
    names = ["east", "north-east", "north", "north-west", "west", "south-west", "south", "south-east"]
    return names[round(math.degrees(math.atan2(dy, dx)) / 45) % 8]


def _location_problems(
    lon: np.ndarray, lat: np.ndarray, crs_is_default_wgs84: bool, x_col: str, y_col: str, file: str
) -> tuple[np.ndarray, list[Problem]]:
    """Swapped, out-of-range and outside-Zhangzhou checks on WGS-84 lon/lat."""
    problems: list[Problem] = []
    bad = np.zeros(len(lon), dtype=bool)
    # 0, 0 ("null island") is reported by the layer checks as missing coordinates.
    finite = np.isfinite(lon) & np.isfinite(lat) & ~((lon == 0) & (lat == 0))
    where = f"{x_col}/{y_col}"
    swapped = finite & (np.abs(lon) >= 15) & (np.abs(lon) <= 35) & (np.abs(lat) >= 105) & (np.abs(lat) <= 125)
    for i in np.flatnonzero(swapped):
        problems.append(
            Problem.of(
                say("latlon_swapped", lat=lat[i], lon=lon[i]), int(i) + 1, where, f"{lon[i]}, {lat[i]}", "error", file
            )
        )
    out_of_range = finite & ~swapped & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
    for i in np.flatnonzero(out_of_range):
        problems.append(
            Problem.of(
                say("not_lonlat", lon=lon[i], lat=lat[i]), int(i) + 1, where, f"{lon[i]}, {lat[i]}", "error", file
            )
        )
    bad |= swapped | out_of_range
    check = np.flatnonzero(finite & ~bad)
    if check.size:
        districts = load_districts("full")
        city = shapely.union_all(districts.geometry.to_numpy())
        shapely.prepare(city)
        outside = check[~shapely.contains_xy(city, lon[check], lat[check])]
        if outside.size:
            metres = gpd.GeoSeries([city], crs="EPSG:4326").to_crs(_METRES_CRS).iloc[0]
            pts = gpd.GeoSeries(gpd.points_from_xy(lon[outside], lat[outside]), crs="EPSG:4326").to_crs(_METRES_CRS)
            centre = metres.centroid
            for i, pt in zip(outside, pts, strict=True):
                km = metres.distance(pt) / 1000
                side = _direction(pt.x - centre.x, pt.y - centre.y)
                far = km > FAR_OUTSIDE_KM
                msg = say("outside", km=f"{km:.1f}", side=side, side_zh=DIRECTIONS[side])
                if far:
                    msg += say("outside_far", limit=f"{FAR_OUTSIDE_KM:.0f}")
                elif crs_is_default_wgs84 and km <= OFFSET_HINT_KM:
                    msg += say("outside_offset_hint")
                if not far:
                    msg += say("outside_not_counted")
                problems.append(
                    Problem.of(
                        msg, int(i) + 1, where, f"{lon[i]:.6f}, {lat[i]:.6f}", "error" if far else "warning", file
                    )
                )
                bad[i] = far
    return bad, problems


def _convert_vector(geometry: gpd.GeoSeries, file_crs: CRS | None, crs: CoordinateSystem) -> gpd.GeoSeries:
    if file_crs is not None:
        return gpd.GeoSeries(geometry.to_numpy(), crs=file_crs).to_crs("EPSG:4326")

    def convert(coords: np.ndarray) -> np.ndarray:
        lon, lat = to_wgs84(coords[:, 0], coords[:, 1], crs)
        return np.column_stack([lon, lat])

    values = shapely.transform(geometry.to_numpy(), convert)
    return gpd.GeoSeries(values, crs="EPSG:4326", index=geometry.index)


def _repair_polygons(geoms: gpd.GeoSeries, file: str) -> tuple[gpd.GeoSeries, list[Problem]]:
    problems: list[Problem] = []
    values = geoms.to_numpy().copy()
    polygonal = np.isin(shapely.get_type_id(values), [3, 6])
    invalid = np.flatnonzero(polygonal & ~shapely.is_valid(values))
    for i in invalid:
        reason = shapely.is_valid_reason(values[i])
        values[i] = shapely.make_valid(values[i], method="structure", keep_collapsed=False)
        problems.append(
            Problem.of(say("polygon_repaired", reason=reason), int(i) + 1, "geometry", reason, "warning", file)
        )
    return gpd.GeoSeries(values, crs=geoms.crs, index=geoms.index), problems


# --------------------------------------------------------------------------------------------
# The whole import
# --------------------------------------------------------------------------------------------


def _size_text(n: int) -> str:
    """A file size for messages: '812 bytes', '3.4 kB', '51.2 MB'."""
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} MB"
    return f"{n / 1e3:.1f} kB" if n >= 1000 else f"{n} bytes"


def import_file(
    path: str | Path,
    kind: str,
    crs: str | None = None,
    *,
    layer: str | None = None,
    name: str | None = None,
    max_bytes: int | None = None,
) -> ImportResult:
    """Read, map, convert and check an inventory file (see the module docstring).

    Parameters
    ----------
    path : str or Path
        The file.
    kind : str
        Layer kind (see :data:`zzgeo.layers.LAYER_KINDS`).
    crs : str, optional
        Coordinate system of files that do not state one (default WGS-84); see
        :func:`zzgeo.crs.parse_crs`.
    layer : str, optional
        Layer of a GeoPackage with several.
    name : str, optional
        File name to report (e.g. the name of an upload); default ``path``'s name.
    max_bytes : int, optional
        Size limit; default ``ZZGEO_MAX_UPLOAD_MB`` (50 MB).

    Raises
    ------
    DataError
        When the file cannot be read at all (missing, empty, too large, unreadable).
    """
    path = Path(path)
    spec = get_spec(kind)
    file = name or path.name
    chosen = parse_crs(crs)
    limit = max_bytes if max_bytes is not None else get_settings().max_upload_bytes
    if not path.exists():
        raise DataError.of(say("file_not_found", where=file))
    size = path.stat().st_size
    if size > limit:
        raise DataError.of(say("file_too_big", where=file, size=_size_text(size), limit=_size_text(limit)))
    try:
        raw = read_raw(path, layer)
    except DataError as exc:
        if name and str(exc).startswith(path.name):
            renamed = DataError(file + str(exc)[len(path.name) :])
            if exc.zh and exc.zh.startswith(path.name):
                renamed.zh = file + exc.zh[len(path.name) :]
            raise renamed from exc
        raise
    table = raw.table.reset_index(drop=True)
    table.columns = [str(c).strip() for c in table.columns]
    original = table.copy()
    is_table = raw.geometry is None
    if raw.geometry is not None and "wkt" not in original.columns:
        # Rejected rows keep their geometry too (as read, in the file's coordinates).
        original["wkt"] = raw.geometry.reset_index(drop=True).to_wkt().to_numpy()
    rename, problems, x_col, y_col = _map_headers(list(table.columns), spec, is_table, file)
    result = ImportResult(
        kind=kind,
        file=file,
        fmt=raw.fmt,
        crs=raw.crs if raw.crs is not None else chosen,
        crs_from_file=raw.crs is not None,
        rows_total=len(table),
    )
    result.mapping = [(src, dst) for src, dst in rename.items()]
    if len(table) == 0:
        result.problems = [Problem.of(say("no_rows"), file=file)]
        return result
    if is_table and (x_col is None or y_col is None):
        found = ", ".join(map(str, table.columns))
        result.problems = [
            Problem.of(
                say("no_lonlat_columns", found=found, lon="/".join(LON_ALIASES), lat="/".join(LAT_ALIASES)), file=file
            )
        ]
        rejected = original.assign(problem=result.problems[0].message)
        rejected.insert(0, "row", np.arange(1, len(table) + 1))
        result.rejected = rejected
        return result
    table = table.rename(columns=rename)
    result.normalized = _normalize_values(table, spec)

    if is_table:
        assert x_col is not None
        assert y_col is not None
        result.mapping += [(x_col, "lon"), (y_col, "lat")]
        lon, lat, coord_problems = _table_points(table, x_col, y_col, chosen, file)
        table = table.drop(columns=[x_col, y_col])
        geometry = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326")
        geometry[~(np.isfinite(lon) & np.isfinite(lat))] = None
        where = (x_col, y_col)
    else:
        assert raw.geometry is not None
        geometry = _convert_vector(raw.geometry.reset_index(drop=True), raw.crs, chosen)
        geometry, coord_problems = _repair_polygons(geometry, file)
        # GeoSeries.x raises on any non-point; shapely.get_x gives NaN for those (and for None).
        lon = shapely.get_x(geometry.to_numpy())
        lat = shapely.get_y(geometry.to_numpy())
        where = ("lon", "lat")
    problems += coord_problems
    default_wgs84 = raw.crs is None and chosen.key == "wgs84"
    _, loc_problems = _location_problems(np.asarray(lon), np.asarray(lat), default_wgs84, *where, file)
    problems += loc_problems

    gdf = gpd.GeoDataFrame(table, geometry=geometry.to_numpy(), crs="EPSG:4326")
    coord_rows = {p.row for p in problems if p.severity == "error" and p.row is not None}
    for p in check_layer(gdf, kind, file):
        if p.column in ("geometry", "lon", "lat") and p.row in coord_rows:
            continue  # already explained by a coordinate problem
        if p.row is None and p.severity == "warning" and "are not part of" in p.message:
            continue  # replaced by the mapping report below
        problems.append(p)
    unknown = [c for c in table.columns if c not in {s.name for s in spec.columns}]
    if unknown:
        problems.append(
            Problem.of(
                say("unknown_columns", columns=", ".join(map(str, unknown)), kind=kind), severity="warning", file=file
            )
        )
    result.problems = sorted(problems, key=lambda p: (p.row or 0, p.column or ""))

    file_errors = [p for p in result.errors if p.row is None]
    bad_rows = {p.row for p in result.errors if p.row is not None}
    bad = np.array([bool(file_errors) or (i + 1) in bad_rows for i in range(len(table))])
    rejected = original.loc[bad].copy()
    rejected.insert(0, "row", np.flatnonzero(bad) + 1)
    rejected["problem"] = _row_problems(result.errors, [int(r) for r in rejected["row"]])
    result.rejected = rejected.reset_index(drop=True)
    accepted = gdf.loc[~bad].copy()
    result.layer = coerce_columns(accepted, spec).reset_index(drop=True)
    logger.info(result.summary())
    return result
