"""The app's context: the live data and the computations and caches the features share.

Every feature's ``register(app, ctx)`` gets the one :class:`AppContext` of the app; callbacks
read ``ctx.data`` once per call and compute with that snapshot.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd

from app.coverage import COVERAGE_RESOLUTION
from app.data import AppData, LiveData
from app.state import ViewState
from app.upload import PendingImports
from zzgeo import coverage as zz_coverage
from zzgeo import planning
from zzgeo.errors import ZzgeoError
from zzgeo.indicators import compute_indicators, filter_layer, sites_by_year

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


class AppContext:
    """The data, computations and caches the features share (one per app).

    ``pending`` keeps import results until they are accepted; ``tickets`` drops answers
    to requests that a newer one from the same page load has overtaken.
    """

    def __init__(self, data: AppData | LiveData, pending: PendingImports | None = None) -> None:
        self.live = data if isinstance(data, LiveData) else LiveData(data)
        self.pending = pending if pending is not None else PendingImports()
        self.tickets = Tickets()
        self.home_bounds = self.live.data.bounds  # the districts never change
        # results per filter state (keys start with the data version: imports change it)
        self.coverage_cache = FilterCache(maxsize=64)
        self.hex_cache = FilterCache(maxsize=64)

    @property
    def data(self) -> AppData:
        """The current data (reloaded when imports are accepted or removed)."""
        return self.live.data

    def sites(self, accepted: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
        """The 5G layer, with accepted proposals as planned sites."""
        layer = self.data.layers.get("5g_sites")
        if layer is None:
            raise ZzgeoError(self.data.layer_errors.get("5g_sites", "the 5G layer is not loaded"))
        if accepted is None or len(accepted) == 0:
            return layer
        return planning.accept_proposals(layer, accepted)

    def proposals(self, store: Any) -> gpd.GeoDataFrame:
        """Proposals kept in the browser, as a typed frame."""
        return planning.proposals_from_features(features_of(store), self.data.districts)

    def tables(
        self, state: ViewState, proposals: gpd.GeoDataFrame, accepted: gpd.GeoDataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Indicator tables without and with the proposals."""
        layer = self.sites(accepted)
        kwargs: dict[str, Any] = {
            "year": state.year,
            "operators": list(state.operators),
            "statuses": list(state.statuses),
            "targets": self.data.targets,
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

    def by_year(self, state: ViewState, accepted: gpd.GeoDataFrame) -> pd.DataFrame:
        """Sites by year (2019–2025) per district, with the operator/status filters."""
        return sites_by_year(
            self.sites(accepted),
            self.data.districts,
            operators=list(state.operators),
            statuses=list(state.statuses),
        )

    def filtered_layer(self, kind: str, state: ViewState, accepted: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """A point layer with the view's filters (what the map shows)."""
        if kind == "5g_sites":
            layer = self.sites(accepted)
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
            self.sites(None), "5g_sites", year=state.year, operators=list(state.operators), statuses=["in_service"]
        )

    def coverage(self, state: ViewState) -> pd.DataFrame:
        """:func:`zzgeo.coverage.coverage_by_district` of :meth:`in_service` (cached)."""
        data = self.data
        key = ("coverage", data.version, state.year, state.operators)
        return self.coverage_cache.get(
            key,
            lambda: zz_coverage.coverage_by_district(
                self.in_service(state), resolution=COVERAGE_RESOLUTION, population=data.population
            ),
        )

    def layer_counts(self, state: ViewState, accepted: gpd.GeoDataFrame) -> dict[str, int]:
        """Features shown per point layer."""
        return {kind: len(self.filtered_layer(kind, state, accepted)) for kind in self.data.layers}


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
