"""Every CLI failure of issue 11 is one clear line (exit 1 or 2), never "internal error"."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from zzgeo.cli import main

DATA = Path(__file__).parent / "data" / "import"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("zzgeo: ")]
    assert len(lines) == 1, err
    assert "internal error" not in err
    assert "Traceback" not in err
    return lines[0]


def test_geojson_nested_1000_deep(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "deep.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"x":'
        + "[" * 1000 + "0" + "]" * 1000
        + '},"geometry":{"type":"Point","coordinates":[117.6,24.5]}}]}'
    )  # fmt: skip
    code, _, err = run(capsys, "validate", str(path), "--kind", "5g_sites")
    assert code == 1
    assert _one_error_line(err) == (
        "zzgeo: error: deep.geojson: JSON nested 1,004 levels deep is over the limit of 64 levels "
        "(setting ZZGEO_MAX_JSON_DEPTH)"
    )


def test_folder_given_as_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "sites"
    folder.mkdir()
    for command in ("validate", "import"):
        code, _, err = run(capsys, command, str(folder), "--kind", "5g_sites")
        assert code == 1
        assert _one_error_line(err) == (
            "zzgeo: error: sites: a folder, not a file; give the path of one file (a Shapefile goes in a .zip)"
        )


def test_absurd_epsg_code_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "validate", str(DATA / "size_limit.csv"), "--kind", "5g_sites", "--crs", "EPSG:" + "9" * 5000
    )
    assert code == 2
    line = _one_error_line(err)
    assert line.startswith("zzgeo: error: unknown coordinate system 'EPSG:" + "9" * 25 + "… (5,005 characters)'")
    assert len(line) < 300


@pytest.mark.parametrize(
    ("size", "reason"),
    [
        (
            80_000_000,
            "a line longer than 34 MB without a line break; not a readable CSV table (a CSV has one row per line)",
        ),
        (1_000_000, "not a readable CSV table (CSV parse error: Expected 6 columns, got 1: xxxx"),
    ],
)
def test_stream_of_a_single_line_csv(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, size: int, reason: str
) -> None:
    path = tmp_path / "oneline.csv"
    with path.open("w") as fh:
        fh.write("site_id,operator,status,year,lon,lat\n")
        fh.write("x" * size)
    code, _, err = run(capsys, "indicators", "--sites", str(path), "--stream")
    assert code == 1
    line = _one_error_line(err)
    assert line.startswith(f"zzgeo: error: oneline.csv: {reason}")
    assert len(line) < 400


def test_broken_pipe(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            return sys.__stdout__.fileno() if sys.__stdout__ else 1

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    monkeypatch.setattr("os.dup2", lambda *a: None)  # do not touch the test runner's real stdout
    code = main(["indicators", "--format", "csv"])
    err = capsys.readouterr().err
    assert code == 1
    assert _one_error_line(err) == "zzgeo: error: output closed early (broken pipe); the rest was not written"


def test_encoding_option_and_report_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "site_id,operator,status,year,lon,lat\nCafé-1,CMCC,在用,2021,117.65,24.51\n".replace("在用", "in service")
        .encode("latin-1")
    )  # fmt: skip
    code, out, _ = run(capsys, "validate", str(path), "--kind", "5g_sites", "--encoding", "latin-1")
    assert code == 0
    assert "encoding: latin-1 (as chosen)" in out.splitlines()
    code, out, err = run(capsys, "validate", str(path), "--kind", "5g_sites", "--encoding", "klingon")
    assert code == 1
    assert _one_error_line(err).startswith("zzgeo: error: unknown encoding 'klingon'")


def test_keep_columns_option(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "validate", str(DATA / "extra_and_duplicate_headers.csv"), "--kind", "5g_sites")
    assert any("they are left out of the layer" in line for line in out.splitlines())
    _, out, _ = run(
        capsys, "validate", str(DATA / "extra_and_duplicate_headers.csv"), "--kind", "5g_sites", "--keep-columns"
    )
    assert any("they are kept as they are" in line for line in out.splitlines())
