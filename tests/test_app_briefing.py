"""Briefing outputs in the app, over HTTP as the browser posts them: map image, report, exports for people.

One app for the module, on a temporary workspace holding one area layer (a synthetic tiling of
the city). Renders run as jobs (``ctx.renders``); a test starts one with the button's
callback, then polls until the download arrives, and reads the file as a reader would
(PIL for the PNG size, pdftotext and pdffonts for the PDF, openpyxl for the workbook).
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from app import ids
from app.state import ViewState
from PIL import Image

from area_grid import grid_areas
from test_app_levels import _post
from zzgeo.districts import load_districts
from zzgeo.imports import import_file
from zzgeo.settings import Settings
from zzgeo.workspace import Workspace

POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (make system-deps)")
BROWSER_ID = "test-browser-id-0123456789"
OUT = Path("/tmp/zzgeo-briefing-test")  # the last outputs, to look at


@pytest.fixture(scope="module")
def brief_app(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, str]:
    from app import create_app

    folder = tmp_path_factory.mktemp("briefing")
    path = folder / "grid.geojson"
    grid_areas(0.3)[["name", "geometry"]].to_file(path, driver="GeoJSON")
    workspace = Workspace(folder / "workspace.gpkg")
    key = workspace.add(import_file(path, "areas"), who="test")
    return create_app(Settings(workspace_path=folder / "workspace.gpkg")), key


def _render(dash_app: Any, button: str, state: ViewState, **values: Any) -> tuple[str, bytes, list[dict[str, Any]]]:
    """Click ``button`` and poll until the file arrives: its name, its bytes and the progress seen."""
    inputs = {
        f"{ids.STATE}.data": state.for_server().to_dict(),
        f"{ids.INDICATOR}.value": values.get("indicator", state.indicator),
        f"{ids.PALETTE}.value": values.get("palette", state.palette),
        f"{ids.BRIEF_FORMAT}.value": values.get("fmt", "png"),
        f"{ids.PROPOSALS}.data": values.get("proposals"),
        f"{ids.BRIEF_USER}.data": BROWSER_ID,
        f"{button}.n_clicks": 1,
    }
    started = _post(dash_app, _key(dash_app, ids.BRIEF_USER), inputs, f"{button}.n_clicks")
    assert ids.BRIEF_TOKEN in started, started
    token = started[ids.BRIEF_TOKEN]["data"]
    seen = []
    end = time.monotonic() + 240
    while time.monotonic() < end:
        polled = _post(
            dash_app,
            _key(dash_app, ids.BRIEF_DOWNLOAD),
            {
                f"{ids.BRIEF_TOKEN}.data": token,
                f"{ids.STATE}.data": state.for_server().to_dict(),
                f"{ids.BRIEF_USER}.data": BROWSER_ID,
                f"{ids.BRIEF_POLL}.n_intervals": 1,
            },
            f"{ids.BRIEF_POLL}.n_intervals",
        )
        if ids.BRIEF_PROGRESS in polled:
            seen.append(polled[ids.BRIEF_PROGRESS]["children"])
        if ids.BRIEF_DOWNLOAD in polled:
            download = polled[ids.BRIEF_DOWNLOAD]["data"]
            data = base64.b64decode(download["content"]) if download.get("base64") else download["content"]
            OUT.mkdir(exist_ok=True)
            (OUT / download["filename"]).write_bytes(data)
            return download["filename"], data, seen
        status = polled.get(ids.BRIEF_STATUS, {}).get("children")
        assert not status or "error" not in json.dumps(status), status
        time.sleep(0.3)
    raise AssertionError("the render did not finish")


def _key(dash_app: Any, must: str, *must_not: str) -> str:
    """The callback (its output key) of the briefing that writes ``must`` and none of ``must_not``."""
    return next(
        k
        for k in dash_app.callback_map
        if ids.BRIEF_TOKEN in k and f"{must}." in k and not any(f"{n}." in k for n in must_not)
    )


def _text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


def _all_fonts_embedded(path: Path) -> bool:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    return bool(rows) and all(row[-5] == "yes" for row in rows)


def test_the_map_image_is_the_current_view_at_print_resolution(brief_app: tuple[Any, str]) -> None:
    dash_app, _ = brief_app
    state = ViewState(lang="en", year=2024, operators=("China Mobile",), layers=("5g_sites", "data_centers"))
    name, data, seen = _render(dash_app, ids.BRIEF_MAP, state, indicator="gap_sites", palette="cb")
    assert name == "zzgeo-map-gap_sites-2024-en.png"
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) >= 3000
        assert image.size[0] > image.size[1]  # A4 landscape
    assert seen  # progress was shown while it ran


@POPPLER
def test_the_map_of_a_year_comparison_is_the_change_map(brief_app: tuple[Any, str], tmp_path: Path) -> None:
    dash_app, _ = brief_app
    name, data, _ = _render(dash_app, ids.BRIEF_MAP, ViewState(year=2025, compare=2022), fmt="pdf")
    path = tmp_path / name
    path.write_bytes(data)
    text = _text(path)
    assert "每万人站点数的变化（2022→2025年）" in text  # the title says what the colours are
    assert "两年间变化量" in text  # and the legend's note how they are classed


@POPPLER
def test_the_map_as_pdf_follows_the_area_level(brief_app: tuple[Any, str], tmp_path: Path) -> None:
    dash_app, key = brief_app
    name, data, _ = _render(dash_app, ids.BRIEF_MAP, ViewState(level=key), fmt="pdf")
    assert name.endswith(".pdf")
    path = tmp_path / name
    path.write_bytes(data)
    text = _text(path)
    assert "统计单元：grid.geojson" in text
    assert "合成样例" in text  # the synthetic sample is labelled
    assert _all_fonts_embedded(path)


@POPPLER
def test_the_report_runs_as_a_job_with_progress_and_names_the_districts(
    brief_app: tuple[Any, str], tmp_path: Path
) -> None:
    dash_app, _ = brief_app
    name, data, seen = _render(dash_app, ids.BRIEF_REPORT, ViewState(year=2025))
    assert name == "zzgeo-report-2025-zh.pdf"
    path = tmp_path / name
    path.write_bytes(data)
    text = _text(path)
    for district in load_districts("display")["name_zh"]:
        assert district in text
    assert "合成样例" in text
    assert _all_fonts_embedded(path)
    stages = {json.dumps(s) for s in seen}
    assert any('"data-state": "running"' in s for s in stages)


def test_cancel_stops_a_report(brief_app: tuple[Any, str]) -> None:
    dash_app, _ = brief_app
    inputs = {
        f"{ids.STATE}.data": ViewState().to_dict(),
        f"{ids.BRIEF_USER}.data": BROWSER_ID,
        f"{ids.BRIEF_REPORT}.n_clicks": 1,
        f"{ids.BRIEF_FORMAT}.value": "png",
    }
    started = _post(dash_app, _key(dash_app, ids.BRIEF_USER), inputs, f"{ids.BRIEF_REPORT}.n_clicks")
    token = started[ids.BRIEF_TOKEN]["data"]
    cancelled = _post(
        dash_app,
        _key(dash_app, ids.BRIEF_JOB, ids.BRIEF_PROGRESS, ids.BRIEF_USER),
        {
            f"{ids.BRIEF_CANCEL}.n_clicks": 1,
            f"{ids.BRIEF_TOKEN}.data": token,
            f"{ids.STATE}.data": ViewState().to_dict(),
            f"{ids.BRIEF_USER}.data": BROWSER_ID,
        },
        f"{ids.BRIEF_CANCEL}.n_clicks",
    )
    assert "已取消" in json.dumps(cancelled[ids.BRIEF_STATUS]["children"], ensure_ascii=False)
    ctx = dash_app.server.extensions["zzgeo"]
    assert ctx.renders.status(token["token"]).state == "cancelled"


# -- exports for people ---------------------------------------------------------------------------


def _export(dash_app: Any, button: str, state: ViewState, kind: str = "5g_sites") -> dict[str, Any]:
    values = {
        f"{button}.n_clicks": 1,
        f"{ids.EXPORT_LAYER}.value": kind,
        f"{ids.STATE}.data": state.for_server().to_dict(),
        f"{ids.PROPOSALS}.data": None,
    }
    out = _post(dash_app, f"..{ids.DOWNLOAD}.data...{ids.EXPORT_STATUS}.children..", values, f"{button}.n_clicks")
    return out[ids.DOWNLOAD]["data"]


@pytest.mark.parametrize(("lang", "header", "about"), [("zh", "每万人", "说明"), ("en", "per 10,000", "About")])
def test_the_excel_export_follows_the_page_language_with_a_sources_sheet(
    brief_app: tuple[Any, str], lang: str, header: str, about: str
) -> None:
    dash_app, _ = brief_app
    download = _export(dash_app, ids.EXPORT_XLSX, ViewState(lang=lang, year=2024))
    workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"])))
    first = workbook.worksheets[0]
    headers = [c.value for c in first[1]]
    assert any(header in str(h) for h in headers), headers
    assert "adcode" not in headers  # no machine headers
    assert any(about in name for name in workbook.sheetnames)
    sources = " ".join(str(c.value) for row in workbook.worksheets[1].iter_rows() for c in row if c.value)
    assert "2024" in sources
    assert ("合成" if lang == "zh" else "SYNTHETIC") in sources


def test_the_excel_export_of_an_area_level_is_per_area(brief_app: tuple[Any, str]) -> None:
    dash_app, key = brief_app
    download = _export(dash_app, ids.EXPORT_XLSX, ViewState(level=key))
    workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"])))
    names = [row[1] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert any(str(n).startswith("格 ") for n in names)
    sources = " ".join(str(c.value) for row in workbook.worksheets[1].iter_rows() for c in row if c.value)
    assert "grid.geojson" in sources


def test_geojson_and_geopackage_exports_carry_their_provenance(brief_app: tuple[Any, str], tmp_path: Path) -> None:
    dash_app, _ = brief_app
    download = _export(dash_app, ids.EXPORT_GEOJSON, ViewState(year=2023))
    data = json.loads(base64.b64decode(download["content"]) if download.get("base64") else download["content"])
    assert data["zzgeo"]["as_of_year"] == 2023
    assert data["zzgeo"]["synthetic"] is True
    assert "synthetic" in data["description"].lower()
    gpkg = _export(dash_app, ids.EXPORT_GPKG, ViewState(year=2023), kind="data_centers")
    path = tmp_path / "dc.gpkg"
    path.write_bytes(base64.b64decode(gpkg["content"]))
    import sqlite3

    with sqlite3.connect(path) as db:
        (description,) = db.execute("SELECT description FROM gpkg_contents").fetchone()
    assert "synthetic" in description.lower()
