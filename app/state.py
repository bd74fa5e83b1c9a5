"""The view state and its query string (sharing links, back/forward).

``?lang=en&lvl=4f1c0a9e2b7d&ind=gap_sites&pal=cb&year=2024&op=mobile,telecom&st=in_service,planned&layers=5g,dc&hex=counts,gaps&res=7&c=24.5,117.6&z=10&d=350628``

Every parameter is optional; a missing or bad value falls back to its default, so any
URL opens a working view. :func:`to_query` writes only values that differ from the
defaults, in a fixed order, so one view has one URL.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from zzgeo.classes import DEFAULT_PALETTE, PALETTE_NAMES
from zzgeo.indicators import INDICATORS
from zzgeo.layers import MAX_YEAR, MIN_YEAR, OPERATORS, STATUSES

LANGS = ("zh", "en")
#: years a URL may ask for; the page then keeps those the data offers (:meth:`ViewState.within`)
YEARS = tuple(range(MIN_YEAR, MAX_YEAR + 1))
DEFAULT_YEAR = 2025
DEFAULT_INDICATOR = "sites_per_10k"
#: query parameters in the order :func:`to_query` writes them (the browser keeps it too)
QUERY_ORDER = ("lang", "lvl", "ind", "pal", "year", "cmp", "op", "st", "layers", "hex", "res", "c", "z", "d")

#: operator key -> short code used in URLs
OPERATOR_CODES = {
    "China Mobile": "mobile",
    "China Telecom": "telecom",
    "China Unicom": "unicom",
    "China Broadnet": "broadnet",
}
#: point layer kind -> short code used in URLs
LAYER_CODES = {"5g_sites": "5g", "data_centers": "dc", "smart_projects": "proj"}
POINT_LAYERS = tuple(LAYER_CODES)
#: hexagon overlays (off by default) and their H3 resolutions
HEX_KINDS = ("counts", "gaps")
HEX_RESOLUTIONS = (7, 8)
DEFAULT_HEX_RESOLUTION = 8

#: Map view limits accepted from a URL (around Zhangzhou).
LAT_RANGE = (21.0, 28.0)
LON_RANGE = (114.0, 121.0)
ZOOM_RANGE = (6, 18)  # the map's minZoom and maxZoom

# The district codes are fixed by the geography; a set literal keeps parsing free of I/O.
DISTRICT_CODES = frozenset(
    {"350602", "350603", "350604", "350605", "350622", "350623", "350624", "350626", "350627", "350628", "350629"}
)
#: keys of area levels (workspace entry ids) and of areas (see app.levels: safe for CSS classes and URLs);
#: the page then keeps those the data has (:meth:`ViewState.within_levels`)
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")

assert set(OPERATOR_CODES) == set(OPERATORS)


@dataclass(frozen=True)
class ViewState:
    """What the page shows; the URL's query string holds it."""

    lang: str = "zh"
    indicator: str = DEFAULT_INDICATOR
    palette: str = DEFAULT_PALETTE
    year: int = DEFAULT_YEAR
    compare: int | None = None  # a second year: the map shows the change from it to ``year``
    operators: tuple[str, ...] = tuple(OPERATORS)
    statuses: tuple[str, ...] = ("in_service",)
    layers: tuple[str, ...] = POINT_LAYERS
    hexes: tuple[str, ...] = ()  # hexagon overlays shown (HEX_KINDS)
    resolution: int = DEFAULT_HEX_RESOLUTION  # their H3 resolution
    center: tuple[float, float] | None = None  # (lat, lon); None = fitted to Zhangzhou
    zoom: float | None = None  # map zoom level (multiples of 0.25)
    district: str | None = None  # adcode of the district (or key of the area) whose panel is open
    level: str | None = None  # the area level: None for the 11 districts, else an area layer's key

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict (for a dcc.Store)."""
        out = asdict(self)
        out["operators"] = list(self.operators)
        out["statuses"] = list(self.statuses)
        out["layers"] = list(self.layers)
        out["hexes"] = list(self.hexes)
        out["center"] = list(self.center) if self.center else None
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ViewState:
        """Inverse of :meth:`to_dict`; bad or missing values become defaults."""
        if not isinstance(data, dict):
            return cls()
        default = cls()
        center = data.get("center")
        level = _key(data.get("level"))
        return cls(
            lang=_one_of(data.get("lang"), LANGS, default.lang),
            indicator=_one_of(data.get("indicator"), tuple(INDICATORS), default.indicator),
            palette=_one_of(data.get("palette"), PALETTE_NAMES, default.palette),
            year=_year(data.get("year"), default.year),
            compare=_compare(data.get("compare"), data.get("year")),
            operators=_subset(data.get("operators"), tuple(OPERATORS), default.operators),
            statuses=_subset(data.get("statuses"), tuple(STATUSES), default.statuses),
            layers=_subset(data.get("layers"), POINT_LAYERS, default.layers),
            hexes=_subset(data.get("hexes"), HEX_KINDS, default.hexes),
            resolution=_resolution(data.get("resolution"), default.resolution),
            center=_center(center) if isinstance(center, (list, tuple)) else None,
            zoom=_zoom(data.get("zoom")),
            district=_unit(data.get("district"), level),
            level=level,
        )

    def for_server(self) -> ViewState:
        """What the server's views depend on: no map view, default indicator and colours.

        The STATE store holds this; the indicator and colour scheme are applied in the
        browser (``zzgeo.applyIndicator``) from views computed for all of them.
        """
        return replace(self, center=None, zoom=None, indicator=DEFAULT_INDICATOR, palette=DEFAULT_PALETTE)

    def within(self, years: Sequence[int]) -> ViewState:
        """The same view with its year among ``years`` (the data's): else the default year, or
        the last of ``years`` when the default is not among them."""
        if not years:
            return self
        year = self.year if self.year in years else (DEFAULT_YEAR if DEFAULT_YEAR in years else years[-1])
        compare = self.compare if self.compare in years and self.compare != year else None
        return replace(self, year=year, compare=compare)

    def within_levels(self, levels: Mapping[str, Collection[str]]) -> ViewState:
        """The same view with its area level among ``levels`` (key -> the keys of its areas) and
        its selected area among that level's; else the districts (and no selection)."""
        if self.level is None:
            return self
        areas = levels.get(self.level)
        if areas is None:
            return replace(self, level=None, district=None)
        return self if self.district is None or self.district in areas else replace(self, district=None)

    def with_lang(self, lang: str) -> ViewState:
        """The same view in another language."""
        return replace(self, lang=_one_of(lang, LANGS, "zh"))


def _one_of(value: Any, allowed: tuple[str, ...], default: str) -> str:
    return value if isinstance(value, str) and value in allowed else default


def _key(value: Any) -> str | None:
    """An area level's or an area's key (:data:`KEY_PATTERN`), or None."""
    return value if isinstance(value, str) and KEY_PATTERN.match(value) else None


def _unit(value: Any, level: str | None) -> str | None:
    """The selected district (a district code) or, on an area level, area (a key), or None."""
    if level is None:
        return value if value in DISTRICT_CODES else None
    return _key(value)


def _year(value: Any, default: int) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return year if year in YEARS else default


def _compare(value: Any, year: Any) -> int | None:
    """A year to compare with (None when missing, bad or the view's own year)."""
    if value is None or value == "":
        return None
    other = _year(value, 0)
    return other if other and other != _year(year, DEFAULT_YEAR) else None


def _subset(value: Any, allowed: tuple[str, ...], default: tuple[str, ...]) -> tuple[str, ...]:
    """Known items in registry order; a value with no known item at all gives the default.

    An empty list is a valid choice (nothing selected).
    """
    if not isinstance(value, (list, tuple)):
        return default
    items = [v for v in value if isinstance(v, str)]
    known = [a for a in allowed if a in items]
    if items and not known:
        return default
    return tuple(known)


def _resolution(value: Any, default: int) -> int:
    try:
        res = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return res if res in HEX_RESOLUTIONS else default


def _center(value: Any) -> tuple[float, float] | None:
    try:
        lat, lon = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        return None
    return (round(lat, 5), round(lon, 5))


def _zoom(value: Any) -> float | None:
    """A zoom level rounded to a quarter (the map's zoom snap), or None when bad."""
    try:
        zoom = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    if not math.isfinite(zoom):
        return None
    zoom = round(zoom * 4) / 4
    return zoom if ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1] else None


def _codes(text: str | None, codes: dict[str, str]) -> list[str] | None:
    """Comma-separated short codes -> keys; None when the parameter is absent."""
    if text is None:
        return None
    by_code = {v: k for k, v in codes.items()}
    parts = [p.strip() for p in text.split(",") if p.strip()]
    return [by_code.get(p, p) for p in parts]


def parse_query(search: str | None) -> ViewState:
    """The view state in a query string (``"?a=b&..."`` or ``"a=b&..."``).

    Never raises: missing, repeated or bad values fall back to the defaults.
    """
    if not isinstance(search, str):
        return ViewState()
    try:
        params = parse_qs(search.lstrip("?"), keep_blank_values=True, max_num_fields=50)
    except ValueError:
        return ViewState()

    def first(name: str) -> str | None:
        values = params.get(name)
        return values[0] if values else None

    data: dict[str, Any] = {
        "lang": first("lang"),
        "indicator": first("ind"),
        "palette": first("pal"),
        "year": first("year"),
        "compare": first("cmp"),
        "operators": _codes(first("op"), OPERATOR_CODES),
        "statuses": _codes(first("st"), {}),
        "layers": _codes(first("layers"), LAYER_CODES),
        "hexes": _codes(first("hex"), {}),
        "resolution": first("res"),
        "zoom": first("z"),
        "district": first("d"),
        "level": first("lvl"),
    }
    center = first("c")
    data["center"] = center.split(",") if center else None
    state = ViewState.from_dict(data)
    if state.center is None or state.zoom is None:  # a view needs both
        state = replace(state, center=None, zoom=None)
    return state


def to_query(state: ViewState) -> str:
    """The query string of ``state`` ("" for the default view), e.g. ``"?lang=en&year=2024"``."""
    default = ViewState()
    params: list[tuple[str, str]] = []
    if state.lang != default.lang:
        params.append(("lang", state.lang))
    if state.level is not None:
        params.append(("lvl", state.level))
    if state.indicator != default.indicator:
        params.append(("ind", state.indicator))
    if state.palette != default.palette:
        params.append(("pal", state.palette))
    if state.year != default.year:
        params.append(("year", str(state.year)))
    if state.compare is not None:
        params.append(("cmp", str(state.compare)))
    if state.operators != default.operators:
        params.append(("op", ",".join(OPERATOR_CODES[o] for o in state.operators)))
    if state.statuses != default.statuses:
        params.append(("st", ",".join(state.statuses)))
    if state.layers != default.layers:
        params.append(("layers", ",".join(LAYER_CODES[k] for k in state.layers)))
    if state.hexes != default.hexes:
        params.append(("hex", ",".join(state.hexes)))
    if state.resolution != default.resolution:
        params.append(("res", str(state.resolution)))
    if state.center is not None and state.zoom is not None:
        params.append(
            (
                "c",
                f"{state.center[0]:.5f}".rstrip("0").rstrip(".")
                + ","
                + f"{state.center[1]:.5f}".rstrip("0").rstrip("."),
            )
        )
        params.append(("z", f"{state.zoom:g}"))
    if state.district:
        params.append(("d", state.district))
    return "?" + urlencode(params, safe=",") if params else ""


# ---------------------------------------------------------------------------------------
# map view: fits

ZOOM_SNAP = 0.25


#: the legend's and the district drawer's widths in pixels (as app/assets/zzgeo.css draws them)
LEGEND_WIDTH = 200
DRAWER_WIDTH = 360
#: map fits leave the legend's column at the left free, so the legend never covers the city
#: (on a phone it sits below the map, and the browser uses PHONE_FIT_OPTIONS: see zzgeo.fitView)
FIT_OPTIONS = {"paddingTopLeft": [LEGEND_WIDTH + 16, 10], "paddingBottomRight": [10, 10]}
#: fits of one district also leave room for the district drawer at the right (app/assets/zzgeo.css)
DRAWER_FIT_OPTIONS = {"paddingTopLeft": [LEGEND_WIDTH + 16, 10], "paddingBottomRight": [DRAWER_WIDTH + 16, 10]}


PHONE_FIT_OPTIONS = {"paddingTopLeft": [10, 10], "paddingBottomRight": [10, 10]}


def fit_request(
    bounds: Sequence[Sequence[float]], *, initial: bool = False, drawer: bool = False, home: bool = False
) -> dict[str, Any]:
    """A VIEW_REQUEST that fits ``bounds``: the desktop padding (room for the legend, and for
    the district drawer with ``drawer``) and the phone padding (the legend sits below the map);
    ``zzgeo.fitView`` picks one.

    ``initial``: the page's first fit, which the map already did with desktop padding;
    ``home``: the city whole (the map refits it when its box changes size).
    """
    out: dict[str, Any] = {
        "bounds": [list(b) for b in bounds],
        "options": DRAWER_FIT_OPTIONS if drawer else FIT_OPTIONS,
        "phoneOptions": PHONE_FIT_OPTIONS,
    }
    if initial:
        out["initial"] = True
    if home or initial:
        out["home"] = True
    return out
