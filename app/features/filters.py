"""The side bar's controls: indicator and colours, year, operator and status filters, layer toggles."""

from __future__ import annotations

from dash import dcc, html

from app import ids
from app.colors import OPERATOR_COLORS
from app.data import PageMeta
from app.features.hexes import make_hex_controls
from app.i18n import indicator_label, layer_title, operator_name, part_name, status_name, t
from app.state import PALETTE_NAMES, POINT_LAYERS, YEARS, ViewState
from app.widgets import fieldset
from zzgeo.indicators import INDICATORS
from zzgeo.layers import OPERATORS, STATUSES
from zzgeo.plan import PLAN_PARTS


def make_controls(state: ViewState, meta: PageMeta) -> html.Section:
    """Indicator picker, year slider, operator/status filters and layer toggles."""
    lang = state.lang
    layer_options = []
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
    for kind in POINT_LAYERS:
        error = meta.layer_errors.get(kind)
        label = html.Span(
            [
                symbol[kind],
                html.Span(layer_title(kind, lang)),
                html.Span(
                    "" if error else "…",
                    id={"type": ids.LAYER_COUNT, "index": kind},
                    className="zz-count",
                    **{"data-kind": kind},
                ),
            ],
            className="zz-opt",
        )
        layer_options.append({"label": label, "value": kind, "disabled": bool(error)})
    return html.Section(
        [
            html.H2(t("controls", lang), className="zz-h2"),
            html.Label(t("indicator", lang), htmlFor=ids.INDICATOR, className="zz-label"),
            dcc.Dropdown(
                id=ids.INDICATOR,
                options=[{"label": indicator_label(k, lang), "value": k} for k in INDICATORS],
                value=state.indicator,
                clearable=False,
                searchable=False,
                className="zz-dropdown",
            ),
            html.Label(t("palette", lang), htmlFor=ids.PALETTE, className="zz-label"),
            dcc.Dropdown(
                id=ids.PALETTE,
                options=[{"label": t(f"palette_{name}", lang), "value": name} for name in PALETTE_NAMES],
                value=state.palette,
                clearable=False,
                searchable=False,
                className="zz-dropdown",
            ),
            html.Label(t("year", lang), htmlFor=ids.YEAR, className="zz-label", id=f"{ids.YEAR}-label"),
            dcc.Slider(
                id=ids.YEAR,
                min=YEARS[0],
                max=YEARS[-1],
                step=1,
                value=state.year,
                marks={y: {"label": str(y)} for y in YEARS},
                allow_direct_input=False,
                className="zz-slider",
            ),
            fieldset(
                t("operator", lang),
                dcc.Checklist(
                    id=ids.OPERATORS,
                    options=[
                        {
                            "label": html.Span(
                                [
                                    html.Span(className="zz-dot", style={"background": OPERATOR_COLORS[k]}),
                                    operator_name(k, lang),
                                ],
                                className="zz-opt",
                            ),
                            "value": k,
                        }
                        for k in OPERATORS
                    ],
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
            fieldset(
                t("layers", lang),
                html.Div(
                    [
                        dcc.Checklist(
                            id=ids.LAYERS, options=layer_options, value=list(state.layers), className="zz-checklist"
                        ),
                        html.Ul(
                            [
                                html.Li(
                                    [html.Span(className=f"zz-sym zz-sym-{part} zz-sym-inline"), part_name(part, lang)]
                                )
                                for part in PLAN_PARTS
                            ],
                            className="zz-part-legend zz-small",
                            **{"aria-label": layer_title("smart_projects", lang)},
                        ),
                    ]
                ),
                ids.LAYERS,
            ),
            make_hex_controls(state),
            *[
                html.P(
                    t("error_layer_missing", lang, layer=layer_title(k, lang), message=msg), className="zz-bad zz-small"
                )
                for k, msg in meta.layer_errors.items()
            ],
            # scrolls to the import panel (zzgeo.js); a link would change the URL's hash
            html.Button(
                t("import_jump", lang),
                className="zz-btn zz-btn-link",
                type="button",
                **{"data-scroll-to": ids.IMPORT},
            ),
        ],
        id=ids.CONTROLS,
        className="zz-section",
    )
