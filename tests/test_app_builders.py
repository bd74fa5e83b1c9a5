"""The app's pure parts without a browser: URL state, i18n, layout builders, helpers."""

from __future__ import annotations

import gzip
import json
import re
import string
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from app import data as app_data
from app import errors as app_errors
from app import ids
from app import state as app_state
from app import widgets as app_widgets
from app.auth import CurrentUser
from app.features import cards as app_cards
from app.features import choropleth as app_choropleth
from app.features import history as app_history
from app.features import imports_list as app_imports_list
from app.features import map as map_feature
from app.features import panel as app_panel
from app.features import proposals as app_proposals
from app.features import ranking as app_ranking
from app.features import search as app_search
from app.features import shell as app_shell
from app.features import view as app_view
from app.features import views as app_views
from app.features import whatif as app_whatif
from app.i18n import LANGS, STRINGS, indicator_label, t
from app.state import (
    DEFAULT_PALETTE,
    DISTRICT_CODES,
    PALETTE_NAMES,
    POINT_LAYERS,
    QUERY_ORDER,
    ViewState,
    parse_query,
    to_query,
)
from dash import no_update
from dash._utils import to_json
from hypothesis import given, settings
from hypothesis import strategies as st

from snapshot_util import components
from zzgeo import classes as zz_classes
from zzgeo.districts import CITY_ADCODE, load_districts, load_population
from zzgeo.errors import DataError, ZzgeoError
from zzgeo.indicators import INDICATORS, compute_indicators
from zzgeo.layers import OPERATORS
from zzgeo.messages import Text
from zzgeo.places import Place

APP_DIR = Path(__file__).resolve().parent.parent / "app"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sites() -> gpd.GeoDataFrame:
    """A small in-service 5G layer: i*10 sites in the i-th district (i = 1..11)."""
    districts = load_districts("full")
    rng = np.random.default_rng(11)
    xs, ys = [], []
    for i, geom in enumerate(districts.geometry, start=1):
        xmin, ymin, xmax, ymax = geom.bounds
        got = 0
        while got < 10 * i:
            x, y = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
            if shapely.contains_xy(geom, x, y):
                xs.append(x)
                ys.append(y)
                got += 1
    n = len(xs)
    return gpd.GeoDataFrame(
        {
            "site_id": [f"S{i}" for i in range(n)],
            "operator": ["China Mobile"] * n,
            "status": ["in_service"] * n,
            "year_in_service": pd.array([2023] * n, dtype="Int64"),
        },
        geometry=gpd.points_from_xy(xs, ys),
        crs="EPSG:4326",
    )


@pytest.fixture(scope="module")
def table(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """Indicators for 2025 (a year with a plan target of 30 per 10,000)."""
    out = compute_indicators(sites, load_districts("full"), load_population(), year=2025)
    out["proposed_sites"] = 0
    return out


@pytest.fixture(scope="module")
def table_2020(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """Indicators for 2020 (no plan target that year)."""
    return compute_indicators(sites, load_districts("full"), load_population(), year=2025 - 5)


@pytest.fixture(scope="module")
def meta() -> app_data.PageMeta:
    return app_data.PageMeta(
        urls={"5g_sites": "/zzgeo-data/5g_sites.geojson?v=1"},
        bounds=[[23.5, 116.9], [25.3, 118.2]],
        task_names={"5g_network": Text(zh="加快5G网络建设", en="Speed up 5G network construction")},
    )


@pytest.fixture(scope="module")
def dash_app() -> Any:
    from app import create_app

    return create_app()


def _walk(component: Any) -> Iterator[Any]:
    """Every component in a layout tree (children and component-valued props)."""
    if isinstance(component, (list, tuple)):
        for item in component:
            yield from _walk(item)
        return
    if not hasattr(component, "to_plotly_json"):
        return
    yield component
    for name in getattr(component, "_prop_names", []):
        value = getattr(component, name, None)
        if name == "children" or hasattr(value, "to_plotly_json"):
            yield from _walk(value)
        elif name == "options" and isinstance(value, list):
            for option in value:
                if isinstance(option, dict):
                    yield from _walk(option.get("label"))


def _ids(tree: Any) -> list[Any]:
    return [c.id for c in _walk(tree) if getattr(c, "id", None) is not None]


# --------------------------------------------------------------------------- i18n


def test_every_string_has_both_languages_with_the_same_placeholders() -> None:
    fields = string.Formatter()
    for key, text in STRINGS.items():
        assert isinstance(text, Text), f"{key}: a (zh, en) tuple; run convert_strings.py (one shape: Text)"
        zh, en = text.zh, text.en
        assert zh.strip(), key
        assert en.strip(), key
        assert {f[1] for f in fields.parse(zh) if f[1]} == {f[1] for f in fields.parse(en) if f[1]}, key
    assert t("switch_lang", "zh") == "English"
    assert t("card_of", "en", n=3, total=11) == "3 of 11"


def test_indicator_label_leaves_out_a_unit_the_title_says() -> None:
    assert indicator_label("sites_per_10k", "zh") == "每万人站点数 (个/万人)"
    assert indicator_label("sites_per_10k", "en") == "Sites per 10,000 residents"
    assert indicator_label("gap_sites", "en") == "Gap to the plan target (sites still needed)"


# --------------------------------------------------------------------------- URL state


def test_default_view_has_an_empty_query() -> None:
    assert parse_query("") == ViewState()
    assert parse_query(None) == ViewState()
    assert parse_query("?") == ViewState()
    assert to_query(ViewState()) == ""


def test_query_round_trip() -> None:
    state = ViewState(
        lang="en",
        indicator="gap_sites",
        palette="cb",
        year=2023,
        operators=("China Mobile", "China Unicom"),
        statuses=("planned", "in_service"),
        layers=("5g_sites",),
        center=(24.51234, 117.65),
        zoom=10.25,
        district="350628",
    )
    query = to_query(state)
    assert query == (
        "?lang=en&ind=gap_sites&pal=cb&year=2023&op=mobile,unicom&st=planned,in_service&layers=5g"
        "&c=24.51234,117.65&z=10.25&d=350628"
    )
    assert parse_query(query) == state
    assert parse_query(query.lstrip("?")) == state


def test_query_order_is_the_one_the_browser_keeps() -> None:
    """The browser writes ind/pal itself in QUERY_ORDER: to_query must use the same order."""
    state = ViewState(
        lang="en",
        indicator="gap_sites",
        palette="grey",
        year=2023,
        compare=2020,
        operators=("China Mobile",),
        statuses=("planned",),
        layers=("5g_sites",),
        hexes=("gaps",),
        resolution=7,
        center=(24.5, 117.6),
        zoom=10,
        district="A001",
        level="4f1c0a9e2b7d",
    )
    keys = [part.split("=")[0] for part in to_query(state).lstrip("?").split("&")]
    assert keys == list(QUERY_ORDER)


def test_server_state_leaves_out_what_the_browser_applies() -> None:
    state = ViewState(lang="en", indicator="gap_sites", palette="cb", year=2023, center=(24.5, 117.6), zoom=10)
    server = state.for_server()
    assert (server.indicator, server.palette, server.center, server.zoom) == ("sites_per_10k", "standard", None, None)
    assert (server.lang, server.year) == ("en", 2023)
    for name in ("indicator", "palette"):  # applied in the browser (zzgeo.applyIndicator)
        assert getattr(server, name) == getattr(ViewState(), name)


def test_empty_selections_are_kept() -> None:
    state = parse_query("?op=&layers=")
    assert state.operators == ()
    assert state.layers == ()
    assert parse_query(to_query(state)) == state


@pytest.mark.parametrize(
    ("query", "field", "expected"),
    [
        ("?lang=fr", "lang", "zh"),
        ("?ind=drop_table", "indicator", "sites_per_10k"),
        ("?pal=rainbow", "palette", "standard"),
        ("?year=abc", "year", 2025),
        ("?year=1999", "year", 2025),
        ("?year=2021.5", "year", 2025),
        ("?op=acme", "operators", tuple(OPERATORS)),
        ("?op=acme,telecom", "operators", ("China Telecom",)),
        ("?st=closed", "statuses", ("in_service",)),
        ("?layers=roads", "layers", POINT_LAYERS),
        ("?c=999,999&z=10", "center", None),
        ("?c=24.5,117.6&z=abc", "center", None),
        ("?c=24.5&z=9", "zoom", None),
        ("?c=nan,inf&z=9", "center", None),
        ("?c=24.5,117.6&z=99", "zoom", None),
        ("?d=110101", "district", None),
        ("?d=<script>", "district", None),
        ("?year=2021&year=2022", "year", 2021),
        ("?%zz=1&year=2024", "year", 2024),
    ],
)
def test_bad_query_values_fall_back_to_defaults(query: str, field: str, expected: Any) -> None:
    assert getattr(parse_query(query), field) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_parse_query_never_raises(text: str) -> None:
    state = parse_query(text)
    assert parse_query(to_query(state)) == state


def test_view_state_dict_round_trip() -> None:
    state = ViewState(lang="en", year=2020, district="350602")
    assert ViewState.from_dict(state.to_dict()) == state
    assert ViewState.from_dict(None) == ViewState()
    assert ViewState.from_dict({"year": "x", "operators": "China Mobile"}) == ViewState()


def test_district_codes_match_the_geodata() -> None:
    assert set(load_districts("display")["adcode"]) == set(DISTRICT_CODES)
    assert len(DISTRICT_CODES) == 11


# --------------------------------------------------------------------------- builders


def test_choropleth_hideout(table: pd.DataFrame) -> None:
    hideout = app_views.make_views(table, "en", selected="350628")["hideouts"]["sites_per_10k"][DEFAULT_PALETTE]
    assert hideout["indicator"] == "sites_per_10k"
    assert hideout["palette"] == DEFAULT_PALETTE
    assert set(hideout["fill"]) == DISTRICT_CODES
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in hideout["fill"].values())
    rows = zz_classes.district_rows(table)
    assert hideout["under"] == sorted(rows.loc[rows["underserved"], "adcode"])
    assert hideout["selected"] == "350628"
    tip = hideout["tips"]["350628"]
    assert tip[0] == "Pinghe County · 平和县"
    assert tip[1].startswith("Sites per 10,000 residents: ")
    assert any("secondary source" in line for line in tip)
    assert hideout["tips"]["350603"][2].endswith("(2020, published)")  # Longwen: the NBS county tabulation
    # a derived figure (e.g. a row of a user's population table) is marked
    derived = table.copy()
    derived.loc[derived["adcode"] == "350603", "population_status"] = "derived"
    tips = app_choropleth.make_district_tips(derived, "sites_per_10k", "en")
    assert tips["350603"][2].endswith("derived*)")
    assert "geometry" not in str(hideout)


def test_hideout_follows_the_indicator(table: pd.DataFrame) -> None:
    hideouts = app_views.make_views(table, "zh")["hideouts"]
    a, b = hideouts["sites_per_10k"][DEFAULT_PALETTE], hideouts["residents_per_site"][DEFAULT_PALETTE]
    assert a["fill"] != b["fill"]
    assert a["under"] == b["under"]


def test_views_hold_every_indicator_and_colour_scheme(table: pd.DataFrame) -> None:
    views = app_views.make_views(table, "en", selected="350628", dim=True)
    assert set(views["hideouts"]) == set(INDICATORS)
    assert set(views["columns"]) == set(views["rows"]) == set(views["legend"]) == set(INDICATORS)
    for indicator in INDICATORS:
        assert set(views["hideouts"][indicator]) == set(PALETTE_NAMES)
        for palette in PALETTE_NAMES:
            # each hideout colours the districts as the map image does (zzgeo.classes.scheme_for)
            scheme = zz_classes.scheme_for(table, indicator, palette)
            rows = zz_classes.district_rows(table)
            expected = {str(code): scheme.color(v) for code, v in zip(rows["adcode"], rows[indicator], strict=True)}
            hideout = views["hideouts"][indicator][palette]
            assert hideout["fill"] == expected
            assert hideout["tips"] == app_choropleth.make_district_tips(table, indicator, "en")
            assert (hideout["selected"], hideout["palette"], hideout["indicator"]) == ("350628", palette, indicator)
            # and the legend lists exactly the colours the districts use
            legend = views["legend"][indicator][palette]
            colors = {getattr(c, "data-color") for c in _walk(legend) if getattr(c, "data-color", None)}
            assert set(expected.values()) - {zz_classes.NO_DATA_COLOR} <= colors
            assert getattr(legend[0], "data-indicator") == indicator
        assert views["columns"][indicator] == app_ranking.make_grid_columns(indicator, "en")
        assert views["rows"][indicator] == app_ranking.make_grid_rows(table, indicator, "en")
    hideouts = views["hideouts"]["sites_per_10k"]
    assert all(h["dim"] is True for h in hideouts.values())
    assert hideouts["standard"]["fill"] != hideouts["cb"]["fill"] != hideouts["grey"]["fill"]
    # a few kB: every indicator and scheme costs little on the wire
    assert len(gzip.compress(to_json(views).encode())) < 20_000


def test_no_server_callback_listens_to_the_indicator_or_colours(dash_app: Any) -> None:
    """Changing them is done in the browser (zzgeo.applyIndicator): no server round trip."""
    listeners = {}
    for key, spec in dash_app.callback_map.items():
        inputs = {dep["id"] for dep in spec["inputs"]}
        if inputs & {ids.INDICATOR, ids.PALETTE}:
            listeners[key] = spec
    assert listeners, "nothing applies the indicator"
    assert any("callback" in spec for spec in dash_app.callback_map.values())  # server callbacks have one
    for key, spec in listeners.items():
        assert "callback" not in spec, f"a server callback listens to the indicator or colours: {key}"


def test_cards(table: pd.DataFrame, table_2020: pd.DataFrame) -> None:
    cards = {c.id: c for c in app_cards.make_cards(table, "en")}
    assert set(cards) == {ids.CARD_SITES, ids.CARD_DENSITY, ids.CARD_UNDERSERVED}
    city = zz_classes.city_row(table)
    assert getattr(cards[ids.CARD_SITES], "data-value") == str(int(city["sites"]))
    assert getattr(cards[ids.CARD_DENSITY], "data-target") == "30.0"
    under = int(zz_classes.district_rows(table)["underserved"].sum())
    assert getattr(cards[ids.CARD_UNDERSERVED], "data-value") == str(under)
    no_target = {c.id: c for c in app_cards.make_cards(table_2020, "zh")}
    assert getattr(no_target[ids.CARD_DENSITY], "data-target") == ""


def test_grid_rows_are_ranked(table: pd.DataFrame) -> None:
    rows = app_ranking.make_grid_rows(table, "sites_per_10k", "zh")
    assert len(rows) == 11
    values = [r["value"] for r in rows]
    assert values == sorted(values, reverse=True)
    assert rows[0]["rank"] == 1
    assert {r["adcode"] for r in rows} == DISTRICT_CODES
    assert all(r["status"] in (t("below_target", "zh"), t("meets_target", "zh")) for r in rows)
    worst_first = app_ranking.make_grid_rows(table, "residents_per_site", "en")
    per_site = [r["value"] for r in worst_first]
    assert per_site == sorted(per_site)  # lower is better: ranked ascending


def test_grid_columns(table: pd.DataFrame) -> None:
    cols = app_ranking.make_grid_columns("gap_sites", "en", proposals=True)
    fields = [c["field"] for c in cols]
    assert fields[:3] == ["rank", "name", "value"]
    assert "proposed" in fields
    assert "gap" not in fields  # the value column already is the gap
    value = cols[2]
    assert value["sort"] == "asc"
    assert value["headerName"] == indicator_label("gap_sites", "en")


def test_panel(table: pd.DataFrame) -> None:
    empty = app_panel.make_panel_body(None, table, "zh")[0]
    assert getattr(empty, "data-adcode") == ""
    by_year = pd.DataFrame(
        {y: [10 * y - 20180] * 12 for y in range(2019, 2026)}, index=[*sorted(DISTRICT_CODES), CITY_ADCODE]
    )
    body = app_panel.make_panel_body(
        "350628", table, "en", by_year=by_year, targets_by_year={2023: 20, 2024: 25, 2025: 30}
    )[0]
    assert getattr(body, "data-adcode") == "350628"
    graphs = [c for c in _walk(body) if getattr(c, "id", None) == ids.PANEL_CHART]
    assert len(graphs) == 1
    figure = graphs[0].figure
    assert list(figure["data"][0]["x"]) == list(range(2019, 2026))
    assert list(figure["data"][-1]["x"]) == [2023, 2024, 2025]  # the target line


def test_whatif_summary(table: pd.DataFrame) -> None:
    after = table.copy()
    after.loc[after["adcode"] == "350628", "sites"] += 40
    after.loc[after["adcode"] == "350628", "sites_per_10k"] = 28.1
    after.loc[after["adcode"] == CITY_ADCODE, "sites"] += 40
    from zzgeo.planning import proposal_effect

    summary = app_whatif.make_whatif_summary(proposal_effect(table, after), "en")
    items = [c for c in _walk(summary) if getattr(c, "data-adcode", None) == "350628"]
    assert len(items) == 1
    assert "Pinghe County" in items[0].children
    assert "28.1" in items[0].children
    assert "(+40)" in items[0].children
    none = app_whatif.make_whatif_summary(None, "zh")
    assert none[0].children == t("whatif_none", "zh")


def test_legend(table: pd.DataFrame, table_2020: pd.DataFrame) -> None:
    scheme = zz_classes.scheme_for(table, "sites_per_10k")
    legend = app_choropleth.make_legend(scheme, table, "zh")
    assert getattr(legend[0], "data-indicator") == "sites_per_10k"
    classes = [c for c in _walk(legend) if getattr(c, "data-class", None) not in (None, "none")]
    assert len(classes) == len(scheme.colors)
    text = str([c.children for c in _walk(legend)])
    assert "个/万人" in text
    assert t("legend_below_target", "zh") in text
    gap = app_choropleth.make_legend(zz_classes.scheme_for(table_2020, "gap_sites"), table_2020, "en")
    assert "No plan target for 2020" in str([c.children for c in _walk(gap)])


def test_page_ids_are_unique_and_labels_follow_the_language(meta: app_data.PageMeta) -> None:
    for lang in LANGS:
        page = app_shell.make_page(ViewState(lang=lang, district="350628"), meta)
        found = [i for i in _ids(page) if isinstance(i, str)]
        assert len(found) == len(set(found))
        assert ids.SYNTHETIC_NOTE in found
        note = next(c for c in _walk(page) if getattr(c, "id", None) == ids.SYNTHETIC_NOTE)
        assert note.children == t("synthetic_note", lang)
    link = next(
        c for c in _walk(app_shell.make_page(ViewState(year=2023), meta)) if getattr(c, "id", None) == ids.LANG_LINK
    )
    assert link.href == "?lang=en&year=2023"


def test_map_view_from_state(meta: app_data.PageMeta) -> None:
    fitted = map_feature.make_map(ViewState(), meta)
    assert fitted.viewport["bounds"] == meta.bounds
    shared = map_feature.make_map(ViewState(center=(24.5, 117.6), zoom=11), meta)
    assert shared.center == [24.5, 117.6]
    assert shared.zoom == 11
    assert getattr(shared, "viewport", None) is None


def test_tianditu_only_with_a_token(meta: app_data.PageMeta) -> None:
    def base_names(m: app_data.PageMeta) -> list[str]:
        return [c.name for c in _walk(map_feature.make_map(ViewState(lang="en"), m)) if type(c).__name__ == "BaseLayer"]

    assert base_names(meta) == ["OpenStreetMap", "No basemap"]
    with_token = replace(meta, tianditu_token="abc123")
    assert base_names(with_token) == ["OpenStreetMap", "Tianditu", "No basemap"]
    tiles = [c.url for c in _walk(map_feature.make_map(ViewState(), with_token)) if type(c).__name__ == "TileLayer"]
    assert any("tianditu.gov.cn" in u and "tk=abc123" in u for u in tiles)


def js_exports() -> tuple[set[str], set[str]]:
    """Names the app's JS files put on ``window.zzgeo`` and on ``window.dash_clientside.zzgeo``."""
    functions: set[str] = set()
    clientside: set[str] = set()
    pattern = r"Object\.assign\((Z|window\.dash_clientside\.zzgeo), \{([^}]*)\}\)"
    for path in sorted((APP_DIR / "assets").glob("*.js")):
        for target, names in re.findall(pattern, path.read_text(encoding="utf-8")):
            found = {n.split(":")[0].strip() for n in names.split(",") if n.strip()}
            (functions if target == "Z" else clientside).update(found)
    return functions, clientside


def test_js_functions_referenced_by_the_layout_and_callbacks_exist(meta: app_data.PageMeta, dash_app: Any) -> None:
    defined, clientside = js_exports()
    used = {cb["clientside_function"]["function_name"] for cb in dash_app._callback_list if cb["clientside_function"]}
    assert used
    assert used <= clientside, used - clientside
    referenced = set(
        re.findall(r"'variable': 'zzgeo\.(\w+)'", str(map_feature.make_map(ViewState(), meta).to_plotly_json()))
    )
    assert referenced
    assert referenced <= defined, referenced - defined


# --------------------------------------------------------------------------- callback helpers


def test_url_output() -> None:
    assert app_view.url_output("", "?") is no_update
    assert app_view.url_output("", None) is no_update
    assert app_view.url_output("?year=2020", "?year=2020") is no_update
    assert app_view.url_output("", "?year=abc") == ""
    assert app_view.url_output("?year=2020", "") == "?year=2020"


def test_fitted_view_matches_leaflet_fit() -> None:
    target = [[24.0, 117.0], [25.0, 118.0]]
    # a map whose view is exactly the target at zoom 9 (no padding): fitting gives a zoom
    # at most 9, centred on the target shifted by the padding
    fit = app_view.fitted_view(target, target, 9.0)
    assert fit is not None
    (lat, lon), zoom = fit
    assert zoom <= 9
    assert zoom % app_state.ZOOM_SNAP == 0
    assert 24.0 < lat < 25.0
    assert lon < 117.5  # the left padding moves the centre west (the city shows right of the legend)
    assert app_view.fitted_view(target, "bad", 9.0) is None


def _map_bounds(center: tuple[float, float], zoom: float, width: int, height: int) -> list[list[float]]:
    """Bounds of a ``width`` x ``height`` px Leaflet map at ``center``/``zoom``."""
    import math

    cx, cy = app_view._mercator(center[0], center[1], zoom)
    world = 256 * 2**zoom

    def unproject(x: float, y: float) -> list[float]:
        return [math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / world)))), x / world * 360 - 180]

    south, west = unproject(cx - width / 2, cy + height / 2)
    north, east = unproject(cx + width / 2, cy - height / 2)
    return [[south, west], [north, east]]


def test_view_from_map_keeps_home_and_url_views() -> None:
    bounds = [[23.5, 116.9], [25.3, 118.2]]
    first = _map_bounds((24.4, 117.5), 9, 640, 560)
    (home_lat, home_lon), home_zoom = app_view.fitted_view(bounds, first, 9)
    at_home = _map_bounds((home_lat, home_lon), home_zoom, 640, 560)
    again = app_view.fitted_view(bounds, at_home, home_zoom)
    assert again is not None
    assert again[0] == pytest.approx((home_lat, home_lon))
    assert again[1] == home_zoom
    fresh = ViewState()
    home = {"lat": home_lat, "lng": home_lon}
    assert app_view.view_from_map(home, home_zoom, at_home, fresh, bounds) == (None, None)
    moved = {"lat": home_lat + 0.3, "lng": home_lon}
    moved_bounds = _map_bounds((home_lat + 0.3, home_lon), home_zoom, 640, 560)
    assert app_view.view_from_map(moved, home_zoom, moved_bounds, fresh, bounds) == (
        (round(home_lat + 0.3, 5), round(home_lon, 5)),
        home_zoom,
    )
    shared = ViewState(center=(24.5, 117.6), zoom=11)
    almost = {"lat": 24.50001, "lng": 117.60001}
    assert app_view.view_from_map(almost, 11, at_home, shared, bounds) == ((24.5, 117.6), 11)
    assert app_view.view_from_map(None, None, None, shared, bounds) == ((24.5, 117.6), 11)


def test_error_messages_hide_tracebacks() -> None:
    assert app_errors.error_message(DataError("layer file not found: x"), "en") == "layer file not found: x"
    assert app_errors.error_message(KeyError("secret internals"), "en") == t("error_generic", "en")
    assert app_errors.error_message(RuntimeError("boom"), "zh") == t("error_generic", "zh")


def test_state_from_controls_ignores_bad_values() -> None:
    base = ViewState(district="350602")
    state = app_view.state_from_controls(base, "nope", None, ["China Mobile"], ["planned"], ["5g_sites"])
    assert state.indicator == "sites_per_10k"
    assert state.year == 2025
    assert state.operators == ("China Mobile",)
    assert state.district == "350602"


def test_count_validation() -> None:
    assert app_whatif._count("40", "en") == 40
    for bad in (None, "x", 0, 10_000):
        with pytest.raises(ZzgeoError):
            app_whatif._count(bad, "zh")


# --------------------------------------------------------------------------- the app object


def test_every_callback_id_is_in_the_page(dash_app: Any) -> None:
    from app.data import load_app_data

    meta = load_app_data().meta()
    present = {i if isinstance(i, str) else i["type"] for i in _ids(app_shell.make_shell())}
    present |= {i if isinstance(i, str) else i["type"] for i in _ids(app_shell.make_page(ViewState(), meta))}
    # the Remove buttons of the import list exist only once something was imported
    entry = app_data.ImportEntry("abc", "5g_sites", "sites.csv", "2026-01-01T00:00:00+00:00", 3, 1, "add")
    present |= {i["type"] for i in _ids(app_imports_list.make_import_list([entry], "zh")) if isinstance(i, dict)}
    # the Remove buttons of accepted planned sites exist once some were accepted
    batch = app_data.ProposalBatch("p1", "2026-01-01T00:00:00+00:00", "editor", 3)
    present |= {i["type"] for i in _ids(app_proposals.make_batches([batch], "zh")) if isinstance(i, dict)}
    # an admin's Revert buttons exist once something was logged
    log = pd.DataFrame(
        {"seq": [1], "at": ["2026-01-01T00:00:00+00:00"], "who": ["editor"], "action": ["import"], "kind": ["5g_sites"],
         "file": ["a.csv"], "detail": [""], "count_before": [1], "count_after": [2]}
    )  # fmt: skip
    present |= {i["type"] for i in _ids(app_history.make_history_rows(log, "zh", admin=True)) if isinstance(i, dict)}
    # search results exist once something was searched
    found = [Place("district", "350628", "平和县", "Pinghe County", (24.0, 116.9, 24.6, 117.5))]
    present |= {i["type"] for i in _ids(app_search.make_results(found, "zh", {}, "平和")) if isinstance(i, dict)}
    used = set()
    for key, spec in dash_app.callback_map.items():
        for dep in spec["inputs"] + spec["state"]:
            used.add(dep["id"])
        for part in key.strip(".").split("..."):
            used.add(part.split(".")[0])
    used = {re.sub(r'^\{"index":\["ALL"\],"type":"([^"]+)"\}$', r"\1", u) for u in used}
    missing = {u for u in used if not u.startswith("{")} - present
    assert not missing


def test_grid_code_is_not_in_the_first_page_load(dash_app: Any) -> None:
    """dash-ag-grid's bundle is named in the config block for zz-ranking.js to load later, not a <script src>."""
    client = dash_app.server.test_client()
    page = client.get("/").get_data(as_text=True)
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert sources, "no scripts in the page"
    assert not [src for src in sources if "dash_ag_grid" in src]
    block = re.search(r'<script id="zz-config" type="application/json">(.*?)</script>', page)
    assert block is not None
    urls = json.loads(block.group(1))["lazy"]
    assert set(urls) == {"dash_ag_grid"}
    # it stands before the app's scripts (which read it) and names a bundle the server serves
    assert page.index("zz-config") < page.index("/assets/zz-0-core.js") < page.index("/assets/zz-ranking.js")
    response = client.get(urls["dash_ag_grid"])
    assert response.status_code == 200
    assert b"window.dash_ag_grid=" in response.get_data()


def _layout_page(dash_app: Any, referrer: str | None) -> dict[str, Any]:
    client = dash_app.server.test_client()
    headers = {"Referer": referrer} if referrer is not None else {}
    response = client.get("/_dash-layout", headers=headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def _find(node: Any, ident: str) -> dict[str, Any] | None:
    """The component with id ``ident`` in a layout's JSON."""
    if isinstance(node, list):
        for item in node:
            found = _find(item, ident)
            if found:
                return found
    elif isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == ident:
            return node
        return _find(props.get("children"), ident)
    return None


def test_layout_holds_the_page_of_the_url_that_asks_for_it(dash_app: Any) -> None:
    """The page comes with the layout (no first-render round trip) when the Referer names it."""
    layout_json = _layout_page(dash_app, "http://localhost/?lang=en&year=2023&ind=gap_sites&pal=grey")
    assert _find(layout_json, ids.RENDERED)["props"]["data"] == "en"
    assert _find(layout_json, ids.PAGE)["props"]["lang"] == "en"
    assert _find(layout_json, ids.YEAR)["props"]["value"] == 2023
    assert _find(layout_json, ids.INDICATOR)["props"]["value"] == "gap_sites"
    assert _find(layout_json, ids.PALETTE)["props"]["value"] == "grey"
    hideout = _find(layout_json, ids.DISTRICTS)["props"]["hideout"]
    assert hideout["indicator"] == "gap_sites"
    assert set(hideout["fill"].values()) <= set(zz_classes.GREYS) | {zz_classes.NO_DATA_COLOR}
    assert _find(layout_json, ids.CARD_SITES) is not None  # cards from the first paint
    assert _find(layout_json, ids.URL_INIT) is None  # nothing asks for the first render
    # the page at "/" (no query): the default page
    assert _find(_layout_page(dash_app, "http://localhost/"), ids.RENDERED)["props"]["data"] == "zh"


@pytest.mark.parametrize("query", ["", "?lang=en&tab=ranking&hex=counts"])
def test_no_store_of_the_page_calls_a_callback_as_it_mounts(dash_app: Any, query: str) -> None:
    """A memory store that starts as None "changes" as it mounts and Dash calls what it feeds
    (plotly/dash#2911): only stores that a first call writes anyway may start so (app.widgets.UNSET)."""
    layout_json = _layout_page(dash_app, f"http://localhost/{query}")
    unset = {
        c["props"]["id"]
        for c in components(layout_json)
        if c["type"] == "Store"
        and c["props"].get("data") is None
        and c["props"].get("storage_type", "memory") == "memory"
    }
    deps = dash_app.server.test_client().get("/_dash-dependencies").get_json()

    def outputs(dep: dict[str, Any]) -> set[str]:
        return {o.split("@")[0].strip(".") for o in dep["output"].split("...")}

    written_first = set().union(*(outputs(d) for d in deps if not d.get("prevent_initial_call")))
    fired = sorted(
        (i["id"], d["output"][:60])
        for d in deps
        for i in d["inputs"]
        if i["property"] == "data" and i["id"] in unset and f"{i['id']}.data" not in written_first
    )
    assert fired == []
    assert ids.STATE not in unset  # the page comes with its view state


@pytest.mark.parametrize("query", ["", "?lang=en&tab=ranking&hex=counts&d=350628", "?level=nonsense&year=1999"])
def test_the_page_comes_with_its_first_view(dash_app: Any, query: str) -> None:
    """The layout holds what the first view's callbacks would answer, so no server callback runs
    as the page mounts: the view state, the views (colours, legend, ranking, cards, panel, counts)."""
    layout_json = _layout_page(dash_app, f"http://localhost/{query}")
    present = {
        c["props"]["id"] if isinstance(c["props"]["id"], str) else c["props"]["id"]["type"]
        for c in components(layout_json)
        if "id" in c["props"]
    }
    deps = dash_app.server.test_client().get("/_dash-dependencies").get_json()
    on_mount = [
        d["output"][:60]
        for d in deps
        if not d.get("prevent_initial_call")
        and d.get("clientside_function") is None
        and all(i["id"] in present or str(i["id"]).startswith("{") for i in d["inputs"])
        and any(i["id"] in present for i in d["inputs"])
    ]
    assert on_mount == []
    state = ViewState.from_dict(_find(layout_json, ids.STATE)["props"]["data"])
    data = dash_app.server.extensions["zzgeo"].data
    expected = parse_query(query).within(data.years).within_levels(data.level_keys())
    assert state == expected.for_server()
    views = _find(layout_json, ids.VIEWS)["props"]["data"]
    assert set(views["hideouts"]) == set(INDICATORS)
    hideout = _find(layout_json, ids.DISTRICTS)["props"]["hideout"]
    assert hideout == views["hideouts"][expected.indicator][expected.palette]
    assert hideout["selected"] == expected.district
    grid = _find(layout_json, ids.GRID)["props"]
    assert grid["rowData"] == views["rows"][expected.indicator]
    assert len(grid["rowData"]) == 11
    assert _find(layout_json, ids.LEGEND)["props"]["children"]  # the legend from the first paint
    assert _find(layout_json, ids.CARD_SITES) is not None
    counts = [
        c
        for c in components(layout_json)
        if isinstance(c["props"].get("id"), dict) and c["props"]["id"].get("type") == ids.LAYER_COUNT
    ]
    assert counts
    assert all(re.fullmatch(r" \([\d,]+\)", c["props"]["children"]) for c in counts)
    panel = json.dumps(_find(layout_json, ids.PANEL_BODY)["props"]["children"], ensure_ascii=False)
    assert ("350628" in panel) == (expected.district == "350628")
    # the location starts with the tidy query; an untidy one is replaced as the page mounts
    tidy = to_query(expected)
    assert _find(layout_json, ids.URL)["props"]["search"] == tidy
    replace = _find(layout_json, ids.URL_REPLACE)["props"]["data"]
    assert replace == ({} if tidy == query else {"search": tidy})
    # every part of the first view finds its component on the page (a viewer's too)
    ctx = dash_app.server.extensions["zzgeo"]
    for user in (None, CurrentUser(name="viewer", role="viewer")):
        page = app_shell.make_page(expected, data.meta(), user=user)
        assert app_widgets.fill_props(page, app_shell.first_view(ctx, expected, query)) == []


@pytest.mark.parametrize("referrer", [None, "http://elsewhere.example/?lang=en"])
def test_layout_without_the_asking_page_is_the_shell(dash_app: Any, referrer: str | None) -> None:
    """No Referer (or another site's): the first-render callback builds the page from the URL."""
    layout_json = _layout_page(dash_app, referrer)
    assert _find(layout_json, ids.RENDERED)["props"]["data"] is None
    assert _find(layout_json, ids.PAGE)["props"]["children"] == []
    assert _find(layout_json, ids.URL_INIT) is not None


def test_lazy_scripts_without_a_lazy_library_change_nothing() -> None:
    from app.server import lazy_scripts

    scripts = '<script src="/_dash-component-suites/dash_leaflet/dash_leaflet.v1.js"></script>'
    assert lazy_scripts(scripts) == (scripts, {})


def test_config_block_names_the_ids_and_query_rules_the_browser_uses(dash_app: Any) -> None:
    """The browser reads ids and rules from the page (one source): no component id is written in the JS."""
    page = dash_app.server.test_client().get("/").get_data(as_text=True)
    config = json.loads(re.search(r'<script id="zz-config" type="application/json">(.*?)</script>', page).group(1))
    assert config["ids"]["map"] == ids.MAP
    assert config["ids"]["legendBox"] == ids.LEGEND_BOX
    assert set(config["ids"].values()) <= {v for k, v in vars(ids).items() if k.isupper()}
    assert config["query"]["order"] == list(QUERY_ORDER)
    assert config["query"]["params"]["ind"]["control"] == ids.INDICATOR
    component_ids = {v for k, v in vars(ids).items() if k.isupper() and isinstance(v, str)}
    for path in (APP_DIR / "assets").glob("*.js"):
        source = path.read_text(encoding="utf-8")
        quoted = set(re.findall(r'"([a-z][a-z0-9-]+)"', source)) | set(re.findall(r"#([a-z][a-z0-9-]+)", source))
        assert not quoted & component_ids, f"{path.name} writes component ids itself: {quoted & component_ids}"


def test_server_routes(dash_app: Any) -> None:
    client = dash_app.server.test_client()
    page = client.get("/?year=abc&ind=%3Cscript%3E&c=1,2")
    assert page.status_code == 200
    layout_json = client.get("/_dash-layout")
    assert layout_json.status_code == 200
    from app.data import load_app_data

    data_url = load_app_data().url("5g_sites")
    response = client.get(data_url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == "gzip"
    body = gzip.decompress(response.data)
    assert body.startswith(b'{"type":"FeatureCollection"')
    assert client.get("/zzgeo-data/nope.geojson").status_code == 404
