"""zzgeo.areas: prepared area layers, the population estimate, loading, display geometry.

The estimate is checked against an independent computation: geopandas overlays in UTM
50N (not zzgeo's equal-area projection, so projection and overlay code are both
independent), with a tolerance for UTM's area scale (< 0.2% over Zhangzhou).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import box

from zzgeo.areas import (
    ESTIMATED,
    PREPARED_COLUMNS,
    area_bounds,
    area_layers,
    display_areas,
    estimate_population,
    estimate_rule,
    load_areas,
    population_status_label,
    prepare_areas,
)
from zzgeo.districts import load_districts, load_land, load_population
from zzgeo.errors import UnknownKeyError, ValidationError, ZzgeoError
from zzgeo.imports import import_file
from zzgeo.workspace import Workspace

UTM = "EPSG:32650"


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return load_population()


@pytest.fixture(scope="module")
def district_land() -> gpd.GeoDataFrame:
    """Each district's land (district ∩ Tianditu land outlines), in UTM, computed here."""
    districts = load_districts("full")
    land = shapely.union_all(load_land().geometry.to_numpy())
    out = districts[["adcode"]].copy()
    return gpd.GeoDataFrame(
        out, geometry=shapely.intersection(districts.geometry.to_numpy(), land), crs="EPSG:4326"
    ).to_crs(UTM)


def _independent_estimate(areas: gpd.GeoDataFrame, land: gpd.GeoDataFrame, population: pd.DataFrame) -> pd.Series:
    pop = population.set_index("adcode")["population"]
    density = pop / land.set_index("adcode").area  # residents per m² of land
    pieces = gpd.overlay(areas[["name", "geometry"]].to_crs(UTM), land, how="intersection", keep_geom_type=True)
    pieces["residents"] = pieces.area * pieces["adcode"].map(density)
    return pieces.groupby("name")["residents"].sum().reindex(areas["name"]).fillna(0.0)


def test_estimate_spreads_each_district_over_its_land(
    district_grid: gpd.GeoDataFrame, district_land: gpd.GeoDataFrame, population: pd.DataFrame
) -> None:
    est = estimate_population(district_grid.geometry, population)
    pop = population.set_index("adcode")["population"]
    # areas nested in districts: each district's areas hold its residents (to a resident: borders that
    # coincide in lon/lat are a few nanometres apart once projected)
    per_district = est.groupby(district_grid["district"])["population_estimate"].sum()
    assert per_district.to_numpy() == pytest.approx(pop.reindex(per_district.index).to_numpy(), rel=1e-6)
    assert (est["district_adcode"] == district_grid["district"]).all()
    assert est["district_share"].to_numpy() == pytest.approx(1.0, abs=1e-4)
    ref = _independent_estimate(district_grid, district_land, population)
    assert est["population_estimate"].to_numpy() == pytest.approx(ref.to_numpy(), rel=2e-3, abs=1.0)


def test_estimate_of_part_of_the_city(
    city_grid: gpd.GeoDataFrame, district_land: gpd.GeoDataFrame, population: pd.DataFrame
) -> None:
    part = city_grid.iloc[::3].reset_index(drop=True)  # a third of the grid: areas straddling districts
    est = estimate_population(part.geometry, population)
    ref = _independent_estimate(part, district_land, population)
    assert est["population_estimate"].to_numpy() == pytest.approx(ref.to_numpy(), rel=2e-3, abs=1.0)
    # the sum is each district's population times the share of its land the areas cover
    covered = gpd.overlay(
        part[["name", "geometry"]].to_crs(UTM), district_land, how="intersection", keep_geom_type=True
    )
    share = covered.area.groupby(covered["adcode"]).sum() / district_land.set_index("adcode").area
    pop = population.set_index("adcode")["population"]
    expected = float((pop * share.reindex(pop.index).fillna(0)).sum())
    assert est["population_estimate"].sum() == pytest.approx(expected, rel=2e-3)
    land_km2 = covered.area.groupby(covered["name"]).sum().reindex(part["name"]).fillna(0) / 1e6
    assert est["land_area_km2"].to_numpy() == pytest.approx(land_km2.to_numpy(), rel=2e-3, abs=1e-3)


def test_land_and_area_sizes(population: pd.DataFrame) -> None:
    on_land = box(117.64, 24.50, 117.66, 24.52)  # central Xiangcheng
    at_sea = box(117.95, 23.95, 117.97, 23.97)  # the Taiwan Strait, inside no district
    est = estimate_population(gpd.GeoSeries([on_land, at_sea], crs="EPSG:4326"), population)
    geodesic = abs(Geod(ellps="WGS84").geometry_area_perimeter(on_land)[0]) / 1e6
    assert est["area_km2"].iloc[0] == pytest.approx(geodesic, rel=1e-6)
    assert est["land_area_km2"].iloc[0] == pytest.approx(geodesic, rel=1e-6)
    xiangcheng = est["population_estimate"].iloc[0] / geodesic
    land = load_districts("full").set_index("adcode").loc["350602", "land_area_km2"]
    assert xiangcheng == pytest.approx(638_060 / land, rel=0.02)  # the district's density
    assert est["population_estimate"].iloc[1] == 0
    assert est["land_area_km2"].iloc[1] == 0
    assert pd.isna(est["district_adcode"].iloc[1])


def test_prepare_keys_names_and_population(city_grid: gpd.GeoDataFrame, population: pd.DataFrame) -> None:
    layer = city_grid[["name", "geometry"]].copy()
    layer["code"] = [f"Z{i}" for i in range(len(layer))]
    layer["name_en"] = [None, "Grid one", *([None] * (len(layer) - 2))]
    layer["population"] = pd.array([12_345, *([None] * (len(layer) - 1))], dtype="Int64")
    layer["population_year"] = pd.array([2023, *([None] * (len(layer) - 1))], dtype="Int64")
    areas = prepare_areas(layer, population, title="grid.csv")
    assert list(areas.columns) == [*PREPARED_COLUMNS, "geometry"]
    assert list(areas["adcode"]) == list(layer["code"])  # unique codes are the keys
    assert areas["name_en"].iloc[1] == "Grid one"
    assert areas["name_en"].iloc[2] == layer["name"].iloc[2]
    first = areas.iloc[0]
    assert (first["population"], first["population_year"], first["population_status"]) == (
        12_345,
        2023,
        "user-supplied",
    )
    rest = areas.iloc[1:]
    assert (rest["population_status"] == ESTIMATED).all()
    assert (rest["population_year"] == 2020).all()
    assert (rest["population"] == np.round(rest["population_estimate"]).astype("int64")).all()
    assert areas.attrs == {"title": "grid.csv", "estimated": len(layer) - 1, "estimate_year": 2020}
    # the grid tiles the city: the estimates add up to the city's population
    assert areas["population_estimate"].sum() == pytest.approx(population["population"].sum(), rel=1e-6)
    assert (areas.geom_type == "MultiPolygon").all()


def test_keys_fall_back_to_row_numbers(city_grid: gpd.GeoDataFrame) -> None:
    layer = city_grid[["name", "geometry"]].iloc[:3].copy()
    layer["code"] = ["350600", "b", "c"]  # the city's key may not be an area's
    assert list(prepare_areas(layer)["adcode"]) == ["A001", "A002", "A003"]
    layer["code"] = ["a", "a", "c"]
    assert list(prepare_areas(layer)["adcode"]) == ["A001", "A002", "A003"]
    layer["area_id"] = ["x", "y", "z"]
    assert list(prepare_areas(layer)["adcode"]) == ["x", "y", "z"]
    many = pd.concat([city_grid[["name", "geometry"]]] * 25, ignore_index=True)  # 1,175 areas
    assert prepare_areas(gpd.GeoDataFrame(many, crs="EPSG:4326"))["adcode"].iloc[-1] == f"A{len(many):04d}"


def test_prepare_refuses_what_is_not_an_area_layer(city_grid: gpd.GeoDataFrame) -> None:
    with pytest.raises(ZzgeoError, match="no areas"):
        prepare_areas(city_grid.iloc[0:0])
    with pytest.raises(ZzgeoError, match="'name'"):
        prepare_areas(city_grid[["geometry"]])
    points = gpd.GeoDataFrame({"name": ["p"]}, geometry=[shapely.Point(117.6, 24.5)], crs="EPSG:4326")
    with pytest.raises(ZzgeoError, match="polygons"):
        prepare_areas(points)
    projected = prepare_areas(city_grid.iloc[:2].to_crs(UTM))
    assert projected.crs.equals("EPSG:4326")


def test_load_from_a_file_and_from_the_workspace(city_grid: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = tmp_path / "grid.geojson"
    city_grid[["name", "geometry"]].to_file(path, driver="GeoJSON")
    ws = Workspace(tmp_path / "ws.gpkg")
    from_file = load_areas(path, workspace=ws)
    assert from_file.attrs["title"] == "grid.geojson"
    assert area_layers(ws).empty
    entry = ws.add(import_file(path, "areas"))
    assert list(area_layers(ws)["id"]) == [entry]
    stored = ws.load(entry)
    assert (stored.geom_type == "MultiPolygon").all()
    assert list(stored["name"]) == list(city_grid["name"])
    from_ws = load_areas(entry, workspace=ws)
    assert from_ws.attrs["title"] == "grid.geojson"
    pd.testing.assert_frame_equal(
        pd.DataFrame(from_ws.drop(columns="geometry")), pd.DataFrame(from_file.drop(columns="geometry"))
    )
    assert float(np.max(shapely.hausdorff_distance(from_ws.geometry.to_numpy(), from_file.geometry.to_numpy()))) < 1e-12
    with pytest.raises(UnknownKeyError) as exc:
        load_areas("nope", workspace=ws)
    assert exc.value.valid == (entry,)
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"name": ["x"], "wkt": ["POLYGON ((1 2"]}).to_csv(bad, index=False)
    with pytest.raises(ValidationError, match="not a WKT"):
        load_areas(bad, workspace=ws)


def test_display_geometry_and_bounds(city_grid: gpd.GeoDataFrame, district_grid: gpd.GeoDataFrame) -> None:
    for layer in (city_grid, district_grid):
        areas = prepare_areas(layer[["name", "geometry"]])
        shown = display_areas(areas)
        assert list(shown.columns) == ["adcode", "name_zh", "name_en", "population_status", "geometry"]
        assert list(shown["adcode"]) == list(areas["adcode"])
        full = shapely.get_num_coordinates(areas.geometry.to_numpy()).sum()
        assert shapely.get_num_coordinates(shown.geometry.to_numpy()).sum() < full
        assert shapely.coverage_is_valid(shown.geometry.to_numpy())  # neighbours still share their borders
        assert float(np.max(shapely.hausdorff_distance(shown.geometry.to_numpy(), areas.geometry.to_numpy()))) < 0.002
    bounds = area_bounds(areas)
    assert list(bounds) == list(areas["adcode"])
    for key, geom in zip(areas["adcode"], areas.geometry, strict=True):
        (south, west), (north, east) = bounds[key]
        assert box(west, south, east, north).covers(geom)
        assert (west, south, east, north) == pytest.approx(geom.bounds)


def test_overlapping_layers_are_simplified_one_by_one() -> None:
    layer = gpd.GeoDataFrame(
        {"name": ["a", "b"]},
        geometry=[shapely.Point(117.65, 24.51).buffer(0.01), shapely.Point(117.66, 24.51).buffer(0.01)],
        crs="EPSG:4326",
    )
    shown = display_areas(prepare_areas(layer))
    assert shown.geometry.is_valid.all()
    assert len(shown) == 2


def test_labels_and_the_rule() -> None:
    assert population_status_label("estimated", "zh") == "估算"
    assert population_status_label("estimated", "en") == "estimated"
    assert population_status_label("published", "zh") == "公开数据"
    assert population_status_label("something else", "en") == "something else"
    assert population_status_label(None, "en") == "unknown source"
    rule = estimate_rule(2020)
    assert "2020" in rule.en
    assert "spread evenly" in rule.en
    assert "not a published figure" in rule.en
    assert "2020" in rule.zh
    assert "估算" in rule.zh


def test_the_illustrative_zones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    here = Path(__file__).parent / "data" / "areas"
    spec = importlib.util.spec_from_file_location("make_zones", here / "make_zones.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    path = here / module.OUT
    assert (tmp_path / module.OUT).read_bytes() == path.read_bytes(), "regenerate: tests/data/areas/make_zones.py"
    assert path.stat().st_size < 50_000
    result = import_file(path, "areas")
    assert not result.errors
    estimated, cover = sorted(p.message.en for p in result.warnings)  # and no overlap, gap or code warning
    assert estimated.startswith("7 area(s) have no population figure")
    assert cover.startswith("the areas cover 784 km² (6.2%) of Zhangzhou's")
    layer = result.layer
    assert layer["synthetic"].all()
    assert layer["source"].str.contains("not real township or planning boundaries").all()
    assert layer["name"].str.endswith("（示意）").all()
    assert layer["name_en"].str.endswith("(illustrative)").all()
    areas = prepare_areas(layer)
    assert list(areas["adcode"]) == [f"ZZ-0{i}" for i in range(1, 8)]
    assert set(areas["population_status"]) == {ESTIMATED}
    assert list(areas["district_adcode"][:3]) == ["350602"] * 3


def test_an_areas_import_as_a_job_gives_the_same_result_as_import_file(
    city_grid: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    from zzgeo.jobs import JobManager

    # A table of areas (WKT): a repaired polygon, a rejected row, set-wide warnings (overlaps, outside, estimates).
    rows = [{"区域名称": n, "wkt": g.wkt} for n, g in zip(city_grid["name"], city_grid.geometry, strict=True)]
    rows += [
        {"区域名称": "重叠区", "wkt": city_grid.geometry.iloc[0].centroid.buffer(0.02).wkt},
        {
            "区域名称": "蝴蝶区",
            "wkt": "POLYGON ((117.60 24.40, 117.62 24.42, 117.62 24.40, 117.60 24.42, 117.60 24.40))",
        },
        {"区域名称": "坏区", "wkt": "POLYGON ((117.6 24.5"},
    ]
    path = tmp_path / "我的区域.csv"
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8")
    manager = JobManager(tmp_path / "jobs")
    token = manager.start(path, "areas", user="planner", name="区域.csv")
    status = manager.wait(token, timeout=120)
    assert status.state == "done", status.error
    assert (status.rows, status.rows_total) == (len(rows), len(rows))
    job = JobManager(tmp_path / "jobs").result(token)  # another worker loads it by its token
    direct = import_file(path, "areas", name="区域.csv")
    assert direct.errors
    assert any("overlaps" in p.message.en for p in direct.warnings)
    assert job.problems == direct.problems
    assert job.report_lines() == direct.report_lines()
    assert list(job.layer.dtypes.astype(str)) == list(direct.layer.dtypes.astype(str))
    assert (job.layer.geom_type == "MultiPolygon").all()
    assert job.layer.geometry.geom_equals_exact(direct.layer.geometry, tolerance=0).all()
    assert job.rejected.astype(str).equals(direct.rejected.astype(str))
    # ... and it makes the same area level.
    a, b = prepare_areas(job.layer, title=job.file), prepare_areas(direct.layer, title=direct.file)
    pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry")))
