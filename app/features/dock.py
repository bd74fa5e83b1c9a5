"""The dock below the map: tabs for the ranking, time, what-if, import and export panels.

The dock is closed when the page opens, so the map has the window; a tab opens its panel
(the map shrinks, it never leaves the screen) and the same tab closes it again. Every panel
stays mounted (hidden when closed), so callbacks that fill them always find them. Which tab
is open lives in the browser (the DOCK_STATE store; ``zzgeo.dockState``): no server round
trip. Any element with ``data-dock-open="<tab>"`` opens that tab (e.g. the side bar's
"Import your own data").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State, dcc, html

from app import ids
from app.context import AppContext

#: the dock's tabs, in order
TABS = ("ranking", "time", "whatif", "import", "export")


def make_dock(panels: Sequence[tuple[str, str, Any]], open_tab: str | None = None) -> html.Section:
    """The tab bar and the panels: ``panels`` are (tab, label, content) in :data:`TABS` order."""
    names = [name for name, _, _ in panels]
    if sorted(names) != sorted(TABS):
        raise ValueError(f"the dock needs one panel per tab {TABS}, got {names}")
    tabs = [
        html.Button(
            label,
            id={"type": ids.DOCK_TAB, "index": name},
            className="zz-dock-tab",
            type="button",
            role="tab",
            **{
                "aria-selected": "true" if name == open_tab else "false",
                "aria-controls": f"dock-{name}",
                "data-dock-open": name,
            },
        )
        for name, label, _ in panels
    ]
    bodies = [
        html.Div(
            content,
            id={"type": ids.DOCK_PANEL, "index": name},
            className="zz-dock-panel",
            role="tabpanel",
            hidden=name != open_tab,
            **{"data-tab": name},
        )
        for name, _, content in panels
    ]
    return html.Section(
        [
            dcc.Store(id=ids.DOCK_STATE, data=open_tab or ""),  # "": none open (not None: see UNSET)
            html.Div(tabs, className="zz-dock-tabs", role="tablist"),
            html.Div(bodies, className="zz-dock-body"),
        ],
        id=ids.DOCK,
        className="zz-dock" + (" zz-dock-open" if open_tab else ""),
    )


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Open and close the dock's panels (in the browser)."""
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="dockState"),
        Output(ids.DOCK, "className"),
        Output({"type": ids.DOCK_TAB, "index": dash.ALL}, "aria-selected"),
        Output({"type": ids.DOCK_PANEL, "index": dash.ALL}, "hidden"),
        Input(ids.DOCK_STATE, "data"),
        State({"type": ids.DOCK_TAB, "index": dash.ALL}, "id"),
        prevent_initial_call=True,
    )
