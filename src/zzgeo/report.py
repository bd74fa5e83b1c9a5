"""The briefing report: a PDF in Chinese or English for officials (ReportLab + matplotlib).

:func:`report_bytes` builds it from the layers (data in, bytes out); :func:`write_report`
writes it atomically. Sections: cover (title, scope, date); city summary (sites, sites per
10,000 against the target, districts below it); the map (:mod:`zzgeo.cartography`); the
ranking table; the city and each district over the years against the target path; the
underserved districts with the sites still needed and their coverage gaps
(:mod:`zzgeo.coverage`); the coverage figures with their caveats; what is real, derived,
assumed or synthetic, with sources; and the what-if proposals with their effect, when
there are any.

Why ReportLab: it lays out real documents (flowing paragraphs with Chinese line breaking,
tables that split across pages and repeat their header, page templates with footers and
page numbers, portrait and landscape pages in one file) and embeds TrueType subsets, from
a pure-Python wheel; matplotlib's ``PdfPages`` has no text flow or table layout, and
WeasyPrint needs Pango and other system libraries. Charts and the map are drawn by
matplotlib and placed as 300 dpi images.

Long renders report progress through ``progress(stage, fraction)`` (fraction 0–1), so a
caller (the app) can show a progress bar; stages are :data:`STAGES`.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from zzgeo import _texts
from zzgeo._fonts import reportlab_font
from zzgeo._texts import tr
from zzgeo.cartography import PRINT_DPI, MapView, approval_line, figure_bytes, render_map, view_table
from zzgeo.classes import (
    PROPOSED_FILL_COLOR,
    UNDER_OUTLINE_COLOR,
    city_row,
    district_rows,
    fmt_number,
    target_of,
)
from zzgeo.coverage import DEFAULT_RADIUS_KM, coverage_by_area, coverage_by_district, coverage_gaps
from zzgeo.districts import load_districts, load_population
from zzgeo.errors import UnknownKeyError, ZzgeoError
from zzgeo.export import atomic_path
from zzgeo.indicators import filter_layer, sites_by_year
from zzgeo.layers import LAYER_KINDS
from zzgeo.plan import load_targets
from zzgeo.planning import proposal_effect
from zzgeo.tables import ranking

__all__ = ["CHART_AREAS", "STAGES", "Progress", "report_bytes", "write_report"]

logger = logging.getLogger(__name__)

#: progress(stage, fraction) callback
Progress = Callable[[str, float], None]
#: the stages reported, in order, with the fraction reached when each starts
STAGES = (
    ("indicators", 0.0),
    ("map", 0.1),
    ("coverage", 0.45),
    ("chart", 0.65),
    ("tables", 0.8),
    ("writing", 0.9),
    ("done", 1.0),
)
_COVERAGE_RESOLUTION = 8
#: areas shown in the chart of an area level (the city and these fill its 4 × 3 grid)
CHART_AREAS = 11
_CELL_EDGE_KM = {7: 1.41, 8: 0.53}
_FIRST_YEAR = 2019
_INK = "#1a1a1a"
_UNDER_BG = "#fde0dd"
_HEAD_BG = "#deebf7"


def _progress_of(progress: Progress | None) -> Callable[[str], None]:
    at = dict(STAGES)

    def step(stage: str) -> None:
        logger.debug("report: %s", stage)
        if progress is not None:
            progress(stage, at[stage])

    return step


# ---------------------------------------------------------------------------------------
# charts


def _words(areas: gpd.GeoDataFrame | None) -> Callable[..., str]:
    """:func:`zzgeo._texts.tr`, with the ``"<key>@areas"`` texts when there are ``areas`` (``{n_units}``)."""
    if areas is None:
        return _texts.tr
    n_units = len(areas)

    def words(key: str, lang: str = "zh", **values: object) -> str:
        own = f"{key}@areas"
        if own in _texts.T:
            return _texts.tr(own, lang, n_units=n_units, **values)
        return _texts.tr(key, lang, **values)

    return words


def _gaps_of(gaps: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """Coverage gap cells with the district's (or, on an area level, the area's) key in ``adcode``.

    On an area level a cell belongs to the area holding its centre (none when outside every area).
    """
    if areas is None or len(gaps) == 0:
        return gaps
    centres = gpd.GeoDataFrame(
        {"area_km2": gaps["area_km2"].to_numpy()},
        geometry=gaps.geometry.to_crs("EPSG:32650").centroid.to_crs("EPSG:4326").to_numpy(),
        crs="EPSG:4326",
    )
    joined = gpd.sjoin(centres, areas[["adcode", "geometry"]], predicate="within", how="inner")
    return joined[["adcode", "area_km2"]].assign(adcode=joined["adcode"].astype("str"))


def _charted(table: pd.DataFrame, areas: gpd.GeoDataFrame | None) -> list[str]:
    """Keys of the units in the chart: every district, or the areas with the largest gap (at most 11)."""
    rows = district_rows(table)
    if areas is None or len(rows) <= CHART_AREAS:
        return list(rows["adcode"].astype("str"))
    gap = pd.to_numeric(rows["gap_sites"], errors="coerce").fillna(-1)
    worst = rows.assign(_gap=gap.to_numpy()).sort_values(["_gap", "adcode"], ascending=[False, True])
    return list(worst["adcode"].astype("str").head(CHART_AREAS))


def _target_path(targets: pd.DataFrame) -> dict[int, float]:
    rows = targets[targets["indicator"] == "5g_per_10k"]
    values = pd.to_numeric(rows["value"], errors="coerce")
    return {int(y): float(v) for y, v in zip(rows["year"], values, strict=True) if np.isfinite(v)}


def _chart_png(
    per_10k: pd.DataFrame,
    proposed_per_10k: pd.Series,
    names: Mapping[str, str],
    path: Mapping[int, float],
    lang: str,
) -> bytes:
    """Small multiples: the city and each district, sites per 10,000 by year, target path dashed."""
    import matplotlib
    from matplotlib.figure import Figure

    from zzgeo._fonts import cjk_font
    from zzgeo.cartography import _RC_LOCK, _rc

    font = cjk_font()
    codes = list(per_10k.index)
    years = [int(y) for y in per_10k.columns]
    top = max(float(np.nanmax(per_10k.to_numpy() + proposed_per_10k.reindex(codes).fillna(0).to_numpy()[:, None])),
              max(path.values(), default=0.0)) * 1.12  # fmt: skip
    with _RC_LOCK, matplotlib.rc_context(_rc(font.family)):
        fig = Figure(figsize=(7.2, 8.6), dpi=100)
        axes = fig.subplots(4, 3, sharex=True, sharey=True)
        for ax, code in zip(axes.ravel(), codes, strict=False):
            values = per_10k.loc[code].to_numpy(dtype=float)
            ax.bar(years, values, color="#6baed6", width=0.7, zorder=2)
            extra = float(proposed_per_10k.get(code, 0.0))
            if extra > 0:
                ax.bar([years[-1]], [extra], bottom=[values[-1]], color=PROPOSED_FILL_COLOR, edgecolor=_INK,
                       linewidth=0.6, width=0.7, zorder=2)  # fmt: skip
            if path:
                xs = sorted(y for y in path if years[0] <= y <= years[-1])
                ax.plot(xs, [path[x] for x in xs], color=UNDER_OUTLINE_COLOR, ls=(0, (4, 2)), lw=1.4, marker="o",
                        ms=2.5, zorder=3)  # fmt: skip
            ax.set_title(names[code], fontsize=9, loc="left")
            ax.set_ylim(0, top)
            ax.grid(axis="y", color="#e5e5e5", lw=0.6, zorder=0)
            ax.tick_params(labelsize=7)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            ax.set_xticks(years, [f"'{y % 100:02d}" for y in years])
        for ax in axes.ravel()[len(codes) :]:
            ax.set_visible(False)
        for ax in axes[:, 0]:
            ax.set_ylabel(tr("chart_sites", lang), fontsize=7.5)
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        handles: list[Any] = [Patch(color="#6baed6", label=tr("chart_sites", lang))]
        if path:
            handles.append(Line2D([], [], color=UNDER_OUTLINE_COLOR, ls=(0, (4, 2)), marker="o", ms=3,
                                  label=tr("chart_target", lang)))  # fmt: skip
        if (proposed_per_10k > 0).any():
            handles.append(Patch(facecolor=PROPOSED_FILL_COLOR, edgecolor=_INK, label=tr("chart_proposed", lang)))
        fig.legend(handles=handles, loc="lower center", ncols=len(handles), frameon=False, fontsize=8.5)
        fig.subplots_adjust(left=0.09, right=0.98, top=0.96, bottom=0.08, hspace=0.45, wspace=0.12)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=PRINT_DPI, facecolor="white")
    return buf.getvalue()


# ---------------------------------------------------------------------------------------
# document pieces


class _Doc:
    """Styles and helpers of one report (font, language)."""

    def __init__(self, lang: str) -> None:
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle

        self.lang = lang
        self.font = reportlab_font()
        wrap = "CJK" if lang == "zh" else None
        base = {"fontName": self.font, "wordWrap": wrap, "textColor": colors.HexColor(_INK)}
        self.title = ParagraphStyle("title", fontSize=24, leading=32, spaceAfter=12, **base)
        self.subtitle = ParagraphStyle("subtitle", fontSize=13, leading=19, spaceAfter=18, **base)
        self.h1 = ParagraphStyle("h1", fontSize=15, leading=21, spaceBefore=6, spaceAfter=8, **base)
        self.body = ParagraphStyle("body", fontSize=10, leading=15, spaceAfter=6, **base)
        self.small = ParagraphStyle("small", fontSize=8, leading=11.5, spaceAfter=4, **base)
        self.cell = ParagraphStyle("cell", fontSize=8.5, leading=11, **base)
        self.warn = ParagraphStyle(
            "warn",
            fontSize=10,
            leading=15,
            textColor=colors.HexColor("#b2182b"),
            borderColor=colors.HexColor("#b2182b"),
            borderWidth=0.8,
            borderPadding=6,
            backColor=colors.HexColor("#fff5f0"),
            spaceBefore=8,
            spaceAfter=12,
            fontName=self.font,
            wordWrap=wrap,
        )

    def p(self, text: str, style: Any = None) -> Any:
        from xml.sax.saxutils import escape

        from reportlab.platypus import Paragraph

        return Paragraph(escape(text), style or self.body)

    def table(
        self,
        head: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        *,
        shaded: Sequence[bool] = (),
        bold_last: bool = False,
        align_right_from: int = 1,
    ) -> Any:
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        def cell(value: Any) -> Any:
            if hasattr(value, "wrapOn"):  # a flowable already
                return value
            text = str(value)
            return self.p(text, self.cell) if len(text) > 18 else text

        data = [[self.p(str(h), self.cell) for h in head]] if head else []
        data += [[cell(v) for v in row] for row in rows]
        table = Table(data, colWidths=list(widths), repeatRows=1 if head else 0)
        style = [
            ("FONTNAME", (0, 0), (-1, -1), self.font),
            ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("LEADING", (0, 0), (-1, -1), 11),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bdbdbd")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (align_right_from, 1 if head else 0), (-1, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if head:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(_HEAD_BG)))
        for i, shade in enumerate(shaded, start=1 if head else 0):
            if shade:
                style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor(_UNDER_BG)))
        if bold_last:
            last = len(data) - 1
            style.append(("LINEABOVE", (0, last), (-1, last), 1.0, colors.HexColor(_INK)))
        table.setStyle(TableStyle(style))
        return table

    def image(self, png: bytes, width: float, height: float) -> Any:
        from reportlab.platypus import Image

        return Image(io.BytesIO(png), width=width, height=height)


class _Slot:
    """A flowable that takes the rest of its frame and remembers where it was drawn (points)."""

    def __new__(cls) -> Any:
        from reportlab.platypus import Flowable

        class Slot(Flowable):
            def __init__(self) -> None:
                super().__init__()
                self.where: tuple[int, float, float, float, float] | None = None

            def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
                self.width, self.height = avail_width, avail_height - 1
                return self.width, self.height

            def draw(self) -> None:
                x, y = self.canv.absolutePosition(0, 0)
                self.where = (self.canv.getPageNumber(), x, y, self.width, self.height)

        return Slot()


def _lay_in(document: bytes, sheet: bytes, slot: Any) -> bytes:
    """``document`` with the first page of ``sheet`` scaled into ``slot``'s place (pypdf)."""
    from pypdf import PdfReader, PdfWriter, Transformation

    if slot.where is None:
        raise ZzgeoError("the map could not be placed in the report")
    page_no, x, y, width, height = slot.where
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document)))
    page = PdfReader(io.BytesIO(sheet)).pages[0]
    sw, sh = float(page.mediabox.width), float(page.mediabox.height)
    scale = min(width / sw, height / sh)
    dx = x + (width - sw * scale) / 2
    dy = y + (height - sh * scale) / 2
    writer.pages[page_no - 1].merge_transformed_page(page, Transformation().scale(scale, scale).translate(dx, dy))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scope(year: int, operators: Sequence[str] | None, statuses: Sequence[str] | None, lang: str) -> str:
    ops = (
        tr("all_operators", lang)
        if operators is None
        else _texts.join([_texts.operator_name(o, lang) for o in operators], lang)
    )
    sts = (
        tr("all_operators", lang)
        if statuses is None
        else _texts.join([_texts.status_name(s, lang) for s in statuses], lang)
    )
    return f"{tr('as_of', lang, year=year)} · {tr('filters', lang, operators=ops, statuses=sts)}"


def _radii_text(lang: str) -> str:
    parts = [f"{band} {value:g} km" for band, value in DEFAULT_RADIUS_KM.items() if band is not None]
    if None in DEFAULT_RADIUS_KM:
        parts.append(tr("radius_other", lang, value=f"{DEFAULT_RADIUS_KM[None]:g}"))
    return _texts.join(parts, lang)


def _paren(text: str, inner: str, lang: str) -> str:
    return f"{text}（{inner}）" if lang == "zh" else f"{text} ({inner})"


def _target_rows(targets: pd.DataFrame) -> list[tuple[int, float, str]]:
    """(year, value, status label key) of the 5G target path."""
    out = []
    for year, value in sorted(_target_path(targets).items()):
        row = targets[(targets["indicator"] == "5g_per_10k") & (targets["year"] == year)].iloc[0]
        out.append((year, value, str(row["status"])))
    return out


def _num(value: Any, decimals: int = 0) -> str:
    return fmt_number(value, decimals)


def _data_rows(
    lang: str, sheet_provenance: Any, population: pd.DataFrame, targets: pd.DataFrame, n_proposed: int
) -> list[list[str]]:
    rows: list[list[str]] = [
        [tr("data_boundaries", lang), tr("kind_real", lang), tr("src_boundaries_short", lang)],
        [tr("data_land", lang), tr("kind_real", lang), tr("src_land_short", lang)],
    ]
    statuses = population["status"].astype("str") if "status" in population.columns else pd.Series(["unknown"])
    sources = population["source"].astype("str") if "source" in population.columns else pd.Series([""] * len(statuses))
    names = population["name_zh" if lang == "zh" else "name_en"] if "name_zh" in population.columns else None
    kinds = {
        "published": "kind_published",
        "published-secondary": "kind_secondary",
        "derived": "kind_derived",
        "user-supplied": "kind_imported",
    }
    for status in sorted(set(statuses)):
        mask = (statuses == status).to_numpy()
        who = _texts.join([str(n) for n in names[mask]], lang) if names is not None else str(int(mask.sum()))
        cited = sorted({s for s in sources[mask] if s and not s.startswith("same ")})
        label = tr(kinds.get(status, "kind_real"), lang) if status in kinds else _texts.population_status(status, lang)
        rows.append(
            [
                f"{tr('data_population', lang)} ({int(population['year'].iloc[0])}): {who}",
                label,
                "; ".join(cited) or "—",
            ]
        )
    for year, value in sorted(_target_path(targets).items()):
        row = targets[(targets["indicator"] == "5g_per_10k") & (targets["year"] == year)].iloc[0]
        kind = "kind_plan" if row["status"] == "plan" else "kind_assumed"
        rows.append([f"{tr('data_target_plan', lang, year=year)}: {value:g}", tr(kind, lang), str(row["source"])])
    for layer in sheet_provenance.layers:
        kind = "kind_synthetic" if layer.synthetic else ("kind_imported" if layer.imported_files else "kind_real")
        rows.append([_texts.layer_title(layer.kind, lang), tr(kind, lang), layer.what(lang)])
    rows.append([tr("data_coverage", lang), tr("kind_modelled", lang), tr("src_coverage_short", lang)])
    if n_proposed:
        rows.append([tr("data_proposals", lang), tr("kind_whatif", lang), tr("src_proposals_short", lang)])
    return rows


# ---------------------------------------------------------------------------------------
# the report


def report_bytes(
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    year: int = 2025,
    lang: str = "zh",
    operators: Sequence[str] | None = None,
    statuses: Sequence[str] | None = ("in_service",),
    palette: str = "standard",
    proposals: gpd.GeoDataFrame | None = None,
    districts: gpd.GeoDataFrame | None = None,
    display: gpd.GeoDataFrame | None = None,
    population: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    areas: gpd.GeoDataFrame | None = None,
) -> bytes:
    """The briefing report as PDF bytes.

    Parameters
    ----------
    layers : mapping of str to geopandas.GeoDataFrame
        Layer kind -> whole layer (``5g_sites`` required; ``data_centers`` and
        ``smart_projects`` are drawn on the map when given), as for
        :func:`zzgeo.cartography.render_map`.
    year : int
        As-of year of every figure.
    lang : {"zh", "en"}
    operators, statuses : sequence of str, optional
        Filters of the 5G sites (None: all). Coverage always counts in-service sites.
    palette : str
        Colour scheme of the map (:data:`zzgeo.classes.PALETTE_NAMES`).
    proposals : geopandas.GeoDataFrame, optional
        What-if proposals, counted in the figures of ``year`` and shown with their effect.
    districts, display, population, targets : optional
        As for :func:`zzgeo.cartography.render_map` (default: the shipped data).
    progress : callable, optional
        Called as ``progress(stage, fraction)`` at each of :data:`STAGES`.
    now : datetime, optional
        The generation time printed (default: now).
    areas : geopandas.GeoDataFrame, optional
        An area level (:func:`zzgeo.areas.prepare_areas`): every figure, the map, the
        ranking, coverage and the underserved are per area; the chart shows the city and
        the :data:`CHART_AREAS` areas with the largest gap to the target.

    Returns
    -------
    bytes
        The PDF (A4; the map page landscape), every font embedded.

    Raises
    ------
    zzgeo.errors.UnknownKeyError
        For an unknown language, colour scheme, operator or status.
    zzgeo.errors.ZzgeoError
        When ``layers`` has no ``5g_sites`` or no CJK font is installed.
    """
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Spacer

    tr = _words(areas)  # the texts, with area words on an area level
    if lang not in _texts.LANGS:
        raise UnknownKeyError("language", lang, list(_texts.LANGS))
    if "5g_sites" not in layers:
        raise ZzgeoError("a report needs the 5g_sites layer")
    step = _progress_of(progress)
    step("indicators")
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    population = load_population() if population is None else population
    targets = load_targets() if targets is None else targets
    districts = load_districts("full") if districts is None else districts
    operators = tuple(operators) if operators is not None else None
    statuses = tuple(statuses) if statuses is not None else None
    view = MapView(
        indicator="sites_per_10k",
        palette=palette,
        year=year,
        operators=operators,
        statuses=statuses,
        layers=tuple(k for k in LAYER_KINDS if k in layers),
        lang=lang,
    ).checked()
    table = view_table(
        view, layers, proposals=proposals, districts=districts, population=population, targets=targets, areas=areas
    )
    baseline = (
        view_table(
            view, layers, proposals=None, districts=districts, population=population, targets=targets, areas=areas
        )
        if proposals is not None and len(proposals)
        else None
    )

    step("map")
    sheet = render_map(
        view, layers, proposals=proposals, districts=districts, display=display, population=population,
        targets=targets, now=now, table=table, areas=areas,
    )  # fmt: skip
    map_pdf = figure_bytes(sheet, "pdf")
    provenance = sheet.provenance

    step("coverage")
    in_service = filter_layer(layers["5g_sites"], "5g_sites", year=year, operators=operators, statuses=["in_service"])
    if areas is None:
        coverage = coverage_by_district(in_service, resolution=_COVERAGE_RESOLUTION, population=population)
    else:
        coverage = coverage_by_area(in_service, areas, resolution=_COVERAGE_RESOLUTION, population=population)
    gaps = _gaps_of(coverage_gaps(in_service, resolution=_COVERAGE_RESOLUTION), areas)
    gap_km2 = gaps.groupby("adcode")["area_km2"].sum()
    gap_cells = gaps.groupby("adcode").size()
    cov = coverage.set_index(coverage["adcode"].astype("str"))

    step("chart")
    codes = [*district_rows(table)["adcode"].astype("str"), str(city_row(table)["adcode"])]
    years = list(range(_FIRST_YEAR, year + 1))
    by_year = sites_by_year(
        layers["5g_sites"], districts, years=years, operators=operators, statuses=statuses, areas=areas
    ).reindex(codes)
    pop = table.set_index(table["adcode"].astype("str"))["population"].astype(float)
    per_10k = by_year.div(pop.reindex(codes), axis=0) * 10_000
    proposed = table.set_index(table["adcode"].astype("str"))["proposed_sites"].astype(float)
    proposed_per_10k = proposed.reindex(codes) / pop.reindex(codes) * 10_000
    names = {str(r["adcode"]): _texts.district_name(r, lang) for r in table.to_dict("records")}
    order = [codes[-1], *_charted(table, areas)]  # the city first
    chart_png = _chart_png(per_10k.loc[order], proposed_per_10k, names, _target_path(targets), lang)

    step("tables")
    doc_style = _Doc(lang)
    scope = _scope(year, operators, statuses, lang)
    date = now.astimezone(dt.UTC).strftime("%Y-%m-%d")
    story: list[Any] = []
    p = doc_style.p

    # cover
    story += [Spacer(1, 40 * mm), p(tr("report_title", lang), doc_style.title)]
    story.append(p(tr("report_subtitle", lang), doc_style.subtitle))
    story.append(p(tr("report_scope", lang, scope=scope)))
    story.append(p(tr("report_date", lang, date=date)))
    if provenance.synthetic:
        story.append(p(tr("synthetic_warning", lang), doc_style.warn))
    story.append(Spacer(1, 10 * mm))
    contents = ["sec_summary", "sec_map", "sec_ranking", "sec_chart", "sec_underserved", "sec_coverage", "sec_data"]
    if baseline is not None:
        contents.append("sec_whatif")
    story.append(p(tr("report_contents", lang), doc_style.h1))
    story += [p(tr(key, lang)) for key in contents]
    story.append(Spacer(1, 20 * mm))
    story.append(p(approval_line(lang), doc_style.small))
    story.append(PageBreak())

    # summary
    city = city_row(table)
    rows = district_rows(table)
    target = target_of(table)
    under = rows[rows["underserved"].astype(bool)]
    story.append(p(tr("sec_summary", lang), doc_style.h1))
    density = _num(city["sites_per_10k"], 1)
    if target is not None:
        status = _texts.target_status(city["target_status"], lang)
        story.append(
            p(
                tr(
                    "sum_lead",
                    lang,
                    year=year,
                    sites=_num(city["sites"]),
                    density=density,
                    target=f"{target:g}",
                    status=status,
                    n_under=len(under),
                )
            )
        )
    else:
        story.append(p(tr("sum_lead_no_target", lang, year=year, sites=_num(city["sites"]), density=density)))
    summary = [
        [tr("sum_sites", lang), _num(city["sites"])],
        [tr("sum_density", lang), density],
    ]
    if int(city.get("proposed_sites", 0) or 0):
        summary.insert(1, [tr("sum_proposed", lang), _num(city["proposed_sites"])])
    if target is not None:
        meets = float(city["sites_per_10k"]) >= target
        summary.append(
            [
                tr("sum_target", lang, year=year),
                _paren(f"{target:g}", _texts.target_status(city["target_status"], lang), lang)
                + " · "
                + tr("sum_meets" if meets else "sum_below", lang),
            ]
        )
        summary.append([tr("sum_gap", lang), _num(city["gap_sites"])])
        names_under = _texts.join([_texts.district_name(r, lang) for r in under.to_dict("records")], lang)
        summary.append(
            [
                tr("sum_under", lang),
                f"{len(under)} / {len(rows)}：{names_under or tr('sum_none', lang)}"
                if lang == "zh"
                else f"{len(under)} / {len(rows)}: {names_under or tr('sum_none', lang)}",
            ]
        )
    else:
        summary.append([tr("sum_target", lang, year=year), tr("sum_no_target", lang, year=year)])
    story.append(doc_style.table([], summary, [70 * mm, 100 * mm], align_right_from=2))
    story.append(Spacer(1, 4 * mm))
    story += [p("· " + line, doc_style.small) for line in provenance.lines(lang)]

    # map (landscape): the map sheet's own PDF page is laid into this slot after the build (vector, text kept)
    story += [NextPageTemplate("landscape"), PageBreak()]
    page_w, page_h = landscape(A4)
    story.append(p(tr("sec_map", lang), doc_style.h1))
    slot = _Slot()
    story.append(slot)
    story += [NextPageTemplate("portrait"), PageBreak()]

    # ranking
    story.append(p(tr("sec_ranking", lang), doc_style.h1))
    ranked = ranking(table, "sites_per_10k")
    head = [
        tr("col_rank", lang), tr("col_district", lang), tr("col_population", lang), tr("col_sites", lang),
        tr("col_per_10k", lang), tr("col_target", lang), tr("col_gap", lang), tr("col_coverage", lang),
        tr("col_status", lang),
    ]  # fmt: skip
    body = []
    for r in ranked.to_dict("records"):
        code = str(r["adcode"])
        status_text = "—" if target is None else tr("sum_below" if r["underserved"] else "sum_meets", lang)
        body.append(
            [
                str(r["rank"]), _texts.district_name(r, lang), _num(r["population"]), _num(r["sites"]),
                _num(r["sites_per_10k"], 1), "—" if target is None else f"{target:g}",
                "—" if pd.isna(r["gap_sites"]) else _num(r["gap_sites"]),
                _num(cov.loc[code, "coverage_pct"], 1), status_text,
            ]
        )  # fmt: skip
    body.append(
        [
            "", _texts.district_name(city, lang), _num(city["population"]), _num(city["sites"]),
            _num(city["sites_per_10k"], 1), "—" if target is None else f"{target:g}",
            "—" if pd.isna(city["gap_sites"]) else _num(city["gap_sites"]),
            _num(cov.loc[str(city["adcode"]), "coverage_pct"], 1),
            "—" if target is None else tr("sum_below" if city["underserved"] else "sum_meets", lang),
        ]
    )  # fmt: skip
    shaded = [bool(r["underserved"]) for r in ranked.to_dict("records")] + [False]
    widths = [11, 30, 22, 17, 17, 14, 17, 20, 26]
    story.append(
        doc_style.table(head, body, [w * mm for w in widths], shaded=shaded, bold_last=True, align_right_from=2)
    )
    story.append(Spacer(1, 3 * mm))
    story.append(p(tr("ranking_note", lang, year=year), doc_style.small))

    # chart
    story.append(PageBreak())
    story.append(p(tr("sec_chart", lang), doc_style.h1))
    path_text = _texts.join(
        [_paren(f"{y}: {v:g}", _texts.target_status(st, lang), lang) for y, v, st in _target_rows(targets)], lang
    )
    story.append(doc_style.image(chart_png, 172 * mm, 172 * mm * 8.6 / 7.2))
    story.append(p(tr("chart_note", lang, path=path_text), doc_style.small))

    # underserved
    story.append(PageBreak())
    story.append(p(tr("sec_underserved", lang), doc_style.h1))
    if target is None:
        story.append(p(tr("under_no_target", lang, year=year)))
    elif under.empty:
        story.append(p(tr("under_none", lang)))
    else:
        head = [
            tr("col_district", lang), tr("col_per_10k", lang), tr("col_target", lang), tr("col_gap", lang),
            tr("col_coverage", lang), tr("col_uncovered", lang), tr("col_gap_cells", lang),
        ]  # fmt: skip
        body = []
        for r in under.sort_values("gap_sites", ascending=False).to_dict("records"):
            code = str(r["adcode"])
            land = float(np.asarray(cov.loc[code, "land_km2"], dtype=float))
            uncovered = float(gap_km2.get(code, 0.0))
            body.append(
                [
                    _texts.district_name(r, lang), _num(r["sites_per_10k"], 1), f"{target:g}", _num(r["gap_sites"]),
                    _num(cov.loc[code, "coverage_pct"], 1), _num(uncovered), _num(gap_cells.get(code, 0)),
                ]
            )  # fmt: skip
            story.append(
                p(
                    tr(
                        "under_lead",
                        lang,
                        name=_texts.district_name(r, lang),
                        density=_num(r["sites_per_10k"], 1),
                        target=f"{target:g}",
                        gap=_num(r["gap_sites"]),
                        uncovered=_num(uncovered),
                        share=_num(uncovered / land * 100 if land else float("nan"), 1),
                    )
                )
            )
        story.append(Spacer(1, 3 * mm))
        story.append(doc_style.table(head, body, [w * mm for w in (30, 20, 16, 20, 24, 34, 24)]))
        story.append(Spacer(1, 3 * mm))
        story.append(p(tr("under_coverage_ref", lang), doc_style.small))

    # coverage
    story.append(PageBreak())
    story.append(p(tr("sec_coverage", lang), doc_style.h1))
    head = [tr("col_district", lang), tr("col_coverage", lang), tr("col_pop_coverage", lang), tr("col_uncovered", lang)]
    body = []
    for code in codes:
        row = cov.loc[code]
        name = _texts.district_name(table.set_index(table["adcode"].astype("str")).loc[code], lang)
        uncovered = float(gap_km2.get(code, 0.0)) if code != codes[-1] else float(gap_km2.sum())
        body.append([name, _num(row["coverage_pct"], 1), _num(row["population_weighted_pct"], 1), _num(uncovered)])
    story.append(doc_style.table(head, body, [w * mm for w in (40, 35, 35, 45)], bold_last=True))
    story.append(Spacer(1, 3 * mm))
    story.append(
        p(
            tr(
                "coverage_note",
                lang,
                radii=_radii_text(lang),
                res=_COVERAGE_RESOLUTION,
                edge=f"{_CELL_EDGE_KM[_COVERAGE_RESOLUTION]:g}",
            ),
            doc_style.small,
        )
    )

    # data truth
    story.append(PageBreak())
    story.append(p(tr("sec_data", lang), doc_style.h1))
    n_proposed = len(proposals) if proposals is not None else 0
    rows_data = _data_rows(lang, provenance, population, targets, n_proposed)
    story.append(
        doc_style.table(
            [tr("col_what", lang), tr("col_kind", lang), tr("col_source", lang)],
            [[doc_style.p(c, doc_style.cell) for c in r] for r in rows_data],
            [48 * mm, 28 * mm, 98 * mm],
            align_right_from=3,
        )
    )
    story.append(Spacer(1, 3 * mm))
    story += [p("· " + line, doc_style.small) for line in provenance.lines(lang)]
    story.append(p(approval_line(lang), doc_style.small))

    # what-if
    if baseline is not None:
        story.append(p(tr("sec_whatif", lang), doc_style.h1))
        story.append(p(tr("whatif_lead", lang, n=n_proposed, year=year)))
        outside = int(table.attrs.get("proposed_outside", 0) or 0)
        if outside:
            story.append(p(tr("whatif_outside", lang, n=outside)))
        effect = proposal_effect(baseline, table)
        head = [
            tr("col_district", lang), tr("col_added", lang), tr("col_before", lang), tr("col_after", lang),
            tr("col_status", lang),
        ]  # fmt: skip
        body = []
        shown = effect[(effect["added"] > 0) | (effect["adcode"] == str(city["adcode"]))]
        for r in shown.to_dict("records"):
            if target is None:
                status_text = "—"
            elif r["underserved_after"]:
                status_text = tr("whatif_still", lang)
            else:
                status_text = tr("whatif_reaches", lang) if r["underserved_before"] else tr("sum_meets", lang)
            body.append(
                [
                    _texts.district_name(r, lang), _num(r["added"]), _num(r["per_10k_before"], 1),
                    _num(r["per_10k_after"], 1), status_text,
                ]
            )  # fmt: skip
        story.append(doc_style.table(head, body, [w * mm for w in (40, 22, 32, 28, 40)], bold_last=True))

    step("writing")
    buf = io.BytesIO()
    footer_text = tr("report_footer", lang, scope=scope, date=date)

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(doc_style.font, 7.5)
        width, _ = canvas._pagesize
        canvas.setFillColorRGB(0.3, 0.3, 0.3)
        canvas.drawString(12 * mm, 8 * mm, footer_text)
        canvas.drawRightString(width - 12 * mm, 8 * mm, tr("report_page", lang, n=doc.page))
        if provenance.synthetic:
            canvas.setFillColorRGB(0.7, 0.09, 0.17)
            canvas.drawRightString(width - 12 * mm, 12 * mm, tr("what_synthetic", lang))
        canvas.restoreState()

    from zzgeo import __version__

    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        title=tr("report_title", lang),
        author="zzgeo",
        creator=f"zzgeo {__version__}",
        subject=scope,
        initialFontName=doc_style.font,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
    )
    portrait_frame = Frame(18 * mm, 18 * mm, A4[0] - 36 * mm, A4[1] - 34 * mm, id="portrait")
    landscape_frame = Frame(12 * mm, 14 * mm, page_w - 24 * mm, page_h - 24 * mm, id="landscape", leftPadding=0,
                            rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip
    doc.addPageTemplates(
        [
            PageTemplate(id="portrait", frames=[portrait_frame], onPage=footer, pagesize=A4),
            PageTemplate(id="landscape", frames=[landscape_frame], onPage=footer, pagesize=landscape(A4)),
        ]
    )
    doc.build(story)
    data = _lay_in(buf.getvalue(), map_pdf, slot)
    step("done")
    return data


def write_report(path: str | os.PathLike[str], layers: Mapping[str, gpd.GeoDataFrame], **kwargs: Any) -> Path:
    """Write :func:`report_bytes` to ``path`` (.pdf) atomically; return the path.

    Nothing is written unless the whole report was made: a failure or an interruption
    leaves ``path`` as it was.
    """
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        raise UnknownKeyError("report file type", target.suffix or "(none)", [".pdf"])
    data = report_bytes(layers, **kwargs)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    logger.info("wrote report %s (%d bytes)", target, len(data))
    return target
