"""Layer checks (zzgeo.validate) and text decoding (zzgeo.io)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from zzgeo.errors import ValidationError
from zzgeo.io import decode_text
from zzgeo.validate import check_layer, validate_layer


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_decode_text_encodings(encoding: str) -> None:
    text = "站号,运营商,经度\n漳州-001,中国移动,117.65\n"
    assert decode_text(text.encode(encoding), "x.csv") == text


def test_check_collects_every_problem_with_row_and_column() -> None:
    gdf = gpd.GeoDataFrame(
        {
            "site_id": ["a", "b", "a", None],
            "operator": ["China Mobile", "china unicom", "China Unicom", "China Telecom"],
            "status": ["in_service", "in service", "planned", "in_service"],
            "year_in_service": [2018, 2020, "twenty", 2021],
        },
        geometry=[Point(117.6, 24.5), Point(0, 0), None, LineString([(117, 24), (118, 25)])],
        crs="EPSG:4326",
    )
    problems = check_layer(gdf, "5g_sites", file="f.csv")
    text = [str(p) for p in problems]
    assert "f.csv, row 1, column year_in_service: 2018 is out of range (accepted: 2019 to 2035)" in text
    assert any(t.startswith("f.csv, row 2, column operator: 'china unicom' is not allowed") for t in text)
    assert any("row 2, column status: 'in service' is not allowed; did you mean 'in_service'?" in t for t in text)
    assert "f.csv, row 2, column geometry: coordinates are 0, 0 (missing?)" in text
    assert "f.csv, row 3, column site_id: duplicate site_id 'a' (first in row 1)" in text
    assert "f.csv, row 3, column year_in_service: 'twenty' is not a number" in text
    assert "f.csv, row 3, column geometry: missing coordinates" in text
    assert "f.csv, row 4, column site_id: missing value (required)" in text
    assert "f.csv, row 4, column geometry: LineString geometry (accepted: Point)" in text
    assert all(p.severity == "error" for p in problems)
    with pytest.raises(ValidationError) as exc:
        validate_layer(gdf, "5g_sites", file="f.csv")
    assert len(exc.value.problems) == len(problems)
    assert str(exc.value).startswith(f"f.csv: {len(problems)} error(s) for kind 5g_sites")


def test_missing_columns_and_extra_columns() -> None:
    gdf = gpd.GeoDataFrame({"name": ["x"], "colour": ["red"]}, geometry=[Point(117.6, 24.5)], crs="EPSG:4326")
    problems = check_layer(gdf, "smart_projects")
    first = problems[0]
    assert first.row is None
    assert "missing required column(s) plan_task, status, year" in first.message.en
    warnings = [p for p in problems if p.severity == "warning"]
    assert len(warnings) == 1
    assert "colour" in warnings[0].message.en


def test_valid_layer_gets_spec_types() -> None:
    gdf = gpd.GeoDataFrame(
        {"name": ["云计算中心"], "status": ["planned"], "year": ["2025"], "synthetic": ["否"]},
        geometry=[Point(117.6, 24.5)],
        crs="EPSG:4326",
    )
    checked = validate_layer(gdf, "data_centers")
    assert checked["year"].dtype == "Int64"
    assert checked["synthetic"].tolist() == [False]


def test_empty_layer() -> None:
    gdf = gpd.GeoDataFrame({"name": []}, geometry=[], crs="EPSG:4326")
    assert [p.message.en for p in check_layer(gdf, "data_centers")] == ["the file has no rows"]
