"""Area levels (issue 13) in Chromium: an imported area layer replaces the 11 districts.

The app is served on a workspace holding one imported layer of kind ``areas``
(:func:`area_grid.grid_areas`: 0.2° cells of the city named 格 r-c, no population, so it is
estimated). In both languages: choose the level, the URL, ranking, map, legend, tooltips and
panel follow it; search finds an area and flies there; the districts come back; a reload of
the URL keeps the level. Screenshots at 1440×900 go to artifacts/screenshots/levels_*.png.
"""

from __future__ import annotations

import re

import pytest
from app.coverage import coverage_note
from app.i18n import t
from playwright.sync_api import Locator, Page, expect
from zzbrowser import DISTRICT_COUNT, AreasApp, ZzPage, screenshot

from zzgeo.indicators import INDICATORS

WIDE = {"width": 1440, "height": 900}
PINGHE = "350628"
GRID_NAME = re.compile(r"^格 \d+-\d+$")
LANGS = ["zh", "en"]
# the district layer's polygons are those of the level: every path has a key of it
SHOWS_KEYS = """
(keys) => {
    const paths = [...document.querySelectorAll('path.zz-district')];
    const shown = paths.map(p => [...p.classList].find(c => c.startsWith('zz-d-')).slice(5));
    return shown.length === keys.length && shown.every(k => keys.includes(k));
}
"""
# the fills are the level's choropleth: its areas take several colours of the scheme
COLOURED = "() => new Set([...document.querySelectorAll('path.zz-district')].map(p => p.getAttribute('fill'))).size > 2"


def key_of(areas: AreasApp, name: str) -> str:
    return next(k for k, v in areas.names.items() if v == name)


def query(lang: str, **params: str) -> str:
    values = {"lang": "en"} if lang == "en" else {}
    values.update(params)
    return "?" + "&".join(f"{k}={v}" for k, v in values.items()) if values else ""


def panel(page: Page) -> Locator:
    return page.locator("#district-panel-body .zz-panel-content")


def wait_on_level(zz: ZzPage, areas: AreasApp, lang: str) -> None:
    """The page shows the area level: its polygons (coloured), the legend, the estimate note."""
    page = zz.page
    page.wait_for_function(SHOWS_KEYS, arg=sorted(areas.names))
    page.wait_for_function(COLOURED)
    expect(page.locator("#legend .zz-legend-content")).to_be_visible()
    expect(page.locator("#legend")).to_contain_text(INDICATORS["sites_per_10k"].title.get(lang))
    expect(page.locator("#level-note")).to_contain_text(t("pop_estimated", lang))
    expect(page.locator("#level-picker")).to_contain_text("grid.geojson")
    zz.wait_map_idle()


def ranking_names(page: Page) -> list[str]:
    cells = page.locator("#ranking-grid .ag-center-cols-container .ag-row [col-id='name']")
    return [text.strip() for text in cells.all_inner_texts()]


@pytest.mark.parametrize("lang", LANGS)
def test_choosing_an_area_level_changes_every_view_and_back(areas_zz: ZzPage, areas_app: AreasApp, lang: str) -> None:
    zz, page, n = areas_zz, areas_zz.page, len(areas_app.names)
    page.set_viewport_size(WIDE)
    zz.open(query(lang))
    expect(page.locator("#level-note")).to_have_text("")  # districts: no estimate to explain

    search = page.locator("#search-box")
    expect(search).to_have_attribute("placeholder", t("search_placeholder", lang))
    zz.choose("level-picker", areas_app.key)
    expect(page).to_have_url(re.compile(rf"[?&]lvl={areas_app.key}(&|$)"))
    wait_on_level(zz, areas_app, lang)
    expect(search).to_have_attribute("placeholder", t("search_placeholder@areas", lang))  # areas are found too
    expect(page.locator("#card-underserved")).to_contain_text(t("card_underserved@areas", lang))
    # the legend sits beside the city, not on it
    covered = zz.covered_share("#legend")
    assert covered < 0.02, f"the legend covers {covered:.0%} of the areas"
    screenshot(page, f"levels_{lang}_map", full_page=False)

    # a tooltip names the area once (it has no English name) and says the population is estimated
    name = "格 2-0"
    tip = zz.hover_district(key_of(areas_app, name), name)
    assert tip.splitlines()[0] == name
    assert t("pop_estimated", lang) in tip
    screenshot(page, f"levels_{lang}_tooltip", full_page=False)
    page.mouse.move(5, 5)

    # the ranking lists the areas under the header for areas
    zz.show_ranking(rows=n)
    grid = page.locator("#ranking-grid")
    expect(grid.locator(".ag-header-cell[col-id='name']")).to_contain_text(t("col_district@areas", lang))
    expect(page.locator("#ranking-hint")).to_have_text(t("ranking_hint@areas", lang))
    expect(page.locator("#ranking-note")).to_have_text(coverage_note(lang, areas=True))
    names = ranking_names(page)
    assert len(names) == n
    assert all(GRID_NAME.match(x) for x in names), names[:5]
    assert set(names) == set(areas_app.names.values())
    screenshot(page, f"levels_{lang}_ranking", full_page=False)
    zz.close_dock()

    # a click on an area opens its panel: its name, the population marked estimated, the rule
    key = key_of(areas_app, name)
    points = zz.district_points(key)
    assert points, f"no point of {name} is reachable by the pointer"
    page.mouse.click(*points[len(points) // 2])
    expect(panel(page)).to_have_attribute("data-adcode", key)
    expect(page).to_have_url(re.compile(rf"[?&]d={key}(&|$)"))
    expect(page.locator("#district-panel-body .zz-panel-name")).to_have_text(name)
    expect(panel(page)).to_contain_text(t("pop_estimated", lang))
    expect(panel(page)).to_contain_text(t("col_this_district@areas", lang))
    expect(panel(page).locator(".zz-coverage-note")).to_have_text(coverage_note(lang, areas=True))
    expect(page.locator(f"path.zz-d-{key}")).to_have_class(re.compile(r"zz-selected"))
    zz.wait_map_idle()
    screenshot(page, f"levels_{lang}_panel", full_page=False)

    # back to the districts: the 11 polygons, their ranking and wording, no lvl in the URL
    zz.choose("level-picker", "")
    expect(search).to_have_attribute("placeholder", t("search_placeholder", lang))
    expect(page.locator("path.zz-district")).to_have_count(DISTRICT_COUNT)
    expect(page.locator(f"path.zz-d-{PINGHE}")).to_have_count(1)
    expect(page).not_to_have_url(re.compile(r"lvl="))
    expect(page).not_to_have_url(re.compile(rf"d={key}"))  # the area's selection is closed
    expect(page.locator("#level-note")).to_have_text("")
    zz.show_ranking()
    expect(page.locator("#ranking-grid .ag-header-cell[col-id='name']")).to_contain_text(t("col_district", lang))
    expect(page.locator("#ranking-hint")).to_have_text(t("ranking_hint", lang))
    expect(page.locator("#ranking-note")).to_have_text(coverage_note(lang))
    assert not any(GRID_NAME.match(x) for x in ranking_names(page))
    zz.no_error_banner()


@pytest.mark.parametrize("lang", LANGS)
def test_an_area_level_url_reloads_on_the_level_and_search_flies_to_an_area(
    areas_zz: ZzPage, areas_app: AreasApp, lang: str
) -> None:
    zz, page, n = areas_zz, areas_zz.page, len(areas_app.names)
    page.set_viewport_size(WIDE)
    zz.open(query(lang, lvl=areas_app.key), areas=n)
    wait_on_level(zz, areas_app, lang)

    page.reload()
    zz.wait_ready(areas=n)
    wait_on_level(zz, areas_app, lang)
    expect(page).to_have_url(re.compile(rf"[?&]lvl={areas_app.key}(&|$)"))

    # search an area by its name: the area comes first, a click opens it and the map flies there
    name = "格 0-1"
    key = key_of(areas_app, name)
    width_before = (page.locator(f"path.zz-d-{key}").bounding_box() or {"width": 0})["width"]
    page.locator("#search-box").fill(name)
    hits = page.locator("#search-results .zz-search-hit")
    expect(hits.first).to_have_attribute("data-key", key)
    expect(hits.first).to_have_text(name)
    hits.first.click()
    expect(panel(page)).to_have_attribute("data-adcode", key)
    expect(page).to_have_url(re.compile(rf"[?&]d={key}(&|$)"))
    expect(page.locator("#search-results")).to_be_empty()
    page.wait_for_function(
        "([key, w]) => document.querySelector('path.zz-d-' + key).getBoundingClientRect().width > 3 * w",
        arg=[key, width_before],
    )
    expect(page.locator(f"path.zz-d-{key}")).to_have_class(re.compile(r"zz-selected"))
    expect(panel(page)).to_contain_text(name)
    zz.wait_map_idle()
    screenshot(page, f"levels_{lang}_search", full_page=False)

    # the URL with the level and the area opens both again
    url = zz.wait_url_stable()
    page.goto(url)
    zz.wait_ready(areas=n)
    expect(panel(page)).to_have_attribute("data-adcode", key)
    expect(page.locator(f"path.zz-d-{key}")).to_have_class(re.compile(r"zz-selected"))
    zz.no_error_banner()
