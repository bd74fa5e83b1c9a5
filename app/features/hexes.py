"""Hexagon overlays: site counts and coverage gaps per H3 cell, their controls and legend.

The server sends H3 cell ids (hex strings) with counts; the browser draws each hexagon
with h3-js (``zzgeo.hexLayers`` in ``assets/zzgeo.js``) and colours it from the classes
sent along, so no polygon travels. Counts are classed on fixed breaks per resolution,
so colours compare between years and operators. The gaps overlay shows the land cells
with no in-service site within R km at the overlay's resolution.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import dash
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from dash import ClientsideFunction, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from app import ids
from app.context import AppContext, proposals_digest
from app.coverage import CELL_AREA_KM2, CELL_EDGE_KM, radius_text
from app.errors import guarded
from app.i18n import t, t_template
from app.state import HEX_KINDS, HEX_RESOLUTIONS, ViewState
from app.widgets import fieldset
from zzgeo import coverage as zz_coverage
from zzgeo.coverage import RESOLUTIONS

#: class breaks of sites per hexagon: class i covers breaks[i-1] <= n < breaks[i]
HEX_BREAKS = {8: (2, 4, 8, 16), 7: (3, 10, 30, 100)}


#: viridis, light = few sites (readable over the dimmed districts; colour-blind safe)
HEX_COLORS = ("#fde725", "#7ad151", "#22a884", "#2a788e", "#414487")


GAP_COLOR = "#d6006f"

assert set(HEX_BREAKS) == set(RESOLUTIONS) == set(CELL_AREA_KM2) == set(HEX_RESOLUTIONS)


def cell_ids(cells: Any) -> list[str]:
    """H3 cells (uint64) as the hex strings h3-js reads (e.g. ``"8841a9c1a7fffff"``)."""
    return [format(int(c), "x") for c in np.asarray(cells, dtype=np.uint64)]


def hex_class_labels(resolution: int) -> list[str]:
    """Legend text of each count class, e.g. ``["1", "2–3", "4–7", "8–15", "≥ 16"]``."""
    edges = [1, *HEX_BREAKS[resolution]]
    out = []
    for lo, hi in itertools.pairwise(edges):
        out.append(str(lo) if hi - 1 == lo else f"{lo}–{hi - 1}")
    out.append(f"≥ {edges[-1]}")
    return out


def make_hex_counts(counts: pd.DataFrame, resolution: int) -> dict[str, Any]:
    """The counts overlay's data: cell ids, site counts, class breaks and colours.

    ``counts`` is :func:`zzgeo.coverage.hex_counts`'s table (``cell``, ``count``).
    """
    return {
        "kind": "counts",
        "res": resolution,
        "cells": cell_ids(counts["cell"].to_numpy()),
        "n": [int(n) for n in counts["count"].to_numpy()],
        "breaks": list(HEX_BREAKS[resolution]),
        "colors": list(HEX_COLORS),
        "sites": int(counts["count"].sum()),
    }


def make_hex_gaps(cells: Any, resolution: int, land_cells: int) -> dict[str, Any]:
    """The gaps overlay's data: ids of land cells with no in-service site within R km."""
    ids = cell_ids(cells)
    return {"kind": "gaps", "res": resolution, "cells": ids, "color": GAP_COLOR, "land": int(land_cells)}


def make_hex_tips(resolution: int, lang: str) -> dict[str, str]:
    """Tooltip templates of the hexagons (``{n}`` is filled in by the browser; ``count_one`` for one site)."""
    area = f"{CELL_AREA_KM2[resolution]:g}"
    return {
        "count": t_template("hex_tip_count", lang, 2, res=resolution, area=area),
        "count_one": t_template("hex_tip_count", lang, 1, res=resolution, area=area),
        "gap": t("hex_tip_gap", lang),
    }


def make_hex_legend(
    kinds: Sequence[str],
    resolution: int,
    lang: str,
    *,
    counts: Mapping[str, Any] | None = None,
    gaps: Mapping[str, Any] | None = None,
) -> list[Any]:
    """The legend's hexagon part (empty when no overlay is on).

    Carries ``data-res`` and, per overlay, ``data-cells`` (hexagons sent) for tests.
    """
    if not kinds:
        return []
    area = f"{CELL_AREA_KM2[resolution]:g}"
    children: list[Any] = []
    if "counts" in kinds:
        items = [
            html.Li(
                [html.Span(className="zz-swatch zz-swatch-hex", style={"background": color}), html.Span(label)],
                **{"data-class": str(i), "data-color": color},
            )
            for i, (color, label) in enumerate(zip(HEX_COLORS, hex_class_labels(resolution), strict=True))
        ]
        children.append(
            html.Div(
                [
                    html.Div(html.Strong(t("hex_counts_title", lang, res=resolution, area=area))),
                    html.Ul(items, className="zz-legend-classes"),
                ],
                className="zz-legend-hex-counts",
                **{"data-cells": str(len(counts["cells"])) if counts else "0"},
            )
        )
    if "gaps" in kinds:
        land = int(gaps["land"]) if gaps else 0
        share = f"{len(gaps['cells']) / land * 100:.0f}" if gaps and land else "—"
        children.append(
            html.Div(
                [
                    html.Ul(
                        html.Li(
                            [
                                html.Span(className="zz-swatch zz-swatch-hex", style={"background": GAP_COLOR}),
                                html.Span(t("hex_gaps_title", lang, share=share)),
                            ],
                            **{"data-class": "gap", "data-color": GAP_COLOR},
                        ),
                        className="zz-legend-classes",
                    ),
                    html.P(t("hex_radii", lang, radii=radius_text(lang)), className="zz-legend-note"),
                ],
                className="zz-legend-hex-gaps",
                **{"data-cells": str(len(gaps["cells"])) if gaps else "0"},
            )
        )
    children.append(
        html.P(
            t("hex_approx", lang, res=resolution, edge=f"{CELL_EDGE_KM[resolution]:g}"),
            className="zz-legend-note",
        )
    )
    return [html.Div(children, className="zz-legend-hex", **{"data-res": str(resolution)})]


def make_hex_controls(state: ViewState) -> html.Fieldset:
    """Hexagon overlays (off by default: site counts, coverage gaps) and their resolution."""
    lang = state.lang
    swatch = {
        "counts": html.Span(className="zz-swatch zz-swatch-hex zz-swatch-counts"),
        "gaps": html.Span(className="zz-swatch zz-swatch-hex zz-swatch-gaps"),
    }
    return fieldset(
        t("hex_overlays", lang),
        html.Div(
            [
                dcc.Checklist(
                    id=ids.HEXES,
                    options=[
                        {"label": html.Span([swatch[k], t(f"hex_{k}", lang)], className="zz-opt"), "value": k}
                        for k in HEX_KINDS
                    ],
                    value=list(state.hexes),
                    className="zz-checklist",
                ),
                html.Fieldset(
                    [
                        html.Legend(t("hex_resolution", lang), id=f"{ids.HEX_RES}-legend"),
                        dcc.RadioItems(
                            id=ids.HEX_RES,
                            options=[
                                {"label": t("hex_res", lang, res=r, area=f"{CELL_AREA_KM2[r]:g}"), "value": r}
                                for r in HEX_RESOLUTIONS
                            ],
                            value=state.resolution,
                            className="zz-checklist",
                        ),
                    ],
                    className="zz-fieldset zz-fieldset-inner",
                ),
                html.P(t("hex_help", lang, radii=radius_text(lang)), className="zz-small zz-muted zz-hex-help"),
            ]
        ),
        ids.HEXES,
    )


def _key_text(key: tuple[Any, ...]) -> str:
    """A short text naming a cache key (the browser redraws an overlay when it changes)."""
    return hashlib.sha1(repr(key).encode("utf-8")).hexdigest()[:16]


def hex_counts(ctx: AppContext, state: ViewState) -> dict[str, Any]:
    """The counts overlay of the sites the filters show (accepted proposals, planned sites, included)."""
    key = ("counts", ctx.data.version, state.year, state.operators, state.statuses, state.resolution)

    def compute() -> dict[str, Any]:
        layer = ctx.filtered_layer("5g_sites", state)
        geoms = layer.geometry.to_numpy()
        counts = zz_coverage.hex_counts(shapely.get_x(geoms), shapely.get_y(geoms), resolution=state.resolution)
        return {**make_hex_counts(counts, state.resolution), "key": _key_text(key)}

    return ctx.hex_cache.get(key, compute)


def hex_gaps(ctx: AppContext, state: ViewState, proposals: gpd.GeoDataFrame | None = None) -> dict[str, Any]:
    """The gaps overlay: land cells with no in-service site within R km (cached).

    What-if ``proposals`` count as in-service sites (:meth:`app.context.AppContext.covering`):
    the gaps they would close disappear.
    """
    key = ("gaps", ctx.data.version, state.year, state.operators, state.resolution, proposals_digest(proposals))

    def compute() -> dict[str, Any]:
        gaps = zz_coverage.coverage_gaps(ctx.covering(state, proposals), resolution=state.resolution)
        land = len(zz_coverage.land_cells(state.resolution))
        return {**make_hex_gaps(gaps["cell"].to_numpy(), state.resolution, land), "key": _key_text(key)}

    return ctx.hex_cache.get(key, compute)


def register(app: dash.Dash, ctx: AppContext) -> None:
    """The hexagon overlays."""

    @app.callback(
        Output(ids.HEX_DATA, "data"),
        Output(ids.HEX_LEGEND, "children"),
        Output(ids.ERROR, "children", allow_duplicate=True),
        Input(ids.HEX_REQUEST, "data"),
        State(ids.STATE, "data"),
        State(ids.PROPOSALS, "data"),
        State(ids.TAB, "data"),
        prevent_initial_call=True,
    )
    @guarded
    def update_hexes(request: Any, current: Any, proposals_store: Any, tab: Any) -> tuple[Any, ...]:
        """Cell ids (and counts) of the hexagon overlays shown, and their legend.

        Dash also calls this once as the page loads (before any request): it answers
        "no overlay" then rather than nothing (an empty 204 answer).
        """
        ticket = ctx.tickets.take(tab, "hexes")
        state = ViewState.from_dict(current)
        if not isinstance(request, dict) or current is None or not state.hexes:
            return {"counts": None, "gaps": None}, []
        counts = gaps = None
        if "counts" in state.hexes:
            counts = hex_counts(ctx, state)
        if "gaps" in state.hexes:
            gaps = hex_gaps(ctx, state, ctx.proposals(proposals_store))
        if ctx.tickets.is_stale(tab, "hexes", ticket):  # newer inputs came while this was computed
            raise PreventUpdate
        data = {"counts": counts, "gaps": gaps, "tips": make_hex_tips(state.resolution, state.lang)}
        legend = make_hex_legend(state.hexes, state.resolution, state.lang, counts=counts, gaps=gaps)
        return data, legend

    # browser-side work: filtering points and styling needs no server round trip
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="hexRequest"),
        Output(ids.HEX_REQUEST, "data"),
        Input(ids.STATE, "data"),
        Input(ids.DATA_VERSION, "data"),
        Input(ids.PROPOSALS, "data"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="zzgeo", function_name="hexLayers"),
        Output(ids.HEX_COUNTS, "data"),
        Output(ids.HEX_COUNTS, "hideout"),
        Output(ids.HEX_GAPS, "data"),
        Output(ids.HEX_GAPS, "hideout"),
        Input(ids.HEX_DATA, "data"),
    )
