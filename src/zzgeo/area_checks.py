"""Checks of area layers at import: geometry from tables, polygon parts, the set as a whole.

:func:`zzgeo.imports.import_file` calls these for area kinds (:data:`zzgeo.layers.AREA_KINDS`):

- :func:`table_geometry`: a table (CSV, Excel, Parquet without geometry) gives each
  polygon as WKT, EWKT (``SRID=4549;POLYGON ((...))``: the SRID is the file's CRS) or hex
  (E)WKB, in a column named one of :data:`GEOMETRY_HEADERS`;
- :func:`polygon_parts`: coordinates that look like metres read as degrees (or the
  reverse), polygons that collapse to no area, and every polygon kept as a MultiPolygon;
- :func:`check_areas`: the set as a whole, on the rows without errors: areas outside
  Zhangzhou, overlaps and gaps between areas, duplicate names and codes, NBS division
  codes against the district the area lies in, how much of the city's land the areas
  cover, and which areas will get an estimated population.

Sizes are km², computed in :data:`EQUAL_AREA_CRS` (Lambert azimuthal equal-area centred
on Zhangzhou: areas are exact on the WGS-84 ellipsoid). Overlaps and gaps smaller than
:data:`SLIVER_KM2` (1 hectare) are digitising slivers and are not reported. A *gap* is
land or sea in no area that is enclosed by areas, or a channel between areas narrower than
2 × :data:`GAP_CLOSE_M` (measured in degrees of latitude: ≈45 m east-west at 24.5°N)
and touching at least two areas; a wider notch open to the outside
is the edge of the layer. An area is *partly outside* Zhangzhou when more than
:data:`OUTSIDE_SHARE` of it (and more than a sliver) lies outside the districts' polygons.

NBS division codes (国家统计局统计用区划代码): 9 digits for a township (乡镇/街道),
12 for a village; the first 6 are the county's. A code that looks like one (9 or 12
digits starting with 3506) is compared with the district holding most of the area's
polygon; Longhai's and Changtai's codes from before 2021 (350681, 350625) are recognised.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from pyproj import CRS, Transformer

from zzgeo._aliases import normalize_header
from zzgeo.crs import CoordinateSystem
from zzgeo.districts import CITY_ADCODE, load_districts, load_land, load_population
from zzgeo.errors import Problem
from zzgeo.messages import DIRECTIONS
from zzgeo.messages import text as say
from zzgeo.settings import get_settings

__all__ = [
    "EQUAL_AREA_CRS",
    "GAP_CLOSE_M",
    "GEOMETRY_HEADERS",
    "MAX_AREAS",
    "OLD_COUNTY_CODES",
    "OUTSIDE_SHARE",
    "SLIVER_KM2",
    "CityGeometry",
    "check_areas",
    "city_geometry",
    "clean_code",
    "district_overlay",
    "polygon_parts",
    "table_geometry",
    "to_equal_area",
]

logger = logging.getLogger(__name__)

#: Lambert azimuthal equal-area projection centred on Zhangzhou (metres; a PROJ string):
#: areas in km².
EQUAL_AREA_CRS = "+proj=laea +lat_0=24.5 +lon_0=117.6 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs +type=crs"
#: Overlaps and gaps smaller than this (km², 1 hectare) are slivers: not reported.
SLIVER_KM2 = 0.01
#: An area partly outside Zhangzhou is reported when at least this share of it (and a
#: sliver's area) is outside: smaller strips come from borders drawn from other sources.
OUTSIDE_SHARE = 0.01
#: Channels between areas narrower than twice this (metres) count as gaps.
GAP_CLOSE_M = 50.0
#: Most areas in one layer (the grid index handles up to 32,767; checks stay quick).
MAX_AREAS = 10_000
#: Gaps listed one by one (largest first); the others are summed in one line.
MAX_GAPS_LISTED = 10
#: Headers of a table's geometry column (normalized).
GEOMETRY_HEADERS = ("wkt", "geometry", "geom", "thegeom", "shape", "wkb", "ewkt", "几何", "几何图形", "图形", "边界",
                    "范围", "空间信息")  # fmt: skip
#: County codes in use before 2021 -> the district's code now (Longhai, Changtai).
OLD_COUNTY_CODES = MappingProxyType({"350681": "350604", "350625": "350605"})

_NBS_CODE = re.compile(r"^3506\d{5}(?:\d{3})?$")
_SRID = re.compile(r"^\s*SRID=(\d+)\s*;", re.IGNORECASE)
_HEX = re.compile(r"^(?:[0-9A-Fa-f]{2})+$")
_FLOAT_CODE = re.compile(r"^(\d+)\.0+$")
_CHECK_ZH = {"outside": "市外", "overlap": "重叠", "gap": "空隙", "code": "代码", "city cover": "覆盖范围"}
_POLYGON = 3
_M_PER_DEG = 111_320.0  # metres per degree of latitude (and of longitude at the equator)
_MULTIPOLYGON = 6
_COLLECTION = 7


@cache
def _transformer() -> Transformer:
    return Transformer.from_crs(CRS("EPSG:4326"), CRS(EQUAL_AREA_CRS), always_xy=True)


def to_equal_area(geoms: NDArray[np.object_]) -> NDArray[np.object_]:
    """Lon/lat geometries (EPSG:4326) in :data:`EQUAL_AREA_CRS` (metres).

    A valid polygon can come out of the projection invalid where two of its vertices are
    a few nanometres apart (e.g. where a border was cut); those are made valid again.
    """
    transformer = _transformer()

    def forward(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    out = np.asarray(shapely.transform(np.asarray(geoms, dtype=object), forward), dtype=object)
    invalid = ~shapely.is_valid(out) & ~shapely.is_missing(out)
    if invalid.any():
        out[invalid] = shapely.make_valid(out[invalid], method="structure", keep_collapsed=False)
    return out


def clean_code(value: object) -> str | None:
    """A code as text: stripped, ``350602001.0`` (a float column) -> ``350602001``, None if empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    match = _FLOAT_CODE.match(text)
    return match.group(1) if match else (text or None)


@dataclass(frozen=True)
class CityGeometry:
    """The districts and their land in :data:`EQUAL_AREA_CRS`, for overlays with areas.

    ``land[i]`` is district ``i``'s polygon intersected with the Tianditu land outlines
    (the Amap district polygons include sea), as in :mod:`zzgeo.coverage`; ``city`` is
    the union of the districts, ``city_land`` of their land; ``city_lonlat`` the union of
    the districts in lon/lat.
    """

    adcodes: tuple[str, ...]
    names_zh: tuple[str, ...]
    names_en: tuple[str, ...]
    districts: NDArray[np.object_]
    land: NDArray[np.object_]
    land_km2: NDArray[np.float64]
    city: shapely.Geometry
    city_land: shapely.Geometry
    city_lonlat: shapely.Geometry


@cache
def _city_geometry(geodata_dir: Path) -> CityGeometry:
    districts = load_districts("full")
    ea = to_equal_area(districts.geometry.to_numpy())
    land_union = shapely.union_all(to_equal_area(load_land().geometry.to_numpy()))
    land = np.asarray(shapely.intersection(ea, land_union), dtype=object)
    city = shapely.union_all(ea)
    city_lonlat = shapely.union_all(districts.geometry.to_numpy())
    shapely.prepare(city_lonlat)
    logger.debug("city geometry from %s: %d districts", geodata_dir, len(districts))
    return CityGeometry(
        adcodes=tuple(districts["adcode"].astype("str")),
        names_zh=tuple(districts["name_zh"].astype("str")),
        names_en=tuple(districts["name_en"].astype("str")),
        districts=ea,
        land=land,
        land_km2=np.asarray(shapely.area(land), dtype=float) / 1e6,
        city=city,
        city_land=shapely.union_all(land),
        city_lonlat=city_lonlat,
    )


def city_geometry() -> CityGeometry:
    """The :class:`CityGeometry` of the districts in use (cached per data folder)."""
    return _city_geometry(get_settings().geodata_dir)


def district_overlay(
    geoms_ea: NDArray[np.object_], targets_ea: NDArray[np.object_]
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """(area index, target index, km² of their intersection) for every pair that overlaps."""
    if len(geoms_ea) == 0:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp), np.empty(0)
    tree = shapely.STRtree(targets_ea)
    area_idx, target_idx = tree.query(geoms_ea, predicate="intersects")
    km2 = np.asarray(shapely.area(shapely.intersection(geoms_ea[area_idx], targets_ea[target_idx])), dtype=float) / 1e6
    keep = km2 > 0
    return area_idx[keep], target_idx[keep], km2[keep]


# --------------------------------------------------------------------------------------------
# Geometry from a table
# --------------------------------------------------------------------------------------------


def table_geometry(table: pd.DataFrame, file: str) -> tuple[str | None, gpd.GeoSeries, list[Problem], CRS | None]:
    """Polygons of a table from its WKT/WKB column.

    Returns
    -------
    tuple
        The name of the geometry column (None when the table has none), the geometries
        (None where missing or unreadable), the problems (unreadable values; no geometry
        column; mixed SRIDs) and the CRS an EWKT/EWKB SRID states (None if none does).
    """
    n = len(table)
    col = next((c for c in table.columns if normalize_header(c) in GEOMETRY_HEADERS), None)
    if col is None:
        accepted = ", ".join(GEOMETRY_HEADERS[:7])
        return (
            None,
            gpd.GeoSeries([None] * n),
            [Problem.of(say("area_no_geometry", accepted=accepted), file=file)],
            None,
        )
    geoms = np.full(n, None, dtype=object)
    srids: set[int] = set()
    problems: list[Problem] = []
    for i, raw in enumerate(table[col].to_numpy(dtype=object)):
        if raw is None or (isinstance(raw, float) and math.isnan(raw)) or not str(raw).strip():
            continue  # reported by the layer checks as missing
        text = str(raw).strip()
        match = _SRID.match(text)
        if match:
            srids.add(int(match.group(1)))
            text = text[match.end() :]
        try:
            geom = shapely.from_wkb(text) if _HEX.match(text) else shapely.from_wkt(text)
        except (shapely.errors.ShapelyError, ValueError):
            geom = None
        if geom is None:
            shown = text if len(text) <= 60 else text[:57] + "..."
            problems.append(Problem.of(say("area_bad_wkt", value=shown), i + 1, str(col), shown, "error", file))
            continue
        srid = int(shapely.get_srid(geom))
        if srid:
            srids.add(srid)
        geoms[i] = geom
    crs = None
    if len(srids) > 1:
        problems.append(Problem.of(say("area_mixed_srid", srids=", ".join(map(str, sorted(srids)))), file=file))
    elif srids:
        crs = CRS.from_epsg(srids.pop())
    return str(col), gpd.GeoSeries(geoms), problems, crs


# --------------------------------------------------------------------------------------------
# Polygon parts
# --------------------------------------------------------------------------------------------


def polygon_parts(
    original: gpd.GeoSeries, converted: gpd.GeoSeries, chosen: CoordinateSystem | None, file: str
) -> tuple[gpd.GeoSeries, list[Problem]]:
    """Polygons as MultiPolygons, with coordinate and no-area problems.

    Parameters
    ----------
    original : geopandas.GeoSeries
        The geometries as read, in the file's coordinates.
    converted : geopandas.GeoSeries
        The same in WGS-84, invalid polygons already repaired.
    chosen : CoordinateSystem or None
        The user's choice when the file states no CRS (None when it does): coordinates
        that do not fit it (metres read as degrees or the reverse) are errors.
    file : str
        File name for the problems.
    """
    problems: list[Problem] = []
    raw = original.to_numpy()
    values = converted.to_numpy().copy()
    raw_type = shapely.get_type_id(raw)
    polygonal = np.isin(raw_type, [_POLYGON, _MULTIPOLYGON]) & ~shapely.is_empty(raw)
    flagged = np.zeros(len(values), dtype=bool)
    if chosen is not None:
        bounds = shapely.bounds(raw)
        metres = np.any(np.abs(bounds) > 360, axis=1)
        wrong = polygonal & (~metres if chosen.projected else metres)
        key = "degrees_for_projected" if chosen.projected else "metres_for_degrees"
        for i in np.flatnonzero(wrong).tolist():
            x, y = shapely.get_coordinates(raw[i])[0]
            problems.append(
                Problem.of(say(key, x=x, y=y, crs=chosen.key), i + 1, "geometry", f"{x}, {y}", "error", file)
            )
        flagged |= wrong
    bounds = shapely.bounds(values)
    not_lonlat = (
        polygonal & ~flagged & ((np.abs(bounds[:, [0, 2]]) > 180) | (np.abs(bounds[:, [1, 3]]) > 90)).any(axis=1)
    )
    for i in np.flatnonzero(not_lonlat).tolist():
        x, y = shapely.get_coordinates(raw[i])[0]
        problems.append(Problem.of(say("area_not_lonlat", x=x, y=y), i + 1, "geometry", f"{x}, {y}", "error", file))
    flagged |= not_lonlat
    for i in np.flatnonzero(polygonal).tolist():
        geom = values[i]
        if geom is not None and shapely.get_type_id(geom) == _COLLECTION:  # a repair may give a collection
            parts = shapely.get_parts(geom)
            geom = shapely.multipolygons(shapely.get_parts(parts[np.isin(shapely.get_type_id(parts), [3, 6])]))
        elif geom is not None and shapely.get_type_id(geom) == _POLYGON:
            geom = shapely.multipolygons([geom])
        if geom is None or shapely.is_empty(geom) or shapely.area(geom) == 0:
            if not flagged[i]:
                problems.append(Problem.of(say("area_no_area"), i + 1, "geometry", None, "error", file))
            geom = None
        values[i] = geom
    return gpd.GeoSeries(values, crs=converted.crs, index=converted.index), problems


# --------------------------------------------------------------------------------------------
# The set of areas
# --------------------------------------------------------------------------------------------


def _direction(dx: float, dy: float) -> str:
    names = ["east", "north-east", "north", "north-west", "west", "south-west", "south", "south-east"]
    return names[round(math.degrees(math.atan2(dy, dx)) / 45) % 8]


def _km2(value: float) -> str:
    return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def _texts(gdf: gpd.GeoDataFrame, column: str, pos: NDArray[np.intp]) -> list[str | None]:
    if column not in gdf.columns:
        return [None] * len(pos)
    return [clean_code(v) for v in gdf[column].to_numpy(dtype=object)[pos]]


def check_areas(
    gdf: gpd.GeoDataFrame,
    file: str,
    *,
    skip: set[int] | None = None,
    wgs84_by_default: bool = False,
    far_km: float = 50.0,
    hint_km: float = 1.5,
) -> list[Problem]:
    """Problems of a set of areas as a whole (see the module docstring).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The areas (EPSG:4326, MultiPolygons) with the area kind's columns, in file order.
    file : str
        File name for the problems.
    skip : set of int, optional
        Rows (1-based) that already have errors: left out of the checks.
    wgs84_by_default : bool
        True when the coordinates were read as WGS-84 because the file states no CRS
        and the user chose none: areas just outside the city get a GCJ-02/BD-09 hint.
    far_km, hint_km : float
        An area wholly outside the city and farther than ``far_km`` (km) is an error
        (wrong coordinates); within ``hint_km`` the hint above is added.

    Returns
    -------
    list of Problem
        Errors (areas far outside; an ``area_id`` equal to the city's key; too many areas)
        and warnings (everything else), with rows numbered from 1.
    """
    skip = skip or set()
    geoms = gdf.geometry.to_numpy()
    ok = (shapely.get_type_id(geoms) == _MULTIPOLYGON) & ~shapely.is_empty(geoms)
    ok &= ~np.isin(np.arange(1, len(gdf) + 1), list(skip))
    pos = np.flatnonzero(ok)
    if len(pos) > MAX_AREAS:
        return [Problem.of(say("area_too_many", n=len(pos), limit=MAX_AREAS), file=file)]
    if len(pos) == 0:
        return []
    problems: list[Problem] = []
    rows = pos + 1
    names = [str(v) if v is not None else "" for v in _texts(gdf, "name", pos)]
    codes = _texts(gdf, "code", pos)
    city = city_geometry()
    ea = to_equal_area(geoms[pos])
    area_km2 = np.asarray(shapely.area(ea), dtype=float) / 1e6
    deg = geoms[pos]

    def guarded(name: str, check: Callable[[], list[Problem]]) -> list[Problem]:
        # GEOS may give up on a topology it cannot resolve: say so rather than lose the import
        try:
            return check()
        except shapely.errors.GEOSException as exc:
            logger.warning("%s: the %s check failed: %s", file, name, exc)
            message = say("area_check_failed", check=name, check_zh=_CHECK_ZH[name], reason=exc)
            return [Problem.of(message, severity="warning", file=file)]

    # Topology (overlaps, gaps, what is outside) is worked out in lon/lat, where shared borders
    # coincide exactly; only sizes and distances are measured in the equal-area projection.
    problems += guarded("outside", lambda: _outside(deg, ea, area_km2, rows, city, file, wgs84_by_default, far_km,
                                                    hint_km))  # fmt: skip
    problems += guarded("overlap", lambda: _overlaps(deg, rows, names, file))
    problems += guarded("gap", lambda: _gaps(deg, rows, names, file))
    problems += _duplicates(names, codes, rows, file)
    problems += guarded("code", lambda: _codes(ea, area_km2, codes, rows, city, file))
    for i, area_id in zip(rows, _texts(gdf, "area_id", pos), strict=True):
        if area_id == CITY_ADCODE:
            problems.append(Problem.of(say("area_city_key", value=area_id), int(i), "area_id", area_id, "error", file))
    problems += guarded("city cover", lambda: _cover(deg, city, file))
    problems += _population(gdf, pos, file)
    return problems


def _cover(deg: NDArray[np.object_], city: CityGeometry, file: str) -> list[Problem]:
    union = to_equal_area(np.array([shapely.union_all(deg)], dtype=object))[0]
    covered = float(shapely.area(shapely.intersection(city.city_land, union))) / 1e6
    total = float(city.land_km2.sum())
    if total - covered < SLIVER_KM2:
        return []
    pct = f"{covered / total * 100:.1f}"
    cover = say("area_city_cover", km2=_km2(covered), pct=pct, total=_km2(total))
    return [Problem.of(cover, severity="warning", file=file)]


def _ea_km2(geoms: NDArray[np.object_] | shapely.Geometry) -> NDArray[np.float64]:
    """Areas (km²) of lon/lat geometries, in the equal-area projection."""
    return np.asarray(shapely.area(to_equal_area(np.atleast_1d(np.asarray(geoms, dtype=object)))), dtype=float) / 1e6


def _outside(
    deg: NDArray[np.object_],
    ea: NDArray[np.object_],
    area_km2: NDArray[np.float64],
    rows: NDArray[np.intp],
    city: CityGeometry,
    file: str,
    wgs84_by_default: bool,
    far_km: float,
    hint_km: float,
) -> list[Problem]:
    problems: list[Problem] = []
    inside = shapely.covered_by(deg, city.city_lonlat)
    centre = shapely.centroid(city.city)
    for k in np.flatnonzero(~inside).tolist():
        row = int(rows[k])
        if not shapely.intersects(deg[k], city.city_lonlat):
            km = float(shapely.distance(city.city, ea[k])) / 1000
            c = shapely.centroid(ea[k])
            side = _direction(c.x - centre.x, c.y - centre.y)
            message = say("area_outside", km=f"{km:.1f}", side=side, side_zh=DIRECTIONS[side])
            far = km > far_km
            if far:
                message += say("outside_far", limit=f"{far_km:.0f}")
            else:
                if wgs84_by_default and km <= hint_km:
                    message += say("outside_offset_hint")
                message += say("area_outside_counted")
            problems.append(Problem.of(message, row, "geometry", None, "error" if far else "warning", file))
            continue
        outside = float(_ea_km2(shapely.difference(deg[k], city.city_lonlat))[0])
        if outside >= SLIVER_KM2 and outside >= OUTSIDE_SHARE * area_km2[k]:
            pct = f"{outside / area_km2[k] * 100:.1f}"
            message = say("area_partly_outside", km2=_km2(outside), pct=pct)
            problems.append(Problem.of(message, row, "geometry", None, "warning", file))
    return problems


def _overlaps(deg: NDArray[np.object_], rows: NDArray[np.intp], names: list[str], file: str) -> list[Problem]:
    tree = shapely.STRtree(deg)
    i, j = tree.query(deg, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    interiors = shapely.relate_pattern(deg[i], deg[j], "T********")
    i, j = i[interiors], j[interiors]
    km2 = _ea_km2(shapely.intersection(deg[i], deg[j])) if len(i) else np.empty(0)
    problems = []
    for a, b, size in sorted(zip(i.tolist(), j.tolist(), km2.tolist(), strict=True), key=lambda t: (t[1], t[0])):
        if size >= SLIVER_KM2:
            message = say("area_overlap", other=names[a], row=int(rows[a]), km2=_km2(size))
            problems.append(Problem.of(message, int(rows[b]), "geometry", None, "warning", file))
    return problems


def _gaps(deg: NDArray[np.object_], rows: NDArray[np.intp], names: list[str], file: str) -> list[Problem]:
    union = shapely.union_all(deg)
    # faces enclosed by the areas' outline that no area covers (also holes pinched to the outside at a vertex)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.line_merge(shapely.boundary(union)))))
    holes = [f for f in faces if not shapely.covers(union, shapely.point_on_surface(f))]
    close = GAP_CLOSE_M / _M_PER_DEG
    closed = shapely.buffer(shapely.buffer(union, close, quad_segs=4), -close, quad_segs=4)
    gaps = shapely.get_parts(shapely.union_all([*holes, shapely.difference(closed, union)]))
    gaps = gaps[shapely.get_type_id(gaps) == _POLYGON] if len(gaps) else gaps
    sizes = _ea_km2(gaps) if len(gaps) else np.empty(0)
    big = [k for k in np.argsort(-sizes, kind="stable").tolist() if sizes[k] >= SLIVER_KM2]
    if not big:
        return []
    tree = shapely.STRtree(deg)
    enclosed = shapely.buffer(shapely.union_all(holes), 1e-7) if holes else None
    order: list[int] = []
    neighbours: dict[int, list[int]] = {}
    for k in big:
        near = sorted(tree.query(gaps[k], predicate="dwithin", distance=close * 1.01).tolist())
        # a notch in the edge of one area is not a gap between areas; a hole in the union always is
        if len(near) >= 2 or (enclosed is not None and shapely.covered_by(gaps[k], enclosed)):
            order.append(k)
            neighbours[k] = near
    problems = []
    for k in order[:MAX_GAPS_LISTED]:
        near = neighbours[k]
        listed = ", ".join(f"{names[n]!r} (row {int(rows[n])})" for n in near[:3]) + (", …" if len(near) > 3 else "")
        point = shapely.point_on_surface(gaps[k])
        lon, lat = point.x, point.y
        message = say("area_gap", km2=_km2(sizes[k]), lon=f"{lon:.4f}", lat=f"{lat:.4f}", names=listed)
        problems.append(Problem.of(message, severity="warning", file=file))
    rest = order[MAX_GAPS_LISTED:]
    if rest:
        message = say("area_more_gaps", n=len(rest), km2=_km2(float(sizes[rest].sum())))
        problems.append(Problem.of(message, severity="warning", file=file))
    return problems


def _duplicates(names: list[str], codes: list[str | None], rows: NDArray[np.intp], file: str) -> list[Problem]:
    problems = []
    for column, values, key in (("name", names, "area_duplicate_name"), ("code", codes, "area_duplicate_code")):
        first: dict[str, int] = {}
        for value, row in zip(values, rows.tolist(), strict=True):
            if not value:
                continue
            if value in first:
                message = say(key, value=value, first=first[value])
                problems.append(Problem.of(message, int(row), column, value, "warning", file))
            else:
                first[value] = int(row)
    return problems


def _codes(
    ea: NDArray[np.object_],
    area_km2: NDArray[np.float64],
    codes: list[str | None],
    rows: NDArray[np.intp],
    city: CityGeometry,
    file: str,
) -> list[Problem]:
    nbs = [k for k, code in enumerate(codes) if code and _NBS_CODE.match(code)]
    if not nbs:
        return []
    area_idx, district_idx, km2 = district_overlay(ea[nbs], city.districts)
    main: dict[int, tuple[int, float]] = {}
    for a, d, size in zip(area_idx.tolist(), district_idx.tolist(), km2.tolist(), strict=True):
        if a not in main or size > main[a][1]:
            main[a] = (d, size)
    problems = []
    for n, k in enumerate(nbs):
        code = str(codes[k])
        row = int(rows[k])
        county = code[:6]
        if n not in main:
            continue  # in no district: reported as outside Zhangzhou
        d, size = main[n]
        adcode = city.adcodes[d]
        if county in OLD_COUNTY_CODES:
            new = OLD_COUNTY_CODES[county]
            j = city.adcodes.index(new)
            message = say("area_code_old_county", code=code, old=county, adcode=new, district=city.names_en[j],
                          district_zh=city.names_zh[j])  # fmt: skip
            problems.append(Problem.of(message, row, "code", code, "warning", file))
            county = new
        if county not in city.adcodes:
            message = say("area_code_not_zhangzhou", code=code, county_code=county)
            problems.append(Problem.of(message, row, "code", code, "warning", file))
        elif county != adcode:
            c = city.adcodes.index(county)
            message = say(
                "area_code_mismatch", code=code, county=city.names_en[c], county_zh=city.names_zh[c],
                county_code=county, pct=f"{size / area_km2[k] * 100:.0f}", district=city.names_en[d],
                district_zh=city.names_zh[d], adcode=adcode,
            )  # fmt: skip
            problems.append(Problem.of(message, row, "code", code, "warning", file))
    return problems


def _population(gdf: gpd.GeoDataFrame, pos: NDArray[np.intp], file: str) -> list[Problem]:
    problems = []
    if "population" in gdf.columns:
        population = pd.to_numeric(gdf["population"], errors="coerce").to_numpy(dtype=float)[pos]
    else:
        population = np.full(len(pos), np.nan)
    missing = int(np.isnan(population).sum())
    if missing:
        year = int(load_population()["year"].iloc[0])
        problems.append(
            Problem.of(say("area_population_estimated", n=missing, year=year), severity="warning", file=file)
        )
    if "population_year" in gdf.columns:
        years = pd.to_numeric(gdf["population_year"], errors="coerce").to_numpy(dtype=float)[pos]
    else:
        years = np.full(len(pos), np.nan)
    for k in np.flatnonzero(~np.isnan(population) & np.isnan(years)).tolist():
        value = f"{population[k]:.0f}"
        problems.append(
            Problem.of(
                say("area_population_no_year", value=value), int(pos[k]) + 1, "population", value, "warning", file
            )
        )
    return problems
