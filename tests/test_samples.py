"""The shipped synthetic sample layers in layers/ (built by layers/build_samples.py)."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest

from zzgeo.districts import load_districts, load_population
from zzgeo.layers import LAYER_KINDS, load_layer

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ROOT / "layers"
KINDS = ("5g_sites", "data_centers", "smart_projects")
EXTRA_COLUMNS: dict[str, set[str]] = {"5g_sites": set(), "data_centers": set(), "smart_projects": set()}
JSON_TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (float, int), "bool": (bool,)}
PLAUSIBLE_BANDS = {
    "China Mobile": {"n41", "n79", "n28"},
    "China Telecom": {"n78", "n1"},
    "China Unicom": {"n78", "n1"},
    "China Broadnet": {"n28", "n78"},
}


@pytest.fixture(scope="module")
def raw() -> dict[str, dict[str, Any]]:
    return {kind: json.loads((LAYERS / f"{kind}.geojson").read_text(encoding="utf-8")) for kind in KINDS}


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    return {kind: load_layer(kind, LAYERS / f"{kind}.geojson") for kind in KINDS}


@pytest.fixture(scope="module")
def population() -> pd.Series:
    census = load_population(ROOT / "geodata" / "population_2020.csv")
    return census.set_index("adcode")["population"]


@pytest.fixture(scope="module")
def sites_by_district(layers: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    districts = load_districts("full")[["adcode", "geometry"]]
    return gpd.sjoin(layers["5g_sites"], districts, predicate="within", how="left")


@pytest.fixture(scope="module")
def density(sites_by_district: gpd.GeoDataFrame, population: pd.Series) -> pd.DataFrame:
    """Cumulative in-service sites per 10,000 residents: districts (+ "city") x years."""
    live = sites_by_district[sites_by_district["status"] == "in_service"]
    new = live.groupby(["adcode", "year_in_service"]).size().unstack(fill_value=0)
    cum = new.reindex(index=population.index, columns=range(2019, 2026), fill_value=0).cumsum(axis=1)
    table = cum.div(population / 1e4, axis=0)
    table.loc["city"] = cum.sum() / (population.sum() / 1e4)
    return table


def plan_task_keys() -> list[str]:
    with (ROOT / "geodata" / "plan_tasks.csv").open(encoding="utf-8") as fh:
        return [row["key"] for row in csv.DictReader(fh)]


# ---------------------------------------------------------------------------- all layers


@pytest.mark.parametrize("kind", KINDS)
def test_every_feature_is_synthetic_and_says_so(raw: dict[str, dict[str, Any]], kind: str) -> None:
    features = raw[kind]["features"]
    assert features
    for feature in features:
        props = feature["properties"]
        assert props["synthetic"] is True
        assert "synthetic" in props["source"]
        if kind != "5g_sites":
            assert "illustrative" in props["source"]


@pytest.mark.parametrize("kind", KINDS)
def test_properties_obey_the_spec(raw: dict[str, dict[str, Any]], kind: str) -> None:
    spec = LAYER_KINDS[kind]
    expected = {c.name for c in spec.columns} | EXTRA_COLUMNS[kind]
    for i, feature in enumerate(raw[kind]["features"]):
        props = feature["properties"]
        assert set(props) == expected, f"feature {i}"
        assert feature["geometry"]["type"] == spec.geometry_type
        lon, lat = feature["geometry"]["coordinates"]
        assert 116.8 < lon < 118.5, f"feature {i}: lon {lon}"
        assert 23.4 < lat < 25.4, f"feature {i}: lat {lat}"
        for col in spec.columns:
            value = props[col.name]
            assert value is not None, f"feature {i}, {col.name}"
            assert isinstance(value, JSON_TYPES[col.dtype]), f"feature {i}, {col.name}: {value!r}"
            if col.dtype in ("int", "float"):
                assert not isinstance(value, bool)
            if col.allowed:
                assert value in col.allowed, f"feature {i}, {col.name}: {value!r}"
            if col.min is not None:
                assert value >= col.min, f"feature {i}, {col.name}: {value!r}"
            if col.max is not None:
                assert value <= col.max, f"feature {i}, {col.name}: {value!r}"


@pytest.mark.parametrize("kind", KINDS)
def test_loaded_layer_has_unique_ids_and_typed_columns(layers: dict[str, gpd.GeoDataFrame], kind: str) -> None:
    gdf = layers[kind]
    spec = LAYER_KINDS[kind]
    assert gdf.crs.equals("EPSG:4326")
    assert gdf[spec.id_column].is_unique
    assert str(gdf[spec.year_column].dtype) == "Int64"
    for name in spec.required:
        assert gdf[name].notna().all(), name


@pytest.mark.parametrize("kind", ["data_centers", "smart_projects"])
def test_point_layers_fall_inside_the_districts(layers: dict[str, gpd.GeoDataFrame], kind: str) -> None:
    joined = gpd.sjoin(layers[kind], load_districts("full")[["adcode", "geometry"]], predicate="within")
    assert joined.index.is_unique
    assert len(joined) == len(layers[kind])


# ---------------------------------------------------------------------------- 5G sites


def test_site_ids_are_unique_and_well_formed(layers: dict[str, gpd.GeoDataFrame]) -> None:
    ids = layers["5g_sites"]["site_id"]
    assert ids.is_unique
    assert ids.map(lambda s: re.fullmatch(r"SYN-5G-\d{6}", s) is not None).all()
    assert 15_000 <= len(ids) <= 16_000


def test_every_site_is_within_exactly_one_district(
    layers: dict[str, gpd.GeoDataFrame], sites_by_district: gpd.GeoDataFrame
) -> None:
    assert len(sites_by_district) == len(layers["5g_sites"])  # no site in two districts
    assert sites_by_district["adcode"].notna().all()
    assert sites_by_district["adcode"].nunique() == 11


def test_city_wide_density_follows_the_plan(density: pd.DataFrame) -> None:
    city = density.loc["city"]
    assert 29 <= city[2025] <= 31
    assert 17 <= city[2023] <= 23
    assert city.is_monotonic_increasing
    assert city[2019] < 2


def test_districts_differ_plausibly(density: pd.DataFrame) -> None:
    final = density.drop(index="city")[2025]
    assert (final < 25).sum() >= 2
    assert (final > 35).sum() >= 2
    assert final[["350602", "350603"]].min() > final[["350627", "350628", "350629"]].max()
    assert final["350628"] < 20  # Pinghe: clearly underserved


def test_status_and_year_agree(layers: dict[str, gpd.GeoDataFrame]) -> None:
    sites = layers["5g_sites"]
    by_status = sites.groupby("status")["year_in_service"]
    assert by_status.min()["in_service"] == 2019
    assert by_status.max()["in_service"] == 2025
    assert set(sites.loc[sites["status"] == "under_construction", "year_in_service"]) == {2026}
    assert set(sites.loc[sites["status"] == "planned", "year_in_service"]) <= {2026, 2027}
    pipeline = (sites["status"] != "in_service").sum()
    assert 100 <= pipeline <= 1000


def test_operators_and_bands_are_plausible(layers: dict[str, gpd.GeoDataFrame]) -> None:
    sites = layers["5g_sites"]
    shares = sites["operator"].value_counts(normalize=True)
    expected = {"China Mobile": 0.45, "China Telecom": 0.27, "China Unicom": 0.23, "China Broadnet": 0.05}
    for operator, share in expected.items():
        assert shares[operator] == pytest.approx(share, abs=0.02), operator
    for operator, bands in PLAUSIBLE_BANDS.items():
        assert set(sites.loc[sites["operator"] == operator, "band"]) <= bands, operator
    main_band = sites.groupby("operator")["band"].agg(lambda b: b.value_counts().index[0])
    assert main_band["China Mobile"] == "n41"
    assert main_band["China Telecom"] == main_band["China Unicom"] == "n78"


def test_sites_cluster_near_the_county_seats(layers: dict[str, gpd.GeoDataFrame]) -> None:
    # Xiangcheng's seat: many more sites within 5 km than a uniform spread would put there.
    sites = layers["5g_sites"].to_crs("EPSG:32650")
    seat = gpd.GeoSeries.from_xy([117.650], [24.513], crs="EPSG:4326").to_crs("EPSG:32650").iloc[0]
    near = (sites.distance(seat) < 5_000).sum()
    assert near > 0.08 * len(sites)  # the 5 km disc is ~0.6% of the city's land


# ---------------------------------------------------------------------------- named projects


def test_named_data_centers_present(layers: dict[str, gpd.GeoDataFrame]) -> None:
    centers = layers["data_centers"]
    names = set(centers["name"])
    assert {"漳州云计算中心", "“海上漳州”大数据中心"} <= names
    assert "Zhangzhou Cloud Computing Center" in set(centers["name_en"])
    generic = [n for n in names if n.startswith("样例数据中心")]
    assert 6 <= len(generic) <= 10
    assert all("(合成)" in n for n in generic)
    assert centers["pue"].between(1.1, 2.0).all()
    assert (centers["power_mw"] > 0).all()
    assert (centers["racks"] > 0).all()


def test_named_smart_projects_present(layers: dict[str, gpd.GeoDataFrame]) -> None:
    projects = layers["smart_projects"].set_index("name")
    assert projects.loc["工业大脑", "plan_task"] == "industrial_internet"
    assert projects.loc["工业互联网数字技术公共服务平台", "plan_task"] in {
        "industrial_internet",
        "digital_public_service",
    }


def test_smart_projects_cover_all_tasks_and_districts(layers: dict[str, gpd.GeoDataFrame]) -> None:
    projects = layers["smart_projects"]
    assert 60 <= len(projects) <= 90
    assert set(projects["plan_task"]) == set(plan_task_keys())
    assert projects["year"].between(2023, 2025).all()
    assert (projects["budget"] > 0).all()
    joined = gpd.sjoin(projects, load_districts("full")[["adcode", "geometry"]], predicate="within")
    assert joined["adcode"].nunique() == 11
    generic = projects[~projects["name"].isin(["工业大脑", "工业互联网数字技术公共服务平台"])]
    assert generic["name"].str.fullmatch(r".+项目 \d+ \(样例\)").all()


# ---------------------------------------------------------------------------- reproducibility


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(LAYERS / "build_samples.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "city" in result.stdout
    for kind in KINDS:
        built = (tmp_path / f"{kind}.geojson").read_bytes()
        assert built == (LAYERS / f"{kind}.geojson").read_bytes(), f"{kind}: rerun make samples"
