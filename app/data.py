"""Data the app loads at start-up (by :func:`app.create_app`, never at import).

The point layers come from the workspace (:meth:`zzgeo.workspace.Workspace.layer`): the
shipped sample plus imported rows, or only the imports when an import replaces the
sample. :class:`LiveData` reloads them after an import is accepted or removed (or when
another process changed the workspace file), keeping the districts, population and
targets loaded once.

Layers get their district assignment (``zzgeo.indicators.with_districts``) here, so a
filter change only counts. The browser gets small payloads: display-detail districts and
the small point layers as GeoJSON with a few short properties inside the page, the 5G
sites as compact columnar JSON (:mod:`app.payload`) fetched from :data:`DATA_ROUTE`;
coordinates are rounded to 5 decimals (about 1 m) and imported rows carry the file they
came from (``f``). Every layer is also served as GeoJSON (``<name>.geojson``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from app.levels import AreaLevel, level_payloads, load_levels
from app.payload import COMPACT, PAYLOAD_COLUMNS, compact_bytes, geojson_payload, shown_layer
from app.state import POINT_LAYERS
from zzgeo.districts import load_districts, load_land, load_population
from zzgeo.errors import ZzgeoError
from zzgeo.indicators import with_districts
from zzgeo.layers import MAX_YEAR, MIN_YEAR, get_spec, load_layer
from zzgeo.messages import Text
from zzgeo.places import PlaceIndex
from zzgeo.plan import load_targets, load_tasks
from zzgeo.settings import Settings, get_settings
from zzgeo.workspace import Workspace

logger = logging.getLogger(__name__)

#: small payloads sent inside the page; the others (5G sites) are fetched from DATA_ROUTE
INLINE = ("districts", "data_centers", "smart_projects")
DATA_ROUTE = "/zzgeo-data"

EMPTY_FC: dict[str, Any] = {"type": "FeatureCollection", "features": []}


@dataclass(frozen=True)
class ImportEntry:
    """One import stored in the workspace (a row of ``Workspace.entries()``)."""

    id: str
    kind: str
    file: str
    imported_at: str  # ISO 8601, UTC
    rows_accepted: int
    rows_rejected: int
    mode: str  # "add" or "replace"
    crs: str = ""


@dataclass(frozen=True)
class ProposalBatch:
    """What-if proposals an editor accepted as planned sites (a row of ``Workspace.proposal_entries()``)."""

    id: str
    accepted_at: str  # ISO 8601, UTC
    who: str
    rows: int


@dataclass(frozen=True)
class LevelChoice:
    """An area level the page offers (:class:`app.levels.AreaLevel` without its frames)."""

    key: str
    file: str
    n: int  # areas
    url: str  # of its display polygons (GeoJSON)
    estimated: bool  # some populations are zzgeo's estimates
    population_year: int  # of the district populations the estimates spread


@dataclass(frozen=True)
class PageMeta:
    """Static facts the page builders need (from the loaded data)."""

    urls: Mapping[str, str]  # payload name -> URL of its GeoJSON (the 5G sites are fetched)
    bounds: list[list[float]]  # [[south, west], [north, east]] of the city
    geojson: Mapping[str, dict[str, Any]] = field(default_factory=dict)  # small layers, sent inline
    tianditu_token: str | None = None
    layer_errors: Mapping[str, str] = field(default_factory=dict)
    task_names: Mapping[str, Text] = field(default_factory=dict)  # plan task key -> name
    imports: Sequence[ImportEntry] = ()  # the workspace's imports, oldest first
    proposal_batches: Sequence[ProposalBatch] = ()  # accepted what-if proposals, oldest first
    data_version: str = ""  # changes whenever the data shown changes (imports accepted/removed)
    max_upload_mb: float = 50.0
    years: tuple[int, ...] = tuple(range(2019, 2026))  # the as-of years the data offers
    workspace_error: str | None = None
    levels: Sequence[LevelChoice] = ()  # the area levels offered besides the districts


@dataclass
class AppData:
    """Everything the callbacks compute with."""

    settings: Settings
    districts: gpd.GeoDataFrame  # full detail, for assignment and areas
    display: gpd.GeoDataFrame  # simplified, for the map
    land: gpd.GeoDataFrame
    population: pd.DataFrame
    targets: pd.DataFrame
    tasks: pd.DataFrame
    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)  # with district_adcode
    layer_errors: dict[str, str] = field(default_factory=dict)
    payloads: dict[str, bytes] = field(default_factory=dict)  # GeoJSON
    compact: dict[str, bytes] = field(default_factory=dict)  # compact JSON of COMPACT layers (the page's)
    versions: dict[str, str] = field(default_factory=dict)
    imports: tuple[ImportEntry, ...] = ()  # the workspace's entries, oldest first
    proposal_batches: tuple[ProposalBatch, ...] = ()  # accepted proposals (planned sites of the 5G layer)
    places: PlaceIndex | None = None  # districts and sites to search (set by load_layers)
    workspace_error: str | None = None  # the workspace could not be read (samples shown)
    levels: dict[str, AreaLevel] = field(default_factory=dict)  # area layers of the workspace (app.levels)
    level_errors: dict[str, str] = field(default_factory=dict)  # area layers that could not be read

    @property
    def version(self) -> str:
        """A hash of every payload and import entry: changes whenever the data shown changes."""
        text = json.dumps(
            [sorted(self.versions.items()), [e.id for e in self.imports], [b.id for b in self.proposal_batches]]
        )
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]

    @property
    def years(self) -> tuple[int, ...]:
        """Every year from the first in the point layers to the last (:func:`data_years`)."""
        return data_years(self.layers)

    @property
    def workspace(self) -> Workspace:
        """The workspace of imported layers (``ZZGEO_WORKSPACE``)."""
        return Workspace(self.settings.workspace_path)

    def url(self, name: str) -> str:
        """URL of a layer's GeoJSON, with a content hash so browsers may cache it."""
        return f"{DATA_ROUTE}/{name}.geojson?v={self.versions[name]}"

    def page_url(self, name: str) -> str:
        """URL of the payload the page loads (compact JSON for :data:`COMPACT` layers)."""
        if name in self.compact:
            return f"{DATA_ROUTE}/{name}.json?v={self.versions[name]}"
        return self.url(name)

    @property
    def bounds(self) -> list[list[float]]:
        """[[south, west], [north, east]] of the city."""
        xmin, ymin, xmax, ymax = self.display.total_bounds
        return [[round(float(ymin), 4), round(float(xmin), 4)], [round(float(ymax), 4), round(float(xmax), 4)]]

    def district_bounds(self, adcode: str) -> list[list[float]] | None:
        """[[south, west], [north, east]] of one district, or None."""
        rows = self.display[self.display["adcode"] == adcode]
        if rows.empty:
            return None
        xmin, ymin, xmax, ymax = rows.total_bounds
        return [[float(ymin), float(xmin)], [float(ymax), float(xmax)]]

    @property
    def census_year(self) -> int:
        """The year of the district population figures (2020: the census)."""
        return int(pd.to_numeric(self.population["year"]).max())

    def targets_by_year(self, indicator: str = "5g_per_10k") -> dict[int, float]:
        """Plan targets of one indicator by year."""
        rows = self.targets[self.targets["indicator"] == indicator]
        return {int(y): float(v) for y, v in zip(rows["year"], rows["value"], strict=True)}

    def task_names(self) -> dict[str, Text]:
        """Plan task key -> name."""
        return {str(r["key"]): Text(zh=str(r["name_zh"]), en=str(r["name_en"])) for r in self.tasks.to_dict("records")}

    def meta(self) -> PageMeta:
        """The static facts the page builders need."""
        return PageMeta(
            urls={name: self.page_url(name) for name in self.payloads},
            geojson={name: json.loads(body) for name, body in self.payloads.items() if name in INLINE},
            bounds=self.bounds,
            tianditu_token=self.settings.tianditu_token,
            layer_errors=dict(self.layer_errors),
            task_names=self.task_names(),
            imports=self.imports,
            proposal_batches=self.proposal_batches,
            data_version=self.version,
            max_upload_mb=self.settings.max_upload_mb,
            years=self.years,
            workspace_error=self.workspace_error,
            levels=tuple(
                LevelChoice(
                    key, level.file, len(level.areas), self.url(level.payload_name), level.estimated, self.census_year
                )
                for key, level in self.levels.items()
            ),
        )

    def level_keys(self) -> dict[str, frozenset[str]]:
        """Area level key -> the keys of its areas (for :meth:`app.state.ViewState.within_levels`)."""
        return {key: level.keys for key, level in self.levels.items()}


def data_years(layers: Mapping[str, gpd.GeoDataFrame]) -> tuple[int, ...]:
    """Every year from the first year in ``layers`` to the last (their spec's year column).

    Years before the first 5G licences (:data:`zzgeo.layers.MIN_YEAR`) or after the registry's
    last (``MAX_YEAR``) are left out; without any year, the plan's years up to 2025.
    """
    found: list[int] = []
    for kind, layer in layers.items():
        column = get_spec(kind).year_column
        if column in layer.columns:
            values = pd.to_numeric(layer[column], errors="coerce").dropna()
            values = values[(values >= MIN_YEAR) & (values <= MAX_YEAR)]
            if len(values):
                found += [int(values.min()), int(values.max())]
    if not found:
        return tuple(range(MIN_YEAR, 2026))
    return tuple(range(min(found), max(found) + 1))


def import_entries(table: pd.DataFrame) -> tuple[ImportEntry, ...]:
    """:class:`ImportEntry` records of :meth:`zzgeo.workspace.Workspace.entries`."""
    out = []
    for row in table.to_dict("records"):
        out.append(
            ImportEntry(
                id=str(row["id"]),
                kind=str(row["kind"]),
                file=str(row["file"]),
                imported_at=str(row["imported_at"]),
                rows_accepted=int(row["rows_accepted"]),
                rows_rejected=int(row["rows_rejected"]),
                mode=str(row["mode"]),
                crs="" if pd.isna(row["crs"]) else str(row["crs"]),
            )
        )
    return tuple(out)


def proposal_batches(table: pd.DataFrame) -> tuple[ProposalBatch, ...]:
    """:class:`ProposalBatch` records of :meth:`zzgeo.workspace.Workspace.proposal_entries`."""
    return tuple(
        ProposalBatch(id=str(r["id"]), accepted_at=str(r["accepted_at"]), who=str(r["who"]), rows=int(r["rows"]))
        for r in table.to_dict("records")
    )


def workspace_stamp(path: Path) -> tuple[int, int] | None:
    """(mtime in ns, size) of the workspace file, None when it does not exist."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def load_layers(data: AppData) -> AppData:
    """``data`` with its point layers (sample + imports) and payloads (re)loaded.

    A layer that cannot be loaded is left out with its error message (the app shows it).
    A workspace that cannot be read is reported and the samples are shown alone.
    """
    settings = data.settings
    workspace = Workspace(settings.workspace_path)
    workspace_error = None
    try:
        entries = workspace.entries()
        batches = workspace.proposal_entries()
    except ZzgeoError as exc:
        logger.error("workspace not read: %s", exc)
        workspace_error = str(exc)
        entries = batches = None
    layers: dict[str, gpd.GeoDataFrame] = {}
    layer_errors: dict[str, str] = {}
    payloads = {"districts": data.payloads["districts"]}
    compact = {}
    for kind in POINT_LAYERS:
        try:
            stored = entries is not None and (entries["kind"] == kind).any()
            proposed = kind == "5g_sites" and batches is not None and len(batches) > 0
            if stored or proposed:  # accepted proposals are planned sites of the 5G layer
                layer = workspace.layer(kind, include_proposals=kind == "5g_sites")
            else:
                layer = load_layer(kind, settings.layers_dir / f"{kind}.geojson")
            layer = with_districts(layer, data.districts)
        except ZzgeoError as exc:
            logger.warning("layer %s not loaded: %s", kind, exc)
            layer_errors[kind] = str(exc)
            continue
        layers[kind] = layer
        shown = shown_layer(kind, layer, data.tasks)
        payloads[kind] = geojson_payload(shown, PAYLOAD_COLUMNS[kind])
        if kind in COMPACT:
            compact[kind] = compact_bytes(shown, COMPACT[kind])
    levels, level_errors = load_levels(workspace, entries, data.population, data.levels)
    payloads.update(level_payloads(levels))
    out = dataclasses.replace(
        data,
        levels=levels,
        level_errors=level_errors,
        layers=layers,
        layer_errors=layer_errors,
        payloads=payloads,
        compact=compact,
        versions={name: hashlib.sha1(body).hexdigest()[:12] for name, body in payloads.items()},
        imports=() if entries is None else import_entries(entries),
        proposal_batches=() if batches is None else proposal_batches(batches),
        places=PlaceIndex(data.display, layers.get("5g_sites")),
        workspace_error=workspace_error,
    )
    logger.info(
        "loaded %s%s",
        ", ".join(f"{k}: {len(v)}" for k, v in out.layers.items()) or "no layers",
        f" ({len(out.imports)} import(s) from {settings.workspace_path})" if out.imports else "",
    )
    return out


def load_app_data(settings: Settings | None = None) -> AppData:
    """Load districts, population, plan targets and the point layers (sample + imports).

    Districts, population and targets are required; see :func:`load_layers` for the rest.
    """
    settings = settings or get_settings()
    districts = load_districts("full")
    display = load_districts("display")
    data = AppData(
        settings=settings,
        districts=districts,
        display=display,
        land=load_land(),
        population=load_population(settings.population_path),
        targets=load_targets(settings.targets_path),
        tasks=load_tasks(),
    )
    names = {"adcode": "adcode", "name_zh": "name_zh", "name_en": "name_en"}
    data.payloads["districts"] = geojson_payload(display, names)
    return load_layers(data)


class LiveData:
    """The app's current :class:`AppData`, swapped whole when the workspace changes.

    Callbacks read :attr:`data` once per call and compute with that snapshot; a reload
    builds a new AppData and replaces the reference (readers never see half an update).
    """

    def __init__(self, data: AppData) -> None:
        self._data = data
        self._lock = threading.Lock()
        self._stamp = workspace_stamp(data.settings.workspace_path)

    @property
    def data(self) -> AppData:
        """The current data."""
        return self._data

    def reload(self) -> AppData:
        """Reload the point layers from the workspace (after an import was added or removed)."""
        with self._lock:
            stamp = workspace_stamp(self._data.settings.workspace_path)
            self._data = load_layers(self._data)
            self._stamp = stamp
            return self._data

    def refresh(self) -> AppData:
        """Reload only when the workspace file changed since the last load (e.g. by the CLI)."""
        if workspace_stamp(self._data.settings.workspace_path) != self._stamp:
            return self.reload()
        return self._data


def inline_layers(data: AppData) -> tuple[dict[str, Any], dict[str, Any]]:
    """The data-center and smart-project FeatureCollections sent inside the page."""
    out = []
    for kind in ("data_centers", "smart_projects"):
        body = data.payloads.get(kind)
        out.append(json.loads(body) if body is not None else dict(EMPTY_FC))
    return out[0], out[1]
