"""The zzgeo command line: exit codes, messages, outputs."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from zzgeo.cli import main
from zzgeo.tables import AREA_CSV_COLUMNS, INDICATOR_CSV_COLUMNS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_indicators_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "indicators", "--year", "2025")
    assert code == 0
    assert "Pinghe County" in out
    assert "Zhangzhou (city)" in out
    assert "published (2nd)" in out  # population status is shown with the figures
    assert "SYNTHETIC" in err


def test_indicators_json_matches_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "indicators", "--year", "2023", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["meta"]["year"] == 2023
    rows = {r["adcode"]: r for r in doc["rows"]}
    assert len(rows) == 12
    code, out, _ = run(capsys, "indicators", "--year", "2023", "--format", "csv")
    table = pd.read_csv(__import__("io").StringIO(out), dtype={"adcode": str}).set_index("adcode")
    assert table.loc["350628", "sites"] == rows["350628"]["sites"]
    assert rows["350600"]["target_per_10k"] == 20


def test_operator_filter_changes_counts(capsys: pytest.CaptureFixture[str]) -> None:
    _, out_all, _ = run(capsys, "indicators", "--format", "json")
    _, out_cm, _ = run(capsys, "indicators", "--format", "json", "--operator", "China Mobile")
    city_all = json.loads(out_all)["rows"][-1]["sites"]
    city_cm = json.loads(out_cm)["rows"][-1]["sites"]
    assert 0 < city_cm < city_all


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "indicators", "--operator", "Mobile")
    assert code == 2
    assert "valid: China Mobile" in err
    with pytest.raises(SystemExit) as exc:
        main(["export", "nope", "--format", "geojson", "--out", "x.geojson"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2


def test_export_layer_geojson_filtered(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "sites.geojson"
    code, stdout, _ = run(capsys, "export", "5g_sites", "--format", "geojson", "--year", "2020", "--out", str(out))
    assert code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "crs" not in doc
    years = {f["properties"]["year_in_service"] for f in doc["features"]}
    assert years
    assert max(years) <= 2020
    assert f"wrote {len(doc['features'])} feature(s)" in stdout


def test_export_indicators_csv_and_gpkg(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    csv = tmp_path / "ind.csv"
    assert run(capsys, "export", "indicators", "--format", "csv", "--year", "2025", "--out", str(csv))[0] == 0
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "平和县" in csv.read_text(encoding="utf-8-sig")
    gpkg = tmp_path / "ind.gpkg"
    assert run(capsys, "export", "indicators", "--format", "gpkg", "--year", "2025", "--out", str(gpkg))[0] == 0
    gdf = gpd.read_file(gpkg)
    assert len(gdf) == 11
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
    assert "sites_per_10k" in gdf.columns


def test_export_into_missing_folder_is_a_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "export", "data_centers", "--format", "csv", "--out", str(tmp_path / "no" / "x.csv"))
    assert code == 1
    assert "does not exist" in err
    assert "Traceback" not in err


def test_validate_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        "site_id,operator,status,year_in_service,lon,lat\nA1,China Mobile,in_service,2021,117.65,24.51\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "validate", str(good), "--kind", "5g_sites")
    assert code == 0
    assert "valid as 5g_sites" in out
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "site_id,operator,status,year_in_service,lon,lat\n"
        "A1,China Mobil,in_service,2021,117.65,24.51\n"
        "A1,China Mobile,in_service,2031.7.1,24.51,117.65\nA3,China Mobile,in_service,2020.5y,117.65,24.51\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "validate", str(bad), "--kind", "5g_sites")
    assert code == 1
    assert "bad.csv, row 1, column operator: 'China Mobil' is not allowed; did you mean 'China Mobile'?" in out
    assert "row 2, column site_id: duplicate site_id 'A1' (first in row 1)" in out
    assert "value '2031.7.1' in year_in_service read as '2031'" in out
    assert "row 3, column year_in_service: '2020.5y' is not a number" in out
    assert "are lat and lon swapped?" in out
    assert "INVALID" in out
    code, _, err = run(capsys, "validate", str(tmp_path / "missing.csv"), "--kind", "5g_sites")
    assert code == 1
    assert "file not found" in err


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "broken.geojson"
    bad.write_text("{not json", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "zzgeo.cli", "validate", str(bad), "--kind", "data_centers"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "broken.geojson" in proc.stderr
    assert "Traceback" not in proc.stderr


# ------------------------------------------------------------------------------ --areas


@pytest.fixture
def grid_file(city_grid: gpd.GeoDataFrame, tmp_path: Path) -> Path:
    path = tmp_path / "grid.geojson"
    city_grid[["name", "geometry"]].to_file(path, driver="GeoJSON")
    return path


def _sjoin_counts(areas: gpd.GeoDataFrame, year: int) -> tuple[list[int], int]:
    """Sites per area by geopandas.sjoin, and sites in no area."""
    from zzgeo.indicators import filter_layer
    from zzgeo.layers import load_layer

    sites = filter_layer(load_layer("5g_sites"), year=year)
    joined = gpd.sjoin(sites, areas[["geometry"]].reset_index(), predicate="within")
    counts = joined.groupby("index").size().reindex(range(len(areas)), fill_value=0).tolist()
    return counts, len(sites) - joined.index.nunique()


def test_indicators_per_area_json(
    capsys: pytest.CaptureFixture[str], grid_file: Path, city_grid: gpd.GeoDataFrame
) -> None:
    code, out, err = run(capsys, "indicators", "--areas", str(grid_file), "--year", "2025", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    rows = doc["rows"]
    assert len(rows) == len(city_grid) + 1
    assert [r["name"] for r in rows[:-1]] == list(city_grid["name"])
    counts, unassigned = _sjoin_counts(city_grid, 2025)
    assert [r["sites"] for r in rows[:-1]] == counts
    assert {r["population_status"] for r in rows[:-1]} == {"estimated"}
    assert rows[-1]["adcode"] == "350600"
    assert rows[-1]["population"] == 5_054_328
    assert all(0 <= r["coverage_pct"] <= 100 for r in rows)
    assert all(r["population_weighted_pct"] is not None for r in rows)
    meta = doc["meta"]
    assert meta["level"] == "areas"
    assert meta["estimated"] == len(city_grid)
    assert meta["title"] == "grid.geojson"
    assert meta["unassigned"] == unassigned
    assert "spread evenly over the district's land" in meta["population_rule"]
    assert "estimated population" in err
    assert "SYNTHETIC" in err


def test_indicators_per_area_table_and_csv(
    capsys: pytest.CaptureFixture[str], grid_file: Path, city_grid: gpd.GeoDataFrame
) -> None:
    code, out, err = run(capsys, "indicators", "--areas", str(grid_file), "--year", "2024")
    assert code == 0
    assert f"5g_sites in {len(city_grid)} areas of grid.geojson, as of 2024" in out.splitlines()[0]
    assert "estimated" in out
    assert "note: 47 area(s) have an estimated population (estimated: each district's 2020 resident" in err
    code, out, _ = run(capsys, "indicators", "--areas", str(grid_file), "--year", "2024", "--format", "csv")
    table = pd.read_csv(io.StringIO(out), dtype={"adcode": str})
    assert list(table.columns[:3]) == ["adcode", "code", "name"]
    assert table["sites"].iloc[:-1].tolist() == _sjoin_counts(city_grid, 2024)[0]
    assert table["adcode"].iloc[0] == "A001"


def test_indicators_per_area_from_the_workspace(
    capsys: pytest.CaptureFixture[str], fresh_settings, grid_file: Path, tmp_path: Path
) -> None:
    fresh_settings.setenv("ZZGEO_WORKSPACE", str(tmp_path / "ws.gpkg"))
    code, out, _ = run(capsys, "import", str(grid_file), "--kind", "areas")
    assert code == 0
    entry = out.splitlines()[-1].rsplit(" ", 1)[-1]
    assert f"a layer of its own: zzgeo indicators --areas {entry}" in out
    _, from_file, _ = run(capsys, "indicators", "--areas", str(grid_file), "--format", "csv")
    code, from_ws, _ = run(capsys, "indicators", "--areas", entry, "--format", "csv")
    assert code == 0
    assert from_ws == from_file
    code, _, err = run(capsys, "indicators", "--areas", "nope")
    assert code == 1
    assert f"unknown area layer (a file, or the id of an areas import) 'nope'; valid: {entry}" in err
    code, _, err = run(capsys, "import", str(grid_file), "--kind", "areas", "--replace")
    assert code == 2


def test_indicators_per_area_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path, grid_file: Path) -> None:
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"name": ["a", "b"], "wkt": ["POLYGON ((1 2", "POINT (117.6 24.5)"]}).to_csv(bad, index=False)
    code, _, err = run(capsys, "indicators", "--areas", str(bad))
    assert code == 1
    assert "row 1, column wkt: 'POLYGON ((1 2' is not a WKT or WKB geometry" in err
    assert "Point geometry" in err
    code, _, err = run(capsys, "indicators", "--areas", str(grid_file), "--areas-crs", "mars")
    assert code == 2
    assert "valid: wgs84" in err


def test_validate_an_area_file_reports_overlaps(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from shapely.geometry import box

    path = tmp_path / "zones.csv"
    zones = [box(117.64, 24.50, 117.66, 24.52), box(117.65, 24.50, 117.67, 24.52)]
    pd.DataFrame({"区域名称": ["东片", "西片"], "wkt": [z.wkt for z in zones]}).to_csv(path, index=False)
    code, out, _ = run(capsys, "validate", str(path), "--kind", "areas")
    assert code == 0  # warnings only
    assert "column '区域名称' -> name" in out
    assert "row 2, column geometry: overlaps area '东片' (row 1) by" in out
    assert out.splitlines()[-1] == "valid as areas"


def test_streamed_indicators_per_area(capsys: pytest.CaptureFixture[str], tmp_path: Path, grid_file: Path) -> None:
    from zzgeo.layers import load_layer

    layer = load_layer("5g_sites")
    table = pd.DataFrame(layer.drop(columns="geometry")).assign(lon=layer.geometry.x, lat=layer.geometry.y)
    sites = tmp_path / "sites.parquet"
    table.to_parquet(sites)
    args = ["indicators", "--areas", str(grid_file), "--year", "2025", "--format", "json"]
    _, in_memory, _ = run(capsys, *args)
    code, streamed, err = run(capsys, *args, "--sites", str(sites), "--stream")
    assert code == 0
    assert "coverage is not computed when streaming" in err
    a, b = json.loads(in_memory), json.loads(streamed)
    assert [r["sites"] for r in a["rows"]] == [r["sites"] for r in b["rows"]]
    assert a["meta"]["unassigned"] == b["meta"]["unassigned"]
    assert all(r["coverage_pct"] is None for r in b["rows"])


def test_export_indicators_per_area(capsys: pytest.CaptureFixture[str], tmp_path: Path, grid_file: Path) -> None:
    out = tmp_path / "areas.gpkg"
    args = ["export", "indicators", "--areas", str(grid_file), "--year", "2025", "--format", "gpkg", "--out", str(out)]
    code, stdout, _ = run(capsys, *args)
    assert code == 0
    exported = gpd.read_file(out)
    grid = gpd.read_file(grid_file)
    assert stdout == f"wrote {len(grid)} feature(s) to {out} (gpkg)\n"  # the areas (the city row has no polygon)
    assert list(exported["name"]) == list(grid["name"])
    assert set(exported["population_status"]) == {"estimated"}
    assert exported.geometry.geom_equals_exact(grid.geometry, tolerance=1e-9).all()
    csv = tmp_path / "areas.csv"
    assert run(capsys, "export", "indicators", "--areas", str(grid_file), "--format", "csv", "--out", str(csv))[0] == 0
    table = pd.read_csv(csv, encoding="utf-8-sig", dtype={"adcode": str})
    assert len(table) == len(grid) + 1
    assert list(table.columns) == [*INDICATOR_CSV_COLUMNS, *AREA_CSV_COLUMNS]  # the stable columns, then the area's
    assert list(table["name_zh"][:-1]) == list(grid["name"])
    assert table["adcode"].iloc[-1] == "350600"
    assert list(exported["sites"]) == list(table["sites"][:-1])
    zh = tmp_path / "areas_zh.csv"
    run(capsys, "export", "indicators", "--areas", str(grid_file), "--format", "csv", "--lang", "zh", "--out", str(zh))
    headers = list(pd.read_csv(zh, encoding="utf-8-sig").columns)
    assert headers[:3] == ["区域编号", "区域名称", "区域名称（英文）"]
    assert "区县" not in headers
    geojson = tmp_path / "areas.geojson"
    run(capsys, "export", "indicators", "--areas", str(grid_file), "--format", "geojson", "--out", str(geojson))
    doc = json.loads(geojson.read_text(encoding="utf-8"))
    assert doc["zzgeo"]["areas"] == {"title": "grid.geojson", "areas": len(grid), "estimated": len(grid),
                                     "estimate_year": 2020}  # fmt: skip
    assert f"Areas: grid.geojson, {len(grid)} areas" in doc["description"]


def test_export_indicators_per_area_as_a_workbook(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, grid_file: Path
) -> None:
    import openpyxl

    grid = gpd.read_file(grid_file)
    for lang, area, estimated, about_line in [
        ("zh", "区域", "估算", "区域：grid.geojson，共"),
        ("en", "Area", "estimated", "Areas: grid.geojson, "),
    ]:
        out = tmp_path / f"areas_{lang}.xlsx"
        args = ["export", "indicators", "--areas", str(grid_file), "--year", "2025", "--format", "xlsx"]
        code, stdout, _ = run(capsys, *args, "--lang", lang, "--out", str(out))
        assert code == 0
        assert stdout == f"wrote {len(grid) + 1} row(s) to {out} (xlsx, {lang})\n"
        wb = openpyxl.load_workbook(out)
        sheet, about = wb.worksheets
        header = [c.value for c in sheet[1]]
        assert header[1] == area
        assert "District" not in header
        assert "区县" not in header
        names = [sheet.cell(row=r, column=2).value for r in range(2, len(grid) + 2)]
        assert names == list(grid["name"])
        status = header.index(next(h for h in header if h in ("人口数据", "Population figure"))) + 1
        assert {sheet.cell(row=r, column=status).value for r in range(2, len(grid) + 2)} == {estimated}
        lines = [str(c.value) for c in about["B"] if c.value]
        assert any(line.startswith(about_line) for line in lines)
        rule = next(line for line in lines if ("spread evenly" in line or "平均分布" in line))
        assert f"{len(grid)}" in rule  # how many areas have an estimated population, and the rule
