"""Imports (and renders) as bounded, isolated jobs: a separate process with limits, progress, cancel and caps.

A web server must not parse a user's file in its own process: a hostile file (a 780 kB
workbook that inflates to a million rows, a recursive SQL view, 10^6 columns) would take
its time and memory from every other visitor. :class:`JobManager` runs each import in a
process of its own and keeps everything about it in a folder under a root the caller
chooses (beside the workspace, so every gunicorn worker sees every job)::

    root/<token>/job.json      what was asked (kind, CRS, user, limits), written once
    root/<token>/input.<ext>   the file, moved or copied in (deleted once read)
    root/<token>/status.json   state, stage, rows done/total, error (rewritten atomically)
    root/<token>/result/       the ImportResult (GeoParquet, Parquet, JSON: no pickle)

The job process is a small supervisor and the worker it starts. The worker sets its own
limits before reading (``RLIMIT_AS`` for memory, a lower CPU priority) and passes the
import limits (columns, cell length, rows, layers, JSON depth, unpacked size) to
:func:`zzgeo.imports.import_file`; the supervisor enforces the wall time (it kills the
worker: a recursive SQL view spinning inside SQLite cannot run on), turns a cancel into a
kill, and writes the final status when the worker could not (killed, out of memory).
The same machinery runs renders (:meth:`JobManager.start_render`: a map sheet or the briefing
report of :mod:`zzgeo.briefing`, whose inputs are written to ``input/`` as GeoParquet and whose
output is ``result/<name>``, read back with :meth:`JobManager.output`): a report takes seconds
of CPU, which a web server's request threads must not spend.
Tokens are random (``secrets.token_urlsafe``); folders expire after ``ttl`` seconds and
:meth:`JobManager.cleanup_stale` removes them, and those of jobs whose process died with
the server.

Every limit error names its limit and the setting that raises it, in English and Chinese
(:mod:`zzgeo.messages`). The settings (:mod:`zzgeo.settings`): ``ZZGEO_JOB_TIME_S``,
``ZZGEO_JOB_MEMORY_MB``, ``ZZGEO_JOBS_PER_USER``, ``ZZGEO_JOBS_TOTAL``, ``ZZGEO_JOB_TTL_S``,
``ZZGEO_MAX_ROWS``, ``ZZGEO_MAX_XLSX_ROWS``, ``ZZGEO_MAX_COLUMNS``, ``ZZGEO_MAX_CELL_CHARS``,
``ZZGEO_MAX_LAYERS``, ``ZZGEO_MAX_JSON_DEPTH``, ``ZZGEO_MAX_UNPACKED_MB`` and
``ZZGEO_MAX_UPLOAD_MB``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import logging
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zzgeo._supervisor import fail, set_status
from zzgeo._supervisor import read_json as _read_json
from zzgeo._supervisor import write_json as _write_json
from zzgeo.errors import DataError, ZzgeoError
from zzgeo.messages import Text
from zzgeo.messages import text as say
from zzgeo.settings import get_settings

__all__ = ["JobError", "JobLimits", "JobManager", "JobStatus"]

logger = logging.getLogger(__name__)

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_ACTIVE = ("queued", "running")
_FINAL = ("done", "failed", "cancelled")
_POLL_S = 0.05
_SUPERVISOR = str(Path(__file__).with_name("_supervisor.py"))
_JOB_BATCH_ROWS = 100_000  # smaller batches than the CLI's: a progress bar that moves every second or so


class JobError(ZzgeoError):
    """A job cannot be started or found (caps reached, unknown token)."""


@dataclass(frozen=True)
class JobLimits:
    """Limits of one import job (see :mod:`zzgeo.settings` for the defaults)."""

    time_s: float = 600.0
    memory_mb: float = 4096.0
    max_bytes: int | None = None
    max_rows: int | None = 5_000_000
    max_xlsx_rows: int | None = 200_000
    max_columns: int | None = 500
    max_cell_chars: int | None = 10_000
    max_layers: int | None = 100
    max_json_depth: int | None = 64
    max_unpacked_mb: float | None = 1000.0

    @classmethod
    def from_settings(cls) -> JobLimits:
        """The limits of the ``ZZGEO_*`` settings (the upload size limit included)."""
        s = get_settings()
        return cls(
            time_s=s.job_time_s,
            memory_mb=s.job_memory_mb,
            max_bytes=s.max_upload_bytes,
            max_rows=s.max_rows,
            max_xlsx_rows=s.max_xlsx_rows,
            max_columns=s.max_columns,
            max_cell_chars=s.max_cell_chars,
            max_layers=s.max_layers,
            max_json_depth=s.max_json_depth,
            max_unpacked_mb=s.max_unpacked_mb,
        )


@dataclass(frozen=True)
class JobStatus:
    """Where a job is: ``state`` is queued, running, done, failed or cancelled.

    ``stage`` ("starting", "reading", "checking", "saving", "done"), ``rows`` checked so far
    and ``rows_total`` (None while unknown), ``fraction`` (0-1, None while unknown);
    ``error`` says why a job failed, in English and Chinese (a :class:`~zzgeo.messages.Text`;
    ``status.json`` keeps it as ``error``/``error_zh``, :meth:`Text.fields`).
    """

    token: str
    state: str
    stage: str = "starting"
    rows: int = 0
    rows_total: int | None = None
    fraction: float | None = None
    error: Text | None = None
    user: str = ""
    file: str = ""
    started: float = 0.0
    updated: float = 0.0
    peak_mb: float | None = None  # the worker's peak resident memory, once it has ended

    @property
    def finished(self) -> bool:
        """True once the job is done, failed or cancelled."""
        return self.state in _FINAL


# --------------------------------------------------------------------------------------------
# Files of a job
# --------------------------------------------------------------------------------------------


def _status_of(folder: Path) -> JobStatus | None:
    data = _read_json(folder / "status.json")
    if data is None:
        return None
    fields = {f.name for f in dataclasses.fields(JobStatus)} - {"error"}
    try:
        return JobStatus(**{k: v for k, v in data.items() if k in fields}, error=Text.from_fields(data, "error"))
    except TypeError:
        return None


def _set_status(folder: Path, **changes: Any) -> None:
    set_status(folder, **changes)


def _fail(folder: Path, message: Text, state: str = "failed", **more: Any) -> None:
    fail(folder, message, state, **more)


def _peak_mb() -> float:
    """The peak resident memory of the calling process, in MB."""
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _pid(folder: Path, name: str = "pid") -> int | None:
    """The supervisor's pid (``pid``, written by it) or the job's process group (``pgid``)."""
    try:
        return int((folder / name).read_text())
    except (OSError, ValueError):
        return None


def _alive(pid: int | None, token: str) -> bool:
    """Whether process ``pid`` is this job's supervisor (not a reused pid)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        try:
            return token.encode() in cmdline.read_bytes()
        except OSError:
            return False
    return True


# --------------------------------------------------------------------------------------------
# The manager (in the web server or any caller)
# --------------------------------------------------------------------------------------------


class JobManager:
    """Start, watch, cancel and collect import jobs kept under ``root``.

    Parameters
    ----------
    root : str or Path
        Folder of the job folders (created, mode 0700). Every process that uses the same
        root (several gunicorn workers) sees the same jobs.
    per_user, total : int, optional
        Jobs running at once per user and in all; default ``ZZGEO_JOBS_PER_USER`` and
        ``ZZGEO_JOBS_TOTAL``.
    ttl : float, optional
        Seconds a finished job's folder is kept; default ``ZZGEO_JOB_TTL_S``.
    limits : JobLimits, optional
        Default :meth:`JobLimits.from_settings`.
    """

    def __init__(
        self,
        root: str | Path,
        *,
        per_user: int | None = None,
        total: int | None = None,
        ttl: float | None = None,
        limits: JobLimits | None = None,
    ) -> None:
        settings = get_settings()
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.per_user = per_user if per_user is not None else settings.jobs_per_user
        self.total = total if total is not None else settings.jobs_total
        self.ttl = ttl if ttl is not None else settings.job_ttl_s
        self.limits = limits or JobLimits.from_settings()

    # -- where things are ------------------------------------------------------------------

    def _folder(self, token: object) -> Path:
        if not isinstance(token, str) or not _TOKEN.match(token):
            raise JobError.of(say("job_unknown", token=str(token)[:40]))
        folder = self.root / token
        if not (folder / "job.json").exists():
            raise JobError.of(say("job_unknown", token=token))
        return folder

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        with (self.root / ".lock").open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _active(self) -> list[JobStatus]:
        """Jobs queued or running whose process is alive (dead ones are marked failed)."""
        out = []
        for folder in self.root.iterdir():
            if not folder.is_dir() or not _TOKEN.match(folder.name):
                continue
            status = self._refresh(folder)
            if status is not None and status.state in _ACTIVE:
                out.append(status)
        return out

    def _refresh(self, folder: Path) -> JobStatus | None:
        """The status, after marking a job whose process is gone as failed."""
        status = _status_of(folder)
        if status is None or status.state not in _ACTIVE:
            return status
        pid = _pid(folder)
        if status.state == "queued" and time.time() - status.started < 30:
            return status  # the process is being started
        if not _alive(pid, folder.name):
            status = _status_of(folder)  # it may have finished meanwhile
            if status is not None and status.state in _ACTIVE:
                _fail(folder, say("job_failed", where=status.file, code="unknown"))
                status = _status_of(folder)
        return status

    # -- the API -----------------------------------------------------------------------------

    def start(
        self,
        path: str | Path,
        kind: str,
        crs: str | None = None,
        *,
        user: str,
        name: str | None = None,
        layer: str | None = None,
        encoding: str | None = None,
        keep_columns: bool = False,
        move: bool = False,
    ) -> str:
        """Start importing ``path`` as ``kind`` for ``user``; return the job's token at once.

        ``name`` is the file name shown in messages (default: ``path``'s name); ``move``
        moves the file into the job folder (an upload's temporary file) instead of copying.

        Raises
        ------
        JobError
            When ``user`` already runs ``per_user`` jobs or ``total`` jobs run in all.
        UnknownKeyError
            For an unknown ``kind`` or ``crs`` (listing the valid ones).
        DataError
            When the file is missing or over the upload size limit.
        """
        from zzgeo.crs import parse_crs
        from zzgeo.layers import get_spec

        get_spec(kind)  # an unknown kind or CRS is the caller's error: say so now
        parse_crs(crs)
        source = Path(path)
        file = name or source.name
        if not source.is_file():
            raise DataError.of(say("file_is_folder" if source.is_dir() else "file_not_found", where=file))
        size = source.stat().st_size
        if self.limits.max_bytes is not None and size > self.limits.max_bytes:
            from zzgeo._readers import size_text

            raise DataError.of(
                say("file_too_big", where=file, size=size_text(size), limit=size_text(self.limits.max_bytes))
            )
        token, folder, now = self._reserve(user, file)
        suffix = "".join(source.suffixes[-1:])[:10] if re.fullmatch(r"[\w.]*", "".join(source.suffixes)) else ""
        target = folder / f"input{suffix}"
        if move:
            shutil.move(str(source), target)
        else:
            shutil.copyfile(source, target)
        request = {
            "token": token,
            "user": user,
            "file": file,
            "input": target.name,
            "kind": kind,
            "crs": crs,
            "layer": layer,
            "encoding": encoding,
            "keep_columns": keep_columns,
            "limits": dataclasses.asdict(self.limits),
            "created": now,
        }
        self._launch(folder, request)
        logger.info("job %s: %s for %s (%s)", token[:8], file, user, kind)
        return token

    def _reserve(self, user: str, file: str) -> tuple[str, Path, float]:
        """A new job's token, folder and start time, within the caps (else :class:`JobError`)."""
        with self._lock():
            active = self._active()
            mine = [s for s in active if s.user == user]
            if len(mine) >= self.per_user:
                raise JobError.of(say("limit_jobs_user", n=len(mine)))
            if len(active) >= self.total:
                raise JobError.of(say("limit_jobs_total", n=len(active)))
            token = secrets.token_urlsafe(24)
            folder = self.root / token
            folder.mkdir(mode=0o700)
            now = time.time()
            first = {"token": token, "state": "queued", "stage": "starting", "user": user, "file": file}
            _write_json(folder / "status.json", {**first, "started": now, "updated": now})
        return token, folder, now

    def _launch(self, folder: Path, request: dict[str, Any]) -> None:
        """Write the job's request and start its process (detached)."""
        _write_json(folder / "job.json", request)
        # The job runs detached (a shell starts it in the background and exits at once): it is not
        # this process's child, so nothing here must reap it, and it outlives a recycled worker.
        with (folder / "job.log").open("ab") as log:
            launcher = subprocess.Popen(
                ["/bin/sh", "-c", 'exec "$@" &', "sh", sys.executable, _SUPERVISOR, str(folder)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # its own process group: cancel kills the job and its worker
                close_fds=True,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
            )
            launcher.wait()
        (folder / "pgid").write_text(str(launcher.pid))

    def start_render(self, task: dict[str, Any], frames: dict[str, Any], *, user: str, name: str) -> str:
        """Start a render (:mod:`zzgeo.briefing`: a map sheet or the report) for ``user``; its token.

        ``frames`` (name -> DataFrame or GeoDataFrame) are written into the job's folder as
        (Geo)Parquet, with their plain ``attrs``; ``name`` is the output's file name. The caps
        on jobs hold as for imports; :meth:`output` gives the bytes once it is done.
        """
        import geopandas as gpd

        if not re.fullmatch(r"[\w.-]{1,120}", name):
            raise JobError(f"bad output name {name!r}")
        token, folder, now = self._reserve(user, name)
        try:
            inputs = folder / "input"
            inputs.mkdir(mode=0o700)
            attrs = {}
            for i, (key, frame) in enumerate(frames.items()):
                if frame is None:
                    continue
                path = inputs / f"{i}.parquet"
                frame = frame.reset_index(drop=True)
                if isinstance(frame, gpd.GeoDataFrame):
                    frame.to_parquet(path)
                else:
                    frame.to_parquet(path, index=False)
                plain = {k: v for k, v in frames[key].attrs.items() if isinstance(v, (str, int, float, bool))}
                attrs[key] = {"file": path.name, "geo": isinstance(frame, gpd.GeoDataFrame), "attrs": plain}
        except Exception:
            _fail(folder, say("job_failed", where=name, code="input"))
            raise
        request = {
            "token": token, "user": user, "file": name, "task": "render", "render": task, "frames": attrs,
            "output": name, "limits": dataclasses.asdict(self.limits), "created": now,
        }  # fmt: skip
        self._launch(folder, request)
        logger.info("render %s: %s for %s", token[:8], name, user)
        return token

    def output(self, token: str) -> tuple[str, bytes]:
        """The file name and bytes of a finished render.

        Raises :class:`DataError` with the job's message (zh and en) when it failed or was
        cancelled, :class:`JobError` while it runs or when there is no such render.
        """
        status = self.status(token)
        if not status.finished:
            raise JobError("the render has not finished")
        if status.state != "done":
            raise DataError(status.error or Text(en="the render did not finish", zh="绘制未完成"))
        folder = self._folder(token)
        request = _read_json(folder / "job.json") or {}
        name = str(request.get("output") or "")
        if request.get("task") != "render" or not name:
            raise JobError.of(say("job_unknown", token=token))
        return name, (folder / "result" / name).read_bytes()

    def status(self, token: str) -> JobStatus:
        """The job's status (any process with the same root can ask)."""
        folder = self._folder(token)
        status = self._refresh(folder)
        if status is None:
            raise JobError.of(say("job_unknown", token=token))
        return status

    def wait(self, token: str, timeout: float | None = None) -> JobStatus:
        """Wait until the job has finished (or ``timeout`` seconds passed); its status."""
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            status = self.status(token)
            if status.finished or (end is not None and time.monotonic() >= end):
                return status
            time.sleep(_POLL_S)

    def cancel(self, token: str) -> JobStatus:
        """Stop the job now (its processes are killed); a finished job is left as it is."""
        folder = self._folder(token)
        status = self._refresh(folder)
        if status is None or status.finished:
            return self.status(token)
        (folder / "cancel").touch()
        group = _pid(folder, "pgid")
        if group and (_alive(_pid(folder), token) or status.state == "queued"):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
            end = time.monotonic() + 5
            while time.monotonic() < end:
                try:
                    os.killpg(group, 0)
                except (ProcessLookupError, PermissionError):
                    break
                time.sleep(_POLL_S)
        current = _status_of(folder)
        if current is None or not current.finished:
            _fail(folder, say("job_cancelled", where=status.file), state="cancelled")
        return self.status(token)

    def result(self, token: str) -> Any:
        """The :class:`zzgeo.imports.ImportResult` of a finished job, loaded from its folder.

        Returns None while the job runs. Raises :class:`DataError` with the job's own
        message (zh and en) when it failed or was cancelled.
        """
        from zzgeo.imports import ImportResult

        status = self.status(token)
        if not status.finished:
            return None
        if status.state != "done":
            raise DataError(status.error or Text(en="the import did not finish", zh="导入未完成"))
        return ImportResult.load(self._folder(token) / "result")

    def remove(self, token: str) -> None:
        """Cancel the job if it runs and delete its folder."""
        self.cancel(token)
        shutil.rmtree(self._folder(token), ignore_errors=True)

    def cleanup_stale(self, now: float | None = None) -> int:
        """Delete folders of jobs finished more than ``ttl`` s ago, and of jobs whose process died.

        The server calls it at start (jobs of a previous run cannot finish) and from time to
        time. Returns the number of folders removed.
        """
        now = time.time() if now is None else now
        removed = 0
        with self._lock():
            for folder in list(self.root.iterdir()):
                if not folder.is_dir():
                    continue
                status = _status_of(folder) if _TOKEN.match(folder.name) else None
                if status is None:
                    age = now - folder.stat().st_mtime
                    stale = age > min(self.ttl, 60)  # a half-made folder (crash during start)
                else:
                    if status.state in _ACTIVE:
                        status = self._refresh(folder) or status  # a dead job is marked failed
                    stale = status.finished and now - status.updated > self.ttl
                if stale:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
        return removed


# --------------------------------------------------------------------------------------------
# The job process: supervisor and worker (python -m zzgeo.jobs supervise|work FOLDER)
# --------------------------------------------------------------------------------------------


def _limit_self(limits: JobLimits) -> None:
    """Limits of the worker process: memory, CPU time, a lower priority."""
    import resource

    memory = int(limits.memory_mb * 1024 * 1024)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits.time_s) + 5
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    with contextlib.suppress(OSError):
        os.nice(10)  # web requests first


def _render_frames(folder: Path, request: dict[str, Any]) -> dict[str, Any]:
    import geopandas as gpd
    import pandas as pd

    frames: dict[str, Any] = {}
    for key, spec in request.get("frames", {}).items():
        path = folder / "input" / spec["file"]
        frame = gpd.read_parquet(path) if spec["geo"] else pd.read_parquet(path)
        frame.attrs.update(spec.get("attrs", {}))
        frames[key] = frame
    return frames


def _work_render(folder: Path, request: dict[str, Any]) -> int:
    """The worker of a render (:mod:`zzgeo.briefing`): the output goes to ``result/<output>``."""
    limits = JobLimits(**request["limits"])
    _limit_self(limits)
    name = request["output"]
    try:
        from zzgeo.briefing import render_task

        last = 0.0

        def progress(stage: str, fraction: float) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= 0.2 or stage == "done":
                last = now
                _set_status(folder, stage=stage, fraction=fraction)

        _set_status(folder, stage="reading", fraction=0.0)
        data = render_task(request["render"], _render_frames(folder, request), progress)
        _set_status(folder, stage="saving", fraction=0.99)
        (folder / "result").mkdir(exist_ok=True)
        tmp = folder / "result" / f".{name}.part"
        tmp.write_bytes(data)
        os.replace(tmp, folder / "result" / name)
        outcome: dict[str, Any] = {"state": "done", "fraction": 1.0, "rows": len(data)}
    except Exception as exc:
        outcome = _failure(exc, name, limits.memory_mb, "render", folder)
    shutil.rmtree(folder / "input", ignore_errors=True)
    _set_status(folder, stage="done", peak_mb=_peak_mb(), **outcome)
    return 0


def _failure(exc: Exception, where: str, memory_mb: float, what: str, folder: Path) -> dict[str, Any]:
    """The status of a job that failed with ``exc``, called in the ``except``.

    A ZzgeoError's own message, the memory limit's, or a short message (the traceback goes to job.log).
    """
    if isinstance(exc, ZzgeoError):
        return {"state": "failed", **Text(en=str(exc), zh=exc.message.zh).fields("error")}
    if isinstance(exc, MemoryError):
        message = say("limit_memory", where=where, limit=f"{memory_mb:g}")
    else:
        logger.exception("%s %s failed", what, folder.name)
        message = say("job_failed", where=where, code=type(exc).__name__)
    return {"state": "failed", **message.fields("error")}


def _work(folder: Path) -> int:
    request = _read_json(folder / "job.json")
    if request is None:
        return 2
    if request.get("task") == "render":
        return _work_render(folder, request)
    limits = JobLimits(**request["limits"])
    _limit_self(limits)
    file = request["file"]
    try:
        from zzgeo._readers import ImportLimits
        from zzgeo.imports import ImportProgress, import_file

        last = 0.0

        def progress(p: ImportProgress) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= 0.2 or p.stage == "done":
                last = now
                _set_status(folder, stage=p.stage, rows=p.rows, rows_total=p.rows_total, fraction=p.fraction)

        _set_status(folder, stage="reading")
        import_limits = ImportLimits(
            max_columns=limits.max_columns,
            max_cell_chars=limits.max_cell_chars,
            max_rows=limits.max_rows,
            max_xlsx_rows=limits.max_xlsx_rows,
            max_layers=limits.max_layers,
            max_json_depth=limits.max_json_depth,
            max_unpacked_bytes=int(limits.max_unpacked_mb * 1_000_000) if limits.max_unpacked_mb else None,
        )
        result = import_file(
            folder / request["input"],
            request["kind"],
            request["crs"],
            layer=request["layer"],
            name=file,
            max_bytes=limits.max_bytes,
            encoding=request["encoding"],
            keep_columns=bool(request["keep_columns"]),
            limits=import_limits,
            progress=progress,
            batch_rows=_JOB_BATCH_ROWS,
        )
        _set_status(folder, stage="saving")
        result.save(folder / "result")
        outcome: dict[str, Any] = {"state": "done", "rows": result.rows_total, "rows_total": result.rows_total,
                                   "fraction": 1.0}  # fmt: skip
    except Exception as exc:
        outcome = _failure(exc, file, limits.memory_mb, "job", folder)
    # The user's file is not kept once read (the result holds every row), and is gone before the
    # job says it has finished.
    with contextlib.suppress(OSError):
        (folder / request["input"]).unlink()
    _set_status(folder, stage="done", peak_mb=_peak_mb(), **outcome)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m zzgeo.jobs work FOLDER``: the worker (started by the job's supervisor)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "work":
        print("usage: python -m zzgeo.jobs work FOLDER", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return _work(Path(args[1]))


if __name__ == "__main__":  # pragma: no cover - the job process
    sys.exit(main())
