"""The import panel without a browser: uploads, import jobs, their views, report builders, live data.

Jobs run for real (a process each, under a temporary root): a small file is started, polled
to its end and its report built; a slow GeoPackage view keeps a job running for the tests of
Cancel and of the caps.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from app import data as app_data
from app import ids, upload
from app.data import LiveData, load_app_data
from app.features import import_jobs as app_import_jobs
from app.features import import_panel as app_import_panel
from app.features import import_report as app_import_report
from app.features import imports_list as app_imports_list
from app.features import shell as app_shell
from app.i18n import t
from shapely.geometry import Point

import hostile
from zzgeo.errors import DataError, ZzgeoError
from zzgeo.imports import import_file
from zzgeo.jobs import JobManager, JobStatus
from zzgeo.messages import Text
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
BROWSER = "Zm9vYmFyYmF6cXV4cXV1eA"  # a browser's id as zz-import.js makes them (22-24 URL-safe characters)


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


def _text(component: Any) -> str:
    return " ".join(_texts(component))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "uploads"
    folder.mkdir()
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(workspace_path=tmp_path / "ws" / "workspace.gpkg", max_upload_mb=1)


def _stop_all(manager: JobManager) -> None:
    """Cancel whatever still runs under ``manager`` (a failed test leaves no process behind)."""
    for folder in manager.root.iterdir():
        if folder.is_dir() and (folder / "job.json").exists():
            status = manager.status(folder.name)
            if not status.finished:
                manager.cancel(folder.name)


@pytest.fixture
def jobs(settings: Settings) -> Iterator[JobManager]:
    """The app's job manager for ``settings`` (jobs beside its workspace)."""
    manager = upload.make_jobs(settings)
    yield manager
    _stop_all(manager)


@pytest.fixture(scope="module")
def slow_gpkg(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A GeoPackage whose one layer is a view that takes far longer than any test (10^18 rows)."""
    return hostile.slow_view_gpkg(tmp_path_factory.mktemp("slow")).read_bytes()


def _job_folders(manager: JobManager) -> list[Path]:
    return [p for p in manager.root.iterdir() if p.is_dir()]


def _start(manager: JobManager, data: bytes, name: str = "sites.csv", **options: Any) -> upload.Started:
    kind = options.pop("kind", "5g_sites")
    return upload.start_import(manager, data, name, kind, options.pop("crs", "wgs84"), user="u", **options)


def _finish(manager: JobManager, started: upload.Started) -> Any:
    assert started.token, started.error
    status = manager.wait(started.token, timeout=120)
    assert status.state == "done", status.error
    return upload.job_result(manager, started.token)


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


# --------------------------------------------------------------------------- users and the jobs' place


def test_user_of_takes_the_browsers_id_or_calls_it_anonymous() -> None:
    assert upload.user_of(BROWSER) == f"browser:{BROWSER}"
    for bad in (None, "", "short", "x" * 65, "../../etc", {"id": BROWSER}, 12345678901234567890):
        assert upload.user_of(bad) == "anonymous", bad


def test_jobs_live_beside_the_workspace_with_the_settings_limits(tmp_path: Path) -> None:
    settings = Settings(
        workspace_path=tmp_path / "ws" / "workspace.gpkg", max_upload_mb=3, jobs_per_user=1, jobs_total=7,
        job_ttl_s=120, job_time_s=30, max_columns=40,
    )  # fmt: skip
    manager = upload.make_jobs(settings)
    assert manager.root == tmp_path / "ws" / "jobs"
    assert (manager.per_user, manager.total, manager.ttl) == (1, 7, 120)
    assert manager.limits.max_bytes == 3_000_000
    assert manager.limits.time_s == 30
    assert manager.limits.max_columns == 40
    # another worker process (another manager on the same root) sees the same jobs
    assert upload.make_jobs(settings).root == manager.root


# --------------------------------------------------------------------------- starting jobs


def test_an_upload_becomes_a_job_that_reads_a_gbk_csv_and_nothing_stays_behind(
    jobs: JobManager, root: Path, tmp_path: Path
) -> None:
    evil = "../../站点.csv"  # the user's file name is for messages only, never a path
    started = _start(jobs, gbk_csv(), evil, root=root)
    assert started.error is None
    assert list(root.iterdir()) == []  # the upload's temporary folder went at once
    result = _finish(jobs, started)
    assert result.file == evil
    for folder in (tmp_path, root.parent.parent, jobs.root.parent):
        assert not (folder / "站点.csv").exists()
    assert ("站号", "site_id") in result.mapping
    assert ("经度", "lon") in result.mapping
    assert len(result.layer) == 3
    assert list(result.rejected["row"]) == [4]
    assert "missing coordinate" in result.rejected["problem"].iloc[0]
    assert result.encoding == "GB18030 (GBK)"
    folder = jobs.root / started.token
    assert not [p for p in folder.iterdir() if p.name.startswith("input")]  # the job deleted the upload once read
    assert jobs.status(started.token).user == "u"


def test_unreadable_files_get_the_library_message_without_server_paths_and_no_job(jobs: JobManager, root: Path) -> None:
    started = _start(jobs, b"\xd0\xcf\x11\xe0" + b"\0" * 64, "旧表.xls", crs=None, root=root)
    assert started.token is None
    assert started.error is not None
    assert started.error.en.startswith("旧表.xls: an old Excel 97-2003 (.xls) workbook")
    assert started.error.zh.startswith("旧表.xls：旧版 Excel 97-2003（.xls）工作簿")
    for said in (started.error.en, started.error.zh):  # the paths are scrubbed in both languages
        assert str(root) not in said
        assert "upload" not in said
    assert list(root.iterdir()) == []
    assert _job_folders(jobs) == []  # told from the first bytes: no process was started


def test_the_temporary_file_goes_even_when_starting_crashes(
    jobs: JobManager, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(JobManager, "start", boom)
    with pytest.raises(RuntimeError):
        _start(jobs, gbk_csv(), "a.csv", root=root)
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


def test_a_geopackage_with_several_layers_lists_them_without_gdal_then_reads_the_chosen_one(
    jobs: JobManager, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "two.gpkg"
    _sites().to_crs("EPSG:4549").to_file(path, layer="sites", driver="GPKG")
    _sites(1).to_file(path, layer="other", driver="GPKG")
    data = path.read_bytes()

    def no_gdal(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the web process asked GDAL for the layers")

    monkeypatch.setattr(pyogrio, "list_layers", no_gdal)  # in this process only: the job reads with GDAL
    first = _start(jobs, data, "two.gpkg", root=root)
    assert first.token is None
    assert first.layers == ("sites", "other")
    assert first.error is not None
    assert first.error.en == "two.gpkg: the GeoPackage has 2 layers; choose one of: sites, other"
    assert _job_folders(jobs) == []
    chosen = _finish(jobs, _start(jobs, data, "two.gpkg", layer="sites", root=root))
    assert chosen.crs_from_file
    assert len(chosen.layer) == 2
    # a layer name from an earlier file is ignored rather than failing
    single = tmp_path / "one.gpkg"
    _sites().to_file(single, layer="only", driver="GPKG")
    assert len(_finish(jobs, _start(jobs, single.read_bytes(), "one.gpkg", layer="sites", root=root)).layer) == 2
    assert list(root.iterdir()) == []


def test_a_geopackage_with_9000_layers_gets_the_layer_limit_at_once(jobs: JobManager, root: Path) -> None:
    data = hostile.many_layers_gpkg(root.parent).read_bytes()
    started = _start(jobs, data, "许多图层.gpkg", root=root)
    assert started.token is None
    assert started.error == Text(
        en="许多图层.gpkg: 9,000 layers and views is over the limit of 100 (setting ZZGEO_MAX_LAYERS)",
        zh="许多图层.gpkg：9,000 个图层与视图，超过上限 100（设置项 ZZGEO_MAX_LAYERS）",
    )
    assert _job_folders(jobs) == []


def test_zipped_shapefile_and_xlsx_get_the_suffix_their_readers_need(
    jobs: JobManager, root: Path, tmp_path: Path
) -> None:
    shp = tmp_path / "shp"
    shp.mkdir()
    _sites().rename(columns={"year_in_service": "year"}).to_file(shp / "sites.shp")  # dBase: 10-letter names
    archive = tmp_path / "sites.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shp.iterdir():
            zf.write(part, part.name)
    xlsx = tmp_path / "sites.xlsx"
    pd.DataFrame([r.split(",") for r in GOOD], columns=HEADER.split(",")).to_excel(xlsx, index=False)
    zipped = _start(jobs, archive.read_bytes(), "sites.zip", crs=None, root=root)
    excel = _start(jobs, xlsx.read_bytes(), "清单.xlsx", crs=None, root=root)  # two jobs run side by side
    shapefile = _finish(jobs, zipped)
    assert shapefile.fmt == "shapefile"
    assert len(shapefile.layer) == 2
    workbook = _finish(jobs, excel)
    assert workbook.fmt == "xlsx"
    assert len(workbook.layer) == 3
    assert list(root.iterdir()) == []


# --------------------------------------------------------------------------- the job's views (callback logic)


def _request(data: bytes, name: str = "sites.csv", **options: Any) -> dict[str, Any]:
    """What zz-import.js sends for an upload."""
    request = {"contents": data_url(data), "filename": name, "kind": "5g_sites", "crs": "wgs84", "layer": None,
               "encoding": "auto", "keep": False, "user": BROWSER}  # fmt: skip
    return {**request, **options}


def _poll_to_end(manager: JobManager, token: str, lang: str = "zh", timeout: float = 120) -> list[dict[str, Any]]:
    """Poll as the interval would until the job has ended; every answer."""
    answers = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        answer = app_import_jobs.poll_view(manager, token, lang)
        answers.append(answer)
        if "finished" in answer:
            return answers
        time.sleep(0.1)
    raise AssertionError(f"job {token} did not end in {timeout} s")


def _progress(view: dict[str, Any]) -> Any:
    return next(c for c in _walk(view["progress"]) if getattr(c, "className", "") == "zz-progress")


def test_a_job_is_started_polled_to_its_end_and_its_report_built(jobs: JobManager, settings: Settings) -> None:
    started = app_import_jobs.start_view(jobs, _request(gbk_csv()), None, "zh", settings.max_upload_bytes)
    token = started["token"]
    assert token
    assert started["job"] is False  # the progress box shows
    assert started["poll"] is False  # and the interval runs
    assert started["accept"] is True  # nothing to accept yet
    assert started["report"] == []
    assert getattr(_progress(started), "data-state") == "queued"
    assert jobs.status(token).user == f"browser:{BROWSER}"
    answers = _poll_to_end(jobs, token)
    running, last = answers[:-1], answers[-1]
    assert all(set(a) == {"progress"} for a in running)  # while it runs, only the bar changes
    assert last["poll"] is True  # polling stops once the job has ended
    assert last["finished"] == {"token": token}
    assert getattr(_progress(last), "data-state") == "done"
    assert _text(last["progress"]) == "sites.csv：完成 · 已处理 4 / 4 行"
    shown = app_import_jobs.finished_view(jobs, token, last["finished"], "zh")
    assert shown["job"] is True
    assert shown["accept"] is False
    assert shown["rejected"] is False
    assert shown["status"] == []
    summary = next(c for c in _walk(shown["report"]) if "zz-report-summary" in (getattr(c, "className", "") or ""))
    assert getattr(summary, "data-accepted") == "3"
    assert "文本编码：GB18030 (GBK)" in _texts(shown["report"])
    # an older job's end changes nothing
    assert app_import_jobs.finished_view(jobs, token, {"token": "another-token"}, "zh") == {}
    # a new upload replaces the report: the previous job's folder goes
    again = app_import_jobs.start_view(jobs, _request(gbk_csv()), token, "en", settings.max_upload_bytes)
    assert not (jobs.root / token).exists()
    jobs.wait(again["token"], timeout=120)


def test_cancel_stops_the_job_and_says_so(jobs: JobManager, settings: Settings, slow_gpkg: bytes) -> None:
    started = app_import_jobs.start_view(jobs, _request(slow_gpkg, "慢.gpkg"), None, "zh", settings.max_upload_bytes)
    token = started["token"]
    end = time.monotonic() + 60
    while jobs.status(token).stage in ("starting",) and time.monotonic() < end:
        time.sleep(0.1)  # the job is reading (inside SQLite's endless view)
    assert app_import_jobs.poll_view(jobs, token, "zh").keys() == {"progress"}
    cancelled = app_import_jobs.cancel_view(jobs, token)
    assert cancelled == {"poll": True, "finished": {"token": token, "cancelled": True}}
    status = jobs.status(token)
    assert status.state == "cancelled"
    group = int((jobs.root / token / "pgid").read_text())
    with pytest.raises(ProcessLookupError):
        os.killpg(group, 0)  # the job's processes are gone
    shown = app_import_jobs.finished_view(jobs, token, cancelled["finished"], "zh")
    assert shown["job"] is True
    assert shown["accept"] is True
    assert _texts(shown["status"]) == ["慢.gpkg：导入已取消"]
    assert getattr(shown["status"][0], "data-kind") == "cancelled"
    en = app_import_jobs.finished_view(jobs, token, {"token": token}, "en")  # as the poll sees it too
    assert _texts(en["status"]) == ["慢.gpkg: the import was cancelled"]
    with pytest.raises(DataError) as info:  # accepting or downloading it says why there is nothing
        upload.job_result(jobs, token)
    assert info.value.message.zh == "慢.gpkg：导入已取消"


def test_a_cancel_that_raced_a_progress_request_still_says_cancelled(
    jobs: JobManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A progress request reading the status while Cancel kills the job may record it as stopped unexpectedly."""
    raced = JobStatus(
        token="R" * 32,
        state="failed",
        file="a.csv",
        error=Text(
            en="a.csv: the import stopped unexpectedly (exit code unknown)", zh="a.csv：导入意外中止（退出码 unknown）"
        ),
    )
    monkeypatch.setattr(app_import_jobs, "job_status", lambda _jobs, _token, _user=None: raced)
    after_cancel = app_import_jobs.finished_view(jobs, raced.token, {"token": raced.token, "cancelled": True}, "zh")
    assert _texts(after_cancel["status"]) == ["a.csv：导入已取消"]
    # without a Cancel, a job that stopped unexpectedly is an error
    crashed = app_import_jobs.finished_view(jobs, raced.token, {"token": raced.token}, "zh")
    assert _texts(crashed["status"]) == ["a.csv 无法导入： ", "a.csv：导入意外中止（退出码 unknown）"]
    # a real error just before the Cancel keeps its message
    limit = JobStatus(
        token=raced.token, state="failed", file="a.csv", error=Text(en="a.csv: 10,000 columns is over ...")
    )
    monkeypatch.setattr(app_import_jobs, "job_status", lambda _jobs, _token, _user=None: limit)
    shown = app_import_jobs.finished_view(jobs, raced.token, {"token": raced.token, "cancelled": True}, "en")
    assert _texts(shown["status"]) == ["a.csv could not be imported: ", "a.csv: 10,000 columns is over ..."]
    # known in English only, it shows in English on the Chinese page (never as nothing)
    shown = app_import_jobs.finished_view(jobs, raced.token, {"token": raced.token, "cancelled": True}, "zh")
    assert _texts(shown["status"]) == ["a.csv 无法导入： ", "a.csv: 10,000 columns is over ..."]


def test_caps_per_user_and_in_all_name_their_setting(tmp_path: Path, slow_gpkg: bytes) -> None:
    settings = Settings(workspace_path=tmp_path / "ws" / "workspace.gpkg", jobs_per_user=1, jobs_total=2)
    manager = upload.make_jobs(settings)
    limit = settings.max_upload_bytes
    try:
        first = app_import_jobs.start_view(manager, _request(slow_gpkg, "a.gpkg"), None, "zh", limit)
        assert first["token"]
        # the same browser again: over its cap (the first job still runs)
        mine = app_import_jobs.start_view(manager, _request(slow_gpkg, "b.gpkg"), None, "zh", limit)
        assert mine["token"] is None
        assert mine["job"] is True
        assert mine["poll"] is True
        text = _text(mine["status"])
        assert "b.gpkg 无法导入：" in text
        assert "您已有 1 个导入正在进行，达到每位用户的上限（设置项 ZZGEO_JOBS_PER_USER）" in text
        other = "b" * 24
        second = app_import_jobs.start_view(manager, _request(slow_gpkg, user=other), None, "en", limit)
        assert second["token"]
        third = app_import_jobs.start_view(manager, _request(slow_gpkg, user="c" * 24), None, "en", limit)
        assert third["token"] is None
        assert "2 imports are running, the limit for the server (setting ZZGEO_JOBS_TOTAL)" in _text(third["status"])
        # a request without a browser id counts as one "anonymous" user
        assert upload.job_status(manager, first["token"]).user == f"browser:{BROWSER}"
        # a cancelled job makes room again
        app_import_jobs.cancel_view(manager, first["token"])
        again = app_import_jobs.start_view(manager, _request(gbk_csv()), None, "zh", limit)
        assert again["token"]
        assert manager.wait(again["token"], timeout=120).state == "done"
    finally:
        _stop_all(manager)


def test_an_expired_or_unknown_token_says_the_report_expired(jobs: JobManager, root: Path) -> None:
    started = _start(jobs, gbk_csv(), root=root)
    jobs.wait(started.token, timeout=120)
    assert upload.job_result(jobs, started.token) is not None
    removed = jobs.cleanup_stale(now=time.time() + jobs.ttl + 1)  # an hour later, the folder has expired
    assert removed == 1
    expired = t("import_expired", "zh")
    for token in (started.token, "A" * 32, "../../etc/passwd", None, 42):
        shown = app_import_jobs.finished_view(jobs, token, {"token": token}, "zh")
        if token is None or token == 42:
            assert shown == {}  # no job at all: nothing to say
            continue
        assert _texts(shown["status"]) == [expired], token
        assert shown["accept"] is True
        assert shown["report"] == []
        assert upload.job_result(jobs, token) is None
        assert app_import_jobs.poll_view(jobs, token, "zh")["finished"] == {"token": token}  # polling stops
        assert upload.claim(jobs, token) is False


def test_a_hostile_file_ends_with_the_limits_message_in_chinese(jobs: JobManager, settings: Settings) -> None:
    header = ",".join(f"c{i}" for i in range(10_000))
    body = (header + "\n" + ",".join("1" for _ in range(10_000)) + "\n").encode()
    started = app_import_jobs.start_view(jobs, _request(body, "万列.csv"), None, "zh", settings.max_upload_bytes)
    _poll_to_end(jobs, started["token"])
    shown = app_import_jobs.finished_view(jobs, started["token"], {"token": started["token"]}, "zh")
    assert _texts(shown["status"]) == [
        "万列.csv 无法导入： ",
        "万列.csv：10,000 列超过列数上限 500（设置项 ZZGEO_MAX_COLUMNS）",
    ]
    assert getattr(shown["status"][0], "data-kind") == "error"
    assert shown["accept"] is True
    en = app_import_jobs.finished_view(jobs, started["token"], {"token": started["token"]}, "en")
    assert "over the limit of 500 columns (setting ZZGEO_MAX_COLUMNS)" in _text(en["status"])


def test_a_jobs_message_never_shows_the_servers_paths(jobs: JobManager) -> None:
    status = JobStatus(
        token="T" * 32,
        state="failed",
        file="我的.gpkg",
        error=Text(
            en=f"我的.gpkg: not a readable gpkg file ({jobs.root}/{'T' * 32}/input.gpkg: file is not a database)",
            zh=f"我的.gpkg：无法读取的 gpkg 文件（'{jobs.root}/{'T' * 32}/input.gpkg'：input.gpkg 不是数据库）",
        ),
    )
    assert upload.job_error_text(jobs, status, "en") == (
        "我的.gpkg: not a readable gpkg file (我的.gpkg: file is not a database)"
    )
    zh = upload.job_error_text(jobs, status, "zh")
    assert zh == "我的.gpkg：无法读取的 gpkg 文件（'我的.gpkg'：我的.gpkg 不是数据库）"
    assert str(jobs.root) not in zh


def test_keep_columns_keeps_them_and_the_report_says_which_were_left_out(jobs: JobManager, settings: Settings) -> None:
    rows = [r + ",138-0000-0000,内部备注" for r in GOOD]
    body = ("\r\n".join([HEADER + ",owner_phone,备注", *rows]) + "\r\n").encode("gbk")
    limit = settings.max_upload_bytes
    reports = {}
    for keep in (False, True):
        started = app_import_jobs.start_view(jobs, _request(body, keep=keep), None, "zh", limit)
        _poll_to_end(jobs, started["token"])
        result = upload.job_result(jobs, started["token"])
        shown = app_import_jobs.finished_view(jobs, started["token"], {"token": started["token"]}, "zh")
        reports[keep] = (result, shown)
    dropped, shown = reports[False]
    assert dropped.dropped == ["owner_phone", "备注"]
    assert "owner_phone" not in dropped.layer.columns
    texts = _texts(shown["report"])
    line = "不属于5G基站的列，未导入图层：owner_phone, 备注。如需保留，请勾选“保留其他列”，文件会重新读取。"
    assert texts.count(line) == 2  # below the columns used, and as the warning in the problems
    assert not any("--keep-columns" in text for text in texts)  # the command line's option is not the panel's
    assert t("report_unmapped", "zh") in texts
    left_out = next(c for c in _walk(shown["report"]) if hasattr(c, "data-dropped"))
    assert getattr(left_out, "data-dropped") == "owner_phone|备注"
    kept, shown = reports[True]
    assert kept.dropped == []
    assert list(kept.layer["owner_phone"]) == ["138-0000-0000"] * 3
    assert _texts(shown["report"]).count("不属于5G基站的列，已按所选原样保留：owner_phone, 备注。") == 2
    assert not any(hasattr(c, "data-dropped") for c in _walk(shown["report"]))


def test_the_report_names_the_encoding_and_warns_when_text_looks_mis_decoded(
    jobs: JobManager, settings: Settings
) -> None:
    rows = [f"L-{i},China Mobile,n41,in_service,2024,{LON},{LAT},Zürich Müller Bäcker" for i in range(5)]
    body = ("\n".join(["site_id,operator,band,status,year_in_service,lon,lat,note", *rows]) + "\n").encode("latin-1")
    limit = settings.max_upload_bytes
    guessed = app_import_jobs.start_view(jobs, _request(body, "latin.csv"), None, "en", limit)
    _poll_to_end(jobs, guessed["token"])
    report = app_import_jobs.finished_view(jobs, guessed["token"], {"token": guessed["token"]}, "en")["report"]
    warning = next(c for c in _walk(report) if getattr(c, "data-warning", None) == "encoding")
    assert warning.children.startswith("The text was read as GB18030 but looks mis-decoded (e.g. 'L-0,China")
    assert warning.children.endswith("choose the file's encoding under “Text encoding (CSV)”: the file is read again.")
    assert "Text encoding: GB18030 (GBK)" in _texts(report)
    assert not any("--encoding" in text for text in _texts(report))
    chosen = app_import_jobs.start_view(jobs, _request(body, "latin.csv", encoding="latin-1"), None, "zh", limit)
    _poll_to_end(jobs, chosen["token"])
    report = app_import_jobs.finished_view(jobs, chosen["token"], {"token": chosen["token"]}, "zh")["report"]
    assert "文本编码：latin-1（所选）" in _texts(report)
    assert not any(getattr(c, "data-warning", None) for c in _walk(report))
    assert upload.job_result(jobs, chosen["token"]).layer.empty is False


def test_a_result_is_accepted_once_whichever_worker_is_asked(jobs: JobManager, root: Path, settings: Settings) -> None:
    started = _start(jobs, gbk_csv(), root=root)
    _finish(jobs, started)
    other_worker = upload.make_jobs(settings)  # another process: the same folder, no shared memory
    result = upload.job_result(other_worker, started.token)
    assert result is not None
    assert len(result.layer) == 3
    assert upload.claim(other_worker, started.token) is True
    assert upload.claim(jobs, started.token) is False  # a second Accept (double click, another tab)
    assert upload.job_result(jobs, started.token) is not None  # still there for the rejected-rows download
    upload.unclaim(jobs, started.token)  # adding failed: it may be accepted again
    assert upload.claim(jobs, started.token) is True


def test_progress_text_in_both_languages() -> None:
    status = JobStatus(token="t", state="running", stage="checking", rows=200_000, rows_total=480_000, fraction=0.4166,
                       file="sites.csv")  # fmt: skip
    assert app_import_panel.progress_text(status, "en") == "sites.csv: checking · 200,000 of 480,000 rows · 42%"
    assert app_import_panel.progress_text(status, "zh") == "sites.csv：检查中 · 已处理 200,000 / 480,000 行 · 42%"
    reading = JobStatus(token="t", state="running", stage="reading", rows=1, fraction=None, file="a.csv")
    assert app_import_panel.progress_text(reading, "en") == "a.csv: reading · 1 row so far"
    queued = JobStatus(token="t", state="queued", file="a.csv")
    assert app_import_panel.progress_text(queued, "zh") == "a.csv：准备中"
    bar = next(c for c in _walk(app_import_panel.make_import_progress(reading, "en")) if type(c).__name__ == "Progress")
    assert getattr(bar, "value", None) is None  # unknown share: an indeterminate bar (it moves)
    assert getattr(bar, "aria-label") == "Import progress"
    half = JobStatus(token="t", state="running", stage="checking", rows=5, fraction=0.5, file="a.csv")
    bar = next(c for c in _walk(app_import_panel.make_import_progress(half, "en")) if type(c).__name__ == "Progress")
    assert bar.value == "0.500"
    assert app_import_panel.make_import_progress(None, "en") == []


# --------------------------------------------------------------------------- builders


def _result(tmp_path: Path, rows: list[str] | None = None) -> Any:
    path = tmp_path / "sites.csv"
    path.write_bytes(gbk_csv(rows))
    return import_file(path, "5g_sites")


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
    empty = app_imports_list.make_import_list([], "en")
    assert t("imports_none", "en") in _texts(empty)
    entries = [_entry(), _entry("data_centers", "replace", XSS)]
    listing = app_imports_list.make_import_list(entries, "zh")
    buttons = [c for c in _walk(listing) if isinstance(getattr(c, "id", None), dict)]
    assert [b.id for b in buttons] == [{"type": ids.IMPORT_REMOVE, "index": e.id} for e in entries]
    texts = _texts(listing)
    assert "2026-11-02 10:11 UTC" in texts
    assert XSS in texts
    assert "3 / 1" in texts
    assert t("mode_replace", "zh") in texts
    broken = app_imports_list.make_import_list([], "en", "bad file")
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
                 "IMPORT_DOWNLOAD", "IMPORT_ENCODING", "IMPORT_KEEP", "IMPORT_USER", "IMPORT_JOB", "IMPORT_PROGRESS",
                 "IMPORT_CANCEL", "IMPORT_POLL", "IMPORT_FINISHED", "IMPORT_CONFIRM"):  # fmt: skip
        assert getattr(ids, name) in found, name
    assert found[ids.IMPORT_CRS].value == "wgs84"
    assert found[ids.IMPORT_ENCODING].value == "auto"
    assert found[ids.IMPORT_KEEP].value == []  # extra columns are left out unless asked
    assert found[ids.IMPORT_USER].storage_type == "local"  # the browser's id outlives the page
    assert found[ids.IMPORT_POLL].disabled is True  # no polling until a job runs
    assert found[ids.IMPORT_JOB].hidden is True
    assert {o["value"] for o in found[ids.IMPORT_KIND].options} == {"5g_sites", "data_centers", "smart_projects"}
    assert found[ids.IMPORT_ACCEPT].disabled is True
    assert found[ids.IMPORT_CONFIG].data["maxBytes"] == 12_500_000
    assert "{file}" in found[ids.IMPORT_CONFIG].data["tooBig"]
    assert "12.5 MB" in found[ids.IMPORT_CONFIG].data["tooBig"]


def test_a_viewers_import_panel_lists_imports_and_offers_no_change(settings: Settings) -> None:
    meta = app_data.PageMeta(urls={}, bounds=[[23.5, 116.9], [25.3, 118.2]], imports=[_entry(file="mine.csv")])
    panel = app_import_panel.make_import_panel("zh", meta, editor=False)
    found = {c.id for c in _walk(panel) if isinstance(getattr(c, "id", None), str)}
    assert ids.IMPORT_LIST in found
    assert "mine.csv" in _texts(panel)
    # no upload, no job stores (their callbacks would run for nothing), no Remove
    assert found.isdisjoint({ids.IMPORT_UPLOAD, ids.IMPORT_TOKEN, ids.IMPORT_REQUEST, ids.IMPORT_FINISHED,
                             ids.IMPORT_POLL, ids.IMPORT_ACCEPT, ids.IMPORT_CONFIRM})  # fmt: skip
    assert not [c for c in _walk(panel) if isinstance(getattr(c, "id", None), dict)]
    editor = app_import_panel.make_import_panel("zh", meta)
    assert [c.id["type"] for c in _walk(editor) if isinstance(getattr(c, "id", None), dict)] == [ids.IMPORT_REMOVE]


def test_file_names_for_display_and_download() -> None:
    assert app_import_panel.display_name(None) == "upload"
    assert app_import_panel.display_name("C:\\Users\\me\\站点.csv") == "站点.csv"
    assert app_import_panel.display_name("a\x00b.csv") == "ab.csv"
    assert app_import_panel.download_name("站点 清单.csv") == "站点_清单_rejected.csv"
    assert app_import_panel.download_name(f"{XSS}.geojson") == "img_src_x_onerror_alert_1_rejected.csv"
    assert app_import_panel.download_name("...") == "import_rejected.csv"


# --------------------------------------------------------------------------- live data and the app
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


# --------------------------------------------------------------------------- the callbacks through the server


def _callback(dash_app: Any, input_id: str, prop: str) -> tuple[str, dict[str, Any]]:
    """The callback_map key and spec of the server callback that has the input ``input_id.prop``."""
    for key, spec in dash_app.callback_map.items():
        if any(i["id"] == input_id and i["property"] == prop for i in spec["inputs"]):
            return key, spec
    raise KeyError(f"{input_id}.{prop}")


def _post(client: Any, dash_app: Any, input_id: str, prop: str, value: Any, **values: Any) -> dict[str, Any]:
    """Post a callback request as the browser would; ``values`` give the other inputs and states by id
    (the browser's id, ``ids.IMPORT_USER``, is :data:`BROWSER` unless given)."""
    values = {ids.IMPORT_USER: BROWSER, **values}
    key, spec = _callback(dash_app, input_id, prop)
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1].split("@")[0]}
        for part in key.strip(".").split("...")
    ]

    def value_of(dep: dict[str, Any]) -> Any:
        return value if (dep["id"], dep["property"]) == (input_id, prop) else values.get(dep["id"])

    body = {
        "output": key,
        "outputs": outputs,
        "inputs": [{**dep, "value": value_of(dep)} for dep in spec["inputs"]],
        "state": [{**dep, "value": value_of(dep)} for dep in spec["state"]],
        "changedPropIds": [f"{input_id}.{prop}"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204), response.data
    if response.status_code == 204:  # PreventUpdate
        return {}
    out: dict[str, Any] = response.get_json()["response"]
    return out


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@pytest.fixture
def served(settings: Settings) -> Iterator[tuple[Any, Any]]:
    """The app for ``settings`` and a test client of its server (one worker process)."""
    from app import create_app

    dash_app = create_app(settings)
    yield dash_app, dash_app.server.test_client()
    _stop_all(upload.make_jobs(settings))


def test_create_app_cleans_up_the_jobs_a_previous_run_left(settings: Settings) -> None:
    from app import create_app

    root = upload.jobs_root(settings)
    root.mkdir(parents=True)
    left = root / ("L" * 32)  # a job folder a crash left half-made, two minutes ago
    left.mkdir()
    (left / "job.json").write_text("{}")
    old = time.time() - 120
    os.utime(left, (old, old))
    create_app(settings)
    assert not left.exists()


def test_upload_poll_report_accept_download_through_the_callbacks(served: tuple[Any, Any], settings: Settings) -> None:
    dash_app, client = served
    en = {"lang": "en"}
    formula = f"=cmd|' /C calc'!A0,中国移动,n41,在用,2024,,{LAT}"
    request = _request(gbk_csv([*GOOD, formula]))
    started = _post(client, dash_app, ids.IMPORT_REQUEST, "data", request, **{ids.STATE: en})
    token = started[ids.IMPORT_TOKEN]["data"]
    assert token
    assert started[ids.IMPORT_POLL]["disabled"] is False
    assert started[ids.IMPORT_JOB]["hidden"] is False
    assert started[ids.IMPORT_ACCEPT]["disabled"] is True
    assert "sites.csv: starting" in _dumps(started[ids.IMPORT_PROGRESS]["children"])
    finished: dict[str, Any] = {}
    end = time.monotonic() + 120
    tick = 0
    while ids.IMPORT_FINISHED not in finished and time.monotonic() < end:
        tick += 1
        finished = _post(client, dash_app, ids.IMPORT_POLL, "n_intervals", tick,
                         **{ids.IMPORT_TOKEN: token, ids.STATE: en})  # fmt: skip
        time.sleep(0.1)
    assert finished[ids.IMPORT_FINISHED]["data"] == {"token": token}
    assert finished[ids.IMPORT_POLL]["disabled"] is True
    ended = finished[ids.IMPORT_FINISHED]["data"]
    shown = _post(client, dash_app, ids.IMPORT_FINISHED, "data", ended, **{ids.IMPORT_TOKEN: token, ids.STATE: en})
    assert "missing coordinate" in _dumps(shown[ids.IMPORT_REPORT]["children"]), shown[ids.IMPORT_STATUS]
    assert shown[ids.IMPORT_ACCEPT]["disabled"] is False
    assert shown[ids.IMPORT_REJECTED]["disabled"] is False
    assert shown[ids.IMPORT_JOB]["hidden"] is True

    # the rejected rows: the formula is neutralised, the problem in the page's language
    for lang, problem in (("en", "经度: missing coordinate"), ("zh", "经度: 缺少坐标")):
        download = _post(client, dash_app, ids.IMPORT_REJECTED, "n_clicks", 1,
                         **{ids.IMPORT_TOKEN: token, ids.STATE: {"lang": lang}})  # fmt: skip
        body = base64.b64decode(download[ids.IMPORT_DOWNLOAD]["data"]["content"])
        assert body.startswith(b"\xef\xbb\xbf")
        rows = pd.read_csv(pd.io.common.BytesIO(body), encoding="utf-8-sig", dtype=str)
        assert list(rows["站号"]) == ["'=cmd|' /C calc'!A0"]
        assert list(rows["problem"]) == [problem]
        assert download[ids.IMPORT_DOWNLOAD]["data"]["filename"] == "sites_rejected.csv"

    # the token alone is not enough: another browser (another user) gets "expired" and adds nothing
    other = {ids.IMPORT_TOKEN: token, ids.IMPORT_MODE: "add", ids.STATE: en, ids.IMPORT_USER: "b3RoZXJicm93c2VyaWQx"}
    stolen = _post(client, dash_app, ids.IMPORT_ACCEPT, "n_clicks", 1, **other)
    assert t("import_expired", "en") in _dumps(stolen[ids.IMPORT_STATUS]["children"])
    peek = _post(client, dash_app, ids.IMPORT_FINISHED, "data", ended, **other)
    assert "missing coordinate" not in _dumps(peek)
    assert len(Workspace(settings.workspace_path).entries()) == 0

    accepted = _post(client, dash_app, ids.IMPORT_ACCEPT, "n_clicks", 1,
                     **{ids.IMPORT_TOKEN: token, ids.IMPORT_MODE: "add", ids.STATE: en})  # fmt: skip
    assert t("import_added", "en", n="3", layer="5G base stations", mode=t("import_mode_add", "en")) in _dumps(
        accepted[ids.IMPORT_STATUS]["children"]
    )
    entries = Workspace(settings.workspace_path).entries()
    assert list(entries["file"]) == ["sites.csv"]
    assert list(entries["who"]) == ["local"]  # the test client is the local user (loopback, no accounts)
    assert len(entries["sha256"].iloc[0]) == 64
    twice = _post(client, dash_app, ids.IMPORT_ACCEPT, "n_clicks", 2,
                  **{ids.IMPORT_TOKEN: token, ids.IMPORT_MODE: "add", ids.STATE: en})  # fmt: skip
    assert t("import_already", "en") in _dumps(twice[ids.IMPORT_STATUS]["children"])
    assert len(Workspace(settings.workspace_path).entries()) == 1  # added once


def test_start_callback_reports_and_hides_errors(
    served: tuple[Any, Any], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    dash_app, client = served

    def call(request: dict[str, Any]) -> dict[str, Any]:
        return _post(client, dash_app, ids.IMPORT_REQUEST, "data", request, **{ids.STATE: {"lang": "en"}})

    xls = call(_request(b"\xd0\xcf\x11\xe0" + b"\0" * 64, "old.xls"))
    status = _dumps(xls[ids.IMPORT_STATUS]["children"])
    assert "old.xls could not be imported:" in status
    assert "old.xls: an old Excel 97-2003 (.xls) workbook" in status
    assert xls[ids.IMPORT_TOKEN]["data"] is None
    assert xls[ids.IMPORT_POLL]["disabled"] is True

    big = call(_request(b"x" * 1_100_000, "big.csv"))
    assert t("import_too_big", "en", file="big.csv", size="1.1", limit="1") in _dumps(
        big[ids.IMPORT_STATUS]["children"]
    )

    refused = call({"clear": True, "n": 1})  # the browser refused the file: its message stays
    assert ids.IMPORT_STATUS not in refused
    assert refused[ids.IMPORT_TOKEN]["data"] is None

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(app_import_jobs, "start_import", boom)
    with caplog.at_level(logging.ERROR, logger="app"):
        crashed = call(_request(gbk_csv()))
    status = _dumps(crashed[ids.IMPORT_STATUS]["children"])
    assert t("error_generic", "en") in status
    assert "secret internals" not in status
    assert "Traceback" not in status
    assert any("reading upload" in r.getMessage() for r in caplog.records)
