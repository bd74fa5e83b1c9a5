"""The import panel without a browser: uploads, pending results, report builders, live data."""

from __future__ import annotations

import base64
import json
import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from app import data as app_data
from app import ids, upload
from app.data import LiveData, load_app_data
from app.features import import_panel as app_import_panel
from app.features import import_report as app_import_report
from app.features import shell as app_shell
from app.i18n import t
from shapely.geometry import Point

from zzgeo.errors import ZzgeoError
from zzgeo.imports import import_file
from zzgeo.settings import Settings
from zzgeo.workspace import Workspace

LON, LAT = 117.65, 24.51  # central Zhangzhou (芗城区)
XSS = "<img src=x onerror=alert(1)>"
HEADER = "站号,运营商,频段,状态,开通年份,经度,纬度"
GOOD = [
    f"T-1,中国移动,n41,在用,2024,{LON},{LAT}",
    f"T-2,电信,3.5GHz,已开通,2023年,{LON + 0.001},{LAT}",
    f"T-3,联通,n78,在用,2022,{LON},{LAT + 0.001}",
]
BAD = f"T-4,中国移动,n41,在用,2024,,{LAT}"


def gbk_csv(rows: list[str] | None = None) -> bytes:
    return ("\r\n".join([HEADER, *(rows if rows is not None else [*GOOD, BAD])]) + "\r\n").encode("gbk")


def data_url(data: bytes, mime: str = "text/csv") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def _walk(component: Any) -> Iterator[Any]:
    if isinstance(component, (list, tuple)):
        for item in component:
            yield from _walk(item)
        return
    if not hasattr(component, "to_plotly_json"):
        return
    yield component
    yield from _walk(getattr(component, "children", None))


def _texts(component: Any) -> list[str]:
    """Every string child in a component tree."""
    out = []
    for c in _walk(component):
        children = getattr(c, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if isinstance(child, str):
                out.append(child)
    return out


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "uploads"
    folder.mkdir()
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(workspace_path=tmp_path / "ws" / "workspace.gpkg", max_upload_mb=1)


# --------------------------------------------------------------------------- decoding


def test_decode_contents_round_trip() -> None:
    assert upload.decode_contents(data_url(b"abc,def\n1,2\n"), "a.csv", 1000, "en") == b"abc,def\n1,2\n"


def test_decode_contents_checks_the_size_before_decoding() -> None:
    big = "data:text/csv;base64," + "A" * 4_000_000  # 3 MB once decoded
    with pytest.raises(upload.UploadError) as info:
        upload.decode_contents(big, "大文件.csv", 1_000_000, "zh")
    assert str(info.value) == t("import_too_big", "zh", file="大文件.csv", size="3", limit="1")
    # exactly at the limit is fine
    assert len(upload.decode_contents(data_url(b"x" * 1000), "a.csv", 1000, "en")) == 1000


@pytest.mark.parametrize(
    ("contents", "key"),
    [
        (None, "import_damaged"),
        ("no comma here", "import_damaged"),
        ("data:text/csv,plain", "import_damaged"),
        ("data:text/csv;base64,@@@@", "import_damaged"),
        ("data:text/csv;base64,", "import_empty"),
    ],
)
def test_decode_contents_rejects_bad_uploads(contents: Any, key: str) -> None:
    with pytest.raises(upload.UploadError) as info:
        upload.decode_contents(contents, "f.csv", 1000, "en")
    assert str(info.value) == t(key, "en", file="f.csv")
    assert isinstance(info.value, ZzgeoError)


def test_request_limit_leaves_room_for_base64() -> None:
    assert upload.request_limit(50_000_000) > 50_000_000 * 4 / 3
    assert upload.request_limit(50_000_000) < 50_000_000 * 4 / 3 + 2_000_000


# --------------------------------------------------------------------------- temporary files


def test_import_upload_reads_a_gbk_csv_and_leaves_nothing_behind(root: Path) -> None:
    out = upload.import_upload(gbk_csv(), "站点.csv", "5g_sites", "wgs84", max_bytes=10**6, root=root)
    assert out.error is None
    result = out.result
    assert result is not None
    assert result.file == "站点.csv"
    assert ("站号", "site_id") in result.mapping
    assert ("经度", "lon") in result.mapping
    assert len(result.layer) == 3
    assert list(result.rejected["row"]) == [4]
    assert "missing coordinate" in result.rejected["problem"].iloc[0]
    assert list(root.iterdir()) == []


def test_the_users_file_name_never_becomes_a_path(root: Path, tmp_path: Path) -> None:
    evil = "../../escaped.csv"
    out = upload.import_upload(gbk_csv(), evil, "5g_sites", None, max_bytes=10**6, root=root)
    assert out.result is not None
    assert out.result.file == evil  # for the report only
    assert not (tmp_path / "escaped.csv").exists()
    assert not (root.parent.parent / "escaped.csv").exists()
    assert list(root.iterdir()) == []


def test_unreadable_files_give_the_library_message_without_server_paths(root: Path) -> None:
    out = upload.import_upload(
        b"\xd0\xcf\x11\xe0" + b"\0" * 64, "旧表.xls", "5g_sites", None, max_bytes=10**6, root=root
    )
    assert out.result is None
    assert out.error is not None
    assert out.error.startswith("旧表.xls: an old Excel 97-2003 (.xls) workbook")
    assert str(root) not in out.error
    assert "upload" not in out.error
    assert list(root.iterdir()) == []


def test_the_temporary_file_goes_even_when_the_import_crashes(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(upload, "import_file", boom)
    with pytest.raises(RuntimeError):
        upload.import_upload(gbk_csv(), "a.csv", "5g_sites", None, max_bytes=10**6, root=root)
    assert list(root.iterdir()) == []


def _sites(n: int = 2) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "site_id": [f"G{i}" for i in range(n)],
            "operator": ["China Mobile"] * n,
            "status": ["in_service"] * n,
            "year_in_service": [2024] * n,
        },
        geometry=[Point(LON + i * 0.001, LAT) for i in range(n)],
        crs="EPSG:4326",
    )


def test_a_geopackage_with_several_layers_lists_them_then_reads_the_chosen_one(root: Path, tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    _sites().to_crs("EPSG:4549").to_file(path, layer="sites", driver="GPKG")
    _sites(1).to_file(path, layer="other", driver="GPKG")
    data = path.read_bytes()
    first = upload.import_upload(data, "two.gpkg", "5g_sites", "wgs84", max_bytes=10**6, root=root)
    assert first.result is None
    assert first.layers == ("sites", "other")
    assert "the GeoPackage has 2 layers" in (first.error or "")
    chosen = upload.import_upload(data, "two.gpkg", "5g_sites", "wgs84", "sites", max_bytes=10**6, root=root)
    assert chosen.result is not None
    assert chosen.result.crs_from_file
    assert len(chosen.result.layer) == 2
    # a layer name from an earlier file is ignored rather than failing
    single = tmp_path / "one.gpkg"
    _sites().to_file(single, layer="only", driver="GPKG")
    out = upload.import_upload(single.read_bytes(), "one.gpkg", "5g_sites", None, "sites", max_bytes=10**6, root=root)
    assert out.result is not None
    assert list(root.iterdir()) == []


def test_zipped_shapefile_and_xlsx_get_the_suffix_their_readers_need(root: Path, tmp_path: Path) -> None:
    shp = tmp_path / "shp"
    shp.mkdir()
    _sites().rename(columns={"year_in_service": "year"}).to_file(shp / "sites.shp")  # dBase: 10-letter names
    archive = tmp_path / "sites.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shp.iterdir():
            zf.write(part, part.name)
    out = upload.import_upload(archive.read_bytes(), "sites.zip", "5g_sites", None, max_bytes=10**6, root=root)
    assert out.result is not None, out.error
    assert out.result.fmt == "shapefile"
    assert len(out.result.layer) == 2
    xlsx = tmp_path / "sites.xlsx"
    pd.DataFrame([r.split(",") for r in GOOD], columns=HEADER.split(",")).to_excel(xlsx, index=False)
    out = upload.import_upload(xlsx.read_bytes(), "清单.xlsx", "5g_sites", None, max_bytes=10**6, root=root)
    assert out.result is not None, out.error
    assert out.result.fmt == "xlsx"
    assert len(out.result.layer) == 3
    assert list(root.iterdir()) == []


# --------------------------------------------------------------------------- pending results


def _result(tmp_path: Path, rows: list[str] | None = None) -> Any:
    path = tmp_path / "sites.csv"
    path.write_bytes(gbk_csv(rows))
    return import_file(path, "5g_sites")


def test_pending_imports_claim_once_and_expire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _result(tmp_path)
    pending = upload.PendingImports(max_items=2, ttl=60)
    token = pending.put(result)
    assert len(token) >= 20
    assert pending.get(token) is result
    assert pending.claim(token) is result
    assert pending.claim(token) is None  # accepted once only
    assert pending.get(token) is result  # still there for the rejected-rows download
    pending.unclaim(token)
    assert pending.claim(token) is result
    assert pending.get("nope") is None
    assert pending.get(None) is None
    assert pending.get({"token": token}) is None
    # at most max_items
    tokens = [pending.put(result) for _ in range(3)]
    assert len(pending) == 2
    assert pending.get(tokens[0]) is None
    # expiry
    now = [1000.0]
    monkeypatch.setattr(upload.time, "monotonic", lambda: now[0])
    fresh = pending.put(result)
    now[0] += 61
    assert pending.get(fresh) is None
    assert pending.pop(fresh) is None


# --------------------------------------------------------------------------- builders


def test_report_shows_mapping_values_problems_and_summary(tmp_path: Path) -> None:
    result = _result(tmp_path)
    report = app_import_report.make_import_report(result, "zh")
    summary = next(c for c in _walk(report) if "zz-report-summary" in (getattr(c, "className", "") or ""))
    assert getattr(summary, "data-read") == "4"
    assert getattr(summary, "data-accepted") == "3"
    assert getattr(summary, "data-rejected") == "1"
    assert summary.children == t("report_summary", "zh", read="4", accepted="3", rejected="1", errors="1", warnings="0")
    mapping = {getattr(c, "data-source"): getattr(c, "data-target") for c in _walk(report) if hasattr(c, "data-source")}
    assert mapping["站号"] == "site_id"
    assert mapping["纬度"] == "lat"
    problems = [c for c in _walk(report) if getattr(c, "data-row", None) == "4"]
    assert len(problems) == 1
    assert getattr(problems[0], "data-severity") == "error"
    texts = _texts(report)
    assert "缺少坐标" in texts  # zzgeo's message in the page's language
    assert "中国移动" in texts
    assert "China Mobile" in texts
    assert t("report_crs_chosen", "zh", crs="WGS-84（GPS、天地图、OpenStreetMap）") in texts


def test_report_keeps_markup_as_text(tmp_path: Path) -> None:
    path = tmp_path / "dc.geojson"
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [LON, LAT]},
         "properties": {"name": XSS, "status": XSS, "year": 2023}},
    ]  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    result = import_file(path, "data_centers", name=f"{XSS}.geojson")
    report = app_import_report.make_import_report(result, "en")
    assert XSS in _texts(report)  # a plain string child: React renders it as text
    assert t("report_file", "en", file=f"{XSS}.geojson") in _texts(report)
    serialized = json.dumps(report.to_plotly_json(), default=lambda o: o.to_plotly_json())
    assert "dangerouslySetInnerHTML" not in serialized
    assert "Markdown" not in serialized
    assert not any(type(c).__name__ in ("Iframe", "Img", "Script") for c in _walk(report))


def test_report_lists_a_bounded_number_of_problems(tmp_path: Path) -> None:
    rows = [f"B-{i},中国移动,n41,在用,2024,,{LAT}" for i in range(app_import_report.MAX_PROBLEMS_SHOWN + 20)]
    result = _result(tmp_path, rows)
    report = app_import_report.make_import_report(result, "en")
    shown = [c for c in _walk(report) if hasattr(c, "data-severity")]
    assert len(shown) == app_import_report.MAX_PROBLEMS_SHOWN
    assert t("report_more_problems", "en", n="20") in _texts(report)
    assert t("import_nothing", "en") in _texts(report)


def _entry(kind: str = "5g_sites", mode: str = "add", file: str = "a.csv", n: int = 3) -> app_data.ImportEntry:
    return app_data.ImportEntry(f"id{kind}{mode}", kind, file, "2026-11-02T10:11:12+00:00", n, 1, mode, "WGS 84")


def test_import_list_has_a_remove_button_per_entry() -> None:
    empty = app_import_panel.make_import_list([], "en")
    assert t("imports_none", "en") in _texts(empty)
    entries = [_entry(), _entry("data_centers", "replace", XSS)]
    listing = app_import_panel.make_import_list(entries, "zh")
    buttons = [c for c in _walk(listing) if isinstance(getattr(c, "id", None), dict)]
    assert [b.id for b in buttons] == [{"type": ids.IMPORT_REMOVE, "index": e.id} for e in entries]
    texts = _texts(listing)
    assert "2026-11-02 10:11 UTC" in texts
    assert XSS in texts
    assert "3 / 1" in texts
    assert t("mode_replace", "zh") in texts
    broken = app_import_panel.make_import_list([], "en", "bad file")
    assert t("workspace_error", "en", message="bad file") in _texts(broken)


def test_synthetic_note_follows_the_imports() -> None:
    assert app_shell.make_synthetic_note([], "zh") == t("synthetic_note", "zh")
    replaced = app_shell.make_synthetic_note([_entry(mode="replace", file="mine.csv")], "en")
    assert "The 5G base stations layer is your data (from mine.csv)." in replaced
    assert "Data centers, Smart-city projects: a synthetic sample" in replaced
    assert "5G base stations: a synthetic sample" not in replaced
    mixed = app_shell.make_synthetic_note([_entry(file="a.csv", n=3), _entry(file="b.csv", n=1200)], "zh")
    assert "5G基站为合成样例数据与 1,203 行导入数据（来自 a.csv、b.csv）的混合。" in mixed
    assert mixed.startswith("注意：数据中心、智慧城市项目为合成样例数据")


def test_import_panel_ids_and_options(settings: Settings) -> None:
    meta = app_data.PageMeta(urls={}, bounds=[[23.5, 116.9], [25.3, 118.2]], max_upload_mb=12.5)
    panel = app_import_panel.make_import_panel("en", meta)
    found = {c.id: c for c in _walk(panel) if isinstance(getattr(c, "id", None), str)}
    for name in ("IMPORT_UPLOAD", "IMPORT_KIND", "IMPORT_CRS", "IMPORT_MODE", "IMPORT_STATUS", "IMPORT_ACCEPT",
                 "IMPORT_REJECTED", "IMPORT_LIST", "IMPORT_TOKEN", "IMPORT_REQUEST", "IMPORT_CONFIG",
                 "IMPORT_DOWNLOAD"):  # fmt: skip
        assert getattr(ids, name) in found, name
    assert found[ids.IMPORT_CRS].value == "wgs84"
    assert {o["value"] for o in found[ids.IMPORT_KIND].options} == {"5g_sites", "data_centers", "smart_projects"}
    assert found[ids.IMPORT_ACCEPT].disabled is True
    assert found[ids.IMPORT_CONFIG].data["maxBytes"] == 12_500_000
    assert "{file}" in found[ids.IMPORT_CONFIG].data["tooBig"]
    assert "12.5 MB" in found[ids.IMPORT_CONFIG].data["tooBig"]


def test_file_names_for_display_and_download() -> None:
    assert app_import_panel.display_name(None) == "upload"
    assert app_import_panel.display_name("C:\\Users\\me\\站点.csv") == "站点.csv"
    assert app_import_panel.display_name("a\x00b.csv") == "ab.csv"
    assert app_import_panel.download_name("站点 清单.csv") == "站点_清单_rejected.csv"
    assert app_import_panel.download_name(f"{XSS}.geojson") == "img_src_x_onerror_alert_1_rejected.csv"
    assert app_import_panel.download_name("...") == "import_rejected.csv"


# --------------------------------------------------------------------------- live data and the app


def test_live_data_joins_imports_and_reloads(settings: Settings, tmp_path: Path) -> None:
    live = LiveData(load_app_data(settings))
    sample = len(live.data.layers["5g_sites"])
    version = live.data.version
    assert live.refresh() is live.data  # nothing changed
    workspace = Workspace(settings.workspace_path)
    entry = workspace.add(_result(tmp_path), "add")
    data = live.refresh()  # the workspace file changed (as the CLI would change it)
    assert len(data.layers["5g_sites"]) == sample + 3
    assert data.version != version
    assert [e.id for e in data.imports] == [entry]
    features = json.loads(data.payloads["5g_sites"])["features"]
    assert [f["properties"]["f"] for f in features if f["properties"].get("f")] == ["sites.csv"] * 3
    assert (
        "f"
        not in json.loads(load_app_data(Settings(workspace_path=tmp_path / "none.gpkg")).payloads["5g_sites"])[
            "features"
        ][0]["properties"]
    )
    assert data.meta().imports == data.imports
    restarted = load_app_data(settings)  # a restarted app finds the import in the workspace
    assert [e.id for e in restarted.imports] == [entry]
    assert len(restarted.layers["5g_sites"]) == sample + 3
    workspace.add(_result(tmp_path), "replace")
    data = live.reload()
    assert len(data.layers["5g_sites"]) == 6  # the sample is hidden while an import replaces it
    assert len(data.layers["data_centers"]) > 0  # other kinds keep their sample


def test_create_app_limits_request_size_and_serves_new_payloads(settings: Settings, tmp_path: Path) -> None:
    from app import create_app

    dash_app = create_app(settings)
    assert dash_app.server.config["MAX_CONTENT_LENGTH"] == upload.request_limit(1_000_000)
    client = dash_app.server.test_client()
    too_big = client.post(
        "/_dash-update-component",
        data=b"x" * (upload.request_limit(1_000_000) + 1),
        content_type="application/json",
    )
    assert too_big.status_code == 413
    old = client.get("/zzgeo-data/5g_sites.geojson?v=old")
    assert old.headers["Cache-Control"] == "no-store"


def _post_callback(client: Any, dash_app: Any, output_id: str, inputs: list[dict[str, Any]],
                   state: list[dict[str, Any]]) -> Any:  # fmt: skip
    key = next(k for k in dash_app.callback_map if f"{output_id}.children" in k and ids.IMPORT_REPORT in k)
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1].split("@")[0]}
        for part in key.strip(".").split("...")
    ]
    body = {
        "output": key,
        "outputs": outputs,
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }
    return client.post("/_dash-update-component", json=body)


def test_read_upload_callback_reports_and_hides_errors(
    settings: Settings, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import create_app

    dash_app = create_app(settings)
    client = dash_app.server.test_client()

    def call(request: dict[str, Any]) -> dict[str, Any]:
        response = _post_callback(
            client,
            dash_app,
            ids.IMPORT_REPORT,
            [{"id": ids.IMPORT_REQUEST, "property": "data", "value": request}],
            [{"id": ids.IMPORT_TOKEN, "property": "data", "value": None},
             {"id": ids.STATE, "property": "data", "value": {"lang": "en"}}],
        )  # fmt: skip
        assert response.status_code == 200, response.data
        out: dict[str, Any] = response.get_json()["response"]
        return out

    good = call({"contents": data_url(gbk_csv()), "filename": "sites.csv", "kind": "5g_sites", "crs": "wgs84"})
    report = json.dumps(good[ids.IMPORT_REPORT]["children"], ensure_ascii=False)
    assert "missing coordinate" in report
    assert good[ids.IMPORT_TOKEN]["data"]
    assert good[ids.IMPORT_ACCEPT]["disabled"] is False
    assert good[ids.IMPORT_REJECTED]["disabled"] is False

    xls = call({"contents": data_url(b"\xd0\xcf\x11\xe0" + b"\0" * 64), "filename": "old.xls", "kind": "5g_sites"})
    status = json.dumps(xls[ids.IMPORT_STATUS]["children"])
    assert "old.xls: an old Excel 97-2003 (.xls) workbook" in status
    assert xls[ids.IMPORT_TOKEN]["data"] is None

    big = call({"contents": data_url(b"x" * 1_100_000), "filename": "big.csv", "kind": "5g_sites"})
    assert t("import_too_big", "en", file="big.csv", size="1.1", limit="1") in json.dumps(
        big[ids.IMPORT_STATUS]["children"], ensure_ascii=False
    )

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(app_import_panel, "import_upload", boom)
    with caplog.at_level(logging.ERROR, logger="app"):
        crashed = call({"contents": data_url(gbk_csv()), "filename": "sites.csv", "kind": "5g_sites"})
    status = json.dumps(crashed[ids.IMPORT_STATUS]["children"])
    assert t("error_generic", "en") in status
    assert "secret internals" not in status
    assert "Traceback" not in status
    assert any("reading upload" in r.getMessage() for r in caplog.records)
