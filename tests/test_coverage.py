"""Hex layers and land coverage, checked against exact shapely geometry on small cases."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point

from zzgeo.coverage import (
    DEFAULT_RADIUS_KM,
    coverage_by_district,
    coverage_gaps,
    hex_counts,
    hex_polygons,
    land_cells,
    site_radius_km,
)
from zzgeo.districts import load_districts, load_land
from zzgeo.errors import ZzgeoError

UTM = "EPSG:32650"


def _sites(points: list[tuple[float, float]], band: str | None = "n78") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"band": [band] * len(points)}, geometry=[Point(p) for p in points], crs="EPSG:4326")


def _land_of(adcode: str) -> shapely.Geometry:
    districts = load_districts("full").set_index("adcode")
    return shapely.intersection(districts.loc[adcode, "geometry"], shapely.union_all(load_land().geometry.to_numpy()))


def test_land_cells_cover_the_land_area() -> None:
    cells = land_cells(8)
    assert cells["cell"].is_unique
    assert set(cells["adcode"]) == set(load_districts("display")["adcode"])
    # whole cells approximate the land outline: total within 1% of the land area
    land_km2 = load_districts("display")["land_area_km2"].sum()
    assert cells["area_km2"].sum() == pytest.approx(land_km2, rel=0.01)
    assert len(land_cells(7)) < len(cells) / 5  # res 7 cells are 7x larger


def test_coverage_matches_exact_buffer_union_on_a_small_case() -> None:
    """Longwen with 12 sites of R = 0.8 km: hex estimate vs exact area within 3 points."""
    land = _land_of("350603")
    rng = np.random.default_rng(5)
    minx, miny, maxx, maxy = land.bounds
    pts: list[tuple[float, float]] = []
    while len(pts) < 12:
        p = (rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if land.contains(Point(p)):
            pts.append(p)
    sites = _sites(pts, "n78")
    table = coverage_by_district(sites).set_index("adcode")
    land_m = gpd.GeoSeries([land], crs="EPSG:4326").to_crs(UTM).iloc[0]
    buffers = sites.to_crs(UTM).buffer(DEFAULT_RADIUS_KM["n78"] * 1000, quad_segs=32)
    exact = shapely.union_all(buffers.to_numpy()).intersection(land_m).area / land_m.area * 100
    estimate = table.loc["350603", "coverage_pct"]
    assert 5 < exact < 95  # a partial coverage, the interesting case
    assert estimate == pytest.approx(exact, abs=3.0)
    assert table.loc["350629", "coverage_pct"] == 0  # no site in Hua'an


def test_radius_per_band_and_overrides() -> None:
    radii = site_radius_km(["n28", "n78", None, "x"], {"n78": 2.0})
    assert radii.tolist() == [DEFAULT_RADIUS_KM["n28"], 2.0, DEFAULT_RADIUS_KM[None], DEFAULT_RADIUS_KM[None]]
    centre = _land_of("350602").representative_point()
    small = coverage_by_district(_sites([(centre.x, centre.y)], "n79")).set_index("adcode")
    large = coverage_by_district(_sites([(centre.x, centre.y)], "n28")).set_index("adcode")
    assert 0 < small.loc["350602", "covered_km2"] < large.loc["350602", "covered_km2"]


def test_gaps_are_the_uncovered_land_cells() -> None:
    centre = _land_of("350602").representative_point()
    sites = _sites([(centre.x, centre.y)], "n28")
    gaps = coverage_gaps(sites)
    table = coverage_by_district(sites).set_index("adcode")
    uncovered = table.loc["350600", "land_km2"] - table.loc["350600", "covered_km2"]
    assert gaps["area_km2"].sum() == pytest.approx(uncovered)
    assert len(gaps) < len(land_cells(8))
    assert set(gaps.geom_type) == {"Polygon"}
    assert not gaps.intersects(Point(centre.x, centre.y)).any()  # the site's own hex is covered


def test_city_row_and_population_weighting() -> None:
    centre = _land_of("350602").representative_point()
    table = coverage_by_district(_sites([(centre.x, centre.y)], "n28")).set_index("adcode")
    city = table.loc["350600"]
    assert city["land_km2"] == pytest.approx(table.drop(index="350600")["land_km2"].sum())
    # dense Xiangcheng covered, so population weighting lifts the city value above the land value
    assert city["population_weighted_pct"] > city["coverage_pct"]


def test_hex_counts_and_polygons() -> None:
    lon = np.array([117.65, 117.6500001, 117.9, np.nan])
    lat = np.array([24.51, 24.5100001, 24.3, 24.5])
    counts = hex_counts(lon, lat, 8)
    assert counts["count"].sum() == 3
    assert sorted(counts["count"]) == [1, 2]
    hexes = hex_polygons(counts)
    assert hexes.crs.equals("EPSG:4326")
    assert hexes.contains(Point(117.65, 24.51)).sum() == 1
    with pytest.raises(ZzgeoError, match="resolution 9"):
        hex_counts(lon, lat, 9)


# ------------------------------------------------------------------------------ area layers


def _in_service_sample() -> gpd.GeoDataFrame:
    from zzgeo.indicators import filter_layer
    from zzgeo.layers import load_layer

    return filter_layer(load_layer("5g_sites"), year=2024)


def test_coverage_of_the_districts_as_an_area_layer_equals_coverage_by_district() -> None:
    from zzgeo.areas import prepare_areas
    from zzgeo.coverage import coverage_by_area

    districts = load_districts("full")
    areas = prepare_areas(districts.assign(name=districts["name_zh"], code=districts["adcode"]))
    sites = _in_service_sample()
    by_area = coverage_by_area(sites, areas)
    by_district = coverage_by_district(sites)
    pd.testing.assert_frame_equal(
        by_area.drop(columns="name_en"), by_district.drop(columns="name_en"), check_exact=False, rtol=1e-12
    )
    assert by_area.attrs["level"] == "areas"


def test_coverage_by_area_matches_the_cells_joined_to_the_areas(city_grid: gpd.GeoDataFrame) -> None:
    from zzgeo.areas import prepare_areas
    from zzgeo.coverage import coverage_by_area
    from zzgeo.districts import load_population

    areas = prepare_areas(city_grid[["name", "geometry"]])
    sites = _in_service_sample()
    table = coverage_by_area(sites, areas)
    # the same, from the gap cells and geopandas.sjoin of the cell centres
    cells = land_cells(8)
    gaps = set(coverage_gaps(sites)["cell"])
    cells["covered"] = ~cells["cell"].isin(gaps)
    pop = load_population().set_index("adcode")["population"]
    cells["weight"] = cells["area_km2"] * cells["adcode"].map(pop / cells.groupby("adcode")["area_km2"].sum())
    centres = gpd.GeoDataFrame(cells, geometry=gpd.points_from_xy(cells["lon"], cells["lat"]), crs="EPSG:4326")
    joined = gpd.sjoin(centres, areas[["adcode", "geometry"]].rename(columns={"adcode": "area"}), predicate="within")
    land = joined.groupby("area")["area_km2"].sum()
    covered = joined[joined["covered"]].groupby("area")["area_km2"].sum().reindex(land.index, fill_value=0)
    weight = joined.groupby("area")["weight"].sum()
    weighted = joined[joined["covered"]].groupby("area")["weight"].sum().reindex(land.index, fill_value=0)
    rows = table.iloc[:-1].set_index("adcode").loc[land.index]
    assert rows["land_km2"].to_numpy() == pytest.approx(land.to_numpy())
    assert rows["coverage_pct"].to_numpy() == pytest.approx((covered / land * 100).to_numpy())
    assert rows["population_weighted_pct"].to_numpy() == pytest.approx((weighted / weight * 100).to_numpy())
    straddling = rows[(rows["population_weighted_pct"] - rows["coverage_pct"]).abs() > 1]
    assert len(straddling) > 0  # areas across districts of different density weigh their parts differently
    assert table.iloc[-1].to_dict() == coverage_by_district(sites).iloc[-1].to_dict()
    assert table.iloc[:-1]["land_km2"].sum() == pytest.approx(table.iloc[-1]["land_km2"])  # the grid tiles the city
