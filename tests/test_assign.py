"""The grid index gives exactly the answers of geopandas.sjoin(predicate="within")."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from zzgeo.assign import BORDER, OUTSIDE, AreaIndex, DistrictIndex, index_for
from zzgeo.districts import load_districts


def _sjoin_index(lon: np.ndarray, lat: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    polys = gpd.GeoDataFrame({"code": np.arange(len(geoms))}, geometry=list(geoms), crs="EPSG:4326")
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    joined = gpd.sjoin(pts, polys, predicate="within", how="left")
    assert joined.index.is_unique
    return joined["code"].fillna(OUTSIDE).astype(int).to_numpy()


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    return load_districts("full")


@pytest.mark.parametrize("cells", [16, 128, 512])
def test_random_points_match_sjoin_at_any_grid_size(districts: gpd.GeoDataFrame, cells: int) -> None:
    geoms = districts.geometry.to_numpy()
    index = DistrictIndex(geoms, cells=cells)
    rng = np.random.default_rng(cells)
    lon = rng.uniform(116.8, 118.4, 40_000)
    lat = rng.uniform(23.4, 25.4, 40_000)
    assert (index.query(lon, lat) == _sjoin_index(lon, lat, geoms)).all()


def test_vertices_edges_and_cell_corners_match_sjoin(districts: gpd.GeoDataFrame) -> None:
    geoms = districts.geometry.to_numpy()
    index = DistrictIndex(geoms, cells=256)
    coords = shapely.get_coordinates(geoms)
    mids = (coords[:-1] + coords[1:]) / 2
    # grid-cell corners and edges: points that rounding could put into a neighbouring cell
    gx = index.x0 + np.arange(index.nx) * index.step
    gy = index.y0 + np.arange(index.ny) * index.step
    cx, cy = np.meshgrid(gx[::7], gy[::7])
    lon = np.concatenate([coords[:, 0], mids[:, 0], cx.ravel(), np.nextafter(cx.ravel(), 0)])
    lat = np.concatenate([coords[:, 1], mids[:, 1], cy.ravel(), np.nextafter(cy.ravel(), 0)])
    assert (index.query(lon, lat) == _sjoin_index(lon, lat, geoms)).all()
    assert (index.query(coords[:, 0], coords[:, 1]) == OUTSIDE).all()  # vertices are on boundaries


def test_grid_has_interior_outside_and_border_cells(districts: gpd.GeoDataFrame) -> None:
    index = DistrictIndex(districts.geometry.to_numpy(), cells=128)
    values = set(np.unique(index.grid).tolist())
    assert {OUTSIDE, BORDER} <= values
    assert set(range(11)) <= values  # every district has interior cells at this size
    assert 0 < index.border_share < 0.3


def test_shared_border_of_two_squares_and_a_hole() -> None:
    left = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)], holes=[[(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.4)]])
    right = MultiPolygon([box(1, 0, 2, 1), box(3, 0, 4, 1)])
    index = DistrictIndex([left, right], cells=8)
    lon = np.array([0.5, 1.0, 1.5, 0.3, 0.2, 3.5, 2.5, np.nan, -1.0, 4.0])
    lat = np.array([0.5, 0.5, 0.5, 0.3, 0.3, 0.5, 0.5, 0.5, 0.5, 0.5])
    assert index.query(lon, lat).tolist() == [0, OUTSIDE, 1, OUTSIDE, OUTSIDE, 1, OUTSIDE, OUTSIDE, OUTSIDE, OUTSIDE]


def test_query_keeps_shape_and_checks_it() -> None:
    index = DistrictIndex([box(0, 0, 1, 1)], cells=4)
    assert index.query(np.full((2, 3), 0.5), np.full((2, 3), 0.5)).shape == (2, 3)
    with pytest.raises(ValueError, match="shape"):
        index.query([0.5, 0.5], [0.5])
    with pytest.raises(ValueError, match="non-empty"):
        DistrictIndex([])


def test_index_is_cached_per_geometry_set(districts: gpd.GeoDataFrame) -> None:
    a = index_for(districts.geometry.to_numpy())
    b = index_for(load_districts("full").geometry.to_numpy())
    c = index_for(load_districts("display").geometry.to_numpy())
    assert a is b
    assert a is not c
    assert pd.Series(a.grid.ravel()).nunique() > 3


def test_blocks_give_the_same_answers(districts: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    import zzgeo.assign

    index = DistrictIndex(districts.geometry.to_numpy(), cells=64)
    rng = np.random.default_rng(99)
    lon = rng.uniform(116.8, 118.4, 10_001)
    lat = rng.uniform(23.4, 25.4, 10_001)
    whole = index.query(lon, lat)
    monkeypatch.setattr(zzgeo.assign, "_BLOCK", 999)
    assert (index.query(lon, lat) == whole).all()
    assert (whole == _sjoin_index(lon, lat, districts.geometry.to_numpy())).all()


def _sjoin_pairs(lon: np.ndarray, lat: np.ndarray, geoms: np.ndarray) -> list[tuple[int, int]]:
    polys = gpd.GeoDataFrame({"code": np.arange(len(geoms))}, geometry=list(geoms), crs="EPSG:4326")
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    joined = gpd.sjoin(pts, polys, predicate="within")
    return sorted(zip(joined.index.tolist(), joined["code"].astype(int).tolist(), strict=True))


def _tiles(districts: gpd.GeoDataFrame, n: int) -> np.ndarray:
    """An n x n grid over the city, each tile split by the districts: a few hundred areas for n = 16."""
    xmin, ymin, xmax, ymax = districts.total_bounds
    xs = np.linspace(xmin, xmax, n + 1)
    ys = np.linspace(ymin, ymax, n + 1)
    parts = [
        part
        for i in range(n)
        for j in range(n)
        for part in shapely.intersection(box(xs[i], ys[j], xs[i + 1], ys[j + 1]), districts.geometry.to_numpy())
        if not part.is_empty and part.area > 0
    ]
    return np.array(parts, dtype=object)


def test_hundreds_of_areas_match_sjoin_on_random_points_vertices_and_edges(districts: gpd.GeoDataFrame) -> None:
    geoms = _tiles(districts, 16)
    assert 200 < len(geoms) < 400
    index = AreaIndex(geoms)
    rng = np.random.default_rng(16)
    coords = shapely.get_coordinates(geoms)[::5]
    mids = (coords[:-1] + coords[1:]) / 2
    lon = np.concatenate([rng.uniform(116.8, 118.4, 60_000), coords[:, 0], mids[:, 0]])
    lat = np.concatenate([rng.uniform(23.4, 25.4, 60_000), coords[:, 1], mids[:, 1]])
    found = index.query(lon, lat)
    assert (found == _sjoin_index(lon, lat, geoms)).all()
    counts, none = index.count(lon, lat)
    assert counts.tolist() == np.bincount(found[found >= 0], minlength=len(geoms)).tolist()
    assert none == int((found < 0).sum())
    assert (index.query(coords[:, 0], coords[:, 1]) == OUTSIDE).all()  # tile corners and edges are borders


def test_overlapping_polygons_give_every_pair_of_sjoin() -> None:
    a = box(0, 0, 2, 2)
    b = box(1, 1, 3, 3)  # overlaps a in [1, 2] x [1, 2]
    c = Polygon([(0, 2.5), (1, 2.5), (0.5, 3.5)])
    geoms = np.array([a, b, c], dtype=object)
    index = AreaIndex(geoms, cells=16)
    rng = np.random.default_rng(3)
    grid = np.arange(0, 3.01, 0.25)  # many points exactly on edges and in the overlap
    gx, gy = np.meshgrid(grid, grid)
    lon = np.concatenate([rng.uniform(-0.5, 3.5, 20_000), gx.ravel()])
    lat = np.concatenate([rng.uniform(-0.5, 3.5, 20_000), gy.ravel()])
    pts, polys = index.query_pairs(lon, lat)
    assert list(zip(pts.tolist(), polys.tolist(), strict=True)) == _sjoin_pairs(lon, lat, geoms)
    counts, none = index.count(lon, lat)
    assert counts.tolist() == np.bincount(polys, minlength=3).tolist()
    assert none == len(lon) - len(np.unique(pts))
    # a point in the overlap is in both; query() gives the lower index
    assert index.query([1.5], [1.5]).tolist() == [0]
    pts, polys = index.query_pairs([1.5, 2.5, 1.0], [1.5, 2.5, 1.5])  # (1, 1.5) is on b's edge, inside a
    assert list(zip(pts.tolist(), polys.tolist(), strict=True)) == [(0, 0), (0, 1), (1, 1), (2, 0)]
