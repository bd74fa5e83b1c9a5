"""Private temporary folders that a crash cannot leave behind for good.

A server process that is killed (``kill -9``, out of memory, power cut) runs no clean-up:
``atexit`` handlers and ``finally`` blocks never run, and a user's uploaded file would stay
in the temporary folder. :func:`owned_temp_dir` makes a private folder (mode 0700) with a
lock file that its process holds locked (``flock``) for as long as it lives; the kernel
releases the lock when the process dies, however it dies. :func:`clean_stale_temp_dirs`,
called when a server starts, deletes the folders whose lock nobody holds any more: their
owner is gone. Folders of running processes (another worker, another server) stay.

:func:`clean_at_start` does that and removes the temporary files a killed workspace writer
left (:meth:`zzgeo.workspace.Workspace.clean_leftovers`).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import logging
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

from zzgeo.settings import Settings, get_settings

__all__ = ["LOCK_NAME", "UPLOAD_PREFIX", "clean_at_start", "clean_stale_temp_dirs", "owned_temp_dir"]

logger = logging.getLogger(__name__)

#: prefix of the app's upload folders in the system's temporary folder
UPLOAD_PREFIX = "zzgeo-uploads-"
#: the lock file inside an owned folder
LOCK_NAME = ".owner.lock"
#: folders without a lock file (made before zzgeo had one) are stale after this long unmodified (s)
UNLOCKED_MAX_AGE = 24 * 3600

_HELD: dict[Path, IO[bytes]] = {}  # folder -> its open, locked lock file (for the process's life)
_LOCK = threading.Lock()


def owned_temp_dir(prefix: str = UPLOAD_PREFIX, root: str | Path | None = None) -> Path:
    """A new private folder (mode 0700) held by this process; removed at exit or by the next start after a crash.

    Parameters
    ----------
    prefix : str
        Start of the folder's name.
    root : str or Path, optional
        Where to make it; default the system's temporary folder.
    """
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
    lock = open(folder / LOCK_NAME, "wb")  # noqa: SIM115 - held open until the process ends
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with _LOCK:
        _HELD[folder] = lock
    atexit.register(_release, folder)
    return folder


def _release(folder: Path) -> None:
    with _LOCK:
        lock = _HELD.pop(folder, None)
    shutil.rmtree(folder, ignore_errors=True)
    if lock is not None:
        lock.close()


def clean_stale_temp_dirs(prefix: str = UPLOAD_PREFIX, root: str | Path | None = None) -> list[Path]:
    """Delete folders ``<root>/<prefix>*`` of this user whose owner process is gone; return them.

    A folder with a lock file is stale when its lock can be taken (no process holds it); a
    folder without one (made by an older zzgeo) when unmodified for :data:`UNLOCKED_MAX_AGE`.
    """
    base = Path(root) if root is not None else Path(tempfile.gettempdir())
    removed: list[Path] = []
    try:
        candidates = sorted(base.glob(f"{prefix}*"))
    except OSError:
        return []
    for folder in candidates:
        try:
            info = folder.lstat()
        except OSError:
            continue
        if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid():
            continue
        with _LOCK:
            if folder in _HELD:
                continue
        if _stale(folder, info.st_mtime):
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                removed.append(folder)
    if removed:
        logger.warning("removed %d upload folder(s) left by stopped servers in %s", len(removed), base)
    return removed


def _stale(folder: Path, mtime: float) -> bool:
    lock_path = folder / LOCK_NAME
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return time.time() - mtime > UNLOCKED_MAX_AGE
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live process holds it
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def clean_at_start(settings: Settings | None = None) -> dict[str, list[Path]]:
    """What a starting server removes: stale upload folders and a killed writer's workspace files.

    Safe while other processes of the same server run (their folders are locked, and the
    workspace is cleaned under its lock).
    """
    from zzgeo.workspace import Workspace

    settings = settings or get_settings()
    out = {"uploads": clean_stale_temp_dirs(), "workspace": []}
    with contextlib.suppress(OSError):
        out["workspace"] = Workspace(settings.workspace_path).clean_leftovers()
    return out
