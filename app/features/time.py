"""Time: the as-of year (the years follow the data), playing through them, comparing two years.

- The slider offers every year from the first in the data to the last; the plan sets targets
  for 2023-2025 only, and the views say so for the years after.
- Play animates the as-of year (cumulative growth) in the browser (``zzgeo.yearPlay``), with
  pause and a step back and forward; each step is an ordinary change of the year.
- Compare (``cmp=`` in the URL): the map shows the change of the indicator from that year to
  the as-of year (:func:`make_change_views`, classes from :func:`zzgeo.classes.classify_change`).
- The "Over time" tab: a district x year table (sites and per 10,000) and the city against the
  plan's target path (:func:`make_time_panel`), filled when the tab is open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import ClientsideFunction, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from app import ids
from app.context import AppContext
from app.features.choropleth import make_legend
from app.i18n import district_name, in_sentence, indicator_label, indicator_title, t, target_status, tu
from app.state import ViewState
from zzgeo.classes import classify_change, district_rows, fmt_indicator, fmt_number
from zzgeo.districts import CITY_ADCODE
from zzgeo.indicators import INDICATORS

#: milliseconds between two years while playing (each step waits for the server's views)
PLAY_INTERVAL_MS = 1600
#: the last year the plan sets a target for
PLAN_END = 2025


def year_marks(years: Sequence[int]) -> dict[int, dict[str, str]]:
    """Slider marks: the first and last year and every other year between (they fit a side bar)."""
    first, last = years[0], years[-1]
    return {y: {"label": str(y)} for y in years if y in (first, last) or ((y - first) % 2 == 0 and last - y > 1)}


def make_year_controls(state: ViewState, years: Sequence[int]) -> list[Any]:
    """The as-of year slider, play/pause and steps, and the year to compare with."""
    lang = state.lang

    def button(ident: str, symbol: str, label: str, **attrs: Any) -> html.Button:
        return html.Button(
            symbol,
            id=ident,
            n_clicks=0,
            type="button",
            className="zz-btn zz-btn-small zz-play-btn",
            title=label,
            **{"aria-label": label},
            **attrs,
        )

    return [
        html.Label(t("year", lang), htmlFor=ids.YEAR, className="zz-label", id=f"{ids.YEAR}-label"),
        dcc.Slider(
            id=ids.YEAR,
            min=years[0],
            max=years[-1],
            step=1,
            value=state.year,
            marks=year_marks(years),
            allow_direct_input=False,
            className="zz-slider",
        ),
        html.Div(
            [
                button(ids.YEAR_BACK, "«", t("year_back", lang)),
                button(
                    ids.PLAY,
                    t("play", lang),
                    t("play_label", lang),
                    **{"aria-pressed": "false", "data-play": t("play", lang), "data-pause": t("pause", lang)},
                ),
                button(ids.YEAR_NEXT, "»", t("year_next", lang)),
            ],
            className="zz-play",
            role="group",
            **{"aria-label": t("play_group", lang)},
        ),
        dcc.Interval(id=ids.PLAY_TIMER, interval=PLAY_INTERVAL_MS, disabled=True),
        html.Label(t("compare", lang), htmlFor=ids.COMPARE, className="zz-label"),
        dcc.Dropdown(
            id=ids.COMPARE,
            options=[{"label": t("compare_with", lang, year=y), "value": y} for y in years],
            value=state.compare,
            placeholder=t("compare_none", lang),
            clearable=True,
            searchable=False,
            className="zz-dropdown",
        ),
        html.P(t("compare_help", lang), className="zz-small zz-muted"),
    ]


# ---------------------------------------------------------------------------------------
# the change map


def change_tips(change: pd.DataFrame, indicator: str, lang: str) -> dict[str, list[str]]:
    """Tooltip lines per adcode: names, the change of ``indicator`` (before → after), underserved."""
    first, last = change.attrs["compare"]
    tips = {}
    for row in district_rows(change).to_dict("records"):
        other = row["name_zh"] if lang == "en" else row["name_en"]
        delta = row[indicator]
        sign = "+" if delta and delta > 0 else ""
        lines = [
            f"{district_name(row, lang)} · {other}",
            t(
                "tip_change",
                lang,
                title=indicator_title(indicator, lang),
                first=first,
                last=last,
                before=fmt_indicator(row[f"{indicator}_before"], indicator),
                after=fmt_indicator(row[f"{indicator}_after"], indicator),
                delta=sign + fmt_indicator(delta, indicator),
            ),
        ]
        if bool(row.get("underserved")):
            lines.append(t("tip_under", lang))
        tips[str(row["adcode"])] = lines
    return tips


def make_change_views(
    change: pd.DataFrame, lang: str, palettes: Sequence[str], *, selected: str | None = None, dim: bool = False
) -> dict[str, Any]:
    """The hideouts and legends of the change map, per indicator and colour scheme (as the views').

    The outline below the target is the as-of year's.
    """
    first, last = change.attrs["compare"]
    rows = district_rows(change)
    under = sorted(str(c) for c in rows.loc[rows["underserved"].astype(bool), "adcode"])
    hideouts: dict[str, dict[str, Any]] = {}
    legends: dict[str, dict[str, Any]] = {}
    for indicator in INDICATORS:
        tips = change_tips(change, indicator, lang)
        hideouts[indicator], legends[indicator] = {}, {}
        label = in_sentence(indicator_label(indicator, lang), lang)
        title = t("legend_change", lang, title=label, first=first, last=last)
        for name in palettes:
            scheme = classify_change(rows[indicator].tolist(), indicator, name)
            fills = {str(code): scheme.color(v) for code, v in zip(rows["adcode"], rows[indicator], strict=True)}
            hideouts[indicator][name] = {
                "indicator": indicator,
                "palette": name,
                "fill": fills,
                "under": under,
                "selected": selected,
                "dim": dim,
                "tips": tips,
                "change": [first, last],
            }
            legends[indicator][name] = make_legend(scheme, change, lang, title=title)
    return {"hideouts": hideouts, "legend": legends}


# ---------------------------------------------------------------------------------------
# the "Over time" tab


def per_10k(counts: pd.DataFrame, population: Mapping[str, float]) -> pd.DataFrame:
    """Sites per 10,000 residents of a sites-by-year table (rows by adcode, columns years)."""
    pop = pd.Series({code: population.get(code, float("nan")) for code in counts.index}, dtype="float64")
    return counts.div(pop, axis=0) * 10_000


def make_time_table(
    counts: pd.DataFrame,
    density: pd.DataFrame,
    names: Mapping[str, str],
    lang: str,
    marked: Sequence[int],
    *,
    areas: bool = False,
) -> html.Table:
    """Districts (or ``areas``, and the city) by year: sites and sites per 10,000; ``marked`` years stand out."""
    years = [int(y) for y in counts.columns]
    head = html.Tr(
        [html.Th(tu("col_district", lang, areas), scope="col")]
        + [html.Th(str(y), scope="col", className="zz-marked" if y in marked else None) for y in years]
    )
    body = []
    for code in counts.index:
        cells = [
            html.Td(
                [
                    html.Span(fmt_number(counts.at[code, y]), className="zz-time-sites"),
                    html.Br(),
                    html.Span(fmt_number(density.at[code, y], 1), className="zz-time-density"),
                ],
                className="zz-num" + (" zz-marked" if y in marked else ""),
                **{"data-year": str(y), "data-sites": str(int(counts.at[code, y]))},
            )
            for y in years
        ]
        city = code == CITY_ADCODE
        body.append(
            html.Tr(
                [html.Th(names.get(code, code), scope="row"), *cells],
                className="zz-city-line" if city else None,
                **{"data-adcode": code},
            )
        )
    return html.Table([html.Thead(head), html.Tbody(body)], className="zz-table zz-time-table")


def make_city_chart(
    density: pd.Series, targets: Mapping[int, float], statuses: Mapping[int, str], lang: str, year: int
) -> go.Figure:
    """The city's sites per 10,000 by year against the plan's target path (dashed; assumed years marked)."""
    years = [int(y) for y in density.index]
    fig = go.Figure()
    fig.add_bar(
        x=years,
        y=[round(float(v), 1) for v in density.to_numpy()],
        name=t("chart_city_density", lang),
        marker_color=["#08519c" if y == year else "#6baed6" for y in years],
    )
    if targets:
        xs = sorted(targets)
        labels = [target_status(statuses.get(x), lang) for x in xs]
        fig.add_scatter(
            x=xs,
            y=[targets[x] for x in xs],
            name=t("chart_target_path", lang),
            mode="lines+markers+text",
            text=[f"{targets[x]:g} ({label})" for x, label in zip(xs, labels, strict=True)],
            textposition="top center",
            line={"color": "#ca0020", "dash": "dash", "width": 2},
        )
    if years and years[-1] > PLAN_END:
        fig.add_vrect(
            x0=PLAN_END + 0.5,
            x1=years[-1] + 0.5,
            fillcolor="#eeeeee",
            opacity=0.6,
            line_width=0,
            annotation_text=t("chart_after_plan", lang),
            annotation_position="bottom left",
            annotation_font_size=10,
        )
    fig.update_layout(
        title={"text": t("chart_city_title", lang), "font": {"size": 14}},
        margin={"l": 48, "r": 8, "t": 40, "b": 36},
        height=280,
        legend={"orientation": "h", "y": -0.2},
        xaxis={"tickmode": "array", "tickvals": years, "tickfont": {"size": 10}},
        yaxis={"title": t("col_per_10k", lang), "rangemode": "tozero"},
        plot_bgcolor="#fff",
        paper_bgcolor="#fff",
        font={"family": "system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"},
    )
    fig.update_yaxes(gridcolor="#e5e5e5")
    return fig


def make_time_panel(
    counts: pd.DataFrame,
    population: Mapping[str, float],
    names: Mapping[str, str],
    targets: Mapping[int, float],
    statuses: Mapping[int, str],
    state: ViewState,
) -> list[Any]:
    """The "Over time" tab: the district x year table and the city's chart against the target path."""
    lang = state.lang
    density = per_10k(counts, population)
    marked = [y for y in (state.compare, state.year) if y is not None]
    return [
        html.Div(
            [
                html.Div(
                    [
                        html.H3(tu("time_table", lang, state.level is not None), className="zz-h3"),
                        html.P(t("time_table_help", lang), className="zz-small zz-muted"),
                        html.Div(
                            make_time_table(counts, density, names, lang, marked, areas=state.level is not None),
                            className="zz-table-wrap",
                        ),
                    ],
                    className="zz-time-left",
                ),
                dcc.Graph(
                    id=ids.TIME_CHART,
                    figure=make_city_chart(density.loc[CITY_ADCODE], targets, statuses, lang, state.year),
                    config={"displayModeBar": False, "responsive": True},
                    className="zz-chart zz-time-chart",
                ),
            ],
            className="zz-time",
            **{"data-years": ",".join(str(y) for y in counts.columns)},
        )
    ]


def register(app: dash.Dash, ctx: AppContext) -> None:
    """Play and steps (in the browser); the "Over time" tab (on the server, when it is open)."""
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="yearPlay"),
        Output(ids.YEAR, "value", allow_duplicate=True),
        Output(ids.PLAY_TIMER, "disabled"),
        Output(ids.PLAY, "aria-pressed"),
        Output(ids.PLAY, "children"),
        Input(ids.PLAY, "n_clicks"),
        Input(ids.YEAR_BACK, "n_clicks"),
        Input(ids.YEAR_NEXT, "n_clicks"),
        Input(ids.PLAY_TIMER, "n_intervals"),
        State(ids.YEAR, "value"),
        State(ids.YEAR, "min"),
        State(ids.YEAR, "max"),
        State(ids.PLAY_TIMER, "disabled"),
        State(ids.PLAY, "data-play"),
        State(ids.PLAY, "data-pause"),
        prevent_initial_call=True,
    )

    # the view reaches the server only while the tab is open: a view change with the tab closed
    # asks nothing (the tab is drawn when it opens)
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="timeView"),
        Output(ids.TIME_VIEW, "data"),
        Input(ids.STATE, "data"),
        Input(ids.DOCK_STATE, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.TIME_PANEL, "children"),
        Input(ids.TIME_VIEW, "data"),
        Input(ids.DATA_VERSION, "data"),
        State(ids.DOCK_STATE, "data"),
        prevent_initial_call=True,
    )
    def update_time(current: Any, _version: Any, tab: Any) -> list[Any]:
        if tab != "time" or not current:
            raise PreventUpdate
        state = ViewState.from_dict(current)
        data = ctx.data
        counts = ctx.by_year(state)
        population = ctx.unit_population(state)
        names = {**ctx.unit_names(state), CITY_ADCODE: t("col_city", state.lang)}
        rows = data.targets[data.targets["indicator"] == "5g_per_10k"]
        statuses = {int(y): str(s) for y, s in zip(rows["year"], rows["status"], strict=True)}
        return make_time_panel(counts, population, names, data.targets_by_year(), statuses, state)
