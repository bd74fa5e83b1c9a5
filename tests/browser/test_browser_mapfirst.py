"""Map first, time, search and the honest what-if, in Chromium.

Place search (Chinese, English, pinyin, site id), playing the years and comparing two, the
"Over time" tab, what-if proposals that change coverage, clicks through the clusters,
Leaflet's own controls in Chinese, the folding side bar.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pytest
from app import ids
from playwright.sync_api import expect
from zzbrowser import DISTRICT_COUNT, DashCalls, ZzPage, screenshot

from zzgeo.indicators import filter_layer, with_districts
from zzgeo.layers import load_layer

PINGHE = "350628"
LONGWEN = "350603"


@pytest.fixture(scope="module")
def sites() -> gpd.GeoDataFrame:
    return with_districts(load_layer("5g_sites"))


def panel_adcode(zz: ZzPage) -> str:
    return zz.page.locator("#district-panel-body .zz-panel-content").get_attribute("data-adcode") or ""


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize("query", ["平和", "Pinghe", "pinghe"])
def test_search_finds_a_district_by_any_name_and_opens_it(zz: ZzPage, query: str) -> None:
    zz.open()
    page = zz.page
    box = page.get_by_role("searchbox", name="搜索")
    expect(box).to_have_attribute("type", "search")
    box.fill(query)
    hit = page.locator(f"#search-results [data-kind=district][data-key='{PINGHE}']")
    expect(hit).to_be_visible()
    expect(hit).to_contain_text("平和县")
    width_before = (page.locator(f"path.zz-d-{PINGHE}").bounding_box() or {"width": 0})["width"]
    hit.click()
    expect(page.locator("#district-panel-body .zz-panel-content")).to_have_attribute("data-adcode", PINGHE)
    expect(page).to_have_url(re.compile(rf"d={PINGHE}"))
    expect(page.locator("#search-results")).to_be_empty()
    # the map flies there: the district grows on screen and is outlined
    page.wait_for_function(
        "([code, w]) => document.querySelector('path.zz-d-' + code).getBoundingClientRect().width > 1.5 * w",
        arg=[PINGHE, width_before],
    )
    expect(page.locator(f"path.zz-d-{PINGHE}")).to_have_class(re.compile(r"zz-selected"))


def test_search_finds_a_site_by_id_with_enter_and_rings_it(zz: ZzPage, sites: gpd.GeoDataFrame) -> None:
    site = sites[sites["district_adcode"] == LONGWEN].iloc[0]
    zz.open("?lang=en")
    page = zz.page
    box = page.get_by_role("searchbox", name="Search")
    box.fill(site["site_id"].lower())  # case does not matter
    expect(page.locator(f"#search-results [data-kind=site][data-key='{site['site_id']}']")).to_be_visible()
    expect(page.locator("#search-results")).to_contain_text("Longwen District")
    box.press("Enter")  # the first result
    expect(page.locator("#district-panel-body .zz-panel-content")).to_have_attribute("data-adcode", LONGWEN)
    ring = page.locator("#map path.zz-found")
    expect(ring).to_have_count(1)
    zz.wait_map_idle()
    # the map is at the site: its ring sits near the map's centre
    box_map = page.locator("#map").bounding_box()
    ring_box = ring.bounding_box()
    assert box_map is not None
    assert ring_box is not None
    cx, cy = ring_box["x"] + ring_box["width"] / 2, ring_box["y"] + ring_box["height"] / 2
    assert abs(cx - (box_map["x"] + box_map["width"] / 2)) < box_map["width"] * 0.3
    assert abs(cy - (box_map["y"] + box_map["height"] / 2)) < box_map["height"] * 0.3


def test_search_says_when_nothing_matches(zz: ZzPage) -> None:
    zz.open()
    zz.page.get_by_role("searchbox", name="搜索").fill("<b>nowhere</b>")
    result = zz.page.locator("#search-results .zz-search-none")
    expect(result).to_contain_text("没有找到“<b>nowhere</b>”")  # shown as text, not as markup
    expect(zz.page.locator("#search-results b")).to_have_count(0)


# --------------------------------------------------------------------------- time


def test_the_years_follow_the_data(zz: ZzPage, sites: gpd.GeoDataFrame) -> None:
    zz.open("?year=2027&st=planned,under_construction,in_service")
    last = int(sites["year_in_service"].max())
    thumb = zz.slider_thumb()
    expect(thumb).to_have_attribute("aria-valuemax", str(last))
    expect(thumb).to_have_attribute("aria-valuenow", "2027")
    statuses = ["planned", "under_construction", "in_service"]
    want = filter_layer(sites, "5g_sites", year=2027, statuses=statuses)
    expect(zz.page.locator("#card-sites")).to_have_attribute(
        "data-value", str(int(want["district_adcode"].notna().sum()))
    )
    # no target after the plan's end, and the page says so
    expect(zz.page.locator("#card-density .zz-card-sub")).to_contain_text("2027 年无规划目标")


def test_play_animates_the_years_and_pause_stops(zz: ZzPage) -> None:
    zz.open("?year=2020")
    page = zz.page
    thumb = zz.slider_thumb()
    sites_2020 = int(zz.card("card-sites"))
    play = page.locator("#year-play")
    play.click()
    expect(play).to_have_attribute("aria-pressed", "true")
    expect(thumb).to_have_attribute("aria-valuenow", "2021", timeout=10_000)
    expect(thumb).to_have_attribute("aria-valuenow", "2022", timeout=10_000)
    # cumulative growth: the cards follow each year
    expect(page.locator("#card-sites")).not_to_have_attribute("data-value", str(sites_2020))
    assert int(zz.card("card-sites")) > sites_2020
    play.click()  # pause: the same answer turns the timer off (aria-pressed says so)
    expect(play).to_have_attribute("aria-pressed", "false")
    paused = thumb.get_attribute("aria-valuenow") or ""
    expect(page).to_have_url(re.compile(rf"year={paused}"))
    # steps
    page.click("#year-next")
    expect(thumb).to_have_attribute("aria-valuenow", str(int(paused) + 1))
    page.click("#year-back")
    page.click("#year-back")
    expect(thumb).to_have_attribute("aria-valuenow", str(int(paused) - 1))


def test_compare_two_years_shows_the_change_map(zz: ZzPage) -> None:
    zz.open("?year=2025")
    page = zz.page
    before = zz.fills()
    zz.choose("compare-year", "2023")
    expect(page).to_have_url(re.compile(r"cmp=2023"))
    legend = page.locator("#legend .zz-legend-title")
    expect(legend).to_contain_text("2023 → 2025")
    page.wait_for_function(
        "(before) => [...document.querySelectorAll('path.zz-district')].some("
        "p => p.getAttribute('fill') !== before[[...p.classList].find(c => /^zz-d-/.test(c)).slice(5)])",
        arg=before,
    )
    colors = set(page.locator("#legend li[data-color]").evaluate_all("els => els.map(e => e.dataset.color)"))
    assert set(zz.fills().values()) <= colors | {"#d9d9d9"}
    text = zz.hover_district(PINGHE, "平和县")
    assert re.search(r"2023 年 [\d.]+ → 2025 年 [\d.]+（\+[\d.]+）", text), text
    screenshot(page, "compare_2023_2025", full_page=False)
    # a shared link opens the same comparison; clearing it brings the plain map back
    zz.open("?year=2025&cmp=2023&lang=en")
    expect(page.locator("#legend .zz-legend-title")).to_contain_text("Change of")
    page.locator("#compare-year .dash-dropdown-clear, #compare-year [aria-label*='Clear']").first.click()
    expect(page).not_to_have_url(re.compile(r"cmp="))
    expect(page.locator("#legend .zz-legend-title")).not_to_contain_text("Change")


def test_over_time_tab_has_the_district_by_year_table_and_the_target_path(zz: ZzPage, sites: gpd.GeoDataFrame) -> None:
    zz.open("?cmp=2023")
    panel = zz.open_tab("time")
    table = panel.locator(".zz-time-table")
    expect(table.locator("tbody tr")).to_have_count(DISTRICT_COUNT + 1)
    in_service = sites[sites["status"] == "in_service"]
    for year in (2021, 2025):
        want = int(((in_service["year_in_service"] <= year) & (in_service["district_adcode"] == PINGHE)).sum())
        cell = table.locator(f"tr[data-adcode='{PINGHE}'] td[data-year='{year}']")
        expect(cell).to_have_attribute("data-sites", str(want))
    # the years compared stand out
    expect(table.locator("thead th.zz-marked")).to_have_text(["2023", "2025"])
    chart = panel.locator("#time-chart .js-plotly-plot")
    expect(chart).to_be_visible()
    traces = chart.evaluate("el => el.data.map(t => ({type: t.type || 'scatter', x: Array.from(t.x || [])}))")
    assert next(int(x) for x in traces[0]["x"]) == 2019
    assert [int(x) for x in traces[1]["x"]] == [2023, 2024, 2025]  # the target path where the plan sets it
    screenshot(zz.page, "over_time_tab", full_page=False)
    # closed, the tab asks the server nothing when the view changes; opened again, it shows the new view
    calls = DashCalls(zz.page)
    zz.close_dock()
    zz.set_year(2024)
    expect(zz.page).to_have_url(re.compile(r"year=2024"))
    expect(zz.page.locator("#card-sites")).not_to_have_attribute("data-value", "")
    zz.page.wait_for_load_state("networkidle")
    assert [c for c in calls if ids.TIME_PANEL in c["output"]] == [], calls
    panel = zz.open_tab("time")
    expect(panel.locator(".zz-time-table thead th.zz-marked")).to_have_text(["2023", "2024"])


# --------------------------------------------------------------------------- what-if


def test_proposals_change_coverage_and_close_gaps(zz: ZzPage) -> None:
    zz.open("?hex=gaps&res=7")
    page = zz.page
    gaps = page.locator("#hex-legend .zz-legend-hex-gaps")
    expect(gaps).not_to_have_attribute("data-cells", "0")
    gaps_before = int(gaps.get_attribute("data-cells") or 0)
    zz.open_tab("whatif")
    page.fill("#whatif-n", "185")
    page.click("#whatif-suggest")
    expect(page.locator("#map path.zz-proposed")).to_have_count(185)
    line = page.locator(f"#whatif-summary li[data-adcode='{PINGHE}']")
    expect(line).to_be_visible()
    before = float(line.get_attribute("data-coverage-before") or 0)
    after = float(line.get_attribute("data-coverage-after") or 0)
    assert after > before, (before, after)
    expect(line).to_contain_text("陆地覆盖")
    # fewer gap hexagons under the proposals
    page.wait_for_function(
        "(n) => { const g = document.querySelector('#hex-legend .zz-legend-hex-gaps');"
        " return g && Number(g.dataset.cells) < n; }",
        arg=gaps_before,
    )
    # the panel shows the coverage with the proposals
    x, y = zz.district_points(PINGHE)[0]
    page.mouse.click(x, y)
    cell = page.locator("#district-panel-body td[data-indicator=coverage_pct]")
    expect(cell).to_have_text(f"{after:.1f}")
    screenshot(page, "whatif_coverage", full_page=False)


# --------------------------------------------------------------------------- the map


# Screen points inside a district covered by something drawn over it, by what covers them.
_COVERED_JS = """
(code) => {
    const path = document.querySelector('path.zz-d-' + code);
    const bb = path.getBBox(), m = path.getScreenCTM(), out = {cluster: [], symbol: []};
    for (let i = 1; i < 30; i++) for (let j = 1; j < 30; j++) {
        const x = bb.x + bb.width * i / 30, y = bb.y + bb.height * j / 30;
        if (!path.isPointInFill(new DOMPoint(x, y))) continue;
        const sx = m.a * x + m.c * y + m.e, sy = m.b * x + m.d * y + m.f;
        const el = document.elementFromPoint(sx, sy);
        if (el.closest('.zz-cluster')) out.cluster.push([sx, sy]);
        else if (el.closest('.zz-sym')) out.symbol.push([sx, sy]);
    }
    return out;
}
"""


@pytest.mark.parametrize("cover", ["cluster", "symbol"])
def test_district_clicks_at_city_zoom_go_through_what_covers_them(zz: ZzPage, cover: str) -> None:
    """Clusters and symbols cover much of the small urban 龙文区 at city zoom: a click on them opens it."""
    zz.open()
    expect(zz.markers(".zz-cluster").first).to_be_visible()  # the sites are drawn: what covers the district
    zz.wait_map_idle()
    covered = zz.page.evaluate(_COVERED_JS, LONGWEN)[cover]
    assert len(covered) >= 10, f"few points of 龙文区 under a {cover}: the test needs another district"
    x, y = covered[len(covered) // 2]
    zz.page.mouse.click(x, y)
    expect(zz.page.locator("#district-panel-body .zz-panel-content")).to_have_attribute("data-adcode", LONGWEN)


def test_leaflet_controls_speak_chinese(zz: ZzPage) -> None:
    zz.open()
    page = zz.page
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "放大")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "缩小")
    expect(page.locator(".leaflet-control-zoom-fullscreen")).to_have_attribute("title", "全屏显示")
    expect(page.locator(".leaflet-control-layers-toggle")).to_have_attribute("title", "底图")
    expect(page.locator("a.leaflet-draw-draw-circlemarker")).to_have_attribute("title", "添加拟建5G站点")
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("贡献者")
    page.click("a.leaflet-draw-draw-circlemarker")
    expect(page.locator(".leaflet-draw-actions a").first).to_have_text("取消")
    expect(page.locator(".leaflet-draw-tooltip")).to_contain_text("在地图上点击以放置拟建站点")
    zz.open("?lang=en")
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Zoom in")


def test_the_side_bar_folds_and_the_map_takes_the_width(zz: ZzPage) -> None:
    zz.open()
    page = zz.page
    width = (page.locator("#map").bounding_box() or {"width": 0})["width"]
    toggle = page.locator("#sidebar-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#controls")).to_be_hidden()
    page.wait_for_function("(w) => document.querySelector('#map').getBoundingClientRect().width > w + 200", arg=width)
    zz.wait_map_idle()
    assert zz.covered_share("#legend-box") == 0  # refitted to the wider map
    toggle.click()
    expect(page.locator("#controls")).to_be_visible()
