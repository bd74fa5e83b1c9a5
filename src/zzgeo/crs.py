"""Coordinate systems used in China and conversions to WGS-84.

GCJ-02 ("Mars coordinates", used by Amap/Gaode and Tencent) and BD-09 (Baidu) are
obfuscated variants of WGS-84 that PROJ does not implement. This module implements the
published forward formulas, vectorized with NumPy, and inverts them exactly (to
better than 1e-9 degrees, about 0.1 mm) by fixed-point iteration, as the reference
implementation ``prcoords`` does (its ``gcj_wgs_bored``). Results are checked against
``prcoords`` in the tests.

Outside mainland China the GCJ-02 offset is not applied by the official software; these
functions apply it everywhere, so callers should only use them for points in China.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from zzgeo.errors import UnknownKeyError
from zzgeo.messages import Text

__all__ = [
    "CRS_CHOICES",
    "CoordinateSystem",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "parse_crs",
    "to_wgs84",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323
_BD_DLAT = 0.0060
_BD_DLON = 0.0065
_TOLERANCE_DEG = 1e-10
_MAX_ITER = 30

FloatArray = NDArray[np.float64]


def _as_arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    if lon_a.shape != lat_a.shape:
        raise ValueError(f"lon and lat differ in shape: {lon_a.shape} vs {lat_a.shape}")
    return lon_a, lat_a


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Convert WGS-84 lon/lat (degrees) to GCJ-02 (the published forward formula)."""
    lon_a, lat_a = _as_arrays(lon, lat)
    x = lon_a - 105.0
    y = lat_a - 35.0
    pi = np.pi
    dlat_m = (
        -100
        + 2 * x
        + 3 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + (
            2 * np.sin(x * 6 * pi)
            + 2 * np.sin(x * 2 * pi)
            + 2 * np.sin(y * pi)
            + 4 * np.sin(y / 3 * pi)
            + 16 * np.sin(y / 12 * pi)
            + 32 * np.sin(y / 30 * pi)
        )
        * 20
        / 3
    )
    dlon_m = (
        300
        + x
        + 2 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + (
            2 * np.sin(x * 6 * pi)
            + 2 * np.sin(x * 2 * pi)
            + 2 * np.sin(x * pi)
            + 4 * np.sin(x / 3 * pi)
            + 15 * np.sin(x / 12 * pi)
            + 30 * np.sin(x / 30 * pi)
        )
        * 20
        / 3
    )
    rad_lat = np.radians(lat_a)
    magic = 1 - _GCJ_EE * np.sin(rad_lat) ** 2
    lat_deg_arclen = np.radians(_GCJ_A * (1 - _GCJ_EE) / magic**1.5)
    lon_deg_arclen = np.radians(_GCJ_A * np.cos(rad_lat) / np.sqrt(magic))
    return lon_a + dlon_m / lon_deg_arclen, lat_a + dlat_m / lat_deg_arclen


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Convert GCJ-02 lon/lat to BD-09 (Baidu's published forward formula)."""
    x, y = _as_arrays(lon, lat)
    r = np.hypot(x, y) + 0.00002 * np.sin(np.radians(y) * 3000)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(np.radians(x) * 3000)
    return r * np.cos(theta) + _BD_DLON, r * np.sin(theta) + _BD_DLAT


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Convert WGS-84 lon/lat to BD-09."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def _invert(
    forward: Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]], lon: ArrayLike, lat: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Invert ``forward`` by fixed-point iteration: x <- x - (f(x) - target)."""
    t_lon, t_lat = _as_arrays(lon, lat)
    f_lon, f_lat = forward(t_lon, t_lat)
    x_lon = t_lon - (f_lon - t_lon)
    x_lat = t_lat - (f_lat - t_lat)
    for _ in range(_MAX_ITER):
        f_lon, f_lat = forward(x_lon, x_lat)
        d_lon = f_lon - t_lon
        d_lat = f_lat - t_lat
        x_lon = x_lon - d_lon
        x_lat = x_lat - d_lat
        diff = np.maximum(np.abs(d_lon), np.abs(d_lat))
        # NaN points pass through as NaN; np.nanmax would warn when all are NaN.
        err = diff[np.isfinite(diff)].max(initial=0.0)
        if err < _TOLERANCE_DEG:
            break
    return x_lon, x_lat


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Convert GCJ-02 lon/lat to WGS-84, inverting the forward formula exactly (< 1e-9°)."""
    return _invert(wgs84_to_gcj02, lon, lat)


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Convert BD-09 lon/lat to GCJ-02, inverting Baidu's forward formula exactly."""
    return _invert(gcj02_to_bd09, lon, lat)


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Convert BD-09 lon/lat to WGS-84."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


@dataclass(frozen=True)
class CoordinateSystem:
    """A coordinate system users pick for a file that does not name its own.

    ``key`` is ``"wgs84"``, ``"gcj02"``, ``"bd09"`` or an ``"EPSG:n"`` code; ``epsg``
    is the EPSG code of the geographic or projected CRS (None for GCJ-02/BD-09, which
    PROJ does not know).
    """

    key: str
    title: Text
    epsg: int | None

    @property
    def projected(self) -> bool:
        """True when coordinates are metres (e.g. Gauss-Krüger, UTM), not degrees."""
        return self.epsg is not None and CRS.from_epsg(self.epsg).is_projected


#: The coordinate systems offered to users, by key. Any other EPSG code is accepted too.
CRS_CHOICES = {
    c.key: c
    for c in (
        CoordinateSystem(
            "wgs84", Text(zh="WGS-84（GPS、天地图、OpenStreetMap）", en="WGS-84 (GPS, Tianditu, OpenStreetMap)"), 4326
        ),
        CoordinateSystem("cgcs2000", Text(zh="CGCS2000 经纬度", en="CGCS2000 lon/lat"), 4490),
        CoordinateSystem("gcj02", Text(zh="GCJ-02（高德、腾讯）", en="GCJ-02 (Amap/Gaode, Tencent)"), None),
        CoordinateSystem("bd09", Text(zh="BD-09（百度）", en="BD-09 (Baidu)"), None),
        CoordinateSystem(
            "EPSG:4548",
            Text(zh="CGCS2000 3度带高斯投影 中央经线117°E", en="CGCS2000 3-degree Gauss-Krüger, CM 117°E"),
            4548,
        ),
        CoordinateSystem(
            "EPSG:4549",
            Text(zh="CGCS2000 3度带高斯投影 中央经线120°E", en="CGCS2000 3-degree Gauss-Krüger, CM 120°E"),
            4549,
        ),
        CoordinateSystem(
            "EPSG:4527",
            Text(
                zh="CGCS2000 3度带高斯投影 第39带（东坐标含带号）",
                en="CGCS2000 3-degree Gauss-Krüger zone 39 (easting with zone)",
            ),
            4527,
        ),
        CoordinateSystem("EPSG:32650", Text(zh="WGS-84 UTM 50N", en="WGS-84 / UTM zone 50N"), 32650),
    )
}

_ALIASES = {
    "wgs-84": "wgs84", "epsg:4326": "wgs84", "4326": "wgs84", "gps": "wgs84",
    "cgcs-2000": "cgcs2000", "epsg:4490": "cgcs2000", "4490": "cgcs2000",
    "gcj-02": "gcj02", "gcj": "gcj02", "amap": "gcj02", "gaode": "gcj02", "高德": "gcj02", "火星": "gcj02",
    "bd-09": "bd09", "baidu": "bd09", "bd09ll": "bd09", "百度": "bd09",
}  # fmt: skip


def parse_crs(text: str | None) -> CoordinateSystem:
    """The coordinate system named by ``text`` (a key, an alias or an EPSG code).

    ``None`` or empty means WGS-84. Accepted: wgs84, cgcs2000, gcj02 (高德/Amap),
    bd09 (百度/Baidu) and any EPSG code as ``EPSG:n``.
    """
    if text is None or not str(text).strip():
        return CRS_CHOICES["wgs84"]
    key = str(text).strip()
    low = key.lower()
    low = _ALIASES.get(low, low)
    if low in CRS_CHOICES:
        return CRS_CHOICES[low]
    upper = key.upper()
    if upper.isdigit():
        upper = f"EPSG:{upper}"  # a bare EPSG code
    if upper in CRS_CHOICES:
        return CRS_CHOICES[upper]
    if upper.startswith("EPSG:") and upper[5:].isdigit() and len(upper[5:]) <= 9:
        try:
            crs = CRS.from_epsg(int(upper[5:]))
        except CRSError:
            pass
        else:
            return CoordinateSystem(upper, Text(en=crs.name), int(upper[5:]))
    shown = key if len(key) <= 40 else f"{key[:30]}… ({len(key):,} characters)"
    raise UnknownKeyError("coordinate system", shown, [*CRS_CHOICES, "EPSG:<code>"])


def to_wgs84(x: ArrayLike, y: ArrayLike, crs: CoordinateSystem) -> tuple[FloatArray, FloatArray]:
    """Convert coordinates in ``crs`` (x = lon or easting) to WGS-84 lon/lat."""
    if crs.key == "gcj02":
        return gcj02_to_wgs84(x, y)
    if crs.key == "bd09":
        return bd09_to_wgs84(x, y)
    xa, ya = _as_arrays(x, y)
    if crs.epsg in (4326, 4490):
        return xa, ya  # CGCS2000 and WGS-84 differ by less than a metre
    assert crs.epsg is not None
    transformer = Transformer.from_crs(crs.epsg, 4326, always_xy=True)
    lon, lat = transformer.transform(xa, ya)
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
