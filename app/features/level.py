"""The area level: indicators on the 11 districts or on an area layer the planners imported.

The choice sits at the top of the side bar (the URL's ``lvl``; :mod:`app.levels` loads the
layers). Changing it changes every view (the server computes them per level) and the
polygons on the map: the browser fetches the level's display polygons (``zzgeo.levelData``,
cached) and sets them on the district layer, whose style and tooltips read the views'
hideouts by key as for districts.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State, dcc, html

from app import ids
from app.context import AppContext
from app.data import PageMeta
from app.i18n import t
from app.state import ViewState
from zzgeo.areas import estimate_rule

#: the level dropdown's value for the districts (a Dropdown needs a value; the state says None)
DISTRICTS_VALUE = ""


def level_options(meta: PageMeta, lang: str) -> list[dict[str, Any]]:
    """The dropdown's options: the districts, then every area layer (its file, how many areas)."""
    options = [{"label": t("level_districts", lang), "value": DISTRICTS_VALUE}]
    options += [{"label": t("level_option", lang, file=c.file, n=f"{c.n:,}"), "value": c.key} for c in meta.levels]
    return options


def make_level_control(state: ViewState, meta: PageMeta) -> list[Any]:
    """The area level picker, with a word on estimated populations (or how to get area layers)."""
    lang = state.lang
    chosen = next((c for c in meta.levels if c.key == state.level), None)
    return [
        html.Label(t("level", lang), htmlFor=ids.LEVEL, className="zz-label"),
        dcc.Dropdown(
            id=ids.LEVEL,
            options=level_options(meta, lang),
            value=state.level or DISTRICTS_VALUE,
            clearable=False,
            searchable=False,
            disabled=not meta.levels,
            className="zz-dropdown",
        ),
        html.P(
            make_level_note(chosen.population_year if chosen and chosen.estimated else None, bool(meta.levels), state),
            id=ids.LEVEL_NOTE,
            className="zz-small zz-muted",
        ),
    ]


def make_level_note(estimated_from: int | None, offered: bool, state: ViewState) -> str:
    """Below the picker: the estimate rule on a level with populations estimated from the
    district figures of ``estimated_from`` (a year); how to get area layers when there is none;
    else nothing."""
    if estimated_from is not None:
        return t("level_estimated", state.lang, rule=estimate_rule(estimated_from).get(state.lang))
    return "" if offered else t("level_none", state.lang)


def register(app: dash.Dash, ctx: AppContext) -> None:
    """The level's polygons on the map (in the browser; the note below the picker comes with the
    views: :mod:`app.features.views`)."""
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="levelData"),
        Output(ids.DISTRICTS, "data"),
        Input(ids.STATE, "data"),  # also as the page mounts: it notes the level the page opens with
        State(ids.CONFIG, "data"),
    )
