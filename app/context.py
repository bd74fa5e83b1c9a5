"""The app's context: the live data and the computations and caches the features share.

Every feature's ``register(app, ctx)`` gets the one :class:`AppContext` of the app; callbacks
read ``ctx.data`` once per call and compute with that snapshot.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.coverage import COVERAGE_RESOLUTION
from app.data import AppData, LiveData
from app.i18n import district_name
from app.levels import AreaLevel
from app.state import ViewState
from app.upload import make_jobs, make_renders
from zzgeo import coverage as zz_coverage
from zzgeo import planning
from zzgeo.districts import CITY_ADCODE
from zzgeo.errors import ZzgeoError
from zzgeo.indicators import compute_indicators, filter_layer, filter_mask, sites_by_year
from zzgeo.jobs import JobManager

K = TypeVar("K", bound=Hashable)


V = TypeVar("V")


class FilterCache:
    """A small thread-safe LRU cache of results per filter state.

    Two requests for the same missing key may both compute it (the result is the same);
    the lock only guards the dict.
    """

    def __init__(self, maxsize: int = 64) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The cached value of ``key``, computed (and kept) when missing."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                value: V = self._items[key]
                return value
            self.misses += 1
        value = compute()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._items.clear()


def features_of(store: Any) -> list[dict[str, Any]]:
    """Features of a FeatureCollection kept in a dcc.Store (or [])."""
    if isinstance(store, dict) and isinstance(store.get("features"), list):
        return [f for f in store["features"] if isinstance(f, dict)]
    return []


def proposals_digest(proposals: gpd.GeoDataFrame | None) -> str:
    """A short text naming a set of proposals by their positions and operators ("" for none)."""
    if proposals is None or len(proposals) == 0:
        return ""
    xy = np.round(
        np.column_stack([shapely.get_x(proposals.geometry.to_numpy()), shapely.get_y(proposals.geometry.to_numpy())]), 6
    )
    text = xy.tobytes() + "|".join(proposals["operator"].astype("str")).encode("utf-8")
    return hashlib.sha1(text).hexdigest()[:16]


class AppContext:
    """The data, computations and caches the features share (one per app).

    ``jobs`` runs the imports (their progress and results live on disk beside the workspace,
    shared by every worker process); ``tickets`` drops answers to requests that a newer one
    from the same page load has overtaken.
    """

    def __init__(self, data: AppData | LiveData, jobs: JobManager | None = None) -> None:
        self.live = data if isinstance(data, LiveData) else LiveData(data)
        self._jobs = jobs
        self._renders: JobManager | None = None
        self.tickets = Tickets()
        self.home_bounds = self.live.data.bounds  # the districts never change
        # results per filter state (keys start with the data version: imports change it)
        self.coverage_cache = FilterCache(maxsize=64)
        self.hex_cache = FilterCache(maxsize=64)
        self.views_cache = FilterCache(maxsize=128)  # update_views answers (a few hundred kB each)

    @property
    def jobs(self) -> JobManager:
        """The import jobs (:func:`app.upload.make_jobs`: beside the workspace), made on first use."""
        if self._jobs is None:
            self._jobs = make_jobs(self.live.data.settings)
        return self._jobs

    @property
    def renders(self) -> JobManager:
        """The render jobs (maps and reports, :func:`app.upload.make_renders`), made on first use."""
        if self._renders is None:
            self._renders = make_renders(self.live.data.settings)
        return self._renders

    @property
    def data(self) -> AppData:
        """The current data (reloaded when imports are accepted or removed)."""
        return self.live.data

    def sites(self) -> gpd.GeoDataFrame:
        """The 5G layer (accepted proposals are in it, as planned sites: the workspace keeps them)."""
        layer = self.data.layers.get("5g_sites")
        if layer is None:
            raise ZzgeoError(self.data.layer_errors.get("5g_sites", "the 5G layer is not loaded"))
        return layer

    def proposals(self, store: Any) -> gpd.GeoDataFrame:
        """Proposals kept in the browser, as a typed frame."""
        return planning.proposals_from_features(features_of(store), self.data.districts)

    def level(self, state: ViewState) -> AreaLevel | None:
        """The view's area level (None: the districts, or a level no longer in the data)."""
        return self.data.levels.get(state.level) if state.level else None

    def areas(self, state: ViewState) -> gpd.GeoDataFrame | None:
        """The prepared areas of the view's level (the ``areas=`` of the indicators), None for districts."""
        level = self.level(state)
        return level.areas if level is not None else None

    def unit_names(self, state: ViewState) -> dict[str, str]:
        """Key -> name of every district (or area of the view's level), in the view's language."""
        level = self.level(state)
        if level is not None:
            return level.names(state.lang)
        return {str(r["adcode"]): district_name(r, state.lang) for r in self.data.display.to_dict("records")}

    def unit_population(self, state: ViewState) -> dict[str, float]:
        """Key -> residents of every district (or area of the view's level), and the city's."""
        population = self.data.population
        level = self.level(state)
        frame = level.areas if level is not None else population
        out = {str(k): float(v) for k, v in zip(frame["adcode"], frame["population"], strict=True)}
        out[CITY_ADCODE] = float(population["population"].sum())
        return out

    def unit_bounds(self, state: ViewState, key: str) -> list[list[float]] | None:
        """[[south, west], [north, east]] of a district (or area of the view's level), or None."""
        level = self.level(state)
        if level is not None:
            return level.bounds.get(key)
        return self.data.district_bounds(key)

    def tables(self, state: ViewState, proposals: gpd.GeoDataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Indicator tables (per district, or per area of the view's level) without and with the
        (not yet accepted) proposals."""
        layer = self.sites()
        kwargs: dict[str, Any] = {
            "year": state.year,
            "operators": list(state.operators),
            "statuses": list(state.statuses),
            "targets": self.data.targets,
            "areas": self.areas(state),
        }
        base = compute_indicators(layer, self.data.districts, self.data.population, kind="5g_sites", **kwargs)
        if len(proposals) == 0:
            table = base.copy()
            table["proposed_sites"] = 0
            table.attrs.update(base.attrs, proposed_outside=0)
            return base, table
        with_props = planning.indicators_with_proposals(
            layer, proposals, self.data.districts, self.data.population, **kwargs
        )
        return base, with_props

    def by_year(self, state: ViewState) -> pd.DataFrame:
        """Sites by year (every year of the data) per district (or area), with the operator/status filters."""
        return sites_by_year(
            self.sites(),
            self.data.districts,
            years=self.data.years,
            operators=list(state.operators),
            statuses=list(state.statuses),
            areas=self.areas(state),
        )

    def filtered_layer(self, kind: str, state: ViewState) -> gpd.GeoDataFrame:
        """A point layer with the view's filters (what the map shows)."""
        if kind == "5g_sites":
            layer = self.sites()
            operators: list[str] | None = list(state.operators)
        else:
            layer = self.data.layers.get(kind)
            if layer is None:
                raise ZzgeoError(self.data.layer_errors.get(kind, f"layer {kind} is not loaded"))
            operators = None
        return filter_layer(layer, kind, year=state.year, operators=operators, statuses=list(state.statuses))

    def in_service(self, state: ViewState) -> gpd.GeoDataFrame:
        """In-service 5G sites as of the view's year, of its operators (what coverage counts).

        Accepted proposals are planned sites, so they never count.
        """
        return filter_layer(
            self.sites(), "5g_sites", year=state.year, operators=list(state.operators), statuses=["in_service"]
        )

    def covering(self, state: ViewState, proposals: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
        """The sites coverage counts: :meth:`in_service`, and what-if ``proposals`` of the view's
        operators as if they were in service (their band unknown: R is the "other bands" radius)."""
        sites = self.in_service(state)
        if proposals is None or len(proposals) == 0:
            return sites
        mine = proposals[proposals["operator"].isin(list(state.operators))]
        return planning.add_proposals(sites, mine) if len(mine) else sites

    def coverage(self, state: ViewState, proposals: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
        """:func:`zzgeo.coverage.coverage_by_district` (or ``coverage_by_area`` on an area level)
        of :meth:`covering` (cached)."""
        data = self.data
        areas = self.areas(state)
        level = state.level if areas is not None else None
        key = ("coverage", data.version, level, state.year, state.operators, proposals_digest(proposals))

        def compute() -> pd.DataFrame:
            sites = self.covering(state, proposals)
            if areas is not None:
                return zz_coverage.coverage_by_area(
                    sites, areas, resolution=COVERAGE_RESOLUTION, population=data.population
                )
            return zz_coverage.coverage_by_district(sites, resolution=COVERAGE_RESOLUTION, population=data.population)

        return self.coverage_cache.get(key, compute)

    def layer_counts(self, state: ViewState) -> dict[str, int]:
        """Features shown per point layer."""
        counts = {}
        for kind, layer in self.data.layers.items():
            operators = list(state.operators) if kind == "5g_sites" else None
            mask = filter_mask(layer, kind, year=state.year, operators=operators, statuses=list(state.statuses))
            counts[kind] = int(mask.sum())
        return counts


class Tickets:
    """Numbers the requests of a callback per page load (tab), in the order they arrive.

    A filter change sends ``update_views`` (and ``update_hexes``) once per new view state;
    with several in flight, their answers may arrive in any order, and the browser shows
    the last to arrive. An answer whose request is no longer the tab's newest is dropped
    (PreventUpdate): an older view state never replaces a newer one. Requests without a
    tab id are never dropped.
    """

    def __init__(self, maxsize: int = 4096) -> None:
        self._items: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._lock = threading.Lock()
        self.maxsize = maxsize

    def take(self, tab: Any, name: str) -> int:
        """A new ticket for a request of ``name`` from ``tab`` (0 without a tab)."""
        if not isinstance(tab, str) or not tab:
            return 0
        with self._lock:
            ticket = self._items.get((tab, name), 0) + 1
            self._items[(tab, name)] = ticket
            self._items.move_to_end((tab, name))
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return ticket

    def is_stale(self, tab: Any, name: str, ticket: int) -> bool:
        """True when a newer request of ``name`` from ``tab`` has arrived since ``ticket``."""
        if not ticket:
            return False
        with self._lock:
            return self._items.get((tab, name), ticket) != ticket
