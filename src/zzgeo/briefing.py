"""Briefing outputs as render jobs: the map sheet or the report of a view, made in a job's process.

A server hands a render to :meth:`zzgeo.jobs.JobManager.start_render` with a *task* (what to
make: plain JSON) and the *frames* it is made from (the layers, proposals, area level,
population and targets, as the server has them). The job's worker calls :func:`render_task`
with them, reports progress, and keeps the bytes it returns in the job's folder; the web
process never renders, so a report that takes seconds blocks no one.

Tasks (see :func:`map_task` and :func:`report_task`)::

    {"what": "map", "format": "png" | "svg" | "pdf", "dpi": 300, "view": {MapView fields}}
    {"what": "report", "options": {year, lang, operators, statuses, palette}}

Frames: ``layer:<kind>`` (whole point layers, as :func:`zzgeo.cartography.render_map` takes
them), ``proposals``, ``areas`` (a prepared area layer), ``population``, ``targets``; any may
be missing (the shipped data is used).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from zzgeo.cartography import MAP_FORMATS, PRINT_DPI, MapView, map_bytes
from zzgeo.errors import UnknownKeyError

__all__ = ["MAP_STAGES", "RENDERS", "file_name", "map_task", "media_type", "render_task", "report_task"]

#: what a render makes -> its media type
RENDERS = {"map": "image/png", "report": "application/pdf"}
_MEDIA = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
#: the stages of a map render (a report's are :data:`zzgeo.report.STAGES`)
MAP_STAGES = (("map", 0.1), ("writing", 0.7), ("done", 1.0))


def map_task(view: MapView, fmt: str = "png", dpi: int = PRINT_DPI) -> dict[str, Any]:
    """The task of a map sheet of ``view`` (checked now: bad keys fail before a job starts)."""
    if fmt not in MAP_FORMATS.values():
        raise UnknownKeyError("map format", fmt, list(MAP_FORMATS.values()))
    checked = view.checked()
    return {"what": "map", "format": fmt, "dpi": int(dpi), "view": dataclasses.asdict(checked)}


def report_task(**options: Any) -> dict[str, Any]:
    """The task of a briefing report.

    ``options`` are the plain ones of :func:`zzgeo.report.report_bytes`: year, lang,
    operators, statuses, palette.
    """
    allowed = {"year", "lang", "operators", "statuses", "palette"}
    unknown = set(options) - allowed
    if unknown:
        raise UnknownKeyError("report option", sorted(unknown)[0], sorted(allowed))
    return {"what": "report", "options": {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()}}


def file_name(task: Mapping[str, Any], stem: str = "zzgeo") -> str:
    """The download name of a task's output (e.g. ``zzgeo-map-sites_per_10k-2025-zh.png``)."""
    if task.get("what") == "map":
        view = task["view"]
        return f"{stem}-map-{view['indicator']}-{view['year']}-{view['lang']}.{task['format']}"
    options = task.get("options", {})
    return f"{stem}-report-{options.get('year', 2025)}-{options.get('lang', 'zh')}.pdf"


def media_type(name: str) -> str:
    """The media type of an output by its name's suffix."""
    return _MEDIA.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def render_task(
    task: Mapping[str, Any],
    frames: Mapping[str, pd.DataFrame],
    progress: Callable[[str, float], None] | None = None,
) -> bytes:
    """Make what ``task`` asks for from ``frames``; its bytes (PNG, SVG or PDF)."""
    step = progress or (lambda stage, fraction: None)
    layers = {name.split(":", 1)[1]: frame for name, frame in frames.items() if name.startswith("layer:")}
    data: dict[str, Any] = {key: frames.get(key) for key in ("proposals", "population", "targets", "areas")}
    what = task.get("what")
    if what == "map":
        view = MapView(**task["view"])
        step("map", 0.1)
        out = map_bytes(view, layers, task.get("format", "png"), dpi=int(task.get("dpi", PRINT_DPI)), **data)
        step("done", 1.0)
        return out
    if what == "report":
        from zzgeo.report import report_bytes

        return report_bytes(layers, progress=step, **task.get("options", {}), **data)
    raise UnknownKeyError("render", str(what), list(RENDERS))
