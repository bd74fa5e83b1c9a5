"""Area levels: the indicators on the 11 districts, or on an area layer the planners imported.

An area level is one import of kind ``areas`` in the workspace (townships, planning grids,
zones: :mod:`zzgeo.areas`). The view state names it (``ViewState.level``, the URL's ``lvl``:
the import's id); None is the districts. Every view follows it: the choropleth, legend,
tooltips, ranking, the panel (of the selected area), what-if, exports and the report.

An area's key (the ``adcode`` of its rows, the URL's ``d``, the map's CSS class) is the
library's (:func:`zzgeo.areas.prepare_areas`: the file's ids or codes, else ``A001``…) when
every key is :data:`app.state.KEY_PATTERN`-safe, else ``A001``, ``A002``, … in file order
(the file's code stays in ``code``).

Preparing a layer (population estimates, land areas) takes a moment for hundreds of
areas: :func:`load_levels` keeps the levels already prepared (an import never changes).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from app.payload import DECIMALS
from app.state import KEY_PATTERN
from zzgeo.areas import ESTIMATED, area_bounds, display_areas, prepare_areas
from zzgeo.errors import ZzgeoError
from zzgeo.export import geojson_text
from zzgeo.places import PlaceIndex
from zzgeo.workspace import Workspace

logger = logging.getLogger(__name__)

#: the payload name of a level's display polygons (``/zzgeo-data/<name>.geojson``)
PAYLOAD_PREFIX = "areas-"


@dataclass(frozen=True)
class AreaLevel:
    """One area layer of the workspace, ready for the views."""

    key: str  # the import's id (the URL's ``lvl``)
    file: str  # the imported file's name: the level's title
    areas: gpd.GeoDataFrame  # prepared (zzgeo.areas.prepare_areas), safe keys in ``adcode``
    display: gpd.GeoDataFrame  # simplified polygons for the map: adcode, name_zh, name_en, population_status
    payload: bytes  # GeoJSON of ``display``
    bounds: Mapping[str, list[list[float]]] = field(default_factory=dict)  # key -> [[s, w], [n, e]]
    places: PlaceIndex | None = None  # its areas by name, to search

    @property
    def payload_name(self) -> str:
        """Its name among the app's payloads (:data:`PAYLOAD_PREFIX` + key)."""
        return PAYLOAD_PREFIX + self.key

    @property
    def keys(self) -> frozenset[str]:
        """The keys of its areas."""
        return frozenset(self.areas["adcode"].astype("str"))

    @property
    def estimated(self) -> bool:
        """Whether any area's population is zzgeo's estimate (not the file's figure)."""
        return bool((self.areas["population_status"] == ESTIMATED).any())

    def names(self, lang: str) -> dict[str, str]:
        """Key -> the area's name (its English name in English when the file gives one)."""
        column = "name_en" if lang == "en" else "name_zh"
        return {str(k): str(v) for k, v in zip(self.areas["adcode"], self.areas[column], strict=True)}


def safe_keys(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``areas`` with keys fit for URLs and CSS classes (see the module docstring)."""
    keys = areas["adcode"].astype("str")
    if keys.is_unique and keys.map(lambda k: bool(KEY_PATTERN.match(k))).all():
        return areas
    out = areas.copy()
    out["adcode"] = [f"A{i:03d}" for i in range(1, len(out) + 1)]
    out.attrs.update(areas.attrs)
    return out


def make_level(key: str, file: str, layer: gpd.GeoDataFrame, population: pd.DataFrame) -> AreaLevel:
    """An :class:`AreaLevel` of one area layer (as :meth:`Workspace.load` gives it)."""
    areas = safe_keys(prepare_areas(layer, population, title=file))
    display = display_areas(areas)
    payload = geojson_text(display, decimals=DECIMALS).encode("utf-8")
    return AreaLevel(
        key=key,
        file=file,
        areas=areas,
        display=display,
        payload=payload,
        bounds=area_bounds(areas),
        places=PlaceIndex(display),
    )


def load_levels(
    workspace: Workspace,
    entries: pd.DataFrame | None,
    population: pd.DataFrame,
    previous: Mapping[str, AreaLevel] | None = None,
) -> tuple[dict[str, AreaLevel], dict[str, str]]:
    """The area levels of the workspace's ``entries`` (its imports of kind ``areas``), oldest first,
    and the error of each that could not be read (its key -> message).

    Levels in ``previous`` (the last load) are kept as they are: an import never changes.
    """
    levels: dict[str, AreaLevel] = {}
    errors: dict[str, str] = {}
    if entries is None or entries.empty:
        return levels, errors
    previous = previous or {}
    for row in entries[entries["kind"] == "areas"].to_dict("records"):
        key, file = str(row["id"]), str(row["file"])
        if not KEY_PATTERN.match(key):  # not an id zzgeo wrote
            continue
        if key in previous:
            levels[key] = previous[key]
            continue
        try:
            levels[key] = make_level(key, file, workspace.load(key), population)
        except ZzgeoError as exc:
            logger.warning("area layer %s (%s) not loaded: %s", key, file, exc)
            errors[key] = str(exc)
    return levels, errors


def level_payloads(levels: Mapping[str, AreaLevel]) -> dict[str, bytes]:
    """Payload name -> GeoJSON bytes of every level's display polygons."""
    return {level.payload_name: level.payload for level in levels.values()}


def level_geojson(level: AreaLevel) -> dict[str, object]:
    """A level's display polygons as a GeoJSON dict (for a page that opens on that level)."""
    data: dict[str, object] = json.loads(level.payload)
    return data
