"""The record of changes: who imported, replaced, removed or accepted what, and when; an admin's revert.

Every change to the shared data is logged in the workspace (:func:`zzgeo.audit.history`, with
the accounts' own changes); this panel lists the latest in the import tab. An admin may revert
a data change (the revert is logged too). The server checks the role (:func:`app.auth.needs`):
a hidden button is not a check.
"""

from __future__ import annotations

import logging
from typing import Any

import dash
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from app import ids
from app.auth import who
from app.confirm import AskFirst, register_confirm
from app.context import AppContext
from app.i18n import STRINGS, layer_title, t
from app.state import ViewState
from app.widgets import table, when
from zzgeo.audit import history
from zzgeo.classes import fmt_number
from zzgeo.errors import ZzgeoError
from zzgeo.layers import LAYER_KINDS
from zzgeo.workspace import REVERTIBLE

logger = logging.getLogger(__name__)

#: changes listed (the newest); the whole log: ``zzgeo workspace log``
MAX_SHOWN = 50
#: an admin's Revert asks first, naming the change (zz-import.js: confirmRevert)
REVERT = AskFirst(
    button=ids.HISTORY_REVERT, pending=ids.HISTORY_PENDING, dialog=ids.HISTORY_CONFIRM, ask="confirmRevert"
)


def action_name(action: str, lang: str) -> str:
    """A logged action in words (the action itself when it has no text)."""
    key = "history_reverted_action" if action == "revert" else f"history_{action}"
    return t(key, lang) if key in STRINGS else action


def make_history_rows(log: pd.DataFrame, lang: str, *, admin: bool = False) -> list[Any]:
    """The newest changes first, with a Revert button on data changes an admin may undo."""
    if log.empty:
        return [html.P(t("history_none", lang), className="zz-muted zz-small")]
    reverted = {
        str(d).removeprefix("reverts #")
        for d, a in zip(log["detail"], log["action"], strict=True)
        if a == "revert" and str(d).startswith("reverts #")
    }
    rows = []
    for r in log.iloc[::-1].head(MAX_SHOWN).to_dict("records"):
        seq = None if pd.isna(r["seq"]) else int(r["seq"])
        kind = str(r.get("kind") or "")
        counts = ""
        if not pd.isna(r.get("count_before")) and not pd.isna(r.get("count_after")):
            counts = f"{fmt_number(r['count_before'])} → {fmt_number(r['count_after'])}"
        undo: Any = ""
        if admin and seq is not None and r["action"] in REVERTIBLE and str(seq) not in reverted:
            undo = html.Button(
                t("history_revert", lang),
                id=REVERT.button_id(seq),
                n_clicks=0,
                className="zz-btn zz-btn-small",
                title=t("history_revert_label", lang, seq=seq),
            )
        rows.append(
            html.Tr(
                [
                    html.Td(when(str(r["at"]))),
                    html.Td(str(r["who"])),
                    html.Td(action_name(str(r["action"]), lang)),
                    html.Td(layer_title(kind, lang) if kind in LAYER_KINDS else kind),
                    html.Td(str(r.get("file") or r.get("detail") or ""), className="zz-import-file"),
                    html.Td(counts, className="zz-num"),
                    html.Td(undo),
                ],
                **{"data-seq": "" if seq is None else str(seq), "data-action": str(r["action"])},
            )
        )
    head = [t(k, lang) for k in ("history_at", "history_who", "history_action", "history_kind", "history_what")]
    return [html.Div(table([*head, t("history_counts", lang), ""], rows, "zz-history"), className="zz-table-wrap")]


def make_history(lang: str) -> html.Section:
    """The history panel (filled when the import tab opens and after every change)."""
    return html.Section(
        [
            html.H3(t("history", lang), className="zz-h3"),
            html.P(t("history_help", lang), className="zz-small zz-muted"),
            html.Div(id=ids.HISTORY_STATUS, className="zz-status", role="status", **{"aria-live": "polite"}),
            html.Div(id=ids.HISTORY),
            dcc.Store(id=ids.HISTORY_OPEN, data=""),  # "": not opened yet (not None: see UNSET)
            *REVERT.parts(t("history_revert_confirm", lang, seq="{seq}")),
        ],
        className="zz-history-panel",
    )


def register(app: dash.Dash, ctx: AppContext) -> None:
    """The list of changes (when the import tab is open) and an admin's revert (asked first)."""

    app.clientside_callback(  # the server is asked only when the import tab opens, not for every tab
        ClientsideFunction(namespace="zzgeo", function_name="importOpened"),
        Output(ids.HISTORY_OPEN, "data"),
        Input(ids.DOCK_STATE, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.HISTORY, "children"),
        Input(ids.HISTORY_OPEN, "data"),
        Input(ids.DATA_VERSION, "data"),
        State(ids.DOCK_STATE, "data"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    def show_history(_opened: Any, _version: Any, tab: Any, current: Any) -> list[Any]:
        if tab != "import":
            raise PreventUpdate
        from app.auth import current_user

        lang = ViewState.from_dict(current).lang
        try:
            log = history(ctx.data.workspace)
        except ZzgeoError as exc:
            return [html.P(exc.text(lang), className="zz-bad")]
        return make_history_rows(log, lang, admin=current_user().can("admin"))

    @register_confirm(
        app,
        REVERT,
        outputs=[Output(ids.DATA_VERSION, "data", allow_duplicate=True), Output(ids.HISTORY_STATUS, "children")],
        role="admin",
        valid=lambda seq: isinstance(seq, int),
    )
    def revert(seq: int, lang: str) -> tuple[Any, Any]:
        """Undo one logged change (an admin's action, logged as well); reload the data."""
        try:
            done = ctx.data.workspace.revert(seq, who=who())
        except ZzgeoError as exc:
            return no_update, [html.P(exc.text(lang), className="zz-bad", **{"data-kind": "error"})]
        data = ctx.live.reload()
        logger.info("reverted #%s: %s", seq, done)
        message = t("history_reverted", lang, seq=seq)
        return data.version, [html.P(message, className="zz-ok", **{"data-kind": "ok"})]
