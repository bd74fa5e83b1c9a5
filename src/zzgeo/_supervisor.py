"""The supervisor of an import job (see :mod:`zzgeo.jobs`), light enough to start at once.

Run as a script (``python .../_supervisor.py FOLDER``), it imports only the standard library
and zzgeo's message texts (loaded from ``messages.py`` beside it, itself standard library
only): no geopandas, so it starts in a few milliseconds and costs a few MB per job. It starts
the worker (``python -m zzgeo.jobs work FOLDER``), enforces the wall-time limit, turns a
cancel into a kill, and writes the final status when the worker could not.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

FINAL = ("done", "failed", "cancelled")
POLL_S = 0.05


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write JSON atomically (a reader sees the old or the new file, never half of one)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``, or None when missing or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def set_status(folder: Path, **changes: Any) -> dict[str, Any]:
    """Update the job's ``status.json`` (read, change, write atomically); the new status."""
    current = read_json(folder / "status.json") or {}
    current.update(changes, updated=time.time())
    write_json(folder / "status.json", current)
    return current


def fail(folder: Path, message: Any, state: str = "failed", **more: Any) -> None:
    """Mark the job failed (or cancelled) with a zh/en message (:class:`zzgeo.messages.Text`)."""
    set_status(folder, state=state, stage="done", **message.fields("error"), **more)


def _say() -> Any:
    spec = importlib.util.spec_from_file_location("_zzgeo_messages", Path(__file__).with_name("messages.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module.text


def supervise(folder: Path) -> int:
    """Run the job in ``folder`` to its end; the exit code of this process."""
    request = read_json(folder / "job.json")
    if request is None:
        return 2
    say = _say()
    limits = request["limits"]
    time_s = float(limits["time_s"])
    memory_mb = float(limits["memory_mb"])
    file = request["file"]
    (folder / "pid").write_text(str(os.getpid()))
    set_status(folder, state="running", stage="starting")
    worker = subprocess.Popen([sys.executable, "-m", "zzgeo.jobs", "work", str(folder)], stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + time_s
    reason = None
    while True:
        pid, code, usage = os.wait4(worker.pid, os.WNOHANG)
        if pid:
            break
        if (folder / "cancel").exists():
            reason = say("job_cancelled", where=file)
        elif time.monotonic() > deadline:
            reason = say("limit_time", where=file, limit=f"{time_s:g}")
        if reason is not None:
            worker.kill()
            _, code, usage = os.wait4(worker.pid, 0)
            break
        time.sleep(POLL_S)
    worker.returncode = os.waitstatus_to_exitcode(code)  # reaped here, not by Popen
    status = read_json(folder / "status.json") or {}
    if status.get("state") in FINAL:
        return 0
    peak_mb = round(usage.ru_maxrss / 1024, 1)
    if reason is not None:
        fail(folder, reason, state="cancelled" if (folder / "cancel").exists() else "failed", peak_mb=peak_mb)
        return 0
    rc = worker.returncode
    if rc in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT, 3) and peak_mb > 0.6 * memory_mb:
        fail(folder, say("limit_memory", where=file, limit=f"{memory_mb:g}"), peak_mb=peak_mb)
    else:
        fail(folder, say("job_failed", where=file, code=rc), peak_mb=peak_mb)
    return 0


if __name__ == "__main__":  # pragma: no cover - the job's supervisor process
    sys.exit(supervise(Path(sys.argv[1])))
