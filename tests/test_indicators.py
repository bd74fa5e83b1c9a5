"""Indicators: district assignment agrees with geopandas.sjoin; arithmetic; filters."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

from zzgeo.districts import CITY_ADCODE, load_districts, load_population
from zzgeo.errors import ZzgeoError
from zzgeo.indicators import (
    ASSIGNED_COLUMN,
    INDICATORS,
    assign_districts,
    compute_indicators,
    filter_layer,
    sites_by_year,
    with_districts,
)


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    return load_districts("full")


def _sjoin_codes(lon: np.ndarray, lat: np.ndarray, districts: gpd.GeoDataFrame) -> np.ndarray:
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    joined = gpd.sjoin(pts, districts[["adcode", "geometry"]], predicate="within", how="left")
    assert joined.index.is_unique  # no point falls in two districts
    return np.array([None if pd.isna(c) else c for c in joined["adcode"]], dtype=object)


def test_assignment_equals_sjoin_on_random_points(districts: gpd.GeoDataFrame) -> None:
    rng = np.random.default_rng(7)
    lon = rng.uniform(116.8, 118.4, 50_000)
    lat = rng.uniform(23.4, 25.4, 50_000)
    ours = assign_districts(lon, lat, districts)
    ref = _sjoin_codes(lon, lat, districts)
    assert (ours == ref).all()
    assert 0 < sum(c is not None for c in ours) < len(ours)  # some inside, some outside


def test_assignment_equals_sjoin_on_vertices_and_borders(districts: gpd.GeoDataFrame) -> None:
    # Every vertex of every district (shared borders included) and midpoints of edges:
    # the hard cases. sjoin "within" puts none of them in any district.
    coords = shapely.get_coordinates(districts.geometry.to_numpy())[::3]
    mids = (coords[:-1] + coords[1:]) / 2
    lon = np.concatenate([coords[:, 0], mids[:, 0]])
    lat = np.concatenate([coords[:, 1], mids[:, 1]])
    ours = assign_districts(lon, lat, districts)
    ref = _sjoin_codes(lon, lat, districts)
    assert (ours == ref).all()
    assert all(c is None for c in ours[: len(coords)])  # vertices lie on boundaries


def test_assignment_islands_and_missing(districts: gpd.GeoDataFrame) -> None:
    dongshan = districts.loc[districts.adcode == "350626", "geometry"].iloc[0]
    # a point inside the largest island part of Dongshan County
    island = max(dongshan.geoms, key=lambda g: g.area).representative_point()
    lon = np.array([island.x, np.nan, 0.0, 121.5])
    lat = np.array([island.y, 24.5, 0.0, 31.2])  # NaN, null island, Shanghai
    assert list(assign_districts(lon, lat, districts)) == ["350626", None, None, None]


def test_assignment_rejects_mismatched_shapes_and_crs(districts: gpd.GeoDataFrame) -> None:
    with pytest.raises(ValueError, match="shape"):
        assign_districts([1.0, 2.0], [1.0], districts)
    with pytest.raises(ZzgeoError, match="EPSG:4326"):
        assign_districts([117.6], [24.5], districts.to_crs(32650))


def _toy() -> tuple[gpd.GeoDataFrame, pd.DataFrame, pd.DataFrame]:
    districts = gpd.GeoDataFrame(
        {"adcode": ["1", "2"], "name_zh": ["甲", "乙"], "name_en": ["A", "B"], "land_area_km2": [50.0, 200.0]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs="EPSG:4326",
    )
    population = pd.DataFrame(
        {"adcode": ["1", "2"], "population": [20_000, 10_000], "year": [2020, 2020], "status": ["published", "derived"]}
    )
    targets = pd.DataFrame(
        {
            "indicator": ["5g_per_10k"],
            "year": [2025],
            "value": [3.0],
            "unit": ["u"],
            "status": ["plan"],
            "source": ["s"],
        }
    )
    return districts, population, targets


def _sites(points: list[tuple[float, float]], **cols: list[object]) -> gpd.GeoDataFrame:
    n = len(points)
    data = {
        "site_id": [f"S{i}" for i in range(n)],
        "operator": cols.get("operator", ["China Mobile"] * n),
        "status": cols.get("status", ["in_service"] * n),
        "year_in_service": cols.get("year_in_service", [2020] * n),
    }
    return gpd.GeoDataFrame(data, geometry=[Point(p) for p in points], crs="EPSG:4326")


def test_indicator_arithmetic_on_a_toy_city() -> None:
    districts, population, targets = _toy()
    # 5 sites in A, 1 in B, 1 outside, 1 on the shared border x=1 (in neither).
    pts = [(0.5, 0.5)] * 5 + [(1.5, 0.5), (5.0, 5.0), (1.0, 0.5)]
    layer = _sites(pts)
    before = layer.copy()
    t = compute_indicators(layer, districts, population, year=2025, targets=targets).set_index("adcode")
    pd.testing.assert_frame_equal(layer, before)  # input not mutated
    assert list(t.index) == ["1", "2", CITY_ADCODE]
    assert t.loc["1", "sites"] == 5
    assert t.loc["2", "sites"] == 1
    assert t.loc[CITY_ADCODE, "sites"] == 6
    assert t.attrs["unassigned"] == 2
    assert t.loc["1", "sites_per_10k"] == pytest.approx(2.5)
    assert t.loc["2", "sites_per_10k"] == pytest.approx(1.0)
    assert t.loc[CITY_ADCODE, "sites_per_10k"] == pytest.approx(2.0)
    assert t.loc["1", "sites_per_100km2"] == pytest.approx(10.0)
    assert t.loc[CITY_ADCODE, "sites_per_100km2"] == pytest.approx(6 / 250 * 100)
    assert t.loc["1", "residents_per_site"] == pytest.approx(4000)
    assert t.loc["1", "share_of_city_pct"] == pytest.approx(500 / 6)
    assert t.loc[CITY_ADCODE, "share_of_city_pct"] == pytest.approx(100)
    # target 3 per 10k: A needs 6 (has 5), B needs 3 (has 1); the city needs 9 (has 6).
    assert list(t["target_sites"]) == [6, 3, 9]
    assert list(t["gap_sites"]) == [1, 2, 3]
    assert list(t["underserved"]) == [True, True, True]
    assert t.loc["2", "population_status"] == "derived"
    assert t.loc[CITY_ADCODE, "population_status"] == "sum of districts"


def test_no_target_before_the_plan_and_surplus_is_not_a_gap() -> None:
    districts, population, targets = _toy()
    layer = _sites([(0.5, 0.5)] * 10)
    t = compute_indicators(layer, districts, population, year=2022, targets=targets)
    assert t["target_per_10k"].isna().all()
    assert t["gap_sites"].isna().all()
    assert not t["underserved"].any()
    t = compute_indicators(layer, districts, population, year=2025, targets=targets).set_index("adcode")
    assert t.loc["1", "gap_sites"] == 0
    assert not t.loc["1", "underserved"]
    assert t.loc["2", "residents_per_site"] != t.loc["2", "residents_per_site"]  # NaN: no site


def test_filters_year_operator_status() -> None:
    districts, population, targets = _toy()
    layer = _sites(
        [(0.5, 0.5)] * 4,
        operator=["China Mobile", "China Unicom", "China Mobile", "China Mobile"],
        status=["in_service", "in_service", "planned", "in_service"],
        year_in_service=[2020, 2021, 2026, 2024],
    )

    def count(**kw: object) -> int:
        t = compute_indicators(layer, districts, population, targets=targets, **kw)  # type: ignore[arg-type]
        return int(t.set_index("adcode").loc[CITY_ADCODE, "sites"])

    assert count() == 3  # in service only, all years
    assert count(year=2021) == 2
    assert count(year=2021, operators=["China Mobile"]) == 1
    assert count(statuses=None) == 4
    assert count(statuses=["planned"], year=2025) == 0
    assert count(statuses=["planned"], year=2026) == 1
    assert len(filter_layer(layer, year=2023)) == 2


def test_precomputed_assignment_is_used_and_matches(districts: gpd.GeoDataFrame) -> None:
    population = load_population()
    rng = np.random.default_rng(3)
    pts = list(zip(rng.uniform(117.0, 118.2, 500), rng.uniform(23.6, 25.2, 500), strict=True))
    layer = _sites(pts)
    tagged = with_districts(layer, districts)
    assert ASSIGNED_COLUMN in tagged.columns
    assert ASSIGNED_COLUMN not in layer.columns
    a = compute_indicators(layer, districts, population, year=2025)
    b = compute_indicators(tagged, districts, population, year=2025)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["unassigned"] == int(tagged[ASSIGNED_COLUMN].isna().sum())


def test_sites_by_year_is_cumulative_and_consistent() -> None:
    districts, population, targets = _toy()
    layer = _sites([(0.5, 0.5), (0.5, 0.5), (1.5, 0.5)], year_in_service=[2019, 2021, 2021])
    table = sites_by_year(layer, districts, years=range(2019, 2023))
    assert table.loc["1"].tolist() == [1, 1, 2, 2]
    assert table.loc["2"].tolist() == [0, 0, 1, 1]
    assert table.loc[CITY_ADCODE].tolist() == [1, 1, 3, 3]
    per_year = compute_indicators(layer, districts, population, year=2020, targets=targets)
    assert per_year.set_index("adcode")["sites"].tolist() == table[2020].tolist()


def test_projected_layer_and_wrong_geometry() -> None:
    districts, population, targets = _toy()
    layer = _sites([(0.5, 0.5)]).to_crs(3857)
    t = compute_indicators(layer, districts, population, targets=targets)
    assert t.set_index("adcode").loc["1", "sites"] == 1
    poly = gpd.GeoDataFrame({"site_id": ["x"], "status": ["in_service"], "year_in_service": [2020]},
                            geometry=[box(0, 0, 0.5, 0.5)], crs="EPSG:4326")  # fmt: skip
    with pytest.raises(ZzgeoError, match="point layer"):
        compute_indicators(poly, districts, population, targets=targets)
    with pytest.raises(ZzgeoError, match="no figure for adcode"):
        compute_indicators(layer, districts, population.iloc[:1], targets=targets)


def test_real_data_city_row_is_consistent() -> None:
    """On the shipped sample the city row equals the districts' sums and the plan target."""
    from zzgeo.layers import load_layer

    t = compute_indicators(load_layer("5g_sites"), year=2025).set_index("adcode")
    districts_only = t.drop(index=CITY_ADCODE)
    assert len(districts_only) == 11
    assert t.loc[CITY_ADCODE, "population"] == 5_054_328
    assert t.loc[CITY_ADCODE, "sites"] == districts_only["sites"].sum()
    assert t.loc[CITY_ADCODE, "target_per_10k"] == 30
    assert districts_only["share_of_city_pct"].sum() == pytest.approx(100)
    expected_gap = max(0, math.ceil(30 * 5_054_328 / 10_000) - t.loc[CITY_ADCODE, "sites"])
    assert t.loc[CITY_ADCODE, "gap_sites"] == expected_gap
    assert set(INDICATORS) <= set(t.columns)


def test_count_points_agrees_with_assignment(districts: gpd.GeoDataFrame) -> None:
    from zzgeo.indicators import count_points

    rng = np.random.default_rng(11)
    lon = rng.uniform(116.8, 118.4, 20_000)
    lat = rng.uniform(23.4, 25.4, 20_000)
    counts = count_points(lon, lat, districts)
    codes = pd.Series(assign_districts(lon, lat, districts)).value_counts()
    assert list(counts.index) == list(districts["adcode"])
    assert counts.to_dict() == codes.reindex(counts.index, fill_value=0).to_dict()
    assert counts.sum() == codes.sum() < len(lon)


# ------------------------------------------------------------------------------ area layers


def _toy_areas() -> gpd.GeoDataFrame:
    """Three areas over the toy city: a (in A), b (across A and B), c (in B, overlapping b)."""
    return gpd.GeoDataFrame(
        {
            "adcode": ["a", "b", "c"],
            "name_zh": ["甲区", "乙区", "丙区"],
            "name_en": ["a", "b", "c"],
            "population": [8_000, 12_000, 0],
            "population_year": pd.array([2020, 2021, None], dtype="Int64"),
            "population_status": ["published", "estimated", "user-supplied"],
            "land_area_km2": [25.0, 100.0, 40.0],
            "name": ["甲区", "乙区", "丙区"],
            "code": ["A1", None, None],
        },
        geometry=[box(0, 0, 0.5, 1), box(0.5, 0, 1.5, 1), box(1.2, 0, 1.8, 1)],
        crs="EPSG:4326",
    )


def test_area_indicator_arithmetic_on_a_toy_city() -> None:
    districts, population, targets = _toy()
    areas = _toy_areas()
    # 3 in a; 2 in b (A side); 2 in b and c (the overlap); 1 in c only; 1 on a/b's border x=0.5
    # (in district A); 1 outside everything; 1 in B but in no area (x > 1.8)
    pts = [(0.25, 0.5)] * 3 + [(0.75, 0.5)] * 2 + [(1.3, 0.5)] * 2 + [(1.7, 0.5), (0.5, 0.5), (5.0, 5.0), (1.9, 0.5)]
    t = compute_indicators(_sites(pts), districts, population, year=2025, targets=targets, areas=areas)
    assert list(t["adcode"]) == ["a", "b", "c", CITY_ADCODE]
    t = t.set_index("adcode")
    assert t["sites"].tolist() == [3, 4, 3, 10]  # the city row counts each site once, by district
    assert t.attrs["unassigned"] == 3  # on the border, outside, in B but in no area
    assert t.attrs["outside_city"] == 1
    assert t.attrs["level"] == "areas"
    assert t.loc["a", "sites_per_10k"] == pytest.approx(3 / 8_000 * 10_000)
    assert t.loc["b", "sites_per_10k"] == pytest.approx(4 / 12_000 * 10_000)
    assert np.isnan(t.loc["c", "sites_per_10k"])  # nobody lives there: no ratio, not underserved
    assert not t.loc["c", "underserved"]
    assert t.loc["a", "sites_per_100km2"] == pytest.approx(12.0)
    assert t.loc["b", "residents_per_site"] == pytest.approx(3_000)
    assert t.loc["a", "share_of_city_pct"] == pytest.approx(3 / 10 * 100)
    # target 3 per 10k: a needs ceil(2.4) = 3 (has 3), b needs ceil(3.6) = 4 (has 4), c needs 0
    assert t["target_sites"].tolist() == [3, 4, 0, 9]
    assert t["gap_sites"].tolist() == [0, 0, 0, 0]
    assert t["underserved"].tolist() == [False, False, False, False]
    # the city row is the district table's
    district_city = compute_indicators(_sites(pts), districts, population, year=2025, targets=targets)
    city = district_city.set_index("adcode").loc[CITY_ADCODE]
    for col in ("population", "population_status", "land_area_km2", "sites", "sites_per_10k", "gap_sites"):
        assert t.loc[CITY_ADCODE, col] == city[col], col
    assert t.loc["b", "population_status"] == "estimated"
    assert pd.isna(t.loc["c", "population_year"])
    assert t.loc["a", "code"] == "A1"
    assert t.loc[CITY_ADCODE, "name"] == "漳州市"


def test_area_counts_equal_sjoin_on_a_tiling_of_the_city(city_grid: gpd.GeoDataFrame) -> None:
    from zzgeo.areas import prepare_areas
    from zzgeo.layers import load_layer

    areas = prepare_areas(city_grid[["name", "geometry"]])
    sample = filter_layer(load_layer("5g_sites"), year=2025)
    # add sites exactly on tile borders and corners: they belong to no area
    coords = shapely.get_coordinates(areas.geometry.to_numpy())[::40]
    border = _sites([tuple(c) for c in coords], year_in_service=[2025] * len(coords))
    layer = gpd.GeoDataFrame(pd.concat([sample, border], ignore_index=True), crs="EPSG:4326")
    t = compute_indicators(layer, year=2025, areas=areas)
    joined = gpd.sjoin(layer, areas[["adcode", "geometry"]], predicate="within")
    expected = joined.groupby("adcode").size().reindex(areas["adcode"], fill_value=0)
    assert t.iloc[:-1]["sites"].tolist() == expected.tolist()
    assert t.attrs["unassigned"] == len(layer) - joined.index.nunique()
    assert t.attrs["unassigned"] >= len(border)
    assert t.attrs["estimated"] == len(areas)
    rows = t.iloc[:-1]
    assert rows["sites_per_10k"].to_numpy() == pytest.approx(rows["sites"] / rows["population"] * 10_000)
    assert rows["sites_per_100km2"].to_numpy() == pytest.approx(rows["sites"] / rows["land_area_km2"] * 100)
    assert t.iloc[-1]["sites"] == compute_indicators(layer, year=2025).iloc[-1]["sites"]


def test_area_layer_with_precomputed_district_column(city_grid: gpd.GeoDataFrame) -> None:
    from zzgeo.areas import prepare_areas
    from zzgeo.layers import load_layer

    areas = prepare_areas(city_grid[["name", "geometry"]])
    layer = load_layer("5g_sites")
    plain = compute_indicators(layer, year=2024, areas=areas)
    tagged = compute_indicators(with_districts(layer), year=2024, areas=areas)  # the app's layers carry it
    pd.testing.assert_frame_equal(plain, tagged)


def test_area_sites_by_year() -> None:
    districts, population, targets = _toy()
    areas = _toy_areas()
    layer = _sites([(0.25, 0.5), (1.3, 0.5), (1.3, 0.5), (1.9, 0.5)], year_in_service=[2019, 2021, 2022, 2020])
    table = sites_by_year(layer, districts, years=range(2019, 2023), areas=areas)
    assert list(table.index) == ["a", "b", "c", CITY_ADCODE]
    assert table.loc["a"].tolist() == [1, 1, 1, 1]
    assert table.loc["b"].tolist() == [0, 0, 1, 2]
    assert table.loc["c"].tolist() == [0, 0, 1, 2]
    assert table.loc[CITY_ADCODE].tolist() == [1, 2, 3, 4]
    for year in (2020, 2022):
        t = compute_indicators(layer, districts, population, year=year, targets=targets, areas=areas)
        assert t["sites"].tolist() == table[year].tolist()


def test_areas_frame_is_checked() -> None:
    districts, population, _ = _toy()
    layer = _sites([(0.25, 0.5)])
    with pytest.raises(ZzgeoError, match="prepare_areas"):
        compute_indicators(layer, districts, population, areas=_toy_areas().drop(columns="land_area_km2"))
    with pytest.raises(ZzgeoError, match="EPSG:4326"):
        compute_indicators(layer, districts, population, areas=_toy_areas().to_crs(3857))
    city_key = _toy_areas().assign(adcode=["a", CITY_ADCODE, "c"])
    with pytest.raises(ZzgeoError, match="key of the city row"):
        compute_indicators(layer, districts, population, areas=city_key)
