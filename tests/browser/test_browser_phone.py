"""The app on a phone (390×844, touch): no sideways scrolling, every control reachable and usable."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from zzbrowser import DISTRICT_COUNT, PHONE, ZzPage, screenshot

# every control a user needs, by selector, with the dock tab it is in (None: always on the page)
CONTROLS = (
    ("#lang-link", None),
    ("#search-box", None),
    ("#indicator-picker", None),
    ("#year-slider [role=slider]", None),
    ("#year-play", None),
    ("#operator-filter", None),
    ("#status-filter", None),
    ("#layer-toggles", None),
    ("#whatif-n", "whatif"),
    ("#whatif-suggest", "whatif"),
    ("#export-geojson", "export"),
    ("#ranking-grid", "ranking"),
)

# Is the centre of the element the element itself (or inside it), i.e. not covered?
_REACHABLE_JS = """
el => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (el === hit || el.contains(hit) || hit.contains(el));
}
"""


def test_phone_view_has_no_horizontal_overflow(phone_zz: ZzPage) -> None:
    phone_zz.open()
    page = phone_zz.page
    phone_zz.no_horizontal_overflow()
    box = page.locator("#map").bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] >= 250, f"the map is only {box['height']:.0f} px tall"
    expect(page.locator("path.zz-district")).to_have_count(DISTRICT_COUNT)
    expect(page.locator("#synthetic-note")).to_be_visible()
    screenshot(page, "phone_first_screen", full_page=False)
    screenshot(page, "phone_full")


@pytest.mark.parametrize(("selector", "tab"), CONTROLS)
def test_phone_controls_are_reachable(phone_zz: ZzPage, selector: str, tab: str | None) -> None:
    phone_zz.open()
    if tab:
        phone_zz.page.locator(f"#dock [role=tab][data-dock-open='{tab}']").scroll_into_view_if_needed()
        if tab == "ranking":
            phone_zz.show_ranking()  # its grid replaces the stand-in once its code loaded
        else:
            phone_zz.open_tab(tab)
    control = phone_zz.page.locator(selector)
    control.scroll_into_view_if_needed()
    expect(control).to_be_visible()
    box = control.bounding_box()
    assert box is not None
    assert box["x"] >= 0, f"{selector} starts left of the screen"
    assert box["x"] + min(box["width"], PHONE["width"]) <= PHONE["width"] + 1, f"{selector} sticks out on the right"
    assert control.evaluate(_REACHABLE_JS), f"{selector} is covered by another element"


def test_phone_controls_work_by_touch(phone_zz: ZzPage) -> None:
    phone_zz.open()
    page = phone_zz.page
    clusters = phone_zz.markers(".zz-cluster")
    expect(clusters.first).to_be_attached()
    option = phone_zz.option("layer-toggles", "5g_sites")
    option.scroll_into_view_if_needed()
    option.tap()
    expect(phone_zz.checkbox("layer-toggles", "5g_sites")).not_to_be_checked()
    expect(clusters).to_have_count(0)

    tab = page.locator("#dock [role=tab][data-dock-open='ranking']")
    tab.scroll_into_view_if_needed()
    tab.tap()
    page.locator("#ranking-grid .ag-row[row-id='350628'] [col-id='name']").tap()
    expect(page.locator("#district-panel-body .zz-panel-content")).to_have_attribute("data-adcode", "350628")
    # the district's details open in view: a sheet at the foot of the screen
    sheet = page.locator("#district-panel").bounding_box()
    assert sheet is not None
    assert sheet["y"] >= 0
    assert sheet["y"] + sheet["height"] <= PHONE["height"] + 1
    page.locator("#district-panel-close").tap()
    expect(page.locator("#district-panel")).to_be_hidden()

    page.locator("#lang-link").tap()
    expect(page.locator("#app-title")).to_have_text("Zhangzhou new-infrastructure map")
    phone_zz.wait_ready()
    phone_zz.no_horizontal_overflow()
    expect(page).to_have_url(re.compile(r"lang=en"))


def test_phone_legend_leaves_the_map_usable(phone_zz: ZzPage) -> None:
    phone_zz.open()
    phone_zz.page.locator("#map").scroll_into_view_if_needed()
    share = phone_zz.covered_share("#legend-box")
    assert share < 0.25, f"the legend covers {share:.0%} of the districts on a phone"
