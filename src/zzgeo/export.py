"""Exports that open in QGIS, GDAL and Excel.

- GeoJSON follows RFC 7946: WGS-84 lon/lat, polygon exteriors counter-clockwise and
  holes clockwise, no ``crs`` member, coordinates rounded (6 decimals ≈ 0.1 m by default).
- GeoPackage via pyogrio (GDAL).
- CSV as UTF-8 with a byte-order mark, so Excel on Chinese Windows shows Chinese text;
  point layers get ``lon``/``lat`` columns.
- Excel (.xlsx) for tables, via openpyxl.
- CSV and Excel cells that a spreadsheet would run as a formula (text starting with ``=``,
  ``+``, ``-``, ``@``, tab or carriage return: the OWASP CSV-injection rule) are
  neutralised: CSV cells get a leading apostrophe (``'=1+1``), Excel cells are stored as
  text with Excel's own quote prefix (the text shows as it is and never becomes a
  formula). Numbers stay numbers, and text that is just a number (``-12.5``) is left as it is.

Every writer is atomic: it writes a temporary file beside the target and renames it over
the target only when complete, so a failure never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import logging
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zzgeo.errors import UnknownKeyError, ZzgeoError

if TYPE_CHECKING:
    from zzgeo.provenance import Provenance

__all__ = [
    "EXPORT_FORMATS",
    "atomic_path",
    "export",
    "geojson_text",
    "neutralise",
    "to_csv",
    "to_excel",
    "to_geojson",
    "to_gpkg",
]

logger = logging.getLogger(__name__)

#: format key -> file suffix
EXPORT_FORMATS = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv", "xlsx": ".xlsx"}


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it onto ``path``.

    On any exception the temporary file is removed and ``path`` is left as it was.
    """
    target = Path(path)
    if not target.parent.exists():
        raise ZzgeoError(f"cannot write {target}: folder {target.parent} does not exist")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # writers such as GDAL refuse to overwrite; they create it anew
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def _json_value(value: Any) -> Any:
    """A property value as plain JSON (NaN/NaT -> null, NumPy scalars -> Python)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        return value.isoformat()
    return value


def _to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        raise ZzgeoError("the layer has no CRS; set one (e.g. EPSG:4326) before exporting")
    return gdf if gdf.crs.equals("EPSG:4326") else gdf.to_crs("EPSG:4326")


def _rfc7946_geometries(geoms: np.ndarray, decimals: int) -> np.ndarray:
    geoms = shapely.orient_polygons(geoms, exterior_cw=False)
    return shapely.transform(geoms, lambda c: np.round(c, decimals))


def geojson_text(gdf: gpd.GeoDataFrame, decimals: int = 6, provenance: Provenance | None = None) -> str:
    """The layer as an RFC 7946 GeoJSON FeatureCollection (a str).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Any CRS; it is transformed to WGS-84.
    decimals : int
        Decimal places kept in coordinates (6 ≈ 0.1 m, 7 ≈ 1 cm).
    provenance : zzgeo.provenance.Provenance, optional
        Written as the foreign member ``"zzgeo"`` (sources, synthetic flag, as-of year,
        filters) and as ``"description"`` (one line; GDAL reads it as the layer's
        ``DESCRIPTION``).
    """
    gdf = _to_wgs84(gdf)
    geoms = _rfc7946_geometries(gdf.geometry.to_numpy(), decimals)
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    records = gdf[columns].to_dict(orient="records") if columns else [{}] * len(gdf)
    features = []
    for geom, props in zip(geoms, records, strict=True):
        features.append(
            {
                "type": "Feature",
                "properties": {k: _json_value(v) for k, v in props.items()},
                "geometry": None if geom is None or geom.is_empty else json.loads(shapely.to_geojson(geom)),
            }
        )
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    if provenance is not None:
        collection |= {"description": provenance.description(), "zzgeo": provenance.to_dict()}
    collection["features"] = features
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))


def to_geojson(
    gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], decimals: int = 6, provenance: Provenance | None = None
) -> Path:
    """Write an RFC 7946 GeoJSON file atomically (see :func:`geojson_text`); return its path."""
    text = geojson_text(gdf, decimals=decimals, provenance=provenance)
    with atomic_path(path) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return Path(path)


def to_gpkg(
    gdf: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    layer: str | None = None,
    provenance: Provenance | None = None,
) -> Path:
    """Write a GeoPackage (one layer, named after the file unless given) atomically.

    ``provenance`` goes into the layer's description (``gpkg_contents.description``) and
    its ``ZZGEO_*`` metadata items (``gpkg_metadata``, GDAL's metadata of the layer).
    """
    target = Path(path)
    gdf = _to_wgs84(gdf)
    extra: dict[str, Any] = {}
    if provenance is not None:
        extra = {"layer_options": {"DESCRIPTION": provenance.description()}, "metadata": provenance.metadata()}
    with atomic_path(target) as tmp:
        # GeoPackage 1.2 opens without warnings in older GDAL/QGIS too (GDAL 3.12 writes 1.4).
        gdf.to_file(tmp, layer=layer or target.stem, driver="GPKG", engine="pyogrio", VERSION="1.2", **extra)
    return target


_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
#: text that reads as a neutralised cell ("'-", "''=1"): its CSV cell gets one more apostrophe, so
#: that zzgeo's importer, which takes one off, reads back what was written
_LOOKS_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")


def _is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(_TRIGGERS) and not _PLAIN_NUMBER.match(value)


def _needs_quote(value: object) -> bool:
    """Whether a CSV cell gets an apostrophe: text a spreadsheet would run, or that reads as neutralised."""
    return _is_formula_like(value) or (isinstance(value, str) and _LOOKS_NEUTRALISED.match(value) is not None)


def neutralise(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with text cells a spreadsheet would run as a formula prefixed by ``'`` (a copy if any).

    Only text cells change (number columns are left alone); text that is just a number
    (``-12``) is harmless and kept. zzgeo's importer reads such cells back without the
    apostrophe; text that already starts with apostrophes before such a character (``'-``)
    gets one more, so it reads back as it was too.
    """
    out = table
    for col in table.columns:
        values = table[col]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        if values.dtype == object:
            mask = values.map(_needs_quote).to_numpy(dtype=bool)
        else:  # a string column: the same test, vectorised (missing cells stay as they are)
            text = values.astype("str")
            formula = text.str.startswith(_TRIGGERS) & ~text.str.match(_PLAIN_NUMBER.pattern)
            mask = (formula | text.str.match(_LOOKS_NEUTRALISED.pattern)).fillna(False).to_numpy(dtype=bool)
        if mask.any():
            if out is table:
                out = table.copy()
            fixed = values.astype(object).copy()
            fixed[mask] = ["'" + str(v) for v in values[mask]]
            out[col] = fixed if values.dtype == object else fixed.astype(values.dtype)
    return out


def _flat_table(df: pd.DataFrame) -> pd.DataFrame:
    """Points become lon/lat columns; other geometries become WKT; nothing else changes."""
    if not isinstance(df, gpd.GeoDataFrame):
        return df
    gdf = _to_wgs84(df)
    out = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    geoms = gdf.geometry
    if len(gdf) and (geoms.geom_type == "Point").all():
        out["lon"] = geoms.x.round(7)
        out["lat"] = geoms.y.round(7)
    else:
        out["wkt"] = geoms.to_wkt(rounding_precision=7)
    return out


def to_csv(df: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write CSV as UTF-8 with BOM (Excel-friendly) atomically; points get lon/lat; formulas neutralised."""
    table = neutralise(_flat_table(df))
    with atomic_path(path) as tmp:
        # CRLF rows (RFC 4180): a CR or LF inside a cell is then quoted, never read as a row break.
        table.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return Path(path)


def to_excel(df: pd.DataFrame, path: str | os.PathLike[str], sheet_name: str = "zzgeo") -> Path:
    """Write an .xlsx workbook (one sheet) atomically; points get lon/lat; formulas neutralised.

    Text that would be a formula is stored as text with Excel's quote prefix (as if typed
    with a leading apostrophe): it shows unchanged and never runs.
    """
    import openpyxl

    table = _flat_table(df)
    with atomic_path(path) as tmp:
        table.to_excel(tmp, index=False, sheet_name=sheet_name[:31], engine="openpyxl")
        book = openpyxl.load_workbook(tmp)
        changed = False
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if _is_formula_like(cell.value):
                        cell.data_type = "s"
                        cell.quotePrefix = True
                        changed = True
        if changed:
            book.save(tmp)
        book.close()
    return Path(path)


def export(
    df: pd.DataFrame, path: str | os.PathLike[str], fmt: str | None = None, provenance: Provenance | None = None
) -> Path:
    """Write ``df`` in format ``fmt`` (geojson, gpkg, csv, xlsx; default: from the suffix).

    ``provenance`` is written into GeoJSON and GeoPackage files (see :func:`geojson_text`,
    :func:`to_gpkg`); CSV and plain Excel tables carry none.
    """
    target = Path(path)
    if fmt is None:
        by_suffix = {v: k for k, v in EXPORT_FORMATS.items()} | {".json": "geojson"}
        fmt = by_suffix.get(target.suffix.lower())
        if fmt is None:
            raise ZzgeoError(f"cannot tell the format from {target.name!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if fmt not in EXPORT_FORMATS:
        raise UnknownKeyError("export format", fmt, list(EXPORT_FORMATS))
    if fmt in ("geojson", "gpkg") and not isinstance(df, gpd.GeoDataFrame):
        raise ZzgeoError(f"{fmt} needs a layer with geometry; use csv or xlsx for tables")
    writers: dict[str, Callable[[Any, Path], Path]] = {
        "geojson": to_geojson,
        "gpkg": to_gpkg,
        "csv": to_csv,
        "xlsx": to_excel,
    }
    if provenance is not None and fmt == "geojson":
        result = to_geojson(df, target, provenance=provenance)
    elif provenance is not None and fmt == "gpkg":
        result = to_gpkg(df, target, provenance=provenance)
    else:
        result = writers[fmt](df, target)
    logger.info("wrote %s (%s, %d rows)", target, fmt, len(df))
    return result
