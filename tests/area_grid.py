"""A synthetic tiling of the city into areas (issue 13), for the tests of area levels.

A module of its own, not ``conftest.py``: test modules import it (``from area_grid import
grid_areas``), and with the browser tests' ``conftest.py`` collected as well the name
``conftest`` means that one.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np


def grid_areas(step: float = 0.2, *, by_district: bool = False) -> gpd.GeoDataFrame:
    """A synthetic tiling of the city: a grid of ``step``-degree cells clipped to the districts.

    With ``by_district`` each cell is also split along district borders (areas nest in
    districts, like townships). Columns ``name`` (格 r-c, or 格 r-c adcode) and, when
    split, ``district`` (the adcode); EPSG:4326, MultiPolygons, file order = grid order.
    """
    import shapely
    from shapely.geometry import box

    from zzgeo.districts import load_districts

    districts = load_districts("full")
    xmin, ymin, xmax, ymax = districts.total_bounds
    xs = np.arange(xmin, xmax + step, step)
    ys = np.arange(ymin, ymax + step, step)
    parts = districts.geometry.to_numpy() if by_district else [shapely.union_all(districts.geometry.to_numpy())]
    codes = list(districts["adcode"]) if by_district else [None]
    rows = []
    for r, y in enumerate(ys[:-1]):
        for c, x in enumerate(xs[:-1]):
            cell = box(x, y, x + step, y + step)
            for code, part in zip(codes, parts, strict=True):
                piece = shapely.intersection(cell, part)
                polys = [g for g in shapely.get_parts(piece) if g.geom_type == "Polygon" and g.area > 0]
                if polys:
                    name = f"格 {r}-{c}" + (f" {code}" if code else "")
                    rows.append({"name": name, "district": code, "geometry": shapely.MultiPolygon(polys)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
