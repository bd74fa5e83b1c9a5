"""The side bar: its frame (collapsible), the operator and status filters and the layer toggles.

The indicator pickers (:mod:`app.features.choropleth`), the year (:mod:`app.features.time`) and
the hexagon overlays (:mod:`app.features.hexes`) put their controls in it too.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State, dcc, html

from app import ids
from app.context import AppContext
from app.data import PageMeta
from app.i18n import layer_title, operator_name, part_name, status_name, t
from app.state import POINT_LAYERS, ViewState
from app.widgets import fieldset
from zzgeo.classes import OPERATOR_COLORS
from zzgeo.layers import OPERATORS, STATUSES
from zzgeo.plan import PLAN_PARTS


def make_sidebar(state: ViewState, sections: list[Any]) -> html.Aside:
    """The collapsible side bar: a head with its toggle, then ``sections`` (controls of the features).

    Collapsed (``zzgeo.sidebarToggle``, in the browser), it leaves a narrow rail with the toggle
    and the map takes the width.
    """
    lang = state.lang
    return html.Aside(
        [
            html.Div(
                [
                    html.H2(t("controls", lang), className="zz-h2"),
                    html.Button(
                        html.Span("⟨", **{"aria-hidden": "true"}),
                        id=ids.SIDEBAR_TOGGLE,
                        n_clicks=0,
                        type="button",
                        className="zz-sidebar-toggle",
                        title=t("sidebar_hide", lang),
                        **{
                            "aria-label": t("sidebar_hide", lang),
                            "aria-expanded": "true",
                            "aria-controls": ids.CONTROLS,
                            "data-label-hide": t("sidebar_hide", lang),
                            "data-label-show": t("sidebar_show", lang),
                        },
                    ),
                ],
                className="zz-sidebar-head",
            ),
            html.Section(sections, id=ids.CONTROLS, className="zz-sidebar-body"),
        ],
        id=ids.SIDEBAR,
        className="zz-sidebar",
        **{"aria-label": t("controls", lang)},
    )


def make_filters(state: ViewState, meta: PageMeta) -> list[Any]:
    """Operator and status filters, layer toggles (with counts) and what failed to load."""
    lang = state.lang
    return [
        fieldset(
            t("operator", lang),
            dcc.Checklist(
                id=ids.OPERATORS,
                options=[{"label": _operator_label(k, lang), "value": k} for k in OPERATORS],
                value=list(state.operators),
                className="zz-checklist",
            ),
            ids.OPERATORS,
        ),
        fieldset(
            t("status", lang),
            dcc.Checklist(
                id=ids.STATUSES,
                options=[{"label": status_name(k, lang), "value": k} for k in STATUSES],
                value=list(state.statuses),
                className="zz-checklist",
            ),
            ids.STATUSES,
        ),
        fieldset(t("layers", lang), make_layer_toggles(state, meta), ids.LAYERS),
        *[
            html.P(t("error_layer_missing", lang, layer=layer_title(k, lang), message=msg), className="zz-bad zz-small")
            for k, msg in meta.layer_errors.items()
        ],
    ]


def _operator_label(key: str, lang: str) -> html.Span:
    dot = html.Span(className="zz-dot", style={"background": OPERATOR_COLORS[key]})
    return html.Span([dot, operator_name(key, lang)], className="zz-opt")


def make_layer_toggles(state: ViewState, meta: PageMeta) -> html.Div:
    """The point layers' toggles, each with its symbol and the count it shows (from the views)."""
    lang = state.lang
    symbol = {
        "5g_sites": html.Span(className="zz-dot zz-dot-site"),
        "data_centers": html.Span(className="zz-sym zz-sym-dc zz-sym-inline"),
        "smart_projects": html.Span(
            [
                html.Span(className=f"zz-sym zz-sym-{part} zz-sym-inline", title=part_name(part, lang))
                for part in PLAN_PARTS
            ],
            className="zz-syms",
        ),
    }
    options = []
    for kind in POINT_LAYERS:
        error = meta.layer_errors.get(kind)
        count = html.Span(
            "" if error else "…",
            id={"type": ids.LAYER_COUNT, "index": kind},
            className="zz-count",
            **{"data-kind": kind},
        )
        label = html.Span([symbol[kind], html.Span(layer_title(kind, lang)), count], className="zz-opt")
        options.append({"label": label, "value": kind, "disabled": bool(error)})
    parts = html.Ul(
        [
            html.Li([html.Span(className=f"zz-sym zz-sym-{part} zz-sym-inline"), part_name(part, lang)])
            for part in PLAN_PARTS
        ],
        className="zz-part-legend zz-small",
        **{"aria-label": layer_title("smart_projects", lang)},
    )
    return html.Div(
        [dcc.Checklist(id=ids.LAYERS, options=options, value=list(state.layers), className="zz-checklist"), parts]
    )


def make_import_link(lang: str) -> html.Button:
    """Opens the dock's import panel (zz-0-core.js: data-dock-open); a link would change the URL."""
    return html.Button(
        t("import_jump", lang), className="zz-btn zz-btn-link", type="button", **{"data-dock-open": "import"}
    )


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Fold and unfold the side bar (in the browser)."""
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="sidebarToggle"),
        Output(ids.MAIN, "className"),
        Output(ids.SIDEBAR_TOGGLE, "aria-expanded"),
        Output(ids.SIDEBAR_TOGGLE, "title"),
        Input(ids.SIDEBAR_TOGGLE, "n_clicks"),
        State(ids.SIDEBAR_TOGGLE, "data-label-hide"),
        State(ids.SIDEBAR_TOGGLE, "data-label-show"),
        prevent_initial_call=True,
    )
