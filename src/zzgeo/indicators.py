"""Per-district (or per-area) indicators of infrastructure layers (pure functions).

Layers and districts in, DataFrames out: nothing is read from disk unless the caller
leaves ``population``/``targets`` to their defaults, nothing is mutated, and CRSs are
checked. Every function that gives a table per district also takes ``areas=``: a prepared
area layer (:func:`zzgeo.areas.prepare_areas`: the planners' townships, grids or zones),
which gives the same table with one row per area instead (``adcode`` holding the area's
key) and the same city row.

Assignment rule (the same as ``geopandas.sjoin(points, districts, predicate="within")``):
a point belongs to the district whose *interior* contains it. A point exactly on a
border (or vertex) between two districts, or outside every district, belongs to none; it
is counted in ``attrs["unassigned"]`` of the indicator table. Positions are floating-point
degrees, so "exactly on" a border is a measure-zero event for real coordinates. Areas
follow the same rule (``sjoin(points, areas, predicate="within")``); where areas
overlap, a point in the overlap counts in each of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike, NDArray

from zzgeo.assign import index_for
from zzgeo.districts import CITY_ADCODE, CITY_NAME_EN, CITY_NAME_ZH, load_districts, load_population
from zzgeo.errors import UnknownKeyError, ZzgeoError
from zzgeo.layers import get_spec
from zzgeo.messages import Text
from zzgeo.plan import load_targets, target_for

__all__ = [
    "AREA_COLUMNS",
    "ASSIGNED_COLUMN",
    "INDICATORS",
    "TARGET_INDICATOR",
    "IndicatorSpec",
    "area_indicators_from_counts",
    "assign_districts",
    "change_table",
    "compute_indicators",
    "count_in_areas",
    "count_points",
    "filter_layer",
    "filter_mask",
    "indicators_from_counts",
    "sites_by_year",
    "with_districts",
]

#: Column that :func:`with_districts` adds: the adcode of the containing district.
ASSIGNED_COLUMN = "district_adcode"

#: layer kind -> indicator key of its plan target
TARGET_INDICATOR = MappingProxyType({"5g_sites": "5g_per_10k"})

#: Columns an ``areas=`` frame needs (see :func:`zzgeo.areas.prepare_areas`), besides geometry.
AREA_COLUMNS = ("adcode", "name_zh", "name_en", "population", "population_year", "population_status", "land_area_km2")
#: Columns of an ``areas=`` frame copied into area tables after the district table's columns.
_AREA_EXTRA = ("name", "code", "area_km2", "district_adcode")


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator shown on maps and tables."""

    key: str
    title: Text
    unit: Text
    higher_is_better: bool
    decimals: int


#: Indicators by column name of :func:`compute_indicators`'s result.
INDICATORS: Mapping[str, IndicatorSpec] = MappingProxyType(
    {
        s.key: s
        for s in (
            IndicatorSpec("sites_per_10k", Text(zh="每万人站点数", en="Sites per 10,000 residents"),
                          Text(zh="个/万人", en="sites per 10,000 residents"), True, 1),
            IndicatorSpec("sites_per_100km2", Text(zh="每百平方公里站点数", en="Sites per 100 km² of land"),
                          Text(zh="个/百平方公里", en="sites per 100 km² of land"), True, 1),
            IndicatorSpec("sites", Text(zh="站点数", en="Site count"),
                          Text(zh="个", en="sites"), True, 0),
            IndicatorSpec("gap_sites", Text(zh="距规划目标缺口", en="Gap to the plan target"),
                          Text(zh="个", en="sites still needed"), False, 0),
            IndicatorSpec("residents_per_site", Text(zh="每站服务人口", en="Residents per site"),
                          Text(zh="人/个", en="residents per site"), False, 0),
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
    counts, _ = index_for(geoms).count(lon, lat)
    return pd.Series(counts.astype("int64"), index=pd.Index(codes.astype(str), name="adcode"), name="sites")


def _check_areas(areas: gpd.GeoDataFrame) -> None:
    if areas.crs is None or not areas.crs.equals("EPSG:4326"):
        raise ZzgeoError(f"areas must be in EPSG:4326 (lon/lat), not {areas.crs}")
    missing = [c for c in AREA_COLUMNS if c not in areas.columns]
    if missing:
        raise ZzgeoError(
            f"the areas frame lacks column(s) {', '.join(missing)}: make it with zzgeo.areas.prepare_areas"
        )
    if (areas["adcode"].astype("str") == CITY_ADCODE).any():
        raise ZzgeoError(f"an area's key is {CITY_ADCODE}, the key of the city row; make keys with prepare_areas")


def count_in_areas(lon: ArrayLike, lat: ArrayLike, areas: gpd.GeoDataFrame) -> tuple[pd.Series, int]:
    """Points per area (index: the areas' ``adcode``) and points in no area.

    The rule of ``geopandas.sjoin(points, areas, predicate="within")``: a point counts in
    every area whose interior contains it (in two, where areas overlap); points on a
    border or outside every area count in none. Works on lon/lat arrays of any size.
    """
    if areas.crs is None or not areas.crs.equals("EPSG:4326"):
        raise ZzgeoError(f"areas must be in EPSG:4326 (lon/lat), not {areas.crs}")
    counts, none = index_for(areas.geometry.to_numpy()).count(lon, lat)
    keys = pd.Index(areas["adcode"].astype("str").to_numpy(), name="adcode")
    return pd.Series(counts.astype("int64"), index=keys, name="sites"), int(none)


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
    return layer.loc[filter_mask(layer, kind, year=year, operators=operators, statuses=statuses)].copy()


def filter_mask(
    layer: gpd.GeoDataFrame,
    kind: str = "5g_sites",
    *,
    year: int | None = None,
    operators: Iterable[str] | None = None,
    statuses: Iterable[str] | None = ("in_service",),
) -> np.ndarray:
    """The rows :func:`filter_layer` keeps, as a boolean array (to count them without a copy)."""
    spec = get_spec(kind)
    keep = np.ones(len(layer), dtype=bool)
    if year is not None:
        years = pd.to_numeric(layer[spec.year_column], errors="coerce")
        keep &= (years <= year).fillna(False).to_numpy(dtype=bool)
    if operators is not None and "operator" in layer.columns:
        keep &= layer["operator"].isin(list(operators)).to_numpy(dtype=bool)
    if statuses is not None and "status" in layer.columns:
        keep &= layer["status"].isin(list(statuses)).to_numpy(dtype=bool)
    return keep


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
    areas: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """Indicators per district (or per area) and for the whole city.

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
    areas : geopandas.GeoDataFrame, optional
        A prepared area layer (:func:`zzgeo.areas.prepare_areas`): one row per area
        instead of per district (see :func:`area_indicators_from_counts`); the city row
        stays the city's. A ``district_adcode`` column of ``layer`` serves the city row
        only; sites are assigned to areas here.

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
    table = indicators_from_counts(
        counts, districts, population, kind=kind, year=year, targets=targets, unassigned=unassigned
    )
    if areas is None:
        return table
    _check_areas(areas)
    area_counts, in_no_area = count_in_areas(*_point_xy(filtered), areas)
    return area_indicators_from_counts(area_counts, areas, table, targets=targets, unassigned=in_no_area)


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
    table = _with_ratios(table, total, kind=kind, year=year, targets=targets)
    table.attrs.update(
        {"unassigned": unassigned, "year": year, "kind": kind, "population_year": city["population_year"]}
    )
    return table


def _with_ratios(
    table: pd.DataFrame, total: int, *, kind: str, year: int | None, targets: pd.DataFrame | None
) -> pd.DataFrame:
    """The ratio, share and target columns, from ``sites``, ``population`` and ``land_area_km2``.

    Rows without residents (or land) get NaN per 10,000 residents (per 100 km²): only areas
    can have none, districts always have both.
    """
    sites = table["sites"].to_numpy(dtype="float64")
    people = table["population"].to_numpy(dtype="float64")
    land = table["land_area_km2"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        per_10k = np.where(people > 0, sites / people * 10_000, np.nan)
        cols: dict[str, Any] = {
            "sites_per_10k": per_10k,
            "sites_per_100km2": np.where(land > 0, sites / land * 100, np.nan),
            "residents_per_site": np.where(sites > 0, people / sites, np.nan),
            "share_of_city_pct": sites / total * 100 if total else np.zeros(len(table)),
        }
    target = None
    if year is not None and kind in TARGET_INDICATOR:
        targets = load_targets() if targets is None else targets
        target = target_for(TARGET_INDICATOR[kind], year, targets)
    if target is None:
        cols["target_per_10k"] = np.full(len(table), np.nan)
        cols["target_status"] = np.full(len(table), None, dtype=object)
        cols["target_sites"] = pd.array([pd.NA] * len(table), dtype="Int64")
        cols["gap_sites"] = pd.array([pd.NA] * len(table), dtype="Int64")
        cols["underserved"] = np.zeros(len(table), dtype=bool)
    else:
        needed = np.array([math.ceil(round(target.value * p / 10_000, 9)) for p in people], dtype="int64")
        cols["target_per_10k"] = np.full(len(table), target.value)
        cols["target_status"] = np.full(len(table), target.status, dtype=object)
        cols["target_sites"] = pd.array(needed, dtype="Int64")
        cols["gap_sites"] = pd.array(np.clip(needed - sites.astype("int64"), 0, None), dtype="Int64")
        cols["underserved"] = per_10k < target.value  # NaN (no residents) is never below
    # one concat, not a column at a time (pandas inserts are slow); existing columns are replaced
    kept = table.drop(columns=[c for c in cols if c in table.columns])
    return pd.concat([kept, pd.DataFrame(cols, index=table.index)], axis=1)


def area_indicators_from_counts(
    counts: pd.Series,
    areas: gpd.GeoDataFrame,
    district_table: pd.DataFrame,
    *,
    targets: pd.DataFrame | None = None,
    unassigned: int = 0,
) -> pd.DataFrame:
    """The indicator table of an area layer from site counts per area.

    Parameters
    ----------
    counts : pandas.Series
        Sites per area, indexed by the areas' ``adcode`` (e.g. from :func:`count_in_areas`
        or a streamed count); areas missing from it count 0.
    areas : geopandas.GeoDataFrame
        A prepared area layer (:func:`zzgeo.areas.prepare_areas`): :data:`AREA_COLUMNS`.
    district_table : pandas.DataFrame
        The district table of the same sites and filters (:func:`compute_indicators` or
        :func:`indicators_from_counts`): its city row and its ``kind``/``year`` are used.
    targets : pandas.DataFrame, optional
        Plan targets table; default :func:`zzgeo.plan.load_targets`.
    unassigned : int
        Sites in no area (outside every area or on a border).

    Returns
    -------
    pandas.DataFrame
        The columns of the district table, one row per area in the areas' order, then the
        city row (adcode ``350600``) with the district table's values: the city's
        population, land and sites, not the sum of the areas (which may cover part of the
        city, or overlap). ``share_of_city_pct`` is of the city's sites; the gap and
        ``underserved`` compare each area with the year's target as for districts (areas
        without residents: no ratio, never underserved). Then the areas' ``name``,
        ``code``, ``area_km2`` and ``district_adcode`` (the district holding most of the
        area). ``attrs``: ``unassigned`` (sites in no area), ``outside_city`` (sites in no
        district), ``year``, ``kind``, ``population_year`` (the city's), ``level``
        (``"areas"``), ``title`` and ``estimated`` (areas with an estimated population).
    """
    _check_areas(areas)
    keys = areas["adcode"].astype("str")
    counts = counts.reindex(keys.to_numpy(), fill_value=0).astype("int64")
    table = pd.DataFrame({c: areas[c].to_numpy() for c in AREA_COLUMNS})
    table["adcode"] = keys.to_numpy()
    table["population"] = table["population"].astype("int64")
    table["population_year"] = pd.array(areas["population_year"], dtype="Int64")
    table["land_area_km2"] = table["land_area_km2"].astype("float64")
    table["sites"] = counts.to_numpy()
    city = district_table[district_table["adcode"].astype("str") == CITY_ADCODE]
    if len(city) != 1:
        raise ZzgeoError("the district table has no city row")
    city_row = city[["adcode", *AREA_COLUMNS[1:], "sites"]].reset_index(drop=True)
    city_row["population_year"] = city_row["population_year"].astype("Int64")
    table = pd.concat([table, city_row], ignore_index=True)
    kind = str(district_table.attrs.get("kind", "5g_sites"))
    year = district_table.attrs.get("year")
    table = _with_ratios(table, int(city_row["sites"].iloc[0]), kind=kind, year=year, targets=targets)
    for col in _AREA_EXTRA:
        values = areas[col].to_numpy() if col in areas.columns else np.full(len(areas), None, dtype=object)
        city_value = {"name": CITY_NAME_ZH, "area_km2": np.nan}.get(col)
        table[col] = [*values, city_value]
    statuses = areas["population_status"].astype("str")
    table.attrs.update(
        {
            "unassigned": unassigned,
            "outside_city": district_table.attrs.get("unassigned", 0),
            "year": year,
            "kind": kind,
            "population_year": district_table.attrs.get("population_year"),
            "level": "areas",
            "title": areas.attrs.get("title"),
            "estimated": int((statuses == "estimated").sum()),
        }
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
    areas: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """Cumulative site counts as of the end of each year, per district (or area) and city.

    Returns a DataFrame indexed by adcode (the districts, or the keys of ``areas``, a
    prepared area layer; then ``350600`` for the city, whose counts are the districts'
    total either way) with one column per year.
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
    rows = codes
    if areas is not None:
        _check_areas(areas)
        rows = list(areas["adcode"].astype("str"))
        point, area = index_for(areas.geometry.to_numpy()).query_pairs(*_point_xy(filtered))
        pair_year = year_of.to_numpy(dtype=float, na_value=np.nan)[point]
    table = pd.DataFrame(0, index=pd.Index([*rows, CITY_ADCODE], name="adcode"), columns=years, dtype="int64")
    for as_of in years:
        upto = assigned[(year_of <= as_of).fillna(False).to_numpy(dtype=bool)]
        counts = upto.value_counts().reindex(codes, fill_value=0)
        if areas is None:
            table.loc[codes, as_of] = counts.to_numpy()
        else:
            table.loc[rows, as_of] = np.bincount(area[pair_year <= as_of], minlength=len(rows))
        table.loc[CITY_ADCODE, as_of] = int(counts.sum())
    return table


def change_table(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Every indicator's change from ``before`` to ``after`` (same rows, by adcode).

    Columns: the indicators (after − before), ``<indicator>_before`` / ``_after``, and the
    names, population and ``underserved`` of ``after``; ``attrs["compare"]`` is (before's
    year, after's year).
    """
    a = before.set_index(before["adcode"].astype("str"))
    b = after.set_index(after["adcode"].astype("str"))
    keep = ["adcode", "name_zh", "name_en", "population", "population_year", "population_status", "underserved"]
    out = b[keep].copy()
    for key in INDICATORS:
        first = pd.to_numeric(a[key], errors="coerce").reindex(b.index)
        last = pd.to_numeric(b[key], errors="coerce")
        out[key] = last - first
        out[f"{key}_before"] = first
        out[f"{key}_after"] = last
    out = out.reset_index(drop=True)
    for name, value in after.attrs.items():
        out.attrs[name] = value
    out.attrs["compare"] = (before.attrs.get("year"), after.attrs.get("year"))
    return out
