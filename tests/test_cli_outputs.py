"""The command line's outputs for people: ``zzgeo map``, ``zzgeo report`` and ``export --lang``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from PIL import Image

from zzgeo import cli
from zzgeo.cli import main
from zzgeo.tables import INDICATOR_CSV_COLUMNS

POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (make system-deps)")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_map_png(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "map.png"
    code, stdout, _ = run(
        capsys, "map", "--indicator", "gap_sites", "--year", "2024", "--lang", "en", "--out", str(out)
    )
    assert code == 0
    assert f"wrote {out}" in stdout
    with Image.open(out) as image:
        assert max(image.size) >= 3000


@POPPLER
def test_map_of_the_change_between_two_years(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "change.pdf"
    code, _, _ = run(capsys, "map", "--year", "2025", "--compare", "2021", "--lang", "en", "--out", str(out))
    assert code == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "change of" in text
    assert "2021 → 2025" in text


@POPPLER
def test_map_pdf_with_filters(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "map.pdf"
    code, _, _ = run(
        capsys, "map", "--operator", "China Unicom", "--status", "in_service", "planned", "--palette", "cb",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "中国联通" in text
    assert "平和县" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["map", "--indicator", "nope"], "unknown indicator 'nope'; valid: sites_per_10k"),
        (["map", "--palette", "rainbow"], "unknown colour scheme 'rainbow'"),
        (["map", "--year", "2031"], "year 2031 is outside the data: the 5G sites run from 2019 to"),
        (["map", "--year", "1999"], "year 1999 is outside the data"),
        (["map", "--operator", "Acme"], "unknown operator 'Acme'"),
        (["map", "--year", "2025", "--compare", "2025"], "--compare YEAR needs a --year other than YEAR"),
        (["map", "--year", "2025", "--compare", "1990"], "year 1990 is outside the data"),
        (["report", "--lang", "zh", "--year", "2040"], "year 2040 is outside the data"),
    ],
)
def test_bad_arguments_get_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / ("out.pdf" if args[0] == "report" else "out.png")
    code, _, err = run(capsys, *args, "--out", str(out))
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1, err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("command", "name", "message"),
    [
        ("map", "map.gif", "the file name must end in .png, .svg, .pdf"),
        ("report", "report.docx", "the file name must end in .pdf"),
        ("map", "missing/map.png", "does not exist"),
        ("report", "missing/r.pdf", "does not exist"),
    ],
)
def test_unwritable_outputs_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, name: str, message: str
) -> None:
    code, _, err = run(capsys, command, "--out", str(tmp_path / name))
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_read_only_folder_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the tests may run as root, whom permissions do not stop: the folder says it is read-only
    real_access = cli.os.access
    monkeypatch.setattr(
        cli.os, "access", lambda path, mode: False if Path(path) == tmp_path else real_access(path, mode)
    )
    code, _, err = run(capsys, "map", "--out", str(tmp_path / "map.png"))
    assert code == 2
    assert "permission denied" in err
    assert list(tmp_path.iterdir()) == []


def test_interrupted_report_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zzgeo import report

    def interrupted(*args: object, **kwargs: object) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "report_bytes", interrupted)
    code, _, err = run(capsys, "report", "--out", str(tmp_path / "r.pdf"))
    assert code == 130
    assert "interrupted" in err
    assert list(tmp_path.iterdir()) == []


@POPPLER
def test_report_in_english(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "briefing.pdf"
    code, stdout, _ = run(
        capsys, "report", "--year", "2023", "--lang", "en", "--operator", "China Mobile", "--out", str(out)
    )
    assert code == 0
    assert "wrote" in stdout
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Pinghe County" in text
    assert "as of the end of 2023" in text


def test_export_indicators_xlsx_in_both_languages(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for lang, sheet, header in (
        ("zh", "指标", "每万人基站数（个/万人）"),
        ("en", "Indicators", "Sites per 10,000 residents"),
    ):
        out = tmp_path / f"ind-{lang}.xlsx"
        code, _, _ = run(capsys, "export", "indicators", "--format", "xlsx", "--year", "2025", "--lang", lang,
                         "--out", str(out))  # fmt: skip
        assert code == 0
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames[0] == sheet
        assert header in [c.value for c in wb[sheet][1]]
        assert len(wb.sheetnames) == 2


def test_export_indicators_csv_machine_and_chinese_headers(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "ind.csv"
    assert run(capsys, "export", "indicators", "--format", "csv", "--year", "2025", "--out", str(out))[0] == 0
    assert tuple(pd.read_csv(out).columns) == INDICATOR_CSV_COLUMNS
    zh = tmp_path / "ind-zh.csv"
    assert (
        run(capsys, "export", "indicators", "--format", "csv", "--year", "2025", "--lang", "zh", "--out", str(zh))[0]
        == 0
    )
    assert pd.read_csv(zh).columns[1] == "区县"


def test_export_layer_geojson_carries_provenance(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "dc.geojson"
    assert run(capsys, "export", "data_centers", "--format", "geojson", "--year", "2024", "--out", str(out))[0] == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["zzgeo"]["as_of_year"] == 2024
    assert doc["zzgeo"]["synthetic"] is True
    assert doc["zzgeo"]["layers"][0]["kind"] == "data_centers"
    assert doc["zzgeo"]["layers"][0]["rows"] == len(doc["features"])


def test_help_lists_the_new_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "map" in out
    assert "report" in out
    assert cli.__doc__ is not None
    assert "``report``" in cli.__doc__


def test_map_and_report_follow_an_area_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from area_grid import grid_areas

    grid = tmp_path / "grid.geojson"
    grid_areas(0.3)[["name", "geometry"]].to_file(grid, driver="GeoJSON")
    out = tmp_path / "map.png"
    code, stdout, _ = run(capsys, "map", "--areas", str(grid), "--dpi", "60", "--out", str(out))
    assert code == 0, stdout
    assert out.stat().st_size > 0
    if shutil.which("pdftotext"):
        pdf = tmp_path / "report.pdf"
        code, _, _ = run(capsys, "report", "--areas", str(grid), "--out", str(pdf))
        assert code == 0
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "统计单元排名" in text
