"""What-if planning: allocation, placement, proposals and indicators with proposals."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from zzgeo import planning
from zzgeo.districts import CITY_ADCODE, load_districts, load_land, load_population
from zzgeo.errors import UnknownKeyError, ZzgeoError
from zzgeo.export import geojson_text
from zzgeo.indicators import ASSIGNED_COLUMN, assign_districts, compute_indicators
from zzgeo.layers import get_spec
from zzgeo.validate import check_layer

PINGHE, HUAAN, XIANGCHENG = "350628", "350629", "350602"


def _table(
    sites: dict[str, int], population: dict[str, int], target_sites: dict[str, int] | None = None
) -> pd.DataFrame:
    """A minimal indicator table (district rows and a city row)."""
    codes = sorted(sites)
    rows = pd.DataFrame(
        {
            "adcode": codes,
            "name_zh": codes,
            "name_en": codes,
            "sites": [sites[c] for c in codes],
            "population": [population[c] for c in codes],
            "target_sites": pd.array([None if target_sites is None else target_sites[c] for c in codes], dtype="Int64"),
        }
    )
    city = pd.DataFrame(
        {
            "adcode": [CITY_ADCODE],
            "name_zh": ["city"],
            "name_en": ["city"],
            "sites": [sum(sites.values())],
            "population": [sum(population.values())],
            "target_sites": pd.array([None], dtype="Int64"),
        }
    )
    table = pd.concat([rows, city], ignore_index=True)
    table.attrs["year"] = 2025
    return table


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    return load_districts("full")


@pytest.fixture(scope="module")
def land() -> gpd.GeoDataFrame:
    return load_land()


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return load_population()


@pytest.fixture(scope="module")
def layer(districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A small 5G layer: 30 sites in every district (in service, 2024), 5 planned ones."""
    rng = np.random.default_rng(7)
    xs, ys, codes = [], [], []
    for code, geom in zip(districts["adcode"], districts.geometry, strict=True):
        xmin, ymin, xmax, ymax = geom.bounds
        got = 0
        while got < 30:
            x, y = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
            if shapely.contains_xy(geom, x, y):
                xs.append(x)
                ys.append(y)
                codes.append(code)
                got += 1
    n = len(xs)
    return gpd.GeoDataFrame(
        {
            "site_id": [f"T-{i:04d}" for i in range(n)],
            "operator": ["China Mobile", "China Telecom", "China Unicom"] * (n // 3) + ["China Mobile"] * (n % 3),
            "band": ["n78"] * n,
            "status": ["in_service"] * (n - 5) + ["planned"] * 5,
            "year_in_service": pd.array([2024] * n, dtype="Int64"),
            "synthetic": [True] * n,
            "source": ["test"] * n,
        },
        geometry=gpd.points_from_xy(xs, ys),
        crs="EPSG:4326",
    )


# --------------------------------------------------------------------------- allocate_sites


def test_allocate_goes_to_lowest_density_first() -> None:
    table = _table({"A1": 10, "B2": 30, "C3": 50}, {"A1": 10_000, "B2": 10_000, "C3": 10_000})
    table["adcode"] = ["350602", "350603", "350604", CITY_ADCODE]
    counts = planning.allocate_sites(table, 25)
    assert counts.sum() == 25
    # 10 -> 30 takes 20 sites, then the two lowest alternate: 33, 32 (ties go to the lower adcode)
    assert counts.to_dict() == {"350602": 23, "350603": 2, "350604": 0}


def test_allocate_counts_population() -> None:
    table = _table({"350602": 100, "350603": 100}, {"350602": 1_000_000, "350603": 10_000})
    counts = planning.allocate_sites(table, 10)
    assert counts["350602"] == 10  # 1 per 10,000 vs 100 per 10,000


def test_allocate_by_gap_then_density() -> None:
    table = _table(
        {"350602": 100, "350603": 10},
        {"350602": 100_000, "350603": 100_000},
        target_sites={"350602": 150, "350603": 20},
    )
    counts = planning.allocate_sites(table, 60, by="gap")
    # gaps 50 and 10: the first 40 sites close the larger gap down to 10, then they alternate;
    # once both gaps are closed the lower density (350603) takes the rest
    assert counts.sum() == 60
    assert counts["350602"] == 50
    assert counts["350603"] == 10
    more = planning.allocate_sites(table, 61, by="gap")
    assert more["350603"] == 11


def test_allocate_gap_needs_a_target() -> None:
    table = _table({"350602": 1, "350603": 2}, {"350602": 10, "350603": 10})
    with pytest.raises(ZzgeoError, match="no target"):
        planning.allocate_sites(table, 3, by="gap")


def test_allocate_rejects_bad_input() -> None:
    table = _table({"350602": 1}, {"350602": 10})
    with pytest.raises(UnknownKeyError, match="sites_per_10k"):
        planning.allocate_sites(table, 3, by="nearest")
    with pytest.raises(ZzgeoError, match="0 or more"):
        planning.allocate_sites(table, -1)
    assert planning.allocate_sites(table, 0).sum() == 0


# --------------------------------------------------------------------------- placement


def test_place_sites_inside_the_right_district_and_on_land(districts: gpd.GeoDataFrame, land: gpd.GeoDataFrame) -> None:
    placed = planning.place_sites({PINGHE: 12, HUAAN: 3}, districts, land, seed=1)
    assert len(placed) == 15
    assigned = assign_districts(placed.geometry.x, placed.geometry.y, districts)
    assert list(assigned) == list(placed[ASSIGNED_COLUMN])
    assert (placed[ASSIGNED_COLUMN] == PINGHE).sum() == 12
    land_union = shapely.union_all(land.geometry.to_numpy())
    assert shapely.contains_xy(land_union, placed.geometry.x, placed.geometry.y).all()


def test_place_sites_is_reproducible(districts: gpd.GeoDataFrame, land: gpd.GeoDataFrame) -> None:
    a = planning.place_sites({PINGHE: 5}, districts, land, seed=3)
    b = planning.place_sites({PINGHE: 5}, districts, land, seed=3)
    c = planning.place_sites({PINGHE: 5}, districts, land, seed=4)
    assert a.geometry.equals(b.geometry)
    assert not a.geometry.equals(c.geometry)


def test_place_sites_keeps_away_from_existing(
    districts: gpd.GeoDataFrame, land: gpd.GeoDataFrame, layer: gpd.GeoDataFrame
) -> None:
    placed = planning.place_sites({XIANGCHENG: 5}, districts, land, existing=layer, seed=2, spacing_km=1.0)
    xy = np.column_stack([layer.geometry.x, layer.geometry.y])
    for point in placed.geometry:
        d_km = np.hypot((xy[:, 0] - point.x) * np.cos(np.radians(point.y)), xy[:, 1] - point.y).min() * 111.32
        assert d_km > 0.3


def test_place_sites_unknown_district(districts: gpd.GeoDataFrame, land: gpd.GeoDataFrame) -> None:
    with pytest.raises(UnknownKeyError, match="350602"):
        planning.place_sites({"110101": 1}, districts, land)


# --------------------------------------------------------------------------- proposals


def test_make_proposals_columns_ids_and_districts(districts: gpd.GeoDataFrame) -> None:
    props = planning.make_proposals([117.31, 130.0], [24.36, 40.0], year=2025, start=7, districts=districts)
    spec = get_spec("5g_sites")
    for col in spec.required:
        assert col in props.columns
    assert list(props["site_id"]) == ["PROP-0007", "PROP-0008"]
    assert (props["status"] == "planned").all()
    assert props["proposed"].all()
    assert props[ASSIGNED_COLUMN].iloc[0] == PINGHE
    assert pd.isna(props[ASSIGNED_COLUMN].iloc[1])  # outside Zhangzhou
    assert props.crs.equals("EPSG:4326")
    assert not [p for p in check_layer(props, "5g_sites") if p.severity == "error"]


def test_make_proposals_rejects_unknown_operator() -> None:
    with pytest.raises(UnknownKeyError, match="China Mobile"):
        planning.make_proposals([117.3], [24.3], year=2025, operator="Acme")


def test_empty_proposals_has_the_columns() -> None:
    empty = planning.empty_proposals()
    assert len(empty) == 0
    assert {"site_id", "operator", "status", "year_in_service", "proposed", ASSIGNED_COLUMN} <= set(empty.columns)


def test_suggest_sites_fills_the_most_underserved(
    districts: gpd.GeoDataFrame, land: gpd.GeoDataFrame, population: pd.DataFrame, layer: gpd.GeoDataFrame
) -> None:
    table = compute_indicators(layer, districts, population, year=2025)
    lowest = table.iloc[:-1].sort_values("sites_per_10k").iloc[0]["adcode"]
    props = planning.suggest_sites(table, 5, districts=districts, land=land, existing=layer, seed=0)
    assert len(props) == 5
    assert lowest in set(props[ASSIGNED_COLUMN])
    wanted = planning.allocate_sites(table, 5)
    assert props[ASSIGNED_COLUMN].value_counts().to_dict() == wanted[wanted > 0].to_dict()
    assert (props["year_in_service"] == 2025).all()
    assert list(props["site_id"]) == [f"PROP-{i:04d}" for i in range(1, 6)]


def test_indicators_with_proposals_adds_them(
    districts: gpd.GeoDataFrame, population: pd.DataFrame, layer: gpd.GeoDataFrame
) -> None:
    before = compute_indicators(layer, districts, population, year=2025, operators=["China Mobile"])
    props = planning.make_proposals([117.31, 117.30, 130.0], [24.36, 24.35, 40.0], year=2030, districts=districts)
    snapshot = layer.copy()
    after = planning.indicators_with_proposals(
        layer, props, districts, population, year=2025, operators=["China Mobile"]
    )
    pd.testing.assert_frame_equal(layer, snapshot)  # input unchanged
    diff = after.set_index("adcode")["sites"] - before.set_index("adcode")["sites"]
    assert diff[PINGHE] == 2  # counted whatever their operator or year
    assert diff[CITY_ADCODE] == 2
    assert diff.drop([PINGHE, CITY_ADCODE]).eq(0).all()
    assert after.set_index("adcode").loc[PINGHE, "proposed_sites"] == 2
    assert after.attrs["proposed_outside"] == 1
    pinghe = after.set_index("adcode").loc[PINGHE]
    assert pinghe["sites_per_10k"] == pytest.approx(pinghe["sites"] / pinghe["population"] * 10_000)


def test_indicators_without_proposals_equal_compute_indicators(
    districts: gpd.GeoDataFrame, population: pd.DataFrame, layer: gpd.GeoDataFrame
) -> None:
    plain = compute_indicators(layer, districts, population, year=2025)
    same = planning.indicators_with_proposals(layer, planning.empty_proposals(), districts, population, year=2025)
    pd.testing.assert_frame_equal(same.drop(columns="proposed_sites"), plain)


def test_proposal_effect(districts: gpd.GeoDataFrame, population: pd.DataFrame, layer: gpd.GeoDataFrame) -> None:
    before = compute_indicators(layer, districts, population, year=2025)
    props = planning.make_proposals([117.31], [24.36], year=2025, districts=districts)
    after = planning.indicators_with_proposals(layer, props, districts, population, year=2025)
    effect = planning.proposal_effect(before, after).set_index("adcode")
    assert effect.loc[PINGHE, "added"] == 1
    assert effect.loc[PINGHE, "per_10k_after"] > effect.loc[PINGHE, "per_10k_before"]
    assert effect.loc[CITY_ADCODE, "added"] == 1


def test_accept_proposals_makes_them_real(layer: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> None:
    props = planning.make_proposals([117.31], [24.36], year=2025, districts=districts)
    merged = planning.accept_proposals(layer, props)
    assert len(merged) == len(layer) + 1
    assert not merged["proposed"].any()
    assert merged["site_id"].iloc[-1] == "PROP-0001"
    assert "proposed" not in layer.columns


def test_proposals_round_trip_through_geojson(districts: gpd.GeoDataFrame) -> None:
    props = planning.make_proposals([117.31, 117.53], [24.36, 25.0], year=2024, operator="China Unicom")
    features = json.loads(geojson_text(props))["features"]
    features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}})
    features.append({"type": "Feature", "geometry": None, "properties": {}})
    back = planning.proposals_from_features(features, districts)
    assert list(back["site_id"]) == list(props["site_id"])
    assert list(back["operator"]) == ["China Unicom", "China Unicom"]
    assert list(back["year_in_service"]) == [2024, 2024]
    assert list(back[ASSIGNED_COLUMN]) == list(props[ASSIGNED_COLUMN])
    assert len(planning.proposals_from_features([], districts)) == 0


def test_next_proposal_number() -> None:
    a = planning.make_proposals([117.31, 117.3], [24.36, 24.3], year=2025, start=4)
    assert planning.next_proposal_number(a) == 6
    assert planning.next_proposal_number(None, planning.empty_proposals()) == 1


# --------------------------------------------------------------------------- area layers


@pytest.fixture(scope="module")
def grid_areas(city_grid: gpd.GeoDataFrame, population: pd.DataFrame) -> gpd.GeoDataFrame:
    from zzgeo.areas import prepare_areas

    return prepare_areas(city_grid[["name", "geometry"]], population)


def test_suggest_sites_for_the_most_underserved_areas(
    districts: gpd.GeoDataFrame,
    land: gpd.GeoDataFrame,
    population: pd.DataFrame,
    layer: gpd.GeoDataFrame,
    grid_areas: gpd.GeoDataFrame,
) -> None:
    table = compute_indicators(layer, districts, population, year=2025, areas=grid_areas)
    props = planning.suggest_sites(table, 12, districts=districts, land=land, existing=layer, seed=1, areas=grid_areas)
    assert len(props) == 12
    wanted = planning.allocate_sites(table, 12)
    joined = gpd.sjoin(props, grid_areas[["adcode", "geometry"]], predicate="within")
    assert joined.index.is_unique
    assert joined["adcode"].value_counts().sort_index().to_dict() == wanted[wanted > 0].to_dict()
    lowest = table.iloc[:-1].sort_values("sites_per_10k").iloc[0]["adcode"]
    assert lowest in set(joined["adcode"])
    on_land = shapely.union_all(land.geometry.to_numpy())
    assert shapely.contains_xy(on_land, props.geometry.x, props.geometry.y).all()
    # proposals keep their district
    assert list(props[ASSIGNED_COLUMN]) == list(assign_districts(props.geometry.x, props.geometry.y, districts))
    after = planning.indicators_with_proposals(layer, props, districts, population, year=2025, areas=grid_areas)
    before = table.set_index("adcode")["sites"]
    diff = after.set_index("adcode")["sites"] - before
    assert diff.drop(CITY_ADCODE).to_dict() == wanted.reindex(before.index.drop(CITY_ADCODE), fill_value=0).to_dict()
    assert diff[CITY_ADCODE] == 12
    assert after.set_index("adcode")["proposed_sites"].drop(CITY_ADCODE).sum() == 12
    assert after.attrs["proposed_unassigned"] == 0
    assert after.attrs["proposed_outside"] == 0


def test_areas_without_residents_get_no_suggestion(
    districts: gpd.GeoDataFrame, land: gpd.GeoDataFrame, population: pd.DataFrame, grid_areas: gpd.GeoDataFrame
) -> None:
    areas = grid_areas.copy()
    areas["population"] = 0
    areas.loc[3, "population"] = 50_000
    empty = planning.empty_proposals()
    table = planning.indicators_with_proposals(empty, None, districts, population, year=2025, areas=areas)
    assert table.attrs["proposed_unassigned"] == 0
    props = planning.suggest_sites(table, 4, districts=districts, land=land, areas=areas)
    joined = gpd.sjoin(props, areas[["adcode", "geometry"]], predicate="within")
    assert set(joined["adcode"]) == {areas.loc[3, "adcode"]}
    areas["population"] = 0
    table = compute_indicators(empty, districts, population, year=2025, areas=areas)
    with pytest.raises(ZzgeoError, match="no area has residents"):
        planning.suggest_sites(table, 4, districts=districts, land=land, areas=areas)


def test_proposals_outside_every_area_are_counted(
    districts: gpd.GeoDataFrame, population: pd.DataFrame, layer: gpd.GeoDataFrame, grid_areas: gpd.GeoDataFrame
) -> None:
    first = grid_areas.geometry.iloc[0].representative_point()
    props = planning.make_proposals([first.x, 130.0], [first.y, 40.0], year=2025, districts=districts)
    part = grid_areas.iloc[:5]
    after = planning.indicators_with_proposals(layer, props, districts, population, year=2025, areas=part)
    assert after.set_index("adcode").loc[part["adcode"].iloc[0], "proposed_sites"] == 1
    assert after.attrs["proposed_unassigned"] == 1
    assert after.attrs["proposed_outside"] == 1
