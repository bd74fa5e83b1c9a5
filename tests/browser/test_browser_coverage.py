"""Hexagon overlays and coverage figures in Chromium; the page's language; the phone layout.

The hexagons are drawn in the browser (h3-js) from cell ids the server sends; each is an
SVG path with the class ``zz-hex`` and ``zz-hex-c<class>`` (counts) or ``zz-gap`` (gaps).
The legend's hexagon part says how many cells were sent (``data-cells``).
"""

from __future__ import annotations

import re
from collections import Counter

from playwright.sync_api import expect
from zzbrowser import PHONE, ZzPage, screenshot

from zzgeo import coverage
from zzgeo.indicators import filter_layer
from zzgeo.layers import load_layer

PUBLISHED = "350628"  # 平和县

_HEX_CLASSES_JS = """
() => [...document.querySelectorAll('#map path.zz-hex:not(.zz-gap)')].map(p =>
    [...p.classList].find(c => /^zz-hex-c[0-9]$/.test(c)) + '|' + p.getAttribute('fill'))
"""


def _legend_cells(zz: ZzPage, part: str) -> int:
    return int(zz.page.locator(f"#hex-legend .zz-legend-hex-{part}").get_attribute("data-cells") or -1)


def _in_service(year: int):  # type: ignore[no-untyped-def]
    return filter_layer(load_layer("5g_sites"), year=year, statuses=["in_service"])


def test_hex_counts_overlay_is_drawn_and_follows_the_year(zz: ZzPage) -> None:
    zz.open()
    page = zz.page
    expect(page.locator("#map path.zz-hex")).to_have_count(0)  # off by default
    expect(zz.checkbox("hex-overlays", "counts")).not_to_be_checked()

    zz.toggle("hex-overlays", "counts")
    legend = page.locator("#hex-legend .zz-legend-hex-counts")
    expect(legend).to_have_attribute("data-cells", re.compile(r"^[1-9]\d*$"))
    hexes = page.locator("#map path.zz-hex:not(.zz-gap)")
    expect(hexes).to_have_count(_legend_cells(zz, "counts"))
    expect(page).to_have_url(re.compile(r"hex=counts"))
    expect(page.locator("#hex-legend .zz-legend-hex")).to_have_attribute("data-res", "8")
    expect(legend).to_contain_text("H3")
    # the counts are the library's, for the filters shown (2025, in service, all operators)
    sites = _in_service(2025)
    want = coverage.hex_counts(sites.geometry.x, sites.geometry.y, resolution=8)
    assert _legend_cells(zz, "counts") == len(want)
    before = Counter(page.evaluate(_HEX_CLASSES_JS))
    assert len(before) >= 3, before  # several classes (colours) are in use
    # every hexagon has a colour of the legend
    colours = set(legend.locator("li[data-color]").evaluate_all("els => els.map(e => e.dataset.color)"))
    assert {k.split("|")[1] for k in before} <= colours
    # the districts are dimmed under the hexagons
    assert float(page.locator("path.zz-district").first.get_attribute("fill-opacity") or 1) < 0.5
    screenshot(page, "hex_counts_city")

    zz.set_year(2021)
    sites_2021 = _in_service(2021)
    want_2021 = coverage.hex_counts(sites_2021.geometry.x, sites_2021.geometry.y, resolution=8)
    expect(legend).to_have_attribute("data-cells", str(len(want_2021)))
    expect(hexes).to_have_count(len(want_2021))
    after = Counter(page.evaluate(_HEX_CLASSES_JS))
    assert after != before
    assert sum(after.values()) < sum(before.values())

    # resolution 7: bigger, fewer hexagons
    zz.option("hex-resolution", "7").click()
    expect(page.locator("#hex-legend .zz-legend-hex")).to_have_attribute("data-res", "7")
    want_7 = coverage.hex_counts(sites_2021.geometry.x, sites_2021.geometry.y, resolution=7)
    expect(hexes).to_have_count(len(want_7))
    expect(page).to_have_url(re.compile(r"res=7"))
    zz.no_error_banner()

    # a hexagon's tooltip says its count
    zz.toggle("layer-toggles", "5g_sites")  # the clusters would cover the hexagons
    box = hexes.nth(len(want_7) // 2).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(".leaflet-tooltip.zz-tip").filter(has_text="5G")).to_contain_text("H3")


def test_hex_overlay_zoomed_in(zz: ZzPage) -> None:
    """A closer look for the screenshot: Zhangzhou's centre at zoom 11, both overlays."""
    zz.open("?hex=counts,gaps&layers=dc,proj&c=24.45,117.75&z=11")
    page = zz.page
    expect(page.locator("#map path.zz-gap")).to_have_count(_legend_cells(zz, "gaps"))
    expect(page.locator("#map path.zz-hex:not(.zz-gap)")).to_have_count(_legend_cells(zz, "counts"))
    zz.no_error_banner()
    screenshot(page, "hex_counts_and_gaps_zoomed", full_page=False)


# The centre of a counts hexagon with a district beneath it (topmost element there is the
# hexagon): [x, y, adcode], or null.
_HEX_OVER_DISTRICT_JS = """
() => {
    for (const hex of document.querySelectorAll('#map path.zz-hex:not(.zz-gap)')) {
        const r = hex.getBoundingClientRect();
        const x = r.x + r.width / 2, y = r.y + r.height / 2;
        const els = document.elementsFromPoint(x, y);
        if (els[0] !== hex) continue;
        const d = els.find((el) => el.classList && el.classList.contains('zz-district'));
        if (d) return [x, y, [...d.classList].find((c) => /^zz-d-[0-9]{6}$/.test(c)).slice(5)];
    }
    return null;
}
"""


def test_clicking_a_hexagon_opens_the_district_under_it(zz: ZzPage) -> None:
    zz.open("?lang=en&hex=counts&layers=dc,proj&c=24.45,117.75&z=11")
    page = zz.page
    expect(page.locator("#map path.zz-hex:not(.zz-gap)")).to_have_count(_legend_cells(zz, "counts"))
    found = page.evaluate(_HEX_OVER_DISTRICT_JS)
    assert found is not None, "no hexagon over a district"
    x, y, code = found
    page.mouse.click(x, y)
    expect(page.locator("#district-panel-body .zz-panel-content")).to_have_attribute("data-adcode", code)
    expect(page).to_have_url(re.compile(rf"d={code}"))
    zz.no_error_banner()


def test_gaps_overlay_draws_the_uncovered_land_with_the_radii(zz: ZzPage) -> None:
    zz.open("?lang=en&layers=dc,proj")
    page = zz.page
    zz.toggle("hex-overlays", "gaps")
    legend = page.locator("#hex-legend .zz-legend-hex-gaps")
    expect(legend).to_have_attribute("data-cells", re.compile(r"^[1-9]\d*$"))
    gaps = page.locator("#map path.zz-gap")
    want = coverage.coverage_gaps(_in_service(2025), resolution=8)
    expect(gaps).to_have_count(len(want))
    assert _legend_cells(zz, "gaps") == len(want)
    for band, radius in coverage.DEFAULT_RADIUS_KM.items():
        if band:
            expect(legend).to_contain_text(f"{band} {radius:g} km")
    expect(page.locator("#hex-legend")).to_contain_text("about one hexagon")
    expect(page.locator("#controls .zz-hex-help")).to_contain_text("n28 3 km")
    fill = gaps.first.get_attribute("fill")
    assert fill is not None
    assert fill.lower() == "#d6006f"
    zz.no_error_banner()
    screenshot(page, "hex_gaps_city")

    # fewer gaps with more sites: China Mobile alone leaves more land uncovered
    n_all = _legend_cells(zz, "gaps")
    for operator in ("China Telecom", "China Unicom", "China Broadnet"):
        zz.toggle("operator-filter", operator)
    expect(legend).not_to_have_attribute("data-cells", str(n_all))
    assert _legend_cells(zz, "gaps") > n_all
    expect(gaps).to_have_count(_legend_cells(zz, "gaps"))


def test_panel_and_ranking_show_coverage_with_the_note(zz: ZzPage) -> None:
    zz.open()
    zz.show_ranking()
    page = zz.page
    page.locator(f"#ranking-grid .ag-row[row-id='{PUBLISHED}'] [col-id='name']").click()
    content = page.locator("#district-panel-body .zz-panel-content")
    expect(content).to_have_attribute("data-adcode", PUBLISHED)
    cov = content.locator("td[data-indicator='coverage_pct']")
    pop = content.locator("td[data-indicator='population_weighted_pct']")
    expect(cov).to_have_text(re.compile(r"^\d{1,3}\.\d$"))
    expect(pop).to_have_text(re.compile(r"^\d{1,3}\.\d$"))
    table = coverage.coverage_by_district(_in_service(2025))
    want = float(table.loc[table["adcode"] == PUBLISHED, "coverage_pct"].iloc[0])
    assert cov.inner_text() == f"{want:.1f}"
    note = content.locator(".zz-coverage-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("均匀分布")  # residents assumed even over the land
    expect(note).to_contain_text("n78 0.8 km")  # the assumed radii
    expect(note).to_contain_text("约一个六边形")  # approximate to about one hexagon
    ranking = page.locator(f"#ranking-grid .ag-row[row-id='{PUBLISHED}'] [col-id='cov']")
    expect(ranking).to_have_text(f"{want:.1f}")
    expect(page.locator("#ranking-grid .ag-header-cell[col-id='pop_cov']")).to_contain_text("人口加权")
    screenshot(page, "panel_coverage")

    # coverage follows the year (sites in service then)
    zz.set_year(2020)
    old = coverage.coverage_by_district(_in_service(2020))
    want_2020 = float(old.loc[old["adcode"] == PUBLISHED, "coverage_pct"].iloc[0])
    expect(cov).to_have_text(f"{want_2020:.1f}")
    assert want_2020 < want

    zz.open(f"?lang=en&d={PUBLISHED}")
    expect(page.locator("#district-panel-body .zz-coverage-note")).to_contain_text(
        "spread evenly over each district's land"
    )
    expect(page.locator("#district-panel-body")).to_contain_text("Population-weighted coverage (%)")


def test_html_element_carries_the_language(zz: ZzPage) -> None:
    zz.open()
    page = zz.page
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    expect(page.locator("#page")).to_have_attribute("lang", "zh-CN")
    page.click("#lang-link")
    expect(page.locator("#app-title")).to_have_text("Zhangzhou new-infrastructure map")
    page.wait_for_function("document.documentElement.lang === 'en'")
    expect(page.locator("#page")).to_have_attribute("lang", "en")


def test_phone_overlays_panel_and_centred_map(phone_zz: ZzPage) -> None:
    phone_zz.open("?hex=counts,gaps")
    page = phone_zz.page
    expect(page.locator("#map path.zz-gap").first).to_be_attached()
    expect(page.locator("#map path.zz-hex:not(.zz-gap)").first).to_be_attached()
    phone_zz.no_horizontal_overflow()
    # no empty district panel between the map and the filters
    expect(page.locator("#district-panel")).to_be_hidden()
    # the city is centred: no room is kept for a legend that sits below the map on a phone
    page.wait_for_function(
        """() => {
            const map = document.querySelector('#map').getBoundingClientRect();
            const boxes = [...document.querySelectorAll('path.zz-district')].map(p => p.getBoundingClientRect());
            const left = Math.min(...boxes.map(b => b.left)) - map.left;
            const right = map.right - Math.max(...boxes.map(b => b.right));
            return Math.abs(left - right) < 24;
        }"""
    )
    assert "c=" not in page.url  # the fitted home view is not written to the URL
    screenshot(page, "phone_hexes", full_page=False)
    tab = page.locator("#dock [role=tab][data-dock-open='ranking']")
    tab.scroll_into_view_if_needed()
    tab.tap()
    page.locator(f"#ranking-grid .ag-row[row-id='{PUBLISHED}'] [col-id='name']").tap()
    panel = page.locator("#district-panel")
    expect(panel).to_be_visible()
    in_view = panel.bounding_box()
    assert in_view is not None
    assert in_view["y"] + in_view["height"] <= PHONE["height"] + 1, "the panel opens out of view"
    expect(panel.locator("td[data-indicator='coverage_pct']")).to_have_text(re.compile(r"^\d{1,3}\.\d$"))
    phone_zz.no_horizontal_overflow()
    box = panel.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE["width"]
