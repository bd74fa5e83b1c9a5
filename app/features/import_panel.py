"""The "Import data" panel: options, the upload box, the report, accepting, the list of imports.

The size check runs in the browser (an oversized file is never sent); the server reads an
upload in a temporary file (:mod:`app.upload`) and keeps the result until it is accepted.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from app import ids
from app.context import AppContext
from app.data import ImportEntry, PageMeta
from app.errors import _lang_of, error_message
from app.features.import_report import make_import_report
from app.fmt import fmt_number
from app.i18n import layer_title, t
from app.state import ViewState
from app.upload import decode_contents, import_upload, upload_root
from app.widgets import radio_fieldset, table
from zzgeo.crs import CRS_CHOICES
from zzgeo.errors import ZzgeoError
from zzgeo.layers import LAYER_KINDS
from zzgeo.workspace import MODES

logger = logging.getLogger(__name__)


def make_import_panel(lang: str, meta: PageMeta) -> html.Section:
    """The "Import data" panel: options, the upload box, the report and the list of imports."""
    mb = f"{meta.max_upload_mb:g}"
    max_bytes = int(meta.max_upload_mb * 1_000_000)
    form = html.Div(
        [
            html.Label(t("import_kind", lang), htmlFor=ids.IMPORT_KIND, className="zz-label"),
            dcc.Dropdown(
                id=ids.IMPORT_KIND,
                options=[{"label": spec.title(lang), "value": key} for key, spec in LAYER_KINDS.items()],
                value="5g_sites",
                clearable=False,
                searchable=False,
                className="zz-dropdown",
            ),
            html.Label(t("import_crs", lang), htmlFor=ids.IMPORT_CRS, className="zz-label"),
            dcc.Dropdown(
                id=ids.IMPORT_CRS,
                options=[{"label": c.title(lang), "value": key} for key, c in CRS_CHOICES.items()],
                value="wgs84",
                clearable=False,
                searchable=False,
                className="zz-dropdown",
            ),
            html.P(t("import_crs_help", lang), className="zz-small zz-muted"),
            html.Div(
                [
                    html.Label(t("import_layer", lang), htmlFor=ids.IMPORT_LAYER, className="zz-label"),
                    dcc.Dropdown(id=ids.IMPORT_LAYER, options=[], value=None, clearable=False, className="zz-dropdown"),
                ],
                id=ids.IMPORT_LAYER_WRAP,
                hidden=True,
            ),
            radio_fieldset(
                t("import_mode", lang),
                ids.IMPORT_MODE,
                [(t("import_mode_add", lang), "add"), (t("import_mode_replace", lang), "replace")],
                "add",
            ),
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
        ],
        className="zz-import-form",
    )
    result = html.Div(
        [
            html.Div(id=ids.IMPORT_STATUS, className="zz-import-status", role="status", **{"aria-live": "polite"}),
            dcc.Loading(html.Div(id=ids.IMPORT_REPORT, className="zz-report"), type="dot", delay_show=300),
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
        ],
        className="zz-import-result",
    )
    return html.Section(
        [
            html.H2(t("import", lang), className="zz-h2"),
            html.P(t("import_help", lang, mb=mb), className="zz-small zz-muted"),
            html.Div([form, result], className="zz-import-grid"),
            html.H3(t("imports", lang), className="zz-h3"),
            html.Div(make_import_list(meta.imports, lang, meta.workspace_error), id=ids.IMPORT_LIST),
            dcc.Store(id=ids.IMPORT_TOKEN, data=None),
            dcc.Store(id=ids.IMPORT_REQUEST, data=None),
            dcc.Store(
                id=ids.IMPORT_CONFIG,
                data={
                    "maxBytes": max_bytes,
                    # the browser fills in {file} and {size} (MB) before sending anything
                    "tooBig": t("import_too_big", lang, file="{file}", size="{size}", limit=mb),
                },
            ),
            dcc.Download(id=ids.IMPORT_DOWNLOAD),
        ],
        id=ids.IMPORT,
        className="zz-section zz-import",
        **{"aria-label": t("import", lang)},
    )


def make_import_status(message: str, lang: str, *, error: bool = False, file: str | None = None) -> list[Any]:
    """The status line of the import panel ("" hides it); errors start with the file that failed."""
    if not message:
        return []
    children: list[Any] = []
    if error and file:
        children.append(html.Strong(t("import_failed", lang, file=file) + " "))
    children.append(html.Span(message, className="zz-status-text"))
    return [html.P(children, className="zz-bad" if error else "zz-ok", **{"data-kind": "error" if error else "ok"})]


def _import_time(text: str) -> str:
    """``2026-11-02T10:11:12+00:00`` -> ``2026-11-02 10:11 UTC`` (unparsable text as it is)."""
    try:
        when = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return text
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
        return when.strftime("%Y-%m-%d %H:%M UTC")
    return when.strftime("%Y-%m-%d %H:%M")


def make_import_list(entries: Sequence[ImportEntry], lang: str, workspace_error: str | None = None) -> list[Any]:
    """The imports in the workspace with a Remove button each (pattern-matching ids)."""
    out: list[Any] = []
    if workspace_error:
        out.append(html.P(t("workspace_error", lang, message=workspace_error), className="zz-bad"))
    if not entries:
        out.append(html.P(t("imports_none", lang), className="zz-muted zz-small"))
        return out
    rows = [
        html.Tr(
            [
                html.Td(e.file, className="zz-import-file"),
                html.Td(layer_title(e.kind, lang) if e.kind in LAYER_KINDS else e.kind),
                html.Td(_import_time(e.imported_at)),
                html.Td(f"{fmt_number(e.rows_accepted)} / {fmt_number(e.rows_rejected)}", className="zz-num"),
                html.Td(t("mode_replace" if e.mode == "replace" else "mode_add", lang)),
                html.Td(
                    html.Button(
                        t("imports_remove", lang),
                        id={"type": ids.IMPORT_REMOVE, "index": e.id},
                        n_clicks=0,
                        className="zz-btn zz-btn-small",
                        title=t("imports_remove_label", lang, file=e.file),
                        **{"aria-label": t("imports_remove_label", lang, file=e.file)},
                    )
                ),
            ],
            **{"data-entry": e.id, "data-kind": e.kind, "data-mode": e.mode},
        )
        for e in entries
    ]
    head = [t(k, lang) for k in ("imports_file", "imports_kind", "imports_time", "imports_rows", "imports_mode")]
    out.append(html.Div(table([*head, ""], rows, "zz-imports"), className="zz-table-wrap"))
    return out


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


def import_guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run an import-panel callback whose LAST output is the panel's status line.

    ZzgeoError messages are shown as they are; anything else is logged and shown as a
    short generic message; the other outputs are left unchanged. PreventUpdate passes.
    """

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        try:
            return func(*args)
        except PreventUpdate:
            raise
        except Exception as exc:
            if not isinstance(exc, ZzgeoError):
                logger.exception("callback %s failed", func.__name__)
            lang = _lang_of(args)
            n = len(ctx.outputs_list) - 1
            return (*([no_update] * n), make_import_status(error_message(exc, lang), lang, error=True))

    return wrapper


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Read an upload, show its report, accept it, remove imports."""
    def lang_of(current: Any) -> str:
        return ViewState.from_dict(current).lang if isinstance(current, dict) else "zh"

    # the size check runs in the browser: an oversized file is never sent
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="importRequest"),
        Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        Output(ids.IMPORT_REQUEST, "data"),
        Input(ids.IMPORT_UPLOAD, "contents"),
        Input(ids.IMPORT_KIND, "value"),
        Input(ids.IMPORT_CRS, "value"),
        Input(ids.IMPORT_LAYER, "value"),
        State(ids.IMPORT_UPLOAD, "filename"),
        State(ids.IMPORT_CONFIG, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.IMPORT_REPORT, "children"),
        Output(ids.IMPORT_TOKEN, "data"),
        Output(ids.IMPORT_ACCEPT, "disabled"),
        Output(ids.IMPORT_REJECTED, "disabled"),
        Output(ids.IMPORT_LAYER, "options"),
        Output(ids.IMPORT_LAYER_WRAP, "hidden"),
        Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        Input(ids.IMPORT_REQUEST, "data"),
        State(ids.IMPORT_TOKEN, "data"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    def read_upload(request: Any, old_token: Any, current: Any) -> tuple[Any, ...]:
        """Import the uploaded file (in a server-named temporary file) and show its report."""
        lang = ViewState.from_dict(current).lang
        ctx.pending.pop(old_token)  # a new report replaces the previous one
        cleared: tuple[Any, ...] = ([], None, True, True)
        if not isinstance(request, dict) or not request.get("contents"):
            return (*cleared, no_update, no_update, no_update)
        name = display_name(request.get("filename"))
        max_bytes = ctx.data.settings.max_upload_bytes
        layer, kind, crs = (request.get(k) for k in ("layer", "kind", "crs"))
        layer = layer if isinstance(layer, str) else None
        kind = kind if isinstance(kind, str) else "5g_sites"
        crs = crs if isinstance(crs, str) else None
        try:
            raw = decode_contents(request["contents"], name, max_bytes, lang)
            outcome = import_upload(raw, name, kind, crs, layer, max_bytes=max_bytes, root=upload_root())
        except Exception as exc:
            if not isinstance(exc, ZzgeoError):
                logger.exception("reading upload %r failed", name)
            return (*cleared, [], True, make_import_status(error_message(exc, lang), lang, error=True, file=name))
        several = len(outcome.layers) > 1
        options = [{"label": n, "value": n} for n in outcome.layers] if several else []
        if outcome.result is None:
            message = outcome.error_text(lang) or t("error_generic", lang)
            status = make_import_status(message, lang, error=True, file=name)
            if several:
                status.append(html.P(t("import_layer_choose", lang), className="zz-small"))
            return (*cleared, options, not several, status)
        result = outcome.result
        token = ctx.pending.put(result)
        report = make_import_report(result, lang)
        return report, token, len(result.layer) == 0, len(result.rejected) == 0, options, not several, []

    @app.callback(
        Output(ids.DATA_VERSION, "data"),
        Output(ids.IMPORT_ACCEPT, "disabled", allow_duplicate=True),
        Output(ids.IMPORT_UPLOAD, "contents"),
        Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        Input(ids.IMPORT_ACCEPT, "n_clicks"),
        State(ids.IMPORT_TOKEN, "data"),
        State(ids.IMPORT_MODE, "value"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    @import_guarded
    def accept_import(n_clicks: Any, token: Any, mode: Any, current: Any) -> tuple[Any, ...]:
        """Add the accepted rows of the pending import to the workspace; reload the data."""
        if not n_clicks:
            raise PreventUpdate
        lang = ViewState.from_dict(current).lang
        result = ctx.pending.claim(token)
        if result is None:
            return no_update, True, no_update, make_import_status(t("import_expired", lang), lang, error=True)
        mode = mode if mode in MODES else "add"
        try:
            ctx.data.workspace.add(result, mode)
        except Exception:
            ctx.pending.unclaim(token)
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
        Output(ids.DATA_VERSION, "data", allow_duplicate=True),
        Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        Input({"type": ids.IMPORT_REMOVE, "index": ALL}, "n_clicks"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    @import_guarded
    def remove_import(_clicks: Any, current: Any) -> tuple[Any, ...]:
        """Remove one import from the workspace; reload the data."""
        trigger = dash.ctx.triggered_id
        if not isinstance(trigger, dict) or not dash.ctx.triggered or not dash.ctx.triggered[0].get("value"):
            raise PreventUpdate
        lang = ViewState.from_dict(current).lang
        entry_id = str(trigger.get("index"))
        files = {e.id: e.file for e in ctx.data.imports}
        try:
            ctx.data.workspace.remove(entry_id)
        finally:
            data = ctx.live.reload()  # also when another tab removed it first
        return data.version, make_import_status(t("import_removed", lang, file=files.get(entry_id, entry_id)), lang)

    @app.callback(
        Output(ids.IMPORT_DOWNLOAD, "data"),
        Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        Input(ids.IMPORT_REJECTED, "n_clicks"),
        State(ids.IMPORT_TOKEN, "data"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    @import_guarded
    def download_rejected(n_clicks: Any, token: Any, current: Any) -> tuple[Any, ...]:
        """The rejected rows (with their ``row`` and ``problem``, in the page's language) as UTF-8-BOM CSV."""
        if not n_clicks:
            raise PreventUpdate
        lang = ViewState.from_dict(current).lang
        result = ctx.pending.get(token)
        if result is None:
            return no_update, make_import_status(t("import_expired", lang), lang, error=True)
        with tempfile.TemporaryDirectory(prefix="rejected-", dir=upload_root()) as tmp:
            path = result.rejected_csv(Path(tmp) / "rejected.csv", lang)
            body = path.read_bytes()
        return dcc.send_bytes(body, download_name(result.file)), no_update
