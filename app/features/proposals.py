"""Accepted proposals: planned sites in the workspace that everyone sees, and removing them (editors).

The what-if panel (:mod:`app.features.whatif`) lists the batches (:func:`make_batches`);
an editor accepts the proposals (they become planned sites, the log says who) or removes a batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
from dash import Input, Output, State, html, no_update
from dash.exceptions import PreventUpdate

from app import ids
from app.auth import needs, who
from app.confirm import AskFirst, nonempty_str, register_confirm
from app.context import AppContext
from app.data import EMPTY_FC, ProposalBatch
from app.i18n import t
from app.state import ViewState
from app.widgets import make_status, table, when
from zzgeo.classes import fmt_number
from zzgeo.errors import ZzgeoError

#: a batch's Remove asks first, naming how many sites (zz-whatif.js: confirmBatch)
REMOVE_BATCH = AskFirst(
    button=ids.BATCH_REMOVE, pending=ids.BATCH_PENDING, dialog=ids.BATCH_CONFIRM, ask="confirmBatch"
)


def make_batches(batches: Sequence[ProposalBatch], lang: str) -> list[Any]:
    """The batches of accepted proposals (planned sites everyone sees) with a Remove button each."""
    if not batches:
        return [html.P(t("whatif_batches_none", lang), className="zz-muted zz-small")]
    rows = [
        html.Tr(
            [
                html.Td(when(b.accepted_at)),
                html.Td(b.who),
                html.Td(fmt_number(b.rows), className="zz-num"),
                html.Td(
                    html.Button(
                        t("imports_remove", lang),
                        id=REMOVE_BATCH.button_id(b.id),
                        n_clicks=0,
                        className="zz-btn zz-btn-small zz-editor-only",
                        title=t("whatif_batch_remove", lang, n=b.rows),
                        **{"aria-label": t("whatif_batch_remove", lang, n=b.rows)},
                    )
                ),
            ],
            **{"data-batch": b.id},
        )
        for b in batches
    ]
    head = [t(k, lang) for k in ("whatif_batch_time", "whatif_batch_who", "whatif_batch_rows")]
    return [html.Div(table([*head, ""], rows, "zz-batches"), className="zz-table-wrap")]


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Accepting proposals as planned sites, and removing accepted ones: editors, in the workspace."""

    @app.callback(
        Output(ids.DATA_VERSION, "data", allow_duplicate=True),
        Output(ids.PROPOSALS, "data", allow_duplicate=True),
        Output(ids.STATUSES, "value", allow_duplicate=True),
        Output(ids.WHATIF_STATUS, "children", allow_duplicate=True),
        Input(ids.WHATIF_ACCEPT, "n_clicks"),
        State(ids.PROPOSALS, "data"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    @needs("editor")
    def accept_proposals(n_clicks: Any, proposals_store: Any, current: Any) -> tuple[Any, ...]:
        """The proposals become planned sites in the workspace (everyone sees them; the log says who)."""
        if not n_clicks:
            raise PreventUpdate
        state = ViewState.from_dict(current)
        lang = state.lang
        proposals = ctx.proposals(proposals_store)
        if len(proposals) == 0:
            return no_update, no_update, no_update, make_status(t("whatif_nothing_to_accept", lang), lang, error=True)
        try:
            ctx.data.workspace.add_proposals(proposals, who=who())
        except ZzgeoError as exc:
            return no_update, no_update, no_update, make_status(exc.text(lang), lang, error=True)
        data = ctx.live.reload()
        statuses = no_update if "planned" in state.statuses else [*state.statuses, "planned"]  # show them
        message = t("whatif_accepted", lang, n=fmt_number(len(proposals)))
        return data.version, dict(EMPTY_FC), statuses, make_status(message, lang)

    @register_confirm(
        app,
        REMOVE_BATCH,
        outputs=[
            Output(ids.DATA_VERSION, "data", allow_duplicate=True),
            Output(ids.WHATIF_STATUS, "children", allow_duplicate=True),
        ],
        role="editor",
        valid=nonempty_str,
    )
    def remove_batch(batch_id: str, lang: str) -> tuple[Any, Any]:
        """Remove one batch of accepted proposals from the workspace (the log keeps it)."""
        rows = {b.id: b.rows for b in ctx.data.proposal_batches}
        try:
            ctx.data.workspace.remove(batch_id, who=who())
        except ZzgeoError as exc:
            return no_update, make_status(exc.text(lang), lang, error=True)
        finally:
            data = ctx.live.reload()  # also when another tab removed it first
        return data.version, make_status(t("whatif_batch_removed", lang, n=rows.get(batch_id, 0)), lang)
