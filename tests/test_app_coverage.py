"""Hexagon overlays, coverage figures, the compact 5G payload and the server settings (no browser)."""

from __future__ import annotations

import gc
import json
import re
import time
import warnings
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import brotli
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from app import context as app_context
from app import coverage as app_coverage
from app import data as app_data
from app import ids, payload
from app import state as app_state
from app.data import load_app_data
from app.features import hexes as app_hexes
from app.features import map as map_feature
from app.features import panel as app_panel
from app.features import ranking as app_ranking
from app.features import shell as app_shell
from app.features import view as app_view
from app.i18n import t
from app.state import ViewState, parse_query, to_query

from test_app_builders import _map_bounds, js_exports
from zzgeo import classes as zz_classes
from zzgeo import coverage, planning
from zzgeo.districts import CITY_ADCODE, load_districts, load_population
from zzgeo.indicators import compute_indicators, filter_layer
from zzgeo.layers import load_layer

APP_DIR = Path(__file__).resolve().parent.parent / "app"


@pytest.fixture(scope="module")
def sample() -> gpd.GeoDataFrame:
    return load_layer("5g_sites")


@pytest.fixture(scope="module")
def dash_app() -> Any:
    from app import create_app

    return create_app()


@pytest.fixture(scope="module")
def computer() -> app_context.AppContext:
    return app_context.AppContext(load_app_data())


def _walk(component: Any) -> list[Any]:
    out = []
    stack = [component]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
            continue
        if not hasattr(item, "to_plotly_json"):
            continue
        out.append(item)
        children = getattr(item, "children", None)
        if children is not None:
            stack.append(children)
        options = getattr(item, "options", None)
        if isinstance(options, list):
            stack.extend(o.get("label") for o in options if isinstance(o, dict))
    return out


def _text(component: Any) -> str:
    return " ".join(str(c.children) for c in _walk(component) if isinstance(getattr(c, "children", None), str))


# --------------------------------------------------------------------------- compact payload


def expand_points(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rows of a compact dict as ``{"lon", "lat", <short name>: value}``: a reference decoder of
    :mod:`app.payload`'s format (the browser's is ``zzgeo.expandPoints``)."""
    n = int(data["n"])
    scale = float(data["scale"])
    xs = np.cumsum(np.asarray(data["x"], dtype=np.int64))
    ys = np.cumsum(np.asarray(data["y"], dtype=np.int64))
    columns: dict[str, list[Any]] = {}
    for short, col in data["props"].items():
        if "codes" in col:
            codes = col["codes"]
            columns[short] = [codes[i] if i >= 0 else None for i in col["v"]]
        elif "prefix" in col:
            numbers = np.cumsum(np.asarray(col["d"], dtype=np.int64))
            columns[short] = [f"{col['prefix']}{int(v):0{col['width']}d}" for v in numbers]
        else:
            columns[short] = list(col["v"])
    out = []
    for i in range(n):
        row: dict[str, Any] = {"lon": xs[i] / scale, "lat": ys[i] / scale}
        row.update({k: v[i] for k, v in columns.items()})
        out.append(row)
    return out


def test_compact_payload_round_trips_the_sample(sample: gpd.GeoDataFrame) -> None:
    columns = {
        "i": ("site_id", "id"),
        "o": ("operator", "code"),
        "b": ("band", "code"),
        "y": ("year_in_service", "int"),
    }
    data = payload.compact_points(sample, columns)
    assert data["format"] == payload.FORMAT
    assert data["n"] == len(sample)
    assert data["props"]["i"]["prefix"] == "SYN-5G-"  # ids as prefix + numbers
    assert set(data["props"]["i"]["d"]) == {1}  # sequential: every difference is 1
    rows = expand_points(json.loads(json.dumps(data)))
    assert [r["i"] for r in rows] == sample["site_id"].tolist()
    assert [r["o"] for r in rows] == sample["operator"].tolist()
    assert [r["b"] for r in rows] == sample["band"].tolist()
    assert [r["y"] for r in rows] == [int(y) for y in sample["year_in_service"]]
    lon = np.array([r["lon"] for r in rows])
    lat = np.array([r["lat"] for r in rows])
    assert np.abs(lon - shapely.get_x(sample.geometry.to_numpy())).max() <= 0.5e-5 + 1e-12
    assert np.abs(lat - shapely.get_y(sample.geometry.to_numpy())).max() <= 0.5e-5 + 1e-12


def test_compact_payload_handles_missing_values_and_irregular_ids() -> None:
    gdf = gpd.GeoDataFrame(
        {
            "site_id": ["A-1", "B-22", None],
            "operator": ["China Mobile", None, "China Mobile"],
            "year_in_service": pd.array([2021, None, 2023], dtype="Int64"),
        },
        geometry=[shapely.Point(117.6, 24.5), shapely.Point(117.61, 24.52), shapely.Point(117.7, 24.4)],
        crs="EPSG:4326",
    )
    data = payload.compact_points(
        gdf, {"i": ("site_id", "id"), "o": ("operator", "code"), "y": ("year_in_service", "int"), "x": ("nope", "str")}
    )
    assert "x" not in data["props"]
    assert data["props"]["i"] == {"v": ["A-1", "B-22", None]}
    assert data["props"]["o"] == {"codes": ["China Mobile"], "v": [0, -1, 0]}
    assert data["props"]["y"] == {"v": [2021, None, 2023]}
    rows = expand_points(data)
    assert [r["o"] for r in rows] == ["China Mobile", None, "China Mobile"]
    assert rows[1]["lon"] == pytest.approx(117.61)
    assert rows[2]["lat"] == pytest.approx(24.4)


def test_compact_payload_is_much_smaller_than_the_geojson() -> None:
    data = load_app_data()
    geojson, compact = data.payloads["5g_sites"], data.compact["5g_sites"]
    assert json.loads(geojson)["type"] == "FeatureCollection"  # the GeoJSON route stays GeoJSON
    assert len(compact) * 5 < len(geojson)
    assert len(brotli.compress(compact, quality=5)) * 2 < len(brotli.compress(geojson, quality=5))
    assert data.page_url("5g_sites").startswith("/zzgeo-data/5g_sites.json?v=")
    assert data.url("5g_sites").startswith("/zzgeo-data/5g_sites.geojson?v=")
    assert data.meta().urls["5g_sites"] == data.page_url("5g_sites")


# --------------------------------------------------------------------------- server settings


def test_routes_compress_and_close_assets(dash_app: Any) -> None:
    server = dash_app.server
    assert server.config["COMPRESS_STREAMS"] is False
    client = server.test_client()
    data = load_app_data()
    compact = client.get(data.page_url("5g_sites"), headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert compact.headers["Content-Encoding"] == "br"
    assert compact.headers["Cache-Control"] == "public, max-age=86400"
    assert json.loads(brotli.decompress(compact.data))["format"] == payload.FORMAT
    assert client.get("/zzgeo-data/districts.json").status_code == 404  # only compact layers
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a file left open would say so when collected
        for name in ("zz-0-core.js", "zz-map.js", "zzgeo.css", "vendor/h3-js-4.5.0.umd.js"):
            response = client.get(f"/assets/{name}", headers={"Accept-Encoding": "gzip"})
            assert response.status_code == 200
            assert response.headers.get("Content-Encoding") == "gzip", name
            response.close()
        gc.collect()


def test_index_page_says_its_language_and_leaves_vendor_scripts_out(dash_app: Any) -> None:
    client = dash_app.server.test_client()
    zh = client.get("/").get_data(as_text=True)
    assert re.search(r'<html lang="zh-CN"', zh)
    en = client.get("/?lang=en&year=2023").get_data(as_text=True)
    assert re.search(r'<html lang="en"', en)
    # h3-js is loaded only when a hexagon overlay is shown: no tag, only its URL in the config block
    assert not re.search(r'<script[^>]+src="[^"]*vendor/', zh)
    assert '"h3": "/assets/vendor/h3-js-4.5.0.umd.js"' in zh
    assert "/assets/zz-0-core.js" in zh


# --------------------------------------------------------------------------- view state


def test_hex_overlays_in_the_url() -> None:
    assert ViewState().hexes == ()
    assert ViewState().resolution == 8
    state = ViewState(hexes=("counts", "gaps"), resolution=7)
    assert to_query(state) == "?hex=counts,gaps&res=7"
    assert parse_query(to_query(state)) == state
    assert parse_query("?hex=gaps,bogus&res=9") == ViewState(hexes=("gaps",))
    assert parse_query("?hex=nope&res=x") == ViewState()
    assert ViewState.from_dict(state.to_dict()) == state


# --------------------------------------------------------------------------- builders


def test_hex_classes_and_labels() -> None:
    assert app_hexes.hex_class_labels(8) == ["1", "2–3", "4–7", "8–15", "≥ 16"]
    assert app_hexes.hex_class_labels(7) == ["1–2", "3–9", "10–29", "30–99", "≥ 100"]
    assert len(app_hexes.HEX_COLORS) == len(app_hexes.HEX_BREAKS[8]) + 1


def test_hex_counts_payload(sample: gpd.GeoDataFrame) -> None:
    shown = filter_layer(sample, year=2025)
    geoms = shown.geometry.to_numpy()
    counts = coverage.hex_counts(shapely.get_x(geoms), shapely.get_y(geoms), resolution=8)
    data = app_hexes.make_hex_counts(counts, 8)
    assert data["res"] == 8
    assert len(data["cells"]) == len(data["n"]) == len(counts)
    assert sum(data["n"]) == data["sites"] == len(shown)
    assert all(re.fullmatch(r"88[0-9a-f]{13}", c) for c in data["cells"])  # what h3-js reads
    assert data["cells"][0] == format(int(counts["cell"].iloc[0]), "x")
    json.dumps(data)  # JSON-ready


def test_hex_legend_and_radii() -> None:
    assert app_hexes.make_hex_legend((), 8, "zh") == []
    counts = {"cells": ["a", "b"], "n": [1, 2]}
    gaps = {"cells": ["c"], "land": 4}
    legend = app_hexes.make_hex_legend(("counts", "gaps"), 7, "en", counts=counts, gaps=gaps)
    root = legend[0]
    assert getattr(root, "data-res") == "7"
    parts = {c.className: c for c in _walk(legend) if getattr(c, "className", None)}
    assert getattr(parts["zz-legend-hex-counts"], "data-cells") == "2"
    assert getattr(parts["zz-legend-hex-gaps"], "data-cells") == "1"
    text = _text(legend)
    assert "25% of land hexagons" in text
    for band, radius in coverage.DEFAULT_RADIUS_KM.items():
        assert (f"{band} {radius:g} km" if band else f"other bands {radius:g} km") in text
    assert "about one hexagon" in text
    assert "n28 3 km" in app_coverage.radius_text("zh")


def test_coverage_note_says_what_is_assumed() -> None:
    en = app_coverage.coverage_note("en")
    assert "spread evenly over each district's land" in en
    assert "no population data finer than districts" in en
    assert "n78 0.8 km" in en
    assert "resolution 8" in en
    zh = app_coverage.coverage_note("zh")
    assert "均匀分布" in zh
    assert "约一个六边形" in zh


@pytest.fixture(scope="module")
def covered_table(sample: gpd.GeoDataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    table = compute_indicators(sample, load_districts("full"), load_population(), year=2025)
    cov = coverage.coverage_by_district(filter_layer(sample, year=2025))
    return app_coverage.with_coverage(table, cov), cov


def test_with_coverage_merges_by_adcode(covered_table: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    table, cov = covered_table
    city = table[table["adcode"] == CITY_ADCODE].iloc[0]
    want = cov[cov["adcode"] == CITY_ADCODE].iloc[0]
    assert city["coverage_pct"] == pytest.approx(want["coverage_pct"])
    assert city["population_weighted_pct"] == pytest.approx(want["population_weighted_pct"])
    rows = zz_classes.district_rows(table)
    assert rows["coverage_pct"].between(0, 100).all()
    # residents are assumed even over each district's land: both figures agree per district
    assert np.allclose(rows["coverage_pct"], rows["population_weighted_pct"])
    assert table.attrs["year"] == 2025
    assert table.attrs["coverage_resolution"] == 8
    empty = app_coverage.with_coverage(table.drop(columns=list(app_coverage.COVERAGE_COLUMNS)), None)
    assert empty["coverage_pct"].isna().all()


def test_panel_and_ranking_show_coverage(covered_table: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    table, cov = covered_table
    body = app_panel.make_panel_body("350628", table, "en")
    cells = {getattr(c, "data-indicator", None): c for c in _walk(body)}
    want = float(cov.loc[cov["adcode"] == "350628", "coverage_pct"].iloc[0])
    assert cells["coverage_pct"].children == f"{want:,.1f}"
    assert cells["population_weighted_pct"].children == f"{want:,.1f}"
    assert "spread evenly" in _text(body)
    rows = app_ranking.make_grid_rows(table, "sites_per_10k", "en")
    row = next(r for r in rows if r["adcode"] == "350628")
    assert row["cov"] == round(want, 1)
    assert row["pop_cov"] == round(want, 1)
    fields = [c["field"] for c in app_ranking.make_grid_columns("sites_per_10k", "zh")]
    assert {"cov", "pop_cov"} <= set(fields)
    col = next(c for c in app_ranking.make_grid_columns("sites_per_10k", "en") if c["field"] == "cov")
    assert col["headerName"] == t("col_coverage", "en")
    assert "spread evenly" in col["headerTooltip"]


def test_controls_and_map_have_the_hex_overlays() -> None:
    meta = app_data.PageMeta(urls={"5g_sites": "/x.json"}, bounds=[[23.5, 116.9], [25.3, 118.2]])
    page = app_shell.make_page(ViewState(hexes=("gaps",), resolution=7), meta)
    found = {c.id: c for c in _walk(page) if isinstance(getattr(c, "id", None), str)}
    assert found[ids.HEXES].value == ["gaps"]
    assert [o["value"] for o in found[ids.HEXES].options] == ["counts", "gaps"]
    assert found[ids.HEX_RES].value == 7
    assert ids.HEX_LEGEND in found
    h3 = app_shell.browser_config()["h3"]
    assert h3.endswith("vendor/h3-js-4.5.0.umd.js")
    assert (APP_DIR / "assets" / h3.split("/assets/", 1)[1]).exists()
    map_ = map_feature.make_map(ViewState(), meta)
    layers = {c.id: c for c in _walk(map_) if type(c).__name__ == "GeoJSON"}
    assert layers[ids.HEX_COUNTS].style == {"variable": "zzgeo.hexStyle"}
    assert layers[ids.HEX_GAPS].hideout == {"kind": "gaps"}
    functions, clientside = js_exports()
    assert {"hexStyle", "hexEach"} <= functions
    assert {"hexLayers", "hexRequest", "fitView", "setDocumentLang"} <= clientside


# --------------------------------------------------------------------------- caches


def test_filter_cache_is_a_bounded_lru() -> None:
    cache = app_context.FilterCache(maxsize=2)
    calls: list[str] = []

    def make(key: str) -> Any:
        return lambda: calls.append(key) or key.upper()

    assert cache.get("a", make("a")) == "A"
    assert cache.get("a", make("a")) == "A"
    assert calls == ["a"]
    cache.get("b", make("b"))
    cache.get("a", make("a"))  # a is now the most recent
    cache.get("c", make("c"))  # evicts b
    assert len(cache) == 2
    cache.get("b", make("b"))
    assert calls == ["a", "b", "c", "b"]
    assert (cache.hits, cache.misses) == (2, 4)
    cache.clear()
    assert len(cache) == 0


def test_computer_caches_coverage_per_filter_state(computer: app_context.AppContext) -> None:
    state = ViewState(year=2024)
    first = computer.coverage(state)
    misses = computer.coverage_cache.misses
    assert computer.coverage(replace(state, indicator="sites", statuses=("planned",))) is first  # same sites
    assert computer.coverage_cache.misses == misses
    other = computer.coverage(replace(state, operators=("China Mobile",)))
    assert computer.coverage_cache.misses == misses + 1
    city = lambda t: float(t.loc[t["adcode"] == CITY_ADCODE, "coverage_pct"].iloc[0])  # noqa: E731
    assert city(other) < city(first)
    direct = coverage.coverage_by_district(computer.in_service(state), resolution=8)
    assert np.allclose(first["coverage_pct"], direct["coverage_pct"])


def test_computer_hex_counts_follow_the_filters(computer: app_context.AppContext) -> None:
    a = app_hexes.hex_counts(computer, ViewState(year=2025))
    b = app_hexes.hex_counts(computer, ViewState(year=2021))
    assert sum(b["n"]) < sum(a["n"])
    assert a["key"] != b["key"]
    assert app_hexes.hex_counts(computer, ViewState(year=2025, indicator="sites")) is a  # cached
    c = app_hexes.hex_counts(computer, ViewState(year=2025, resolution=7))
    assert len(c["cells"]) < len(a["cells"])
    assert sum(c["n"]) == sum(a["n"])
    mobile = app_hexes.hex_counts(computer, ViewState(year=2025, operators=("China Mobile",)))
    assert sum(mobile["n"]) < sum(a["n"])


def test_accepted_proposals_are_planned_sites_everyone_sees(
    computer: app_context.AppContext, tmp_path: Path, fresh_settings: pytest.MonkeyPatch
) -> None:
    """Accepted proposals live in the workspace: every page (and worker) loading it counts them."""
    from zzgeo.workspace import Workspace

    fresh_settings.setenv("ZZGEO_WORKSPACE", str(tmp_path / "workspace.gpkg"))
    accepted = planning.make_proposals([117.65, 117.66], [24.51, 24.52], year=2025)
    Workspace().add_proposals(accepted, who="tester")
    shared = app_context.AppContext(load_app_data())
    (batch,) = shared.data.proposal_batches
    assert (batch.rows, batch.who) == (2, "tester")
    assert shared.data.version != computer.data.version
    planned = ViewState(year=2025, statuses=("planned", "in_service"))
    with_accepted = app_hexes.hex_counts(shared, planned)
    assert sum(with_accepted["n"]) == sum(app_hexes.hex_counts(computer, planned)["n"]) + 2
    # planned sites: not counted as in service, nor for coverage
    in_service = ViewState(year=2025)
    assert app_hexes.hex_counts(shared, in_service)["n"] == app_hexes.hex_counts(computer, in_service)["n"]
    _, table = shared.tables(planned, planning.empty_proposals())
    _, before = computer.tables(planned, planning.empty_proposals())
    assert int(zz_classes.city_row(table)["sites"]) == int(zz_classes.city_row(before)["sites"]) + 2


def test_computer_gaps_are_the_uncovered_land_cells(computer: app_context.AppContext) -> None:
    state = ViewState(year=2022, resolution=7)
    gaps = app_hexes.hex_gaps(computer, state)
    want = coverage.coverage_gaps(computer.in_service(state), resolution=7)
    assert gaps["cells"] == app_hexes.cell_ids(want["cell"].to_numpy())
    assert gaps["land"] == len(coverage.land_cells(7))
    later = app_hexes.hex_gaps(computer, replace(state, year=2025))
    assert len(later["cells"]) < len(gaps["cells"])  # more sites, fewer gaps


# --------------------------------------------------------------------------- map fits


def test_fit_requests_carry_the_phone_padding() -> None:
    request = app_state.fit_request([[23.5, 116.9], [25.3, 118.2]], initial=True)
    assert request["options"] == app_state.FIT_OPTIONS
    assert request["phoneOptions"] == app_state.PHONE_FIT_OPTIONS
    assert request["initial"] is True
    assert "initial" not in app_state.fit_request([[1, 2], [3, 4]])
    assert app_state.PHONE_FIT_OPTIONS["paddingBottomRight"][0] == app_state.PHONE_FIT_OPTIONS["paddingTopLeft"][0]


def test_phone_home_view_is_not_written_to_the_url() -> None:
    bounds = [[23.5, 116.9], [25.3, 118.2]]
    first = _map_bounds((24.4, 117.5), 8, 374, 523)  # a phone's map
    fit = app_view.fitted_view(bounds, first, 8, options=app_state.PHONE_FIT_OPTIONS)
    assert fit is not None
    (lat, lon), zoom = fit
    at_home = _map_bounds((lat, lon), zoom, 374, 523)
    assert app_view.view_from_map({"lat": lat, "lng": lon}, zoom, at_home, ViewState(), bounds) == (None, None)
    # centred: the phone padding is symmetric, so the fit centre is the bounds' centre
    assert lon == pytest.approx((116.9 + 118.2) / 2, abs=0.01)
    desktop = app_view.fitted_view(bounds, at_home, zoom)
    assert desktop is not None
    assert desktop[0][1] < lon  # the desktop padding moves the centre west (the legend's column is left)


def test_index_preloads_the_5g_payload_and_drops_unused_bundles(dash_app: Any) -> None:
    client = dash_app.server.test_client()
    page = client.get("/").get_data(as_text=True)
    url = load_app_data().page_url("5g_sites")
    assert f'<link rel="preload" href="{url}" as="fetch" crossorigin="anonymous">' in page
    assert "preload" not in client.get("/?layers=dc,proj").get_data(as_text=True)  # no 5G layer shown
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert not [s for s in scripts if "dash_table" in s]  # a bundle the app never renders
    assert [s for s in scripts if "dash_leaflet" in s]  # a bundle it renders stays (dash_ag_grid: loaded later)
    assert "favicon.ico" in page


def test_immutable_answers_get_the_best_brotli_once_ready(dash_app: Any) -> None:
    from app.server import BEST_BROTLI

    client = dash_app.server.test_client()
    page = client.get("/").get_data(as_text=True)
    bundle = re.search(r'src="(/_dash-component-suites/dash_leaflet/[^"]+\.js)"', page)
    assert bundle is not None
    headers = {"Accept-Encoding": "gzip, br"}
    first = client.get(bundle.group(1), headers=headers)  # the fast level, and queued for the best
    assert first.headers["Content-Encoding"] == "br"
    plain = brotli.decompress(first.data)
    for _ in range(200):  # the background thread needs about a second
        if BEST_BROTLI.get(bundle.group(1)) is not None:
            break
        time.sleep(0.05)
    best = client.get(bundle.group(1), headers=headers)
    assert best.headers["Content-Encoding"] == "br"
    assert brotli.decompress(best.data) == plain
    assert len(best.data) == len(brotli.compress(plain, quality=11))  # the best level
    assert len(best.data) <= len(first.data)
    assert "Accept-Encoding" in best.headers["Vary"]
    gzipped = client.get(bundle.group(1), headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"


def test_tickets_drop_answers_for_older_requests() -> None:
    tickets = app_context.Tickets(maxsize=2)
    first = tickets.take("tab-a", "views")
    second = tickets.take("tab-a", "views")
    assert tickets.is_stale("tab-a", "views", first)  # a newer request arrived: drop the older answer
    assert not tickets.is_stale("tab-a", "views", second)
    hexes = tickets.take("tab-a", "hexes")  # callbacks are numbered apart
    assert not tickets.is_stale("tab-a", "hexes", hexes)
    assert not tickets.is_stale("tab-a", "views", second)
    assert tickets.take(None, "views") == 0  # no tab id: never dropped
    assert not tickets.is_stale(None, "views", 0)
    tickets.take("tab-b", "views")  # the oldest entry is forgotten (maxsize 2): never dropped
    assert not tickets.is_stale("tab-a", "views", first)


def _update_views(client: Any, dash_app: Any, state: ViewState) -> dict[str, Any]:
    """POST the update_views callback as the browser does; returns its outputs by id."""
    key = next(k for k in dash_app.callback_map if k.startswith(f"..{ids.VIEWS}.data"))
    outputs = []
    for part in key.strip(".").split("..."):
        ident, prop = part.rsplit(".", 1)
        ident = json.loads(ident) if ident.startswith("{") else ident
        outputs.append({"id": ident, "property": prop.split("@")[0]})
    outputs[4] = [{"id": {"type": ids.LAYER_COUNT, "index": k}, "property": "children"} for k in ("5g_sites",)]
    body = {
        "output": key,
        "outputs": outputs,
        "inputs": [
            {"id": ids.STATE, "property": "data", "value": state.to_dict()},
            {"id": ids.PROPOSALS, "property": "data", "value": None},
            {"id": ids.DATA_VERSION, "property": "data", "value": None},
        ],
        "state": [{"id": ids.TAB, "property": "data", "value": None}],
        "changedPropIds": [f"{ids.STATE}.data"],
    }
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return answer.get_json()["response"]


def test_update_views_computes_each_view_once(dash_app: Any) -> None:
    ctx = dash_app.server.extensions["zzgeo"]
    client = dash_app.server.test_client()
    cache = ctx.views_cache
    state = ViewState(year=2023).for_server()
    first = _update_views(client, dash_app, state)
    misses = cache.misses
    assert _update_views(client, dash_app, state) == first  # the same answer, from the cache
    assert cache.misses == misses
    # a district click: the map's views are the city's (a hit), only the panel is new
    clicked = _update_views(client, dash_app, replace(state, district="350628"))
    assert cache.misses == misses + 1
    hideouts = clicked[ids.VIEWS]["data"]["hideouts"]
    assert {h["selected"] for schemes in hideouts.values() for h in schemes.values()} == {"350628"}
    assert clicked[ids.VIEWS]["data"]["rows"] == first[ids.VIEWS]["data"]["rows"]
    assert clicked[ids.PANEL_BODY] != first[ids.PANEL_BODY]
    # the cached views were not changed by the click
    again = _update_views(client, dash_app, state)
    assert {h["selected"] for schemes in again[ids.VIEWS]["data"]["hideouts"].values() for h in schemes.values()} == {
        None
    }
    # another year is another view
    older = _update_views(client, dash_app, replace(state, year=2020))
    assert cache.misses == misses + 3  # views and panel of 2020
    assert older[ids.CARDS]["children"] != first[ids.CARDS]["children"]
    assert older[ids.VIEWS]["data"]["rows"] != first[ids.VIEWS]["data"]["rows"]
