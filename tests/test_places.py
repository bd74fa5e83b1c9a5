"""Place search: districts by Chinese, English or pinyin name and code; sites by id."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from zzgeo.districts import load_districts
from zzgeo.places import PlaceIndex, name_keys, normalize


@pytest.fixture(scope="module")
def index() -> PlaceIndex:
    sites = gpd.GeoDataFrame(
        {
            "site_id": ["ZZ-5G-0100", "ZZ-5G-0101", "ZZ-5G-0200", "abc 7"],
            "district_adcode": ["350628", "350628", None, "350602"],
        },
        geometry=[Point(117.3, 24.3), Point(117.31, 24.31), Point(116.0, 22.0), Point(117.65, 24.51)],
        crs="EPSG:4326",
    )
    return PlaceIndex(load_districts("display"), sites)


@pytest.mark.parametrize(
    "query", ["平和", "平和县", "Pinghe", "pinghe county", "PINGHE", "ping he", "pinghexian", "350628"]
)
def test_a_district_is_found_by_any_of_its_names(index: PlaceIndex, query: str) -> None:
    found = index.search(query)
    assert found, query
    assert (found[0].kind, found[0].key) == ("district", "350628")
    assert found[0].name("zh") == "平和县"
    assert found[0].name("en") == "Pinghe County"


def test_characters_with_several_readings_match_each_reading(index: PlaceIndex) -> None:
    # 长 reads chang or zhang: 长泰 is Changtai, and a user may type either
    for query in ("changtai", "zhangtai", "Changtai District", "长泰"):
        assert index.search(query)[0].key == "350605", query


def test_exact_and_prefix_matches_come_first(index: PlaceIndex) -> None:
    names = [p.name_zh for p in index.search("龙")]
    assert set(names) == {"龙文区", "龙海区"}
    # "longhai" is exactly 龙海's pinyin short name, a prefix of nothing else
    assert [p.key for p in index.search("longhai")] == ["350604"]
    # a district's bounds are south, west, north, east around the district
    south, west, north, east = index.search("longhai")[0].bounds
    assert south < north
    assert west < east
    assert 23 < south < 25.5
    assert 116.5 < west < 118.5


def test_sites_are_found_by_id_whole_or_start(index: PlaceIndex) -> None:
    exact = index.search("ZZ-5G-0101")
    assert [(p.kind, p.key) for p in exact] == [("site", "ZZ-5G-0101")]
    assert exact[0].bounds == (24.31, 117.31, 24.31, 117.31)
    assert exact[0].district == "350628"
    # case, spaces and punctuation do not matter; a prefix lists the sites it starts
    assert [p.key for p in index.search("zz 5g 01")] == ["ZZ-5G-0100", "ZZ-5G-0101"]
    assert [p.key for p in index.search("ABC7")] == ["abc 7"]
    outside = index.search("zz5g0200")[0]
    assert outside.district is None


def test_limit_and_empty_queries(index: PlaceIndex) -> None:
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("no such place xyz") == []
    assert len(index.search("zz5g", limit=2)) == 2
    assert len(index.search("county", limit=3)) == 3  # English names ending in County


def test_one_letter_does_not_match_inside_names(index: PlaceIndex) -> None:
    # a single character matches only at the start of a name (typing "a" lists no district)
    assert all(p.kind == "site" for p in index.search("a"))


def test_name_keys_and_normalize() -> None:
    assert normalize(" Pinghe  County ") == "pinghecounty"
    assert normalize("ＳＹＮ－５Ｇ") == "syn5g"  # full-width forms fold to ASCII
    keys = name_keys("芗城区", "Xiangcheng District", "350602")
    assert {"芗城区", "芗城", "xiangchengqu", "xiangcheng", "xiangchengdistrict", "350602"} <= keys


def test_an_index_without_sites_finds_districts_only() -> None:
    index = PlaceIndex(load_districts("display"))
    assert index.search("zz5g") == []
    assert index.search("Hua'an")[0].key == "350629"
