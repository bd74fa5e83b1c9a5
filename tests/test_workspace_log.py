"""zzgeo.workspace: the audit log, accepted proposals, revert, purge, the size limit, the stamp."""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from zzgeo.errors import DataError, UnknownKeyError
from zzgeo.imports import ImportResult, import_file
from zzgeo.layers import load_layer
from zzgeo.planning import PROPOSAL_SOURCE, accept_proposals, make_proposals
from zzgeo.workspace import LOG_COLUMNS, Workspace, WorkspaceFullError, workspace_stamp

DATA = Path(__file__).parent / "data" / "import"


@pytest.fixture(scope="module")
def gbk() -> ImportResult:
    return import_file(DATA / "gbk_zh_headers.csv", "5g_sites")


@pytest.fixture(scope="module")
def sample_size() -> int:
    return len(load_layer("5g_sites"))


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws.gpkg")


def _proposals(n: int = 2, start: int = 1) -> gpd.GeoDataFrame:
    lon = [117.65 + 0.01 * i for i in range(n)]
    lat = [24.51 + 0.01 * i for i in range(n)]
    return make_proposals(lon, lat, year=2025, start=start)


def test_every_change_is_logged_with_who_file_hash_and_counts(
    ws: Workspace, gbk: ImportResult, sample_size: int
) -> None:
    digest = hashlib.sha256((DATA / "gbk_zh_headers.csv").read_bytes()).hexdigest()
    assert gbk.sha256 == digest
    a = ws.add(gbk, who="li")
    b = ws.add(gbk, "replace", who="wang")
    p = ws.add_proposals(_proposals(3), who="zhao")
    ws.remove(b, who="li")
    ws.remove(p, who="zhao")
    log = ws.log()
    assert list(log.columns) == LOG_COLUMNS
    assert list(log["seq"]) == [1, 2, 3, 4, 5]
    assert list(log["action"]) == ["import", "replace", "accept_proposals", "remove", "remove_proposals"]
    assert list(log["who"]) == ["li", "wang", "zhao", "li", "zhao"]
    assert list(log["entry_id"]) == [a, b, p, b, p]
    assert list(log["file"]) == ["gbk_zh_headers.csv"] * 2 + ["what-if proposals"] + ["gbk_zh_headers.csv"] + [
        "what-if proposals"
    ]
    assert list(log["sha256"]) == [digest, digest, "", digest, ""]
    # the layer as the app shows it: sample (unless replaced) + imports + accepted proposals
    assert list(log["count_before"]) == [sample_size, sample_size + 5, 10, 13, sample_size + 8]
    assert list(log["count_after"]) == [sample_size + 5, 10, 13, sample_size + 8, sample_size + 5]
    # a replace hides the sample (its rows leave the layer); removing it brings them back
    assert list(log["rows_added"]) == [5, 5, 3, sample_size, 0]
    assert list(log["rows_removed"]) == [0, sample_size, 0, 5, 3]
    assert log["at"].str.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$").all()
    entries = ws.entries()
    assert list(entries["who"]) == ["li"]
    assert list(entries["sha256"]) == [digest]
    assert ws.layer_count("5g_sites") == sample_size + 5 == len(ws.layer("5g_sites", include_proposals=True))


def test_accepted_proposals_are_stored_for_everyone(ws: Workspace, sample_size: int) -> None:
    proposals = _proposals(2)
    entry = ws.add_proposals(proposals, who="li")
    again = Workspace(ws.path)  # another worker, or after a restart
    stored = again.accepted_proposals()
    assert list(stored["site_id"]) == ["PROP-0001", "PROP-0002"]
    assert list(stored["entry_id"]) == [entry, entry]
    assert stored["proposed"].all()
    assert set(stored["status"]) == {"planned"}
    assert list(stored["year_in_service"]) == [2025, 2025]
    assert list(stored["district_adcode"]) == list(proposals["district_adcode"])
    assert stored.geometry.geom_equals_exact(proposals.geometry, tolerance=1e-9).all()
    assert list(again.proposal_entries()["rows"]) == [2]
    assert list(again.proposal_entries()["who"]) == ["li"]
    assert again.entries().empty  # not listed among the imports
    # not part of the layer unless asked for; then as planned sites, like planning.accept_proposals
    assert len(again.layer("5g_sites")) == sample_size
    with_them = again.layer("5g_sites", include_proposals=True)
    assert len(with_them) == sample_size + 2
    assert list(with_them["source"].iloc[-2:]) == [PROPOSAL_SOURCE] * 2
    layer = load_layer("5g_sites")
    assert len(accept_proposals(layer, stored.drop(columns="entry_id"))) == sample_size + 2
    ws.remove(entry, who="li")
    assert ws.accepted_proposals().empty
    assert "entry_id" in ws.accepted_proposals().columns


def test_a_colleagues_proposal_ids_are_renumbered(ws: Workspace) -> None:
    ws.add_proposals(_proposals(2), who="li")  # PROP-0001, PROP-0002
    ws.add_proposals(_proposals(3), who="wang")  # also from PROP-0001 in wang's browser
    # the ones that collide take numbers after the highest in use; PROP-0003 was free
    assert list(ws.accepted_proposals()["site_id"]) == ["PROP-0001", "PROP-0002", "PROP-0004", "PROP-0005", "PROP-0003"]


def test_bad_proposals_are_refused(ws: Workspace) -> None:
    with pytest.raises(DataError, match="no proposals") as exc:
        ws.add_proposals(_proposals(0))
    assert exc.value.message.zh == "没有可采纳的方案站点"
    with pytest.raises(DataError, match="site_id"):
        ws.add_proposals(_proposals(1).drop(columns="site_id"))
    assert not ws.path.exists()


def test_revert_undoes_imports_and_removals(ws: Workspace, gbk: ImportResult, sample_size: int) -> None:
    a = ws.add(gbk, "replace", who="li")  # 1
    ws.remove(a, who="wang")  # 2: the sample is back
    assert ws.layer_count("5g_sites") == sample_size
    assert ws.revert(2, who="admin") == f"restored {a}"  # 3: the removal undone
    assert list(ws.entries()["id"]) == [a]
    assert len(ws.load(a)) == 5
    assert ws.layer_count("5g_sites") == 5
    assert ws.revert(1, who="admin") == f"removed {a}"  # 4: the import undone
    assert ws.entries().empty
    assert ws.layer_count("5g_sites") == sample_size
    log = ws.log()
    assert list(log["action"]) == ["replace", "remove", "revert", "revert"]
    assert list(log["detail"].iloc[2:]) == ["reverts #2", "reverts #1"]
    assert list(log["who"].iloc[2:]) == ["admin", "admin"]
    with pytest.raises(DataError, match="was undone already"):
        ws.revert(1)
    with pytest.raises(DataError, match="no change #99") as exc:
        ws.revert(99)
    assert exc.value.message.zh == "工作区日志中没有第 99 条更改"
    with pytest.raises(DataError, match="cannot be reverted; reverted can be"):
        ws.revert(3)


def test_purge_drops_the_rows_kept_for_revert(ws: Workspace, gbk: ImportResult) -> None:
    a = ws.add(gbk)
    ws.remove(a)
    assert f"removed_{a}" in {str(n) for n in pyogrio.list_layers(ws.path)[:, 0]}
    with pytest.raises(UnknownKeyError):
        ws.load(a)  # removed means removed for every reader
    assert ws.purge(who="admin") == 1
    assert f"removed_{a}" not in {str(n) for n in pyogrio.list_layers(ws.path)[:, 0]}
    with pytest.raises(DataError, match="the rows were purged"):
        ws.revert(2)
    assert list(ws.log()["action"]) == ["import", "remove", "purge"]
    assert ws.log()["detail"].iloc[-1] == "1 removed entries"


def test_the_size_limit_refuses_growth_but_not_removal(tmp_path: Path, gbk: ImportResult) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    first = ws.add(gbk)
    size = ws.path.stat().st_size
    small = Workspace(ws.path, max_bytes=size + 1000)  # room for the log, not for another import
    before = ws.path.read_bytes()
    with pytest.raises(WorkspaceFullError) as exc:
        small.add(gbk, who="li")
    assert "over its limit of" in str(exc.value)
    assert "ZZGEO_WORKSPACE_MAX_MB" in str(exc.value)
    assert "超过" in exc.value.text("zh")
    assert ws.path.read_bytes() == before  # nothing written, no temporary file left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws.gpkg", "ws.gpkg.lock"]
    with pytest.raises(WorkspaceFullError):
        small.add_proposals(_proposals(50))
    small.remove(first)  # removing always works, as does purging
    small.purge()
    assert small.entries().empty


def test_the_limit_comes_from_the_settings(fresh_settings: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fresh_settings.setenv("ZZGEO_WORKSPACE_MAX_MB", "0.5")
    assert Workspace(tmp_path / "ws.gpkg").max_bytes == 500_000


def test_the_stamp_changes_with_every_change(ws: Workspace, gbk: ImportResult) -> None:
    assert ws.stamp() is None
    stamps = []
    for _ in range(3):
        ws.add(gbk)
        stamps.append(ws.stamp())
    ws.remove(str(ws.entries()["id"].iloc[0]))
    stamps.append(workspace_stamp(ws.path))
    assert len(set(stamps)) == 4
    assert ws.stamp() == stamps[-1]  # and stays put while nothing changes


def test_a_workspace_of_an_older_zzgeo_is_read(tmp_path: Path, gbk: ImportResult, sample_size: int) -> None:
    path = tmp_path / "old.gpkg"
    meta = pd.DataFrame(
        [{"id": "abc123", "kind": "5g_sites", "file": "old.csv", "imported_at": "2026-01-01T00:00:00+00:00",
          "rows_accepted": 5, "rows_rejected": 0, "mode": "add", "crs": "WGS-84"}]
    )  # fmt: skip
    pyogrio.write_dataframe(meta, path, layer="zzgeo_imports", driver="GPKG")
    pyogrio.write_dataframe(gbk.layer.assign(synthetic=False), path, layer="import_abc123", driver="GPKG")
    ws = Workspace(path)
    entries = ws.entries()
    assert list(entries["id"]) == ["abc123"]
    assert list(entries["who"]) == [""]
    assert ws.log().empty
    assert len(ws.layer("5g_sites")) == sample_size + 5
    ws.remove("abc123", who="li")  # the first change writes the new columns and starts the log
    assert list(ws.log()["action"]) == ["remove"]
    assert ws.revert(1) == "restored abc123"


def test_clean_leftovers_removes_a_killed_writers_files(ws: Workspace, gbk: ImportResult) -> None:
    ws.add(gbk)
    folder = ws.path.parent
    stale = [folder / ".ws.x1y2z3.gpkg", folder / ".ws.x1y2z3.gpkg-journal"]
    for path in stale:
        path.write_bytes(b"half a write")
    other = folder / "notes.txt"
    other.write_text("mine")
    assert sorted(ws.clean_leftovers()) == sorted(stale)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "ws.gpkg", "ws.gpkg.lock"]
    assert len(ws.entries()) == 1
