"""The page shell: the layout, the page composed from the features, header and footer, stores.

The page for a URL comes with the layout when the request names it (see
:func:`app.server.referrer_query`); otherwise the first-render callback builds it. After an
import is accepted or removed, ``refresh_data`` sends the new payload URLs, inline layers,
list of imports and data note.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from collections.abc import Callable, Sequence
from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from app import ids
from app.auth import CurrentUser, current_user
from app.context import AppContext
from app.data import DATA_ROUTE, ImportEntry, PageMeta, inline_layers
from app.errors import error_banner, error_message
from app.features.account import make_account
from app.features.briefing import make_briefing
from app.features.choropleth import make_pickers
from app.features.dock import make_dock
from app.features.export import make_export
from app.features.filters import make_filters, make_import_link, make_sidebar
from app.features.hexes import make_hex_controls
from app.features.history import make_history
from app.features.import_panel import make_import_panel
from app.features.imports_list import make_import_list
from app.features.level import make_level_control
from app.features.map import leaflet_texts, make_labels, make_map_wrap
from app.features.panel import make_panel
from app.features.proposals import make_batches
from app.features.ranking import make_ranking
from app.features.search import make_search
from app.features.time import make_year_controls
from app.features.views import answer_views, first_props
from app.features.whatif import make_whatif
from app.i18n import LANGS, layer_title, t
from app.levels import level_geojson
from app.server import html_lang
from app.state import (
    DEFAULT_INDICATOR,
    DEFAULT_PALETTE,
    PALETTE_NAMES,
    POINT_LAYERS,
    QUERY_ORDER,
    ViewState,
    fit_request,
    parse_query,
    to_query,
)
from app.widgets import UNSET, fill_props
from zzgeo import planning
from zzgeo.classes import fmt_number
from zzgeo.errors import ZzgeoError
from zzgeo.indicators import INDICATORS

logger = logging.getLogger(__name__)

#: h3-js, vendored (Apache-2.0); the browser loads it when a hexagon overlay is first shown
H3_URL = "/assets/vendor/h3-js-4.5.0.umd.js"
#: how often a page asks whether the data changed (a colleague's import, proposals, a revert)
VERSION_POLL_MS = 30_000


def make_shell(page: list[Any] | None = None, html_lang: str | None = None, lang: str | None = None) -> html.Div:
    """The top-level layout: the page, or a location that triggers its first render.

    With ``page`` (and its ``<html lang>`` value and language) the page comes with the
    layout, without the first render's location (no request); without, the first-render
    callback builds it from the URL.
    """
    return html.Div(
        [
            # only the shell has the first render's trigger: a page that came whole asks for nothing
            *([] if page else [dcc.Location(id=ids.URL_INIT, refresh=False)]),
            dcc.Store(id=ids.RENDERED, data=lang if page else None),
            dcc.Store(id=ids.DOC_LANG, data=None),
            html.Div(page or [], id=ids.PAGE, className="zz-page", lang=html_lang if page else None),
        ],
        className="zz-app",
    )


def browser_config(home: Sequence[Sequence[float]] | None = None) -> dict[str, Any]:
    """What the browser's code reads once, from the page's head (``window.zzgeo.config``).

    ``ids``: the components the JS finds by id; ``query``: the parameters the browser writes
    itself (indicator, colours), their defaults (left out of the URL) and allowed values,
    and the order of all parameters (as :func:`app.state.to_query` writes them); ``h3``:
    the h3-js script, loaded when a hexagon overlay is first shown. The server adds the
    libraries loaded on demand (``lazy``, see :class:`app.server.ZzDash`). ``home``: the city's
    bounds; the map refits them when its box changes size and it still shows the city whole
    (no view in the URL).
    """
    return {
        "home": fit_request(home, home=True) if home else None,
        "ids": {
            "map": ids.MAP,
            "url": ids.URL,
            "districts": ids.DISTRICTS,
            "mapWrap": ids.MAP_WRAP,
            "legendBox": ids.LEGEND_BOX,
            "legendBody": ids.LEGEND,
            "mapCaption": ids.MAP_CAPTION,
            "grid": ids.GRID,
            "title": ids.TITLE,
            "year": ids.YEAR,
            "dock": ids.DOCK,
            "dockState": ids.DOCK_STATE,
            "playTimer": ids.PLAY_TIMER,
            "yearBack": ids.YEAR_BACK,
            "yearNext": ids.YEAR_NEXT,
            "viewRequest": ids.VIEW_REQUEST,
            "dataVersion": ids.DATA_VERSION,
        },
        "query": {
            "order": list(QUERY_ORDER),
            "params": {
                "ind": {"default": DEFAULT_INDICATOR, "allowed": list(INDICATORS), "control": ids.INDICATOR},
                "pal": {"default": DEFAULT_PALETTE, "allowed": list(PALETTE_NAMES), "control": ids.PALETTE},
            },
        },
        "h3": H3_URL,
        "versionUrl": f"{DATA_ROUTE}/version",
        "versionPollMs": VERSION_POLL_MS,
        "leaflet": {lang: leaflet_texts(lang) for lang in LANGS},
    }


def make_config(meta: PageMeta) -> dict[str, Any]:
    """What the browser needs that changes with the data: the payload URLs (they carry a hash)."""
    return {"urls": dict(meta.urls)}


def make_stores(meta: PageMeta, state: ViewState) -> list[Any]:
    """The page's location, stores and download (the view state lives here).

    Without a map view in the URL the map is fitted to the city; the view request asks
    the browser to redo that fit with phone padding when the legend is below the map.

    A memory store whose first value is None "changes" when it mounts (Dash 4 calls its
    callbacks then, ``prevent_initial_call`` or not: plotly/dash#2911), so the stores only
    written later start as ``{}`` (see :data:`app.widgets.UNSET`). STATE starts with the
    page's view state (:meth:`ViewState.for_server`): the page shows it from its first paint.
    """
    home = state.center is None or state.zoom is None
    return [
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.URL_REPLACE, data=UNSET),
        dcc.Store(id=ids.URL_REPLACED, data=None),
        dcc.Store(id=ids.CONFIG, data=make_config(meta)),
        dcc.Store(id=ids.VIEW_REQUEST, data=fit_request(meta.bounds, initial=True) if home else None),
        dcc.Store(id=ids.HEX_REQUEST, data=UNSET),
        dcc.Store(id=ids.HEX_DATA, data=UNSET),
        dcc.Store(id=ids.STATE, data=state.for_server().to_dict()),
        dcc.Store(id=ids.VIEWS, data=UNSET),
        dcc.Store(id=ids.TIME_VIEW, data=UNSET),
        dcc.Store(id=ids.PROPOSALS, data=None, storage_type="session"),
        dcc.Store(id=ids.DRAWN, data=[]),  # leaflet ids of drawn points already taken
        dcc.Store(id=ids.EDIT_DRAWN, data=UNSET),  # the drawing tool's points (zzgeo.drawnChange)
        dcc.Store(id=ids.DATA_VERSION, data=meta.data_version),
        dcc.Store(id=ids.DATA_SEEN, data=None),
        dcc.Download(id=ids.DOWNLOAD),
    ]


def make_synthetic_note(imports: Sequence[ImportEntry], lang: str) -> str:
    """The note on where the point layers come from.

    Without imports: the layers are a synthetic sample. With imports, per kind: "your
    data (from ...)" when an import replaces the sample, "the sample mixed with N imported
    rows (from ...)" when imports were added; the kinds left as they were are still
    called a synthetic sample.
    """
    if not imports:
        return t("synthetic_note", lang)
    sep = t("list_sep", lang)
    sample: list[str] = []
    parts: list[str] = []
    for kind in POINT_LAYERS:
        mine = [e for e in imports if e.kind == kind]
        if not mine:
            sample.append(layer_title(kind, lang))
            continue
        files = sep.join(dict.fromkeys(e.file for e in mine))
        if any(e.mode == "replace" for e in mine):
            parts.append(t("note_replaced", lang, layer=layer_title(kind, lang), files=files))
        else:
            n = sum(e.rows_accepted for e in mine)
            parts.append(t("note_mixed", lang, layer=layer_title(kind, lang), n=fmt_number(n), files=files))
    if sample:
        parts.insert(0, t("note_sample", lang, layers=sep.join(sample)))
    parts.append(t("note_base", lang))
    return ("" if lang == "zh" else " ").join(parts)


def make_header(state: ViewState, imports: Sequence[ImportEntry] = (), user: CurrentUser | None = None) -> html.Header:
    """Title, the place search, who is using the app, the language switch and the note on the data."""
    lang = state.lang
    other = "en" if lang == "zh" else "zh"
    return html.Header(
        [
            html.Div(
                [html.H1(t("app_title", lang), id=ids.TITLE), html.P(t("app_subtitle", lang), className="zz-subtitle")],
                className="zz-titles",
            ),
            make_search(lang, areas=state.level is not None),
            make_account(user, lang, to_query(state)) if user is not None else html.Div(id=ids.ACCOUNT),
            html.A(
                t("switch_lang", lang),
                id=ids.LANG_LINK,
                href=to_query(state.with_lang(other)) or "?",
                className="zz-lang",
                lang="en" if other == "en" else "zh-CN",
                title=t("switch_lang_label", lang),
                **{"aria-label": t("switch_lang_label", lang)},
            ),
            html.P(make_synthetic_note(imports, lang), id=ids.SYNTHETIC_NOTE, className="zz-note", role="note"),
        ],
        className="zz-header",
    )


def make_page(
    state: ViewState,
    meta: PageMeta,
    *,
    tab: str = "",
    user: CurrentUser | None = None,
) -> list[Any]:
    """The whole page for ``state`` (its language and initial control values).

    The map takes the window: the side bar (filters and layers) folds away, the district
    details open in a drawer over the map, and the ranking, time, what-if, import and export
    panels open in the dock below it. The page builder then fills in the first view's colours,
    legend, ranking, cards and panel (:func:`page_builder`). ``tab`` names this page load
    (see :class:`app.context.Tickets`).
    """
    lang = state.lang
    sidebar = make_sidebar(
        state,
        [
            *make_level_control(state, meta),
            *make_pickers(state),
            *make_year_controls(state, meta.years),
            *make_filters(state, meta),
            make_hex_controls(state),
            make_import_link(lang),
        ],
    )
    dock = make_dock(
        [
            ("ranking", t("ranking", lang), make_ranking(state)),
            ("time", t("time", lang), html.Div(id=ids.TIME_PANEL, className="zz-time-panel")),
            ("whatif", t("whatif_tab", lang), make_whatif(lang, meta.proposal_batches)),
            (
                "import",
                t("import", lang),
                html.Div(
                    [
                        html.P(t("editors_only", lang), className="zz-editors-note zz-bad zz-small"),
                        make_import_panel(lang, meta, editor=user is None or user.can("editor")),
                        make_history(lang),
                    ]
                ),
            ),
            ("export", t("export", lang), html.Div([make_export(lang, meta), make_briefing(lang)])),
        ]
    )
    stage = html.Div(
        [
            html.Div(id=ids.CARDS, className="zz-cards", **{"aria-live": "polite"}),
            make_map_wrap(state, meta, overlays=[make_panel(lang)]),
            dock,
        ],
        className="zz-stage",
    )
    return [
        *make_stores(meta, state),
        dcc.Store(id=ids.TAB, data=tab),
        dcc.Store(id=ids.LABELS, data=make_labels(lang, meta.task_names)),
        make_header(state, meta.imports, user),
        html.Div(id=ids.ERROR, className="zz-error", role="alert", **{"aria-live": "assertive"}),
        html.Main([sidebar, stage], id=ids.MAIN, className="zz-main"),
    ]


def page_builder(ctx: AppContext) -> Callable[[str | None], tuple[list[Any], str, str]]:
    """The page builder (query string -> page children, ``<html lang>``, language) of the app."""

    def page_for(search: str | None) -> tuple[list[Any], str, str]:
        """The page for a query string: its children, ``<html lang>`` value and language."""
        data = ctx.live.refresh()  # the workspace may have been changed by another process
        meta = data.meta()
        state = parse_query(search).within(meta.years).within_levels(data.level_keys())
        level = ctx.level(state)
        if level is not None:  # the map opens with the level's polygons (the browser swaps them later)
            meta = dataclasses.replace(meta, geojson={**meta.geojson, "districts": level_geojson(level)})
        page = make_page(state, meta, tab=secrets.token_urlsafe(9), user=current_user())
        missing = fill_props(page, first_view(ctx, state, search))
        if missing:  # a builder no longer makes what the first view fills in: that part stays empty
            logger.warning("first view: no component with the ids %s on the page", missing)
        return page, html_lang(state.lang), state.lang

    return page_for


def first_view(ctx: AppContext, state: ViewState, search: str | None) -> list[tuple[Any, dict[str, Any]]]:
    """What the page of ``state`` (from the query string ``search``) holds from its first paint,
    so that its first view asks the server for nothing: the views (colours, legend, ranking,
    cards, panel: :func:`app.features.views.first_props`) and the location's tidy query.

    The location starts with the query the address bar will show: when ``search`` is not
    tidy (a bad or untidy URL), ``zzgeo.replaceUrl`` puts the tidy one in its place as the
    page mounts (no new history entry). If the views cannot be computed, the page says so
    where the errors of its callbacks go; the next change of the view asks for them again.
    """
    tidy = to_query(state)
    props: list[tuple[Any, dict[str, Any]]] = [(ids.URL, {"search": tidy})]
    if tidy != ("" if search in (None, "", "?") else search):
        props.append((ids.URL_REPLACE, {"data": {"search": tidy}}))
    try:
        answer = answer_views(ctx, state.for_server(), planning.empty_proposals())
    except Exception as exc:
        if not isinstance(exc, ZzgeoError):
            logger.exception("first views failed")
        return [*props, (ids.ERROR, {"children": error_banner(error_message(exc, state.lang))})]
    return [*props, *first_props(answer, state, POINT_LAYERS)]


def register(app: dash.Dash, ctx: AppContext) -> None:
    """The first render, the data refresh after imports, the page's language."""
    page_for = page_builder(ctx)

    @app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.PAGE, "lang"),
        Output(ids.RENDERED, "data"),
        Input(ids.URL_INIT, "search"),
        State(ids.RENDERED, "data"),
    )
    def render_page(search: str | None, rendered: Any) -> tuple[Any, str, str]:
        if rendered:  # the layout came with the page already (see app.server.referrer_query)
            raise PreventUpdate
        return page_for(search)

    @app.callback(
        Output(ids.CONFIG, "data"),
        Output(ids.DATA_CENTERS, "data"),
        Output(ids.SMART_PROJECTS, "data"),
        Output(ids.IMPORT_LIST, "children"),
        Output(ids.SYNTHETIC_NOTE, "children"),
        Output(ids.WHATIF_BATCHES, "children"),
        Input(ids.DATA_VERSION, "data"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    def refresh_data(_version: Any, current: Any) -> tuple[Any, ...]:
        """New payload URLs, inline layers, list of imports and data note after a change."""
        lang = ViewState.from_dict(current).lang
        data = ctx.data
        meta = data.meta()
        centers, projects = inline_layers(data)
        return (
            make_config(meta),
            centers,
            projects,
            make_import_list(meta.imports, lang, meta.workspace_error, editable=current_user().can("editor")),
            make_synthetic_note(meta.imports, lang),
            make_batches(meta.proposal_batches, lang),
        )

    app.clientside_callback(  # the page keeps its data's version: a newer one on the server refreshes it
        ClientsideFunction(namespace="zzgeo", function_name="noteVersion"),
        Output(ids.DATA_SEEN, "data"),
        Input(ids.DATA_VERSION, "data"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="setDocumentLang"),
        Output(ids.DOC_LANG, "data"),
        Input(ids.PAGE, "lang"),
    )
