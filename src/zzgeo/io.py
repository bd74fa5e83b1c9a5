"""Reading infrastructure inventories from files.

Point tables (CSV, Excel) need longitude/latitude columns; vector files (GeoJSON,
GeoPackage, Shapefile, ...) are read with pyogrio (GDAL). CSV files may be UTF-8 (with or
without BOM) or GBK/GB18030, as Excel on Chinese Windows writes them.
"""

from __future__ import annotations

import logging
from io import StringIO
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from zzgeo.errors import DataError

__all__ = ["LAT_ALIASES", "LON_ALIASES", "TABLE_SUFFIXES", "decode_text", "read_points"]

logger = logging.getLogger(__name__)

#: Accepted names of the longitude / latitude columns (compared case-insensitively).
LON_ALIASES = ("lon", "lng", "long", "longitude", "x", "经度")
LAT_ALIASES = ("lat", "latitude", "y", "纬度")
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")


def decode_text(raw: bytes, where: str) -> str:
    """Decode CSV bytes as UTF-8 (BOM optional), else GB18030 (a superset of GBK)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:  # pragma: no cover - gb18030 maps nearly all bytes
        raise DataError(f"{where}: not UTF-8 or GBK/GB18030 text") from exc
    logger.info("%s: read as GBK/GB18030", where)
    return text


def _find_column(columns: list[str], aliases: tuple[str, ...]) -> str | None:
    lowered = {str(c).strip().lower(): c for c in columns}
    for alias in aliases:
        if alias in lowered:
            return lowered[alias]
    return None


def _table_to_points(table: pd.DataFrame, where: str) -> gpd.GeoDataFrame:
    columns = list(table.columns)
    lon_col = _find_column(columns, LON_ALIASES)
    lat_col = _find_column(columns, LAT_ALIASES)
    if lon_col is None or lat_col is None:
        raise DataError(
            f"{where}: no longitude/latitude columns; found {', '.join(map(str, columns)) or 'none'}; "
            f"accepted names: {'/'.join(LON_ALIASES)} and {'/'.join(LAT_ALIASES)}"
        )
    lon = pd.to_numeric(table[lon_col], errors="coerce")
    lat = pd.to_numeric(table[lat_col], errors="coerce")
    attrs = table.drop(columns=[lon_col, lat_col])
    attrs.columns = [str(c).strip() for c in attrs.columns]
    geometry = gpd.points_from_xy(lon, lat)
    # Rows whose coordinates are missing get an empty geometry, reported by validation.
    return gpd.GeoDataFrame(attrs, geometry=geometry, crs="EPSG:4326")


def read_points(path: str | Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read an inventory file into a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    path : str or Path
        CSV/TXT or Excel with lon/lat columns (WGS-84 degrees), or any vector format
        GDAL reads (GeoJSON, GeoPackage, Shapefile, zipped Shapefile, GeoParquet).
    layer : str, optional
        Layer of a multi-layer file (GeoPackage).
    """
    path = Path(path)
    where = path.name
    if not path.exists():
        raise DataError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise DataError(f"{where}: the file is empty")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        text = decode_text(path.read_bytes(), where)
        try:
            table = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
        except pd.errors.ParserError as exc:
            raise DataError(f"{where}: not a readable CSV table ({exc})") from exc
        return _table_to_points(table, where)
    if suffix in (".xlsx", ".xls"):
        try:
            table = pd.read_excel(path, dtype=str)
        except Exception as exc:  # openpyxl raises many types for broken workbooks
            raise DataError(f"{where}: not a readable Excel workbook ({exc})") from exc
        return _table_to_points(table, where)
    try:
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataError(f"{where}: not a readable vector file ({exc})") from exc
    if gdf.crs is None:
        logger.info("%s: no CRS in the file; taking WGS-84 lon/lat", where)
        gdf = gdf.set_crs("EPSG:4326")
    elif not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    return gdf
