"""Server side of the import panel: an upload becomes an import job; its progress and result.

An upload arrives as a ``data:...;base64,...`` string (dcc.Upload). It is size-checked
before it is decoded, decoded strictly and written to a file the server names itself in a
private temporary folder (the user's file name is only used for messages). A GeoPackage's
layers are listed from its SQLite catalogue (:func:`zzgeo.imports.gpkg_layers`: capped, no
GDAL), so a file with several layers gets a choice before anything is read. Then the file is
moved into an import job (:class:`zzgeo.jobs.JobManager`): a process of its own with limits
on time, memory, rows, columns, cells, layers, nesting and unpacked size, which a Cancel
stops. The web process only reads the job's status; nothing is unpickled.

The jobs live in folders under one root beside the workspace (:func:`jobs_root`), so every
worker process of the server sees every job. The browser keeps the job's token; any worker
can report the job's progress, show its result (read back from the job's folder), add it to
the workspace or serve its rejected rows, until the folder expires (``ZZGEO_JOB_TTL_S``).
Accepting marks the folder (:func:`claim`): a result is added once, whichever worker is asked.
"""

from __future__ import annotations

import atexit
import base64
import binascii
import contextlib
import logging
import math
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from app.i18n import t
from zzgeo.errors import DataError, ZzgeoError
from zzgeo.imports import ImportLimits, ImportResult, gpkg_layers, sniff_format
from zzgeo.jobs import JobError, JobLimits, JobManager, JobStatus
from zzgeo.messages import Text
from zzgeo.messages import text as say
from zzgeo.settings import Settings

logger = logging.getLogger(__name__)

#: server-chosen file suffix per sniffed format (readers such as openpyxl and GDAL's
#: /vsizip/ go by the suffix)
SUFFIXES = {
    "csv": ".csv",
    "xlsx": ".xlsx",
    "geojson": ".geojson",
    "gpkg": ".gpkg",
    "shapefile": ".zip",
    "parquet": ".parquet",
}
#: room for the JSON around the base64 upload in a callback request (bytes)
REQUEST_OVERHEAD = 1_000_000
#: the file a job's folder gets once its result was added to the workspace
CLAIM_FILE = "accepted"
_BROWSER_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class UploadError(ZzgeoError):
    """An upload that cannot be read (too large, empty, damaged); the message is localized."""


def request_limit(max_bytes: int) -> int:
    """Flask's ``MAX_CONTENT_LENGTH`` for uploads of up to ``max_bytes``: base64 plus a margin."""
    return math.ceil(max_bytes * 4 / 3) + REQUEST_OVERHEAD


def _mb(n: float) -> str:
    return f"{n / 1_000_000:.1f}".rstrip("0").rstrip(".") if n < 10_000_000 else f"{n / 1_000_000:.0f}"


def decode_contents(contents: object, name: str, max_bytes: int, lang: str) -> bytes:
    """The bytes of a dcc.Upload ``contents`` string, checked against ``max_bytes``.

    The size is checked from the length of the base64 text before anything is decoded.

    Raises
    ------
    UploadError
        Too large, empty, or not a base64 data URL.
    """
    if not isinstance(contents, str) or "," not in contents:
        raise UploadError(t("import_damaged", lang, file=name))
    head, _, b64 = contents.partition(",")
    if not head.startswith("data:") or not head.endswith(";base64"):
        raise UploadError(t("import_damaged", lang, file=name))
    estimate = len(b64) // 4 * 3 - b64[-2:].count("=")
    if estimate > max_bytes:
        raise UploadError(t("import_too_big", lang, file=name, size=_mb(estimate), limit=_mb(max_bytes)))
    if not b64:
        raise UploadError(t("import_empty", lang, file=name))
    try:
        data = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise UploadError(t("import_damaged", lang, file=name)) from None
    if not data:
        raise UploadError(t("import_empty", lang, file=name))
    return data


# --------------------------------------------------------------------------------------------
# Who imports, and where the jobs live
# --------------------------------------------------------------------------------------------


def user_of(browser_id: object) -> str:
    """Who an import belongs to: only its owner sees its progress and report, cancels, accepts
    or downloads it, and the cap on jobs per user (``ZZGEO_JOBS_PER_USER``) counts per owner.

    A signed-in account: ``"account:<name>"``. Otherwise (the local user, no accounts): the
    random id the browser keeps in its local storage (``ids.IMPORT_USER``), as
    ``"browser:<id>"``; a request without a well-formed id counts as ``"anonymous"`` (all such
    requests share one allowance). A browser id is not proof of anything: clearing the
    browser's storage gives a new id (the cap on all jobs, ``ZZGEO_JOBS_TOTAL``, still holds).
    """
    import flask

    from app.auth import current_user

    if flask.has_request_context():
        me = current_user()
        if me.authenticated and me.name:
            return f"account:{me.name}"
    if isinstance(browser_id, str) and _BROWSER_ID.match(browser_id):
        return f"browser:{browser_id}"
    return "anonymous"


def jobs_root(settings: Settings) -> Path:
    """The folder of the import jobs: ``jobs/`` beside the workspace (shared by every worker process)."""
    return settings.workspace_path.parent / "jobs"


def job_limits(settings: Settings) -> JobLimits:
    """The limits of one import job from ``settings`` (the upload size limit included)."""
    return JobLimits(
        time_s=settings.job_time_s,
        memory_mb=settings.job_memory_mb,
        max_bytes=settings.max_upload_bytes,
        max_rows=settings.max_rows,
        max_xlsx_rows=settings.max_xlsx_rows,
        max_columns=settings.max_columns,
        max_cell_chars=settings.max_cell_chars,
        max_layers=settings.max_layers,
        max_json_depth=settings.max_json_depth,
        max_unpacked_mb=settings.max_unpacked_mb,
    )


def make_jobs(settings: Settings) -> JobManager:
    """The app's job manager: jobs under :func:`jobs_root`, caps, expiry and limits from ``settings``."""
    return JobManager(
        jobs_root(settings),
        per_user=settings.jobs_per_user,
        total=settings.jobs_total,
        ttl=settings.job_ttl_s,
        limits=job_limits(settings),
    )


def renders_root(settings: Settings) -> Path:
    """The folder of the render jobs (maps, reports): ``renders/`` beside the workspace."""
    return settings.workspace_path.parent / "renders"


def make_renders(settings: Settings) -> JobManager:
    """The app's render jobs (:mod:`zzgeo.briefing`): their own caps, so a report never waits for an import."""
    return JobManager(
        renders_root(settings),
        per_user=settings.jobs_per_user,
        total=settings.jobs_total,
        ttl=settings.job_ttl_s,
        limits=JobLimits(time_s=settings.job_time_s, memory_mb=settings.job_memory_mb),
    )


def upload_root() -> Path:
    """A private folder (mode 0700) for this process's upload files, made on first use."""
    global _UPLOAD_ROOT
    with _ROOT_LOCK:
        if _UPLOAD_ROOT is None or not _UPLOAD_ROOT.is_dir():
            _UPLOAD_ROOT = Path(tempfile.mkdtemp(prefix="zzgeo-uploads-"))
            atexit.register(shutil.rmtree, _UPLOAD_ROOT, True)
        return _UPLOAD_ROOT


_UPLOAD_ROOT: Path | None = None
_ROOT_LOCK = threading.Lock()


# --------------------------------------------------------------------------------------------
# Starting a job
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    """What starting an import gave: the job's token, or an error (en/zh); a GeoPackage's layers."""

    token: str | None = None
    error: Text | None = None
    layers: tuple[str, ...] = ()  # layers of a GeoPackage (offered when it has several)


def start_import(
    jobs: JobManager,
    data: bytes,
    name: str,
    kind: str,
    crs: str | None,
    layer: str | None = None,
    *,
    user: str,
    encoding: str | None = None,
    keep_columns: bool = False,
    root: Path | None = None,
) -> Started:
    """Write ``data`` to a server-named file and start an import job that takes it over.

    ``name`` (the user's file name) appears only in messages. A GeoPackage with several
    layers starts nothing until ``layer`` names one of them: the error says so and
    ``layers`` lists them. Errors a user can act on (:class:`ZzgeoError`: the file's format,
    the caps on jobs, the size limit, an unknown kind) come back as ``error``; other
    exceptions propagate. The temporary folder goes, whatever happens.
    """
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=root or upload_root()))
    try:
        path = folder / "upload.bin"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        layers: tuple[str, ...] = ()
        try:
            fmt = sniff_format(path)
            typed = path.with_name("upload" + SUFFIXES.get(fmt, ".bin"))
            path.rename(typed)
            path = typed
            if fmt == "gpkg":
                layers = gpkg_layers(path, ImportLimits(max_layers=jobs.limits.max_layers), name=name)
                if len(layers) > 1 and layer not in layers:
                    raise DataError.of(say("file_gpkg_layers", where=name, n=len(layers), layers=", ".join(layers)))
            chosen = layer if fmt == "gpkg" and layer in layers else None
            token = jobs.start(
                path, kind, crs, user=user, name=name, layer=chosen, encoding=encoding,
                keep_columns=keep_columns, move=True,
            )  # fmt: skip
        except ZzgeoError as exc:
            error = Text(en=_scrub(str(exc), path, folder, name), zh=_scrub(exc.message.zh, path, folder, name))
            return Started(error=error, layers=layers)
        return Started(token=token, layers=layers)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _scrub(message: str, path: Path, folder: Path, name: str) -> str:
    """A message without the server's temporary paths (the user's file name instead)."""
    for text in (str(path), str(folder), str(path.with_name("upload.bin")), path.name, "upload.bin"):
        message = message.replace(text, name)
    return message


# --------------------------------------------------------------------------------------------
# A job's status and result, from any worker process
# --------------------------------------------------------------------------------------------


def job_status(jobs: JobManager, token: object, user: str | None = None) -> JobStatus | None:
    """The job's status; None when there is no such job (never started, or its folder expired)
    or, with ``user`` (:func:`user_of`), when it is someone else's (a token is not a key)."""
    if not isinstance(token, str) or not token:
        return None
    try:
        status = jobs.status(token)
    except JobError:
        return None
    if user is not None and status.user != user:
        logger.warning("job %s asked for by %s, not its owner", token[:8], user)
        return None
    return status


def job_error_text(jobs: JobManager, status: JobStatus, lang: str) -> str | None:
    """Why a job failed, in ``lang``, without the server's paths (the user's file name instead)."""
    message = status.error.get(lang) if status.error else None
    if not message:
        return None
    folder = re.escape(str(jobs.root / status.token))
    message = re.sub(folder + r"/[^\s'\"(),:;]*", lambda _m: status.file, message)
    return re.sub(r"\binput\.(?:csv|xlsx|geojson|gpkg|zip|parquet|bin)\b", lambda _m: status.file, message)


def job_result(jobs: JobManager, token: object, user: str | None = None) -> ImportResult | None:
    """The result of a finished job, read from its folder.

    None when there is no such job (expired, or not ``user``'s) or it has not finished.
    Raises :class:`DataError` (the job's own message) when it failed or was cancelled.
    """
    status = job_status(jobs, token, user)
    if status is None or not status.finished:
        return None
    if status.state != "done":
        raise DataError(Text(en=job_error_text(jobs, status, "en") or status.state,
                             zh=job_error_text(jobs, status, "zh") or ""))  # fmt: skip
    try:
        result: ImportResult = jobs.result(status.token)
    except (JobError, DataError):  # the folder expired meanwhile
        logger.warning("the result of job %s could not be read", status.token[:8], exc_info=True)
        return None
    return result


def claim(jobs: JobManager, token: str) -> bool:
    """Mark the job's result as added to the workspace; False when it was already (by any worker).

    Call it after :func:`job_result` gave the result (the token is then known to be a job's).
    """
    try:
        fd = os.open(jobs.root / token / CLAIM_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    except FileNotFoundError:  # the folder expired meanwhile
        return False
    os.close(fd)
    return True


def unclaim(jobs: JobManager, token: str) -> None:
    """Undo :func:`claim` (adding to the workspace failed)."""
    with contextlib.suppress(OSError):
        (jobs.root / token / CLAIM_FILE).unlink()


def discard(jobs: JobManager, token: object, user: str | None = None) -> None:
    """Cancel the job if it runs and delete its folder (a new upload replaces it); unknown tokens
    (and, with ``user``, someone else's) are ignored."""
    if job_status(jobs, token, user) is None:
        return
    with contextlib.suppress(JobError):
        jobs.remove(str(token))
