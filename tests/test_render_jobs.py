"""Renders as jobs (zzgeo.jobs.start_render, zzgeo.briefing): map sheet and report made in a process of their own."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

import zzgeo
from zzgeo.briefing import file_name, map_task, render_task, report_task
from zzgeo.cartography import MapView
from zzgeo.errors import DataError, UnknownKeyError
from zzgeo.jobs import JobError, JobManager


@pytest.fixture
def jobs(tmp_path: Path) -> JobManager:
    return JobManager(tmp_path / "renders", per_user=1, total=4, ttl=3600)


def _frames() -> dict[str, object]:
    return {"layer:5g_sites": zzgeo.load_layer("5g_sites")}


def test_a_map_render_runs_as_a_job_and_its_png_is_print_resolution(jobs: JobManager) -> None:
    task = map_task(MapView(year=2024, lang="en"), "png", dpi=300)
    name = file_name(task)
    assert name == "zzgeo-map-sites_per_10k-2024-en.png"
    token = jobs.start_render(task, _frames(), user="u1", name=name)
    with pytest.raises(JobError):  # one job per user here
        jobs.start_render(task, _frames(), user="u1", name=name)
    status = jobs.wait(token, timeout=180)
    assert status.state == "done", status
    got, data = jobs.output(token)
    assert got == name
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) >= 3000
    assert not (jobs.root / token / "input").exists()  # the inputs go once read


def test_a_render_that_fails_says_why_in_both_languages(jobs: JobManager) -> None:
    task = report_task(year=2025, lang="zh")
    token = jobs.start_render(task, {"population": zzgeo.load_population()}, user="u2", name="r.pdf")
    status = jobs.wait(token, timeout=180)
    assert status.state == "failed"
    with pytest.raises(DataError) as caught:
        jobs.output(token)
    assert "5g_sites" in str(caught.value)


def test_a_render_can_be_cancelled(jobs: JobManager) -> None:
    token = jobs.start_render(report_task(year=2025), _frames(), user="u3", name="r.pdf")
    status = jobs.cancel(token)
    assert status.state == "cancelled"
    assert status.error is not None
    assert status.error.zh


def test_bad_tasks_fail_before_a_job_starts() -> None:
    with pytest.raises(UnknownKeyError):
        map_task(MapView(indicator="nope"))
    with pytest.raises(UnknownKeyError):
        map_task(MapView(), "tiff")
    with pytest.raises(UnknownKeyError):
        report_task(colour="red")
    with pytest.raises(UnknownKeyError):
        render_task({"what": "poster"}, {})


def test_bad_output_names_are_refused(jobs: JobManager) -> None:
    with pytest.raises(JobError):
        jobs.start_render(report_task(), _frames(), user="u4", name="../x.pdf")
