"""Time, search and texts in the app's builders (no browser): years from the data, the change map,
the district x year table, place-search results, plural English texts, the compare year in URLs."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from app import ids
from app.data import data_years
from app.features import search as app_search
from app.features import time as app_time
from app.i18n import t, t_template
from app.state import ViewState, parse_query, to_query
from shapely.geometry import Point

from zzgeo.classes import PALETTE_NAMES
from zzgeo.districts import CITY_ADCODE, load_districts, load_population
from zzgeo.indicators import INDICATORS, change_table, compute_indicators, sites_by_year
from zzgeo.layers import load_layer
from zzgeo.places import PlaceIndex


@pytest.fixture(scope="module")
def sites() -> gpd.GeoDataFrame:
    return load_layer("5g_sites")


@pytest.fixture(scope="module")
def tables(sites: gpd.GeoDataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    districts = load_districts("full")
    return tuple(compute_indicators(sites, districts, year=y) for y in (2023, 2025))  # type: ignore[return-value]


def _walk(node):  # type: ignore[no-untyped-def]
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            yield from _walk(child)
    elif children is not None and not isinstance(children, (str, int, float)):
        yield from _walk(children)


# --------------------------------------------------------------------------- years


def test_the_years_follow_the_data(sites: gpd.GeoDataFrame) -> None:
    years = data_years({"5g_sites": sites})
    assert years[0] == int(sites["year_in_service"].min())
    assert years[-1] == int(sites["year_in_service"].max())
    assert years == tuple(range(years[0], years[-1] + 1))
    assert years[-1] > 2025  # the sample holds planned sites of 2026-2027
    early = gpd.GeoDataFrame({"year_in_service": [2010, 2021]}, geometry=[Point(117.6, 24.5)] * 2, crs="EPSG:4326")
    assert data_years({"5g_sites": early}) == (2021,)  # before the first 5G licences: left out
    assert data_years({}) == tuple(range(2019, 2026))


def test_a_url_year_outside_the_data_falls_back() -> None:
    years = tuple(range(2019, 2028))
    assert parse_query("?year=2027").within(years).year == 2027
    assert parse_query("?year=2031").within(years).year == 2025
    assert parse_query("?year=2031").within((2019, 2020)).year == 2020
    state = parse_query("?year=2025&cmp=2019").within(years)
    assert (state.year, state.compare) == (2025, 2019)
    assert parse_query("?year=2025&cmp=2034").within(years).compare is None


def test_the_compare_year_travels_in_the_url() -> None:
    state = ViewState(year=2025, compare=2023)
    assert to_query(state) == "?cmp=2023"
    assert parse_query(to_query(state)) == state
    assert parse_query("?cmp=2025").compare is None  # the as-of year itself: no comparison
    assert parse_query("?cmp=x&year=2024").compare is None
    assert ViewState.from_dict(state.to_dict()) == state
    assert state.for_server().compare == 2023  # the server computes the change


def test_year_marks_fit_a_side_bar() -> None:
    marks = app_time.year_marks(tuple(range(2019, 2028)))
    assert list(marks) == [2019, 2021, 2023, 2025, 2027]
    assert list(app_time.year_marks(tuple(range(2019, 2027)))) == [2019, 2021, 2023, 2026]


# --------------------------------------------------------------------------- the change map


def test_change_table_is_after_minus_before(tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    before, after = tables
    change = change_table(before, after)
    assert change.attrs["compare"] == (2023, 2025)
    b = before.set_index("adcode")
    a = after.set_index("adcode")
    for row in change.to_dict("records"):
        code = row["adcode"]
        assert row["sites"] == a.at[code, "sites"] - b.at[code, "sites"]
        assert row["sites_per_10k"] == pytest.approx(a.at[code, "sites_per_10k"] - b.at[code, "sites_per_10k"])
        assert row["sites_per_10k_before"] == pytest.approx(b.at[code, "sites_per_10k"])
    assert (change.loc[change["adcode"] != CITY_ADCODE, "sites"] >= 0).all()  # the layer only grows


def test_change_views_have_every_indicator_and_scheme(tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    change = change_table(*tables)
    views = app_time.make_change_views(change, "zh", PALETTE_NAMES, selected="350628", dim=False)
    assert set(views["hideouts"]) == set(views["legend"]) == set(INDICATORS)
    hideout = views["hideouts"]["sites_per_10k"]["standard"]
    assert hideout["change"] == [2023, 2025]
    assert hideout["selected"] == "350628"
    assert len(hideout["fill"]) == 11
    # the tooltip tells the change with both values
    tip = hideout["tips"]["350628"]
    row = change.set_index("adcode").loc["350628"]
    assert f"{row['sites_per_10k_before']:.1f} → 2025 年 {row['sites_per_10k_after']:.1f}" in tip[1]
    # the legend says it is a change, from which year to which
    legend = views["legend"]["sites"]["grey"]
    text = " ".join(str(getattr(c, "children", "")) for c in _walk(legend[0]))
    assert "2023 → 2025" in text


# --------------------------------------------------------------------------- the "Over time" tab


def test_time_panel_table_and_chart(sites: gpd.GeoDataFrame) -> None:
    years = tuple(range(2019, 2028))
    counts = sites_by_year(sites, load_districts("full"), years=years)
    pop = load_population()
    population = dict(zip(pop["adcode"], pop["population"], strict=True))
    population[CITY_ADCODE] = float(pop["population"].sum())
    names = {c: c for c in counts.index}
    state = ViewState(year=2025, compare=2023)
    panel = app_time.make_time_panel(counts, population, names, {2023: 20, 2024: 25, 2025: 30}, {2025: "plan"}, state)
    cells = [c for c in _walk(panel[0]) if getattr(c, "data-year", None)]
    assert len(cells) == 12 * len(years)  # 11 districts and the city, every year
    city_2025 = [
        c
        for c in cells
        if getattr(c, "data-year") == "2025" and getattr(c, "data-sites") == str(counts.at[CITY_ADCODE, 2025])
    ]
    assert city_2025
    marked = {getattr(c, "data-year") for c in cells if "zz-marked" in (c.className or "")}
    assert marked == {"2023", "2025"}
    graph = next(c for c in _walk(panel[0]) if getattr(c, "id", None) == ids.TIME_CHART)
    bars, target = graph.figure.data
    assert list(bars.x) == list(years)
    assert bars.y[years.index(2025)] == pytest.approx(
        counts.at[CITY_ADCODE, 2025] / population[CITY_ADCODE] * 1e4, abs=0.05
    )
    assert list(target.x) == [2023, 2024, 2025]
    density = app_time.per_10k(counts, population)
    assert np.isclose(density.at["350628", 2025], counts.at["350628", 2025] / population["350628"] * 1e4)


# --------------------------------------------------------------------------- search results


def test_search_results_and_picks() -> None:
    index = PlaceIndex(
        load_districts("display"),
        gpd.GeoDataFrame(
            {"site_id": ["A-1"], "district_adcode": ["350628"]}, geometry=[Point(117.3, 24.3)], crs="EPSG:4326"
        ),
    )
    names = {"350628": "平和县"}
    found = index.search("pinghe")
    results = app_search.make_results(found, "zh", names, "pinghe")
    hits = [c for c in _walk(results[0]) if isinstance(getattr(c, "id", None), dict)]
    assert [h.id for h in hits] == [{"type": ids.SEARCH_HIT, "index": "district:350628"}]
    pick = app_search.pick_of(found[0])
    assert pick["district"] == "350628"
    assert pick["bounds"][0][0] < pick["bounds"][1][0]
    site = app_search.pick_of(index.search("A-1")[0])
    assert site["center"] == [24.3, 117.3]
    assert site["zoom"] == app_search.SITE_ZOOM
    assert site["district"] == "350628"
    none = app_search.make_results([], "en", names, "nowhere")
    assert "nowhere" in none[0].children
    assert app_search.make_results([], "en", names, "  ") == []


# --------------------------------------------------------------------------- texts


@pytest.mark.parametrize(
    ("n", "want"), [(1, "1 more site needed"), (2, "2 more sites needed"), ("1,200", "1,200 more sites needed")]
)
def test_english_plurals_follow_the_number(n: object, want: str) -> None:
    assert t("gap_line", "en", n=n) == want


def test_templates_for_the_browser_keep_their_placeholder() -> None:
    assert t_template("tip_cluster", "en", 2) == "{n} sites"
    assert t_template("hex_tip_count", "en", 1, res=8, area="0.74").startswith("{n} 5G site (")
    assert t_template("tip_cluster", "zh", 1) == "{n} 个基站"
