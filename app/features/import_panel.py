"""The "Import data" panel: options, the upload box, the job's progress, the report, accepting,
the list of imports.

The size check runs in the browser (an oversized file is never sent). The server writes an
upload to a temporary file and starts an import job (:mod:`app.upload`): the file is read in a
process of its own, with limits, while a progress bar shows its stage and rows (polled only
while the job runs) and Cancel stops it. The finished job is the pending import: its report,
"Accept" and the rejected rows read its result from the job's folder, in whichever worker
process answers.

The callbacks, in order: ``start_import`` (an upload, or an option changed while a file is
loaded) -> ``poll_import`` (each tick of the interval while the job runs) -> ``show_import``
(once the job has ended, or was cancelled: the report, or why there is none); then
``accept_import``, ``download_rejected`` (removing an import: :mod:`app.features.imports_list`).
Their logic is in plain functions (:func:`start_view`, :func:`poll_view`, :func:`finished_view`,
:func:`cancel_view`) that return a dict of the outputs they change.
"""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path
from typing import Any

import dash
from dash import Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from app import ids
from app.auth import needs, who
from app.context import AppContext
from app.data import PageMeta
from app.features.import_status import import_guarded, make_import_status
from app.features.imports_list import REMOVE, make_import_list
from app.i18n import STRINGS, layer_title, t
from app.state import ViewState
from app.upload import (
    claim,
    job_result,
    unclaim,
    upload_root,
    user_of,
)
from app.widgets import UNSET, radio_fieldset
from zzgeo.classes import fmt_number
from zzgeo.crs import CRS_CHOICES
from zzgeo.jobs import JobStatus
from zzgeo.layers import LAYER_KINDS
from zzgeo.workspace import MODES

logger = logging.getLogger(__name__)

#: how often the browser asks for a running job's progress (ms)
POLL_MS = 500
#: text encodings offered for CSV files ("auto": detected; the report says which was used)
ENCODINGS = ("auto", "utf-8", "gb18030", "big5", "shift_jis", "latin-1", "cp1252", "utf-16")
_ENCODING_NAMES = {"utf-8": "UTF-8", "gb18030": "GB18030 / GBK", "utf-16": "UTF-16"}


def _encoding_label(key: str, lang: str) -> str:
    name = f"import_encoding_{key}"
    return t(name, lang) if name in STRINGS else _ENCODING_NAMES[key]


def make_import_panel(lang: str, meta: PageMeta, *, editor: bool = True) -> html.Section:
    """The "Import data" panel: options, the upload box, the job's progress, the report, the list of imports.

    Not an ``editor`` (a viewer's page): the list of imports only (no upload, no Remove, none of
    the job's stores, so none of the import callbacks run for a page that may not use them).
    """
    mb = f"{meta.max_upload_mb:g}"
    max_bytes = int(meta.max_upload_mb * 1_000_000)
    if not editor:
        return html.Section(
            [
                html.H2(t("import", lang), className="zz-h2"),
                html.H3(t("imports", lang), className="zz-h3"),
                html.Div(
                    make_import_list(meta.imports, lang, meta.workspace_error, editable=False), id=ids.IMPORT_LIST
                ),
            ],
            id=ids.IMPORT,
            className="zz-section zz-import",
            **{"aria-label": t("import", lang)},
        )
    return html.Section(
        [
            html.H2(t("import", lang), className="zz-h2"),
            html.P(t("import_help", lang, mb=mb), className="zz-small zz-muted"),
            html.Div([_import_form(lang), _import_result(lang)], className="zz-import-grid"),
            html.H3(t("imports", lang), className="zz-h3"),
            html.Div(make_import_list(meta.imports, lang, meta.workspace_error), id=ids.IMPORT_LIST),
            dcc.Store(id=ids.IMPORT_TOKEN, data=""),  # "": no job (not None: see UNSET)
            dcc.Store(id=ids.IMPORT_FINISHED, data=UNSET),
            dcc.Store(id=ids.IMPORT_REQUEST, data=UNSET),
            dcc.Store(id=ids.IMPORT_USER, storage_type="local"),  # see app.upload.user_of
            dcc.Interval(id=ids.IMPORT_POLL, interval=POLL_MS, disabled=True),
            dcc.Store(
                id=ids.IMPORT_CONFIG,
                data={
                    "maxBytes": max_bytes,
                    # the browser fills in {file} and {size} (MB) before sending anything
                    "tooBig": t("import_too_big", lang, file="{file}", size="{size}", limit=mb),
                },
            ),
            dcc.Download(id=ids.IMPORT_DOWNLOAD),
            *REMOVE.parts(t("imports_remove_confirm", lang, file="{file}")),
        ],
        id=ids.IMPORT,
        className="zz-section zz-import",
        **{"aria-label": t("import", lang)},
    )


def _import_form(lang: str) -> html.Div:
    """The import's options: layer kind, coordinate system, encoding, extra columns, add or replace."""
    return html.Div(
        [
            html.Label(t("import_kind", lang), htmlFor=ids.IMPORT_KIND, className="zz-label"),
            dcc.Dropdown(
                id=ids.IMPORT_KIND,
                options=[{"label": spec.title.get(lang), "value": key} for key, spec in LAYER_KINDS.items()],
                value="5g_sites",
                clearable=False,
                searchable=False,
                className="zz-dropdown",
            ),
            html.Label(t("import_crs", lang), htmlFor=ids.IMPORT_CRS, className="zz-label"),
            dcc.Dropdown(
                id=ids.IMPORT_CRS,
                options=[{"label": c.title.get(lang), "value": key} for key, c in CRS_CHOICES.items()],
                value="wgs84",
                clearable=False,
                searchable=False,
                className="zz-dropdown",
            ),
            html.P(t("import_crs_help", lang), className="zz-small zz-muted"),
            html.Label(t("import_encoding", lang), htmlFor=ids.IMPORT_ENCODING, className="zz-label"),
            dcc.Dropdown(
                id=ids.IMPORT_ENCODING,
                options=[{"label": _encoding_label(key, lang), "value": key} for key in ENCODINGS],
                value="auto",
                clearable=False,
                searchable=False,
                className="zz-dropdown",
            ),
            dcc.Checklist(
                id=ids.IMPORT_KEEP,
                options=[{"label": t("import_keep_columns", lang), "value": "keep"}],
                value=[],
                className="zz-checklist zz-import-keep",
            ),
            html.P(t("import_keep_help", lang), className="zz-small zz-muted"),
            radio_fieldset(
                t("import_mode", lang),
                ids.IMPORT_MODE,
                [(t("import_mode_add", lang), "add"), (t("import_mode_replace", lang), "replace")],
                "add",
            ),
        ],
        className="zz-import-form",
    )


def _import_result(lang: str) -> html.Div:
    """The upload box, the job's progress, the status line, Accept and the rejected rows, the report.

    The upload, its progress, what happened and the buttons come first (the dock is short);
    the report follows.
    """
    return html.Div(
        [
            dcc.Upload(
                html.Div(
                    [html.Span(t("import_drop", lang)), " ", html.Span(t("import_browse", lang), className="zz-link")],
                    className="zz-upload-text",
                ),
                id=ids.IMPORT_UPLOAD,
                multiple=False,
                className="zz-upload",
                className_active="zz-upload zz-upload-active",
            ),
            html.Div(
                [
                    html.Label(t("import_layer", lang), htmlFor=ids.IMPORT_LAYER, className="zz-label"),
                    dcc.Dropdown(id=ids.IMPORT_LAYER, options=[], value=None, clearable=False, className="zz-dropdown"),
                ],
                id=ids.IMPORT_LAYER_WRAP,
                hidden=True,
                className="zz-import-layer",
            ),
            html.Div(
                [
                    html.Div(id=ids.IMPORT_PROGRESS, className="zz-import-progress"),
                    html.Button(
                        t("import_cancel", lang),
                        id=ids.IMPORT_CANCEL,
                        n_clicks=0,
                        type="button",
                        className="zz-btn zz-btn-small",
                    ),
                ],
                id=ids.IMPORT_JOB,
                hidden=True,
                className="zz-import-job",
            ),
            html.Div(id=ids.IMPORT_STATUS, className="zz-import-status", role="status", **{"aria-live": "polite"}),
            html.Div(
                [
                    html.Button(
                        t("import_accept", lang),
                        id=ids.IMPORT_ACCEPT,
                        n_clicks=0,
                        disabled=True,
                        className="zz-btn zz-btn-primary",
                    ),
                    html.Button(
                        t("import_rejected_csv", lang),
                        id=ids.IMPORT_REJECTED,
                        n_clicks=0,
                        disabled=True,
                        className="zz-btn",
                    ),
                ],
                className="zz-buttons",
            ),
            dcc.Loading(html.Div(id=ids.IMPORT_REPORT, className="zz-report"), type="dot", delay_show=300),
        ],
        className="zz-import-result",
    )


def progress_text(status: JobStatus, lang: str) -> str:
    """What a job is doing, e.g. "sites.csv: checking · 200,000 of 480,000 rows · 41%"."""
    stage_key = f"import_stage_{'starting' if status.state == 'queued' else status.stage}"
    stage = t(stage_key, lang) if stage_key in STRINGS else status.stage
    parts = [t("import_progress", lang, file=status.file, stage=stage)]
    if status.rows_total:
        rows, total = fmt_number(status.rows), fmt_number(status.rows_total)
        parts.append(t("import_progress_rows", lang, rows=rows, total=total))
    elif status.rows:
        parts.append(t("import_progress_rows_some", lang, rows=fmt_number(status.rows)))
    if status.fraction is not None and not status.finished:
        parts.append(f"{min(100, round(100 * status.fraction))}%")
    return " · ".join(parts)


def make_import_progress(status: JobStatus | None, lang: str) -> list[Any]:
    """The progress bar of a job and its text (no value while the share done is unknown: the bar then moves)."""
    if status is None:
        return []
    value = 1.0 if status.state == "done" else status.fraction
    bar = html.Progress(
        max="1",
        **({"value": f"{value:.3f}"} if value is not None else {}),
        className="zz-progress-bar",
        **{"aria-label": t("import_progress_label", lang)},
    )
    return [
        html.Div(
            [bar, html.Span(progress_text(status, lang), className="zz-progress-text")],
            className="zz-progress",
            **{"data-state": status.state, "data-stage": status.stage, "data-rows": str(status.rows)},
        )
    ]


def display_name(filename: Any) -> str:
    """The user's file name for messages and the report (never used in a path)."""
    if not isinstance(filename, str) or not filename.strip():
        return "upload"
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip() or "upload"
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:200]


def download_name(file: str, suffix: str = "_rejected.csv") -> str:
    """A download file name derived from the user's file name (letters, digits, . _ - only)."""
    stem = file.rsplit(".", 1)[0] if "." in file.strip(".") else file
    safe = re.sub(r"[^\w.-]+", "_", stem).strip("._")[:80] or "import"
    return safe + suffix


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Accept a finished job's rows; download its rejected rows (the job itself: :mod:`app.features.import_jobs`)."""

    @app.callback(
        Output(ids.DATA_VERSION, "data"),
        Output(ids.IMPORT_ACCEPT, "disabled", allow_duplicate=True),
        Output(ids.IMPORT_UPLOAD, "contents"),
        Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        Input(ids.IMPORT_ACCEPT, "n_clicks"),
        State(ids.IMPORT_TOKEN, "data"),
        State(ids.IMPORT_MODE, "value"),
        State(ids.STATE, "data"),
        State(ids.IMPORT_USER, "data"),
        prevent_initial_call=True,
    )
    @import_guarded
    @needs("editor")
    def accept_import(n_clicks: Any, token: Any, mode: Any, current: Any, browser: Any) -> tuple[Any, ...]:
        """Add the accepted rows of the finished job to the workspace (recorded as the user's); reload the data."""
        if not n_clicks:
            raise PreventUpdate
        lang = ViewState.from_dict(current).lang
        result = job_result(ctx.jobs, token, user_of(browser))  # a failed job raises its message
        if result is None:
            return no_update, True, no_update, make_import_status(t("import_expired", lang), lang, error=True)
        if not claim(ctx.jobs, token):  # already added (a double click, another tab, another worker)
            return no_update, True, no_update, make_import_status(t("import_already", lang), lang, error=True)
        mode = mode if mode in MODES else "add"
        try:
            ctx.data.workspace.add(result, mode, who=who())
        except Exception:
            unclaim(ctx.jobs, token)
            raise
        data = ctx.live.reload()
        message = t(
            "import_added",
            lang,
            n=f"{len(result.layer):,}",
            layer=layer_title(result.kind, lang),
            mode=t("import_mode_replace" if mode == "replace" else "import_mode_add", lang),
        )
        # the upload is emptied: changing an option must not read (and offer) the file again
        return data.version, True, None, make_import_status(message, lang)

    @app.callback(
        Output(ids.IMPORT_DOWNLOAD, "data"),
        Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        Input(ids.IMPORT_REJECTED, "n_clicks"),
        State(ids.IMPORT_TOKEN, "data"),
        State(ids.STATE, "data"),
        State(ids.IMPORT_USER, "data"),
        prevent_initial_call=True,
    )
    @import_guarded
    @needs("editor")
    def download_rejected(n_clicks: Any, token: Any, current: Any, browser: Any) -> tuple[Any, ...]:
        """The rejected rows (with their ``row`` and ``problem``, in the page's language) as UTF-8-BOM CSV."""
        if not n_clicks:
            raise PreventUpdate
        lang = ViewState.from_dict(current).lang
        result = job_result(ctx.jobs, token, user_of(browser))
        if result is None:
            return no_update, make_import_status(t("import_expired", lang), lang, error=True)
        with tempfile.TemporaryDirectory(prefix="rejected-", dir=upload_root()) as tmp:
            path = result.rejected_csv(Path(tmp) / "rejected.csv", lang)
            body = path.read_bytes()
        return dcc.send_bytes(body, download_name(result.file)), no_update
