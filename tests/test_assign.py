"""The grid index gives exactly the answers of geopandas.sjoin(predicate="within")."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from zzgeo.assign import BORDER, OUTSIDE, DistrictIndex, index_for
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
