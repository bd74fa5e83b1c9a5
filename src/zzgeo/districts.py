"""Zhangzhou's 11 county-level districts and their resident population.

Geometry comes from ``geodata/`` (see its README for sources and licences): full detail
for analysis and a coverage-simplified version for display. Both carry ``adcode``,
``name_zh``, ``name_en``, ``land_area_km2`` (land only, from Tianditu outlines) and
``polygon_area_km2`` (the Amap polygon, which includes tidal flats and sea on the coast).
"""

from __future__ import annotations

from functools import cache
from io import StringIO
from pathlib import Path

import geopandas as gpd
import pandas as pd

from zzgeo.errors import DataError, UnknownKeyError
from zzgeo.io import decode_text
from zzgeo.settings import get_settings

__all__ = ["CITY_ADCODE", "DISTRICT_FILES", "load_districts", "load_land", "load_population", "read_population"]

CITY_ADCODE = "350600"
CITY_NAME_ZH = "漳州市"
CITY_NAME_EN = "Zhangzhou (city)"

#: detail -> file in geodata/
DISTRICT_FILES = {
    "full": "zhangzhou_districts.geojson",
    "display": "zhangzhou_districts_display.geojson",
}

_POPULATION_COLUMNS = ["adcode", "population", "year"]


@cache
def _read_geojson(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        raise DataError(f"district file not found: {path}")
    gdf = gpd.read_file(path, engine="pyogrio")
    gdf["adcode"] = gdf["adcode"].astype("str")
    return gdf.set_crs("EPSG:4326", allow_override=True)


def load_districts(detail: str = "full") -> gpd.GeoDataFrame:
    """The 11 districts in EPSG:4326, ordered by adcode.

    Parameters
    ----------
    detail : {"full", "display"}
        ``"full"`` (~9,000 vertices) for analysis, ``"display"`` (simplified as one
        coverage, no gaps or overlaps) for maps.
    """
    if detail not in DISTRICT_FILES:
        raise UnknownKeyError("district detail", detail, list(DISTRICT_FILES))
    path = get_settings().geodata_dir / DISTRICT_FILES[detail]
    return _read_geojson(path).sort_values("adcode").reset_index(drop=True).copy()


def load_land() -> gpd.GeoDataFrame:
    """Coarse land-only outlines of the districts (Tianditu), EPSG:4326."""
    return _read_geojson(get_settings().geodata_dir / "zhangzhou_land.geojson").copy()


def read_population(path: str | Path) -> pd.DataFrame:
    """Read a population table: columns ``adcode``, ``population``, ``year``.

    Optional columns: ``status`` (default ``"user-supplied"``), ``as_of``, ``source``,
    ``name_zh``, ``name_en``. Every one of the 11 districts must have a positive figure.
    UTF-8 (with or without BOM) and GBK/GB18030 files are accepted.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read population table {path}: {exc.strerror}") from exc
    text = decode_text(raw, str(path))
    try:
        table = pd.read_csv(StringIO(text), dtype={"adcode": str})
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as exc:
        raise DataError(f"{path}: not a readable CSV table ({exc})") from exc
    return _check_population(table, str(path))


def _check_population(table: pd.DataFrame, where: str) -> pd.DataFrame:
    missing = [c for c in _POPULATION_COLUMNS if c not in table.columns]
    if missing:
        raise DataError(
            f"{where}: missing column(s) {', '.join(missing)}; a population table needs "
            f"{', '.join(_POPULATION_COLUMNS)} (one row per district adcode)"
        )
    table = table.copy()
    table["adcode"] = table["adcode"].astype("str").str.strip()
    expected = set(load_districts("display")["adcode"])
    problems = []
    for i, row in table.iterrows():
        line = int(str(i)) + 1
        if row["adcode"] not in expected:
            problems.append(f"row {line}, column adcode: {row['adcode']!r} is not one of Zhangzhou's districts")
        pop = pd.to_numeric(pd.Series([row["population"]]), errors="coerce").iloc[0]
        if pd.isna(pop) or pop <= 0 or pop % 1 != 0:
            problems.append(f"row {line}, column population: {row['population']!r} is not a positive whole number")
    absent = sorted(expected - set(table["adcode"]))
    if absent:
        problems.append(f"no row for adcode(s) {', '.join(absent)}")
    if table["adcode"].duplicated().any():
        dups = sorted(set(table.loc[table["adcode"].duplicated(), "adcode"]))
        problems.append(f"adcode(s) {', '.join(dups)} appear more than once")
    years = pd.to_numeric(table["year"], errors="coerce")
    shown = ("'" + table["year"].astype("str") + "'").where(table["year"].notna(), "(empty)")
    for i in table.index[years.isna() | (years % 1 != 0)]:
        problems.append(f"row {int(str(i)) + 1}, column year: {shown[i]} is not a year")
    found = sorted({int(y) for y in years.dropna() if y % 1 == 0})
    if len(found) > 1:
        found_text = ", ".join(map(str, found))
        problems.append(f"column year: expected one year for the whole table, found {found_text}")
    if problems:
        raise DataError(f"{where}: " + "; ".join(problems))
    table["population"] = pd.to_numeric(table["population"]).astype("int64")
    table["year"] = years.astype("int64")
    if "status" not in table.columns:
        table["status"] = "user-supplied"
    return table.sort_values("adcode").reset_index(drop=True)


def load_population(path: str | Path | None = None) -> pd.DataFrame:
    """Resident population per district, with ``year`` and ``status`` columns.

    Default: ``ZZGEO_POPULATION`` or the 7th National Census (1 Nov 2020) table, where
    ``status`` says whether a figure is ``published`` or ``published-secondary``; a user's
    table may also say ``derived`` (computed from other figures, not published itself).
    """
    settings = get_settings()
    path = Path(path) if path else settings.population_path or settings.geodata_dir / "population_2020.csv"
    return read_population(path)
