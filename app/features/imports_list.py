"""The list of imports in the workspace, and removing one (after a confirmation).

Each import has a Remove button (pattern-matching ids); the browser asks first
(``zz-import.js``: ``confirmRemove`` names the file; the wiring: :data:`REMOVE`,
:mod:`app.confirm`), then :func:`register`'s ``remove_import`` removes it (an editor's change,
recorded in the audit log) and reloads the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
from dash import Output, html

from app import ids
from app.auth import who
from app.confirm import AskFirst, nonempty_str, register_confirm
from app.context import AppContext
from app.data import ImportEntry
from app.features.import_status import import_guarded, make_import_status
from app.i18n import layer_title, t
from app.widgets import table, when
from zzgeo.classes import fmt_number
from zzgeo.layers import LAYER_KINDS

#: an import's Remove asks first, naming the file (zz-import.js: confirmRemove)
REMOVE = AskFirst(
    button=ids.IMPORT_REMOVE, pending=ids.IMPORT_REMOVE_PENDING, dialog=ids.IMPORT_CONFIRM, ask="confirmRemove"
)


def make_import_list(
    entries: Sequence[ImportEntry], lang: str, workspace_error: str | None = None, *, editable: bool = True
) -> list[Any]:
    """The imports in the workspace with a Remove button each (pattern-matching ids; none when not
    ``editable``: a viewer's page)."""
    out: list[Any] = []
    if workspace_error:
        out.append(html.P(t("workspace_error", lang, message=workspace_error), className="zz-bad"))
    if not entries:
        out.append(html.P(t("imports_none", lang), className="zz-muted zz-small"))
        return out
    rows = []
    for e in entries:
        cells = [
            html.Td(e.file, className="zz-import-file"),
            html.Td(layer_title(e.kind, lang) if e.kind in LAYER_KINDS else e.kind),
            html.Td(when(e.imported_at)),
            html.Td(f"{fmt_number(e.rows_accepted)} / {fmt_number(e.rows_rejected)}", className="zz-num"),
            html.Td(t("mode_replace" if e.mode == "replace" else "mode_add", lang)),
        ]
        if editable:
            cells.append(_remove_cell(e, lang))
        rows.append(html.Tr(cells, **{"data-entry": e.id, "data-kind": e.kind, "data-mode": e.mode}))
    head = [t(k, lang) for k in ("imports_file", "imports_kind", "imports_time", "imports_rows", "imports_mode")]
    out.append(html.Div(table([*head, ""] if editable else head, rows, "zz-imports"), className="zz-table-wrap"))
    return out


def _remove_cell(e: ImportEntry, lang: str) -> html.Td:
    """The Remove button of one import (the browser asks to confirm first)."""
    return html.Td(
        html.Button(
            t("imports_remove", lang),
            id=REMOVE.button_id(e.id),
            n_clicks=0,
            className="zz-btn zz-btn-small",
            title=t("imports_remove_label", lang, file=e.file),
            **{"aria-label": t("imports_remove_label", lang, file=e.file)},
        )
    )


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Remove an import once the user confirmed."""

    @register_confirm(
        app,
        REMOVE,
        outputs=[
            Output(ids.DATA_VERSION, "data", allow_duplicate=True),
            Output(ids.IMPORT_STATUS, "children", allow_duplicate=True),
        ],
        role="editor",
        valid=nonempty_str,
        guard=import_guarded,
    )
    def remove_import(entry_id: str, lang: str) -> tuple[Any, ...]:
        """Remove one import from the workspace (once the user confirmed); reload the data."""
        files = {e.id: e.file for e in ctx.data.imports}
        try:
            ctx.data.workspace.remove(entry_id, who=who())
        finally:
            data = ctx.live.reload()  # also when another tab removed it first
        return data.version, make_import_status(t("import_removed", lang, file=files.get(entry_id, entry_id)), lang)
