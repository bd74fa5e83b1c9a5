"""The import panel in Chromium (the dock's "import" tab): upload, the job's progress and Cancel,
report, accept, map/cards/table, rejected rows, remove (after a confirmation); limits; XSS.

The app server is session-scoped and shared with the other browser tests, so every test
here removes its import again (through the page, and a fixture makes sure of it through
the workspace API), leaving the synthetic sample as the other tests expect it. Imports run
as jobs (a process each): a test waits for what the page shows, never for a fixed time.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import shapely
from app import ids
from app.i18n import t
from playwright.sync_api import Dialog, Locator, Page, expect
from zzbrowser import ARTIFACTS, ZzPage, screenshot

from zzgeo.districts import load_districts
from zzgeo.layers import load_layer
from zzgeo.settings import get_settings
from zzgeo.workspace import Workspace

XSS = "<img src=x onerror=alert(1)>"
GBK_FILE = "站点清单_gbk.csv"
XSS_FILE = f"{XSS}.geojson"
DISTRICT = "350629"  # 华安县: few sample features, easy to find a quiet spot


@pytest.fixture(scope="module")
def quiet_spot() -> tuple[float, float]:
    """(lon, lat) inside 华安县 with no sample feature within ~700 m (markers there are ours)."""
    districts = load_districts("full")
    shape = districts.loc[districts["adcode"] == DISTRICT].geometry.iloc[0]
    sample = np.vstack(
        [
            np.column_stack([g.geometry.x, g.geometry.y])
            for g in (load_layer(k) for k in ("5g_sites", "data_centers", "smart_projects"))
        ]
    )
    centre = shape.representative_point()
    xmin, ymin, xmax, ymax = shape.bounds
    best = None
    for x in np.arange(xmin, xmax, 0.01):
        for y in np.arange(ymin, ymax, 0.01):
            if not shapely.contains_xy(shape.buffer(-0.02), x, y):
                continue
            nearest = float(np.min(np.hypot(sample[:, 0] - x, sample[:, 1] - y)))
            if nearest < 0.007:
                continue
            score = (x - centre.x) ** 2 + (y - centre.y) ** 2
            if best is None or score < best[0]:
                best = (score, float(x), float(y))
    assert best is not None
    return round(best[1], 5), round(best[2], 5)


@pytest.fixture
def cleanup_imports() -> Iterator[list[str]]:
    """Names of files a test imports; any import of them still in the workspace is removed."""
    files: list[str] = []
    yield files
    workspace = Workspace()
    entries = workspace.entries()
    for entry_id in entries.loc[entries["file"].isin(files), "id"]:
        workspace.remove(str(entry_id))  # the app reloads on its next page load


@pytest.fixture
def dialogs(app_page: Page) -> list[tuple[str, str]]:
    """(type, message) of every alert/confirm/prompt the page opens; confirms are accepted, others dismissed."""
    seen: list[tuple[str, str]] = []

    def on_dialog(dialog: Dialog) -> None:
        seen.append((dialog.type, dialog.message))
        if dialog.type == "confirm":
            dialog.accept()
        else:
            dialog.dismiss()

    app_page.on("dialog", on_dialog)
    return seen


def remove_import(page: Page, row: Locator) -> None:
    """Click an import's Remove button and accept the confirmation it asks for."""
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button").click()


def upload(page: Page, path: Path | None = None, **file: object) -> None:
    """Give the upload box a file (a path, or name/mimeType/buffer)."""
    box = page.locator("#import-upload input[type=file]")
    box.set_input_files(str(path) if path is not None else file)  # type: ignore[arg-type]


def interval_disabled(page: Page) -> bool:
    """Whether the import panel's progress polling is off (the dcc.Interval's prop, as Dash holds it)."""
    disabled: bool = page.evaluate("(id) => window.dash_component_api.getLayout(id).props.disabled", ids.IMPORT_POLL)
    return disabled


def big_csv(path: Path, mb: float) -> Path:
    """A UTF-8 inventory of about ``mb`` MB (~59 bytes a row), every row good (synthetic, for timing)."""
    ops = ("中国移动", "中国电信", "中国联通")
    rows = [
        f"B{i:07d},{ops[i % 3]},n41,在用,{2019 + i % 6},{117.3 + i % 997 * 0.0005:.6f},{24.3 + i % 991 * 0.0005:.6f}"
        for i in range(int(mb * 1_000_000 / 59))
    ]
    path.write_text("站号,运营商,频段,状态,开通年份,经度,纬度\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def gbk_csv(path: Path, lon: float, lat: float) -> Path:
    """A small inventory as Chinese Excel saves it: GBK, Chinese headers and values.

    Rows 1-3 are good (in service, inside 华安县); row 4 has no longitude.
    """
    rows = [
        ("站号", "运营商", "频段", "状态", "开通年份", "经度", "纬度"),
        ("ZZT-1", "中国移动", "n41", "在用", "2023年", f"{lon:.6f}", f"{lat:.6f}"),
        ("ZZT-2", "电信", "3.5GHz", "已开通", "2024", f"{lon + 0.0008:.6f}", f"{lat:.6f}"),
        ("ZZT-3", "联通", "n78", "在用", "2022", f"{lon:.6f}", f"{lat + 0.0008:.6f}"),
        ("ZZT-4", "中国移动", "n41", "在用", "2024", "", f"{lat:.6f}"),
    ]
    text = "\r\n".join(",".join(r) for r in rows) + "\r\n"
    path.write_bytes(text.encode("gbk"))
    return path


def panel_screenshot(page: Page, name: str, show: str = "#import-upload") -> Path:
    """A screenshot of the dock as users see it, scrolled to ``show`` (under artifacts/screenshots/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.locator(show).scroll_into_view_if_needed()
    page.locator("#dock").screenshot(path=str(path), animations="disabled")
    return path


def grid_sites(page: Page, code: str) -> int:
    cell = page.locator(f"#ranking-grid .ag-row[row-id='{code}'] [col-id='sites']")
    return int(re.sub(r"\D", "", cell.inner_text()))


def tooltip_texts(zz: ZzPage, markers: Locator) -> list[str]:
    """Hover every marker in ``markers``; return the text of each tooltip."""
    texts = []
    for i in range(markers.count()):
        markers.nth(i).hover(force=True)
        tip = zz.page.locator(".leaflet-tooltip.zz-tip").last
        expect(tip).to_be_visible()
        texts.append(tip.inner_text())
        zz.page.mouse.move(2, 2)
    return texts


def test_app_uses_the_test_workspace(app_url: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The session's app writes its imports to the temporary workspace of tests/conftest.py."""
    path = get_settings().workspace_path
    assert Workspace().path == path
    assert path.is_relative_to(tmp_path_factory.getbasetemp()), path  # never the developer's own


def test_import_gbk_csv_report_accept_download_and_remove(
    zz: ZzPage, tmp_path: Path, quiet_spot: tuple[float, float], cleanup_imports: list[str]
) -> None:
    lon, lat = quiet_spot
    page = zz.page
    zz.open(f"?c={lat},{lon}&z=17")
    sites_card = int(zz.card("card-sites"))
    zz.show_ranking()
    sites_row = grid_sites(page, DISTRICT)
    sites_toggle = zz.layer_count("5g_sites")
    site_markers = page.locator("#map .zz-site")
    expect(site_markers).to_have_count(0)  # a quiet spot: no sample site in view
    note = page.locator("#synthetic-note")
    expect(note).to_contain_text("合成样例数据")
    zz.open_tab("import")
    expect(page.locator("#import-list")).to_contain_text("尚未导入数据")
    assert interval_disabled(page)  # nothing runs: nothing is polled

    # upload a GBK CSV with Chinese headers: it is read by a job, then the report shows
    cleanup_imports.append(GBK_FILE)
    upload(page, gbk_csv(tmp_path / GBK_FILE, lon, lat))
    summary = page.locator("#import-report .zz-report-summary")
    expect(summary).to_have_attribute("data-read", "4")
    expect(summary).to_have_attribute("data-accepted", "3")
    expect(summary).to_have_attribute("data-rejected", "1")
    expect(summary).to_contain_text("接受 3 行，拒绝 1 行")
    report = page.locator("#import-report")
    expect(report).to_contain_text(GBK_FILE)
    expect(report.locator(".zz-report-encoding")).to_have_text("文本编码：GB18030 (GBK)")
    expect(page.locator("#import-job")).to_be_hidden()  # the job has ended: no progress bar
    page.wait_for_function("(id) => window.dash_component_api.getLayout(id).props.disabled", arg=ids.IMPORT_POLL)
    for source, target in (("站号", "site_id"), ("运营商", "operator"), ("开通年份", "year_in_service"),
                           ("经度", "lon"), ("纬度", "lat")):  # fmt: skip
        expect(report.locator(f"tr[data-source='{source}'][data-target='{target}']")).to_have_count(1)
    values = report.locator(".zz-report-values")
    expect(values).to_contain_text("中国移动")
    expect(values).to_contain_text("China Mobile")
    expect(values).to_contain_text("3.5GHz")
    problem = report.locator("tr[data-row='4'][data-severity='error']")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("缺少坐标")  # zzgeo's message, in the page's language
    expect(problem).to_contain_text("经度")
    expect(page.locator("#import-accept")).to_be_enabled()
    panel_screenshot(page, "import_report_zh")
    screenshot(page, "import_report_zh_page")

    # the rejected rows as UTF-8-BOM CSV, with the problem
    download = zz.download(lambda: page.click("#import-rejected-csv"))
    assert download.suggested_filename.endswith("_rejected.csv")
    saved = tmp_path / "rejected.csv"
    download.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rejected = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rejected) == 1
    assert rejected[0]["row"] == "4"
    assert rejected[0]["站号"] == "ZZT-4"
    assert rejected[0]["problem"] == "经度: 缺少坐标"  # in the page's language too

    # accept: the three sites join the cards, the ranking, the layer count and the map
    page.click("#import-accept")
    expect(page.locator("#import-status")).to_contain_text("已导入 3 行")
    expect(page.locator("#import-accept")).to_be_disabled()
    expect(page.locator("#card-sites")).to_have_attribute("data-value", str(sites_card + 3))
    expect(page.locator('#layer-toggles [id*=\'"index":"5g_sites"\']')).to_have_text(f" ({sites_toggle + 3:,})")
    expect(site_markers).to_have_count(3)
    tips = tooltip_texts(zz, site_markers)
    assert any("ZZT-1" in tip and f"导入自: {GBK_FILE}" in tip for tip in tips), tips
    # the note says honestly that the sample now contains imported rows
    expect(note).to_contain_text("混合")
    expect(note).to_contain_text(GBK_FILE)
    row = page.locator("#import-list tr[data-entry]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(GBK_FILE)
    expect(row).to_contain_text("3 / 1")
    expect(row).to_have_attribute("data-mode", "add")
    entry_id = row.get_attribute("data-entry")
    entries = Workspace().entries()
    assert list(entries["id"]) == [entry_id]
    assert list(entries["file"]) == [GBK_FILE]
    panel_screenshot(page, "import_accepted_zh", "#import-list")
    zz.show_ranking()
    expect(page.locator(f"#ranking-grid .ag-row[row-id='{DISTRICT}'] [col-id='sites']")).to_have_text(
        f"{sites_row + 3:,}"
    )
    # ... and the exports
    zz.open_tab("export")
    export = zz.download(lambda: page.click("#export-geojson"))
    exported = tmp_path / "export.geojson"
    export.save_as(exported)
    props = [f["properties"] for f in json.loads(exported.read_text(encoding="utf-8"))["features"]]
    ours = sorted(p["site_id"] for p in props if p.get("source") == f"import: {GBK_FILE}")
    assert ours == ["ZZT-1", "ZZT-2", "ZZT-3"]

    # a reload shows the import again (it lives in the workspace GeoPackage)
    zz.open(f"?c={lat},{lon}&z=17")
    expect(page.locator("#card-sites")).to_have_attribute("data-value", str(sites_card + 3))
    expect(site_markers).to_have_count(3)

    # remove it (after a confirmation naming the file): the counts and the note return
    zz.open_tab("import")
    row = page.locator(f"#import-list tr[data-entry='{entry_id}']")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    row.locator("button").click()
    expect(page.locator("#import-status")).to_contain_text(f"已移除导入：{GBK_FILE}")
    assert asked == [t("imports_remove_confirm", "zh", file=GBK_FILE)]
    expect(page.locator("#card-sites")).to_have_attribute("data-value", str(sites_card))
    expect(site_markers).to_have_count(0)
    expect(page.locator("#import-list tr[data-entry]")).to_have_count(0)
    expect(note).to_have_text(re.compile(r"^注意：站点图层为合成样例数据"))
    assert Workspace().entries().empty
    zz.show_ranking()
    expect(page.locator(f"#ranking-grid .ag-row[row-id='{DISTRICT}'] [col-id='sites']")).to_have_text(f"{sites_row:,}")


def test_replacing_the_5g_sample_says_it_is_your_data(
    zz: ZzPage, tmp_path: Path, quiet_spot: tuple[float, float], cleanup_imports: list[str]
) -> None:
    lon, lat = quiet_spot
    page = zz.page
    zz.open("?lang=en")
    zz.open_tab("import")
    cleanup_imports.append(GBK_FILE)
    page.locator("#import-mode input[value='replace']").check()
    upload(page, gbk_csv(tmp_path / GBK_FILE, lon, lat))
    expect(page.locator("#import-report .zz-report-summary")).to_have_attribute("data-accepted", "3")
    expect(page.locator("#import-report")).to_contain_text("3 accepted, 1 rejected")
    page.click("#import-accept")
    expect(page.locator("#card-sites")).to_have_attribute("data-value", "3")
    note = page.locator("#synthetic-note")
    expect(note).to_contain_text(f"The 5G base stations layer is your data (from {GBK_FILE})")
    expect(note).to_contain_text("Data centers, Smart-city projects: a synthetic sample")
    expect(page.locator("#import-list tr[data-entry]")).to_have_attribute("data-mode", "replace")
    remove_import(page, page.locator("#import-list tr[data-entry]"))
    expect(page.locator("#import-list tr[data-entry]")).to_have_count(0)
    expect(note).to_contain_text("the site layers are a synthetic sample")
    expect(page.locator("#card-sites")).not_to_have_attribute("data-value", "3")  # the sample is back
    assert int(zz.card("card-sites")) > 1000


def test_imported_markup_is_shown_as_text_and_never_runs(
    zz: ZzPage, quiet_spot: tuple[float, float], cleanup_imports: list[str], dialogs: list[tuple[str, str]]
) -> None:
    """A data center named <img src=x onerror=alert(1)> (in a file of that name) stays text."""
    lon, lat = quiet_spot
    page = zz.page
    zz.open(f"?c={lat},{lon}&z=16")
    cleanup_imports.append(XSS_FILE)
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
         "properties": {"name": XSS, "status": "in_service", "year": 2023, "racks": 100}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon + 0.001, lat]},
         "properties": {"name": "数据中心二", "status": XSS, "year": 2023}},
    ]  # fmt: skip
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")
    zz.open_tab("import")
    zz.choose("import-kind", "data_centers")
    upload(page, name=XSS_FILE, mimeType="application/geo+json", buffer=body)
    report = page.locator("#import-report")
    expect(report.locator(".zz-report-summary")).to_have_attribute("data-rejected", "1")
    expect(report.locator(".zz-report-file")).to_have_text(f"文件：{XSS_FILE}")
    problem = report.locator("tr[data-row='2'][data-severity='error']")
    expect(problem.locator(".zz-report-value")).to_have_text(XSS)
    panel_screenshot(page, "import_xss_report", "#import-report tr[data-row='2']")

    data_centers = page.locator("#map .leaflet-marker-pane .zz-sym-dc")
    before = data_centers.count()
    page.click("#import-accept")
    expect(page.locator("#import-list tr[data-entry] .zz-import-file")).to_have_text(XSS_FILE)
    expect(data_centers).to_have_count(before + 1)
    marker = page.locator("#map .leaflet-marker-pane").get_by_title(XSS, exact=True)
    expect(marker).to_have_count(1)
    marker.hover(force=True)
    tip = page.locator(".leaflet-tooltip.zz-tip").last
    expect(tip).to_be_visible()
    expect(tip.locator("strong")).to_have_text(XSS)
    expect(tip).to_contain_text(f"导入自: {XSS_FILE}")
    screenshot(page, "import_xss_tooltip", full_page=False)

    # nothing ran, and no element was made from the markup
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate("() => [...document.images].filter(i => i.getAttribute('src') === 'x').length") == 0
    assert dialogs == []

    page.locator("#import-list tr[data-entry] button").click()  # the fixture accepts the confirmation
    expect(page.locator("#import-list tr[data-entry]")).to_have_count(0)
    expect(marker).to_have_count(0)
    expect(data_centers).to_have_count(before)
    assert dialogs == [("confirm", t("imports_remove_confirm", "zh", file=XSS_FILE))]  # the name, as text


@pytest.mark.parametrize(
    ("lang", "message"),
    [("en", "old Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV"), ("zh", "旧版 Excel 97-2003（.xls）工作簿")],
)
def test_a_file_zzgeo_cannot_read_gets_its_message_in_the_panel(zz: ZzPage, lang: str, message: str) -> None:
    zz.open(f"?lang={lang}")
    page = zz.page
    zz.open_tab("import")
    upload(page, name="old.xls", mimeType="application/vnd.ms-excel", buffer=b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    status = page.locator("#import-status")
    expect(status).to_contain_text("old.xls")
    expect(status).to_contain_text(message)
    expect(page.locator("#import-accept")).to_be_disabled()
    expect(page.locator("#import-report")).to_be_empty()
    zz.no_error_banner()


def test_browser_refuses_an_oversized_file_before_sending_it(zz: ZzPage) -> None:
    """The size check runs in the browser (zzgeo.importRequest): nothing is sent for a big file."""
    zz.open()
    out = zz.page.evaluate(
        """() => window.dash_clientside.zzgeo.importRequest(
            "data:text/csv;base64," + "A".repeat(4000), "5g_sites", "wgs84", null, "auto", [], "big.csv",
            {maxBytes: 2000, tooBig: "{file}: {size} MB > 0.002 MB"}, null)"""
    )
    message, request, _user = out
    assert message[0]["props"]["children"] == "big.csv: 0.0 MB > 0.002 MB"
    assert request["clear"] is True
    assert "contents" not in request
    ok = zz.page.evaluate(
        """() => window.dash_clientside.zzgeo.importRequest(
            "data:text/csv;base64,QUJD", "data_centers", "gcj02", null, "latin-1", ["keep"], "small.csv",
            {maxBytes: 2000, tooBig: ""}, null)"""
    )
    assert ok[1]["contents"] == "data:text/csv;base64,QUJD"
    assert (ok[1]["kind"], ok[1]["crs"], ok[1]["filename"]) == ("data_centers", "gcj02", "small.csv")
    assert (ok[1]["encoding"], ok[1]["keep"]) == ("latin-1", True)
    # a new browser gets a random id (kept in its local storage); a known one is sent as it is
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", ok[2])
    assert ok[1]["user"] == ok[2]
    again = zz.page.evaluate(
        """(id) => window.dash_clientside.zzgeo.importRequest(
            "data:text/csv;base64,QUJD", "5g_sites", "wgs84", null, "auto", [], "a.csv", {maxBytes: 2000}, id)""",
        ok[2],
    )
    assert again[1]["user"] == ok[2]
    assert again[2] == zz.page.evaluate("() => window.dash_clientside.no_update")  # the stored id stays


def test_geopackage_with_several_layers_offers_a_choice(
    zz: ZzPage, tmp_path: Path, quiet_spot: tuple[float, float]
) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    lon, lat = quiet_spot
    path = tmp_path / "两个图层.gpkg"
    sites = gpd.GeoDataFrame(
        {
            "site_id": ["G1", "G2"],
            "operator": ["China Mobile"] * 2,
            "status": ["in_service"] * 2,
            "year_in_service": [2024, 2024],
        },
        geometry=[Point(lon, lat), Point(lon + 0.001, lat)],
        crs="EPSG:4326",
    ).to_crs("EPSG:4549")  # the file states its CRS (Gauss-Krüger): the choice below does not apply
    sites.to_file(path, layer="sites", driver="GPKG")
    sites.iloc[:1].to_file(path, layer="other", driver="GPKG")
    zz.open("?lang=en")
    page = zz.page
    zz.open_tab("import")
    upload(page, path)
    expect(page.locator("#import-status")).to_contain_text("the GeoPackage has 2 layers")
    expect(page.locator("#import-status")).to_contain_text("choose one above")
    expect(page.locator("#import-gpkg-layer-wrap")).to_be_visible()
    zz.choose("import-gpkg-layer", "sites")
    summary = page.locator("#import-report .zz-report-summary")
    expect(summary).to_have_attribute("data-accepted", "2")
    expect(page.locator("#import-report")).to_contain_text("(stated by the file)")
    expect(page.locator("#import-report")).to_contain_text("CGCS2000")
    expect(page.locator("#import-accept")).to_be_enabled()
    expect(page.locator("#import-rejected-csv")).to_be_disabled()  # nothing was rejected
    panel_screenshot(page, "import_gpkg_layers_en")


def test_a_large_file_shows_its_progress_and_cancel_stops_it(zz: ZzPage, tmp_path: Path) -> None:
    """A 20 MB CSV is read by a job: the bar shows its stage and rows, polling runs only meanwhile."""
    path = big_csv(tmp_path / "大文件.csv", 20)
    zz.open()
    page = zz.page
    zz.open_tab("import")
    assert interval_disabled(page)
    upload(page, path)
    job = page.locator("#import-job")
    expect(job).to_be_visible()
    progress = page.locator("#import-progress .zz-progress")
    expect(progress).to_have_attribute("data-state", "running", timeout=30_000)
    assert not interval_disabled(page)  # the bar is polled while the job runs
    # rows move: the job reports each batch it has checked
    expect(progress).to_have_attribute("data-rows", re.compile(r"^[1-9]\d*$"), timeout=30_000)
    expect(progress.locator(".zz-progress-text")).to_have_text(
        re.compile(r"^大文件\.csv：检查中 · 已处理 [\d,]+ 行 · \d+%$")
    )
    expect(progress.locator("progress")).to_have_attribute("value", re.compile(r"^0\.\d+$"))
    panel_screenshot(page, "import_progress_zh")
    page.click("#import-cancel")
    status = page.locator("#import-status")
    expect(status).to_have_text("大文件.csv：导入已取消")
    expect(status.locator("p")).to_have_attribute("data-kind", "cancelled")
    expect(job).to_be_hidden()
    expect(page.locator("#import-report")).to_be_empty()
    expect(page.locator("#import-accept")).to_be_disabled()
    page.wait_for_function("(id) => window.dash_component_api.getLayout(id).props.disabled", arg=ids.IMPORT_POLL)
    zz.no_error_banner()


def test_a_file_with_10000_columns_ends_with_the_limits_message(zz: ZzPage) -> None:
    header = ",".join(f"c{i}" for i in range(10_000))
    body = (header + "\n" + ",".join("1" for _ in range(10_000)) + "\n").encode()
    zz.open()
    page = zz.page
    zz.open_tab("import")
    upload(page, name="一万列.csv", mimeType="text/csv", buffer=body)
    status = page.locator("#import-status")
    expect(status).to_contain_text("一万列.csv 无法导入：")
    expect(status).to_contain_text("一万列.csv：10,000 列超过列数上限 500（设置项 ZZGEO_MAX_COLUMNS）")
    expect(status.locator("p")).to_have_attribute("data-kind", "error")
    expect(page.locator("#import-job")).to_be_hidden()
    expect(page.locator("#import-accept")).to_be_disabled()
    panel_screenshot(page, "import_limit_zh")
    panel_screenshot(page, "import_options_zh", f"#{ids.IMPORT_KEEP}")  # the options column
    zz.no_error_banner()


def test_keep_extra_columns_keeps_them_and_the_report_says_so(
    zz: ZzPage, quiet_spot: tuple[float, float], cleanup_imports: list[str]
) -> None:
    lon, lat = quiet_spot
    name = "sites_with_phone.csv"
    text = (
        "site_id,operator,band,status,year_in_service,lon,lat,owner_phone\n"
        f"K-1,China Mobile,n41,in_service,2024,{lon},{lat},138-0000-0001\n"
        f"K-2,China Telecom,n78,in_service,2023,{lon + 0.0008},{lat},138-0000-0002\n"
    )
    zz.open("?lang=en")
    page = zz.page
    zz.open_tab("import")
    cleanup_imports.append(name)
    upload(page, name=name, mimeType="text/csv", buffer=text.encode())
    report = page.locator("#import-report")
    dropped = report.locator(".zz-report-dropped")
    expect(dropped).to_have_attribute("data-dropped", "owner_phone")  # left out by default
    expect(dropped).to_contain_text("To keep them, tick “Keep extra columns”")
    expect(report).not_to_contain_text("--keep-columns")
    # ticking the box reads the file again, keeping the column
    zz.toggle(ids.IMPORT_KEEP, "keep")
    kept = report.locator(".zz-report-kept")
    expect(kept).to_have_attribute("data-kept", "owner_phone")
    expect(kept).to_have_text("Columns not part of 5G base stations, kept as they are (as chosen): owner_phone.")
    expect(report.locator(".zz-report-dropped")).to_have_count(0)
    expect(report.locator(".zz-report-encoding")).to_have_text("Text encoding: UTF-8")
    panel_screenshot(page, "import_keep_columns_en", "#import-report .zz-report-kept")
    page.click("#import-accept")
    row = page.locator("#import-list tr[data-entry]")
    expect(row).to_have_count(1)
    entry = row.get_attribute("data-entry")
    assert entry
    assert list(Workspace().load(entry)["owner_phone"]) == ["138-0000-0001", "138-0000-0002"]
    remove_import(page, row)
    expect(page.locator("#import-list tr[data-entry]")).to_have_count(0)
