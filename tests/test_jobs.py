"""zzgeo.jobs: imports in a separate process with limits, progress, cancel, caps, results by token.

The hostile files of issue 11 (tests/hostile.py, generated into a temporary folder) each end
quickly with their own clear message; the results come back from the job folder without
pickle.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

import hostile
from zzgeo.errors import DataError, UnknownKeyError
from zzgeo.imports import ImportResult, import_file
from zzgeo.jobs import JobError, JobLimits, JobManager
from zzgeo.messages import Text

DATA = Path(__file__).parent / "data" / "import"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def manager(tmp_path_factory: pytest.TempPathFactory) -> JobManager:
    return JobManager(tmp_path_factory.mktemp("jobs"), per_user=8, total=8, limits=JobLimits(time_s=60))


HOSTILE = [
    (
        hostile.million_columns,
        {},
        "million_columns.csv: at least 144,961 columns is over the limit of 500 columns (setting ZZGEO_MAX_COLUMNS)",
    ),
    (
        hostile.inflating_xlsx,
        {},
        "inflating.xlsx: the workbook has 1,090,000 rows, over the limit of 200,000 rows for Excel files "
        "(setting ZZGEO_MAX_XLSX_ROWS); save large tables as CSV",
    ),
    (
        lambda folder: hostile.inflating_xlsx(folder, rows=300_000, dimension=False),
        {},
        "inflating_no_dimension.xlsx: the workbook has more than 200,000 rows, over the limit of 200,000 rows "
        "for Excel files (setting ZZGEO_MAX_XLSX_ROWS); save large tables as CSV",
    ),
    (
        hostile.recursive_view_gpkg,
        {},
        "recursive_view.gpkg: layer 'endless' is an SQL view with a WITH clause (it may recurse without end), "
        "which zzgeo does not read; export it as a table first",
    ),
    (
        hostile.many_layers_gpkg,
        {},
        "many_layers.gpkg: 9,000 layers and views is over the limit of 100 (setting ZZGEO_MAX_LAYERS)",
    ),
    (
        hostile.huge_site_id,
        {},
        "huge_site_id.csv: row 1, column site_id: a value of 40,000,000 characters is over the limit of 10,000 "
        "characters per cell (setting ZZGEO_MAX_CELL_CHARS)",
    ),
    (
        hostile.deep_geojson,
        {},
        "deep.geojson: JSON nested 1,004 levels deep is over the limit of 64 levels (setting ZZGEO_MAX_JSON_DEPTH)",
    ),
]


@pytest.mark.parametrize(("make", "options", "message"), HOSTILE, ids=[m.split(":")[0] for *_, m in HOSTILE])
def test_hostile_file_ends_with_its_message(manager: JobManager, files: Path, make, options, message: str) -> None:
    path = make(files)
    start = time.monotonic()
    token = manager.start(path, "5g_sites", user="visitor", **options)
    status = manager.wait(token, timeout=60)
    assert status.state == "failed"
    assert status.error is not None
    assert status.error.en == message
    assert CJK.search(status.error.zh)
    assert status.error.zh.startswith(path.name)
    assert status.peak_mb is not None
    assert status.peak_mb < 1024  # bounded: the file is refused before it is parsed
    assert time.monotonic() - start < 30
    with pytest.raises(DataError) as exc:
        manager.result(token)
    assert str(exc.value) == message
    assert exc.value.message == status.error


def test_the_job_time_limit_stops_a_view_that_never_ends(files: Path, tmp_path: Path) -> None:
    manager = JobManager(tmp_path / "jobs", limits=JobLimits(time_s=3))
    token = manager.start(hostile.slow_view_gpkg(files), "5g_sites", user="u", layer="huge")
    status = manager.wait(token, timeout=30)
    assert status.state == "failed"
    assert status.error == Text(
        en="slow_view.gpkg: the import took longer than the time limit of 3 s and was stopped "
        "(setting ZZGEO_JOB_TIME_S)",
        zh="slow_view.gpkg：导入超过时间上限 3 秒，已停止（设置项 ZZGEO_JOB_TIME_S）",
    )


def test_memory_limit_has_its_message(tmp_path: Path) -> None:
    manager = JobManager(tmp_path / "jobs", limits=JobLimits(memory_mb=200))
    token = manager.start(DATA / "gbk_zh_headers.csv", "5g_sites", user="u")
    status = manager.wait(token, timeout=60)
    assert status.state == "failed"
    assert status.error is not None
    assert status.error.en == (
        "gbk_zh_headers.csv: the import needed more memory than the limit of 200 MB and was stopped "
        "(setting ZZGEO_JOB_MEMORY_MB)"
    )


def test_a_job_gives_the_same_result_as_import_file_loaded_by_token_elsewhere(tmp_path: Path) -> None:
    root = tmp_path / "jobs"
    manager = JobManager(root)
    token = manager.start(DATA / "year_out_of_range.csv", "5g_sites", user="u", name="上传.csv")
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
    status = manager.wait(token, timeout=60)
    assert status.state == "done"
    assert (status.stage, status.rows, status.rows_total, status.fraction) == ("done", 4, 4, 1.0)
    # Another worker process (a second manager on the same root) loads it by its token.
    result = JobManager(root).result(token)
    direct = import_file(DATA / "year_out_of_range.csv", "5g_sites", name="上传.csv")
    assert result.problems == direct.problems
    assert result.report_lines() == direct.report_lines()
    assert result.layer.to_wkt().equals(direct.layer.to_wkt())
    assert list(result.layer.dtypes.astype(str)) == list(direct.layer.dtypes.astype(str))
    assert result.rejected.astype(str).equals(direct.rejected.astype(str))
    # Nothing is pickled: the folder holds Parquet and JSON.
    names = sorted(p.name for p in (root / token / "result").iterdir())
    assert names == ["layer.parquet", "rejected.parquet", "report.json"]
    assert not list((root / token).glob("input*"))  # the upload is not kept once read
    assert json.loads((root / token / "result" / "report.json").read_text())["file"] == "上传.csv"


def test_caps_per_user_and_in_all_and_cancel(files: Path, tmp_path: Path) -> None:
    manager = JobManager(tmp_path / "jobs", per_user=1, total=2, limits=JobLimits(time_s=60))
    slow = hostile.slow_view_gpkg(files)
    first = manager.start(slow, "5g_sites", user="a", layer="huge")
    with pytest.raises(JobError) as exc:
        manager.start(slow, "5g_sites", user="a", layer="huge")
    assert str(exc.value) == (
        "you already have 1 import(s) running, the limit per user (setting ZZGEO_JOBS_PER_USER); "
        "wait for one to finish or cancel it"
    )
    assert exc.value.message.zh
    assert "ZZGEO_JOBS_PER_USER" in exc.value.message.zh
    second = manager.start(slow, "5g_sites", user="b", layer="huge")
    with pytest.raises(JobError) as exc:
        JobManager(manager.root, per_user=1, total=2).start(slow, "5g_sites", user="c", layer="huge")
    assert str(exc.value) == (
        "2 imports are running, the limit for the server (setting ZZGEO_JOBS_TOTAL); try again in a minute"
    )
    assert manager.status(first).state in ("queued", "running")
    for token in (first, second):
        status = manager.cancel(token)
        assert status.state == "cancelled"
        assert status.error == Text(en="slow_view.gpkg: the import was cancelled", zh="slow_view.gpkg：导入已取消")
    groups = [int((manager.root / t / "pgid").read_text()) for t in (first, second)]
    for group in groups:  # the supervisor and its worker are gone (give the system a moment to reap them)
        end = time.monotonic() + 10
        while time.monotonic() < end:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        with pytest.raises(ProcessLookupError):
            os.killpg(group, 0)
    # Room again: a user with a cancelled job may start another.
    third = manager.start(DATA / "size_limit.csv", "5g_sites", user="a")
    assert manager.wait(third, timeout=60).state == "done"


def test_unknown_and_malformed_tokens(tmp_path: Path) -> None:
    manager = JobManager(tmp_path / "jobs")
    with pytest.raises(UnknownKeyError, match="unknown coordinate system 'mars'"):
        manager.start(DATA / "size_limit.csv", "5g_sites", "mars", user="u")
    with pytest.raises(UnknownKeyError, match="unknown layer kind 'sites'"):
        manager.start(DATA / "size_limit.csv", "sites", user="u")
    for token in ("nope", "../../etc/passwd", "A" * 32, None):
        with pytest.raises(JobError) as exc:
            manager.status(token)  # type: ignore[arg-type]
        assert "no import job" in str(exc.value)


def test_upload_size_limit_is_checked_before_starting(tmp_path: Path) -> None:
    manager = JobManager(tmp_path / "jobs", limits=JobLimits(max_bytes=100))
    with pytest.raises(DataError) as exc:
        manager.start(DATA / "size_limit.csv", "5g_sites", user="u")
    assert str(exc.value) == "size_limit.csv: 541 bytes is over the size limit of 100 bytes"
    assert list((tmp_path / "jobs").iterdir()) == []


def test_a_status_file_keeps_the_error_as_error_and_error_zh(tmp_path: Path) -> None:
    """status.json's wire form (``error``/``error_zh``) reads back as one Text, and is written so."""
    manager = JobManager(tmp_path / "jobs")
    both, english_only, crashed = (manager.root / (c * 32) for c in "efg")
    records = {
        both: {"error": "a.csv: the import was cancelled", "error_zh": "a.csv：导入已取消"},
        english_only: {"error": "a.csv: something only said in English", "error_zh": None},
        crashed: {},
    }
    for folder, error in records.items():
        folder.mkdir(parents=True)
        state = "running" if folder == crashed else "failed"
        record = {"token": folder.name, "state": state, "file": "a.csv", "started": 1.0, **error}
        (folder / "status.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        (folder / "job.json").write_text(json.dumps({"task": "import", "user": "u"}))
    status = manager.status(both.name)
    assert status.error == Text(en="a.csv: the import was cancelled", zh="a.csv：导入已取消")
    with pytest.raises(DataError) as exc:
        manager.result(both.name)
    assert exc.value.message == status.error
    only = manager.status(english_only.name).error
    assert only == Text(en="a.csv: something only said in English")
    assert only.get("zh") == "a.csv: something only said in English"  # never nothing in the Chinese UI
    # a running job whose process is gone is marked failed: its file has the two keys
    assert manager.status(crashed.name).error == Text(
        en="a.csv: the import stopped unexpectedly (exit code unknown)", zh="a.csv：导入意外中止（退出码 unknown）"
    )
    written = json.loads((crashed / "status.json").read_text(encoding="utf-8"))
    assert written["error"] == "a.csv: the import stopped unexpectedly (exit code unknown)"
    assert written["error_zh"] == "a.csv：导入意外中止（退出码 unknown）"


def test_cleanup_removes_expired_and_crashed_jobs(tmp_path: Path) -> None:
    root = tmp_path / "jobs"
    manager = JobManager(root, ttl=3600)
    done = manager.start(DATA / "size_limit.csv", "5g_sites", user="u")
    manager.wait(done, timeout=60)
    # A job left "running" by a server that crashed: its process is gone.
    crashed = root / ("c" * 32)
    shutil.copytree(root / done, crashed)
    status = json.loads((crashed / "status.json").read_text())
    status.update(token=crashed.name, state="running", stage="checking", started=time.time() - 120)
    (crashed / "status.json").write_text(json.dumps(status))
    (crashed / "pid").write_text("999999")
    half_made = root / ("d" * 32)
    half_made.mkdir()
    os.utime(half_made, (time.time() - 7200, time.time() - 7200))
    assert manager.cleanup_stale() == 1  # the half-made folder; the others are kept for their TTL
    crashed_status = manager.status(crashed.name)
    assert crashed_status.state == "failed"
    assert crashed_status.error is not None
    assert crashed_status.error.en == "size_limit.csv: the import stopped unexpectedly (exit code unknown)"
    assert manager.cleanup_stale(now=time.time() + 7200) == 2
    assert sorted(p.name for p in root.iterdir()) == [".lock"]


def test_import_result_save_and_load(tmp_path: Path) -> None:
    for file, kind in [("bowtie_polygon.geojson", "5g_sites"), ("data_centers_zh.csv", "data_centers")]:
        result = import_file(DATA / file, kind)
        loaded = ImportResult.load(result.save(tmp_path / file))
        assert loaded.report_lines() == result.report_lines()
        assert loaded.problems == [
            type(p)(p.message, p.row, p.column, loaded.problems[i].value, p.severity, p.file)
            for i, p in enumerate(result.problems)
        ]
        assert loaded.crs_name == result.crs_name
        assert loaded.layer.geometry.equals(result.layer.geometry)
        assert len(loaded.rejected) == len(result.rejected)
    with pytest.raises(DataError, match="no complete import result"):
        ImportResult.load(tmp_path / "missing")


def test_gpkg_layers_from_the_catalogue(files: Path) -> None:
    from zzgeo.imports import gpkg_layers

    assert gpkg_layers(DATA / "two_layers.gpkg") == ("sites_wgs84", "sites_gk117")
    start = time.monotonic()
    with pytest.raises(DataError) as exc:
        gpkg_layers(hostile.many_layers_gpkg(files), name="上传.gpkg")
    assert str(exc.value) == "上传.gpkg: 9,000 layers and views is over the limit of 100 (setting ZZGEO_MAX_LAYERS)"
    assert time.monotonic() - start < 10  # GDAL's own listing takes tens of seconds


def test_progress_is_readable_while_the_job_runs(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    rows = "".join(f"S{i},CMCC,在用,2021,117.65,24.51\n" for i in range(400_000))
    path.write_text("site_id,operator,status,year,lon,lat\n" + rows, encoding="utf-8")
    manager = JobManager(tmp_path / "jobs", limits=JobLimits(max_bytes=None))
    token = manager.start(path, "5g_sites", user="u")
    seen = []
    while not (status := manager.status(token)).finished:
        seen.append((status.stage, status.rows, status.fraction))
        time.sleep(0.02)
    assert status.state == "done"
    partial = [(rows, fraction) for stage, rows, fraction in seen if stage == "checking" and 0 < rows < 400_000]
    assert partial, seen
    assert all(0 < fraction < 1 for _, fraction in partial)
    assert (status.rows, status.rows_total, status.fraction) == (400_000, 400_000, 1.0)
