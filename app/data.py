"""Data the app loads once at start-up (by :func:`app.create_app`, never at import).

Layers get their district assignment (``zzgeo.indicators.with_districts``) here, so a
filter change only counts. The browser gets compact GeoJSON payloads: display-detail
districts and points with a few short properties, coordinates rounded to 5 decimals
(about 1 m).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from app.layout import PageMeta
from app.state import POINT_LAYERS
from zzgeo.districts import load_districts, load_land, load_population
from zzgeo.errors import ZzgeoError
from zzgeo.export import geojson_text
from zzgeo.indicators import with_districts
from zzgeo.layers import load_layer
from zzgeo.plan import load_targets, load_tasks
from zzgeo.settings import Settings, get_settings

logger = logging.getLogger(__name__)

DECIMALS = 5
#: small payloads sent inside the page; the others (5G sites) are fetched from DATA_ROUTE
INLINE = ("districts", "data_centers", "smart_projects")
DATA_ROUTE = "/zzgeo-data"

#: kind -> {payload property: layer column}; ``id`` (1-based, unique) is added
PAYLOAD_COLUMNS: dict[str, dict[str, str]] = {
    "5g_sites": {"i": "site_id", "o": "operator", "b": "band", "s": "status", "y": "year_in_service"},
    "data_centers": {
        "name": "name",
        "name_en": "name_en",
        "s": "status",
        "y": "year",
        "racks": "racks",
        "power_mw": "power_mw",
        "pue": "pue",
    },
    "smart_projects": {
        "name": "name",
        "name_en": "name_en",
        "task": "plan_task",
        "part": "part",
        "s": "status",
        "y": "year",
        "budget": "budget",
    },
}


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
    payloads: dict[str, bytes] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    def url(self, name: str) -> str:
        """URL of a payload, with a content hash so browsers may cache it."""
        return f"{DATA_ROUTE}/{name}.geojson?v={self.versions[name]}"

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

    def targets_by_year(self, indicator: str = "5g_per_10k") -> dict[int, float]:
        """Plan targets of one indicator by year."""
        rows = self.targets[self.targets["indicator"] == indicator]
        return {int(y): float(v) for y, v in zip(rows["year"], rows["value"], strict=True)}

    def task_names(self) -> dict[str, tuple[str, str]]:
        """Plan task key -> (zh, en) name."""
        return {str(r["key"]): (str(r["name_zh"]), str(r["name_en"])) for r in self.tasks.to_dict("records")}

    def meta(self) -> PageMeta:
        """The static facts the page builders need."""
        return PageMeta(
            urls={name: self.url(name) for name in self.payloads},
            geojson={name: json.loads(body) for name, body in self.payloads.items() if name in INLINE},
            bounds=self.bounds,
            tianditu_token=self.settings.tianditu_token,
            layer_errors=dict(self.layer_errors),
            layer_totals={k: len(v) for k, v in self.layers.items()},
            task_names=self.task_names(),
        )


def _payload(gdf: gpd.GeoDataFrame, columns: dict[str, str]) -> bytes:
    out = gpd.GeoDataFrame(
        {"id": range(1, len(gdf) + 1), **{short: gdf[col] for short, col in columns.items() if col in gdf.columns}},
        geometry=gdf.geometry.to_numpy(),
        crs=gdf.crs,
    )
    return geojson_text(out, decimals=DECIMALS).encode("utf-8")


def _add_part(gdf: gpd.GeoDataFrame, tasks: pd.DataFrame) -> gpd.GeoDataFrame:
    parts = dict(zip(tasks["key"].astype("str"), tasks["part"].astype("str"), strict=True))
    out = gdf.copy()
    out["part"] = out["plan_task"].map(parts)
    return out


def load_app_data(settings: Settings | None = None) -> AppData:
    """Load districts, population, plan targets and the shipped layers.

    A layer that cannot be loaded is left out with its error message (the app shows it);
    districts, population and targets are required.
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
    data.payloads["districts"] = _payload(display, {"adcode": "adcode", "name_zh": "name_zh", "name_en": "name_en"})
    for kind in POINT_LAYERS:
        try:
            layer = load_layer(kind, settings.layers_dir / f"{kind}.geojson")
            layer = with_districts(layer, districts)
        except ZzgeoError as exc:
            logger.warning("layer %s not loaded: %s", kind, exc)
            data.layer_errors[kind] = str(exc)
            continue
        data.layers[kind] = layer
        shown = _add_part(layer, data.tasks) if kind == "smart_projects" else layer
        data.payloads[kind] = _payload(shown, PAYLOAD_COLUMNS[kind])
    data.versions = {name: hashlib.sha1(body).hexdigest()[:12] for name, body in data.payloads.items()}
    logger.info(
        "loaded %s",
        ", ".join(f"{k}: {len(v)}" for k, v in data.layers.items()) or "no layers",
    )
    return data
