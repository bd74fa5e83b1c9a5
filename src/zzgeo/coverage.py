"""H3 hexagon layers: site counts per hex, land coverage within R km, coverage gaps.

Land is each district's polygon intersected with the Tianditu land outlines (the Amap
polygons include sea). It is tessellated into H3 cells whose centre lies on the
district's land (``h3ronpy``, vectorized). A land cell is *covered* when its centre is
within R km of an in-service site, R per band (:data:`DEFAULT_RADIUS_KM`, planning rules
of thumb, configurable). Coverage of a district is covered cell area / land cell area.

Approximation: a cell counts wholly covered or not, judged at its centre, so the
coverage edge is placed to within about one cell radius (res 8: ≈0.46 km; res 7:
≈1.2 km), and land is approximated by whole cells (res 8 cells are ≈0.74 km²). The
tests compare res 8 with an exact shapely buffer-union on a small case.

Population-weighted coverage: no population grid finer than districts is available, so
residents are taken as spread evenly over each district's land; the district value
then equals its land coverage, and the city value weights districts by population.

Any area layer (:func:`coverage_by_area`, areas prepared by :func:`zzgeo.areas.prepare_areas`)
gets the same two values from the same land cells: a cell belongs to every area whose
interior contains its centre (the rule of ``sjoin(..., predicate="within")``), each cell
weighted by its district's residents per km² of land. An area's population-weighted value
thus differs from its land coverage only where it spans districts of different density;
small areas are approximated by few cells (res 8: ≈0.74 km² each; an area with no cell
centre on its land has no value).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

import geopandas as gpd
import h3ronpy
import numpy as np
import pandas as pd
import shapely
from h3ronpy import vector
from numpy.typing import ArrayLike, NDArray
from pyproj import Transformer

from zzgeo.assign import index_for
from zzgeo.districts import CITY_ADCODE, CITY_NAME_EN, CITY_NAME_ZH, load_districts, load_land, load_population
from zzgeo.errors import ZzgeoError

__all__ = [
    "DEFAULT_RADIUS_KM",
    "RESOLUTIONS",
    "coverage_by_area",
    "coverage_by_district",
    "coverage_gaps",
    "hex_counts",
    "hex_polygons",
    "land_cells",
    "site_radius_km",
]

logger = logging.getLogger(__name__)

#: Assumed coverage radius per 5G band, km (planning rules of thumb for a macro site,
#: between urban and rural values; not measured). Unknown bands use ``None``'s value.
DEFAULT_RADIUS_KM: Mapping[str | None, float] = MappingProxyType(
    {"n28": 3.0, "n1": 1.5, "n41": 1.0, "n78": 0.8, "n79": 0.6, None: 1.0}
)
RESOLUTIONS = (7, 8)
#: average cell area (km²) and edge length (km) per resolution (H3's published averages); the map
#: sheet, the app's legends and the coverage note name them
CELL_AREA_KM2 = {7: 5.16, 8: 0.74}
CELL_EDGE_KM = {7: 1.41, 8: 0.53}
_METRES = Transformer.from_crs("EPSG:4326", "EPSG:32650", always_xy=True)


def _check_resolution(resolution: int) -> None:
    if resolution not in RESOLUTIONS:
        raise ZzgeoError(f"H3 resolution {resolution} is not offered; use one of {', '.join(map(str, RESOLUTIONS))}")


def site_radius_km(bands: ArrayLike, radius_km: Mapping[str | None, float] | None = None) -> NDArray[np.float64]:
    """Coverage radius (km) of each site from its band; ``radius_km`` overrides defaults."""
    table = {**DEFAULT_RADIUS_KM, **(radius_km or {})}
    fallback = table[None]
    values = pd.Series(np.asarray(bands, dtype=object))
    return values.map(lambda b: table.get(b, fallback) if isinstance(b, str) else fallback).to_numpy(dtype=float)


@cache
def _land_cells_cached(resolution: int) -> pd.DataFrame:
    districts = load_districts("full")
    land = shapely.union_all(load_land().geometry.to_numpy())
    parts = []
    for adcode, geom in zip(districts["adcode"], districts.geometry, strict=True):
        district_land = shapely.intersection(geom, land)
        if district_land.is_empty:
            continue
        cells = np.asarray(vector.geometry_to_cells(district_land, resolution), dtype=np.uint64)
        parts.append(pd.DataFrame({"cell": cells, "adcode": adcode}))
    table = pd.concat(parts, ignore_index=True).drop_duplicates("cell", keep="first")
    coords = vector.cells_to_coordinates(table["cell"].to_numpy())
    table["lat"] = np.asarray(coords.column("lat"), dtype=float)
    table["lon"] = np.asarray(coords.column("lng"), dtype=float)
    table["area_km2"] = np.asarray(h3ronpy.cells_area_km2(table["cell"].to_numpy()), dtype=float)
    logger.debug("res %d: %d land cells", resolution, len(table))
    return table.reset_index(drop=True)


def land_cells(resolution: int = 8) -> pd.DataFrame:
    """H3 cells whose centre lies on a district's land: cell, adcode, lon, lat, area_km2."""
    _check_resolution(resolution)
    return _land_cells_cached(resolution).copy()


def hex_counts(lon: ArrayLike, lat: ArrayLike, resolution: int = 8) -> pd.DataFrame:
    """Number of points per H3 cell (vectorized; NaN positions are skipped)."""
    _check_resolution(resolution)
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    cells = np.asarray(vector.coordinates_to_cells(y[ok], x[ok], resolution), dtype=np.uint64)
    unique, counts = np.unique(cells, return_counts=True)
    return pd.DataFrame({"cell": unique, "count": counts.astype("int64")})


def hex_polygons(table: pd.DataFrame) -> gpd.GeoDataFrame:
    """A GeoDataFrame of hexagons (EPSG:4326) for a table with a ``cell`` column."""
    wkb = vector.cells_to_wkb_polygons(table["cell"].to_numpy(dtype=np.uint64))
    geoms = shapely.from_wkb(np.asarray(wkb.to_pylist(), dtype=object))
    out = gpd.GeoDataFrame(table.reset_index(drop=True), geometry=geoms, crs="EPSG:4326")
    out["h3"] = [format(int(c), "x") for c in out["cell"]]
    return out


def _covered(
    cells: pd.DataFrame, lon: NDArray[np.float64], lat: NDArray[np.float64], radius_m: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Boolean per cell: its centre is within the radius of at least one site."""
    covered = np.zeros(len(cells), dtype=bool)
    if len(lon) == 0:
        return covered
    sx, sy = _METRES.transform(lon, lat)
    cx, cy = _METRES.transform(cells["lon"].to_numpy(), cells["lat"].to_numpy())
    tree = shapely.STRtree(shapely.points(sx, sy))
    centres = shapely.points(cx, cy)
    pairs = tree.query(centres, predicate="dwithin", distance=float(radius_m.max()))
    if pairs.size == 0:
        return covered
    cell_idx, site_idx = pairs
    dist = np.hypot(cx[cell_idx] - sx[site_idx], cy[cell_idx] - sy[site_idx])
    within = dist <= radius_m[site_idx]
    covered[np.unique(cell_idx[within])] = True
    return covered


def _site_arrays(
    sites: gpd.GeoDataFrame, radius_km: Mapping[str | None, float] | None
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    if sites.crs is None:
        raise ZzgeoError("the sites layer has no CRS")
    pts = sites if sites.crs.equals("EPSG:4326") else sites.to_crs("EPSG:4326")
    geoms = pts.geometry.to_numpy()
    ok = (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
    bands = pts["band"].to_numpy(dtype=object) if "band" in pts.columns else np.full(len(pts), None, dtype=object)
    lon = shapely.get_x(geoms[ok])
    lat = shapely.get_y(geoms[ok])
    return lon, lat, site_radius_km(bands[ok], radius_km) * 1000


def coverage_by_district(
    sites: gpd.GeoDataFrame,
    *,
    resolution: int = 8,
    radius_km: Mapping[str | None, float] | None = None,
    population: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share of each district's land within R km of a site (R per band), and the city's.

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        Point layer, already filtered (e.g. in-service 5G sites as of a year).
    resolution : {7, 8}
        H3 resolution of the land cells.
    radius_km : mapping, optional
        Band -> radius in km, overriding :data:`DEFAULT_RADIUS_KM` (key None: other bands).
    population : pandas.DataFrame, optional
        For the population-weighted city value; default the 2020 census.

    Returns
    -------
    pandas.DataFrame
        adcode, name_zh, name_en, land_km2 (cell area), covered_km2, coverage_pct
        (% of land), population_weighted_pct (see module docstring), one row per district
        and a city row.
    """
    _check_resolution(resolution)
    cells = _land_cells_cached(resolution)
    lon, lat, radius_m = _site_arrays(sites, radius_km)
    covered = _covered(cells, lon, lat, radius_m)
    out = _district_coverage(cells, covered, population)
    out.attrs.update({"resolution": resolution, "sites": len(lon)})
    return out


def _district_coverage(
    cells: pd.DataFrame, covered: NDArray[np.bool_], population: pd.DataFrame | None
) -> pd.DataFrame:
    by = pd.DataFrame({"adcode": cells["adcode"], "land": cells["area_km2"], "covered": cells["area_km2"] * covered})
    sums = by.groupby("adcode")[["land", "covered"]].sum()
    districts = load_districts("display")[["adcode", "name_zh", "name_en"]]
    table = districts.merge(sums, left_on="adcode", right_index=True, how="left").fillna({"land": 0.0, "covered": 0.0})
    table = table.rename(columns={"land": "land_km2", "covered": "covered_km2"})
    table["coverage_pct"] = table["covered_km2"] / table["land_km2"] * 100
    population = load_population() if population is None else population
    pop = population.set_index(population["adcode"].astype(str))["population"]
    weights = pop.reindex(table["adcode"]).to_numpy(dtype=float)
    table["population_weighted_pct"] = table["coverage_pct"]
    city = {
        "adcode": CITY_ADCODE,
        "name_zh": CITY_NAME_ZH,
        "name_en": CITY_NAME_EN,
        "land_km2": table["land_km2"].sum(),
        "covered_km2": table["covered_km2"].sum(),
    }
    city["coverage_pct"] = city["covered_km2"] / city["land_km2"] * 100
    city["population_weighted_pct"] = float(np.nansum(table["coverage_pct"] * weights) / np.nansum(weights))
    return pd.concat([table, pd.DataFrame([city])], ignore_index=True)


def coverage_by_area(
    sites: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    *,
    resolution: int = 8,
    radius_km: Mapping[str | None, float] | None = None,
    population: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share of each area's land within R km of a site, plain and population-weighted.

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        Point layer, already filtered (e.g. in-service 5G sites as of a year).
    areas : geopandas.GeoDataFrame
        A prepared area layer (:func:`zzgeo.areas.prepare_areas`; ``adcode``,
        ``name_zh``, ``name_en``, EPSG:4326).
    resolution, radius_km
        As :func:`coverage_by_district`.
    population : pandas.DataFrame, optional
        District population table (the cells' weights and the city row); default the
        2020 census.

    Returns
    -------
    pandas.DataFrame
        adcode, name_zh, name_en, land_km2 (area of the land cells whose centre is in the
        area), covered_km2, coverage_pct, population_weighted_pct (NaN for an area with no
        land cell), one row per area in the areas' order, then the city row of
        :func:`coverage_by_district` (the same values).
    """
    _check_resolution(resolution)
    if areas.crs is None or not areas.crs.equals("EPSG:4326"):
        raise ZzgeoError(f"areas must be in EPSG:4326 (lon/lat), not {areas.crs}")
    cells = _land_cells_cached(resolution)
    lon, lat, radius_m = _site_arrays(sites, radius_km)
    covered = _covered(cells, lon, lat, radius_m)
    population = load_population() if population is None else population
    pop = population.set_index(population["adcode"].astype(str))["population"]
    area = cells["area_km2"].to_numpy(dtype=float)
    land_of = cells.groupby("adcode")["area_km2"].sum()
    weight = area * (pop.reindex(cells["adcode"]).to_numpy(dtype=float) / land_of.reindex(cells["adcode"]).to_numpy())
    cell, which = index_for(areas.geometry.to_numpy()).query_pairs(cells["lon"].to_numpy(), cells["lat"].to_numpy())
    n = len(areas)
    land = np.bincount(which, weights=area[cell], minlength=n)
    cov = np.bincount(which, weights=(area * covered)[cell], minlength=n)
    w = np.bincount(which, weights=weight[cell], minlength=n)
    w_cov = np.bincount(which, weights=(weight * covered)[cell], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame(
            {
                "adcode": areas["adcode"].astype("str").to_numpy(),
                "name_zh": areas["name_zh"].to_numpy(),
                "name_en": areas["name_en"].to_numpy(),
                "land_km2": land,
                "covered_km2": cov,
                "coverage_pct": np.where(land > 0, cov / land * 100, np.nan),
                "population_weighted_pct": np.where(w > 0, w_cov / w * 100, np.nan),
            }
        )
    city = _district_coverage(cells, covered, population).iloc[[-1]]
    out = pd.concat([table, city], ignore_index=True)
    out.attrs.update({"resolution": resolution, "sites": len(lon), "level": "areas"})
    return out


def coverage_gaps(
    sites: gpd.GeoDataFrame,
    *,
    resolution: int = 8,
    radius_km: Mapping[str | None, float] | None = None,
) -> gpd.GeoDataFrame:
    """Land hexagons with no site within R km: cell, adcode, area_km2, geometry."""
    _check_resolution(resolution)
    cells = _land_cells_cached(resolution)
    lon, lat, radius_m = _site_arrays(sites, radius_km)
    gaps = cells.loc[~_covered(cells, lon, lat, radius_m), ["cell", "adcode", "area_km2"]]
    return hex_polygons(gaps)
