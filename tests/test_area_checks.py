"""Area layers at import: every format, coordinates, and the checks of the set (zzgeo.area_checks).

Sizes in the messages are checked against geodesic areas (pyproj.Geod on the WGS-84
ellipsoid), computed here independently of zzgeo's equal-area projection.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import box

from zzgeo.crs import wgs84_to_gcj02
from zzgeo.districts import load_districts
from zzgeo.errors import DataError, Problem
from zzgeo.imports import ImportResult, import_file

CJK = re.compile(r"[\u4e00-\u9fff]")
GEOD = Geod(ellps="WGS84")
S = 0.01  # tile size, degrees (~1 km)
X0, Y0 = 117.64, 24.50  # central Xiangcheng


def _km2(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def _number(message: str, before: str) -> float:
    """The number just before ``before`` in ``message`` ("by 0.22 km²" -> 0.22)."""
    match = re.search(r"([\d,.]+) " + re.escape(before), message)
    assert match, message
    return float(match.group(1).replace(",", ""))


def _tile(i: int, j: int) -> shapely.Polygon:
    return box(X0 + i * S, Y0 + j * S, X0 + (i + 1) * S, Y0 + (j + 1) * S)


def _csv(path: Path, rows: list[dict[str, object]]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8")
    return path


def _import(
    tmp_path: Path, geoms: list[shapely.Geometry], names: list[str] | None = None, **columns: list
) -> ImportResult:
    names = names or [f"区{i + 1}" for i in range(len(geoms))]
    rows = [
        {"name": n, "wkt": g.wkt, **{k: v[i] for k, v in columns.items()}}
        for i, (n, g) in enumerate(zip(names, geoms, strict=True))
    ]
    return import_file(_csv(tmp_path / "areas.csv", rows), "areas")


def _of(result: ImportResult, key: str) -> list[Problem]:
    """Problems whose English text starts like the template ``key`` of zzgeo.messages."""
    from zzgeo.messages import TEXTS

    pattern = ".*?".join(re.escape(part) for part in re.split(r"\{[^}]*\}", TEXTS[key].en))
    return [p for p in result.problems if re.match(pattern, p.message.en, re.DOTALL)]


@pytest.fixture(scope="module")
def city() -> shapely.Geometry:
    return shapely.union_all(load_districts("full").geometry.to_numpy())


# ------------------------------------------------------------------------------ formats


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "shapefile", "parquet", "csv"])
def test_every_format_gives_the_same_areas(city_grid: gpd.GeoDataFrame, tmp_path: Path, fmt: str) -> None:
    layer = city_grid[["name", "geometry"]].assign(code=[f"Z{i:03d}" for i in range(len(city_grid))])
    if fmt == "geojson":
        path = tmp_path / "a.geojson"
        layer.to_file(path, driver="GeoJSON")
    elif fmt == "gpkg":
        path = tmp_path / "a.gpkg"
        layer.to_file(path, driver="GPKG")
    elif fmt == "shapefile":
        layer.to_file(tmp_path / "a.shp", driver="ESRI Shapefile", encoding="utf-8")
        path = tmp_path / "a.zip"
        with zipfile.ZipFile(path, "w") as z:
            for part in tmp_path.glob("a.*"):
                if part.suffix != ".zip":
                    z.write(part, part.name)
    elif fmt == "parquet":
        path = tmp_path / "a.parquet"
        layer.to_parquet(path)
    else:
        path = _csv(tmp_path / "a.csv", [{"乡镇名称": n, "代码": c, "WKT": g.wkt} for n, c, g in
                                          zip(layer["name"], layer["code"], layer.geometry, strict=True)])  # fmt: skip
    result = import_file(path, "areas")
    assert not result.errors, result.report_lines()
    out = result.layer
    assert len(out) == len(layer)
    assert list(out["name"]) == list(layer["name"])
    assert list(out["code"]) == list(layer["code"])
    assert set(out.geom_type) == {"MultiPolygon"}
    assert out.crs.equals("EPSG:4326")
    distance = shapely.hausdorff_distance(out.geometry.to_numpy(), layer.geometry.to_numpy())
    assert float(np.max(distance)) < 1e-9


def test_projected_and_gcj02_coordinates_are_converted(tmp_path: Path) -> None:
    poly = box(117.60, 24.45, 117.63, 24.48)
    to_gk = Transformer.from_crs(4326, 4548, always_xy=True)

    def projected(c: np.ndarray) -> np.ndarray:
        return np.column_stack(to_gk.transform(c[:, 0], c[:, 1]))

    def gcj(c: np.ndarray) -> np.ndarray:
        return np.column_stack(wgs84_to_gcj02(c[:, 0], c[:, 1]))

    gk = shapely.transform(poly, projected)
    ewkt = _csv(tmp_path / "ewkt.csv", [{"name": "GK", "geom": f"SRID=4548;{gk.wkt}"}])
    hexwkb = _csv(tmp_path / "hex.csv", [{"name": "GK", "geometry": shapely.to_wkb(gk, hex=True)}])
    plain = _csv(tmp_path / "plain.csv", [{"name": "GK", "wkt": gk.wkt}])
    amap = _csv(tmp_path / "amap.csv", [{"name": "高德", "wkt": shapely.transform(poly, gcj).wkt}])
    for path, crs in ((ewkt, None), (hexwkb, "EPSG:4548"), (plain, "EPSG:4548"), (amap, "gcj02")):
        result = import_file(path, "areas", crs)
        assert not result.errors, (path.name, result.report_lines())
        assert shapely.hausdorff_distance(result.layer.geometry.iloc[0], poly) < 1e-7, path.name
    assert import_file(ewkt, "areas").crs_from_file
    # metres read as degrees, and degrees read as metres, are errors that say so
    wrong = import_file(plain, "areas")
    assert [p.row for p in wrong.errors] == [1]
    assert "look like projected metres" in wrong.errors[0].message.en
    degrees = import_file(_csv(tmp_path / "deg.csv", [{"name": "x", "wkt": poly.wkt}]), "areas", "EPSG:4548")
    assert "look like degrees" in degrees.errors[0].message.en


def test_table_without_geometry_and_bad_wkt(tmp_path: Path) -> None:
    none = import_file(_csv(tmp_path / "none.csv", [{"name": "a", "lon": 117.6, "lat": 24.5}]), "areas")
    assert none.layer.empty
    assert "no geometry column" in none.errors[0].message.en
    assert "wkt" in none.errors[0].message.en
    assert CJK.search(none.errors[0].text("zh"))
    rows = [{"name": "ok", "wkt": _tile(0, 0).wkt}, {"name": "bad", "wkt": "POLYGON ((117.6 24.5, 117"},
            {"name": "empty", "wkt": ""}]  # fmt: skip
    result = import_file(_csv(tmp_path / "bad.csv", rows), "areas")
    assert len(result.layer) == 1
    assert list(result.rejected["row"]) == [2, 3]
    assert result.rejected["wkt"].iloc[0] == "POLYGON ((117.6 24.5, 117"  # the text as it was: nothing lost
    assert "is not a WKT or WKB geometry" in result.rejected["problem"].iloc[0]
    assert "missing coordinates" in result.rejected["problem"].iloc[1]


def test_invalid_polygons_are_repaired_and_collapsed_ones_rejected(tmp_path: Path) -> None:
    bowtie = "POLYGON ((117.6 24.5, 117.61 24.51, 117.61 24.5, 117.6 24.51, 117.6 24.5))"
    line = "POLYGON ((117.6 24.6, 117.61 24.6, 117.62 24.6, 117.6 24.6))"
    result = import_file(_csv(tmp_path / "v.csv", [{"name": "bowtie", "wkt": bowtie}, {"name": "line", "wkt": line}]),
                         "areas")  # fmt: skip
    assert len(result.layer) == 1
    repaired = result.layer.geometry.iloc[0]
    assert repaired.is_valid
    assert repaired.geom_type == "MultiPolygon"
    assert len(repaired.geoms) == 2
    assert any(p.row == 1 and "repaired" in p.message.en and p.severity == "warning" for p in result.problems)
    assert [p.message.en for p in result.errors if p.row == 2] == [
        "the polygon has no area (it collapses to a line or a point)"
    ]


def test_headers_and_values_of_area_tables(tmp_path: Path) -> None:
    rows = [
        {"乡镇名称": "甲", "统计用区划代码": "350602001", "常住人口": "12,300", "人口年份": "2020年",
         "人口来源": "估算",
         "几何": _tile(0, 0).wkt},
        {"乡镇名称": "乙", "统计用区划代码": "350602002", "常住人口": "", "人口年份": "", "人口来源": "",
         "几何": _tile(1, 0).wkt},
    ]  # fmt: skip
    result = import_file(_csv(tmp_path / "zh.csv", rows), "areas")
    assert not result.errors, result.report_lines()
    assert dict(result.mapping) == {"乡镇名称": "name", "统计用区划代码": "code", "常住人口": "population",
                                    "人口年份": "population_year", "人口来源": "population_status"}  # fmt: skip
    first = result.layer.iloc[0]
    assert (first["population"], first["population_year"], first["population_status"]) == (12300, 2020, "estimated")
    assert pd.isna(result.layer["population"].iloc[1])
    [estimated] = _of(result, "area_population_estimated")
    assert estimated.message.en.startswith("1 area(s) have no population figure")
    assert "2020 resident population" in estimated.message.en


def test_area_headers_do_not_change_other_kinds(tmp_path: Path) -> None:
    rows = [{"名称": "云计算中心", "乡镇": "石亭镇", "状态": "在用", "年份": 2023, "经度": 117.65, "纬度": 24.51}]
    result = import_file(_csv(tmp_path / "dc.csv", rows), "data_centers")
    assert not result.errors
    assert "乡镇" not in dict(result.mapping)
    assert result.layer["name"].iloc[0] == "云计算中心"
    assert result.dropped == ["乡镇"]  # an unknown column: left out (listed), or kept as it is on request
    kept = import_file(_csv(tmp_path / "dc.csv", rows), "data_centers", keep_columns=True)
    assert kept.layer["乡镇"].iloc[0] == "石亭镇"


# ------------------------------------------------------------------------------ the set


def test_overlaps_and_gaps_are_reported_with_their_size(tmp_path: Path) -> None:
    tiles = {(i, j): _tile(i, j) for i in range(3) for j in range(3) if (i, j) != (1, 1)}  # a hole in the middle
    tiles[(0, 0)] = box(X0, Y0, X0 + S + 0.002, Y0 + S)  # overlaps (1, 0) by a 0.002° strip
    tiles[(0, 2)] = box(X0, Y0 + 2 * S, X0 + S + 0.00002, Y0 + 3 * S)  # a ~2 m sliver over (1, 2): not reported
    tiles[(2, 2)] = shapely.affinity.translate(tiles[(2, 2)], 0, 0.0005)  # a ~55 m channel above (2, 1)
    keys = sorted(tiles)
    names = [f"格{i}{j}" for i, j in keys]
    result = _import(tmp_path, [tiles[k] for k in keys], names)
    row = {k: n + 1 for n, k in enumerate(keys)}

    [overlap] = _of(result, "area_overlap")
    assert overlap.row == row[(1, 0)]
    assert f"'格00' (row {row[(0, 0)]})" in overlap.message.en
    expected = _km2(tiles[(0, 0)].intersection(tiles[(1, 0)]))
    assert _number(overlap.message.en, "km²") == pytest.approx(expected, abs=0.006)
    assert "sites there count in both" in overlap.message.en
    assert CJK.search(overlap.text("zh"))

    gaps = _of(result, "area_gap")
    assert len(gaps) == 2
    hole, channel = gaps  # largest first
    assert _number(hole.message.en, "km²") == pytest.approx(_km2(_tile(1, 1)), abs=0.006)
    strip = box(X0 + 2 * S, Y0 + 2 * S, X0 + 3 * S, Y0 + 2 * S + 0.0005)
    assert _number(channel.message.en, "km²") == pytest.approx(_km2(strip), abs=0.006)
    assert "'格21'" in channel.message.en
    assert "'格22'" in channel.message.en
    lon, lat = (float(v) for v in re.search(r"near ([\d.]+), ([\d.]+)", hole.message.en).groups())
    assert _tile(1, 1).contains(shapely.Point(lon, lat))
    assert all(p.severity == "warning" for p in result.problems)
    assert len(result.layer) == 8  # nothing lost


def test_a_clean_tiling_has_no_overlap_or_gap(city_grid: gpd.GeoDataFrame, tmp_path: Path) -> None:
    result = _import(tmp_path, list(city_grid.geometry), list(city_grid["name"]))
    assert not result.errors
    assert not _of(result, "area_overlap")
    assert not _of(result, "area_gap")
    assert not _of(result, "area_partly_outside")
    assert not _of(result, "area_city_cover")  # the grid covers all the city's land


def test_areas_outside_zhangzhou(tmp_path: Path, city: shapely.Geometry) -> None:
    xmin = city.bounds[0]
    y = float(shapely.get_coordinates(city)[np.argmin(shapely.get_coordinates(city)[:, 0]), 1])
    near = box(xmin - 0.06, y - 0.005, xmin - 0.05, y + 0.005)  # ~5 km west
    just = box(xmin - 0.015, y - 0.005, xmin - 0.005, y + 0.005)  # ~0.5 km west
    straddling = box(xmin - 0.02, y - 0.01, xmin + 0.02, y + 0.01)
    beijing = box(116.39, 39.90, 116.40, 39.91)
    assert not near.intersects(city)
    assert not just.intersects(city)
    assert straddling.intersects(city)
    result = _import(tmp_path, [near, just, straddling, beijing, _tile(0, 0)])
    by_row = {p.row: p for p in _of(result, "area_outside")}
    assert by_row[1].severity == "warning"
    assert " west of the city boundary" in by_row[1].message.en
    metres = gpd.GeoSeries([near, city], crs="EPSG:4326").to_crs("EPSG:32650")
    assert _number(by_row[1].message.en, "km west") == pytest.approx(metres[0].distance(metres[1]) / 1000, abs=0.3)
    assert "its sites count in this area but in no district" in by_row[1].message.en
    assert "GCJ-02" not in by_row[1].message.en
    assert "GCJ-02" in by_row[2].message.en  # only just outside: offset hint
    assert by_row[4].severity == "error"
    assert "wrong coordinates?" in by_row[4].message.en
    assert list(result.rejected["row"]) == [4]
    [partly] = _of(result, "area_partly_outside")
    assert partly.row == 3
    assert _number(partly.message.en, "km²") == pytest.approx(_km2(straddling.difference(city)), abs=0.02)
    assert CJK.search(partly.text("zh"))


def test_duplicate_names_and_codes_are_warnings(tmp_path: Path) -> None:
    geoms = [_tile(0, 0), _tile(1, 0), _tile(2, 0)]
    result = _import(tmp_path, geoms, ["城关镇", "城关镇", "东门"], code=["Z1", "Z2", "Z1"])
    [name] = _of(result, "area_duplicate_name")
    [code] = _of(result, "area_duplicate_code")
    assert (name.row, name.column, code.row, code.column) == (2, "name", 3, "code")
    assert "row 1" in name.message.en
    assert "row 1" in code.message.en
    assert not result.errors
    assert len(result.layer) == 3


def test_nbs_codes_are_checked_against_the_district_holding_the_area(tmp_path: Path) -> None:
    districts = load_districts("full").set_index("adcode")

    def small(adcode: str, dx: float = 0.0) -> shapely.Polygon:
        p = districts.loc[adcode, "geometry"].representative_point()
        poly = box(p.x + dx - 0.001, p.y - 0.001, p.x + dx + 0.001, p.y + 0.001)
        assert districts.loc[adcode, "geometry"].contains(poly)
        return poly

    geoms = [small("350602"), small("350602", 0.003), small("350604"), small("350602", -0.003), small("350605")]
    codes = ["350602001", "350623101", "350681101", "350699001", "350625100001"]
    result = _import(tmp_path, geoms, code=codes)
    problems = {p.row: p.message.en for p in result.problems if p.column == "code"}
    assert 1 not in problems  # the right county
    assert problems[2].startswith("code 350623101 is a code of Zhangpu County (350623), but most of the area (100%)")
    assert "Xiangcheng District (350602)" in problems[2]
    assert problems[3] == "code 350681101 starts with 350681, the code of Longhai District before 2021 (now 350604)"
    assert "350699 is not one of Zhangzhou's districts" in problems[4]
    assert "350625" in problems[5]
    assert "mismatch" not in problems[5]
    assert "but most" not in problems[5]
    zh = {p.row: p.text("zh") for p in result.problems if p.column == "code"}
    assert "漳浦县" in zh[2]
    assert "芗城区" in zh[2]


def test_area_id_is_a_unique_key_and_not_the_citys(tmp_path: Path) -> None:
    result = _import(tmp_path, [_tile(0, 0), _tile(1, 0), _tile(2, 0)], area_id=["k1", "k1", "350600"])
    assert {p.row: p.column for p in result.errors} == {2: "area_id", 3: "area_id"}
    assert "duplicate area_id 'k1'" in result.errors[0].message.en
    assert "key of the city row" in result.errors[1].message.en


def test_population_without_year_and_city_cover(tmp_path: Path) -> None:
    result = _import(tmp_path, [_tile(0, 0), _tile(1, 0)], population=[1000, None])
    [no_year] = _of(result, "area_population_no_year")
    assert (no_year.row, no_year.severity) == (1, "warning")
    [cover] = _of(result, "area_city_cover")
    assert cover.row is None
    assert _number(cover.message.en, "km²") == pytest.approx(_km2(_tile(0, 0)) + _km2(_tile(1, 0)), abs=0.01)


def test_every_area_problem_has_a_chinese_text(tmp_path: Path, city: shapely.Geometry) -> None:
    xmin = city.bounds[0]
    geoms = [_tile(0, 0), box(X0, Y0, X0 + S + 0.002, Y0 + S), box(xmin - 0.06, 24.0, xmin - 0.05, 24.01)]
    result = _import(tmp_path, geoms, ["a", "a", "b"], code=["350623101", "x", "x"])
    assert len(result.problems) >= 5
    for p in result.problems:
        assert p.message.zh, p
        assert CJK.search(p.message.zh), p


def test_a_check_geos_gives_up_on_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zzgeo import area_checks

    def fail(*args: object) -> list[Problem]:
        raise shapely.errors.GEOSException("TopologyException: side location conflict")

    monkeypatch.setattr(area_checks, "_gaps", fail)
    result = _import(tmp_path, [_tile(0, 0), _tile(1, 0)])
    [failed] = _of(result, "area_check_failed")
    assert failed.severity == "warning"
    assert "the gap check of the areas could not be completed (TopologyException" in failed.message.en
    assert "空隙检查未能完成" in failed.text("zh")
    assert len(result.layer) == 2


# ------------------------------------------------------------------------------ limits and saved results


def test_an_area_tables_geometry_is_exempt_from_the_cell_limit(tmp_path: Path) -> None:
    # A township's outline has thousands of vertices: its WKT is far longer than ZZGEO_MAX_CELL_CHARS (10,000).
    round_area = shapely.Point(X0 + 0.05, Y0 + 0.05).buffer(0.02, quad_segs=512)
    assert len(round_area.wkt) > 50_000
    result = import_file(_csv(tmp_path / "round.csv", [{"name": "圆", "wkt": round_area.wkt}]), "areas")
    assert not result.errors
    assert result.layer.geometry.iloc[0].equals_exact(shapely.multipolygons([round_area]), 1e-12)
    # Every other column keeps the limit.
    long_name = _csv(tmp_path / "long.csv", [{"name": "长" * 20_000, "wkt": round_area.wkt}])
    with pytest.raises(DataError, match=r"row 1, column name: a value of 20,000 characters is over the limit"):
        import_file(long_name, "areas")


def test_an_area_import_saves_and_loads_as_it_was(tmp_path: Path) -> None:
    rows = [
        {"区域名称": "东片", "代码": "350602001", "人口": "12,300", "wkt": _tile(0, 0).wkt},
        {"区域名称": "西片", "代码": "350602002", "人口": "", "wkt": _tile(1, 0).buffer(0.002).wkt},  # overlaps
        {"区域名称": "坏片", "代码": "", "人口": "", "wkt": "POLYGON ((117.6 24.5"},  # rejected
    ]
    result = import_file(_csv(tmp_path / "zones.csv", rows), "areas")
    assert result.errors
    assert result.warnings
    assert len(result.layer) == 2
    loaded = ImportResult.load(result.save(tmp_path / "saved"))
    assert loaded.report_lines() == result.report_lines()
    assert loaded.problems == result.problems
    assert list(loaded.layer.columns) == list(result.layer.columns)
    assert list(loaded.layer.dtypes.astype(str)) == list(result.layer.dtypes.astype(str))
    assert (loaded.layer.geom_type == "MultiPolygon").all()
    assert loaded.layer.geometry.geom_equals_exact(result.layer.geometry, tolerance=0).all()
    pd.testing.assert_frame_equal(
        pd.DataFrame(loaded.layer.drop(columns="geometry")), pd.DataFrame(result.layer.drop(columns="geometry"))
    )
    assert loaded.rejected.astype(str).equals(result.rejected.astype(str))
    assert list(loaded.rejected["wkt"]) == ["POLYGON ((117.6 24.5"]  # the text as written, nothing lost
