"""The zzgeo command line: exit codes, messages, outputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from zzgeo.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_indicators_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "indicators", "--year", "2025")
    assert code == 0
    assert "Pinghe County" in out
    assert "Zhangzhou (city)" in out
    assert "derived" in out  # population status is shown with the figures
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
