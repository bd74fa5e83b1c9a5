"""Reading users' files in batches, with limits checked before the expensive part.

Each reader returns a :class:`Source`: the header, the file's CRS, and an iterator of
batches (attributes as read, and the geometry of vector formats). CSV and plain Parquet
are read in batches of rows, so memory stays bounded whatever the file's length; Excel,
GeoJSON, GeoPackage, Shapefile and GeoParquet are read whole (after their limits are
checked). Limits (:class:`ImportLimits`) are checked as early as possible: columns from
the header line, Excel rows from the sheet's ``dimension`` and its unpacked size from the
zip directory, GeoJSON depth by a scan of the bytes, GeoPackage layers and views from its
SQLite catalogue; every limit error names the setting that raises it.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyproj import CRS

from zzgeo.errors import DataError, Problem
from zzgeo.messages import text as say
from zzgeo.settings import get_settings

__all__ = ["ImportLimits", "Source", "open_source"]

logger = logging.getLogger(__name__)

#: Rows per batch when reading CSV and Parquet.
BATCH_ROWS = 500_000
_HEAD_BYTES = 1 << 20  # the header line is looked for in the first MB
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"


@dataclass(frozen=True)
class ImportLimits:
    """Limits on what one import may read (``None``: no limit).

    The defaults (:meth:`from_settings`) guard every import against hostile files
    (columns, cell length, layers, JSON depth, unpacked size); ``max_rows`` is set by the
    server's jobs (``ZZGEO_MAX_ROWS``), not by the command line, which reads local files of
    any length.
    """

    max_columns: int | None = None
    max_cell_chars: int | None = None
    max_rows: int | None = None
    max_xlsx_rows: int | None = None
    max_layers: int | None = None
    max_json_depth: int | None = None
    max_unpacked_bytes: int | None = None
    max_zip_members: int | None = 1000

    @classmethod
    def from_settings(cls, *, rows: bool = False) -> ImportLimits:
        """The limits of ``ZZGEO_*`` settings; the row limit only when ``rows``."""
        s = get_settings()
        return cls(
            max_columns=s.max_columns,
            max_cell_chars=s.max_cell_chars,
            max_rows=s.max_rows if rows else None,
            max_xlsx_rows=s.max_xlsx_rows if rows else None,
            max_layers=s.max_layers,
            max_json_depth=s.max_json_depth,
            max_unpacked_bytes=int(s.max_unpacked_mb * 1_000_000),
        )


@dataclass
class Source:
    """A file opened for reading: header, CRS, batches of (attributes, geometry)."""

    fmt: str
    columns: list[str]
    batches: Iterator[tuple[pd.DataFrame, gpd.GeoSeries | None]]
    crs: CRS | None = None
    layers: tuple[str, ...] = ()
    encoding: str | None = None
    rows_total: int | None = None
    position: Callable[[], tuple[int, int]] | None = None  # (bytes read, bytes in all)
    notes: list[Problem] = field(default_factory=list)  # file-level warnings (e.g. encoding)
    vector: bool = False  # batches carry geometry (not lon/lat columns)


def size_text(n: float) -> str:
    """A size for messages: '812 bytes', '3.4 kB', '51.2 MB'."""
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} MB"
    return f"{n / 1e3:.1f} kB" if n >= 1000 else f"{int(n)} bytes"


# --------------------------------------------------------------------------------------------
# Text: encodings
# --------------------------------------------------------------------------------------------

_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "gb18030": "GB18030 (GBK)"}


def encoding_title(codec: str, bom: bool = False) -> str:
    """A readable encoding name for reports."""
    name = _ENCODING_NAMES.get(codec, codec)
    return f"{name} with BOM" if bom and codec == "utf-8-sig" else name


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        while chunk := fh.read(8 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _looks_misdecoded(text: str) -> str | None:
    """A sample of text read as GB18030 that looks like another encoding, or None.

    Chinese text in GBK/GB18030 uses, nearly always, characters of GB2312 (the 6,763
    common hanzi); Latin-1, Windows-1252 or Shift-JIS bytes read as GB18030 turn into rare
    characters outside it (``Café`` -> ``Caf殚``-like pairs, kana -> 僒僀).
    """
    from collections import Counter

    sample = text[: 1 << 16]
    wide = 0
    rare = 0
    first_rare = -1
    for ch, n in Counter(sample).items():
        if ord(ch) < 0x80:
            continue
        wide += n
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            rare += n
            at = sample.find(ch)
            first_rare = at if first_rare < 0 else min(first_rare, at)
    # Latin letters read as GBK turn into single hanzi inside Latin words ("Zürich" -> "Z黵ich").
    inside_words = [m.start() + 1 for m in _HANZI_IN_WORD.finditer(sample)]
    where = -1
    if wide >= 4 and first_rare >= 0 and rare / wide > 0.3:
        where = first_rare
    elif len(inside_words) >= 2:
        where = inside_words[0]
    if where < 0:
        return None
    start = sample.rfind("\n", 0, where) + 1
    end = sample.find("\n", where)
    line = sample[start : end if end >= 0 else len(sample)]
    return line[:40].strip()


_HANZI_IN_WORD = re.compile(r"[A-Za-z][\u4e00-\u9fff][a-z]")


def choose_encoding(path: Path, where: str, encoding: str | None) -> tuple[str, str, list[Problem]]:
    """The codec to read ``path`` with, its title for the report, and warnings."""
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise DataError.of(say("file_unknown_encoding", encoding=encoding)) from None
        return codec, f"{encoding} (as chosen)", []
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "UTF-16", []
    if _is_utf8(path):
        return "utf-8-sig", encoding_title("utf-8-sig", head.startswith(b"\xef\xbb\xbf")), []
    sample = head.decode("gb18030", errors="replace")
    notes = []
    suspect = _looks_misdecoded(sample)
    if suspect:
        notes.append(
            Problem.of(say("encoding_suspect", encoding="GB18030", sample=suspect), severity="warning", file=where)
        )
    logger.info("%s: read as GBK/GB18030", where)
    return "gb18030", encoding_title("gb18030"), notes


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def _delimiter(header: str) -> str:
    """The delimiter of a table: the most frequent of , ; tab | in its header line."""
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv_source(path: Path, where: str, encoding: str | None, limits: ImportLimits, batch_rows: int) -> Source:
    codec, title, notes = choose_encoding(path, where, encoding)
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    text = codecs.getincrementaldecoder(codec)(errors="replace").decode(head)
    header = next((line for line in text.splitlines() if line.strip()), "")
    sep = _delimiter(header)
    complete = len(text.splitlines()) > 1 or len(head) < _HEAD_BYTES
    if limits.max_columns is not None and header.count(sep) + 1 > limits.max_columns:
        more = "" if complete else "at least "
        raise DataError.of(say("limit_columns", where=where, n=f"{more}{header.count(sep) + 1:,}",
                               limit=f"{limits.max_columns:,}"))  # fmt: skip
    if not complete and limits.max_cell_chars is not None:
        raise DataError.of(say("limit_line", where=where, limit=size_text(_HEAD_BYTES)))
    fh = path.open("rb")
    total = path.stat().st_size
    try:
        reader = pd.read_csv(
            fh,
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skipinitialspace=True,
            encoding=codec,
            chunksize=batch_rows,
        )
    except pd.errors.EmptyDataError as exc:
        fh.close()
        raise DataError.of(say("file_no_header", where=where)) from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        fh.close()
        raise _csv_error(exc, where, codec, encoding) from exc

    def next_chunk() -> pd.DataFrame | None:
        try:
            return next(reader)
        except StopIteration:
            return None
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
            reader.close()
            fh.close()
            raise _csv_error(exc, where, codec, encoding) from exc

    first = next_chunk()  # the header comes with the first batch (an empty one for a header-only file)
    columns = [str(c) for c in first.columns] if first is not None else []

    def batches() -> Iterator[tuple[pd.DataFrame, gpd.GeoSeries | None]]:
        chunk = first
        try:
            while chunk is not None:
                yield chunk, None
                chunk = next_chunk()
        finally:
            reader.close()
            fh.close()

    def position() -> tuple[int, int]:
        try:
            return min(fh.tell(), total), total
        except ValueError:  # closed
            return total, total

    return Source("csv", columns, batches(), encoding=title, position=position, notes=notes)


def _csv_error(exc: Exception, where: str, codec: str, chosen: str | None) -> DataError:
    if isinstance(exc, UnicodeDecodeError):
        if chosen:
            return DataError.of(say("file_bad_encoding_chosen", where=where, encoding=chosen, reason=exc.reason))
        if codec == "utf-16":
            return DataError.of(say("file_bad_utf16", where=where, reason=exc))
        return DataError.of(say("file_bad_encoding", where=where))
    return DataError.of(say("file_bad_csv", where=where, reason=exc))


# --------------------------------------------------------------------------------------------
# Zip containers: Excel and zipped Shapefiles
# --------------------------------------------------------------------------------------------


def check_zip(path: Path, where: str, limits: ImportLimits) -> zipfile.ZipFile:
    """Open a zip file after checking its members' count, names and unpacked sizes."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise DataError.of(say("file_bad_zip", where=where, reason=exc)) from exc
    infos = zf.infolist()
    if limits.max_zip_members is not None and len(infos) > limits.max_zip_members:
        raise DataError.of(say("limit_zip_members", where=where, n=len(infos), limit=limits.max_zip_members))
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", name) or "\x00" in name or ":" in name[:3]:
            raise DataError.of(say("zip_bad_name", where=where, name=name))
        if limits.max_unpacked_bytes is not None and info.file_size > limits.max_unpacked_bytes:
            raise DataError.of(say("limit_unpacked", where=where, member=name, size=size_text(info.file_size),
                                   limit=size_text(limits.max_unpacked_bytes)))  # fmt: skip
    return zf


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _first_sheet(zf: zipfile.ZipFile) -> str | None:
    names = zf.namelist()
    try:
        workbook = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        first = re.search(r"<(?:\w+:)?sheet\b[^>]*\br:id=\"([^\"]+)\"", workbook) or re.search(
            r"<(?:\w+:)?sheet\b[^>]*\bid=\"([^\"]+)\"", workbook
        )
        if first:
            target = re.search(rf"<Relationship\b[^>]*Id=\"{re.escape(first.group(1))}\"[^>]*Target=\"([^\"]+)\"", rels)
            target = target or re.search(rf"Target=\"([^\"]+)\"[^>]*Id=\"{re.escape(first.group(1))}\"", rels)
            if target:
                member = target.group(1).lstrip("/")
                member = member if member.startswith("xl/") else f"xl/{member}"
                if member in names:
                    return member
    except KeyError:
        pass
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    return sheets[0] if sheets else None


def _count_rows(zf: zipfile.ZipFile, sheet: str, stop: int) -> int:
    """Rows of a sheet counted in its XML as it inflates (stops after ``stop``)."""
    rows = 0
    tail = b""
    with zf.open(sheet) as fh:
        while chunk := fh.read(4 << 20):
            data = tail + chunk
            rows += len(re.findall(rb"<(?:\w+:)?row[\s>]", data))
            tail = data[-16:]
            rows -= len(re.findall(rb"<(?:\w+:)?row[\s>]", tail))
            if rows >= stop:
                break
    return rows + len(re.findall(rb"<(?:\w+:)?row[\s>]", tail))


def _xlsx_rows_error(where: str, n: str, limits: ImportLimits) -> DataError:
    if limits.max_xlsx_rows is not None and (limits.max_rows is None or limits.max_xlsx_rows <= limits.max_rows):
        return DataError.of(say("limit_xlsx_rows", where=where, n=n, limit=f"{limits.max_xlsx_rows:,}"))
    assert limits.max_rows is not None
    return DataError.of(say("limit_rows", where=where, n=n, limit=f"{limits.max_rows:,}"))


def _xlsx_source(path: Path, where: str, limits: ImportLimits) -> Source:
    zf = check_zip(path, where, limits)
    with zf:
        sheet = _first_sheet(zf)
        if sheet is not None:
            with zf.open(sheet) as fh:
                head = fh.read(64 << 10)
            dim = _DIMENSION.search(head)
            row_limit = min(x for x in (limits.max_rows, limits.max_xlsx_rows, 1 << 62) if x is not None)
            if dim is None and row_limit < 1 << 62:
                rows = _count_rows(zf, sheet, row_limit + 2)
                if rows - 1 > row_limit:
                    raise _xlsx_rows_error(where, f"more than {row_limit:,}", limits)
            if dim:
                last_col, last_row = (dim.group(3), dim.group(4)) if dim.group(3) else (dim.group(1), dim.group(2))
                rows = int(last_row) - 1  # the header row
                cols = _column_number(last_col)
                if rows > row_limit:
                    raise _xlsx_rows_error(where, f"{rows:,}", limits)
                if limits.max_columns is not None and cols > limits.max_columns:
                    raise DataError.of(say("limit_columns", where=where, n=f"{cols:,}",
                                           limit=f"{limits.max_columns:,}"))  # fmt: skip
    try:
        table = pd.read_excel(path, dtype=str, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds of errors for damaged workbooks
        raise DataError.of(say("file_bad_xlsx", where=where, reason=exc)) from exc
    return Source("xlsx", [str(c) for c in table.columns], iter([(table, None)]), rows_total=len(table))


# --------------------------------------------------------------------------------------------
# JSON depth, GeoPackage catalogue, vector formats
# --------------------------------------------------------------------------------------------

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def json_depth(path: Path, stop_at: int | None = None) -> int:
    """The deepest nesting of arrays and objects in a JSON file (strings skipped), by a byte scan.

    Runs at regex and NumPy speed (no parse, no recursion); ``stop_at`` ends the scan early
    once the depth passes it.
    """
    stripped = _JSON_STRING.sub(b"", path.read_bytes())
    depth = 0
    deepest = 0
    step_size = 8 << 20
    for start in range(0, len(stripped), step_size):
        arr = np.frombuffer(stripped, dtype=np.uint8, count=min(step_size, len(stripped) - start), offset=start)
        opens = (arr == ord("[")) | (arr == ord("{"))
        closes = (arr == ord("]")) | (arr == ord("}"))
        levels = depth + np.cumsum(opens.astype(np.int32) - closes.astype(np.int32))
        if levels.size:
            deepest = max(deepest, int(levels.max()))
            depth = int(levels[-1])
        if stop_at is not None and deepest > stop_at:
            break
    return deepest


def gpkg_catalogue(path: Path, where: str) -> tuple[list[str], dict[str, str]]:
    """Layer names (gpkg_contents) and views (name -> SQL) of a GeoPackage, read with SQLite."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise DataError.of(say("file_bad_vector", where=where, fmt="gpkg", reason=exc)) from exc
    calls = 0

    def give_up() -> int:
        nonlocal calls
        calls += 1
        return int(calls > 10_000)  # the catalogue needs few steps; a huge one is not a GeoPackage worth reading

    con.set_progress_handler(give_up, 1000)
    try:
        layers = [str(r[0]) for r in con.execute("SELECT table_name FROM gpkg_contents ORDER BY rowid LIMIT 100000")]
        views = {
            str(n): str(sql or "") for n, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE type='view'")
        }
    except sqlite3.Error:
        layers, views = [], {}
    finally:
        con.close()
    return layers, views


def _vector_source(path: Path, fmt: str, where: str, layer: str | None, limits: ImportLimits) -> Source:
    if fmt == "geojson" and limits.max_json_depth is not None:
        depth = json_depth(path, stop_at=limits.max_json_depth)
        if depth > limits.max_json_depth:
            raise DataError.of(say("limit_depth", where=where, n=f"{depth:,}", limit=limits.max_json_depth))
    if fmt == "shapefile":
        check_zip(path, where, limits).close()
    chosen = layer
    if fmt == "gpkg":
        names, views = gpkg_catalogue(path, where)
        if limits.max_layers is not None and len(names) + len(views) > limits.max_layers:
            raise DataError.of(say("limit_layers", where=where, n=f"{len(set(names) | set(views)):,}",
                                   limit=limits.max_layers))  # fmt: skip
        target = layer if layer is not None else (names[0] if len(names) == 1 else None)
        if target is not None and target in views and re.search(r"\bwith\b", views[target], re.IGNORECASE):
            raise DataError.of(say("limit_recursive_view", where=where, layer=target))
    layers: tuple[str, ...] = ()
    source = f"/vsizip/{path}" if fmt == "shapefile" else str(path)
    try:
        listed = pyogrio.list_layers(source)
        layers = tuple(str(name) for name in listed[:, 0])
        if fmt == "gpkg" and chosen is None and len(layers) > 1:
            raise DataError.of(say("file_gpkg_layers", where=where, n=len(layers), layers=", ".join(layers)))
        if chosen is not None and chosen not in layers:
            raise DataError.of(say("file_no_layer", where=where, layer=chosen, layers=", ".join(layers)))
        gdf = gpd.read_file(source, layer=chosen, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataError.of(say("file_bad_vector", where=where, fmt=fmt, reason=exc)) from exc
    except RecursionError as exc:  # nested deeper than Python's stack (with the depth limit off)
        raise DataError.of(say("file_bad_vector", where=where, fmt=fmt, reason="nested too deeply")) from exc
    crs = gdf.crs
    if fmt == "geojson" and not _geojson_states_crs(path):
        crs = None  # GDAL assumes WGS-84 for GeoJSON; Chinese tools often write GCJ-02 without saying
    if limits.max_rows is not None and len(gdf) > limits.max_rows:
        raise DataError.of(say("limit_rows", where=where, n=f"{len(gdf):,}", limit=f"{limits.max_rows:,}"))
    table = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    return Source(fmt, [str(c) for c in table.columns], iter([(table, gdf.geometry)]), crs, layers,
                  rows_total=len(table), vector=True)  # fmt: skip


def _geojson_states_crs(path: Path) -> bool:
    """Whether the GeoJSON document has a top-level ``crs`` member (read without a full parse)."""
    from zzgeo.io import decode_text

    try:
        doc = json.loads(decode_text(path.read_bytes(), path.name))
    except RecursionError:
        return False
    except ValueError as exc:
        raise DataError.of(say("file_bad_json", where=path.name, reason=exc)) from exc
    return isinstance(doc, dict) and "crs" in doc


# --------------------------------------------------------------------------------------------
# Parquet
# --------------------------------------------------------------------------------------------


def _parquet_source(path: Path, where: str, limits: ImportLimits, batch_rows: int) -> Source:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        metadata = pf.schema_arrow.metadata or {}
    except (OSError, ValueError) as exc:
        raise DataError.of(say("file_bad_parquet", where=where, reason=exc)) from exc
    rows = pf.metadata.num_rows
    names = [str(n) for n in pf.schema_arrow.names]
    if limits.max_columns is not None and len(names) > limits.max_columns:
        raise DataError.of(say("limit_columns", where=where, n=f"{len(names):,}", limit=f"{limits.max_columns:,}"))
    if limits.max_rows is not None and rows > limits.max_rows:
        raise DataError.of(say("limit_rows", where=where, n=f"{rows:,}", limit=f"{limits.max_rows:,}"))
    if b"geo" in metadata:
        try:
            gdf = gpd.read_parquet(path)
        except (OSError, ValueError) as exc:
            raise DataError.of(say("file_bad_parquet", where=where, reason=exc)) from exc
        table = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
        return Source("parquet", [str(c) for c in table.columns], iter([(table, gdf.geometry)]), gdf.crs,
                      rows_total=rows, vector=True)  # fmt: skip
    done = 0

    def batches() -> Iterator[tuple[pd.DataFrame, gpd.GeoSeries | None]]:
        nonlocal done
        try:
            for batch in pf.iter_batches(batch_size=batch_rows):
                done += batch.num_rows
                yield batch.to_pandas().astype("str"), None
        except (OSError, ValueError) as exc:
            raise DataError.of(say("file_bad_parquet", where=where, reason=exc)) from exc

    def position() -> tuple[int, int]:
        return done, max(rows, 1)

    return Source("parquet", names, batches(), rows_total=rows, position=position)


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def open_source(
    path: Path,
    fmt: str,
    where: str,
    *,
    layer: str | None = None,
    encoding: str | None = None,
    limits: ImportLimits | None = None,
    batch_rows: int = BATCH_ROWS,
) -> Source:
    """Open ``path`` (format ``fmt`` from :func:`zzgeo.imports.sniff_format`) for reading."""
    limits = limits or ImportLimits()
    if fmt == "csv":
        return _csv_source(path, where, encoding, limits, batch_rows)
    if fmt == "xlsx":
        return _xlsx_source(path, where, limits)
    if fmt == "parquet":
        return _parquet_source(path, where, limits, batch_rows)
    return _vector_source(path, fmt, where, layer, limits)


def control_char_rows(values: pd.Series) -> np.ndarray:
    """Positions of cells holding a NUL byte or another control character (tab, CR, LF allowed)."""
    if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
        return np.array([], dtype=np.intp)
    text = values.astype("str")
    found = text.str.contains(_CONTROL, regex=True, na=False).to_numpy(dtype=bool)
    return np.flatnonzero(found)


def first_control_char(value: str) -> tuple[str, int]:
    """The first control character of ``value`` (as a readable escape) and its 1-based position."""
    match = re.search(_CONTROL, value)
    assert match is not None
    ch = match.group(0)
    name = "NUL (\\x00)" if ch == "\x00" else f"control character {ch!r}".replace("'", "")
    return name, match.start() + 1


def long_cells(values: pd.Series, limit: int) -> int | None:
    """Position of the first cell longer than ``limit`` characters, or None."""
    if not (pd.api.types.is_string_dtype(values) or values.dtype == object):
        return None
    lengths = values.astype("str").str.len().to_numpy(dtype=float, na_value=0)
    over = np.flatnonzero(lengths > limit)
    return int(over[0]) if over.size else None
