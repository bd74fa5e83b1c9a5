"""The import job of an upload: start it, show its progress, cancel it, show its report.

The size check runs in the browser (an oversized file is never sent). The server writes an
upload to a temporary file and starts an import job (:mod:`app.upload`): the file is read in a
process of its own, with limits, while a progress bar shows its stage and rows (polled only
while the job runs) and Cancel stops it. The finished job is the pending import: its report,
"Accept" and the rejected rows (:mod:`app.features.import_panel`) read its result from the
job's folder, in whichever worker process answers. A job is its owner's
(:func:`app.upload.user_of`): anyone else's requests find no such job.

The callbacks, in order: ``start_job`` (an upload, or an option changed while a file is
loaded) -> ``poll_job`` (each tick of the interval while the job runs) -> ``show_job``
(once the job has ended, or was cancelled: the report, or why there is none); ``cancel_job``.
Their logic is in plain functions (:func:`start_view`, :func:`poll_view`, :func:`finished_view`,
:func:`cancel_view`) that return a dict of the outputs they change.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State, ctx, html
from dash.exceptions import PreventUpdate

from app import ids
from app.auth import needs
from app.context import AppContext
from app.errors import _lang_of, error_message
from app.features.import_panel import (
    ENCODINGS,
    display_name,
    make_import_progress,
)
from app.features.import_report import make_import_report, message_values
from app.features.import_status import make_import_status
from app.i18n import t
from app.job_callbacks import cancel_own, guarded_view, named_outputs
from app.state import ViewState
from app.upload import (
    decode_contents,
    discard,
    job_error_text,
    job_result,
    job_status,
    start_import,
    upload_root,
    user_of,
)
from zzgeo.errors import ZzgeoError
from zzgeo.jobs import JobManager, JobStatus
from zzgeo.messages import Text
from zzgeo.messages import text as say

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# The job: start, progress, end (plain functions returning the outputs they change)
# --------------------------------------------------------------------------------------------


#: the outputs of the job's callbacks, by name (several callbacks write each of them)
_OUTPUTS = {
    "report": (ids.IMPORT_REPORT, "children"),
    "token": (ids.IMPORT_TOKEN, "data"),
    "accept": (ids.IMPORT_ACCEPT, "disabled"),
    "rejected": (ids.IMPORT_REJECTED, "disabled"),
    "layers": (ids.IMPORT_LAYER, "options"),
    "layer_hidden": (ids.IMPORT_LAYER_WRAP, "hidden"),
    "job": (ids.IMPORT_JOB, "hidden"),
    "progress": (ids.IMPORT_PROGRESS, "children"),
    "poll": (ids.IMPORT_POLL, "disabled"),
    "finished": (ids.IMPORT_FINISHED, "data"),
    "status": (ids.IMPORT_STATUS, "children"),
}


def _outputs(*keys: str) -> dict[str, Output]:
    return named_outputs(_OUTPUTS, keys)


#: the report and its buttons, as when no import is pending
_NO_REPORT: dict[str, Any] = {"report": [], "accept": True, "rejected": True}


def _hints(message: Text | None, lang: str) -> list[Any]:
    """What the panel adds to some of zzgeo's errors: the control that helps."""
    if message_values("file_bad_encoding", message) is not None:
        return [html.P(t("import_encoding_hint", lang), className="zz-small")]
    return []


def start_view(jobs: JobManager, request: Any, old_token: Any, lang: str, max_bytes: int) -> dict[str, Any]:
    """Start the import job of an upload (``request`` from the browser); what the panel shows then.

    ``request`` (``zzgeo.importRequest``) has the file (``contents``, ``filename``), the
    options (``kind``, ``crs``, ``layer``, ``encoding``, ``keep``) and the browser's id
    (``user``, see :func:`app.upload.user_of`). The previous report's job is discarded (a
    new report replaces it). Errors (too large, damaged, a format zzgeo does not read, a
    cap on jobs) show in the status line.
    """
    user = user_of(request.get("user") if isinstance(request, dict) else None)
    discard(jobs, old_token, user)
    cleared = {**_NO_REPORT, "token": None, "job": True, "progress": [], "poll": True}
    if not isinstance(request, dict) or not request.get("contents"):
        return cleared  # the browser refused the file (its message stays)
    name = display_name(request.get("filename"))
    kind, crs, layer, encoding = (request.get(k) for k in ("kind", "crs", "layer", "encoding"))
    try:
        raw = decode_contents(request["contents"], name, max_bytes, lang)
        jobs.cleanup_stale()  # expired folders go (a cheap look at the jobs' folders)
        started = start_import(
            jobs,
            raw,
            name,
            kind if isinstance(kind, str) else "5g_sites",
            crs if isinstance(crs, str) else None,
            layer if isinstance(layer, str) else None,
            user=user,
            encoding=encoding if encoding in ENCODINGS and encoding != "auto" else None,
            keep_columns=request.get("keep") is True,
            root=upload_root(),
        )
    except Exception as exc:
        if not isinstance(exc, ZzgeoError):
            logger.exception("reading upload %r failed", name)
        status = make_import_status(error_message(exc, lang), lang, error=True, file=name)
        return {**cleared, "layers": [], "layer_hidden": True, "status": status}
    several = len(started.layers) > 1
    options = [{"label": n, "value": n} for n in started.layers] if several else []
    layers = {"layers": options, "layer_hidden": not several}
    if started.token is None:
        status = make_import_status(
            (started.error or Text()).get(lang) or t("error_generic", lang), lang, error=True, file=name
        )
        if several:
            status.append(html.P(t("import_layer_choose", lang), className="zz-small"))
        return {**cleared, **layers, "status": status + _hints(started.error, lang)}
    first = JobStatus(token=started.token, state="queued", file=name)
    running = {"token": started.token, "job": False, "progress": make_import_progress(first, lang), "poll": False}
    return {**cleared, **layers, **running, "status": []}


def poll_view(jobs: JobManager, token: Any, lang: str, user: str | None = None) -> dict[str, Any]:
    """A tick while the job runs: its progress; once it has ended, polling stops and ``finished`` names it.

    ``user`` (:func:`app.upload.user_of`): someone else's job is as an expired one.
    """
    if not isinstance(token, str) or not token:
        return {"poll": True}
    status = job_status(jobs, token, user)
    if status is not None and not status.finished:
        return {"progress": make_import_progress(status, lang)}
    return {"poll": True, "finished": {"token": token}, "progress": make_import_progress(status, lang)}


def cancel_view(jobs: JobManager, token: Any, user: str | None = None) -> dict[str, Any]:
    """Stop the job (its processes are killed); the end shows as for any job (:func:`finished_view`).

    Only ``user``'s own job is stopped.
    """
    cancel_own(jobs, token, user)
    return {"poll": True, "finished": {"token": token, "cancelled": True}}


def _cancelled(status: JobStatus, finished: Mapping[str, Any]) -> bool:
    """Whether the job ended by the user's Cancel.

    A progress request that reads the status while Cancel's kill is under way may record
    the job as stopped unexpectedly (``job_failed``) before Cancel records it as cancelled;
    after a Cancel, that is what it was.
    """
    if status.state == "cancelled":
        return True
    return bool(finished.get("cancelled")) and message_values("job_failed", status.error) is not None


def finished_view(jobs: JobManager, token: Any, finished: Any, lang: str, user: str | None = None) -> dict[str, Any]:
    """The end of the job named by ``finished`` ({"token": ..., "cancelled": bool}): its report
    (read from its folder), or why there is none.

    Nothing changes when ``finished`` is not the panel's current job (an older job's end).
    """
    ended = finished if isinstance(finished, dict) else {}
    if not isinstance(token, str) or not token or ended.get("token") != token:
        return {}
    status = job_status(jobs, token, user)
    expired = {**_NO_REPORT, "job": True, "status": make_import_status(t("import_expired", lang), lang, error=True)}
    if status is None:
        return expired
    if status.state == "done":
        result = job_result(jobs, token, user)
        if result is None:
            return expired
        return {
            "report": make_import_report(result, lang),
            "accept": len(result.layer) == 0,
            "rejected": len(result.rejected) == 0,
            "job": True,
            "status": [],
        }
    if _cancelled(status, ended):
        message = say("job_cancelled", where=status.file).get(lang)
        return {**_NO_REPORT, "job": True, "status": make_import_status(message, lang, kind="cancelled")}
    message = job_error_text(jobs, status, lang) or t("error_generic", lang)
    shown = make_import_status(message, lang, error=True, file=status.file) + _hints(status.error, lang)
    return {**_NO_REPORT, "job": True, "status": shown}


def _error_status(message: str, lang: str) -> list[Any]:
    return make_import_status(message, lang, error=True)


def _view_guarded(func: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """A job callback (named outputs): ZzgeoError's message, else a short generic one, in the status line.

    Polling stops and the progress box hides when those are among its outputs; every other
    output is left as it is. PreventUpdate passes.
    """

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> dict[str, Any]:
        lang = _lang_of(tuple(kwargs.values()))
        return guarded_view(
            list(ctx.outputs_grouping),
            lang,
            lambda: func(**kwargs),
            _error_status,
            f"callback {func.__name__}",
        )

    return wrapper


def _lang_of_state(current: Any) -> str:
    return ViewState.from_dict(current).lang if isinstance(current, dict) else "zh"


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Start an upload's job, show its progress and report, cancel it."""
    ctx.jobs.cleanup_stale()  # jobs of an earlier run that expired or whose process died
    _register_request(app)
    _register_start(app, ctx)
    _register_poll(app, ctx)
    _register_cancel(app, ctx)
    _register_show(app, ctx)


def _register_request(app: dash.Dash) -> None:
    """The browser's request to import a file (``zzgeo.importRequest``).

    The size check runs in the browser: an oversized file is never sent; the browser's id
    (for the cap on jobs per user) is made there on the first upload and sent with each.
    """
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="importRequest"),
        Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        Output(ids.IMPORT_REQUEST, "data"),
        Output(ids.IMPORT_USER, "data"),
        Input(ids.IMPORT_UPLOAD, "contents"),
        Input(ids.IMPORT_KIND, "value"),
        Input(ids.IMPORT_CRS, "value"),
        Input(ids.IMPORT_LAYER, "value"),
        Input(ids.IMPORT_ENCODING, "value"),
        Input(ids.IMPORT_KEEP, "value"),
        State(ids.IMPORT_UPLOAD, "filename"),
        State(ids.IMPORT_CONFIG, "data"),
        State(ids.IMPORT_USER, "data"),
        prevent_initial_call=True,
    )


#: what starting a job changes
_START_KEYS = ("report", "token", "accept", "rejected", "layers", "layer_hidden", "job", "progress", "poll", "status")


def _register_start(app: dash.Dash, ctx: AppContext) -> None:
    """Start the job of a request (:func:`start_view`)."""

    @app.callback(
        output=_outputs(*_START_KEYS),
        inputs={"request": Input(ids.IMPORT_REQUEST, "data")},
        state={"old_token": State(ids.IMPORT_TOKEN, "data"), "current": State(ids.STATE, "data")},
        prevent_initial_call=True,
    )
    @_view_guarded
    @needs("editor")
    def start_job(request: Any, old_token: Any, current: Any) -> dict[str, Any]:
        """Start the import job of the uploaded file (written to a server-named temporary file)."""
        max_bytes = ctx.data.settings.max_upload_bytes
        return start_view(ctx.jobs, request, old_token, _lang_of_state(current), max_bytes)


def _register_poll(app: dash.Dash, ctx: AppContext) -> None:
    """Follow the running job (:func:`poll_view`)."""

    # a new token asks at once (and drops an answer still on its way for the previous job)
    @app.callback(
        output=_outputs("progress", "poll", "finished"),
        inputs={"tick": Input(ids.IMPORT_POLL, "n_intervals"), "token": Input(ids.IMPORT_TOKEN, "data")},
        state={"current": State(ids.STATE, "data"), "browser": State(ids.IMPORT_USER, "data")},
        prevent_initial_call=True,
    )
    @_view_guarded
    @needs("editor")
    def poll_job(tick: Any, token: Any, current: Any, browser: Any) -> dict[str, Any]:
        """The running job's progress (stage, rows), read from its folder."""
        return poll_view(ctx.jobs, token, _lang_of_state(current), user_of(browser))


#: the states of the callbacks after the start: the job, the page's language, the browser's id
_JOB_STATE = {
    "token": State(ids.IMPORT_TOKEN, "data"),
    "current": State(ids.STATE, "data"),
    "browser": State(ids.IMPORT_USER, "data"),
}


def _register_cancel(app: dash.Dash, ctx: AppContext) -> None:
    """Cancel stops the job (:func:`cancel_view`)."""

    @app.callback(
        output=_outputs("poll", "finished", "status"),
        inputs={"n_clicks": Input(ids.IMPORT_CANCEL, "n_clicks")},
        state=dict(_JOB_STATE),
        prevent_initial_call=True,
    )
    @_view_guarded
    @needs("editor")
    def cancel_job(n_clicks: Any, token: Any, current: Any, browser: Any) -> dict[str, Any]:
        """Stop the running job."""
        if not n_clicks:
            raise PreventUpdate
        return cancel_view(ctx.jobs, token, user_of(browser))


def _register_show(app: dash.Dash, ctx: AppContext) -> None:
    """The end of the job: its report, or why there is none (:func:`finished_view`)."""

    @app.callback(
        output=_outputs("report", "accept", "rejected", "job", "status"),
        inputs={"finished": Input(ids.IMPORT_FINISHED, "data")},
        state=dict(_JOB_STATE),
        prevent_initial_call=True,
    )
    @_view_guarded
    @needs("editor")
    def show_job(finished: Any, token: Any, current: Any, browser: Any) -> dict[str, Any]:
        """The report of the job that has ended (or why there is none)."""
        return finished_view(ctx.jobs, token, finished, _lang_of_state(current), user_of(browser))
