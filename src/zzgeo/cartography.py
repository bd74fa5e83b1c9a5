"""Print-ready thematic maps of the districts (PNG, SVG, PDF), drawn with matplotlib.

:func:`render_map` draws one A4 landscape sheet of a view (indicator, colours, year,
filters, point layers, language, what-if proposals): the district choropleth in the classes
and colours of the web map (:mod:`zzgeo.classes`), districts below the plan target outlined
in dashed red, district labels with their values, the classed legend with units, a scale
bar, a north arrow, the sources and as-of dates, "synthetic sample" when the layers are,
the date it was made and the map-approval line (``ZZGEO_MAP_APPROVAL``). No tiles: the map
is drawn from the data alone, in WGS 84 / UTM zone 50N (EPSG:32650; grid north is within
0.5° of true north over Zhangzhou).

5G sites are drawn, at city scale, as graduated circles per H3 hexagon (resolution 7,
≈5.2 km²: :data:`zzgeo.coverage.CELL_AREA_KM2`; circle area ∝ sites), which keeps density
readable on paper where 15,000 dots would merge into blots; ``sites_style="dots"`` draws one
dot per site coloured by operator.
Data centers are squares, smart-city projects triangles, proposed sites gold circles
with a dashed black edge, as in the app.

The functions are pure (data in, figure or bytes out); they use matplotlib's object API
(no pyplot state), so several can run at once in a server's threads.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import textwrap
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from zzgeo import _texts
from zzgeo._fonts import cjk_font
from zzgeo._texts import tr
from zzgeo.areas import display_areas
from zzgeo.classes import (
    NO_DATA_COLOR,
    OPERATOR_COLORS,
    PALETTE_NAMES,
    PROPOSED_EDGE_COLOR,
    PROPOSED_FILL_COLOR,
    UNDER_OUTLINE_COLOR,
    UNDER_OUTLINE_DASH,
    Scheme,
    classify_change,
    district_rows,
    fmt_indicator,
    is_finite,
    scheme_for,
    target_of,
)
from zzgeo.coverage import CELL_AREA_KM2
from zzgeo.districts import load_districts, load_population
from zzgeo.errors import UnknownKeyError, ZzgeoError
from zzgeo.export import atomic_path
from zzgeo.indicators import INDICATORS, change_table, filter_layer
from zzgeo.layers import LAYER_KINDS, OPERATORS, STATUSES, get_spec
from zzgeo.plan import Target, load_targets, target_for
from zzgeo.planning import indicators_with_proposals
from zzgeo.provenance import Provenance, area_provenance, provenance_of
from zzgeo.settings import get_settings

__all__ = [
    "MAP_FORMATS",
    "MAX_AREA_LABELS",
    "PRINT_DPI",
    "SITES_STYLES",
    "MapSheet",
    "MapView",
    "approval_line",
    "figure_bytes",
    "map_bytes",
    "map_format",
    "render_map",
    "save_map",
    "view_table",
    "wrap",
]

logger = logging.getLogger(__name__)

#: file suffix -> matplotlib format
MAP_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
#: how 5G sites are drawn: per-hexagon graduated circles, or one dot per site
SITES_STYLES = ("cells", "dots")
#: sheet size, inches (A4 landscape)
A4_LANDSCAPE = (297 / 25.4, 210 / 25.4)
#: PNG resolution (A4 at 300 dpi: 3508 × 2480 px)
PRINT_DPI = 300
_MAP_CRS = "EPSG:32650"
_CELL_RESOLUTION = 7
_EDGE = "#4d4d4d"
_INK = "#1a1a1a"
_DC_COLOR = "#7b3294"
_PROJECT_COLOR = "#1b7837"
#: label nudges (km east, km north) for districts whose label would hide a neighbour's
#: an area level with more areas than this gets no labels (they would cover the map)
MAX_AREA_LABELS = 40
_LABEL_NUDGE_KM = {"350602": (-9.0, 6.0), "350603": (7.0, -2.0), "350604": (9.0, -9.0)}
#: classes of sites per hexagon (the app's hexagon classes at resolution 7) and their marker areas, pt²
CELL_BREAKS = (3, 10, 30, 100)
CELL_SIZES = (2.0, 5.0, 10.0, 18.0, 28.0)
#: the web map's dashes are 7 px on, 5 px off at any width; matplotlib scales dashes by the width
_UNDER_WIDTH = 1.8
# matplotlib's rcParams are global: renders that change them take turns.
_RC_LOCK = threading.RLock()


@dataclass(frozen=True)
class MapView:
    """What a map shows: the app's current view, or the ``zzgeo map`` options.

    Attributes
    ----------
    indicator : str
        Key of :data:`zzgeo.indicators.INDICATORS`.
    palette : str
        Colour scheme, one of :data:`zzgeo.classes.PALETTE_NAMES`.
    year : int or None
        As-of year (None: all years, no plan target).
    operators, statuses : tuple of str or None
        Filters of the 5G sites (None: all); statuses also filter the other point layers.
    layers : tuple of str
        Point layers drawn (keys of :data:`zzgeo.layers.LAYER_KINDS`); the indicators
        always count the 5G sites.
    sites_style : str
        ``"cells"`` (graduated circles per hexagon) or ``"dots"`` (one dot per site).
    lang : str
        ``"zh"`` or ``"en"``.
    title : str or None
        A title instead of the indicator's.
    compare : int or None
        Another year: the districts show the change of the indicator from it to ``year``
        (the app's change map; proposals count in ``year`` only). None: ``year``'s values.
    """

    indicator: str = "sites_per_10k"
    palette: str = "standard"
    year: int | None = 2025
    operators: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = ("in_service",)
    layers: tuple[str, ...] = tuple(LAYER_KINDS)
    sites_style: str = "cells"
    lang: str = "zh"
    title: str | None = None
    compare: int | None = None

    def checked(self) -> MapView:
        """The view with every key checked (an unknown one lists the valid ones)."""
        if self.indicator not in INDICATORS:
            raise UnknownKeyError("indicator", self.indicator, list(INDICATORS))
        if self.palette not in PALETTE_NAMES:
            raise UnknownKeyError("colour scheme", self.palette, list(PALETTE_NAMES))
        if self.lang not in _texts.LANGS:
            raise UnknownKeyError("language", self.lang, list(_texts.LANGS))
        if self.sites_style not in SITES_STYLES:
            raise UnknownKeyError("sites style", self.sites_style, list(SITES_STYLES))
        for op in self.operators or ():
            if op not in OPERATORS:
                raise UnknownKeyError("operator", op, list(OPERATORS))
        for st in self.statuses or ():
            if st not in STATUSES:
                raise UnknownKeyError("status", st, list(STATUSES))
        for kind in self.layers:
            get_spec(kind)
        if self.compare is not None and (self.year is None or int(self.compare) == int(self.year)):
            raise ZzgeoError.of(_texts.T["bad_compare"].format(compare=self.compare, year=self.year))
        return replace(
            self,
            operators=tuple(self.operators) if self.operators is not None else None,
            statuses=tuple(self.statuses) if self.statuses is not None else None,
            layers=tuple(self.layers),
        )


@dataclass
class MapSheet:
    """A rendered map: the matplotlib figure and what it shows."""

    figure: Any  # matplotlib.figure.Figure
    table: pd.DataFrame  # the indicator table drawn (with ``proposed_sites``)
    provenance: Provenance
    scheme: Scheme
    view: MapView
    notes: list[str] = field(default_factory=list)
    change: pd.DataFrame | None = None  # with ``view.compare``: the change drawn (zzgeo.indicators.change_table)


# ---------------------------------------------------------------------------------------
# helpers


def _text_width(text: str) -> int:
    """Width in half-width units (a Chinese character counts 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` half-width units (Chinese may break between any two characters)."""
    if _text_width(text) <= width:
        return [text]
    if _text_width(text) == len(text):  # no wide characters: break at spaces
        return textwrap.wrap(text, width) or [text]
    lines, line, used = [], "", 0
    for char in text:
        w = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used + w > width and line:
            # do not start a line with closing punctuation
            if char in "，。；：、）》」』,.;:)" and len(line) > 1:
                lines.append(line[:-1])
                line, used = line[-1], _text_width(line[-1])
            else:
                lines.append(line.rstrip())
                line, used = "", 0
                if char == " ":
                    continue
        line += char
        used += w
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _rc(font_family: str) -> Any:
    return {
        "font.family": [font_family, "DejaVu Sans"],
        "pdf.fonttype": 42,  # embed TrueType (CID) subsets: text stays text and prints right
        "ps.fonttype": 42,
        "svg.fonttype": "path",  # SVG text as outlines: looks the same without the font
        "axes.unicode_minus": False,
        "hatch.linewidth": 0.6,
    }


def approval_line(lang: str) -> str:
    """The map-approval line: ``ZZGEO_MAP_APPROVAL`` or the default disclaimer."""
    return get_settings().map_approval or tr("approval_default", lang)


def _filtered_layers(
    layers: Mapping[str, gpd.GeoDataFrame], view: MapView
) -> tuple[gpd.GeoDataFrame, dict[str, gpd.GeoDataFrame]]:
    if "5g_sites" not in layers:
        raise ZzgeoError("a map needs the 5g_sites layer (the indicators count it)")
    sites = filter_layer(
        layers["5g_sites"], "5g_sites", year=view.year, operators=view.operators, statuses=view.statuses
    )
    drawn = {}
    for kind in view.layers:
        if kind == "5g_sites":
            drawn[kind] = sites
        elif kind in layers:
            drawn[kind] = filter_layer(layers[kind], kind, year=view.year, operators=None, statuses=view.statuses)
    return sites, drawn


def _target(view: MapView, targets: pd.DataFrame | None) -> Target | None:
    if view.year is None:
        return None
    return target_for("5g_per_10k", view.year, load_targets() if targets is None else targets)


def view_table(
    view: MapView,
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    proposals: gpd.GeoDataFrame | None = None,
    districts: gpd.GeoDataFrame | None = None,
    population: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
    areas: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """The indicator table of a view: 5G sites filtered as the view says, plus the proposals.

    With ``areas`` (a prepared area layer, :func:`zzgeo.areas.prepare_areas`) it is per area.
    """
    if "5g_sites" not in layers:
        raise ZzgeoError("a map needs the 5g_sites layer (the indicators count it)")
    return indicators_with_proposals(
        layers["5g_sites"],
        proposals,
        load_districts("full") if districts is None else districts,
        population,
        year=view.year,
        operators=view.operators,
        statuses=view.statuses,
        targets=targets,
        areas=areas,
    )


# ---------------------------------------------------------------------------------------
# drawing


def _xy(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    if len(gdf) == 0:
        return np.empty(0), np.empty(0)
    pts = gdf.to_crs(_MAP_CRS).geometry
    ok = ~(pts.is_empty | pts.isna())
    return pts[ok].x.to_numpy(), pts[ok].y.to_numpy()


def _site_cells(sites: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centres (EPSG:32650 metres) and site counts of the H3 cells holding sites."""
    from h3ronpy import vector

    from zzgeo.coverage import hex_counts

    if len(sites) == 0:
        return np.empty(0), np.empty(0), np.empty(0, dtype=int)
    geoms = sites.to_crs("EPSG:4326").geometry
    counts = hex_counts(geoms.x.to_numpy(), geoms.y.to_numpy(), _CELL_RESOLUTION)
    centres = vector.cells_to_coordinates(counts["cell"].to_numpy(dtype=np.uint64))
    lat = np.asarray(centres.column("lat"), dtype=float)
    lon = np.asarray(centres.column("lng"), dtype=float)
    pts = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326").to_crs(_MAP_CRS)
    return pts.x.to_numpy(), pts.y.to_numpy(), counts["count"].to_numpy()


def _cell_sizes(counts: np.ndarray) -> np.ndarray:
    """Marker areas (pt²) of hexagons with ``counts`` sites: one size per class of :data:`CELL_BREAKS`."""
    classes = np.searchsorted(np.asarray(CELL_BREAKS), np.asarray(counts), side="right")
    return np.asarray(CELL_SIZES, dtype=float)[classes]


def _draw_scalebar(ax: Any, lang: str) -> None:
    from matplotlib_scalebar.scalebar import ScaleBar

    ax.add_artist(
        ScaleBar(
            1.0,
            "m",
            location="lower left",
            length_fraction=0.3,
            box_alpha=0.85,
            frameon=True,
            font_properties={"size": 8},
            scale_loc="top",
            border_pad=0.8,
        )
    )


def _draw_north(ax: Any, lang: str) -> None:
    ax.annotate(
        "",
        xy=(0.93, 0.975),
        xytext=(0.93, 0.895),
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.4", "color": _INK, "lw": 1.6},
    )
    ax.text(0.93, 0.875, tr("north", lang), transform=ax.transAxes, ha="center", va="top", fontsize=11, color=_INK)


def _legend_handles(
    scheme: Scheme, table: pd.DataFrame, view: MapView, drawn: Mapping[str, gpd.GeoDataFrame], n_proposed: int
) -> tuple[list[Any], list[str], list[Any], list[str], list[Any], list[str]]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    lang = view.lang
    year = table.attrs.get("year")
    target = target_of(table)
    handles: list[Any] = []
    labels: list[str] = []
    no_target_gap = view.indicator == "gap_sites" and target is None
    if not no_target_gap:
        for color, label in zip(scheme.colors, scheme.labels(), strict=True):
            handles.append(Patch(facecolor=color, edgecolor=_EDGE, linewidth=0.5))
            labels.append(label)
        handles.append(Patch(facecolor=NO_DATA_COLOR, edgecolor=_EDGE, linewidth=0.5))
        labels.append(tr("legend_no_data", lang))
    else:
        handles.append(Patch(facecolor=NO_DATA_COLOR, edgecolor=_EDGE, linewidth=0.5))
        labels.append(tr("legend_no_target", lang, year=year))
    if target is not None:
        dash = tuple(d / _UNDER_WIDTH / 2 for d in UNDER_OUTLINE_DASH)
        handles.append(
            Patch(facecolor="white", edgecolor=UNDER_OUTLINE_COLOR, linewidth=_UNDER_WIDTH, linestyle=(0, dash))
        )
        labels.append(tr("legend_below_target", lang, target=f"{target:g}"))

    points: list[Any] = []
    point_labels: list[str] = []
    cells: list[Any] = []
    cell_labels: list[str] = []
    if "5g_sites" in drawn:
        if view.sites_style == "cells":
            edges = [1, *CELL_BREAKS]
            for i, size in enumerate(CELL_SIZES):
                text = f"≥ {edges[i]}" if i == len(edges) - 1 else f"{edges[i]}–{edges[i + 1] - 1}"
                cells.append(Line2D([], [], ls="", marker="o", ms=float(np.sqrt(size)), mfc=_INK, mec="white"))
                cell_labels.append(text)
        else:
            for op, color in OPERATOR_COLORS.items():
                points.append(Line2D([], [], ls="", marker="o", ms=3, mfc=color, mec="none"))
                point_labels.append(f"5G · {_texts.operator_name(op, lang)}")
    if "data_centers" in drawn:
        points.append(Line2D([], [], ls="", marker="s", ms=6, mfc=_DC_COLOR, mec="white", mew=0.8))
        point_labels.append(f"{tr('legend_data_center', lang)} ({len(drawn['data_centers'])})")
    if "smart_projects" in drawn:
        points.append(Line2D([], [], ls="", marker="^", ms=6, mfc=_PROJECT_COLOR, mec="white", mew=0.8))
        point_labels.append(f"{tr('legend_smart_project', lang)} ({len(drawn['smart_projects'])})")
    if n_proposed:
        points.append(
            Line2D([], [], ls="", marker="o", ms=6, mfc=PROPOSED_FILL_COLOR, mec=PROPOSED_EDGE_COLOR, mew=0.9)
        )
        point_labels.append(tr("legend_proposed", lang, n=n_proposed))
    return handles, labels, points, point_labels, cells, cell_labels


def _label_points(display: gpd.GeoDataFrame, nudge: bool = True) -> dict[str, tuple[float, float]]:
    projected = display.to_crs(_MAP_CRS)
    out = {}
    for code, geom in zip(projected["adcode"].astype("str"), projected.geometry, strict=True):
        # the largest part's pole of inaccessibility keeps labels off the islands and coast
        part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        point = part.representative_point()
        try:
            import shapely

            point = shapely.maximum_inscribed_circle(part, tolerance=200).centroid
        except (AttributeError, ValueError):  # older GEOS: the representative point will do
            pass
        dx, dy = _LABEL_NUDGE_KM.get(code, (0.0, 0.0)) if nudge else (0.0, 0.0)
        out[code] = (point.x + dx * 1000, point.y + dy * 1000)
    return out


def _fit(ax: Any, bounds: Sequence[float], box_ratio: float) -> None:
    """Limits that show ``bounds`` (with a margin) at equal scale in an axes of width/height ``box_ratio``."""
    xmin, ymin, xmax, ymax = bounds
    pad = 0.04 * max(xmax - xmin, ymax - ymin)
    xmin, ymin, xmax, ymax = xmin - pad, ymin - pad, xmax + pad, ymax + pad
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    w, h = xmax - xmin, ymax - ymin
    if w / h < box_ratio:
        w = h * box_ratio
    else:
        h = w / box_ratio
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)
    ax.set_aspect("equal", adjustable="box")


def _footer_lines(provenance: Provenance, lang: str) -> list[str]:
    return provenance.lines(lang)


def render_map(
    view: MapView,
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    proposals: gpd.GeoDataFrame | None = None,
    districts: gpd.GeoDataFrame | None = None,
    display: gpd.GeoDataFrame | None = None,
    population: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
    now: dt.datetime | None = None,
    table: pd.DataFrame | None = None,
    areas: gpd.GeoDataFrame | None = None,
) -> MapSheet:
    """Draw one A4 landscape map sheet of ``view``.

    Parameters
    ----------
    view : MapView
        What to show (checked: unknown keys raise :class:`zzgeo.errors.UnknownKeyError`).
    layers : mapping of str to geopandas.GeoDataFrame
        Layer kind -> the whole layer (sample and imports, unfiltered): ``5g_sites`` is
        required, ``data_centers`` and ``smart_projects`` are drawn when given and asked
        for in ``view.layers``. A ``district_adcode`` column (precomputed assignment) is
        used when present. ``synthetic`` and ``source`` columns give the sheet's
        provenance lines.
    proposals : geopandas.GeoDataFrame, optional
        What-if proposals (:mod:`zzgeo.planning`): drawn as gold circles and counted in
        the indicators of ``view.year``.
    districts, display : geopandas.GeoDataFrame, optional
        Full-detail districts (for assignment) and display-detail ones (drawn); default
        the shipped ones.
    population, targets : pandas.DataFrame, optional
        Population and plan targets; default the shipped tables.
    now : datetime, optional
        The date printed as "generated" (default: now).
    table : pandas.DataFrame, optional
        The view's indicator table when already computed (:func:`view_table`).
    areas : geopandas.GeoDataFrame, optional
        An area level (:func:`zzgeo.areas.prepare_areas`): the choropleth, labels and
        outlines are per area (labels only up to :data:`MAX_AREA_LABELS` areas), the
        districts' borders are drawn over them, and the sources name the area layer.

    Returns
    -------
    MapSheet
        ``figure`` (a matplotlib Figure, not attached to pyplot), the ``table`` drawn, the
        ``provenance``, the classes (``scheme``).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch, Rectangle
    from matplotlib.patheffects import withStroke

    view = view.checked()
    lang = view.lang
    font = cjk_font()
    population = load_population() if population is None else population
    display = load_districts("display") if display is None else display
    targets = load_targets() if targets is None else targets
    if table is None:
        table = view_table(
            view, layers, proposals=proposals, districts=districts, population=population, targets=targets,
            areas=areas,
        )  # fmt: skip
    sites, drawn = _filtered_layers(layers, view)
    n_proposed = len(proposals) if proposals is not None else 0
    target = _target(view, targets)
    provenance = provenance_of(
        drawn if "5g_sites" in drawn else {"5g_sites": sites, **drawn},
        population,
        year=view.year,
        operators=view.operators,
        statuses=view.statuses,
        target=target,
        proposals=n_proposed,
        now=now,
    )
    if areas is not None:
        provenance = area_provenance(provenance, areas)
    change = None
    if view.compare is not None:  # the change from the other year (its own data: no proposals)
        before = view_table(
            replace(view, year=view.compare, compare=None), layers, districts=districts, population=population,
            targets=targets, areas=areas,
        )  # fmt: skip
        change = change_table(before, table)
        first, last = change.attrs["compare"]
        scheme = classify_change(district_rows(change)[view.indicator].tolist(), view.indicator, view.palette)
    else:
        scheme = scheme_for(table, view.indicator, view.palette)
    drawn_table = table if change is None else change
    rows = district_rows(drawn_table).set_index(district_rows(drawn_table)["adcode"].astype("str"))
    units = display if areas is None else display_areas(areas)
    shapes = units.to_crs(_MAP_CRS)
    codes = shapes["adcode"].astype("str")
    values = rows[view.indicator].reindex(codes)
    fills = [scheme.color(v) for v in values]
    under = rows["underserved"].reindex(codes).fillna(False).astype(bool).to_numpy()

    with _RC_LOCK:
        import matplotlib

        with matplotlib.rc_context(_rc(font.family)):
            fig = Figure(figsize=A4_LANDSCAPE, dpi=100)
            fig.patch.set_facecolor("white")
            indicator_title = INDICATORS[view.indicator].title.get(lang)
            if view.title:
                title = view.title
            elif change is not None:
                indicator_in = _texts.in_sentence(indicator_title, lang)
                title = tr("map_title_change", lang, indicator=indicator_in, first=first, last=last)
            else:
                title = tr("map_title", lang, indicator=indicator_title)
            fig.text(0.035, 0.935, title, fontsize=18, color=_INK, va="baseline")
            when = tr("as_of", lang, year=view.year) if view.year is not None else tr("all_years", lang)
            subtitle = provenance.filter_line(lang)
            if areas is not None:
                subtitle += " · " + tr("map_areas", lang, title=str(areas.attrs.get("title") or ""), n=len(areas))
            fig.text(0.035, 0.900, subtitle, fontsize=10, color="#444444", va="baseline")
            if provenance.synthetic:
                fig.text(
                    0.965,
                    0.935,
                    tr("what_synthetic", lang),
                    fontsize=11,
                    color="#b2182b",
                    ha="right",
                    va="baseline",
                    bbox={"boxstyle": "square,pad=0.35", "fc": "#fff5f0", "ec": "#b2182b", "lw": 1.0},
                )

            # --- the map
            box = (0.035, 0.085, 0.50, 0.795)
            ax = fig.add_axes(box)
            ax.set_axis_off()
            _fit(ax, shapes.total_bounds, box[2] * A4_LANDSCAPE[0] / (box[3] * A4_LANDSCAPE[1]))
            ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, ec="#888888", lw=0.8, zorder=0))
            thin = 0.6 if areas is None else 0.25
            shapes.assign(_fill=fills).plot(ax=ax, color=fills, edgecolor=_EDGE, linewidth=thin, zorder=1)
            if areas is not None:  # the districts' borders over the areas, for orientation
                display.to_crs(_MAP_CRS).boundary.plot(ax=ax, color=_INK, linewidth=0.9, zorder=2)
            if under.any():
                dash = tuple(d / _UNDER_WIDTH for d in UNDER_OUTLINE_DASH)
                shapes[under].boundary.plot(
                    ax=ax, color=UNDER_OUTLINE_COLOR, linewidth=_UNDER_WIDTH, linestyle=(0, dash), zorder=3
                )
            if "5g_sites" in drawn:
                if view.sites_style == "cells":
                    cx, cy, counts = _site_cells(drawn["5g_sites"])
                    if len(counts):
                        ax.scatter(
                            cx, cy, s=_cell_sizes(counts), c=_INK, edgecolors="white", linewidths=0.3, alpha=0.8,
                            zorder=4,
                        )  # fmt: skip
                else:
                    ops = drawn["5g_sites"]
                    for op, color in OPERATOR_COLORS.items():
                        x, y = _xy(ops[ops["operator"] == op])
                        ax.scatter(x, y, s=0.8, c=color, edgecolors="none", alpha=0.9, zorder=4)
            if "data_centers" in drawn:
                x, y = _xy(drawn["data_centers"])
                ax.scatter(x, y, s=34, marker="s", c=_DC_COLOR, edgecolors="white", linewidths=0.8, zorder=5)
            if "smart_projects" in drawn:
                x, y = _xy(drawn["smart_projects"])
                ax.scatter(x, y, s=30, marker="^", c=_PROJECT_COLOR, edgecolors="white", linewidths=0.7, zorder=5)
            if n_proposed and proposals is not None:
                x, y = _xy(proposals)
                ax.scatter(x, y, s=30, c=PROPOSED_FILL_COLOR, edgecolors=PROPOSED_EDGE_COLOR, linewidths=0.9, zorder=6)
            halo = [withStroke(linewidth=2.6, foreground="white")]
            labelled = list(codes) if areas is None or len(codes) <= MAX_AREA_LABELS else []
            labels_at = _label_points(units, nudge=areas is None) if labelled else {}
            small = 0.0 if areas is None else 1.5
            for code in labelled:
                row = rows.loc[code]
                lx, ly = labels_at[code]
                name = _texts.district_name(row, lang)
                if lang == "en":
                    name = name.replace(" District", "").replace(" County", "")
                value = fmt_indicator(row[view.indicator], view.indicator)
                if change is not None and is_finite(row[view.indicator]) and float(row[view.indicator]) > 0:
                    value = "+" + value
                for text, va, size in ((name, "bottom", 8.5 - small), (value, "top", 8.0 - small)):
                    # the white halo is drawn as outlines beneath; the label itself stays text in PDF/SVG
                    ax.text(lx, ly, text, ha="center", va=va, fontsize=size, color="white", path_effects=halo, zorder=7)
                    ax.text(lx, ly, text, ha="center", va=va, fontsize=size, color=_INK, zorder=8)
            _draw_scalebar(ax, lang)
            _draw_north(ax, lang)

            # --- legend
            handles, labels, points, point_labels, cells, cell_labels = _legend_handles(
                scheme, table, view, drawn, n_proposed
            )
            lax = fig.add_axes((0.56, 0.42, 0.41, 0.46))
            lax.set_axis_off()
            if change is not None:
                label = _texts.in_sentence(_texts.indicator_label(view.indicator, lang), lang)
                legend_title = tr("legend_change", lang, title=label, first=first, last=last)
            else:
                legend_title = _texts.indicator_label(view.indicator, lang) + (
                    f" · {when}" if view.year is not None else ""
                )
            first_legend = lax.legend(
                handles,
                labels,
                title=legend_title,
                loc="upper left",
                frameon=False,
                fontsize=9,
                title_fontproperties={"size": 10},
                handlelength=2.6,
                handleheight=1.3,
                alignment="left",
            )
            lax.add_artist(first_legend)
            if cells:
                lax.add_artist(
                    lax.legend(
                        cells,
                        cell_labels,
                        title=tr("legend_sites_cells", lang, area=f"{CELL_AREA_KM2[7]:.1f}"),
                        loc="upper left",
                        bbox_to_anchor=(0.0, 0.36),
                        ncols=len(cells),
                        frameon=False,
                        fontsize=8.5,
                        title_fontproperties={"size": 9.5},
                        alignment="left",
                        handlelength=1.2,
                        columnspacing=1.2,
                    )
                )
            if points:
                lax.legend(
                    points,
                    point_labels,
                    title=tr("legend_points", lang),
                    loc="upper left",
                    bbox_to_anchor=(0.0, 0.2 if cells else 0.36),
                    frameon=False,
                    fontsize=8.5,
                    title_fontproperties={"size": 9.5},
                    alignment="left",
                    handlelength=2.6,
                )
            if change is not None:
                note = tr("legend_change_classes", lang, year=last)
            elif scheme.target_based and target is not None:
                note = tr(
                    "legend_target_classes",
                    lang,
                    year=target.year,
                    target=f"{target.value:g}",
                    status=_texts.target_status(target.status, lang),
                )
            else:
                note = tr("legend_quantile_classes", lang)
            notes = [note]

            # --- sources and footer
            width = 92 if lang == "en" else 84
            lines = [tr("sources", lang)]
            for line in [note, *_footer_lines(provenance, lang), tr("projection", lang)]:
                lines += ["· " + part if i == 0 else "  " + part for i, part in enumerate(wrap(line, width))]
            fig.text(0.56, 0.405, "\n".join(lines), fontsize=6.8, color="#333333", va="top", linespacing=1.35)
            if provenance.synthetic:
                banner = wrap(tr("synthetic_banner", lang), 100 if lang == "en" else 92)
                fig.patches.append(
                    FancyBboxPatch(
                        (0.56, 0.112),
                        0.405,
                        0.022 * len(banner) + 0.01,
                        boxstyle="square,pad=0",
                        transform=fig.transFigure,
                        fc="#fff5f0",
                        ec="#b2182b",
                        lw=0.8,
                    )
                )
                fig.text(0.565, 0.117, "\n".join(banner), fontsize=7.5, color="#b2182b", va="bottom")
            approval = approval_line(lang)
            generated = tr(
                "generated",
                lang,
                version=provenance.to_dict()["generator"].split(" ", 1)[1],
                date=provenance.generated_at[:10],
            )
            fig.text(0.035, 0.045, "\n".join(wrap(approval, 150)), fontsize=7.5, color="#333333", va="top")
            fig.text(0.965, 0.045, generated, fontsize=7.5, color="#333333", va="top", ha="right")
    return MapSheet(
        figure=fig, table=table, provenance=provenance, scheme=scheme, view=view, notes=notes, change=change
    )


def _save(figure: Any, target: Any, fmt: str, dpi: int, metadata: Mapping[str, str]) -> None:
    font = cjk_font()
    import matplotlib

    with _RC_LOCK, matplotlib.rc_context(_rc(font.family)):
        meta: dict[str, Any] = {}
        if fmt == "pdf" or fmt == "svg":
            meta = {"Title": metadata.get("title", ""), "Creator": metadata.get("creator", "zzgeo")}
        elif fmt == "png":
            meta = {"Title": metadata.get("title", ""), "Software": metadata.get("creator", "zzgeo")}
        figure.savefig(target, format=fmt, dpi=dpi, metadata=meta, facecolor="white")


def figure_bytes(sheet: MapSheet, fmt: str = "png", *, dpi: int = PRINT_DPI) -> bytes:
    """A rendered sheet as PNG, SVG or PDF bytes."""
    if fmt not in MAP_FORMATS.values():
        raise UnknownKeyError("map format", fmt, list(MAP_FORMATS.values()))
    buf = io.BytesIO()
    title = tr("map_title", sheet.view.lang, indicator=INDICATORS[sheet.view.indicator].title.get(sheet.view.lang))
    _save(sheet.figure, buf, fmt, dpi, {"title": title, "creator": sheet.provenance.to_dict()["generator"]})
    return buf.getvalue()


def map_bytes(
    view: MapView,
    layers: Mapping[str, gpd.GeoDataFrame],
    fmt: str = "png",
    *,
    dpi: int = PRINT_DPI,
    **kwargs: Any,
) -> bytes:
    """The map of ``view`` as PNG (``dpi``, default 300: 3508 × 2480 px), SVG or PDF bytes.

    ``kwargs`` are those of :func:`render_map` (``proposals``, ``population``, ...).
    """
    if fmt not in MAP_FORMATS.values():
        raise UnknownKeyError("map format", fmt, list(MAP_FORMATS.values()))
    return figure_bytes(render_map(view, layers, **kwargs), fmt, dpi=dpi)


def map_format(path: str | os.PathLike[str]) -> str:
    """The format of a map file from its suffix (``.png``, ``.svg``, ``.pdf``)."""
    suffix = Path(path).suffix.lower()
    if suffix not in MAP_FORMATS:
        raise UnknownKeyError("map file type", suffix or "(none)", list(MAP_FORMATS))
    return MAP_FORMATS[suffix]


def save_map(
    path: str | os.PathLike[str],
    view: MapView,
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    dpi: int = PRINT_DPI,
    **kwargs: Any,
) -> Path:
    """Write the map of ``view`` to ``path`` (format from the suffix) atomically; return the path."""
    fmt = map_format(path)
    data = map_bytes(view, layers, fmt, dpi=dpi, **kwargs)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    logger.info("wrote map %s (%s, %d bytes)", path, fmt, len(data))
    return Path(path)
