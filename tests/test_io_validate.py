"""Reading inventories (zzgeo.io) and checking them against a kind (zzgeo.validate)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from zzgeo.errors import DataError, ValidationError
from zzgeo.io import read_points
from zzgeo.validate import check_layer, validate_layer

HEADER = "site_id,operator,band,status,year_in_service,经度,纬度\n"
ROW = "ZZ-001,China Telecom,n78,in_service,2022,117.65,24.51\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_with_chinese_headers(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "sites.csv"
    path.write_bytes((HEADER + ROW.replace("ZZ-001", "漳州-001")).encode(encoding))
    gdf = read_points(path)
    assert gdf.crs.equals("EPSG:4326")
    assert gdf["site_id"].tolist() == ["漳州-001"]
    assert (gdf.geometry.x.iloc[0], gdf.geometry.y.iloc[0]) == (117.65, 24.51)
    assert check_layer(gdf, "5g_sites") == []


def test_excel_and_geojson(tmp_path: Path) -> None:
    table = pd.DataFrame({"name": ["云计算中心"], "status": ["planned"], "year": [2025], "lon": [117.6], "lat": [24.5]})
    xlsx = tmp_path / "dc.xlsx"
    table.to_excel(xlsx, index=False)
    gdf = read_points(xlsx)
    assert gdf["name"].tolist() == ["云计算中心"]
    checked = validate_layer(gdf, "data_centers", file="dc.xlsx")
    assert checked["year"].dtype == "Int64"
    gj = tmp_path / "dc.geojson"
    gdf.to_crs(32650).to_file(gj)  # a projected file comes back as lon/lat
    back = read_points(gj)
    assert back.geometry.x.iloc[0] == pytest.approx(117.6)


def test_unreadable_inputs_have_clear_messages(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataError, match=r"empty\.csv: the file is empty"):
        read_points(empty)
    nocoords = tmp_path / "nocoords.csv"
    nocoords.write_text("site_id,x_coord\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="no longitude/latitude columns; found site_id, x_coord; accepted names"):
        read_points(nocoords)
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"not a geopackage at all")
    with pytest.raises(DataError, match=r"junk\.gpkg: not a readable vector file"):
        read_points(junk)


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
    assert "missing required column(s) plan_task, status, year" in first.message
    warnings = [p for p in problems if p.severity == "warning"]
    assert len(warnings) == 1
    assert "colour" in warnings[0].message


def test_empty_layer() -> None:
    gdf = gpd.GeoDataFrame({"name": []}, geometry=[], crs="EPSG:4326")
    assert [p.message for p in check_layer(gdf, "data_centers")] == ["the file has no rows"]
