"""Small builders the features share: labelled groups, tables, references to the JS functions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

#: The first value of a memory store that only callbacks write later: ``{}``, not None (never
#: mutated). A memory store that starts as None "changes" as it mounts, and Dash 4 then calls
#: every callback it feeds, ``prevent_initial_call`` or not (plotly/dash#2911): a needless
#: request per page load for each. A test in ``tests/test_app_builders.py`` keeps to this.
UNSET: dict[str, Any] = {}


def fieldset(legend: str, child: Any, fid: str) -> html.Fieldset:
    return html.Fieldset([html.Legend(legend, id=f"{fid}-legend"), child], className="zz-fieldset")


def radio_fieldset(legend: str, fid: str, options: list[tuple[str, str]], value: str) -> html.Fieldset:
    """A labelled group of radio buttons; ``options`` are (label, value) pairs."""
    radios = dcc.RadioItems(
        id=fid,
        options=[{"label": label, "value": v} for label, v in options],
        value=value,
        className="zz-checklist",
    )
    return fieldset(legend, radios, fid)


def table(head: Sequence[str], rows: list[Any], class_name: str) -> html.Table:
    return html.Table(
        [html.Thead(html.Tr([html.Th(h, scope="col") for h in head])), html.Tbody(rows)],
        className=f"zz-table {class_name}",
    )


def js(name: str) -> dict[str, str]:
    """Reference to a function in ``app/assets/zzgeo.js`` (``window.zzgeo.<name>``)."""
    return {"variable": f"zzgeo.{name}"}


def when(text: str) -> str:
    """``2026-11-02T10:11:12+00:00`` -> ``2026-11-02 10:11 UTC`` (unparsable text as it is)."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return text
    if moment.tzinfo is not None:
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M")


def make_status(message: str, lang: str, *, error: bool = False) -> list[Any]:
    """The what-if status line ("" empties it): what the last action did, or why it could not."""
    if not message:
        return []
    return [html.P(message, className="zz-bad" if error else "zz-ok", **{"data-kind": "error" if error else "ok"})]


_GEOJSON_TYPES = frozenset({"FeatureCollection", "Feature"})


def _id_key(component_id: Any) -> str:
    return json.dumps(component_id, sort_keys=True)


def fill_props(tree: Any, props: Sequence[tuple[Any, dict[str, Any]]]) -> list[Any]:
    """Set ``props`` ((component id, {prop: value}) pairs) on the components of ``tree`` that have
    those ids, in place, wherever they sit (children or any other prop, e.g. an option's label;
    Dash's own ``Component._traverse`` walks ``children`` only). GeoJSON data is not walked: it
    holds no component, and its coordinates are most of a page. Returns the ids found nowhere."""
    wanted = {_id_key(cid): values for cid, values in props}
    found: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, Component):
            for name in node._prop_names:
                visit(getattr(node, name, None))
            key = _id_key(getattr(node, "id", None))
            if key in wanted:  # after its props were walked: the values set are not walked
                for name, value in wanted[key].items():
                    setattr(node, name, value)
                found.add(key)
        elif isinstance(node, (list, tuple)):
            for item in node:
                visit(item)
        elif isinstance(node, dict) and node.get("type") not in _GEOJSON_TYPES:  # map data holds no component
            for item in node.values():
                visit(item)

    visit(tree)
    return [cid for cid, _ in props if _id_key(cid) not in found]
