"""Tiny in-memory fixtures shared by the tests (no files, no network)."""

from __future__ import annotations

from collections.abc import Iterator

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, Polygon

from area_grid import grid_areas
from zzgeo.settings import get_settings

#: A spot in central Zhangzhou (Xiangcheng), lon/lat in degrees.
LON0, LAT0 = 117.65, 24.51

ZZGEO_VARIABLES = (
    "ZZGEO_DATA_DIR",
    "ZZGEO_TARGETS",
    "ZZGEO_POPULATION",
    "ZZGEO_TIANDITU_TOKEN",
    "ZZGEO_MAX_UPLOAD_MB",
    "ZZGEO_WORKSPACE",
    "ZZGEO_MAP_APPROVAL",
    "ZZGEO_FONT",
    *(
        f"ZZGEO_{name}"
        for name in (
            "MAX_COLUMNS",
            "MAX_CELL_CHARS",
            "MAX_ROWS",
            "MAX_XLSX_ROWS",
            "MAX_LAYERS",
            "MAX_JSON_DEPTH",
            "MAX_UNPACKED_MB",
            "JOB_TIME_S",
            "JOB_MEMORY_MB",
            "JOBS_PER_USER",
            "JOBS_TOTAL",
            "JOB_TTL_S",
        )
    ),
    "ZZGEO_WORKSPACE_MAX_MB",
    "ZZGEO_USERS",
    "ZZGEO_SECRET_KEY",
    "ZZGEO_ANONYMOUS_VIEW",
    "ZZGEO_SESSION_HOURS",
    "ZZGEO_TRUSTED_HOSTS",
    "ZZGEO_BEHIND_PROXY",
    "ZZGEO_BIND",
    "ZZGEO_WORKERS",
    "ZZGEO_THREADS",
)


@pytest.fixture(scope="session", autouse=True)
def _shipped_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Ignore the developer's own ``ZZGEO_*`` variables: the tests use the shipped data.

    The workspace of imported layers is an empty file in a temporary folder, never the
    developer's own.
    """
    with pytest.MonkeyPatch.context() as mp:
        for name in ZZGEO_VARIABLES:
            mp.delenv(name, raising=False)
        mp.setenv("ZZGEO_WORKSPACE", str(tmp_path_factory.mktemp("workspace") / "workspace.gpkg"))
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture
def square() -> gpd.GeoDataFrame:
    """One ~1 km square in Zhangzhou, EPSG:4326, counter-clockwise exterior."""
    poly = Polygon([(LON0, LAT0), (LON0 + 0.01, LAT0), (LON0 + 0.01, LAT0 + 0.01), (LON0, LAT0 + 0.01)])
    return gpd.GeoDataFrame({"name": ["芗城区样例"], "count": [np.int64(7)]}, geometry=[poly], crs="EPSG:4326")


@pytest.fixture
def square_with_hole() -> gpd.GeoDataFrame:
    """A square with a hole, both rings wound the wrong way for RFC 7946.

    The exterior is clockwise and the hole counter-clockwise; coordinates carry more
    decimals than exports keep.
    """
    exterior = [(117.6, 24.5), (117.6, 24.6123456789), (117.7123456789, 24.6123456789), (117.7123456789, 24.5)]
    hole = [(117.62, 24.52), (117.64, 24.52), (117.64, 24.54), (117.62, 24.54)]
    poly = Polygon(exterior, holes=[hole])
    return gpd.GeoDataFrame({"name": ["龙文区"], "value": [1.25]}, geometry=[poly], crs="EPSG:4326")


@pytest.fixture
def points() -> gpd.GeoDataFrame:
    """Three points with a Chinese name, an int64 count and a float with a NaN."""
    return gpd.GeoDataFrame(
        {
            "name": ["漳州站", "东山岛", "Hua'an"],
            "count": np.array([1, 2, 3], dtype=np.int64),
            "value": [0.5, np.nan, 2.25],
        },
        geometry=[Point(LON0, LAT0), Point(117.43, 23.70), Point(117.53, 25.0123456789)],
        crs="EPSG:4326",
    )


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Clear the cached settings before and after the test; yields ``monkeypatch``.

    Set ``ZZGEO_*`` variables with the yielded monkeypatch, then call code that uses
    :func:`zzgeo.settings.get_settings`.
    """
    for name in ZZGEO_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def city_grid() -> gpd.GeoDataFrame:
    """A few dozen grid areas tiling the city (0.2° cells clipped to the city), see :func:`grid_areas`."""
    return grid_areas(0.2)


@pytest.fixture(scope="session")
def district_grid() -> gpd.GeoDataFrame:
    """The 0.3° grid split along district borders: areas nested in districts (~60)."""
    return grid_areas(0.3, by_district=True)
