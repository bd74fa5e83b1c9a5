"""zzgeo.crs against the reference implementation ``prcoords`` (scalar, lat/lon order)."""

from __future__ import annotations

import numpy as np
import prcoords
import pyproj
import pytest

from zzgeo import crs

TIGHT = 1e-9  # degrees, about 0.1 mm

ALL_FUNCTIONS = [
    crs.wgs84_to_gcj02,
    crs.gcj02_to_wgs84,
    crs.gcj02_to_bd09,
    crs.bd09_to_gcj02,
    crs.wgs84_to_bd09,
    crs.bd09_to_wgs84,
]
ROUND_TRIPS = [
    (crs.wgs84_to_gcj02, crs.gcj02_to_wgs84),
    (crs.gcj02_to_bd09, crs.bd09_to_gcj02),
    (crs.wgs84_to_bd09, crs.bd09_to_wgs84),
]


def _random_points(seed: int, lon_range: tuple[float, float], lat_range: tuple[float, float], n: int):
    rng = np.random.default_rng(seed)
    return rng.uniform(*lon_range, n), rng.uniform(*lat_range, n)


@pytest.fixture(scope="module")
def zhangzhou_points() -> tuple[np.ndarray, np.ndarray]:
    """Random points over Zhangzhou's extent."""
    return _random_points(20231, (116.9, 118.1), (23.5, 25.3), 300)


@pytest.fixture(scope="module")
def china_points() -> tuple[np.ndarray, np.ndarray]:
    """Random points over mainland China's bounding box (inside prcoords' sanity box)."""
    return _random_points(2025, (73.7, 134.7), (18.2, 53.5), 500)


@pytest.fixture(params=["zhangzhou", "china"])
def sample(request: pytest.FixtureRequest) -> tuple[np.ndarray, np.ndarray]:
    return request.getfixturevalue(f"{request.param}_points")


def _reference(func, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Apply a prcoords function point by point; prcoords takes and returns (lat, lon)."""
    out = [func((la, lo)) for lo, la in zip(lon, lat, strict=True)]
    return np.array([c.lon for c in out]), np.array([c.lat for c in out])


def _max_diff(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    return float(max(np.abs(a[0] - b[0]).max(), np.abs(a[1] - b[1]).max()))


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (crs.wgs84_to_gcj02, prcoords.wgs_gcj),
        (crs.gcj02_to_bd09, prcoords.gcj_bd),
        (crs.wgs84_to_bd09, prcoords.wgs_bd),
    ],
)
def test_forward_matches_prcoords(sample, ours, theirs) -> None:
    lon, lat = sample
    assert _max_diff(ours(lon, lat), _reference(theirs, lon, lat)) < TIGHT


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (crs.gcj02_to_wgs84, "gcj_wgs_bored"),
        (crs.bd09_to_gcj02, "bd_gcj_bored"),
        (crs.bd09_to_wgs84, "bd_wgs_bored"),
    ],
)
def test_inverse_matches_prcoords(sample, monkeypatch: pytest.MonkeyPatch, ours, theirs) -> None:
    lon, lat = sample
    # With its default tolerance (1e-5 degrees per step) prcoords stops within ~1e-7 degrees.
    assert _max_diff(ours(lon, lat), _reference(getattr(prcoords, theirs), lon, lat)) < 1e-6
    # Asked to iterate to a fixed point, it agrees with us to well under a millimetre.
    monkeypatch.setattr(prcoords, "PRC_EPS", 1e-14)
    assert _max_diff(ours(lon, lat), _reference(getattr(prcoords, theirs), lon, lat)) < TIGHT


@pytest.mark.parametrize(("forward", "inverse"), ROUND_TRIPS)
def test_round_trips(sample, forward, inverse) -> None:
    lon, lat = sample
    assert _max_diff(forward(*inverse(lon, lat)), (lon, lat)) < TIGHT
    assert _max_diff(inverse(*forward(lon, lat)), (lon, lat)) < TIGHT


def test_gcj02_offset_in_zhangzhou_is_a_few_hundred_metres(zhangzhou_points) -> None:
    lon, lat = zhangzhou_points
    gcj_lon, gcj_lat = crs.wgs84_to_gcj02(lon, lat)
    _, _, dist = pyproj.Geod(ellps="WGS84").inv(lon, lat, gcj_lon, gcj_lat)
    assert dist.min() > 300
    assert dist.max() < 700
    # Here GCJ-02 shifts points to the east-south-east of their true position.
    assert (gcj_lon > lon).all()
    assert (gcj_lat < lat).all()


def test_bd09_is_further_from_wgs84_than_gcj02(zhangzhou_points) -> None:
    lon, lat = zhangzhou_points
    geod = pyproj.Geod(ellps="WGS84")
    gcj = geod.inv(lon, lat, *crs.wgs84_to_gcj02(lon, lat))[2]
    bd = geod.inv(lon, lat, *crs.wgs84_to_bd09(lon, lat))[2]
    assert (bd > gcj).all()
    assert bd.max() < 2000


@pytest.mark.parametrize("func", ALL_FUNCTIONS)
def test_shape_mismatch_raises_value_error(func) -> None:
    with pytest.raises(ValueError, match="shape"):
        func([117.6, 117.7], [24.5])
    with pytest.raises(ValueError, match="shape"):
        func(np.zeros((2, 3)) + 117.6, np.zeros((3, 2)) + 24.5)


@pytest.mark.parametrize("func", ALL_FUNCTIONS)
def test_scalars_lists_and_arrays_agree(func) -> None:
    lon, lat = [117.65, 117.43, 116.9], [24.51, 23.70, 24.0]
    arr_lon, arr_lat = func(np.array(lon), np.array(lat))
    list_lon, list_lat = func(lon, lat)
    np.testing.assert_array_equal(arr_lon, list_lon)
    np.testing.assert_array_equal(arr_lat, list_lat)
    for i in range(3):
        s_lon, s_lat = func(lon[i], lat[i])
        assert np.ndim(s_lon) == 0
        assert np.ndim(s_lat) == 0
        assert float(s_lon) == pytest.approx(arr_lon[i], abs=TIGHT)
        assert float(s_lat) == pytest.approx(arr_lat[i], abs=TIGHT)


@pytest.mark.parametrize("func", ALL_FUNCTIONS)
def test_shape_is_kept_and_input_not_modified(func) -> None:
    lon = np.array([[117.65, 117.43], [116.9, 118.0]])
    lat = np.array([[24.51, 23.70], [24.0, 25.2]])
    lon_before, lat_before = lon.copy(), lat.copy()
    out_lon, out_lat = func(lon, lat)
    assert out_lon.shape == out_lat.shape == (2, 2)
    np.testing.assert_array_equal(lon, lon_before)
    np.testing.assert_array_equal(lat, lat_before)
    assert not np.array_equal(out_lon, lon)


def test_empty_input() -> None:
    for func in ALL_FUNCTIONS:
        out_lon, out_lat = func([], [])
        assert out_lon.shape == out_lat.shape == (0,)


@pytest.mark.parametrize("func", ALL_FUNCTIONS)
def test_nan_passes_through_without_breaking_other_points(func) -> None:
    lon = np.array([117.65, np.nan, 117.43, 117.0])
    lat = np.array([24.51, 24.0, np.nan, 24.2])
    out_lon, out_lat = func(lon, lat)
    assert np.isnan(out_lon[1])
    assert np.isnan(out_lat[1])
    assert np.isnan(out_lon[2])
    assert np.isnan(out_lat[2])
    clean_lon, clean_lat = func(lon[[0, 3]], lat[[0, 3]])
    np.testing.assert_allclose(out_lon[[0, 3]], clean_lon, rtol=0, atol=TIGHT)
    np.testing.assert_allclose(out_lat[[0, 3]], clean_lat, rtol=0, atol=TIGHT)


@pytest.mark.parametrize("func", ALL_FUNCTIONS)
def test_all_nan_gives_nan_without_warning(func) -> None:
    # pytest turns warnings into errors: an all-NaN input must not warn.
    out_lon, out_lat = func([np.nan, np.nan], [np.nan, np.nan])
    assert np.isnan(out_lon).all()
    assert np.isnan(out_lat).all()
    s_lon, s_lat = func(np.nan, np.nan)
    assert np.isnan(s_lon)
    assert np.isnan(s_lat)
