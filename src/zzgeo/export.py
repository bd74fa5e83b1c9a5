"""Exports that open in QGIS, GDAL and Excel.

- GeoJSON follows RFC 7946: WGS-84 lon/lat, polygon exteriors counter-clockwise and
  holes clockwise, no ``crs`` member, coordinates rounded (6 decimals ≈ 0.1 m by default).
- GeoPackage via pyogrio (GDAL).
- CSV as UTF-8 with a byte-order mark, so Excel on Chinese Windows shows Chinese text;
  point layers get ``lon``/``lat`` columns.
- Excel (.xlsx) for tables, via openpyxl.

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
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zzgeo.errors import UnknownKeyError, ZzgeoError

__all__ = [
    "EXPORT_FORMATS",
    "atomic_path",
    "export",
    "geojson_text",
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


def geojson_text(gdf: gpd.GeoDataFrame, decimals: int = 6) -> str:
    """The layer as an RFC 7946 GeoJSON FeatureCollection (a str).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Any CRS; it is transformed to WGS-84.
    decimals : int
        Decimal places kept in coordinates (6 ≈ 0.1 m, 7 ≈ 1 cm).
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
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))


def to_geojson(gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], decimals: int = 6) -> Path:
    """Write an RFC 7946 GeoJSON file atomically; return its path."""
    text = geojson_text(gdf, decimals=decimals)
    with atomic_path(path) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return Path(path)


def to_gpkg(gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], layer: str | None = None) -> Path:
    """Write a GeoPackage (one layer, named after the file unless given) atomically."""
    target = Path(path)
    gdf = _to_wgs84(gdf)
    with atomic_path(target) as tmp:
        # GeoPackage 1.2 opens without warnings in older GDAL/QGIS too (GDAL 3.12 writes 1.4).
        gdf.to_file(tmp, layer=layer or target.stem, driver="GPKG", engine="pyogrio", VERSION="1.2")
    return target


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
    """Write CSV as UTF-8 with BOM (Excel-friendly) atomically; points get lon/lat."""
    table = _flat_table(df)
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8-sig")
    return Path(path)


def to_excel(df: pd.DataFrame, path: str | os.PathLike[str], sheet_name: str = "zzgeo") -> Path:
    """Write an .xlsx workbook (one sheet) atomically; points get lon/lat."""
    table = _flat_table(df)
    with atomic_path(path) as tmp:
        table.to_excel(tmp, index=False, sheet_name=sheet_name[:31], engine="openpyxl")
    return Path(path)


def export(df: pd.DataFrame, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Write ``df`` in format ``fmt`` (geojson, gpkg, csv, xlsx; default: from the suffix)."""
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
    result = writers[fmt](df, target)
    logger.info("wrote %s (%s, %d rows)", target, fmt, len(df))
    return result
