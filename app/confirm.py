"""Buttons that ask first: a button in a list, a confirm dialog naming what it acts on, the action.

The list of imports (Remove), the batches of accepted proposals (Remove) and the history
(an admin's Revert) have the same wiring, described once by an :class:`AskFirst`:

* each row's button has a pattern-matching id (``{"type": button, "index": what}``,
  :meth:`AskFirst.button_id`);
* a click runs the clientside function ``ask`` (namespace ``zzgeo``; they call
  ``Z.confirmFor`` in ``zz-0-core.js``): it keeps the clicked button's index in the
  ``pending`` store and opens the ``dialog``, its message naming what the row is;
* once the user confirms, the action runs on the server with what is pending and the page's
  language (:func:`register_confirm`), after the role check (:func:`app.auth.needs`).

The layout holds the store and the dialog (:meth:`AskFirst.parts`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, dcc
from dash.exceptions import PreventUpdate

from app import ids
from app.auth import needs
from app.state import ViewState

Act = TypeVar("Act", bound=Callable[[Any, str], Any])


@dataclass(frozen=True)
class AskFirst:
    """The ids of one "asks first" wiring."""

    #: the pattern-id type of the rows' buttons (their index: what they act on)
    button: str
    #: the store holding the clicked button's index until the user confirms
    pending: str
    #: the dcc.ConfirmDialog (its message: a template the browser fills in)
    dialog: str
    #: the clientside function (namespace ``zzgeo``) that fills the message and opens the dialog
    ask: str

    def button_id(self, index: Any) -> dict[str, Any]:
        """The id of the button of the row ``index`` names."""
        return {"type": self.button, "index": index}

    def parts(self, message: str) -> list[Any]:
        """The pending store and the dialog, for the layout (``message``: the template)."""
        return [dcc.Store(id=self.pending, data=None), dcc.ConfirmDialog(id=self.dialog, message=message)]


def nonempty_str(value: Any) -> bool:
    """Whether ``value`` is a non-empty string (the id of an import or a batch)."""
    return isinstance(value, str) and bool(value)


def register_confirm(
    app: dash.Dash,
    asks: AskFirst,
    *,
    outputs: Sequence[Output],
    role: str,
    valid: Callable[[Any], bool],
    guard: Callable[[Callable[..., Any]], Callable[..., Any]] | None = None,
) -> Callable[[Act], Act]:
    """A decorator: ``act(pending, lang)`` runs once the user confirmed, its answer to ``outputs``.

    The clicks ask first (``asks.ask``). The server's callback needs ``role``; nothing happens
    unless the dialog was confirmed and the pending value is ``valid``. ``guard`` (e.g.
    :func:`app.features.import_status.import_guarded`) wraps the role check and the action.
    ``act`` itself is returned unchanged.
    """

    def decorate(act: Act) -> Act:
        app.clientside_callback(
            ClientsideFunction(namespace="zzgeo", function_name=asks.ask),
            Output(asks.pending, "data"),
            Output(asks.dialog, "displayed"),
            Output(asks.dialog, "message"),
            Input({"type": asks.button, "index": ALL}, "n_clicks"),
            State(asks.dialog, "message"),
            prevent_initial_call=True,
        )

        def submit(confirmed: Any, pending: Any, current: Any) -> Any:
            if not confirmed or not valid(pending):
                raise PreventUpdate
            return act(pending, ViewState.from_dict(current).lang)

        submit.__name__, submit.__qualname__, submit.__doc__ = act.__name__, act.__qualname__, act.__doc__
        callback = needs(role)(submit)
        app.callback(
            *outputs,
            Input(asks.dialog, "submit_n_clicks"),
            State(asks.pending, "data"),
            State(ids.STATE, "data"),
            prevent_initial_call=True,
        )(guard(callback) if guard is not None else callback)
        return act

    return decorate
