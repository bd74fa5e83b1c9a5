"""Where the figures of a map, report or export come from: sources, as-of dates, filters.

:func:`provenance_of` describes the layers, population and plan target behind an output;
the :class:`Provenance` it returns travels with every output meant for people or for other
programs:

- printed maps and the briefing report print :meth:`Provenance.lines`;
- the people's Excel workbook has a sheet of them (:mod:`zzgeo.tables`);
- GeoJSON exports carry :meth:`Provenance.to_dict` as the top-level member ``"zzgeo"`` and
  :meth:`Provenance.description` as the member ``"description"`` (GDAL shows it as the layer's
  ``DESCRIPTION`` metadata item);
- GeoPackage exports carry the description in ``gpkg_contents.description`` (QGIS and
  GDAL show it as the layer's description) and every field of :meth:`Provenance.metadata`
  as layer metadata items ``ZZGEO_*`` (GDAL keeps them in ``gpkg_metadata``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from zzgeo import _texts
from zzgeo._texts import tr
from zzgeo.layers import get_spec
from zzgeo.plan import Target

__all__ = [
    "IMPORT_SOURCE_PREFIX",
    "AreaSource",
    "LayerSource",
    "Provenance",
    "area_provenance",
    "indicators_provenance",
    "provenance_of",
]

#: ``source`` of rows imported into the workspace (see :meth:`zzgeo.workspace.Workspace.layer`)
IMPORT_SOURCE_PREFIX = "import: "
_MAX_SOURCES = 6


@dataclass(frozen=True)
class LayerSource:
    """One layer behind an output: rows used (after filters) and where they come from."""

    kind: str
    rows: int
    synthetic_rows: int
    imported_files: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # distinct ``source`` values of the other rows

    @property
    def synthetic(self) -> bool:
        """Whether any row used is synthetic."""
        return self.synthetic_rows > 0

    def what(self, lang: str) -> str:
        """Synthetic, imported, mixed or real, in words."""
        imported = self.rows - self.synthetic_rows if self.imported_files else 0
        if self.synthetic and imported:
            return tr("what_mixed", lang, n=imported)
        if self.synthetic:
            return tr("what_synthetic", lang)
        if self.imported_files:
            return tr("what_imported", lang, files=_texts.join(self.imported_files, lang))
        return tr("what_real", lang, sources="; ".join(self.sources) or "—")


@dataclass(frozen=True)
class AreaSource:
    """The area layer of a per-area output (:mod:`zzgeo.areas`): its title, areas, estimated populations."""

    title: str
    areas: int
    estimated: int  # areas whose population is zzgeo's estimate, not a figure of the file
    estimate_year: int | None = None  # the district population table the estimates spread

    def lines(self, lang: str) -> list[str]:
        """The area layer, and the estimate's rule when any population is estimated."""
        out = [tr("src_areas", lang, title=self.title, n=f"{self.areas:,}")]
        if self.estimated:
            from zzgeo.areas import estimate_rule

            rule = estimate_rule(self.estimate_year or 2020).get(lang)
            out.append(tr("src_areas_estimated", lang, n=f"{self.estimated:,}", rule=rule))
        return out


@dataclass(frozen=True)
class Provenance:
    """Sources, as-of dates and filters of one output (see the module docstring)."""

    year: int | None
    operators: tuple[str, ...] | None
    statuses: tuple[str, ...] | None
    layers: tuple[LayerSource, ...]
    population_year: int
    population_as_of: str
    population_statuses: Mapping[str, int]
    population_sources: tuple[str, ...]
    target: Target | None
    generated_at: str  # ISO 8601, UTC, seconds
    proposals: int = 0
    extra: Mapping[str, str] = field(default_factory=dict)
    areas: AreaSource | None = None  # per-area outputs: the area layer (see :func:`area_provenance`)

    @property
    def synthetic(self) -> bool:
        """Whether any layer used has synthetic rows."""
        return any(layer.synthetic for layer in self.layers)

    @property
    def user_population(self) -> bool:
        """Whether the population table is not the shipped census table."""
        return set(self.population_statuses) <= {"user-supplied", "unknown"}

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (stable keys; documented in the README)."""
        from zzgeo import __version__

        return {
            "generator": f"zzgeo {__version__}",
            "generated_at": self.generated_at,
            "as_of_year": self.year,
            "filters": {
                "operators": list(self.operators) if self.operators is not None else None,
                "statuses": list(self.statuses) if self.statuses is not None else None,
            },
            "synthetic": self.synthetic,
            "layers": [
                {
                    "kind": layer.kind,
                    "rows": layer.rows,
                    "synthetic_rows": layer.synthetic_rows,
                    "imported_files": list(layer.imported_files),
                    "sources": list(layer.sources),
                }
                for layer in self.layers
            ],
            "population": {
                "year": self.population_year,
                "as_of": self.population_as_of,
                "statuses": dict(self.population_statuses),
                "sources": list(self.population_sources),
            },
            "target": None
            if self.target is None
            else {
                "indicator": self.target.indicator,
                "year": self.target.year,
                "value": self.target.value,
                "unit": self.target.unit,
                "status": self.target.status,
                "source": self.target.source,
            },
            "boundaries": tr("src_boundaries", "en"),
            "proposals": self.proposals,
            **({"extra": dict(self.extra)} if self.extra else {}),
            **(
                {
                    "areas": {
                        "title": self.areas.title,
                        "areas": self.areas.areas,
                        "estimated": self.areas.estimated,
                        "estimate_year": self.areas.estimate_year,
                    }
                }
                if self.areas is not None
                else {}
            ),
        }

    def description(self, lang: str = "en") -> str:
        """One line: what, as of when, filters, synthetic or not (a layer description)."""
        parts = [f"zzgeo: {'; '.join(_layer_line(layer, self.year, lang) for layer in self.layers)}"]
        if self.areas is not None:
            parts += self.areas.lines(lang)
        parts.append(self.filter_line(lang))
        parts.append(self.population_line(lang))
        parts.append(self.target_line(lang))
        parts.append(tr("generated", lang, version=_version(), date=self.generated_at))
        return " | ".join(parts)

    def metadata(self) -> dict[str, str]:
        """Flat ``ZZGEO_*`` metadata items (GeoPackage layer metadata)."""
        data = self.to_dict()
        return {
            "ZZGEO_GENERATOR": data["generator"],
            "ZZGEO_GENERATED_AT": self.generated_at,
            "ZZGEO_AS_OF_YEAR": "" if self.year is None else str(self.year),
            "ZZGEO_FILTERS": json.dumps(data["filters"], ensure_ascii=False),
            "ZZGEO_SYNTHETIC": "true" if self.synthetic else "false",
            "ZZGEO_LAYERS": json.dumps(data["layers"], ensure_ascii=False),
            "ZZGEO_POPULATION": json.dumps(data["population"], ensure_ascii=False),
            "ZZGEO_TARGET": json.dumps(data["target"], ensure_ascii=False),
            "ZZGEO_PROVENANCE": json.dumps(data, ensure_ascii=False),
        }

    def filter_line(self, lang: str) -> str:
        """The filters in words."""
        ops = (
            tr("all_operators", lang)
            if self.operators is None
            else _texts.join([_texts.operator_name(o, lang) for o in self.operators], lang)
        )
        sts = (
            tr("all_operators", lang)
            if self.statuses is None
            else _texts.join([_texts.status_name(s, lang) for s in self.statuses], lang)
        )
        year = tr("as_of", lang, year=self.year) if self.year is not None else tr("all_years", lang)
        return f"{year} · {tr('filters', lang, operators=ops, statuses=sts)}"

    def population_line(self, lang: str) -> str:
        """Population source, date and statuses."""
        what = (
            tr("user_population", lang, year=self.population_year)
            if self.user_population
            else f"{self.population_year} {tr('census_2020', lang)}"
            if lang == "en"
            else f"{self.population_year} 年{tr('census_2020', lang)}"
        )
        statuses = _texts.join(
            [f"{_texts.population_status(s, lang)} {n}" for s, n in sorted(self.population_statuses.items())], lang
        )
        return tr("src_population", lang, what=what, as_of=self.population_as_of, statuses=statuses)

    def target_line(self, lang: str) -> str:
        """The plan target behind "below the target"."""
        if self.target is None:
            return tr("src_no_target", lang, year=self.year if self.year is not None else "—")
        source = tr("src_target_plan" if self.target.status == "plan" else "src_target_assumption", lang)
        return tr(
            "src_target",
            lang,
            value=f"{self.target.value:g}",
            year=self.target.year,
            status=_texts.target_status(self.target.status, lang),
            source=source,
        )

    def lines(self, lang: str) -> list[str]:
        """Every source line of a map sheet or report, in ``lang``."""
        out = [_layer_line(layer, self.year, lang) for layer in self.layers]
        if self.areas is not None:
            out += self.areas.lines(lang)
        out += [self.population_line(lang), self.target_line(lang), tr("src_boundaries", lang)]
        return out


def _version() -> str:
    from zzgeo import __version__

    return __version__


def _layer_line(layer: LayerSource, year: int | None, lang: str) -> str:
    title = _texts.layer_title(layer.kind, lang)
    if year is None:
        return tr("src_layer_all", lang, layer=title, rows=f"{layer.rows:,}", what=layer.what(lang))
    return tr("src_layer", lang, layer=title, rows=f"{layer.rows:,}", what=layer.what(lang), year=year)


def _layer_source(kind: str, layer: pd.DataFrame) -> LayerSource:
    get_spec(kind)
    synthetic = int(layer["synthetic"].fillna(False).astype(bool).sum()) if "synthetic" in layer.columns else 0
    files: list[str] = []
    sources: list[str] = []
    if "source" in layer.columns:
        values = layer.loc[~layer["synthetic"].fillna(False).astype(bool)] if "synthetic" in layer.columns else layer
        for value in pd.unique(values["source"].dropna().astype("str")):
            if value.startswith(IMPORT_SOURCE_PREFIX):
                files.append(value[len(IMPORT_SOURCE_PREFIX) :])
            elif len(sources) < _MAX_SOURCES:
                sources.append(value)
    return LayerSource(kind, len(layer), synthetic, tuple(files), tuple(sources))


def provenance_of(
    layers: Mapping[str, pd.DataFrame],
    population: pd.DataFrame,
    *,
    year: int | None,
    operators: Sequence[str] | None = None,
    statuses: Sequence[str] | None = ("in_service",),
    target: Target | None = None,
    proposals: int = 0,
    now: dt.datetime | None = None,
    extra: Mapping[str, str] | None = None,
) -> Provenance:
    """The provenance of an output made from ``layers`` (already filtered) and ``population``.

    Parameters
    ----------
    layers : mapping of str to DataFrame
        Layer kind -> the rows used (after the year/operator/status filters), with the
        ``synthetic`` and ``source`` columns of the layer kinds when present.
    population : pandas.DataFrame
        The population table used (``year``, optional ``as_of``, ``status``, ``source``).
    year, operators, statuses : optional
        The filters applied (None: no filter).
    target : zzgeo.plan.Target, optional
        The plan target used for "below the target".
    proposals : int
        What-if proposals counted in the figures.
    now : datetime, optional
        The generation time (default: now, UTC).
    extra : mapping, optional
        More ``key -> text`` facts (e.g. the coverage assumptions of a report).
    """
    when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    statuses_of_pop = (
        population["status"].astype("str").value_counts().to_dict()
        if "status" in population.columns
        else {"unknown": len(population)}
    )
    as_of = (
        ", ".join(sorted(set(population["as_of"].dropna().astype("str"))))
        if "as_of" in population.columns
        else str(int(population["year"].iloc[0]))
    )
    pop_sources = (
        tuple(str(s) for s in pd.unique(population["source"].dropna().astype("str")))
        if "source" in population.columns
        else ()
    )
    return Provenance(
        year=year,
        operators=tuple(operators) if operators is not None else None,
        statuses=tuple(statuses) if statuses is not None else None,
        layers=tuple(_layer_source(kind, frame) for kind, frame in layers.items()),
        population_year=int(population["year"].iloc[0]),
        population_as_of=as_of,
        population_statuses={str(k): int(v) for k, v in statuses_of_pop.items()},
        population_sources=pop_sources,
        target=target,
        generated_at=when.isoformat(),
        proposals=proposals,
        extra=dict(extra or {}),
    )


def indicators_provenance(
    sites: pd.DataFrame,
    population: pd.DataFrame | None = None,
    *,
    year: int | None,
    operators: Sequence[str] | None = None,
    statuses: Sequence[str] | None = ("in_service",),
    targets: pd.DataFrame | None = None,
    proposals: int = 0,
    now: dt.datetime | None = None,
) -> Provenance:
    """The provenance of an indicator table of the 5G layer ``sites`` (unfiltered) with these filters.

    The same filters as :func:`zzgeo.indicators.compute_indicators`; the plan target of
    ``year`` is looked up in ``targets`` (default: the shipped table), the population
    defaults to the shipped census table.
    """
    from zzgeo.districts import load_population
    from zzgeo.indicators import filter_layer
    from zzgeo.plan import load_targets, target_for

    used = filter_layer(sites, "5g_sites", year=year, operators=operators, statuses=statuses)
    target = None
    if year is not None:
        target = target_for("5g_per_10k", year, load_targets() if targets is None else targets)
    return provenance_of(
        {"5g_sites": used},
        load_population() if population is None else population,
        year=year,
        operators=operators,
        statuses=statuses,
        target=target,
        proposals=proposals,
        now=now,
    )


def area_provenance(provenance: Provenance, areas: pd.DataFrame) -> Provenance:
    """``provenance`` of a per-area output: with the area layer ``areas`` (from :func:`zzgeo.areas.prepare_areas`).

    Its title (``attrs["title"]``), number of areas and how many have an estimated population
    (``population_status == "estimated"``, with the rule) join the source lines, the
    description and ``to_dict()["areas"]``.
    """
    import dataclasses

    statuses = areas["population_status"].astype("str") if "population_status" in areas.columns else pd.Series()
    year = areas.attrs.get("estimate_year")
    source = AreaSource(
        title=str(areas.attrs.get("title") or "areas"),
        areas=len(areas),
        estimated=int((statuses == "estimated").sum()),
        estimate_year=int(year) if year is not None else None,
    )
    return dataclasses.replace(provenance, areas=source)
