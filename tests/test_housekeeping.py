"""zzgeo.housekeeping: upload folders of killed processes are removed at the next start; live ones stay."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from zzgeo import housekeeping
from zzgeo.housekeeping import LOCK_NAME, clean_at_start, clean_stale_temp_dirs, owned_temp_dir
from zzgeo.settings import Settings

CHILD = """
import sys, time
from zzgeo.housekeeping import owned_temp_dir
folder = owned_temp_dir(root=sys.argv[1])
(folder / "upload.csv").write_text("a user's file")
print(folder, flush=True)
time.sleep(60)
"""


def _child(root: Path) -> tuple[subprocess.Popen[str], Path]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(root)], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    return proc, Path(proc.stdout.readline().strip())


def test_a_killed_processs_folder_goes_a_living_ones_stays(tmp_path: Path) -> None:
    dead, dead_folder = _child(tmp_path)
    alive, alive_folder = _child(tmp_path)
    try:
        dead.send_signal(signal.SIGKILL)  # no atexit, no finally: the folder stays behind
        dead.wait(timeout=30)
        assert (dead_folder / "upload.csv").exists()
        removed = clean_stale_temp_dirs(root=tmp_path)
        assert removed == [dead_folder]
        assert not dead_folder.exists()
        assert (alive_folder / "upload.csv").exists()  # another worker's upload in progress
    finally:
        for proc in (dead, alive):
            proc.kill()
            proc.wait(timeout=30)
            assert proc.stdout is not None
            proc.stdout.close()
    assert clean_stale_temp_dirs(root=tmp_path) == [alive_folder]


def test_own_folders_stay_and_go_at_exit(tmp_path: Path) -> None:
    mine = owned_temp_dir(root=tmp_path)
    assert (mine / LOCK_NAME).exists()
    assert oct(mine.stat().st_mode & 0o777) == "0o700"
    assert clean_stale_temp_dirs(root=tmp_path) == []
    housekeeping._release(mine)  # what atexit does
    assert not mine.exists()


def test_folders_without_a_lock_go_when_old(tmp_path: Path) -> None:
    old = tmp_path / "zzgeo-uploads-old"
    new = tmp_path / "zzgeo-uploads-new"
    other = tmp_path / "someone-else"
    for folder in (old, new, other):
        folder.mkdir()
    day_ago = time.time() - housekeeping.UNLOCKED_MAX_AGE - 60
    os.utime(old, (day_ago, day_ago))
    os.utime(other, (day_ago, day_ago))
    assert clean_stale_temp_dirs(root=tmp_path) == [old]
    assert new.exists()
    assert other.exists()


def test_clean_at_start_cleans_the_workspace_folder_too(tmp_path: Path) -> None:
    settings = Settings(workspace_path=tmp_path / "ws.gpkg")
    leftover = tmp_path / ".ws.abcd.gpkg"
    leftover.write_bytes(b"half")
    out = clean_at_start(settings)
    assert out["workspace"] == [leftover]
    assert not leftover.exists()
