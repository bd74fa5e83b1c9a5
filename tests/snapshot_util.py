"""Snapshots of the app's wiring and pages (guards for restructuring; see test_app_snapshot.py),
and :func:`components`, every component of a layout's JSON (for tests that look for some).

A page is written one component per line (indented by depth): ``Type#id {props}``, with large
prop values (inline GeoJSON, figures) replaced by a hash of their JSON, and the per-load tab id
replaced by ``<tab>``. The callback map is one line per callback: outputs <- inputs | states,
sorted, so the order in which modules register them does not matter.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

#: prop values longer than this (as JSON) are replaced by their hash
MAX_INLINE = 600


def _value(value: Any) -> Any:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    if len(text) > MAX_INLINE:
        return f"<sha1:{hashlib.sha1(text.encode('utf-8')).hexdigest()[:16]} {len(text)} chars>"
    return value


def _is_component(node: Any) -> bool:
    return isinstance(node, dict) and "type" in node and "props" in node and "namespace" in node


def components(node: Any) -> Iterator[dict[str, Any]]:
    """Every component in a layout's JSON (children and component-valued props, also inside
    lists and dicts such as an option's label), depth first."""
    if isinstance(node, list):
        for item in node:
            yield from components(item)
    elif _is_component(node):
        yield node
        for value in node["props"].values():
            yield from components(value)
    elif isinstance(node, dict):
        for value in node.values():
            yield from components(value)


def page_lines(node: Any, depth: int = 0) -> list[str]:
    """The layout JSON (``/_dash-layout``) as lines, one per component."""
    if isinstance(node, list):
        return [line for child in node for line in page_lines(child, depth)]
    if not _is_component(node):
        return [] if node is None else ["  " * depth + json.dumps(node, ensure_ascii=False)]
    props = dict(node["props"])
    children = props.pop("children", None)
    cid = props.pop("id", None)
    if cid == "tab-id":
        props["data"] = "<tab>"
    shown = {k: _value(_components_out(v)) for k, v in sorted(props.items())}
    head = f"{node['type']}" + (f"#{json.dumps(cid, ensure_ascii=False)}" if cid is not None else "")
    line = "  " * depth + head + (" " + json.dumps(shown, ensure_ascii=False, sort_keys=True) if shown else "")
    return [line, *page_lines(children, depth + 1)]


def _components_out(value: Any) -> Any:
    """Components inside a prop (e.g. checklist labels) as their lines, so they stay readable."""
    if _is_component(value) or (isinstance(value, list) and any(_is_component(v) for v in value)):
        return page_lines(value)
    if isinstance(value, list):
        return [_components_out(v) for v in value]
    if isinstance(value, dict):
        return {k: _components_out(v) for k, v in value.items()}
    return value


def _dep(items: list[dict[str, Any]]) -> str:
    return ", ".join(
        f"{json.dumps(d['id'], sort_keys=True) if isinstance(d['id'], dict) else d['id']}.{d['property']}"
        for d in items
    )


def callback_lines(callback_list: list[dict[str, Any]]) -> list[str]:
    """The app's callbacks, one line each, sorted."""
    out = []
    for cb in callback_list:
        outputs = cb["output"].strip(".").split("...")
        outputs = [o.split("@")[0] + ("@dup" if "@" in o else "") for o in outputs]
        kind = f" [clientside {cb['clientside_function']['function_name']}]" if cb.get("clientside_function") else ""
        initial = " [prevent_initial_call]" if cb.get("prevent_initial_call") else ""
        out.append(f"{', '.join(outputs)} <- {_dep(cb['inputs'])} | {_dep(cb['state'])}{kind}{initial}")
    return sorted(out)
