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

Work is done on columns, in batches of rows (CSV and Parquet are read
:data:`zzgeo._readers.BATCH_ROWS` rows at a time, so memory stays bounded for any length;
``keep_layer=False`` counts accepted rows instead of keeping them). Columns outside the
kind's spec are left out of the layer unless ``keep_columns=True``; cells with NUL bytes or
control characters reject their row. An :class:`ImportResult` can be saved to a folder and
loaded again (:meth:`ImportResult.save`, :meth:`ImportResult.load`: GeoParquet, Parquet and
JSON, no pickle).

Area kinds (:data:`zzgeo.layers.AREA_KINDS`: polygons, see :mod:`zzgeo.area_checks`) are
read whole and checked in one batch, because their checks look at the set (overlaps, gaps,
the city's cover); a table (CSV, Excel, Parquet) gives each polygon as WKT, EWKT or hex
(E)WKB in a geometry column instead of lon/lat, and that column is exempt from the cell
length limit (a polygon's WKT is long; the file's size bounds it).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from pyproj import CRS

from zzgeo import area_checks
from zzgeo._aliases import (
    COLUMN_ALIASES,
    LAT_ALIASES,
    LON_ALIASES,
    VALUE_ALIASES,
    normalize_header,
    normalize_value,
)
from zzgeo._readers import (
    BATCH_ROWS,
    ImportLimits,
    Source,
    control_char_rows,
    first_control_char,
    long_cells,
    open_source,
    size_text,
)
from zzgeo.assign import index_for
from zzgeo.crs import CoordinateSystem, parse_crs, to_wgs84
from zzgeo.districts import load_districts
from zzgeo.errors import DataError, Problem
from zzgeo.export import atomic_path, to_csv
from zzgeo.layers import AREA_KINDS, LayerSpec, coerce_columns, get_spec, to_number
from zzgeo.messages import DIRECTIONS, Text
from zzgeo.messages import text as say
from zzgeo.validate import (
    attribute_problems,
    first_positions,
    geometry_arrays,
    geometry_problems,
    missing_columns,
    sort_problems,
)

__all__ = [
    "FORMATS",
    "ImportLimits",
    "ImportProgress",
    "ImportResult",
    "RawData",
    "gpkg_layers",
    "import_file",
    "read_raw",
    "sniff_format",
]

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
#: A neutralised CSV cell as zzgeo's exports write it ("'=1+1", or "''-" for the text "'-"): read
#: back without its first apostrophe. Only CSV files: Excel cells are neutralised by a quote prefix
#: (the text is unchanged), and GeoJSON, GeoPackage, Shapefile and Parquet are not neutralised.
_NEUTRALISED = re.compile(r"^'(?='*[=+\-@\t\r])")
_NEUTRALISED_FORMATS = frozenset({"csv"})
_DBF_WIDTH = 10


@dataclass
class RawData:
    """A file as read, before any mapping: attributes, geometry and the file's CRS."""

    table: pd.DataFrame
    geometry: gpd.GeoSeries | None
    crs: CRS | None
    fmt: str
    layers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportProgress:
    """How far an import is: ``stage`` ("reading", "checking", "done"), rows done, of how many.

    ``rows_total`` is None while unknown (CSV: the file is read once); ``fraction`` is
    then estimated from the bytes read.
    """

    stage: str
    rows: int
    rows_total: int | None = None
    fraction: float | None = None


Progress = Callable[[ImportProgress], None]


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
    #: the text encoding used (tables), e.g. "GB18030 (GBK)"
    encoding: str | None = None
    #: columns outside the kind's spec that were left out of the layer
    dropped: list[str] = field(default_factory=list)
    #: accepted rows counted but not kept (``import_file(..., keep_layer=False)``)
    accepted_count: int | None = None
    #: hex SHA-256 of the file as read (the audit log records it)
    sha256: str = ""

    @property
    def errors(self) -> list[Problem]:
        """Problems that make a row (or the file) unusable."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems worth a look that do not reject a row."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def n_accepted(self) -> int:
        """Rows accepted (kept in ``layer``, or only counted)."""
        return len(self.layer) if self.accepted_count is None else self.accepted_count

    @property
    def crs_name(self) -> str:
        """A readable name of the CRS the coordinates were read in."""
        if isinstance(self.crs, CoordinateSystem):
            return self.crs.title.get("en")
        return str(self.crs.name)

    def summary(self) -> str:
        """One line: rows read, accepted, rejected, errors and warnings."""
        return (
            f"{self.file}: {self.rows_total} row(s) read as {self.kind}; {self.n_accepted} accepted, "
            f"{len(self.rejected)} rejected; {len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        )

    def report_lines(self) -> list[str]:
        """The whole report as text lines: format, encoding, mapping, recognised values, problems, summary."""
        lines = [f"format: {FORMATS.get(self.fmt, self.fmt)}"]
        if self.encoding:
            lines.append(f"encoding: {self.encoding}")
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
        """Write the rejected rows (with ``row`` and ``problem``, in ``lang``) as UTF-8-BOM CSV.

        Cells that a spreadsheet would run as a formula are neutralised (see
        :func:`zzgeo.export.neutralise`).
        """
        return to_csv(self.rejected_table(lang), path)

    # -- saving and loading (no pickle: GeoParquet, Parquet and JSON) ---------------------

    def save(self, folder: str | Path) -> Path:
        """Write the result into ``folder`` (created): ``layer.parquet``, ``rejected.parquet``, ``report.json``.

        Any process can read it back with :meth:`load`; ``report.json`` is written last,
        so a folder with it is complete.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_path(folder / "layer.parquet") as tmp:
            self.layer.to_parquet(tmp, index=False)
        with atomic_path(folder / "rejected.parquet") as tmp:
            _plain_parquet(self.rejected, tmp)
        report = {
            "version": 1,
            "kind": self.kind,
            "file": self.file,
            "fmt": self.fmt,
            "crs": {"choice": self.crs.key} if isinstance(self.crs, CoordinateSystem) else {"wkt": self.crs.to_wkt()},
            "crs_from_file": self.crs_from_file,
            "rows_total": self.rows_total,
            "mapping": [list(m) for m in self.mapping],
            "normalized": [list(n) for n in self.normalized],
            "problems": [_problem_record(p) for p in self.problems],
            "encoding": self.encoding,
            "dropped": list(self.dropped),
            "accepted_count": self.accepted_count,
            "sha256": self.sha256,
        }
        with atomic_path(folder / "report.json") as tmp:
            tmp.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> ImportResult:
        """Read a result written by :meth:`save` (raises :class:`DataError` when incomplete)."""
        folder = Path(folder)
        try:
            report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
            layer = gpd.read_parquet(folder / "layer.parquet")
            rejected = pd.read_parquet(folder / "rejected.parquet")
        except (OSError, ValueError) as exc:
            raise DataError(f"no complete import result in {folder.name} ({exc})") from exc
        crs_info = report["crs"]
        crs: CoordinateSystem | CRS = (
            parse_crs(crs_info["choice"]) if "choice" in crs_info else CRS.from_wkt(crs_info["wkt"])
        )
        return cls(
            kind=report["kind"],
            file=report["file"],
            fmt=report["fmt"],
            crs=crs,
            crs_from_file=bool(report["crs_from_file"]),
            rows_total=int(report["rows_total"]),
            mapping=[(str(a), str(b)) for a, b in report["mapping"]],
            normalized=[(str(c), str(o), str(n), int(k)) for c, o, n, k in report["normalized"]],
            problems=[_problem_of(p) for p in report["problems"]],
            layer=layer,
            rejected=rejected,
            encoding=report.get("encoding"),
            dropped=list(report.get("dropped") or []),
            accepted_count=report.get("accepted_count"),
            sha256=str(report.get("sha256") or ""),
        )


def _json_value(value: object) -> object:
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (int, str, bool)):
        return value
    return str(value)


def _problem_record(p: Problem) -> dict[str, Any]:
    """The problem as a record of ``report.json`` (the message as ``message``/``message_zh``)."""
    return {
        **p.message.fields("message"),
        "row": p.row,
        "column": p.column,
        "value": _json_value(p.value),
        "severity": p.severity,
        "file": p.file,
    }


def _problem_of(record: dict[str, Any]) -> Problem:
    """The problem in a record of ``report.json`` (:func:`_problem_record`)."""
    values = {k: v for k, v in record.items() if k not in ("message", "message_zh")}
    return Problem(Text.from_fields(record, "message") or Text(), **values)


def _plain_parquet(table: pd.DataFrame, path: Path) -> None:
    """Write a table of raw values as Parquet (object columns of mixed types become text)."""
    out = table.copy()
    out.columns = [str(c) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: v if v is None or isinstance(v, str) else str(v)).astype("str")
    out.to_parquet(path, index=False)


def _row_problems(errors: list[Problem], rows: list[int], lang: str = "en") -> list[str]:
    """The ``problem`` text of each of ``rows``: its errors ("column: message"; file errors: every row)."""
    wanted = set(rows)
    texts: dict[int, list[str]] = {}
    for p in errors:
        message = p.text(lang)
        line = f"{p.column}: {message}" if p.column else message
        if p.row is None:
            for r in rows:
                texts.setdefault(r, []).append(line)
        elif p.row in wanted:
            texts.setdefault(p.row, []).append(line)
    return ["; ".join(texts.get(r, [])) for r in rows]


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _binary(head: bytes) -> bool:
    """Bytes that are not text: many NULs or other control bytes (a few are a text's bad cells)."""
    control = sum(head.count(bytes([b])) for b in (*range(9), 11, 12, *range(14, 27), *range(28, 32)))
    return control > max(8, len(head) // 50) or head.count(b"\x00") > max(4, len(head) // 200)


def sniff_format(path: str | Path) -> str:
    """The file's format, told from its first bytes (the extension is only a hint).

    Raises
    ------
    DataError
        For empty files and formats zzgeo does not read, with what is accepted.
    """
    path = Path(path)
    if path.is_dir():
        raise DataError.of(say("file_is_folder", where=path.name))
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise DataError.of(say("file_not_found", where=path.name)) from None
    except OSError as exc:
        raise DataError.of(say("file_unreadable", where=path.name, reason=exc.strerror or exc)) from exc
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
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except zipfile.BadZipFile as exc:
            raise DataError.of(say("file_bad_zip", where=path.name, reason=exc)) from exc
        if "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.lower().endswith(".shp") for n in names):
            return "shapefile"
        raise DataError.of(say("file_zip_no_shp", where=path.name, found=", ".join(names[:10])))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"  # UTF-16 text, as Excel's "Unicode text" export writes it
    if _binary(head):
        raise DataError.of(say("file_binary", where=path.name, accepted="; ".join(FORMATS.values())))
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"{", b"[")):
        return "geojson"
    return "csv"


def gpkg_layers(path: str | Path, limits: ImportLimits | None = None, *, name: str | None = None) -> tuple[str, ...]:
    """The layers of a GeoPackage, from its SQLite catalogue (quick, read-only, capped).

    For a web server to offer a choice of layers without asking GDAL (which takes a minute to
    list 9,000 layers). Raises :class:`DataError` when there are more layers and views than
    ``limits.max_layers`` (default ``ZZGEO_MAX_LAYERS``).
    """
    from zzgeo._readers import gpkg_catalogue

    path = Path(path)
    where = name or path.name
    limits = limits or ImportLimits.from_settings()
    names, views = gpkg_catalogue(path, where)
    if limits.max_layers is not None and len(set(names) | set(views)) > limits.max_layers:
        n = len(set(names) | set(views))
        raise DataError.of(say("limit_layers", where=where, n=f"{n:,}", limit=limits.max_layers))
    return tuple(names)


def read_raw(
    path: str | Path, layer: str | None = None, *, encoding: str | None = None, limits: ImportLimits | None = None
) -> RawData:
    """Read ``path`` as it is: attributes, geometry (vector formats) and the stated CRS."""
    path = Path(path)
    source = open_source(path, sniff_format(path), path.name, layer=layer, encoding=encoding,
                         limits=limits or ImportLimits.from_settings())  # fmt: skip
    tables: list[pd.DataFrame] = []
    geoms: list[gpd.GeoSeries] = []
    for table, geometry in source.batches:
        tables.append(table)
        if geometry is not None:
            geoms.append(geometry)
    table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
    geometry = (pd.concat(geoms, ignore_index=True) if len(geoms) > 1 else geoms[0]) if geoms else None
    return RawData(table, geometry, source.crs, source.fmt, source.layers)


# --------------------------------------------------------------------------------------------
# Mapping headers and values
# --------------------------------------------------------------------------------------------


def _dbf_match(col: str, spec: LayerSpec, taken: set[str]) -> str | None:
    """The spec column a Shapefile's DBF name stands for: cut to 10 characters, or GDAL's ``_1``/``01`` renaming."""
    low = col.lower()
    long_names = [c.name for c in spec.columns if len(c.name) > _DBF_WIDTH and c.name not in taken]
    for name in long_names:
        if low == name[:_DBF_WIDTH].lower():
            return name
    renamed = re.fullmatch(r"(.{8})(?:_\d|\d\d)", low)
    if renamed:
        hits = [n for n in long_names if n.lower().startswith(renamed.group(1))]
        if len(hits) == 1:
            return hits[0]
    return None


def _map_headers(
    columns: list[str], spec: LayerSpec, need_xy: bool, file: str, fmt: str = ""
) -> tuple[dict[str, str], list[Problem], str | None, str | None]:
    """Rename map (source -> spec column), problems, and the x/y source columns."""
    lookup: dict[str, str] = {}
    for canonical, aliases in (*COLUMN_ALIASES.items(), *spec.aliases.items()):
        target = spec.year_column if canonical == "year" else canonical
        if target not in {c.name for c in spec.columns}:
            continue
        for alias in (canonical, target, *aliases):
            lookup.setdefault(normalize_header(alias), target)
    rename: dict[str, str] = {}
    problems: list[Problem] = []
    taken: dict[str, str] = {}
    x_col = y_col = None
    unmapped: list[str] = []
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
            unmapped.append(col)
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
    if fmt == "shapefile":
        for col in unmapped:
            field_name = _dbf_match(col, spec, set(taken))
            if field_name is not None:
                taken[field_name] = col
                rename[col] = field_name
                message = say("dbf_name_mapped", column=col, field=field_name)
                problems.append(Problem.of(message, column=col, severity="warning", file=file))
    return rename, problems, x_col, y_col


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


def _unneutralise(text: str) -> str:
    """Zzgeo's own neutralised exports ("'=1+1") read back as they were ("=1+1")."""
    return text[1:] if _NEUTRALISED.match(text) else text


class _Normalizer:
    """Recognised aliases of the spec's columns, batch by batch; counts in order of first appearance."""

    def __init__(self, spec: LayerSpec, *, neutralised: bool = False) -> None:
        self.spec = spec
        self.neutralised = neutralised  # text cells may be neutralised (a CSV file: see _NEUTRALISED)
        self.counts: dict[str, dict[tuple[str, str], int]] = {c.name: {} for c in spec.columns}

    def _rule(self, name: str, dtype: str) -> Callable[[str], str] | None:
        aliases = VALUE_ALIASES.get(name)
        if dtype in ("int", "float") and name != self.spec.year_column:
            return lambda v: v.replace(",", "") if _THOUSANDS.match(v) else v
        if aliases is not None:
            return lambda v, a=aliases: a.get(normalize_value(v), v)  # type: ignore[misc]
        if name == self.spec.year_column:
            return _year_of
        if dtype == "str" and self.neutralised:
            return _unneutralise
        return None

    def apply(self, table: pd.DataFrame) -> pd.DataFrame:
        """``table`` with recognised values replaced.

        Text columns with aliases, years or numbers hold stripped values (``" 在用 "`` is
        ``in_service``); other columns are replaced only when a value changed.
        """
        out = table
        for col in self.spec.columns:
            if col.name not in table.columns:
                continue
            rule = self._rule(col.name, col.dtype)
            if rule is None:
                continue
            values = table[col.name]
            if rule is _unneutralise and not (
                pd.api.types.is_string_dtype(values) and values.str.startswith("'").fillna(False).any()
            ):
                continue
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            if not len(uniques):
                continue
            text = pd.Series(uniques).astype(str).str.strip().tolist()
            new = [rule(t) for t in text]
            changed = np.array([a != b for a, b in zip(text, new, strict=True)], dtype=bool)
            text_column = pd.api.types.is_string_dtype(values) and values.dtype != object
            if not changed.any() and (rule is _unneutralise or not text_column):
                continue
            if rule is _unneutralise:  # free text keeps its padding; only neutralised cells change
                distinct = uniques.tolist()
                new = [n if c else d for n, c, d in zip(new, changed.tolist(), distinct, strict=True)]
            counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
            record = self.counts[col.name]
            for k in np.flatnonzero(changed).tolist():
                key = (text[k], new[k])
                record[key] = record.get(key, 0) + int(counts[k])
            # The new column straight from the distinct values and the codes (no Python object per row).
            taken = pa.array(new, type=pa.large_string()).take(pa.array(codes, mask=codes < 0))
            if out is table:
                out = table.copy(deep=False)
            out[col.name] = pd.Series(pd.array(taken, dtype="str"), index=values.index)
        return out

    def records(self) -> list[tuple[str, str, str, int]]:
        """(column, from, to, rows) of every recognised value, in spec column order."""
        return [(name, old, new, n) for name, found in self.counts.items() for (old, new), n in found.items()]


# --------------------------------------------------------------------------------------------
# Coordinates
# --------------------------------------------------------------------------------------------


def _table_points(
    table: pd.DataFrame, x_col: str, y_col: str, crs: CoordinateSystem, file: str, offset: int = 0
) -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    """WGS-84 lon/lat arrays (NaN where unusable) and per-row coordinate problems."""
    problems: list[Problem] = []
    raw_x = table[x_col]
    raw_y = table[y_col]
    x = to_number(raw_x).to_numpy(dtype=float)
    y = to_number(raw_y).to_numpy(dtype=float)
    finite_x = np.isfinite(x)
    finite_y = np.isfinite(y)
    bad = ~(finite_x & finite_y)
    for i in np.flatnonzero(bad).tolist():
        row = i + 1 + offset
        for col, raw, ok in ((x_col, raw_x.iloc[i], finite_x[i]), (y_col, raw_y.iloc[i], finite_y[i])):
            if ok:
                continue
            if pd.isna(raw) or str(raw).strip() == "":
                problems.append(Problem.of(say("missing_coordinate"), row, str(col), None, "error", file))
            else:
                problems.append(Problem.of(say("not_a_number", value=raw), row, str(col), raw, "error", file))
    zero = ~bad & (x == 0) & (y == 0)
    for i in np.flatnonzero(zero).tolist():
        problems.append(Problem.of(say("zero_zero"), i + 1 + offset, f"{x_col}/{y_col}", "0, 0", "error", file))
    bad |= zero
    ok = ~bad
    looks_metres = ok & ((np.abs(x) > 360) | (np.abs(y) > 360))
    if crs.projected:
        wrong = ok & ~looks_metres
        key = "degrees_for_projected"
    else:
        wrong = looks_metres
        key = "metres_for_degrees"
    where = f"{x_col}/{y_col}"
    for i in np.flatnonzero(wrong).tolist():
        message = say(key, x=x[i], y=y[i], crs=crs.key)
        problems.append(Problem.of(message, i + 1 + offset, where, f"{x[i]}, {y[i]}", "error", file))
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
                Problem.of(say("xy_swapped", x=x[i], y=y[i]), i + 1 + offset, where, f"{x[i]}, {y[i]}", "error", file)
            )
        lon[flipped] = lat[flipped] = np.nan
    return lon, lat, problems


def _direction(dx: float, dy: float) -> str:
    names = ["east", "north-east", "north", "north-west", "west", "south-west", "south", "south-east"]
    return names[round(math.degrees(math.atan2(dy, dx)) / 45) % 8]


@cache
def _city() -> tuple[Any, Any, Any, np.ndarray]:
    """The city outline (prepared, degrees), in metres, its centre in metres, and the district geometries."""
    districts = load_districts("full")
    geoms = districts.geometry.to_numpy()
    city = shapely.union_all(geoms)
    shapely.prepare(city)
    metres = gpd.GeoSeries([city], crs="EPSG:4326").to_crs(_METRES_CRS).iloc[0]
    shapely.prepare(metres)
    return city, metres, metres.centroid, geoms


def _outside_city(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Which points lie outside the city: the grid index answers most, ``contains_xy`` the rest."""
    city, _, _, geoms = _city()
    inside = index_for(geoms).query(lon, lat) >= 0  # in a district's interior: inside the city
    maybe = np.flatnonzero(~inside)
    out = np.zeros(len(lon), dtype=bool)
    if maybe.size:
        out[maybe] = ~shapely.contains_xy(city, lon[maybe], lat[maybe])
    return out


def _location_problems(
    lon: np.ndarray, lat: np.ndarray, crs_is_default_wgs84: bool, x_col: str, y_col: str, file: str, offset: int = 0
) -> tuple[np.ndarray, list[Problem]]:
    """Swapped, out-of-range and outside-Zhangzhou checks on WGS-84 lon/lat."""
    problems: list[Problem] = []
    bad = np.zeros(len(lon), dtype=bool)
    # 0, 0 ("null island") is reported by the layer checks as missing coordinates.
    finite = np.isfinite(lon) & np.isfinite(lat) & ~((lon == 0) & (lat == 0))
    where = f"{x_col}/{y_col}"
    with np.errstate(invalid="ignore"):
        swapped = finite & (np.abs(lon) >= 15) & (np.abs(lon) <= 35) & (np.abs(lat) >= 105) & (np.abs(lat) <= 125)
        out_of_range = finite & ~swapped & ((np.abs(lat) > 90) | (np.abs(lon) > 180))
    for i in np.flatnonzero(swapped).tolist():
        message = say("latlon_swapped", lat=lat[i], lon=lon[i])
        problems.append(Problem.of(message, i + 1 + offset, where, f"{lon[i]}, {lat[i]}", "error", file))
    for i in np.flatnonzero(out_of_range).tolist():
        message = say("not_lonlat", lon=lon[i], lat=lat[i])
        problems.append(Problem.of(message, i + 1 + offset, where, f"{lon[i]}, {lat[i]}", "error", file))
    bad |= swapped | out_of_range
    check = np.flatnonzero(finite & ~bad)
    if check.size:
        outside = check[_outside_city(lon[check], lat[check])]
        if outside.size:
            _, metres, centre, _ = _city()
            pts = gpd.GeoSeries(gpd.points_from_xy(lon[outside], lat[outside]), crs="EPSG:4326").to_crs(_METRES_CRS)
            km_all = shapely.distance(metres, pts.to_numpy()) / 1000
            for i, pt, km in zip(outside.tolist(), pts, km_all.tolist(), strict=True):
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
                        msg,
                        i + 1 + offset,
                        where,
                        f"{lon[i]:.6f}, {lat[i]:.6f}",
                        "error" if far else "warning",
                        file,
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


def _repair_polygons(geoms: gpd.GeoSeries, file: str, offset: int = 0) -> tuple[gpd.GeoSeries, list[Problem]]:
    problems: list[Problem] = []
    values = geoms.to_numpy().copy()
    polygonal = np.isin(shapely.get_type_id(values), [3, 6])
    invalid = np.flatnonzero(polygonal & ~shapely.is_valid(values))
    for i in invalid:
        reason = shapely.is_valid_reason(values[i])
        values[i] = shapely.make_valid(values[i], method="structure", keep_collapsed=False)
        problems.append(
            Problem.of(say("polygon_repaired", reason=reason), int(i) + 1 + offset, "geometry", reason, "warning", file)
        )
    return gpd.GeoSeries(values, crs=geoms.crs, index=geoms.index), problems


# --------------------------------------------------------------------------------------------
# The whole import, batch by batch
# --------------------------------------------------------------------------------------------


def _size_text(n: int) -> str:
    """A file size for messages: '812 bytes', '3.4 kB', '51.2 MB'."""
    return size_text(n)


class _SeenIds:
    """Ids of earlier batches and the row each first appeared in, in ~24 bytes per id.

    Within a batch ids are compared as text (factorized); across batches by two independent
    64-bit hashes of the text (a false match needs both to collide: about 1 in 10^38 per
    pair), kept as sorted arrays, so memory does not grow with Python objects.
    """

    _KEYS = ("zzgeo-site-ids-1", "zzgeo-site-ids-2")

    def __init__(self) -> None:
        self.h1 = np.array([], dtype=np.uint64)
        self.h2 = np.array([], dtype=np.uint64)
        self.first = np.array([], dtype=np.int64)
        self.pending: tuple[pd.Index, np.ndarray] | None = None  # the first batch, hashed only if a second comes

    def first_rows(self, ids: pd.Series, offset: int) -> np.ndarray:
        """For each row of this batch, the 0-based file position of its id's first appearance."""
        codes, uniques = pd.factorize(ids.astype("str"), use_na_sentinel=False)
        first_global = first_positions(codes) + offset
        if self.pending is None and not len(self.h1):
            self.pending = (uniques, first_global.copy())
            return first_global[codes]
        if self.pending is not None:
            pending, first = self.pending
            self.pending = None
            self._remember(pending, first, lookup=False)
        self._remember(uniques, first_global, lookup=True)
        return first_global[codes]

    def _remember(self, uniques: pd.Index, first_global: np.ndarray, lookup: bool) -> None:
        distinct = np.asarray(uniques, dtype=object)
        notna = ~pd.isna(distinct)
        if not notna.any():
            return
        text = distinct[notna]
        h1, h2 = (pd.util.hash_array(text, hash_key=key, categorize=False) for key in self._KEYS)
        where = np.flatnonzero(notna)
        if lookup:
            found = self._find(h1, h2)
            known = found >= 0
            first_global[where[known]] = self.first[found[known]]
        else:
            known = np.zeros(len(h1), dtype=bool)
        self._add(h1[~known], h2[~known], first_global[where[~known]])

    def _find(self, h1: np.ndarray, h2: np.ndarray) -> np.ndarray:
        out = np.full(len(h1), -1, dtype=np.int64)
        if not len(self.h1):
            return out
        left = np.searchsorted(self.h1, h1, "left")
        right = np.searchsorted(self.h1, h1, "right")
        one = np.flatnonzero(right - left == 1)
        hit = one[self.h2[left[one]] == h2[one]]
        out[hit] = left[hit]
        for i in np.flatnonzero(right - left > 1).tolist():  # equal first hashes: look at each
            run = np.arange(left[i], right[i])
            match = run[self.h2[run] == h2[i]]
            if match.size:
                out[i] = match[0]
        return out

    def _add(self, h1: np.ndarray, h2: np.ndarray, first: np.ndarray) -> None:
        if not len(h1):
            return
        order = np.argsort(h1, kind="stable")
        h1, h2, first = h1[order], h2[order], first[order]
        at = np.searchsorted(self.h1, h1, "right")
        self.h1 = np.insert(self.h1, at, h1)
        self.h2 = np.insert(self.h2, at, h2)
        self.first = np.insert(self.first, at, first)


@dataclass
class _Run:
    """What one import knows across batches."""

    spec: LayerSpec
    file: str
    rename: dict[str, str]
    x_col: str | None
    y_col: str | None
    chosen: CoordinateSystem
    file_crs: CRS | None
    default_wgs84: bool
    file_errors: list[Problem]
    dropped: list[str]
    keep_layer: bool
    limits: ImportLimits
    normalizer: _Normalizer
    seen: _SeenIds = field(default_factory=_SeenIds)
    #: an area kind (see :mod:`zzgeo.area_checks`): polygons checked as a set, in one batch
    areas: bool = False
    #: the WKT/WKB column of an area table (parsed into the batch's geometry; not an attribute)
    geometry_column: str | None = None
    #: row problems found while parsing that column (unreadable WKT/WKB)
    table_problems: list[Problem] = field(default_factory=list)

    def batch(
        self, raw: pd.DataFrame, raw_geometry: gpd.GeoSeries | None, offset: int
    ) -> tuple[gpd.GeoDataFrame | None, int, pd.DataFrame, list[Problem]]:
        """Check one batch: (accepted rows or None, accepted count, rejected rows, problems)."""
        spec, file = self.spec, self.file
        n = len(raw)
        limit = self.limits.max_cell_chars
        if limit is not None:
            for col in raw.columns:
                if col == self.geometry_column:
                    continue  # a polygon's WKT is long; the file's size bounds it
                pos = long_cells(raw[col], limit)
                if pos is not None:
                    length = len(str(raw[col].iloc[pos]))
                    raise DataError.of(say("limit_cell", where=file, row=pos + 1 + offset, column=col,
                                           n=f"{length:,}", limit=f"{limit:,}"))  # fmt: skip
        table = raw.rename(columns=self.rename)
        if self.geometry_column is not None:
            table = table.drop(columns=[self.geometry_column])
        table = self.normalizer.apply(table)
        problems: list[Problem] = list(self.table_problems)
        if raw_geometry is None:
            assert self.x_col is not None
            assert self.y_col is not None
            lon, lat, coord_problems = _table_points(table, self.x_col, self.y_col, self.chosen, file, offset)
            table = table.drop(columns=[self.x_col, self.y_col])
            finite = np.isfinite(lon) & np.isfinite(lat)
            type_ids = np.where(finite, 0, -1)
            empty = np.zeros(n, dtype=bool)
            geometry = None
            where = (self.x_col, self.y_col)
        else:
            geometry = _convert_vector(raw_geometry.reset_index(drop=True), self.file_crs, self.chosen)
            geometry, coord_problems = _repair_polygons(geometry, file, offset)
            if self.areas:  # MultiPolygons; metres read as degrees (or the reverse); no area
                assert offset == 0, "an area layer is checked in one batch"
                chosen = None if self.file_crs is not None else self.chosen
                geometry, parts = area_checks.polygon_parts(raw_geometry.reset_index(drop=True), geometry, chosen, file)
                coord_problems += parts
            type_ids, empty, lon, lat = geometry_arrays(geometry.to_numpy())
            where = ("lon", "lat")
        problems += coord_problems
        _, loc_problems = _location_problems(np.asarray(lon), np.asarray(lat), self.default_wgs84, *where, file, offset)
        problems += loc_problems
        coord_rows = {p.row for p in problems if p.severity == "error" and p.row is not None}
        first_rows = self.seen.first_rows(table[spec.id_column], offset) if spec.id_column in table.columns else None
        checks = attribute_problems(table, spec, file, offset=offset, first_rows=first_rows)
        checks += geometry_problems(type_ids, empty, lon, lat, spec.geometry_type, file, offset)
        for p in sort_problems(checks):
            if p.column in ("geometry", "lon", "lat") and p.row in coord_rows:
                continue  # already explained by a coordinate problem
            problems.append(p)
        for col in raw.columns:
            for pos in control_char_rows(raw[col]).tolist():
                value = str(raw[col].iloc[pos])
                char, at = first_control_char(value)
                name = self.rename.get(col, col)
                problems.append(Problem.of(say("control_char", char=char, pos=at), pos + 1 + offset, name, value,
                                           "error", file))  # fmt: skip
        problems = sort_problems(problems)
        if self.areas:  # the set as a whole, on the rows without errors
            assert geometry is not None
            failed = {p.row for p in problems if p.severity == "error" and p.row is not None}
            gdf = gpd.GeoDataFrame(table, geometry=geometry.to_numpy(), crs="EPSG:4326")
            problems = sort_problems(problems + area_checks.check_areas(
                gdf, file, skip=failed, wgs84_by_default=self.default_wgs84, far_km=FAR_OUTSIDE_KM,
                hint_km=OFFSET_HINT_KM,
            ))  # fmt: skip

        bad = np.zeros(n, dtype=bool)
        if self.file_errors or any(p.row is None and p.severity == "error" for p in problems):
            bad[:] = True
        else:
            rows = [p.row - 1 - offset for p in problems if p.severity == "error" and p.row is not None]
            bad[np.asarray(rows, dtype=np.intp)] = True
        rejected = raw.loc[bad].copy()
        if raw_geometry is not None and "wkt" not in rejected.columns:
            # Rejected rows keep their geometry too (as read, in the file's coordinates).
            rejected["wkt"] = raw_geometry.reset_index(drop=True)[bad].to_wkt().to_numpy()
        rejected.insert(0, "row", np.flatnonzero(bad) + 1 + offset)
        errors = self.file_errors + [p for p in problems if p.severity == "error"]
        rejected["problem"] = _row_problems(errors, [int(r) for r in rejected["row"]])
        rejected = rejected.reset_index(drop=True)
        good = ~bad
        count = int(good.sum())
        if not self.keep_layer:
            return None, count, rejected, problems
        kept = table.loc[good].drop(columns=[c for c in self.dropped if c in table.columns])
        points = gpd.points_from_xy(lon[good], lat[good]) if geometry is None else geometry.to_numpy()[good]
        accepted = gpd.GeoDataFrame(kept.reset_index(drop=True), geometry=points, crs="EPSG:4326")
        return coerce_columns(accepted, spec).reset_index(drop=True), count, rejected, problems


def _sha256(path: Path) -> str:
    """Hex SHA-256 of a file (read in 1 MB blocks; the size limit bounds it)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_file(
    path: str | Path,
    kind: str,
    crs: str | None = None,
    *,
    layer: str | None = None,
    name: str | None = None,
    max_bytes: int | None = None,
    encoding: str | None = None,
    keep_columns: bool = False,
    keep_layer: bool = True,
    limits: ImportLimits | None = None,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
) -> ImportResult:
    """Read, map, convert and check an inventory file (see the module docstring).

    Parameters
    ----------
    path : str or Path
        The file.
    kind : str
        Layer kind (see :data:`zzgeo.layers.LAYER_KINDS`, and :data:`zzgeo.layers.AREA_KINDS`
        for polygons).
    crs : str, optional
        Coordinate system of files that do not state one (default WGS-84); see
        :func:`zzgeo.crs.parse_crs`.
    layer : str, optional
        Layer of a GeoPackage with several.
    name : str, optional
        File name to report (e.g. the name of an upload); default ``path``'s name.
    max_bytes : int, optional
        Size limit in bytes, for uploads (the server passes ``ZZGEO_MAX_UPLOAD_MB``); default:
        none, local files of any size are read.
    encoding : str, optional
        Text encoding of CSV files (any Python codec name); default: detected (UTF-16 by its
        BOM, UTF-8, else GB18030), and the report says which.
    keep_columns : bool
        Keep columns outside the kind's spec in the layer (default: leave them out; the
        report lists them).
    keep_layer : bool
        Keep the accepted rows (default); False only counts them (``accepted_count``), for
        checking files of any length in bounded memory.
    limits : ImportLimits, optional
        Default :meth:`ImportLimits.from_settings` (columns, cell length, layers, JSON
        depth, unpacked size; no row limit).
    progress : callable, optional
        Called with an :class:`ImportProgress` after each batch.
    batch_rows : int
        Rows per batch for CSV and Parquet.

    Raises
    ------
    DataError
        When the file cannot be read at all (missing, a folder, empty, too large, over a
        limit, unreadable).
    """
    path = Path(path)
    spec = get_spec(kind)
    file = name or path.name
    chosen = parse_crs(crs)
    limits = limits or ImportLimits.from_settings()
    try:
        if path.is_dir():
            raise DataError.of(say("file_is_folder", where=path.name))
        if not path.exists():
            raise DataError.of(say("file_not_found", where=path.name))
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise DataError.of(say("file_too_big", where=path.name, size=size_text(size), limit=size_text(max_bytes)))
        fmt = sniff_format(path)
        source = open_source(path, fmt, path.name, layer=layer, encoding=encoding, limits=limits,
                             batch_rows=batch_rows)  # fmt: skip
        result = _run(source, spec, file, chosen, keep_columns, keep_layer, limits, progress)
    except DataError as exc:
        if name and str(exc).startswith(path.name):
            zh = exc.message.zh
            zh = file + zh[len(path.name) :] if zh.startswith(path.name) else ""
            raise DataError(Text(en=file + str(exc)[len(path.name) :], zh=zh)) from exc
        raise
    result.sha256 = _sha256(path)  # the audit log records it
    logger.info(result.summary())
    return result


def _run(
    source: Source,
    spec: LayerSpec,
    file: str,
    chosen: CoordinateSystem,
    keep_columns: bool,
    keep_layer: bool,
    limits: ImportLimits,
    progress: Progress | None,
) -> ImportResult:
    if progress is not None:
        progress(ImportProgress("reading", 0, source.rows_total, 0.0))
    areas = spec.key in AREA_KINDS
    geometry_column: str | None = None
    table_problems: list[Problem] = []
    if areas:
        source, geometry_column, table_problems = _area_source(source, file, limits)
    columns = [c for c in (str(c).strip() for c in source.columns) if c != geometry_column]
    is_table = not source.vector
    rename, header_problems, x_col, y_col = _map_headers(columns, spec, is_table, file, source.fmt)
    result = ImportResult(
        kind=spec.key,
        file=file,
        fmt=source.fmt,
        crs=source.crs if source.crs is not None else chosen,
        crs_from_file=source.crs is not None,
        rows_total=0,
        encoding=source.encoding,
    )
    result.mapping = list(rename.items())
    renamed = [rename.get(c, c) for c in columns if c not in (x_col, y_col) or not is_table]
    unknown = [c for c in renamed if c not in {s.name for s in spec.columns}]
    result.dropped = [] if keep_columns else unknown
    file_problems = [*source.notes, *header_problems]
    unknown_warning: list[Problem] = []
    no_xy = is_table and (x_col is None or y_col is None)
    if no_xy:
        found = ", ".join(columns)
        file_errors = [
            Problem.of(
                say("no_lonlat_columns", found=found, lon="/".join(LON_ALIASES), lat="/".join(LAT_ALIASES)), file=file
            )
        ]
    else:
        file_errors = [p for p in table_problems if p.row is None] + missing_columns(renamed, spec, file)
        if unknown:
            key = "unknown_columns" if keep_columns else "unknown_columns_dropped"
            message = say(key, columns=", ".join(map(str, unknown)), kind=spec.key)
            unknown_warning.append(Problem.of(message, severity="warning", file=file))
    if is_table and x_col is not None and y_col is not None:
        result.mapping += [(x_col, "lon"), (y_col, "lat")]
    run = _Run(
        spec=spec,
        file=file,
        rename=rename,
        x_col=x_col,
        y_col=y_col,
        chosen=chosen,
        file_crs=source.crs,
        default_wgs84=source.crs is None and chosen.key == "wgs84",
        file_errors=file_errors,
        dropped=result.dropped,
        keep_layer=keep_layer,
        limits=limits,
        normalizer=_Normalizer(spec, neutralised=source.fmt in _NEUTRALISED_FORMATS),
        areas=areas,
        geometry_column=geometry_column,
        table_problems=[p for p in table_problems if p.row is not None],
    )
    layers: list[gpd.GeoDataFrame] = []
    rejected: list[pd.DataFrame] = []
    row_problems: list[Problem] = []
    accepted = 0
    offset = 0
    for raw, geometry in source.batches:
        raw.columns = [str(c).strip() for c in raw.columns]
        raw = raw.reset_index(drop=True)
        if limits.max_rows is not None and offset + len(raw) > limits.max_rows:
            raise DataError.of(say("limit_rows", where=file, n=f"more than {limits.max_rows:,}",
                                   limit=f"{limits.max_rows:,}"))  # fmt: skip
        if len(raw) == 0:
            continue
        if no_xy:
            rej = raw.assign(problem=file_errors[0].message.en)
            rej.insert(0, "row", np.arange(1, len(raw) + 1) + offset)
            rejected.append(rej)
        else:
            kept, count, rej, problems = run.batch(raw, geometry, offset)
            accepted += count
            if kept is not None and len(kept):
                layers.append(kept)
            rejected.append(rej)
            row_problems += problems
        offset += len(raw)
        if progress is not None:
            fraction = None
            if source.position is not None:
                done, total = source.position()
                fraction = min(1.0, done / total) if total else None
            progress(ImportProgress("checking", offset, source.rows_total, fraction))
    result.rows_total = offset
    if offset == 0:
        result.problems = [Problem.of(say("no_rows"), file=file)]
        result.mapping = list(rename.items())
        result.dropped = []
        if progress is not None:
            progress(ImportProgress("done", 0, 0, 1.0))
        return result
    if no_xy:
        result.problems = file_errors
        result.rejected = pd.concat(rejected, ignore_index=True) if len(rejected) > 1 else rejected[0]
        result.dropped = []
        if progress is not None:
            progress(ImportProgress("done", offset, offset, 1.0))
        return result
    result.normalized = run.normalizer.records()
    result.problems = sort_problems(file_problems + file_errors + unknown_warning) + row_problems
    rejected = [r for r in rejected if len(r)] or rejected[:1]
    result.rejected = pd.concat(rejected, ignore_index=True) if len(rejected) > 1 else rejected[0]
    if keep_layer:
        if layers:
            result.layer = pd.concat(layers, ignore_index=True) if len(layers) > 1 else layers[0]
        else:
            result.layer = _empty_like(spec, run, source, keep_columns)
    else:
        result.accepted_count = accepted
    if progress is not None:
        progress(ImportProgress("done", offset, offset, 1.0))
    return result


def _area_source(source: Source, file: str, limits: ImportLimits) -> tuple[Source, str | None, list[Problem]]:
    """An area layer's file as one batch, a table's WKT/WKB column parsed into its geometry.

    Areas are checked as a set (overlaps, gaps, the city's cover: :func:`zzgeo.area_checks.check_areas`),
    so every row is read before any is checked; a layer holds at most
    :data:`zzgeo.area_checks.MAX_AREAS` areas. Returns the source (vector, with the CRS an
    EWKT/EWKB SRID states when the file states none), the table's geometry column (None for
    vector formats, or when the table has none) and the problems of that column.
    """
    tables: list[pd.DataFrame] = []
    geoms: list[gpd.GeoSeries] = []
    rows = 0
    for table, geometry in source.batches:
        rows += len(table)
        if limits.max_rows is not None and rows > limits.max_rows:
            raise DataError.of(say("limit_rows", where=file, n=f"more than {limits.max_rows:,}",
                                   limit=f"{limits.max_rows:,}"))  # fmt: skip
        tables.append(table)
        if geometry is not None:
            geoms.append(geometry)
    if not tables:
        tables = [pd.DataFrame({c: pd.Series(dtype="str") for c in source.columns})]
    table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0].reset_index(drop=True)
    table.columns = [str(c).strip() for c in table.columns]
    if source.vector:
        geometry = (pd.concat(geoms, ignore_index=True) if len(geoms) > 1 else geoms[0]) if geoms else None
        return dataclasses.replace(source, batches=iter([(table, geometry)])), None, []
    column, parsed, problems, srid_crs = area_checks.table_geometry(table, file)
    crs = source.crs if source.crs is not None else srid_crs
    one = dataclasses.replace(source, batches=iter([(table, parsed)]), crs=crs, vector=True, rows_total=len(table))
    return one, column, problems


def _empty_like(spec: LayerSpec, run: _Run, source: Source, keep_columns: bool) -> gpd.GeoDataFrame:
    """An empty layer with the columns the accepted rows would have had."""
    columns = [
        run.rename.get(c, c)
        for c in (str(c).strip() for c in source.columns)
        if c not in (run.x_col, run.y_col, run.geometry_column)
    ]
    columns = [c for c in columns if c not in run.dropped]
    empty = gpd.GeoDataFrame({c: pd.Series(dtype="str") for c in columns}, geometry=[], crs="EPSG:4326")
    return coerce_columns(empty, spec)
