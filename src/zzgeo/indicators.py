"""Per-district indicators of infrastructure layers (pure functions).

Layers and districts in, DataFrames out: nothing is read from disk unless the caller
leaves ``population``/``targets`` to their defaults, nothing is mutated, and CRSs are
checked.

Assignment rule (the same as ``geopandas.sjoin(points, districts, predicate="within")``):
a point belongs to the district whose *interior* contains it. A point exactly on a
border (or vertex) between two districts, or outside every district, belongs to none; it
is counted in ``attrs["unassigned"]`` of the indicator table. Positions are floating-point
degrees, so "exactly on" a border is a measure-zero event for real coordinates.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike, NDArray

from zzgeo.assign import index_for
from zzgeo.districts import CITY_ADCODE, CITY_NAME_EN, CITY_NAME_ZH, load_districts, load_population
from zzgeo.errors import UnknownKeyError, ZzgeoError
from zzgeo.layers import get_spec
from zzgeo.plan import load_targets, target_for

__all__ = [
    "ASSIGNED_COLUMN",
    "INDICATORS",
    "TARGET_INDICATOR",
    "IndicatorSpec",
    "assign_districts",
    "compute_indicators",
    "count_points",
    "filter_layer",
    "indicators_from_counts",
    "sites_by_year",
    "with_districts",
]

#: Column that :func:`with_districts` adds: the adcode of the containing district.
ASSIGNED_COLUMN = "district_adcode"

#: layer kind -> indicator key of its plan target
TARGET_INDICATOR = MappingProxyType({"5g_sites": "5g_per_10k"})


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator shown on maps and tables."""

    key: str
    title_zh: str
    title_en: str
    unit_zh: str
    unit_en: str
    higher_is_better: bool
    decimals: int

    def title(self, lang: str = "zh") -> str:
        """Title in ``lang`` ("zh" or "en")."""
        return self.title_zh if lang == "zh" else self.title_en

    def unit(self, lang: str = "zh") -> str:
        """Unit in ``lang`` ("zh" or "en")."""
        return self.unit_zh if lang == "zh" else self.unit_en


#: Indicators by column name of :func:`compute_indicators`'s result.
INDICATORS: Mapping[str, IndicatorSpec] = MappingProxyType(
    {
        s.key: s
        for s in (
            IndicatorSpec("sites_per_10k", "每万人站点数", "Sites per 10,000 residents", "个/万人",
                          "sites per 10,000 residents", True, 1),
            IndicatorSpec("sites_per_100km2", "每百平方公里站点数", "Sites per 100 km² of land",
                          "个/百平方公里", "sites per 100 km² of land", True, 1),
            IndicatorSpec("sites", "站点数", "Site count", "个", "sites", True, 0),
            IndicatorSpec("gap_sites", "距规划目标缺口", "Gap to the plan target", "个",
                          "sites still needed", False, 0),
            IndicatorSpec("residents_per_site", "每站服务人口", "Residents per site", "人/个",
                          "residents per site", False, 0),
        )
    }
)  # fmt: skip


def _district_arrays(districts: gpd.GeoDataFrame) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    if districts.crs is None or not districts.crs.equals("EPSG:4326"):
        raise ZzgeoError(f"districts must be in EPSG:4326 (lon/lat), not {districts.crs}")
    return districts["adcode"].astype("str").to_numpy(dtype=object), districts.geometry.to_numpy()


def assign_districts(lon: ArrayLike, lat: ArrayLike, districts: gpd.GeoDataFrame) -> NDArray[np.object_]:
    """The adcode of the district containing each point, or None.

    Parameters
    ----------
    lon, lat : array_like
        WGS-84 longitudes and latitudes in degrees (NaN for missing positions).
    districts : geopandas.GeoDataFrame
        Polygons in EPSG:4326 with an ``adcode`` column, not overlapping.

    Returns
    -------
    numpy.ndarray of object
        Adcode (str) per point; None for points outside every district or on a border
        (the rule of ``geopandas.sjoin(..., predicate="within")``).

    Notes
    -----
    Uses a cached grid index (:class:`zzgeo.assign.DistrictIndex`): no shapely object is
    made per point, and only points in grid cells on a border get an exact test.
    """
    codes, geoms = _district_arrays(districts)
    found = index_for(geoms).query(lon, lat)
    out = np.full(found.shape, None, dtype=object)
    hit = found >= 0
    out[hit] = codes[found[hit]]
    return out


def count_points(lon: ArrayLike, lat: ArrayLike, districts: gpd.GeoDataFrame) -> pd.Series:
    """Number of points in each district (index: adcode), by the rule of :func:`assign_districts`.

    Works on lon/lat arrays of any size without making a shapely object or a string per
    point; the total is ``len(lon)`` minus the points outside or on borders.
    """
    codes, geoms = _district_arrays(districts)
    found = index_for(geoms).query(lon, lat).ravel()
    counts = np.bincount(found[found >= 0], minlength=len(codes))
    return pd.Series(counts.astype("int64"), index=pd.Index(codes.astype(str), name="adcode"), name="sites")


def _point_xy(layer: gpd.GeoDataFrame) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    if layer.crs is None:
        raise ZzgeoError("the layer has no CRS; set one (e.g. EPSG:4326)")
    if not layer.crs.equals("EPSG:4326"):
        layer = layer.to_crs("EPSG:4326")
    geoms = layer.geometry.to_numpy()
    kinds = shapely.get_type_id(geoms)
    points = kinds == 0
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if not np.all(points | missing):
        raise ZzgeoError("indicators need a point layer; found other geometry types")
    x = np.full(len(geoms), np.nan)
    y = np.full(len(geoms), np.nan)
    ok = points & ~missing
    x[ok] = shapely.get_x(geoms[ok])
    y[ok] = shapely.get_y(geoms[ok])
    return x, y


def with_districts(layer: gpd.GeoDataFrame, districts: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """A copy of ``layer`` with column ``district_adcode`` (None outside/on borders)."""
    districts = load_districts("full") if districts is None else districts
    x, y = _point_xy(layer)
    out = layer.copy()
    out[ASSIGNED_COLUMN] = pd.array(assign_districts(x, y, districts), dtype="str")
    return out


def filter_layer(
    layer: gpd.GeoDataFrame,
    kind: str = "5g_sites",
    *,
    year: int | None = None,
    operators: Iterable[str] | None = None,
    statuses: Iterable[str] | None = ("in_service",),
) -> gpd.GeoDataFrame:
    """Rows of ``layer`` that match the filters (a new frame; the input is unchanged).

    ``year`` keeps rows whose year column (``year_in_service`` for 5G sites, ``year``
    otherwise) is at most ``year``: the layer as of the end of that year. ``operators``
    applies to layers with an ``operator`` column. ``None`` means no filter.
    """
    spec = get_spec(kind)
    keep = np.ones(len(layer), dtype=bool)
    if year is not None:
        years = pd.to_numeric(layer[spec.year_column], errors="coerce")
        keep &= (years <= year).fillna(False).to_numpy(dtype=bool)
    if operators is not None and "operator" in layer.columns:
        keep &= layer["operator"].isin(list(operators)).to_numpy(dtype=bool)
    if statuses is not None and "status" in layer.columns:
        keep &= layer["status"].isin(list(statuses)).to_numpy(dtype=bool)
    return layer.loc[keep].copy()


def _assigned(layer: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> pd.Series:
    """The district adcode of each row: the precomputed column if there, else assigned now."""
    if ASSIGNED_COLUMN in layer.columns:
        return layer[ASSIGNED_COLUMN]
    x, y = _point_xy(layer)
    return pd.Series(assign_districts(x, y, districts), index=layer.index)


def _counts(layer: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> tuple[pd.Series, int]:
    assigned = _assigned(layer, districts)
    counts = assigned.value_counts().reindex(districts["adcode"].astype("str"), fill_value=0)
    return counts.astype("int64"), int(assigned.isna().sum())


def compute_indicators(
    layer: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None = None,
    population: pd.DataFrame | None = None,
    *,
    kind: str = "5g_sites",
    year: int | None = None,
    operators: Sequence[str] | None = None,
    statuses: Sequence[str] | None = ("in_service",),
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Indicators per district and for the whole city.

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        Point layer (e.g. 5G sites). If it has a ``district_adcode`` column (see
        :func:`with_districts`) that assignment is used, else points are assigned here.
    districts : geopandas.GeoDataFrame, optional
        District polygons (EPSG:4326) with ``adcode``, ``name_zh``, ``name_en``,
        ``land_area_km2``. Default: :func:`zzgeo.districts.load_districts`.
    population : pandas.DataFrame, optional
        ``adcode``, ``population``, ``year``, ``status``. Default: the 2020 census.
    kind : str
        Layer kind (for the year column and the plan target).
    year : int, optional
        As-of year (rows with year ≤ ``year``) and the year of the plan target.
    operators, statuses : sequence of str, optional
        Filters; ``None`` keeps all. Default statuses: in service only.
    targets : pandas.DataFrame, optional
        Plan targets table (see :func:`zzgeo.plan.load_targets`).

    Returns
    -------
    pandas.DataFrame
        One row per district (by adcode), then a city row (adcode ``350600``), with:
        ``sites`` (count); ``sites_per_10k`` (sites per 10,000 residents);
        ``sites_per_100km2`` (sites per 100 km² of land); ``residents_per_site``
        (NaN with no site); ``share_of_city_pct`` (% of the city's sites);
        ``target_per_10k`` and ``target_status`` ("plan"/"assumption"; NaN/None when
        the plan sets no target for ``year`` or the kind); ``target_sites`` (sites the
        target asks for, rounded up); ``gap_sites`` (sites still needed, ≥ 0; for the
        city row the city-wide gap, not the sum of district gaps); ``underserved``
        (below the target); and the population's ``population_year`` and
        ``population_status``. ``attrs`` holds ``unassigned`` (points in no district),
        ``year``, ``kind`` and ``population_year``.
    """
    districts = load_districts("full") if districts is None else districts
    filtered = filter_layer(layer, kind, year=year, operators=operators, statuses=statuses)
    counts, unassigned = _counts(filtered, districts)
    return indicators_from_counts(
        counts, districts, population, kind=kind, year=year, targets=targets, unassigned=unassigned
    )


def indicators_from_counts(
    counts: pd.Series,
    districts: gpd.GeoDataFrame | None = None,
    population: pd.DataFrame | None = None,
    *,
    kind: str = "5g_sites",
    year: int | None = None,
    targets: pd.DataFrame | None = None,
    unassigned: int = 0,
) -> pd.DataFrame:
    """The indicator table of :func:`compute_indicators` from site counts per district.

    ``counts`` is indexed by adcode (e.g. from :func:`count_points` or a streamed count
    of a large file); districts missing from it count 0.
    """
    districts = load_districts("full") if districts is None else districts
    population = load_population() if population is None else population
    counts = counts.reindex(districts["adcode"].astype("str"), fill_value=0).astype("int64")
    pop = population.assign(adcode=population["adcode"].astype("str")).set_index("adcode")
    table = pd.DataFrame(
        {
            "adcode": districts["adcode"].astype("str").to_numpy(),
            "name_zh": districts["name_zh"].to_numpy(),
            "name_en": districts["name_en"].to_numpy(),
        }
    )
    missing = sorted(set(table["adcode"]) - set(pop.index))
    if missing:
        raise ZzgeoError(f"the population table has no figure for adcode(s) {', '.join(missing)}")
    table["population"] = pop.loc[table["adcode"], "population"].to_numpy(dtype="int64")
    table["population_year"] = pop.loc[table["adcode"], "year"].to_numpy(dtype="int64")
    table["population_status"] = pop.loc[table["adcode"], "status"].to_numpy() if "status" in pop.columns else "unknown"
    table["land_area_km2"] = districts["land_area_km2"].to_numpy(dtype="float64")
    table["sites"] = counts.to_numpy()

    statuses_of_pop = set(table["population_status"])
    total = int(table["sites"].sum())
    city = {
        "adcode": CITY_ADCODE,
        "name_zh": CITY_NAME_ZH,
        "name_en": CITY_NAME_EN,
        "population": int(table["population"].sum()),
        "population_year": int(table["population_year"].iloc[0]),
        "population_status": "sum of districts" if statuses_of_pop != {"published"} else "published",
        "land_area_km2": float(table["land_area_km2"].sum()),
        "sites": total,
    }
    table = pd.concat([table, pd.DataFrame([city])], ignore_index=True)

    sites = table["sites"].astype("float64")
    table["sites_per_10k"] = sites / table["population"] * 10_000
    table["sites_per_100km2"] = sites / table["land_area_km2"] * 100
    table["residents_per_site"] = (table["population"] / sites).where(sites > 0)
    table["share_of_city_pct"] = sites / total * 100 if total else 0.0

    target = None
    if year is not None and kind in TARGET_INDICATOR:
        targets = load_targets() if targets is None else targets
        target = target_for(TARGET_INDICATOR[kind], year, targets)
    if target is None:
        table["target_per_10k"] = np.nan
        table["target_status"] = None
        table["target_sites"] = pd.array([pd.NA] * len(table), dtype="Int64")
        table["gap_sites"] = pd.array([pd.NA] * len(table), dtype="Int64")
        table["underserved"] = False
    else:
        table["target_per_10k"] = target.value
        table["target_status"] = target.status
        needed = [math.ceil(round(target.value * p / 10_000, 9)) for p in table["population"]]
        table["target_sites"] = pd.array(needed, dtype="Int64")
        table["gap_sites"] = (table["target_sites"] - table["sites"]).clip(lower=0).astype("Int64")
        table["underserved"] = table["sites_per_10k"] < target.value
    table.attrs.update(
        {"unassigned": unassigned, "year": year, "kind": kind, "population_year": city["population_year"]}
    )
    return table


def sites_by_year(
    layer: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None = None,
    *,
    years: Iterable[int] = range(2019, 2026),
    kind: str = "5g_sites",
    operators: Sequence[str] | None = None,
    statuses: Sequence[str] | None = ("in_service",),
) -> pd.DataFrame:
    """Cumulative site counts as of the end of each year, per district and city.

    Returns a DataFrame indexed by adcode (the districts, then ``350600`` for the
    city) with one column per year.
    """
    districts = load_districts("full") if districts is None else districts
    spec = get_spec(kind)
    years = list(years)
    if not years:
        raise UnknownKeyError("year range", "empty", ["a non-empty range of years"])
    filtered = filter_layer(layer, kind, year=max(years), operators=operators, statuses=statuses)
    assigned = _assigned(filtered, districts)
    year_of = pd.to_numeric(filtered[spec.year_column], errors="coerce")
    codes = list(districts["adcode"].astype("str"))
    table = pd.DataFrame(0, index=pd.Index([*codes, CITY_ADCODE], name="adcode"), columns=years, dtype="int64")
    for as_of in years:
        upto = assigned[(year_of <= as_of).fillna(False).to_numpy(dtype=bool)]
        counts = upto.value_counts().reindex(codes, fill_value=0)
        table.loc[codes, as_of] = counts.to_numpy()
        table.loc[CITY_ADCODE, as_of] = int(counts.sum())
    return table
