"""Briefing outputs in the browser: the map image downloads, the report shows its progress then downloads,
full screen keeps legend and caption, print hides the controls and keeps the legend's swatches."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect
from zzbrowser import ZzPage


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
