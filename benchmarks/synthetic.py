"""Seeded synthetic 5G layers of any size for the page and filter benchmarks.

The shipped sample (15,718 sites) is resampled with replacement and each copy is moved
by a random offset (normal, sigma 400 m); a copy that lands outside every district is
drawn again, so the sites stay on the districts' land-and-sea polygons and keep the
sample's operator/band/status/year mix and its urban/rural pattern. Site ids are new
(``SYN-5G-0000001`` ...).

:func:`data_dir` writes a temporary copy of the data folder (``geodata/`` linked, the
small layers copied, ``layers/5g_sites.geojson`` replaced) for
``create_app(Settings(data_dir=..., workspace_path=...))``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from zzgeo.districts import load_districts
from zzgeo.indicators import assign_districts
from zzgeo.layers import load_layer
from zzgeo.settings import Settings, get_settings

JITTER_M = 400.0
M_PER_DEG_LAT = 111_320.0


def synthetic_sites(n: int, seed: int = 5) -> gpd.GeoDataFrame:
    """``n`` sites resampled from the shipped sample and jittered inside the districts."""
    sample = load_layer("5g_sites")
    districts = load_districts("full")
    rng = np.random.default_rng(seed)
    x0 = shapely.get_x(sample.geometry.to_numpy())
    y0 = shapely.get_y(sample.geometry.to_numpy())
    rows = rng.integers(0, len(sample), n)
    x = np.empty(n)
    y = np.empty(n)
    todo = np.arange(n)
    while todo.size:
        src = rows[todo]
        dy = rng.normal(0, JITTER_M, todo.size) / M_PER_DEG_LAT
        dx = rng.normal(0, JITTER_M, todo.size) / (M_PER_DEG_LAT * np.cos(np.radians(y0[src])))
        x[todo] = x0[src] + dx
        y[todo] = y0[src] + dy
        inside = assign_districts(x[todo], y[todo], districts) != None  # noqa: E711 (object array)
        todo = todo[~inside]
    out = sample.iloc[rows].reset_index(drop=True).drop(columns="geometry")
    out["site_id"] = [f"SYN-5G-{i:07d}" for i in range(1, n + 1)]
    return gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(x, y), crs="EPSG:4326")


def data_dir(root: Path, n: int, seed: int = 5) -> Settings:
    """A data folder under ``root`` with ``n`` synthetic 5G sites; the settings that use it.

    The workspace of imports is an empty file in ``root`` (never the user's own).
    """
    shipped = get_settings().data_dir
    root.mkdir(parents=True, exist_ok=True)
    (root / "geodata").symlink_to((shipped / "geodata").resolve(), target_is_directory=True)
    layers = root / "layers"
    layers.mkdir()
    for kind in ("data_centers", "smart_projects"):
        shutil.copy(shipped / "layers" / f"{kind}.geojson", layers / f"{kind}.geojson")
    synthetic_sites(n, seed).to_file(layers / "5g_sites.geojson", driver="GeoJSON", engine="pyogrio")
    return Settings(data_dir=root, workspace_path=root / "workspace.gpkg")
