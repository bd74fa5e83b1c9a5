"""zzgeo.workspace: imported layers kept in one GeoPackage, written atomically under a lock."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from zzgeo import workspace as workspace_module
from zzgeo.errors import DataError, UnknownKeyError
from zzgeo.imports import ImportResult, import_file
from zzgeo.layers import load_layer
from zzgeo.workspace import Workspace

DATA = Path(__file__).parent / "data" / "import"


@pytest.fixture(scope="module")
def gbk() -> ImportResult:
    """5 clean 5g_sites rows (GBK CSV with Chinese headers)."""
    return import_file(DATA / "gbk_zh_headers.csv", "5g_sites")


@pytest.fixture(scope="module")
def partial() -> ImportResult:
    """2 accepted and 2 rejected 5g_sites rows."""
    return import_file(DATA / "year_out_of_range.csv", "5g_sites")


@pytest.fixture(scope="module")
def centers() -> ImportResult:
    """2 data centers with HTML in their names."""
    return import_file(DATA / "xss_in_name.csv", "data_centers")


@pytest.fixture(scope="module")
def sample_size() -> int:
    return len(load_layer("5g_sites"))


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_empty_workspace(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    entries = ws.entries()
    assert entries.empty
    assert list(entries.columns) == [
        "id", "kind", "file", "imported_at", "rows_accepted", "rows_rejected", "mode", "crs", "who", "sha256",
    ]  # fmt: skip
    assert not (tmp_path / "ws.gpkg").exists()


def test_default_path_comes_from_the_settings(fresh_settings: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fresh_settings.setenv("ZZGEO_WORKSPACE", str(tmp_path / "mine.gpkg"))
    assert Workspace().path == tmp_path / "mine.gpkg"


def test_add_list_load_remove(tmp_path: Path, gbk: ImportResult, partial: ImportResult, centers: ImportResult) -> None:
    ws = Workspace(tmp_path / "sub" / "ws.gpkg")
    a = ws.add(gbk)
    b = ws.add(partial)
    c = ws.add(centers)
    assert len({a, b, c}) == 3
    entries = ws.entries()
    assert list(entries["id"]) == [a, b, c]
    assert list(entries["kind"]) == ["5g_sites", "5g_sites", "data_centers"]
    assert list(entries["file"]) == ["gbk_zh_headers.csv", "year_out_of_range.csv", "xss_in_name.csv"]
    assert list(entries["rows_accepted"]) == [5, 2, 2]
    assert list(entries["rows_rejected"]) == [0, 2, 0]
    assert list(entries["mode"]) == ["add", "add", "add"]
    assert list(entries["crs"]) == ["WGS-84 (GPS, Tianditu, OpenStreetMap)"] * 3
    assert entries["imported_at"].str.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$").all()

    loaded = ws.load(a)
    assert loaded.crs == "EPSG:4326"
    assert list(loaded["site_id"]) == list(gbk.layer["site_id"])
    assert list(loaded["operator"]) == list(gbk.layer["operator"])
    assert loaded["year_in_service"].dtype == "Int64"
    assert list(loaded["year_in_service"]) == list(gbk.layer["year_in_service"])
    assert loaded.geometry.geom_equals_exact(gbk.layer.geometry, tolerance=1e-12).all()
    assert list(ws.load(c)["name"]) == ["<img src=x onerror=alert(1)>", "漳州云计算中心 & <b>数据</b>"]

    ws.remove(b)
    assert list(ws.entries()["id"]) == [a, c]
    assert f"import_{b}" not in {str(name) for name in pyogrio.list_layers(ws.path)[:, 0]}
    with pytest.raises(UnknownKeyError):
        ws.load(b)
    assert _files(ws.path.parent) == {"ws.gpkg", "ws.gpkg.lock"}  # no temporary files left


def test_entries_survive_a_restart(tmp_path: Path, gbk: ImportResult) -> None:
    path = tmp_path / "ws.gpkg"
    entry = Workspace(path).add(gbk)
    again = Workspace(path)  # a new process would see the same
    assert list(again.entries()["id"]) == [entry]
    assert list(again.load(entry)["site_id"]) == list(gbk.layer["site_id"])


def test_mode_add_keeps_the_sample_and_replace_hides_it(
    tmp_path: Path, gbk: ImportResult, partial: ImportResult, sample_size: int
) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    assert len(ws.layer("5g_sites")) == sample_size
    ws.add(gbk, mode="add")
    layer = ws.layer("5g_sites")
    assert len(layer) == sample_size + 5
    assert layer.crs == "EPSG:4326"
    assert list(layer["source"].iloc[-5:]) == ["import: gbk_zh_headers.csv"] * 5
    assert set(layer["source"].iloc[:sample_size]) == {"synthetic (zzgeo seed 3506)"}
    assert len(ws.layer("5g_sites", include_sample=False)) == 5
    assert len(ws.layer("data_centers")) == len(load_layer("data_centers"))  # other kinds untouched

    replacing = ws.add(partial, mode="replace")
    layer = ws.layer("5g_sites")
    assert len(layer) == 7  # both imports, no sample
    assert list(layer["source"]) == ["import: gbk_zh_headers.csv"] * 5 + ["import: year_out_of_range.csv"] * 2
    assert list(layer["site_id"]) == [*gbk.layer["site_id"], "R2", "R3"]

    ws.remove(replacing)
    assert len(ws.layer("5g_sites")) == sample_size + 5  # the sample is back


def test_layer_without_sample_or_imports_is_empty_but_typed(tmp_path: Path) -> None:
    layer = Workspace(tmp_path / "ws.gpkg").layer("data_centers", include_sample=False)
    assert layer.empty
    assert "name" in layer.columns
    assert layer["year"].dtype == "Int64"


def test_unknown_ids_kinds_and_modes(tmp_path: Path, gbk: ImportResult) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    with pytest.raises(UnknownKeyError) as exc:
        ws.remove("nope")
    assert str(exc.value) == "unknown workspace entry 'nope'; valid: "
    a = ws.add(gbk)
    b = ws.add(gbk)
    with pytest.raises(UnknownKeyError) as exc:
        ws.remove("nope")
    assert str(exc.value) == f"unknown workspace entry 'nope'; valid: {a}, {b}"
    assert exc.value.valid == (a, b)
    with pytest.raises(UnknownKeyError) as exc:
        ws.load("nope")
    assert str(exc.value) == f"unknown workspace entry 'nope'; valid: {a}, {b}"
    with pytest.raises(UnknownKeyError, match="valid: add, replace"):
        ws.add(gbk, mode="merge")
    with pytest.raises(UnknownKeyError, match="valid: 5g_sites, data_centers, smart_projects"):
        ws.layer("sites")
    assert list(ws.entries()["id"]) == [a, b]


def test_a_result_without_accepted_rows_is_refused(tmp_path: Path, gbk: ImportResult) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    nothing = import_file(DATA / "metres_without_crs.csv", "5g_sites")
    assert nothing.layer.empty
    with pytest.raises(DataError) as exc:
        ws.add(nothing)
    assert str(exc.value) == "metres_without_crs.csv: no rows passed the checks; nothing to add"
    assert not ws.path.exists()
    ws.add(gbk)
    before = ws.path.read_bytes()
    with pytest.raises(DataError):
        ws.add(import_file(DATA / "header_only.csv", "5g_sites"))
    assert ws.path.read_bytes() == before


def test_a_file_that_is_not_a_workspace(tmp_path: Path) -> None:
    other = tmp_path / "other.gpkg"
    other.write_bytes((DATA / "two_layers.gpkg").read_bytes())
    with pytest.raises(DataError, match="is not a zzgeo workspace"):
        Workspace(other).entries()


# ---------------------------------------------------------------------------------------------
# Crashes mid-write
# ---------------------------------------------------------------------------------------------


class CrashError(RuntimeError):
    """Stands for the process dying (disk full, power cut, kill -9) during a write."""


def _crash_after(monkeypatch: pytest.MonkeyPatch, n_layers: int) -> list[Path]:
    """Make the workspace's GeoPackage writer write ``n_layers`` layers, then crash."""
    real = pyogrio.write_dataframe
    written: list[Path] = []

    def flaky(df, path, *args, **kwargs):
        if len(written) >= n_layers:
            raise CrashError("crash mid-write")
        real(df, path, *args, **kwargs)
        written.append(Path(path))

    monkeypatch.setattr(workspace_module.pyogrio, "write_dataframe", flaky)
    return written


@pytest.mark.parametrize("layers_before_crash", [0, 1, 2])
def test_crash_mid_add_leaves_the_previous_file_intact(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, gbk: ImportResult, partial: ImportResult, layers_before_crash: int
) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    first = ws.add(gbk)
    second = ws.add(partial)
    before = ws.path.read_bytes()
    with monkeypatch.context() as mp:
        written = _crash_after(mp, layers_before_crash)
        with pytest.raises(CrashError):
            ws.add(gbk)
        assert len(written) == layers_before_crash
        # Whatever was written went to a temporary file beside the workspace, never into it.
        assert all(p != ws.path and p.parent == ws.path.parent for p in written)
    assert ws.path.read_bytes() == before
    assert _files(tmp_path) == {"ws.gpkg", "ws.gpkg.lock"}
    assert list(Workspace(ws.path).entries()["id"]) == [first, second]
    assert len(ws.load(second)) == 2
    # ... and the workspace still works afterwards.
    third = ws.add(gbk)
    assert list(ws.entries()["id"]) == [first, second, third]


def test_crash_mid_remove_leaves_the_previous_file_intact(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, gbk: ImportResult
) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    a, b = ws.add(gbk), ws.add(gbk)
    before = ws.path.read_bytes()
    with monkeypatch.context() as mp:
        _crash_after(mp, 1)
        with pytest.raises(CrashError):
            ws.remove(a)
    assert ws.path.read_bytes() == before
    assert _files(tmp_path) == {"ws.gpkg", "ws.gpkg.lock"}
    assert list(ws.entries()["id"]) == [a, b]


def test_crash_in_the_first_write_leaves_no_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, gbk) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    with monkeypatch.context() as mp:
        _crash_after(mp, 1)
        with pytest.raises(CrashError):
            ws.add(gbk)
    assert _files(tmp_path) == {"ws.gpkg.lock"}
    assert ws.entries().empty


def test_crash_in_write_all_leaves_the_previous_file_intact(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, gbk: ImportResult
) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    entry = ws.add(gbk)
    before = ws.path.read_bytes()
    real = Workspace._write_all

    def half(layers: dict[str, pd.DataFrame], path: Path) -> None:
        real({k: v for k, v in layers.items() if k == "zzgeo_imports"}, path)  # the metadata only
        raise CrashError("crash mid-write")

    monkeypatch.setattr(Workspace, "_write_all", staticmethod(half))
    with pytest.raises(CrashError):
        ws.add(gbk)
    assert ws.path.read_bytes() == before
    assert _files(tmp_path) == {"ws.gpkg", "ws.gpkg.lock"}
    assert list(ws.entries()["id"]) == [entry]


# ---------------------------------------------------------------------------------------------
# Concurrent writers
# ---------------------------------------------------------------------------------------------

PER_WRITER = 3


def _add_many(path: str, result: ImportResult, n: int, barrier) -> list[str]:
    barrier.wait()  # start together
    ws = Workspace(path)
    return [ws.add(result) for _ in range(n)]


def _process_writer(label: str, path: str, result: ImportResult, n: int, barrier, queue) -> None:
    queue.put((label, _add_many(path, result, n, barrier)))


def _check_after_concurrent_writes(path: Path, ids: list[str], sizes: dict[str, int]) -> None:
    ws = Workspace(path)
    entries = ws.entries()
    assert sorted(entries["id"]) == sorted(ids)
    assert len(set(ids)) == len(ids)
    layers = {str(name) for name in pyogrio.list_layers(path)[:, 0]}
    assert layers == {"zzgeo_imports", "zzgeo_log", *(f"import_{i}" for i in ids)}
    assert sorted(ws.log()["seq"]) == list(range(1, len(ids) + 1))  # one record per change, none lost
    for entry_id, accepted in zip(entries["id"], entries["rows_accepted"], strict=True):
        assert len(ws.load(entry_id)) == accepted == sizes[entry_id]
    assert _files(path.parent) == {path.name, path.name + ".lock"}


def test_two_threads_adding_at_once(tmp_path: Path, gbk: ImportResult, partial: ImportResult) -> None:
    path = tmp_path / "ws.gpkg"
    barrier = threading.Barrier(2)
    results: dict[str, list[str]] = {}
    errors: list[BaseException] = []

    def writer(name: str, result: ImportResult) -> None:
        try:
            results[name] = _add_many(str(path), result, PER_WRITER, barrier)
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n, r)) for n, r in (("gbk", gbk), ("partial", partial))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    sizes = dict.fromkeys(results["gbk"], 5) | dict.fromkeys(results["partial"], 2)
    _check_after_concurrent_writes(path, [*results["gbk"], *results["partial"]], sizes)


def test_two_processes_adding_at_once(tmp_path: Path, gbk: ImportResult, partial: ImportResult) -> None:
    path = tmp_path / "ws.gpkg"
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_process_writer, args=(label, str(path), result, PER_WRITER, barrier, queue))
        for label, result in (("gbk", gbk), ("partial", partial))
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    got = dict(queue.get(timeout=10) for _ in procs)  # a few ids each: they fit in the pipe
    sizes = dict.fromkeys(got["gbk"], 5) | dict.fromkeys(got["partial"], 2)
    _check_after_concurrent_writes(path, [*got["gbk"], *got["partial"]], sizes)


def test_area_layers_are_kept_one_per_import(tmp_path: Path) -> None:
    from shapely.geometry import box

    ws = Workspace(tmp_path / "ws.gpkg")
    zones = tmp_path / "zones.csv"
    pd.DataFrame(
        {"name": ["东片", "西片"], "wkt": [box(117.64, 24.5, 117.65, 24.51).wkt, box(117.65, 24.5, 117.66, 24.51).wkt]}
    ).to_csv(zones, index=False)
    entry = ws.add(import_file(zones, "areas"))
    stored = ws.load(entry)
    assert list(stored["name"]) == ["东片", "西片"]
    assert list(stored.geom_type) == ["MultiPolygon", "MultiPolygon"]
    assert stored.crs.equals("EPSG:4326")
    assert ws.entries()["kind"].tolist() == ["areas"]
    with pytest.raises(DataError, match="a layer of its own"):
        ws.layer("areas")
    assert len(ws.layer("5g_sites")) == len(load_layer("5g_sites"))  # the point layers do not see it
