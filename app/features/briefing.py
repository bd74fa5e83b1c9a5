"""Briefing outputs: a map image (PNG at 300 dpi, PDF or SVG) and the briefing report (PDF) of the current view.

Both are rendered on the server by zzgeo (:mod:`zzgeo.cartography`, :mod:`zzgeo.report`) in a
render job (:meth:`zzgeo.jobs.JobManager.start_render`): a process of its own with the job
limits, so a report's seconds of CPU block no other user. The view (indicator, colours, year,
operator and status filters, layers, language, area level, the what-if proposals shown) goes to
the job with the data it is drawn from; a progress bar follows it (polled while it runs),
Cancel stops it, and the file downloads when it is done. Errors show next to the buttons, in
the page's language.

Rendering changes nothing shared, so viewers may render. A render job is its owner's
(:func:`app.upload.user_of`: the account, else this browser's id, made on its first render).

Callbacks: ``start_render`` (a button) -> ``poll_render`` (each tick while it runs; the
download once done) ; ``cancel_render``. Their logic is in :func:`start_view`,
:func:`poll_view` and :func:`cancel_view`, which return the outputs they change by name.
"""

from __future__ import annotations

import contextlib
import secrets
from typing import Any

import dash
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from app import ids
from app.context import AppContext
from app.errors import error_status
from app.i18n import t
from app.job_callbacks import cancel_own, guarded_view, named_outputs
from app.state import ViewState
from app.upload import job_error_text, job_status, user_of
from zzgeo.briefing import file_name, map_task, report_task
from zzgeo.cartography import MapView
from zzgeo.errors import ZzgeoError
from zzgeo.jobs import JobError, JobManager, JobStatus
from zzgeo.layers import OPERATORS, without_extra_columns

#: map formats offered (the first is the default)
FORMATS = ("png", "pdf", "svg")
POLL_MS = 500
_STAGES = ("starting", "reading", "indicators", "map", "coverage", "chart", "tables", "writing", "saving", "done")


# --------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------


def make_briefing(lang: str) -> html.Section:
    """The map-image and report buttons, the render's progress, its status line."""
    return html.Section(
        [
            html.H2(t("brief", lang), className="zz-h2"),
            html.P(t("brief_note", lang), className="zz-small"),
            html.Label(t("brief_format", lang), htmlFor=ids.BRIEF_FORMAT, className="zz-label"),
            dcc.RadioItems(
                id=ids.BRIEF_FORMAT,
                options=[{"label": t(f"brief_{f}", lang), "value": f} for f in FORMATS],
                value=FORMATS[0],
                inline=True,
                className="zz-radio",
            ),
            html.Div(
                [
                    html.Button(t("brief_map", lang), id=ids.BRIEF_MAP, n_clicks=0, className="zz-btn"),
                    html.Button(t("brief_report", lang), id=ids.BRIEF_REPORT, n_clicks=0, className="zz-btn"),
                ],
                className="zz-buttons",
            ),
            html.Div(
                [
                    html.Div(id=ids.BRIEF_PROGRESS, role="status", **{"aria-live": "polite"}),
                    html.Button(t("brief_cancel", lang), id=ids.BRIEF_CANCEL, n_clicks=0, className="zz-btn"),
                ],
                id=ids.BRIEF_JOB,
                hidden=True,
                className="zz-job",
            ),
            html.Div(id=ids.BRIEF_STATUS, className="zz-status", role="status", **{"aria-live": "polite"}),
            dcc.Store(id=ids.BRIEF_TOKEN, data=None),
            dcc.Store(id=ids.BRIEF_USER, storage_type="local"),
            dcc.Interval(id=ids.BRIEF_POLL, interval=POLL_MS, disabled=True),
            dcc.Download(id=ids.BRIEF_DOWNLOAD),
        ],
        id=ids.BRIEF,
        className="zz-section zz-briefing",
    )


def make_render_progress(status: JobStatus | None, what: str, lang: str) -> list[Any]:
    """The progress bar of a render and its text (stage and share done)."""
    if status is None:
        return []
    value = 1.0 if status.state == "done" else status.fraction or 0.0
    stage = status.stage if status.stage in _STAGES else "starting"
    label = t("brief_map" if what == "map" else "brief_report", lang)
    text = t("brief_progress", lang, what=label, stage=t(f"brief_stage_{stage}", lang), pct=round(value * 100))
    bar = html.Progress(
        max="1", value=f"{value:.3f}", className="zz-progress-bar", **{"aria-label": t("brief_progress_label", lang)}
    )
    return [
        html.Div(
            [bar, html.Span(text, className="zz-progress-text")],
            className="zz-progress",
            **{"data-state": status.state, "data-stage": stage, "data-what": what},
        )
    ]


def _status(message: str, lang: str, kind: str = "info") -> list[Any]:
    if kind == "error":
        return error_status(message, lang)
    return [html.P(message, className="zz-small", **{"data-kind": kind})]


# --------------------------------------------------------------------------------------------
# What a render is made of
# --------------------------------------------------------------------------------------------


def _operators(state: ViewState) -> list[str] | None:
    """The operator filter (None: all of them, which the outputs call "all")."""
    return None if set(state.operators) == set(OPERATORS) else list(state.operators)


def render_request(
    ctx: AppContext, state: ViewState, what: str, fmt: str, indicator: Any, palette: Any, proposals_store: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The task and frames of a render of the view (``indicator``/``palette``: the page's pickers)."""
    view = ViewState.from_dict({**state.to_dict(), "indicator": indicator, "palette": palette})
    kinds = ["5g_sites", *(k for k in view.layers if k != "5g_sites")]
    frames: dict[str, Any] = {}
    for kind in kinds:
        layer = ctx.sites() if kind == "5g_sites" else ctx.data.layers.get(kind)
        if layer is not None:  # only the columns of the kind: an editor's extra columns stay on the server
            frames[f"layer:{kind}"] = without_extra_columns(layer, kind)
    proposals = ctx.proposals(proposals_store)
    frames["proposals"] = proposals if len(proposals) else None
    frames["areas"] = ctx.areas(view)
    frames["population"] = ctx.data.population
    frames["targets"] = ctx.data.targets
    if what == "map":
        layers = tuple(k for k in view.layers if k in ctx.data.layers)
        map_view = MapView(
            indicator=view.indicator, palette=view.palette, year=view.year, operators=_operators(view),
            statuses=tuple(view.statuses), layers=layers, lang=view.lang, compare=view.compare,
        )  # fmt: skip
        task = map_task(map_view, fmt if fmt in FORMATS else "png")
    else:  # the report's map always shows the 5G sites its figures count
        task = report_task(
            year=view.year, lang=view.lang, operators=_operators(view), statuses=list(view.statuses),
            palette=view.palette,
        )  # fmt: skip
    return task, frames


# --------------------------------------------------------------------------------------------
# The callbacks' logic (outputs by name)
# --------------------------------------------------------------------------------------------


def start_view(jobs: JobManager, task: dict[str, Any], frames: dict[str, Any], user: str, old: Any) -> dict[str, Any]:
    """Start a render (a render of the same user still running is stopped first)."""
    if isinstance(old, dict) and isinstance(old.get("token"), str):
        with contextlib.suppress(JobError, ZzgeoError):
            if job_status(jobs, old["token"], user) is not None:
                jobs.cancel(old["token"])
    jobs.cleanup_stale()
    token = jobs.start_render(task, frames, user=user, name=file_name(task))
    first = JobStatus(token=token, state="queued", file=file_name(task))
    what = str(task["what"])
    lang = str(task.get("view", task.get("options", {})).get("lang", "zh"))
    return {
        "token": {"token": token, "what": what},
        "job": False,
        "progress": make_render_progress(first, what, lang),
        "poll": False,
        "status": [],
    }


def poll_view(jobs: JobManager, token: Any, user: str, lang: str) -> dict[str, Any]:
    """A tick while the render runs: its progress; once done, the download (or why there is none)."""
    if not isinstance(token, dict) or not isinstance(token.get("token"), str):
        return {"poll": True}
    what = str(token.get("what", "map"))
    status = job_status(jobs, token["token"], user)
    if status is None:
        return {"poll": True, "job": True, "status": _status(t("brief_expired", lang), lang, "error")}
    if not status.finished:
        return {"progress": make_render_progress(status, what, lang)}
    end: dict[str, Any] = {"poll": True, "job": True, "token": None}
    if status.state == "cancelled":
        return {**end, "status": _status(t("brief_cancelled", lang), lang, "cancelled")}
    if status.state != "done":
        error = job_error_text(jobs, status, lang) or t("error_generic", lang)
        return {**end, "status": _status(t("brief_failed", lang, error=error), lang, "error")}
    name, data = jobs.output(status.token)
    return {
        **end,
        "progress": make_render_progress(status, what, lang),
        "download": dcc.send_bytes(data, name),
        "status": _status(t("brief_done", lang, file=name), lang, "done"),
    }


def cancel_view(jobs: JobManager, token: Any, user: str, lang: str) -> dict[str, Any]:
    """Stop the render (only the user's own)."""
    cancel_own(jobs, token.get("token") if isinstance(token, dict) else None, user)
    return {"poll": True, "job": True, "token": None, "status": _status(t("brief_cancelled", lang), lang, "cancelled")}


_OUTPUTS = {
    "token": (ids.BRIEF_TOKEN, "data"),
    "user": (ids.BRIEF_USER, "data"),
    "job": (ids.BRIEF_JOB, "hidden"),
    "progress": (ids.BRIEF_PROGRESS, "children"),
    "poll": (ids.BRIEF_POLL, "disabled"),
    "download": (ids.BRIEF_DOWNLOAD, "data"),
    "status": (ids.BRIEF_STATUS, "children"),
}


def _outputs(*keys: str) -> dict[str, Output]:
    return named_outputs(_OUTPUTS, keys)


def _guarded(keys: tuple[str, ...], lang: str, compute: Any) -> dict[str, Any]:
    """The outputs of ``compute()``; an error stops polling and shows its message (zh/en), never a traceback."""
    return guarded_view(keys, lang, compute, _error_status, "render callback")


def _error_status(message: str, lang: str) -> list[Any]:
    return _status(message, lang, "error")


def _browser(user_id: Any) -> tuple[str, Any]:
    """The render's owner and the browser id to keep (made on the first render)."""
    if not isinstance(user_id, str) or len(user_id) < 16:
        user_id = secrets.token_urlsafe(18)
    return user_of(user_id), user_id


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Map image and report buttons: start a render job, follow it, download it, cancel it."""
    start_keys = ("token", "user", "job", "progress", "poll", "status")
    poll_keys = ("token", "job", "progress", "poll", "download", "status")
    cancel_keys = ("token", "job", "poll", "status")

    @app.callback(
        output=_outputs(*start_keys),
        inputs={"_m": Input(ids.BRIEF_MAP, "n_clicks"), "_r": Input(ids.BRIEF_REPORT, "n_clicks")},
        state={
            "current": State(ids.STATE, "data"),
            "indicator": State(ids.INDICATOR, "value"),
            "palette": State(ids.PALETTE, "value"),
            "fmt": State(ids.BRIEF_FORMAT, "value"),
            "proposals": State(ids.PROPOSALS, "data"),
            "browser": State(ids.BRIEF_USER, "data"),
            "old": State(ids.BRIEF_TOKEN, "data"),
        },
        prevent_initial_call=True,
    )
    def start_render(_m, _r, current, indicator, palette, fmt, proposals, browser, old):  # type: ignore[no-untyped-def]
        """Start rendering the current view (map image or report) in a job."""
        if not dash.ctx.triggered or not dash.ctx.triggered[0].get("value"):
            raise PreventUpdate
        state = ViewState.from_dict(current)
        what = "map" if dash.ctx.triggered_id == ids.BRIEF_MAP else "report"
        user, browser_id = _browser(browser)

        def compute() -> dict[str, Any]:
            task, frames = render_request(ctx, state, what, fmt, indicator, palette, proposals)
            return {**start_view(ctx.renders, task, frames, user, old), "user": browser_id}

        return _guarded(start_keys, state.lang, compute)

    @app.callback(
        output=_outputs(*poll_keys),
        inputs={"_tick": Input(ids.BRIEF_POLL, "n_intervals")},
        state={
            "token": State(ids.BRIEF_TOKEN, "data"),
            "current": State(ids.STATE, "data"),
            "browser": State(ids.BRIEF_USER, "data"),
        },
        prevent_initial_call=True,
    )
    def poll_render(_tick, token, current, browser):  # type: ignore[no-untyped-def]
        """The running render's progress; its file once done."""
        lang = ViewState.from_dict(current).lang
        return _guarded(poll_keys, lang, lambda: poll_view(ctx.renders, token, _browser(browser)[0], lang))

    @app.callback(
        output=_outputs(*cancel_keys),
        inputs={"n_clicks": Input(ids.BRIEF_CANCEL, "n_clicks")},
        state={
            "token": State(ids.BRIEF_TOKEN, "data"),
            "current": State(ids.STATE, "data"),
            "browser": State(ids.BRIEF_USER, "data"),
        },
        prevent_initial_call=True,
    )
    def cancel_render(n_clicks, token, current, browser):  # type: ignore[no-untyped-def]
        """Stop the running render."""
        if not n_clicks:
            raise PreventUpdate
        lang = ViewState.from_dict(current).lang
        return _guarded(cancel_keys, lang, lambda: cancel_view(ctx.renders, token, _browser(browser)[0], lang))
