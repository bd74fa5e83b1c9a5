"""The app in Chromium at 1280×800: map, controls, panel, language, URL state, exports, what-if.

Counts are checked against the zzgeo library on the same shipped data (``filter_layer``
on ``load_layer``), so the browser shows what the library computes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import geopandas as gpd
import pytest
from app import ids
from app.state import parse_query
from playwright.sync_api import expect
from zzbrowser import DISTRICT_COUNT, DashCalls, ZzPage, screenshot

from zzgeo.indicators import INDICATORS, filter_layer, with_districts
from zzgeo.layers import OPERATORS, load_layer

ALL_OPERATORS = list(OPERATORS)
CHANGTAI = "350605"  # 长泰区: published (NBS county tabulation); a test table marks it derived
PUBLISHED = "350628"  # 平和县: population from a (secondary) publication
# Zhangzhou with a margin, for coordinates in exports
LON_RANGE, LAT_RANGE = (116.5, 118.5), (23.3, 25.5)
# Okabe-Ito operator colours of the site markers (the proposals must look different)
OPERATOR_FILLS = {"#0072b2", "#009e73", "#d55e00", "#cc79a7"}
# true once every district has the fill given for its adcode
SAME_FILLS = (
    "(fills) => Object.entries(fills)"
    ".every(([c, f]) => document.querySelector('path.zz-d-' + c).getAttribute('fill') === f)"
)


@pytest.fixture(scope="session")
def layers() -> dict[str, gpd.GeoDataFrame]:
    """The shipped point layers as the library loads them (5G sites with their district)."""
    return {
        "5g_sites": with_districts(load_layer("5g_sites")),
        "data_centers": load_layer("data_centers"),
        "smart_projects": load_layer("smart_projects"),
    }


def expected(
    layers: dict[str, gpd.GeoDataFrame],
    kind: str,
    *,
    year: int = 2025,
    operators: list[str] | None = None,
    statuses: tuple[str, ...] = ("in_service",),
) -> gpd.GeoDataFrame:
    """What zzgeo keeps of a layer for these filters (the default view: 2025, in service)."""
    ops = (operators or ALL_OPERATORS) if kind == "5g_sites" else None
    return filter_layer(layers[kind], kind, year=year, operators=ops, statuses=list(statuses))


def sites_in_districts(gdf: gpd.GeoDataFrame) -> int:
    return int(gdf["district_adcode"].notna().sum())


def read_geojson(path: Path) -> dict:
    """Parse a download and check it is an RFC 7946 FeatureCollection of points in Zhangzhou."""
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data  # RFC 7946: WGS 84 only, no crs member
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"][:2]
        assert LON_RANGE[0] < lon < LON_RANGE[1]
        assert LAT_RANGE[0] < lat < LAT_RANGE[1]
    # and GDAL reads it as the same number of features
    assert len(gpd.read_file(path, engine="pyogrio")) == len(data["features"])
    return data


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


# ---------------------------------------------------------------------------------------
# first view


def test_page_loads_without_console_errors(zz: ZzPage) -> None:
    """The default (Chinese) view: no console errors except tiles (asserted by the fixture)."""
    zz.open()
    page = zz.page
    expect(page.locator("#page")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("#app-title")).to_have_text("漳州新基建地图")
    expect(zz.markers(".zz-cluster").first).to_be_visible()
    zz.no_error_banner()
    zz.no_horizontal_overflow()
    screenshot(page, "default_zh")


def test_the_first_view_asks_the_server_for_nothing_but_the_maps_fit(zz: ZzPage) -> None:
    """The page comes with its first view (view state, colours, legend, ranking, cards, layer
    counts): no request for the first render, the views, the closed dock's panels (import,
    history, over time) or the hexagons that are off. At most one: sync_view noting where the
    map's first fit put it (which changes nothing the page shows)."""
    server_calls = DashCalls(zz.page)
    zz.open()
    zz.page.wait_for_load_state("networkidle")
    assert len(server_calls) <= 1, server_calls
    for call in server_calls:
        assert ids.STATE in call["output"], call
        assert set(call["changed"]) <= DashCalls.MAP_PROPS, call
    # what the views' answer used to bring is there: the counts, the legend, the ranking's rows
    expect(zz.page.locator(".zz-count").first).to_have_text(re.compile(r"\(\d[\d,]*\)"))
    expect(zz.page.locator("#legend .zz-legend-content")).to_have_count(1)
    zz.show_ranking()
    # opening the ranking asks nothing either (the map refits to its new size and says so)
    assert server_calls.not_from_map() == [], server_calls


def test_eleven_district_shapes_are_drawn(zz: ZzPage) -> None:
    zz.open()
    fills = zz.fills()
    assert len(fills) == DISTRICT_COUNT
    assert all(re.fullmatch(r"#[0-9a-fA-F]{6}", f) for f in fills.values()), fills
    # coloured from the first paint: not every district in the "no data" grey
    assert set(fills.values()) != {"#d9d9d9"}
    for code in fills:
        box = zz.page.locator(f"path.zz-d-{code}").bounding_box()
        assert box is not None
        assert box["width"] > 3
        assert box["height"] > 3


def test_synthetic_sample_note_is_visible(zz: ZzPage) -> None:
    zz.open()
    note = zz.page.locator("#synthetic-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("合成样例数据")
    box = note.bounding_box()
    assert box is not None
    assert box["y"] < 800, "the note is not in the first screen"
    zz.open("?lang=en")
    expect(note).to_contain_text("synthetic sample")


@pytest.mark.parametrize("size", [(1440, 900), (1920, 1080)])
def test_the_map_takes_most_of_the_window_and_the_legend_covers_no_district(zz: ZzPage, size: tuple[int, int]) -> None:
    """Map first: at least 60% of the window; the city fitted right of the legend, which covers none of it."""
    width, height = size
    zz.page.set_viewport_size({"width": width, "height": height})
    zz.open()
    zz.no_horizontal_overflow()
    box = zz.page.locator("#map").bounding_box()
    assert box is not None
    share = box["width"] * box["height"] / (width * height)
    assert share >= 0.6, f"the map takes {share:.0%} of {width}x{height}"
    assert zz.covered_share("#legend-box") == 0
    # the city is fitted tightly: its outline spans most of the map's height or width
    city = zz.page.evaluate(
        "() => { const b = [...document.querySelectorAll('path.zz-district')].map(p => p.getBoundingClientRect());"
        " return [Math.max(...b.map(r => r.bottom)) - Math.min(...b.map(r => r.top)),"
        " Math.max(...b.map(r => r.right)) - Math.min(...b.map(r => r.left))] }"
    )
    assert city[0] > 0.75 * box["height"] or city[1] > 0.75 * (box["width"] - 216), (city, box)
    # a panel of the dock shrinks the map but keeps it on screen, and the city is refitted
    zz.show_ranking()
    after = zz.page.locator("#map").bounding_box()
    assert after is not None
    assert after["height"] >= 240
    assert after["y"] + after["height"] <= height
    expect(zz.page).not_to_have_url(re.compile(r"[?&]c="))  # still the city's home view
    assert zz.covered_share("#legend-box") == 0
    screenshot(zz.page, f"layout_{width}x{height}", full_page=False)


def test_ranking_grid_code_loads_only_when_the_ranking_is_opened(zz: ZzPage) -> None:
    """dash-ag-grid's bundle is not in the first load: a stand-in keeps its place until its tab opens."""
    page = zz.page
    grid_code: list[str] = []
    page.on("request", lambda r: grid_code.append(r.url) if "/dash_ag_grid/" in r.url else None)
    zz.open()
    pending = page.locator("#ranking-grid.zz-grid-pending")
    expect(pending).to_have_attribute("aria-busy", "true")
    expect(pending.locator(".zz-grid-pending-text")).to_have_text("正在载入表格…")
    expect(pending.locator(".zz-print-table tbody tr")).to_have_count(DISTRICT_COUNT)  # for print only
    expect(pending).to_be_hidden()  # its tab is closed
    page.wait_for_load_state("networkidle")
    assert grid_code == [], f"grid code fetched before the ranking was opened: {grid_code}"

    zz.show_ranking()
    assert any("dash_ag_grid.v" in url for url in grid_code), grid_code
    expect(pending).to_have_count(0)
    # the stand-in forwards the grid's API, and the grid answers callbacks as before
    assert page.evaluate("() => window.dash_ag_grid.zzLazy === true && typeof window.dash_ag_grid.getApi")
    rows = page.evaluate("() => window.dash_ag_grid.getApi('ranking-grid').getDisplayedRowCount()")
    assert rows == DISTRICT_COUNT
    zz.choose("indicator-picker", "residents_per_site")
    spec = INDICATORS["residents_per_site"]
    expect(page.locator("#ranking-grid .ag-header-cell[col-id='value']")).to_contain_text(spec.title.get("zh"))
    zz.no_error_banner()


def test_ranking_grid_says_so_when_its_code_cannot_load(zz: ZzPage, console_errors: list[str]) -> None:
    """A failed load of the grid's code leaves a message in its place; the rest of the page works."""
    page = zz.page
    page.route("**/dash_ag_grid/**", lambda route: route.abort())
    zz.open()
    zz.open_tab("ranking")
    grid = page.locator("#ranking-grid")
    expect(grid.locator(".zz-grid-pending-text")).to_have_text("表格未能载入，请刷新页面。")
    expect(grid).to_have_attribute("role", "alert")
    before = zz.fills()
    zz.choose("indicator-picker", "gap_sites")
    page.wait_for_function(
        "(before) => [...document.querySelectorAll('path.zz-district')].some("
        "p => p.getAttribute('fill') !== before[[...p.classList].find(c => /^zz-d-/.test(c)).slice(5)])",
        arg=before,
    )
    zz.no_error_banner()
    # the aborted script is the only console error (the fixture asserts there is no other)
    failed = [e for e in console_errors if "ERR_FAILED" in e]
    assert failed, console_errors
    console_errors[:] = [e for e in console_errors if e not in failed]


# ---------------------------------------------------------------------------------------
# choropleth, tooltips, layers, filters


def test_changing_the_indicator_recolours_the_districts(zz: ZzPage) -> None:
    zz.open()
    page = zz.page
    zz.show_ranking()
    page.wait_for_load_state("networkidle")  # the first view's own requests are done
    before = zz.fills()
    server_calls = DashCalls(page)

    zz.choose("indicator-picker", "sites_per_100km2")

    page.wait_for_function(
        "(before) => [...document.querySelectorAll('path.zz-district')].some("
        "p => p.getAttribute('fill') !== before[[...p.classList].find(c => /^zz-d-/.test(c)).slice(5)])",
        arg=before,
    )
    spec = INDICATORS["sites_per_100km2"]
    expect(page.locator("#legend .zz-legend-title")).to_contain_text(spec.title.get("zh"))
    after = zz.fills()
    assert after != before
    # every district is coloured with a class of the new legend
    legend = set(page.locator("#legend li[data-color]").evaluate_all("els => els.map(e => e.dataset.color)"))
    assert set(after.values()) <= legend, (after, legend)
    expect(page.locator("#ranking-grid .ag-header-cell[col-id='value']")).to_contain_text(spec.title.get("zh"))
    expect(page).to_have_url(re.compile(r"ind=sites_per_100km2"))
    expect(page.locator("#lang-link")).to_have_attribute("href", re.compile(r"ind=sites_per_100km2"))
    # the tooltip follows too
    assert spec.title.get("zh") in zz.hover_district("350602", "芗城区")
    # all of it in the browser: no request reached the server (Dash sends a callback's request in
    # the same turn as the change that triggers it, so by now it would have been sent)
    assert server_calls.not_from_map() == [], server_calls
    # and back restores the first indicator
    page.go_back()
    expect(page.locator("#legend .zz-legend-title")).to_contain_text(INDICATORS["sites_per_10k"].title.get("zh"))
    assert zz.fills() == before


def test_colour_scheme_changes_in_the_browser_and_back_restores_it(zz: ZzPage) -> None:
    zz.open()
    page = zz.page
    page.wait_for_load_state("networkidle")  # the first view's own requests are done
    standard = zz.fills()
    server_calls = DashCalls(page)

    zz.choose("palette-picker", "grey")
    greys = {"#f7f7f7", "#cccccc", "#969696", "#636363", "#252525"}
    page.wait_for_function(
        "(greys) => [...document.querySelectorAll('path.zz-district')]"
        ".every(p => greys.includes(p.getAttribute('fill')))",
        arg=sorted(greys),
    )
    legend = page.locator("#legend li[data-color]").evaluate_all("els => els.map(e => e.dataset.color)")
    assert set(legend) <= greys
    assert set(zz.fills().values()) <= set(legend)
    # the classes stay: districts sharing a colour before share one now
    grey = zz.fills()
    for a in standard:
        for b in standard:
            assert (standard[a] == standard[b]) == (grey[a] == grey[b]), (a, b)
    expect(page).to_have_url(re.compile(r"pal=grey"))
    screenshot(page, "palette_grey")
    assert server_calls.not_from_map() == [], server_calls

    zz.choose("palette-picker", "cb")
    expect(page).to_have_url(re.compile(r"pal=cb"))
    page.wait_for_function(
        "(before) => [...document.querySelectorAll('path.zz-district')].every("
        "p => p.getAttribute('fill') !== before[[...p.classList].find(c => /^zz-d-/.test(c)).slice(5)])",
        arg=grey,
    )
    assert server_calls.not_from_map() == [], server_calls
    # back: grey again; back once more: the standard colours and a URL without pal=
    page.go_back()
    expect(page).to_have_url(re.compile(r"pal=grey"))
    expect(page.locator("#palette-picker")).to_contain_text("灰度")
    page.wait_for_function(SAME_FILLS, arg=grey)
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"pal="))
    page.wait_for_function(SAME_FILLS, arg=standard)
    # a shared link opens with the chosen colours
    zz.open("?pal=grey&ind=gap_sites")
    assert set(zz.fills().values()) <= greys | {"#d9d9d9"}
    expect(page.locator("#legend .zz-legend-title")).to_contain_text(INDICATORS["gap_sites"].title.get("zh"))


def test_district_tooltip_shows_names_value_unit_and_population_status(zz: ZzPage) -> None:
    zz.open()
    zz.show_ranking()
    spec = INDICATORS["sites_per_10k"]
    for code, zh, en, population in (
        (CHANGTAI, "长泰区", "Changtai District", "228,235"),
        (PUBLISHED, "平和县", "Pinghe County", "455,042"),
    ):
        value = zz.page.locator(f"#ranking-grid .ag-row[row-id='{code}'] [col-id='value']").inner_text()
        text = zz.hover_district(code, zh)
        assert f"{zh} · {en}" in text, text
        assert f"{spec.title.get('zh')}：{value}" in text, text
        assert spec.unit.get("zh") in text, text
        assert population in text, text
        assert "推算" not in text, text  # every district's figure is a published one
        zz.page.mouse.move(5, 5)  # leave the map: the tooltip closes
        expect(zz.page.locator(".leaflet-tooltip.zz-tip").filter(has_text=zh)).to_have_count(0)


def test_a_derived_population_is_marked_in_tooltip_and_panel(derived_zz: ZzPage) -> None:
    """With a population table that marks a figure derived (a user's own), the page says so."""
    zz = derived_zz
    zz.open("?lang=en")
    text = zz.hover_district(CHANGTAI, "Changtai")
    assert "Changtai District · 长泰区" in text, text
    assert re.search(r"Population: 228,235 \(2020, derived\*\)", text), text
    x, y = zz.district_points(CHANGTAI)[0]
    zz.page.mouse.click(x, y)
    panel = zz.page.locator("#district-panel-body")
    expect(panel.locator(".zz-panel-content")).to_have_attribute("data-adcode", CHANGTAI)
    expect(panel).to_contain_text("derived: no direct publication found")


def test_district_tooltip_in_english(zz: ZzPage) -> None:
    zz.open("?lang=en")
    zz.show_ranking()
    text = zz.hover_district(CHANGTAI, "Changtai")
    assert "Changtai District · 长泰区" in text, text
    value = zz.page.locator(f"#ranking-grid .ag-row[row-id='{CHANGTAI}'] [col-id='value']").inner_text()
    spec = INDICATORS["sites_per_10k"]
    assert f"{spec.title.get('en')}: {value}" in text, text
    # the unit is said once: after the value, or by the title itself ("Sites per 10,000 residents")
    assert spec.unit.get("en").lower() in text.lower(), text
    assert re.search(r"Population: 228,235 \(2020, published\)", text), text


def test_layer_toggles_add_and_remove_markers(zz: ZzPage, layers: dict[str, gpd.GeoDataFrame]) -> None:
    zz.open()
    clusters = zz.markers(".zz-cluster")
    data_centers = zz.markers(".zz-sym-dc")
    projects = zz.markers(".zz-sym-five_new, .zz-sym-integration, .zz-sym-innovation, .zz-sym-other")
    n_dc = len(expected(layers, "data_centers"))
    n_proj = len(expected(layers, "smart_projects"))
    expect(clusters.first).to_be_visible()
    expect(data_centers).to_have_count(n_dc)
    expect(projects).to_have_count(n_proj)
    assert zz.layer_count("5g_sites") == len(expected(layers, "5g_sites"))
    assert zz.layer_count("data_centers") == n_dc
    assert zz.layer_count("smart_projects") == n_proj

    zz.toggle("layer-toggles", "5g_sites")
    expect(clusters).to_have_count(0)
    expect(zz.page.locator("#map .zz-site")).to_have_count(0)
    expect(data_centers).to_have_count(n_dc)  # the other layers stay

    zz.toggle("layer-toggles", "data_centers")
    expect(data_centers).to_have_count(0)
    zz.toggle("layer-toggles", "smart_projects")
    expect(projects).to_have_count(0)
    expect(zz.page).to_have_url(re.compile(r"layers=(&|$)"))

    zz.toggle("layer-toggles", "5g_sites")
    expect(clusters.first).to_be_visible()
    zz.toggle("layer-toggles", "data_centers")
    expect(data_centers).to_have_count(n_dc)


def test_filters_change_the_counts(zz: ZzPage, layers: dict[str, gpd.GeoDataFrame]) -> None:
    zz.open()
    page = zz.page
    default = expected(layers, "5g_sites")
    assert zz.card("card-sites") == str(sites_in_districts(default))

    # year slider
    zz.set_year(2022)
    in_2022 = expected(layers, "5g_sites", year=2022)
    expect(page.locator("#card-sites")).to_have_attribute("data-value", str(sites_in_districts(in_2022)))
    assert zz.layer_count("5g_sites") == len(in_2022)
    assert len(in_2022) < len(default)
    expect(page).to_have_url(re.compile(r"year=2022"))
    expect(page.locator("#card-sites .zz-card-sub")).to_contain_text("2022")

    # operator filter
    zz.toggle("operator-filter", "China Mobile")
    no_mobile = expected(layers, "5g_sites", year=2022, operators=ALL_OPERATORS[1:])
    expect(page.locator("#card-sites")).to_have_attribute("data-value", str(sites_in_districts(no_mobile)))
    assert zz.layer_count("5g_sites") == len(no_mobile)

    # status filter: planned sites join
    zz.toggle("status-filter", "planned")
    with_planned = expected(
        layers, "5g_sites", year=2022, operators=ALL_OPERATORS[1:], statuses=("planned", "in_service")
    )
    expect(page.locator("#card-sites")).to_have_attribute("data-value", str(sites_in_districts(with_planned)))
    assert zz.layer_count("5g_sites") == len(with_planned)
    assert zz.layer_count("data_centers") == len(
        expected(layers, "data_centers", year=2022, statuses=("planned", "in_service"))
    )
    # the ranking follows: its site column sums to the card
    zz.show_ranking()
    sites = page.locator("#ranking-grid .ag-center-cols-container [col-id='sites']").all_inner_texts()
    assert sum(int(s.replace(",", "")) for s in sites) == sites_in_districts(with_planned)
    zz.no_error_banner()


# ---------------------------------------------------------------------------------------
# ranking and panel


def test_ranking_row_click_opens_the_district_panel_with_a_chart(zz: ZzPage) -> None:
    zz.open()
    zz.show_ranking()
    page = zz.page
    path = page.locator(f"path.zz-d-{PUBLISHED}")
    width_before = (path.bounding_box() or {"width": 0})["width"]
    expect(page.locator("#district-panel-body [data-adcode]")).to_have_attribute("data-adcode", "")

    page.locator(f"#ranking-grid .ag-row[row-id='{PUBLISHED}'] [col-id='name']").click()

    content = page.locator("#district-panel-body .zz-panel-content")
    expect(content).to_have_attribute("data-adcode", PUBLISHED)
    expect(content.locator(".zz-panel-name")).to_contain_text("平和县")
    expect(content.locator(".zz-panel-pop")).to_contain_text("455,042")
    expect(page).to_have_url(re.compile(rf"d={PUBLISHED}"))
    plot = page.locator("#district-chart .js-plotly-plot")
    expect(plot).to_be_visible()
    expect(plot.locator(".bars path").first).to_be_attached()
    traces = plot.evaluate(
        "el => el.data.map(t => ({type: t.type || 'scatter', mode: t.mode || '', dash: (t.line || {}).dash || '',"
        " x: Array.from(t.x || [])}))"
    )
    bars = [t for t in traces if t["type"] == "bar"]
    lines = [t for t in traces if t["type"] == "scatter" and "lines" in t["mode"]]
    assert bars, traces
    assert [int(x) for x in bars[0]["x"]] == list(range(2019, 2028))  # every year of the data
    assert lines, f"no target line in the chart: {traces}"
    # the map zooms to the district and outlines it
    expect(path).to_have_class(re.compile(r"zz-selected"))
    page.wait_for_function(
        "([code, w]) => document.querySelector('path.zz-d-' + code).getBoundingClientRect().width > 1.5 * w",
        arg=[PUBLISHED, width_before],
    )
    # the drawer over the map: beside the district, which is fitted into the map's free part
    drawer = page.locator("#district-panel").bounding_box()
    district = path.bounding_box()
    assert drawer is not None
    assert district is not None
    assert district["x"] + district["width"] <= drawer["x"] + 1, "the drawer covers the district it shows"
    screenshot(page, "district_panel")

    page.click("#district-panel-close")
    expect(content).to_have_attribute("data-adcode", "")
    expect(page.locator("#district-panel")).to_be_hidden()
    expect(page).not_to_have_url(re.compile(r"d=350628"))


def test_clicking_a_district_on_the_map_opens_its_panel(zz: ZzPage) -> None:
    zz.open()
    x, y = zz.district_points(CHANGTAI)[0]
    zz.page.mouse.click(x, y)
    expect(zz.page.locator("#district-panel-body .zz-panel-content")).to_have_attribute("data-adcode", CHANGTAI)
    expect(zz.page.locator("#district-panel-body .zz-panel-pop")).to_contain_text("公开数据")


# ---------------------------------------------------------------------------------------
# language


def test_language_toggle_switches_visible_labels(zz: ZzPage) -> None:
    zz.open()
    zz.show_ranking()
    page = zz.page
    expect(page.locator("#app-title")).to_have_text("漳州新基建地图")
    expect(page.locator("label[for='indicator-picker']")).to_have_text("指标")
    expect(page.locator("#card-sites .zz-card-label")).to_have_text("5G基站总数")
    expect(page.locator("#ranking-grid .ag-header-cell[col-id='name']")).to_contain_text("区县")
    expect(page.locator("#lang-link")).to_have_text("English")
    zz.set_year(2023)  # the view is kept across the switch
    expect(page.locator("#lang-link")).to_have_attribute("href", re.compile(r"year=2023"))

    page.click("#lang-link")  # one click

    expect(page.locator("#app-title")).to_have_text("Zhangzhou new-infrastructure map")
    zz.wait_ready()
    zz.show_ranking()
    expect(page.locator("#page")).to_have_attribute("lang", "en")
    expect(page.locator("label[for='indicator-picker']")).to_have_text("Indicator")
    expect(page.locator("#card-sites .zz-card-label")).to_have_text("Total 5G sites")
    expect(page.locator("#ranking-grid .ag-header-cell[col-id='name']")).to_contain_text("District")
    expect(page.locator("#ranking-grid .ag-row[row-id='350602'] [col-id='name']")).to_have_text("Xiangcheng District")
    expect(page.locator("#indicator-picker")).to_contain_text(INDICATORS["sites_per_10k"].title.get("en"))
    expect(page.locator("#operator-filter")).to_contain_text("China Mobile")
    expect(page.locator("#legend")).to_contain_text(INDICATORS["sites_per_10k"].title.get("en"))
    expect(page.locator("#lang-link")).to_have_text("中文")
    expect(zz.slider_thumb()).to_have_attribute("aria-valuenow", "2023")
    assert query_of(page.url).get("lang") == ["en"]
    # no Chinese left in the controls, cards or legend (names of the other language aside)
    for selector in ("#controls label", "#summary-cards .zz-card-label", "#legend .zz-legend-title"):
        for text in page.locator(selector).all_inner_texts():
            assert not re.search(r"[\u4e00-\u9fff]", text), f"{selector}: {text!r}"
    screenshot(page, "default_en")


# ---------------------------------------------------------------------------------------
# URL state


@pytest.mark.parametrize("first_render", ["layout", "callback"])
def test_query_string_restores_the_view(zz: ZzPage, layers: dict[str, gpd.GeoDataFrame], first_render: str) -> None:
    """The page of a URL: built with the layout (it names its page), or by the callback (no Referer)."""
    query = "?lang=en&ind=gap_sites&year=2023&op=mobile,telecom&st=in_service,planned&layers=5g,dc&d=350628"
    page = zz.page
    first_render_answers: list[int] = []  # statuses of the first-render callback's answers
    page.on(
        "response",
        lambda r: first_render_answers.append(r.status) if "..page.children" in (r.request.post_data or "") else None,
    )
    if first_render == "callback":  # a Referer that does not name the page (a proxy rewrote it)
        page.route(
            "**/_dash-layout",
            lambda route: route.fulfill(
                response=route.fetch(headers={**route.request.headers, "referer": "http://elsewhere.example/"})
            ),
        )
    zz.open(query)
    expect(page.locator("#app-title")).to_have_text("Zhangzhou new-infrastructure map")
    expect(page.locator("#indicator-picker")).to_contain_text(INDICATORS["gap_sites"].title.get("en"))
    expect(page.locator("#legend .zz-legend-title")).to_contain_text(INDICATORS["gap_sites"].title.get("en"))
    expect(zz.slider_thumb()).to_have_attribute("aria-valuenow", "2023")
    for value, checked in zip(ALL_OPERATORS, (True, True, False, False), strict=True):
        expect(zz.checkbox("operator-filter", value)).to_be_checked(checked=checked)
    for value, checked in (("planned", True), ("under_construction", False), ("in_service", True)):
        expect(zz.checkbox("status-filter", value)).to_be_checked(checked=checked)
    for value, checked in (("5g_sites", True), ("data_centers", True), ("smart_projects", False)):
        expect(zz.checkbox("layer-toggles", value)).to_be_checked(checked=checked)
    expect(zz.markers(".zz-sym-five_new, .zz-sym-integration, .zz-sym-innovation")).to_have_count(0)
    statuses = ("planned", "in_service")
    expect(zz.markers(".zz-sym-dc")).to_have_count(len(expected(layers, "data_centers", year=2023, statuses=statuses)))
    sites = expected(layers, "5g_sites", year=2023, operators=["China Mobile", "China Telecom"], statuses=statuses)
    expect(page.locator("#card-sites")).to_have_attribute("data-value", str(sites_in_districts(sites)))
    expect(page.locator("#district-panel-body .zz-panel-content")).to_have_attribute("data-adcode", "350628")
    expect(page.locator("#district-panel-body .zz-panel-name")).to_contain_text("Pinghe County")
    # the URL still holds the same view (tidied: lists in registry order)
    assert parse_query(urlsplit(page.url).query) == parse_query(query)
    zz.no_error_banner()
    # the first-render callback builds the page (200) only when the layout did not; a page that came
    # whole does not ask it at all (it has no first-render location)
    assert first_render_answers == ([] if first_render == "layout" else [200])


def test_back_button_returns_to_the_previous_view(zz: ZzPage) -> None:
    zz.open()
    page = zz.page
    zz.set_year(2022)
    expect(page).to_have_url(re.compile(r"year=2022"))
    zz.choose("indicator-picker", "gap_sites")
    expect(page).to_have_url(re.compile(r"ind=gap_sites"))
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"ind=gap_sites"))
    expect(page.locator("#indicator-picker")).to_contain_text(INDICATORS["sites_per_10k"].title.get("zh"))
    expect(page.locator("#legend .zz-legend-title")).to_contain_text(INDICATORS["sites_per_10k"].title.get("zh"))
    expect(zz.slider_thumb()).to_have_attribute("aria-valuenow", "2022")
    zz.no_error_banner()


def test_panning_rewrites_the_current_history_entry(zz: ZzPage) -> None:
    """A pan goes into the URL without a new history entry: Back undoes the year change, not the pans."""
    zz.open()
    page = zz.page
    zz.set_year(2022)
    expect(page).to_have_url(re.compile(r"year=2022"))
    length = page.evaluate("history.length")
    box = page.locator("#map").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.8
    for dx, dy in ((120, -40), (-50, 30)):
        page.mouse.move(cx, cy)
        page.mouse.down()
        page.mouse.move(cx + dx / 2, cy + dy / 2, steps=4)
        page.mouse.move(cx + dx, cy + dy, steps=4)
        page.mouse.up()
        zz.wait_map_idle()  # the drag's inertia has ended: the map reports where it stopped
    expect(page).to_have_url(re.compile(r"year=2022&c=[0-9.]+,[0-9.]+&z="))
    panned = zz.wait_url_stable()
    assert page.evaluate("history.length") == length, "a pan added a history entry"
    zz.set_year(2023)
    expect(page).to_have_url(re.compile(r"year=2023&c="))
    assert page.evaluate("history.length") == length + 1
    assert query_of(page.url)["c"] == query_of(panned)["c"]  # the new entry keeps the panned view
    page.go_back()
    expect(page).to_have_url(panned)
    expect(zz.slider_thumb()).to_have_attribute("aria-valuenow", "2022")
    assert page.evaluate("history.length") == length + 1
    zz.no_error_banner()


def test_bad_query_values_fall_back_to_defaults(zz: ZzPage, layers: dict[str, gpd.GeoDataFrame]) -> None:
    zz.open()
    default_sites = zz.card("card-sites")
    default_fills = zz.fills()
    bad = (
        "?lang=xx&ind=bogus&year=abc&op=nope&st=bogus&layers=foo&c=999,999&z=abc&d=123"
        "&x=%3Cscript%3Ealert(1)%3C/script%3E&year=1999"
    )
    zz.open(bad)
    page = zz.page
    expect(page.locator("#app-title")).to_have_text("漳州新基建地图")
    expect(page.locator("#indicator-picker")).to_contain_text(INDICATORS["sites_per_10k"].title.get("zh"))
    expect(zz.slider_thumb()).to_have_attribute("aria-valuenow", "2025")
    for value in ALL_OPERATORS:
        expect(zz.checkbox("operator-filter", value)).to_be_checked()
    expect(zz.checkbox("status-filter", "in_service")).to_be_checked()
    expect(zz.checkbox("status-filter", "planned")).not_to_be_checked()
    expect(page.locator("#card-sites")).to_have_attribute("data-value", default_sites)
    assert zz.fills() == default_fills
    expect(page.locator("#district-panel-body .zz-panel-content")).to_have_attribute("data-adcode", "")
    zz.no_error_banner()
    # the bad values are tidied out of the address bar
    expect(page).not_to_have_url(re.compile(r"bogus|nope|foo|999"))

    zz.open("?year=2031&ind=&z=1e999&c=nan,nan&op=")
    expect(zz.slider_thumb()).to_have_attribute("aria-valuenow", "2025")
    zz.no_error_banner()


# ---------------------------------------------------------------------------------------
# export


def test_export_geojson_matches_zzgeo_for_the_current_filters(
    zz: ZzPage, layers: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    zz.open("?year=2023&op=mobile,telecom")
    zz.open_tab("export")
    page = zz.page
    download = zz.download(lambda: page.click("#export-geojson"))
    assert download.suggested_filename.endswith(".geojson")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = read_geojson(path)
    want = expected(layers, "5g_sites", year=2023, operators=["China Mobile", "China Telecom"])
    assert len(data["features"]) == len(want)
    assert {f["properties"]["site_id"] for f in data["features"]} == set(want["site_id"])

    zz.choose("export-layer", "data_centers")
    download = zz.download(lambda: page.click("#export-geojson"))
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert len(read_geojson(path)["features"]) == len(expected(layers, "data_centers", year=2023))
    zz.no_error_banner()


# ---------------------------------------------------------------------------------------
# what-if


def test_whatif_suggest_updates_views_draws_distinct_proposals_and_exports(zz: ZzPage, tmp_path: Path) -> None:
    zz.open()
    page = zz.page
    n = 100  # enough to move the city-wide density (shown to 0.1) by ~0.2
    density_before = float(zz.card("card-density"))
    zz.open_tab("whatif")
    page.fill("#whatif-n", str(n))
    page.click("#whatif-suggest")

    proposed = page.locator("#map path.zz-proposed")
    expect(proposed).to_have_count(n)
    expect(page.locator("#card-sites")).to_have_attribute("data-proposed", str(n))
    expect(page.locator("#card-sites")).to_contain_text(str(n))
    assert float(zz.card("card-density")) > density_before
    expect(page.locator("#whatif-summary li").first).to_be_visible()
    expect(page.locator("#whatif-summary")).to_contain_text("→")
    expect(page.locator("#whatif-status")).to_contain_text(f"已建议 {n} 个拟建站点")
    # the ranking gets a "proposed" column whose rows add up to N
    zz.show_ranking()
    expect(page.locator("#ranking-grid .ag-header-cell[col-id='proposed']")).to_be_visible()
    cells = page.locator("#ranking-grid .ag-center-cols-container [col-id='proposed']").all_inner_texts()
    assert sum(int(c or 0) for c in cells) == n

    # visually distinct from the existing sites: yellow fill, dashed black outline, larger
    style = proposed.first.evaluate(
        "p => ({fill: p.getAttribute('fill'), stroke: p.getAttribute('stroke'),"
        " dash: p.getAttribute('stroke-dasharray')})"
    )
    assert style["fill"].lower() not in OPERATOR_FILLS
    assert style["fill"].lower() == "#ffd700", style
    assert style["dash"], f"proposals have no dashed outline: {style}"
    expect(page.locator("#legend .zz-dot-proposed")).to_be_visible()
    zz.no_error_banner()
    screenshot(page, "whatif_applied")

    zz.open_tab("whatif")
    download = zz.download(lambda: page.click("#whatif-export"))
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert len(read_geojson(path)["features"]) == n

    # clearing asks first (naming how many), and can be undone
    dialogs: list[str] = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.click("#whatif-clear")
    expect(proposed).to_have_count(0)
    assert dialogs, "no question was asked"
    assert str(n) in dialogs[0], dialogs
    expect(page.locator("#card-sites")).to_have_attribute("data-proposed", "0")
    expect(page.locator("#card-density")).to_have_attribute("data-value", str(density_before))
    expect(page.locator("#whatif-status")).to_contain_text(f"已清除 {n} 个拟建站点")
    page.click("#whatif-undo")
    expect(proposed).to_have_count(n)
    expect(page.locator("#whatif-undo")).to_be_hidden()
    # a dismissed question clears nothing
    page.once("dialog", lambda d: d.dismiss())
    page.click("#whatif-clear")
    expect(page.locator("#card-sites")).to_have_attribute("data-proposed", str(n))
    expect(proposed).to_have_count(n)


def test_whatif_export_without_proposals_says_so_next_to_the_button(zz: ZzPage) -> None:
    zz.open()
    zz.open_tab("whatif")
    zz.page.click("#whatif-export")
    status = zz.page.locator("#whatif-status")
    expect(status).to_contain_text("没有可导出的要素")
    # next to the buttons, not far away in a banner
    button = zz.page.locator("#whatif-export").bounding_box()
    box = status.bounding_box()
    assert button is not None
    assert box is not None
    assert abs(box["y"] - button["y"]) < 300
    zz.no_error_banner()
