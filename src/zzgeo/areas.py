"""Area layers: the planners' own areas (townships, planning grids, zones) as an indicator level.

An area layer is one import of kind ``areas`` (:data:`zzgeo.layers.AREA_KINDS`): polygons
with a name, an optional code and an optional population (with its year and status),
imported like any layer with :func:`zzgeo.imports.import_file` (which runs the checks of
:mod:`zzgeo.area_checks`) and kept in the workspace, one layer per import.

:func:`prepare_areas` turns such a layer into the frame every indicator function takes as
``areas=`` (:func:`zzgeo.indicators.compute_indicators`, ``sites_by_year``,
:func:`zzgeo.planning.indicators_with_proposals`, ``suggest_sites``,
:func:`zzgeo.coverage.coverage_by_area`): one row per area, in file order, with

==================== ==========================================================================
``adcode``           the area's key (str): its ``area_id`` when the file gives one for every
                     area, else its code when every area has a different one, else ``A001``,
                     ``A002``, … in file order; never the city's ``350600``
``name``             the name as in the file; ``name_zh`` the same, ``name_en`` the English
                     name when given, else the name
``code``             the code as in the file (None when absent)
``population``       residents (int): the file's figure, or the estimate (see below)
``population_year``  the figure's year (nullable int); for estimates, the district table's
``population_status`` the figure's status (``published``, ``user-supplied`` when the file gives
                     a figure without one, …); ``estimated`` for zzgeo's estimates
``population_estimate`` the estimate for every area (float), also where the file gives a figure
``land_area_km2``    land within Zhangzhou (km², equal-area): the area ∩ the districts' land
``area_km2``         the whole polygon (km², equal-area)
``district_adcode``  the district holding most of the polygon (None outside Zhangzhou);
                     ``district_share`` that share (0–1)
``geometry``         MultiPolygon, EPSG:4326, as imported (full detail)
==================== ==========================================================================

Population estimate (:func:`estimate_population`): no population data finer than
districts exists for Zhangzhou, so where the file gives no figure, zzgeo spreads each
district's resident population (the district population table in use: the 2020 census by
default) evenly over that district's land and gives each area the residents of its land:
``estimate(a) = Σ_d P_d × |a ∩ L_d| / |L_d|``, where ``L_d`` is district ``d``'s polygon
cut to the Tianditu land outlines (the sea holds nobody) and ``|·|`` an area in
:data:`zzgeo.area_checks.EQUAL_AREA_CRS`. Areas that tile the city's land therefore sum to
the city's population; an area at sea gets 0. Such figures have status ``estimated``, are
rounded to whole residents, and are never shown as published ones.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zzgeo.area_checks import city_geometry, clean_code, district_overlay, to_equal_area
from zzgeo.districts import CITY_ADCODE, load_population
from zzgeo.errors import UnknownKeyError, ValidationError, ZzgeoError
from zzgeo.layers import AREA_KINDS, POPULATION_STATUSES, coerce_columns
from zzgeo.messages import Text
from zzgeo.workspace import Workspace

__all__ = [
    "AREA_KIND",
    "ESTIMATED",
    "PREPARED_COLUMNS",
    "area_bounds",
    "area_layers",
    "display_areas",
    "estimate_population",
    "estimate_rule",
    "load_areas",
    "population_status_label",
    "prepare_areas",
]

logger = logging.getLogger(__name__)

#: The layer kind of area layers.
AREA_KIND = "areas"
#: ``population_status`` of zzgeo's estimates.
ESTIMATED = "estimated"
#: Columns of :func:`prepare_areas`'s result (then ``geometry``).
PREPARED_COLUMNS = (
    "adcode", "name", "name_zh", "name_en", "code", "population", "population_year", "population_status",
    "population_estimate", "land_area_km2", "area_km2", "district_adcode", "district_share",
)  # fmt: skip
#: Display simplification tolerance bounds, degrees (~5 m and ~100 m).
_MIN_TOLERANCE_DEG = 0.00005
_MAX_TOLERANCE_DEG = 0.001


def estimate_rule(year: int) -> Text:
    """The estimate's rule in one sentence (English and Chinese), for notes next to estimated figures."""
    return Text(
        en=f"estimated: each district's {year} resident population spread evenly over the district's land, "
        "counted by the land in each area (not a published figure)",
        zh=f"估算：将各区县 {year} 年常住人口按陆地面积平均分布，按各区域内的陆地面积计算（非公开数据）",
    )


def population_status_label(status: str | None, lang: str = "zh") -> str:
    """The label of a population status (``estimated`` -> 估算 / estimated); unknown ones as they are."""
    if status is None:
        return Text(en="unknown source", zh="来源未知").get(lang)
    label = POPULATION_STATUSES.get(status)
    return status if label is None else label.get(lang)


def estimate_population(geometry: gpd.GeoSeries, population: pd.DataFrame | None = None) -> pd.DataFrame:
    """Residents of each area if each district's residents were spread evenly over its land.

    Parameters
    ----------
    geometry : geopandas.GeoSeries
        The areas' polygons (any CRS; converted to EPSG:4326 lon/lat).
    population : pandas.DataFrame, optional
        District population table (``adcode``, ``population``, ``year``); default
        :func:`zzgeo.districts.load_population`.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``geometry``: ``population_estimate`` (residents, float, unrounded),
        ``land_area_km2`` (the area's land within Zhangzhou, km²), ``area_km2`` (the whole
        polygon, km²), ``district_adcode`` (the district holding most of the polygon, None
        if none) and ``district_share`` (that share of the polygon, 0–1). The rule is
        in the module docstring.
    """
    population = load_population() if population is None else population
    if geometry.crs is not None and not geometry.crs.equals("EPSG:4326"):
        geometry = geometry.to_crs("EPSG:4326")
    city = city_geometry()
    pop = population.set_index(population["adcode"].astype("str"))["population"]
    missing = sorted(set(city.adcodes) - set(pop.index))
    if missing:
        raise ZzgeoError(f"the population table has no figure for adcode(s) {', '.join(missing)}")
    density = pop.reindex(list(city.adcodes)).to_numpy(dtype=float) / city.land_km2  # residents per km² of land
    geoms = geometry.to_numpy()
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    ea = np.full(len(geoms), None, dtype=object)
    ea[ok] = to_equal_area(geoms[ok])
    n = len(geoms)
    estimate = np.zeros(n)
    land = np.zeros(n)
    area = np.where(ok, np.asarray(shapely.area(ea), dtype=float) / 1e6, np.nan)
    where = np.flatnonzero(ok)
    a, d, km2 = district_overlay(ea[where], city.land)
    np.add.at(estimate, where[a], density[d] * km2)
    np.add.at(land, where[a], km2)
    main = np.full(n, None, dtype=object)
    share = np.zeros(n)
    a, d, km2 = district_overlay(ea[where], city.districts)
    for i, j, size in zip(where[a].tolist(), d.tolist(), km2.tolist(), strict=True):
        if size / area[i] > share[i]:
            share[i] = size / area[i]
            main[i] = city.adcodes[j]
    return pd.DataFrame(
        {
            "population_estimate": np.where(ok, estimate, np.nan),
            "land_area_km2": np.where(ok, land, np.nan),
            "area_km2": area,
            "district_adcode": pd.array(list(main), dtype="str"),
            "district_share": share,
        },
        index=geometry.index,
    )


def _keys(area_ids: list[str | None], codes: list[str | None]) -> list[str]:
    def usable(values: list[str | None]) -> bool:
        present = [v for v in values if v]
        return len(present) == len(values) and len(set(present)) == len(values) and CITY_ADCODE not in present

    if usable(area_ids):
        return [str(v) for v in area_ids]
    if usable(codes):
        return [str(v) for v in codes]
    width = max(3, len(str(len(codes))))
    return [f"A{i:0{width}d}" for i in range(1, len(codes) + 1)]


def prepare_areas(
    layer: gpd.GeoDataFrame, population: pd.DataFrame | None = None, *, title: str | None = None
) -> gpd.GeoDataFrame:
    """The frame the indicators take as ``areas=``, from an area layer (see the module docstring).

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        An area layer: ``ImportResult.layer`` of kind ``areas`` or
        :meth:`zzgeo.workspace.Workspace.load` of an areas import (or any polygons with a
        ``name`` column).
    population : pandas.DataFrame, optional
        District population table for the estimates; default the 2020 census (or
        ``ZZGEO_POPULATION``).
    title : str, optional
        A name of the layer (e.g. its file), kept in ``attrs["title"]``.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`PREPARED_COLUMNS` and ``geometry`` (EPSG:4326). ``attrs``: ``title``,
        ``estimated`` (how many areas have an estimated population), ``estimate_year``
        (the year of the district figures estimates come from).

    Raises
    ------
    ZzgeoError
        For an empty layer, one without names, or with other geometry than polygons.
    """
    if len(layer) == 0:
        raise ZzgeoError("the area layer has no areas")
    if "name" not in layer.columns:
        raise ZzgeoError("the area layer has no 'name' column")
    if layer.crs is None:
        raise ZzgeoError("the area layer has no CRS; set one (e.g. EPSG:4326)")
    gdf = layer if layer.crs.equals("EPSG:4326") else layer.to_crs("EPSG:4326")
    geoms = gdf.geometry.to_numpy()
    if not np.isin(shapely.get_type_id(geoms), [3, 6]).all():
        raise ZzgeoError("an area layer needs polygons; found other geometry types or missing geometry")
    gdf = coerce_columns(gdf, AREA_KINDS[AREA_KIND])
    population = load_population() if population is None else population
    estimate_year = int(population["year"].iloc[0])
    est = estimate_population(gpd.GeoSeries(geoms, crs="EPSG:4326"), population).reset_index(drop=True)

    def column(name: str) -> list[str | None]:
        return [clean_code(v) for v in gdf[name]] if name in gdf.columns else [None] * len(gdf)

    names = [str(v) for v in gdf["name"].astype("str")]
    codes = column("code")
    english = column("name_en")
    given = gdf["population"].reset_index(drop=True) if "population" in gdf.columns else pd.Series([pd.NA] * len(gdf))
    given = pd.to_numeric(given, errors="coerce")
    has = given.notna().to_numpy()
    status_in = column("population_status")
    year_in = (
        pd.to_numeric(gdf["population_year"].reset_index(drop=True), errors="coerce")
        if "population_year" in gdf.columns
        else pd.Series([np.nan] * len(gdf))
    )
    estimate = est["population_estimate"].to_numpy(dtype=float)
    out = gpd.GeoDataFrame(
        {
            "adcode": pd.array(_keys(column("area_id"), codes), dtype="str"),
            "name": pd.array(names, dtype="str"),
            "name_zh": pd.array(names, dtype="str"),
            "name_en": pd.array([e or n for e, n in zip(english, names, strict=True)], dtype="str"),
            "code": pd.array(codes, dtype="str"),
            "population": np.where(has, given.fillna(0).to_numpy(dtype=float), np.round(estimate)).astype("int64"),
            "population_year": pd.array(
                [(int(y) if pd.notna(y) else None) if h else estimate_year for h, y in zip(has, year_in, strict=True)],
                dtype="Int64",
            ),
            "population_status": pd.array(
                [(s or "user-supplied") if h else ESTIMATED for h, s in zip(has, status_in, strict=True)], dtype="str"
            ),
            "population_estimate": estimate,
            "land_area_km2": est["land_area_km2"].to_numpy(dtype=float),
            "area_km2": est["area_km2"].to_numpy(dtype=float),
            "district_adcode": est["district_adcode"].array,
            "district_share": est["district_share"].to_numpy(dtype=float),
        },
        geometry=[g if shapely.get_type_id(g) == 6 else shapely.multipolygons([g]) for g in geoms],
        crs="EPSG:4326",
    )
    out.attrs.update({"title": title, "estimated": int((~has).sum()), "estimate_year": estimate_year})
    logger.debug("prepared %d areas (%d estimated populations)", len(out), int((~has).sum()))
    return out


def area_layers(workspace: Workspace | None = None) -> pd.DataFrame:
    """The area layers in the workspace (imports of kind ``areas``), oldest first.

    Columns as :meth:`zzgeo.workspace.Workspace.entries` (``id``, ``file``,
    ``imported_at``, ``rows_accepted``, …).
    """
    entries = (workspace or Workspace()).entries()
    return entries[entries["kind"] == AREA_KIND].reset_index(drop=True)


def load_areas(
    source: str | Path,
    *,
    workspace: Workspace | None = None,
    population: pd.DataFrame | None = None,
    crs: str | None = None,
    layer: str | None = None,
) -> gpd.GeoDataFrame:
    """A prepared area layer (:func:`prepare_areas`) from a file or a workspace entry.

    Parameters
    ----------
    source : str or Path
        The id of an areas import in the workspace, or a file (any format
        :func:`zzgeo.imports.import_file` reads).
    workspace : Workspace, optional
        Default: the one of ``ZZGEO_WORKSPACE``.
    population : pandas.DataFrame, optional
        District population table for the estimates.
    crs, layer : str, optional
        For a file: its coordinate system when it states none; its GeoPackage layer.

    Raises
    ------
    ValidationError
        When rows of the file have errors (every one is listed; ``zzgeo validate FILE
        --kind areas`` shows the whole report).
    UnknownKeyError
        When ``source`` is neither a file nor an areas import (the error lists the ids).
    """
    workspace = workspace or Workspace()
    path = Path(source)
    if path.is_file():
        from zzgeo.imports import import_file  # imports.py uses area_checks, not this module

        result = import_file(path, AREA_KIND, crs, layer=layer)
        if result.errors:
            raise ValidationError(result.errors, summary=result.summary())
        return prepare_areas(result.layer, population, title=result.file)
    mine = area_layers(workspace)
    match = mine[mine["id"] == str(source)]
    if match.empty:
        raise UnknownKeyError("area layer (a file, or the id of an areas import)", str(source), list(mine["id"]))
    return prepare_areas(workspace.load(str(source)), population, title=str(match["file"].iloc[0]))


def display_areas(areas: gpd.GeoDataFrame, tolerance_deg: float | None = None) -> gpd.GeoDataFrame:
    """Simplified areas for a map: ``adcode``, ``name_zh``, ``name_en``, ``population_status``, geometry.

    A layer whose polygons form a valid coverage (no overlaps; shared borders drawn
    alike) is simplified as one coverage (``shapely.coverage_simplify``: neighbours keep
    their shared borders, no slivers); otherwise each polygon on its own
    (``simplify(preserve_topology=True)``). ``tolerance_deg`` defaults to 1% of the
    square root of the median area, between ~5 m and ~100 m (0.00005–0.001°).
    """
    geoms = areas.geometry.to_numpy()
    if tolerance_deg is None:
        size = float(np.sqrt(np.median(shapely.area(geoms))))
        tolerance_deg = float(np.clip(0.01 * size, _MIN_TOLERANCE_DEG, _MAX_TOLERANCE_DEG))
    if bool(shapely.coverage_is_valid(geoms)):
        simple = shapely.coverage_simplify(geoms, tolerance_deg, simplify_boundary=True)
    else:
        simple = shapely.simplify(geoms, tolerance_deg, preserve_topology=True)
    columns = [c for c in ("adcode", "name_zh", "name_en", "population_status") if c in areas.columns]
    return gpd.GeoDataFrame(areas[columns].reset_index(drop=True), geometry=list(simple), crs=areas.crs)


def area_bounds(areas: gpd.GeoDataFrame) -> dict[str, list[list[float]]]:
    """``adcode`` -> ``[[south, west], [north, east]]`` (degrees) of each area (Leaflet's order)."""
    bounds = shapely.bounds(areas.geometry.to_numpy())
    return {
        str(key): [[float(b[1]), float(b[0])], [float(b[3]), float(b[2])]]
        for key, b in zip(areas["adcode"], bounds, strict=True)
    }
