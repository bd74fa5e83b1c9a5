"""The app on an area level (issue 13): the URL's ``lvl``, the views per area, clicks, search, what-if.

One app for the module, on a temporary workspace holding one imported area layer (a
synthetic tiling of the city: ``conftest.grid_areas``). Counts per area are checked against
``geopandas.sjoin(predicate="within")`` and the ratios by hand.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from app import errors as app_errors
from app import ids
from app.coverage import coverage_note
from app.features.whatif import suggested
from app.i18n import t
from app.levels import safe_keys
from app.state import ViewState, parse_query, to_query
from dash import no_update
from dash.exceptions import PreventUpdate

from area_grid import grid_areas
from zzgeo import planning
from zzgeo.classes import district_rows
from zzgeo.districts import CITY_ADCODE
from zzgeo.errors import ZzgeoError
from zzgeo.imports import import_file
from zzgeo.indicators import filter_layer
from zzgeo.settings import Settings
from zzgeo.workspace import Workspace


@pytest.fixture(scope="module")
def level_app(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, str]:
    """The app on a workspace with one area layer (0.2° cells of the city); and the level's key."""
    from app import create_app

    folder = tmp_path_factory.mktemp("levels")
    path = folder / "grid.geojson"
    grid_areas()[["name", "geometry"]].to_file(path, driver="GeoJSON")
    workspace = Workspace(folder / "workspace.gpkg")
    key = workspace.add(import_file(path, "areas"), who="test")
    return create_app(Settings(workspace_path=folder / "workspace.gpkg")), key


@pytest.fixture(scope="module")
def ctx(level_app: tuple[Any, str]) -> Any:
    return level_app[0].server.extensions["zzgeo"]


@pytest.fixture(scope="module")
def key(level_app: tuple[Any, str]) -> str:
    return level_app[1]


def _post(dash_app: Any, output_start: str, values: Mapping[str, Any], changed: str) -> dict[str, Any]:
    """POST the callback whose output key starts with ``output_start`` as the browser does.

    ``values``: "id.property" -> value of its inputs and states (missing: None); pattern-matching
    outputs get no component. Returns the outputs by id (and property)."""
    key = next(k for k in dash_app.callback_map if k.startswith(output_start))
    spec = dash_app.callback_map[key]
    outputs: list[Any] = []
    for part in key.strip(".").split("..."):
        ident, prop = part.rsplit(".", 1)
        outputs.append([] if ident.startswith("{") else {"id": ident, "property": prop.split("@")[0]})

    def items(deps: list[dict[str, Any]]) -> list[Any]:
        return [
            [] if isinstance(d["id"], dict) else {**d, "value": values.get(f"{d['id']}.{d['property']}")} for d in deps
        ]

    body = {
        "output": key,
        "outputs": outputs,
        "inputs": items(spec["inputs"]),
        "state": items(spec["state"]),
        "changedPropIds": [changed],
    }
    answer = dash_app.server.test_client().post("/_dash-update-component", json=body)
    assert answer.status_code in (200, 204), answer.get_data(as_text=True)[:500]
    return answer.get_json()["response"] if answer.status_code == 200 else {}


# -- the view state -------------------------------------------------------------------------------


def test_the_url_holds_the_level_and_the_selected_area() -> None:
    state = parse_query("?lvl=abc123&d=A007&year=2024")
    assert (state.level, state.district, state.year) == ("abc123", "A007", 2024)
    assert parse_query(to_query(state)) == state
    assert to_query(state).startswith("?lvl=abc123")  # lang, lvl, ind, ...: the level comes early
    assert parse_query("?d=A007").district is None  # without a level a selection is a district code
    assert parse_query("?d=350628").district == "350628"
    for bad in ("a b", "<script>", "x" * 41, ""):
        assert parse_query(f"?lvl={bad}").level is None


def test_a_view_keeps_only_levels_and_areas_the_data_has() -> None:
    levels = {"grid": frozenset({"A001", "A002"})}
    on = ViewState(level="grid", district="A002")
    assert on.within_levels(levels) == on
    assert on.within_levels({}) == replace(on, level=None, district=None)  # the layer was removed
    assert replace(on, district="A999").within_levels(levels) == replace(on, district=None)
    districts = ViewState(district="350628")
    assert districts.within_levels(levels) == districts


def test_area_keys_are_made_safe_for_urls_and_css_only_when_they_must() -> None:
    frame = gpd.GeoDataFrame({"adcode": ["Z-1", "Z_2"]}, geometry=gpd.points_from_xy([117.6, 117.7], [24.5, 24.5]))
    assert safe_keys(frame) is frame
    for keys in (["镇 1", "Z_2"], ["Z1", "Z1"], ['a"b', "c"]):
        unsafe = frame.assign(adcode=keys)
        assert list(safe_keys(unsafe)["adcode"]) == ["A001", "A002"]
        assert list(unsafe["adcode"]) == keys  # the input is unchanged


# -- indicators per area --------------------------------------------------------------------------


def test_counts_per_area_are_those_of_sjoin_within(ctx: Any, key: str) -> None:
    state = ViewState(level=key, year=2024, operators=("China Mobile", "China Unicom")).for_server()
    level = ctx.level(state)
    assert level is not None
    assert len(level.areas) > 30
    base, _ = ctx.tables(state, planning.empty_proposals())
    rows = district_rows(base).set_index("adcode")
    assert set(rows.index) == set(level.areas["adcode"])
    sites = filter_layer(ctx.sites(), year=2024, operators=["China Mobile", "China Unicom"])
    joined = gpd.sjoin(sites[["geometry"]], level.areas[["adcode", "geometry"]], predicate="within", how="left")
    assert joined.index.is_unique  # the tiling does not overlap
    expected = joined["adcode"].value_counts().reindex(rows.index).fillna(0).astype(int)
    assert rows["sites"].astype(int).to_dict() == expected.to_dict()
    assert base.attrs["unassigned"] == int(joined["adcode"].isna().sum())
    population = level.areas.set_index("adcode")["population"].astype(float)
    has_people = population > 0
    per_10k = rows["sites"] / population * 10_000
    pd.testing.assert_series_equal(
        rows.loc[has_people, "sites_per_10k"].astype(float), per_10k[has_people], check_names=False
    )
    per_100km2 = rows["sites"] / rows["land_area_km2"] * 100
    land = rows["land_area_km2"] > 0
    assert rows.loc[land, "sites_per_100km2"].to_numpy() == pytest.approx(per_100km2[land].to_numpy())
    city_target = float(base.loc[base["adcode"] == CITY_ADCODE, "target_per_10k"].iloc[0])
    assert set(rows["target_per_10k"]) == {city_target}  # the plan's path for 2024, the same for every area
    needed = np.ceil(rows["target_per_10k"] * population / 10_000 - 1e-9).astype(int)  # whole sites
    assert rows["target_sites"].astype(int).to_dict() == needed.to_dict()
    gap = (needed - rows["sites"]).clip(lower=0)
    assert rows["gap_sites"].astype(int).to_dict() == gap.astype(int).to_dict()
    assert (rows["underserved"] == (rows["sites_per_10k"] < rows["target_per_10k"])).all()


def test_update_views_answers_per_area(level_app: tuple[Any, str], ctx: Any, key: str) -> None:
    dash_app = level_app[0]
    state = ViewState(level=key).for_server()
    values = {f"{ids.STATE}.data": state.to_dict()}
    out = _post(dash_app, f"..{ids.VIEWS}.data", values, f"{ids.STATE}.data")
    views = out[ids.VIEWS]["data"]
    level = ctx.level(state)
    row_ids = {row["adcode"] for row in views["rows"]["sites_per_10k"]}
    assert set(level.areas["adcode"]) <= row_ids
    header = views["columns"]["sites_per_10k"][1]["headerName"]
    assert header == t("col_district@areas", "zh")
    note = out[ids.LEVEL_NOTE]["children"]
    assert "人口" in note
    assert "估算" in note
    assert out[ids.RANKING_HINT]["children"] == t("ranking_hint@areas", "zh")  # a row is an area
    assert out[ids.RANKING_NOTE]["children"] == coverage_note("zh", areas=True)  # the note speaks of areas
    on_districts = _post(dash_app, f"..{ids.VIEWS}.data", {f"{ids.STATE}.data": ViewState().to_dict()}, "x")
    assert on_districts[ids.LEVEL_NOTE]["children"] == ""
    assert on_districts[ids.RANKING_HINT]["children"] == t("ranking_hint", "zh")
    assert on_districts[ids.RANKING_NOTE]["children"] == coverage_note("zh")
    district_ids = {row["adcode"] for row in on_districts[ids.VIEWS]["data"]["rows"]["sites_per_10k"]}
    assert "350628" in district_ids
    assert not district_ids & set(level.areas["adcode"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_search_placeholder_follows_the_level(level_app: tuple[Any, str], key: str, lang: str) -> None:
    """The search box finds the level's areas too: its placeholder says so on an area level, on the
    page built for the URL and when the level changes (the views' answer), and not on the districts."""
    from app.features.shell import make_header

    dash_app = level_app[0]

    def placeholder(state: ViewState) -> str:
        out = _post(dash_app, f"..{ids.VIEWS}.data", {f"{ids.STATE}.data": state.for_server().to_dict()}, "x")
        return str(out[ids.SEARCH]["placeholder"])

    def built(state: ViewState) -> str:
        box = next(c for c in make_header(state)._traverse() if getattr(c, "id", None) == ids.SEARCH)
        return str(box.placeholder)

    on_areas, on_districts = ViewState(level=key, lang=lang), ViewState(lang=lang)
    assert placeholder(on_areas) == built(on_areas) == t("search_placeholder@areas", lang)
    assert placeholder(on_districts) == built(on_districts) == t("search_placeholder", lang)
    assert t("search_placeholder@areas", lang) != t("search_placeholder", lang)
    assert ("区域" if lang == "zh" else "area") in t("search_placeholder@areas", lang)
    # and nothing found: the line says what can be searched, areas too
    values = {f"{ids.STATE}.data": on_areas.to_dict(), f"{ids.SEARCH}.value": "qqqq"}
    answer = _post(dash_app, f"..{ids.SEARCH_RESULTS}.children", values, f"{ids.SEARCH}.value")
    assert t("search_none@areas", lang, query="qqqq") in json.dumps(answer, ensure_ascii=False)


def test_an_area_tooltip_names_it_once_when_it_has_no_english_name(
    level_app: tuple[Any, str], ctx: Any, key: str
) -> None:
    level = ctx.level(ViewState(level=key))
    area = str(level.areas["adcode"].iloc[0])
    name = level.names("zh")[area]
    for lang in ("zh", "en"):
        state = ViewState(level=key, lang=lang).for_server()
        out = _post(level_app[0], f"..{ids.VIEWS}.data", {f"{ids.STATE}.data": state.to_dict()}, f"{ids.STATE}.data")
        hideouts = out[ids.VIEWS]["data"]["hideouts"]["sites_per_10k"]
        tips = next(iter(hideouts.values()))["tips"]
        assert tips[area][0] == name  # not "格 0-1 · 格 0-1"
    districts = _post(level_app[0], f"..{ids.VIEWS}.data", {f"{ids.STATE}.data": ViewState().to_dict()}, "x")
    tips = next(iter(districts[ids.VIEWS]["data"]["hideouts"]["sites_per_10k"].values()))["tips"]
    assert tips["350628"][0] == "平和县 · Pinghe County"


def test_the_panel_shows_the_selected_area(level_app: tuple[Any, str], ctx: Any, key: str) -> None:
    level = ctx.level(ViewState(level=key))
    area = level.areas.iloc[5]
    state = ViewState(level=key, district=str(area["adcode"]), lang="en").for_server()
    out = _post(level_app[0], f"..{ids.VIEWS}.data", {f"{ids.STATE}.data": state.to_dict()}, "x")
    text = json.dumps(out[ids.PANEL_BODY]["children"], ensure_ascii=False)
    assert str(area["name_zh"]) in text
    assert t("pop_estimated", "en") in text or "estimated" in text.lower()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_coverage_note_of_an_area_speaks_of_areas(
    level_app: tuple[Any, str], ctx: Any, key: str, lang: str
) -> None:
    """An area's population-weighted coverage can differ from its land coverage (its land is weighted by
    each district's density): the panel's note says so, not that it equals the land value as a district's does."""

    area = str(ctx.level(ViewState(level=key)).areas.iloc[5]["adcode"])

    def note(state: ViewState) -> str:
        out = _post(level_app[0], f"..{ids.VIEWS}.data", {f"{ids.STATE}.data": state.for_server().to_dict()}, "x")
        notes: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, list):
                for child in node:
                    walk(child)
            elif isinstance(node, dict) and "props" in node:
                if "zz-coverage-note" in str(node["props"].get("className", "")):
                    notes.append(str(node["props"]["children"]))
                walk(node["props"].get("children"))

        walk(out[ids.PANEL_BODY]["children"])
        assert len(notes) == 1
        return notes[0]

    on_area = note(ViewState(level=key, district=area, lang=lang))
    assert on_area == coverage_note(lang, areas=True)
    assert ("区域" if lang == "zh" else "area") in on_area
    assert (
        "区县的人口加权值等于其陆地覆盖率" if lang == "zh" else "a district's value therefore equals"
    ) not in on_area
    assert note(ViewState(district="350628", lang=lang)) == coverage_note(lang)  # a district: as before
    assert coverage_note(lang) != on_area


def _sync_values(current: ViewState) -> dict[str, Any]:
    """The inputs and states of sync_view on a page showing ``current``."""
    return {
        f"{ids.URL}.search": to_query(current),
        f"{ids.LEVEL}.value": current.level or "",
        f"{ids.YEAR}.value": current.year,
        f"{ids.OPERATORS}.value": list(current.operators),
        f"{ids.STATUSES}.value": list(current.statuses),
        f"{ids.LAYERS}.value": list(current.layers),
        f"{ids.HEXES}.value": list(current.hexes),
        f"{ids.HEX_RES}.value": current.resolution,
        f"{ids.INDICATOR}.value": current.indicator,
        f"{ids.PALETTE}.value": current.palette,
        f"{ids.STATE}.data": current.for_server().to_dict(),
    }


def _sync(dash_app: Any, current: ViewState, changed: str, **values: Any) -> dict[str, Any]:
    return _post(dash_app, f"..{ids.URL}.search", {**_sync_values(current), **values}, changed)


def test_a_level_change_closes_the_selection_and_a_click_selects_an_area(
    level_app: tuple[Any, str], ctx: Any, key: str
) -> None:
    dash_app = level_app[0]
    on_district = ViewState(district="350628")
    out = _sync(dash_app, on_district, f"{ids.LEVEL}.value", **{f"{ids.LEVEL}.value": key})
    new = ViewState.from_dict(out[ids.STATE]["data"])
    assert (new.level, new.district) == (key, None)
    assert f"lvl={key}" in out[ids.URL]["search"]
    area = str(ctx.level(new).areas["adcode"].iloc[3])
    click = {"properties": {"adcode": area}}
    out = _sync(dash_app, new, f"{ids.DISTRICTS}.clickData", **{f"{ids.DISTRICTS}.clickData": click})
    assert ViewState.from_dict(out[ids.STATE]["data"]).district == area
    # a district code is not an area of this level: nothing opens
    click = {"properties": {"adcode": "350628"}}
    out = _sync(dash_app, new, f"{ids.DISTRICTS}.clickData", **{f"{ids.DISTRICTS}.clickData": click})
    assert ViewState.from_dict(out.get(ids.STATE, {}).get("data") or new.to_dict()).district is None
    # a level that is not in the data (removed, or typed into the URL) falls back to the districts
    out = _sync(dash_app, ViewState(level="nosuchlevel"), "x")
    assert ViewState.from_dict(out[ids.STATE]["data"]).level is None


def test_the_page_opens_on_the_level(level_app: tuple[Any, str], key: str) -> None:
    client = level_app[0].server.test_client()
    page = client.get(f"/?lvl={key}")
    assert page.status_code == 200
    layout = client.get("/_dash-layout", headers={"Referer": f"http://localhost/?lvl={key}"})
    text = json.dumps(layout.get_json(), ensure_ascii=False)
    assert "格 0-1" in text  # the level's polygons are on the map from the first paint
    data = client.get(f"/zzgeo-data/areas-{key}.geojson")
    assert data.status_code == 200
    assert "格 0-1" in json.dumps(json.loads(data.get_data(as_text=True)), ensure_ascii=False)


def test_search_finds_an_area_of_the_level_first(level_app: tuple[Any, str], key: str) -> None:
    dash_app = level_app[0]
    values = {f"{ids.SEARCH}.value": "格 0-1", f"{ids.STATE}.data": ViewState(level=key).to_dict()}
    out = _post(dash_app, f"..{ids.SEARCH_RESULTS}.children", values, f"{ids.SEARCH}.value")
    text = json.dumps(out[ids.SEARCH_RESULTS]["children"], ensure_ascii=False)
    assert "格 0-1" in text
    values[f"{ids.SEARCH}.n_submit"] = 1
    out = _post(dash_app, f"..{ids.SEARCH_RESULTS}.children", values, f"{ids.SEARCH}.n_submit")
    pick = out[ids.SEARCH_PICK]["data"]
    assert pick["district"].startswith("A")
    assert isinstance(pick["bounds"], list)


def test_suggestions_go_to_the_least_served_areas(ctx: Any, key: str) -> None:
    state = ViewState(level=key, year=2025).for_server()
    answer = suggested(ctx, state, 30, "sites_per_10k", "China Mobile", planning.empty_proposals())
    new = gpd.GeoDataFrame.from_features(answer["proposals"]["features"], crs="EPSG:4326")
    assert len(new) == 30
    areas = ctx.level(state).areas
    inside = gpd.sjoin(new[["geometry"]], areas[["adcode", "geometry"]], predicate="within")
    assert len(inside) == 30  # every proposal in an area of the level
    base, _ = ctx.tables(state, planning.empty_proposals())
    rows = district_rows(base)
    rows = rows[rows["population"] > 0].sort_values("sites_per_10k")
    lowest = set(rows["adcode"].head(10))
    assert set(inside["adcode"]) <= lowest


# -- errors ---------------------------------------------------------------------------------------


def test_an_error_leaves_pattern_matching_outputs_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    """A guarded callback with an ALL output answers a list of no_update for it (one per component)."""
    fake = SimpleNamespace(outputs_list=[[{"id": 1}, {"id": 2}], {"id": "cards"}, {"id": "error"}])
    monkeypatch.setattr(app_errors, "ctx", fake)

    @app_errors.guarded
    def broken(_state: Any) -> tuple[Any, ...]:
        raise ZzgeoError("no such area")

    counts, cards, banner = broken({"lang": "en"})
    assert counts == [no_update, no_update]
    assert cards is no_update
    assert "no such area" in json.dumps(
        banner.to_plotly_json() if hasattr(banner, "to_plotly_json") else banner, default=str
    )

    @app_errors.guarded
    def nothing(_state: Any) -> tuple[Any, ...]:
        raise PreventUpdate

    with pytest.raises(PreventUpdate):
        nothing({})


def test_a_broken_area_layer_is_reported_not_fatal(tmp_path: Path) -> None:
    from app.levels import load_levels

    workspace = Workspace(tmp_path / "ws.gpkg")
    entries = pd.DataFrame([{"id": "nosuchentry", "kind": "areas", "file": "gone.gpkg"}])
    levels, problems = load_levels(workspace, entries, pd.DataFrame())
    assert levels == {}
    assert set(problems) == {"nosuchentry"}


def test_a_click_through_a_cluster_is_not_lost_to_the_zoom_it_causes(level_app: tuple[Any, str]) -> None:
    """Dash may report the cluster's zoom alone, with the click among the inputs: the click still opens."""
    dash_app = level_app[0]
    click = {f"{ids.DISTRICTS}.clickData": {"properties": {"adcode": "350603"}, "at": 1234.5}}
    out = _sync(dash_app, ViewState(), f"{ids.MAP}.zoom", **click)
    stored = out[ids.STATE]["data"]
    assert ViewState.from_dict(stored).district == "350603"
    assert stored["click_at"] == 1234.5
    assert "d=350603" in out[ids.URL]["search"]
    # once handled, the same click does not come back with later map moves (the panel was closed)
    closed = {**ViewState().for_server().to_dict(), "click_at": 1234.5}
    later = _post(
        dash_app,
        f"..{ids.URL}.search",
        {**_sync_values(ViewState()), f"{ids.STATE}.data": closed, **click},
        f"{ids.MAP}.zoom",
    )
    assert ids.STATE not in later or ViewState.from_dict(later[ids.STATE]["data"]).district is None
