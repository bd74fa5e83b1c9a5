"""Briefing outputs in the browser: the map image downloads, the report shows its progress then downloads,
full screen keeps legend and caption, print hides the controls and keeps the legend's swatches."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect
from zzbrowser import ARTIFACTS, DISTRICT_COUNT, ZzPage, screenshot

# Where the map's polygons (``selector``) lie in the map's box: how many, how many reach outside it
# (1px of slack) and the share of the box their union spans (the larger of width and height).
IN_MAP_BOX_JS = """
(selector) => {
    const box = document.querySelector('#map').getBoundingClientRect();
    const rects = [...document.querySelectorAll(selector)].map(p => p.getBoundingClientRect());
    if (!rects.length || !box.width || !box.height) return {n: 0, outside: 0, share: 0};
    const outside = rects.filter(r => r.left < box.left - 1 || r.top < box.top - 1
        || r.right > box.right + 1 || r.bottom > box.bottom + 1).length;
    const left = Math.min(...rects.map(r => r.left)), right = Math.max(...rects.map(r => r.right));
    const top = Math.min(...rects.map(r => r.top)), bottom = Math.max(...rects.map(r => r.bottom));
    return {n: rects.length, outside, share: Math.max((right - left) / box.width, (bottom - top) / box.height)};
}
"""
# Records, when the page takes the print media (as printing starts: after the app's own listener),
# where the districts lie in the map's box and the ranking's text.
RECORD_AT_PRINT_JS = """
(inMapBox) => {
    const check = eval(inMapBox);
    window.__zzPrinted = null;
    matchMedia('print').addEventListener('change', (event) => {
        if (event.matches && !window.__zzPrinted) {
            const ranking = document.querySelector(".zz-dock-panel[data-tab='ranking']");
            window.__zzPrinted = {map: check('path.zz-district'), ranking: ranking ? ranking.innerText : ''};
        }
    });
}
"""


def test_the_map_image_button_downloads_a_print_resolution_png(zz: ZzPage, tmp_path: Path) -> None:
    from PIL import Image

    zz.open("?lang=en&year=2024&ind=gap_sites")
    panel = zz.open_tab("export")
    with zz.page.expect_download(timeout=120_000) as info:
        panel.locator("#brief-map").click()
    download = info.value
    assert download.suggested_filename == "zzgeo-map-gap_sites-2024-en.png"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with Image.open(path) as image:
        assert max(image.size) >= 3000
    expect(panel.locator("#brief-status")).to_contain_text("zzgeo-map-gap_sites-2024-en.png")
    expect(panel.locator("#brief-job")).to_be_hidden()


def test_the_report_button_shows_progress_then_downloads_the_pdf(zz: ZzPage, tmp_path: Path) -> None:
    zz.open()
    panel = zz.open_tab("export")
    with zz.page.expect_download(timeout=240_000) as info:
        panel.locator("#brief-report").click()
        progress = panel.locator("#brief-progress .zz-progress")
        expect(progress).to_have_attribute("data-what", "report")
        expect(progress).to_have_attribute("data-state", re.compile("queued|running"))
        expect(panel.locator("#brief-progress .zz-progress-text")).to_contain_text("简报报告")
    download = info.value
    assert download.suggested_filename == "zzgeo-report-2025-zh.pdf"
    path = tmp_path / "report.pdf"
    download.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    expect(panel.locator("#brief-status")).to_contain_text("已生成")


def test_full_screen_keeps_legend_and_caption(zz: ZzPage) -> None:
    zz.open("?year=2024")
    zz.page.locator(".leaflet-control-zoom-fullscreen").click()
    zz.page.wait_for_function("document.fullscreenElement && document.fullscreenElement.id === 'map-wrap'")
    expect(zz.page.locator("#legend .zz-legend-content")).to_be_visible()
    caption = zz.page.locator("#map-caption")
    expect(caption).to_be_visible()
    expect(caption).to_contain_text("2024")
    expect(caption).to_contain_text("每万人")
    zz.page.evaluate("document.exitFullscreen()")
    zz.page.wait_for_function("!document.fullscreenElement")
    expect(caption).to_be_hidden()


def test_print_hides_the_controls_and_keeps_the_legend_swatches(zz: ZzPage) -> None:
    zz.open()
    zz.page.emulate_media(media="print")
    expect(zz.page.locator("#sidebar")).to_be_hidden()
    expect(zz.page.locator("#legend .zz-swatch").first).to_be_visible()
    adjust = zz.page.evaluate(
        "getComputedStyle(document.querySelector('#legend .zz-swatch')).printColorAdjust"
        " || getComputedStyle(document.querySelector('#legend .zz-swatch')).webkitPrintColorAdjust"
    )
    assert adjust == "exact"
    expect(zz.page.locator(".zz-dock-panel[data-tab='ranking']")).to_be_visible()
    expect(zz.page.locator("#map-caption")).to_be_visible()
    zz.page.pdf(path=str(Path("/tmp") / "zzgeo-print.pdf"), prefer_css_page_size=True, print_background=True)


def test_print_fits_the_city_to_the_printed_map_then_restores_the_view(zz: ZzPage) -> None:
    """A zoomed-in screen view prints the city whole (print emulation), and comes back after;
    a real print (page.pdf) fits the city to the sheet's map box as the sheet is laid out."""
    zz.open("?c=24.45,117.75&z=11")
    page = zz.page
    assert page.evaluate(IN_MAP_BOX_JS, "path.zz-district")["outside"] > 0  # the screen shows a part
    page.emulate_media(media="print")
    page.wait_for_function(
        f"() => {{ const r = ({IN_MAP_BOX_JS})('path.zz-district');"
        f" return r.n === {DISTRICT_COUNT} && r.outside === 0; }}"
    )
    zz.wait_map_idle()
    placed = page.evaluate(IN_MAP_BOX_JS, "path.zz-district")
    assert placed["outside"] == 0, placed  # whole
    assert placed["share"] > 0.6, placed  # and large on the sheet
    screenshot(page, "print_city")
    page.emulate_media(media="null")  # no emulation: page.pdf below prints
    page.wait_for_function("() => zzgeo.leafletMap.getZoom() === 11")
    zz.wait_map_idle()

    page.evaluate(RECORD_AT_PRINT_JS, IN_MAP_BOX_JS)
    page.pdf(path=str(ARTIFACTS / "print_city.pdf"), prefer_css_page_size=True, print_background=True)
    printed = page.evaluate("window.__zzPrinted")
    assert printed is not None, "the print media never applied"
    assert printed["map"]["n"] == DISTRICT_COUNT, printed["map"]
    assert printed["map"]["outside"] == 0, printed["map"]
    page.wait_for_function("() => zzgeo.leafletMap.getZoom() === 11")


def test_print_fits_the_selected_district(zz: ZzPage) -> None:
    zz.open("?d=350628")
    page = zz.page
    expect(page.locator("path.zz-selected")).to_have_count(1)
    page.emulate_media(media="print")
    page.wait_for_function(
        f"() => {{ const r = ({IN_MAP_BOX_JS})('path.zz-selected');"
        " return r.n === 1 && r.outside === 0 && r.share > 0.6; }"
    )


def test_print_shows_the_ranking_rows_without_opening_its_tab(zz: ZzPage) -> None:
    """The ranking tab was never opened (its grid's code is not loaded): the sheet still lists its 11 districts."""
    from zzgeo.districts import load_districts

    names = load_districts()["name_zh"].tolist()
    zz.open()
    page = zz.page
    page.evaluate(RECORD_AT_PRINT_JS, IN_MAP_BOX_JS)
    page.pdf(path=str(ARTIFACTS / "print_ranking.pdf"), prefer_css_page_size=True, print_background=True)
    printed = page.evaluate("window.__zzPrinted")
    assert printed is not None, "the print media never applied"
    assert [name for name in names if name not in printed["ranking"]] == [], printed["ranking"][:300]

    page.emulate_media(media="print")
    ranking = page.locator(".zz-dock-panel[data-tab='ranking']")
    for name in names:
        expect(ranking.get_by_text(name, exact=True)).to_be_visible()
