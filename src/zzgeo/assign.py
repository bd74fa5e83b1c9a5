"""Exact point-in-district assignment on lon/lat arrays, without a shapely object per point.

:class:`DistrictIndex` lays a regular grid over the districts. Each cell is classified
once: wholly in the *interior* of one district (its answer is that district), wholly
outside every district (no district), or on a border (needs an exact test). A query
computes every point's cell with NumPy; only points in border cells go through the exact
``shapely.contains_xy`` test against the district polygons they may be in.

The rule is the one of ``geopandas.sjoin(points, districts, predicate="within")``: a
point belongs to the district whose interior contains it; points on a border (or a
vertex) or outside every district belong to none. Interior cells are tested with
``contains_properly`` on the cell grown by a small margin, so a point that floating-point
rounding puts into the neighbouring cell still gets the exact answer.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

__all__ = ["BORDER", "OUTSIDE", "DistrictIndex", "index_for"]

logger = logging.getLogger(__name__)

OUTSIDE = -1
BORDER = -2
_MARGIN_DEG = 1e-9
_BLOCK = 1 << 18


class DistrictIndex:
    """A grid index over non-overlapping polygons for fast, exact point assignment.

    Parameters
    ----------
    geometries : array_like of shapely geometries
        The districts, in the CRS of the points to assign (degrees for lon/lat).
    cells : int
        Cells along the longer side of the bounding box (default 512: ~350 m cells
        over Zhangzhou, 2.5% of them on a border; built in ~0.4 s). More cells mean
        fewer exact tests but a slower build.
    """

    def __init__(self, geometries: ArrayLike, cells: int = 512) -> None:
        self.geometries = np.asarray(geometries, dtype=object)
        if self.geometries.ndim != 1 or len(self.geometries) == 0:
            raise ValueError("DistrictIndex needs a non-empty 1-D array of polygons")
        if len(self.geometries) > np.iinfo(np.int16).max:
            raise ValueError("too many polygons for the grid index")
        shapely.prepare(self.geometries)
        xmin, ymin, xmax, ymax = shapely.total_bounds(self.geometries)
        span = max(xmax - xmin, ymax - ymin)
        self.step = span / cells
        self.x0 = float(xmin)
        self.y0 = float(ymin)
        self.nx = int(np.ceil((xmax - xmin) / self.step)) + 1
        self.ny = int(np.ceil((ymax - ymin) / self.step)) + 1
        self.grid = self._classify()
        self.bounds = shapely.bounds(self.geometries)

    def _classify(self) -> NDArray[np.int16]:
        grid = np.full((self.ny, self.nx), OUTSIDE, dtype=np.int16)
        iy, ix = np.mgrid[0 : self.ny, 0 : self.nx]
        x0 = self.x0 + ix.ravel() * self.step
        y0 = self.y0 + iy.ravel() * self.step
        grown = shapely.box(
            x0 - _MARGIN_DEG, y0 - _MARGIN_DEG, x0 + self.step + _MARGIN_DEG, y0 + self.step + _MARGIN_DEG
        )
        flat = grid.ravel()
        tree = shapely.STRtree(grown)
        hits = np.zeros(flat.shape, dtype=np.int16)  # polygons whose closure meets the cell
        for code, geom in enumerate(self.geometries):
            near = tree.query(geom, predicate="intersects")
            if near.size == 0:
                continue
            hits[near] += 1
            inside = near[shapely.contains_properly(geom, grown[near])]
            flat[inside] = code
        ambiguous = (hits > 1) | ((hits == 1) & (flat == OUTSIDE))
        flat[ambiguous] = BORDER
        n_border = int((flat == BORDER).sum())
        logger.debug(
            "district grid %dx%d: %d border cells (%.1f%%)", self.nx, self.ny, n_border, 100 * n_border / flat.size
        )
        return grid

    def query(self, x: ArrayLike, y: ArrayLike) -> NDArray[np.int16]:
        """Index of the polygon containing each point, or -1 (outside, on a border, NaN)."""
        xa = np.asarray(x, dtype=np.float64)
        ya = np.asarray(y, dtype=np.float64)
        if xa.shape != ya.shape:
            raise ValueError(f"lon and lat differ in shape: {xa.shape} vs {ya.shape}")
        flat_x = xa.ravel()
        flat_y = ya.ravel()
        out = np.empty(flat_x.shape, dtype=np.int16)
        # Blocks keep the temporaries small and in cache: memory stays flat for any size.
        for start in range(0, len(flat_x), _BLOCK):
            stop = start + _BLOCK
            out[start:stop] = self._query_block(flat_x[start:stop], flat_y[start:stop])
        return out.reshape(xa.shape)

    def _query_block(self, xa: NDArray[np.float64], ya: NDArray[np.float64]) -> NDArray[np.int16]:
        fx = (xa - self.x0) / self.step
        fy = (ya - self.y0) / self.step
        inside_grid = (fx >= 0) & (fx < self.nx) & (fy >= 0) & (fy < self.ny)  # False for NaN
        out = np.full(xa.shape, OUTSIDE, dtype=np.int16)
        idx = np.flatnonzero(inside_grid)
        cell = self.grid[fy[idx].astype(np.intp), fx[idx].astype(np.intp)]
        out[idx] = cell
        border = idx[cell == BORDER]
        out[border] = OUTSIDE
        if border.size:
            bx = xa[border]
            by = ya[border]
            todo = np.ones(border.size, dtype=bool)
            for code, geom in enumerate(self.geometries):
                x1, y1, x2, y2 = self.bounds[code]
                cand = np.flatnonzero(todo & (bx >= x1) & (bx <= x2) & (by >= y1) & (by <= y2))
                if cand.size == 0:
                    continue
                hit = cand[shapely.contains_xy(geom, bx[cand], by[cand])]
                out[border[hit]] = code
                todo[hit] = False
        return out

    @property
    def border_share(self) -> float:
        """Share of grid cells that need exact tests."""
        return float((self.grid == BORDER).mean())


_CACHE: OrderedDict[str, DistrictIndex] = OrderedDict()
_CACHE_SIZE = 8


def index_for(geometries: ArrayLike) -> DistrictIndex:
    """A :class:`DistrictIndex` of ``geometries``, built once per distinct set (LRU cache)."""
    geoms = np.asarray(geometries, dtype=object)
    digest = hashlib.blake2b(b"".join(shapely.to_wkb(geoms, hex=False)), digest_size=16).hexdigest()
    index = _CACHE.get(digest)
    if index is None:
        index = DistrictIndex(geoms)
        _CACHE[digest] = index
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(digest)
    return index
