"""Choosing a coordinate system (zzgeo.crs.parse_crs, CRS_CHOICES) and converting with to_wgs84.

GCJ-02 and BD-09 are checked against the reference package ``prcoords`` (which takes and
returns (lat, lon)); projected systems against pyproj used directly.
"""

from __future__ import annotations

import numpy as np
import prcoords
import pytest
from pyproj import CRS, Transformer

from zzgeo.crs import CRS_CHOICES, CoordinateSystem, parse_crs, to_wgs84, wgs84_to_bd09, wgs84_to_gcj02
from zzgeo.errors import UnknownKeyError, ZzgeoError
from zzgeo.messages import Text

#: Reference points: Zhangzhou landmarks and the corners of the city's extent (lon, lat).
REFERENCE = np.array(
    [
        (117.6472, 24.5130),  # Zhangzhou railway station area, Xiangcheng
        (117.4300, 23.7000),  # Dongshan island
        (117.5300, 25.0000),  # Hua'an
        (117.1700, 23.7100),  # Zhao'an
        (116.9000, 25.2000),  # north-west corner
        (118.1000, 23.5500),  # south-east corner (sea)
        (118.0894, 24.4798),  # Xiamen, next door
    ]
)
CHOICES_TEXT = "wgs84, cgcs2000, gcj02, bd09, EPSG:4548, EPSG:4549, EPSG:4527, EPSG:32650, EPSG:<code>"


# ---------------------------------------------------------------------------------------------
# parse_crs
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(CRS_CHOICES))
def test_every_choice_parses_to_itself(key: str) -> None:
    assert parse_crs(key) is CRS_CHOICES[key]
    assert parse_crs(f"  {key.lower()} ") is CRS_CHOICES[key]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (None, "wgs84"),
        ("", "wgs84"),
        ("   ", "wgs84"),
        ("WGS-84", "wgs84"),
        ("gps", "wgs84"),
        ("4326", "wgs84"),
        ("EPSG:4326", "wgs84"),
        ("epsg:4326", "wgs84"),
        ("CGCS2000", "cgcs2000"),
        ("cgcs-2000", "cgcs2000"),
        ("4490", "cgcs2000"),
        ("EPSG:4490", "cgcs2000"),
        ("高德", "gcj02"),
        ("gcj-02", "gcj02"),
        ("GCJ-02", "gcj02"),
        ("gcj", "gcj02"),
        ("Amap", "gcj02"),
        ("gaode", "gcj02"),
        ("火星", "gcj02"),
        ("百度", "bd09"),
        ("BD-09", "bd09"),
        ("Baidu", "bd09"),
        ("bd09ll", "bd09"),
        ("EPSG:4548", "EPSG:4548"),
        ("epsg:4548", "EPSG:4548"),
        ("Epsg:32650", "EPSG:32650"),
    ],
)
def test_aliases(text: str | None, key: str) -> None:
    assert parse_crs(text) is CRS_CHOICES[key]


@pytest.mark.parametrize(
    ("text", "epsg", "projected"),
    [("EPSG:3857", 3857, True), ("EPSG:2384", 2384, True), ("epsg:4610", 4610, False)],
)
def test_any_epsg_code(text: str, epsg: int, projected: bool) -> None:
    chosen = parse_crs(text)
    name = CRS.from_epsg(epsg).name
    assert chosen == CoordinateSystem(f"EPSG:{epsg}", Text(en=name), epsg)
    assert chosen.projected is projected
    assert chosen.title.get("zh") == chosen.title.get("en") == name  # PROJ names a CRS in English only


@pytest.mark.parametrize("junk", ["mars", "wgs", "EPSG:", "EPSG:99999", "EPSG:4548x", "gcj02 bd09", "北京54", "1e3"])
def test_junk_raises_listing_the_choices(junk: str) -> None:
    with pytest.raises(UnknownKeyError) as exc:
        parse_crs(junk)
    assert str(exc.value) == f"unknown coordinate system {junk!r}; valid: {CHOICES_TEXT}"
    assert exc.value.valid == (*CRS_CHOICES, "EPSG:<code>")
    assert isinstance(exc.value, ZzgeoError)
    assert isinstance(exc.value, KeyError)


def test_choices_have_titles_and_know_whether_they_are_projected() -> None:
    projected = {key for key, c in CRS_CHOICES.items() if c.projected}
    assert projected == {"EPSG:4548", "EPSG:4549", "EPSG:4527", "EPSG:32650"}
    for key, choice in CRS_CHOICES.items():
        assert choice.key == key
        assert choice.title.get("zh") == choice.title.zh
        assert choice.title.get("en") == choice.title.en
        assert choice.title.zh
        assert choice.title.en
        if choice.epsg is not None:
            assert CRS.from_epsg(choice.epsg)  # a code PROJ knows
    assert CRS_CHOICES["gcj02"].epsg is None
    assert CRS_CHOICES["bd09"].epsg is None
    assert "高德" in CRS_CHOICES["gcj02"].title.get("zh")
    assert "百度" in CRS_CHOICES["bd09"].title.get("zh")


# ---------------------------------------------------------------------------------------------
# to_wgs84
# ---------------------------------------------------------------------------------------------


def _reference(func, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """A prcoords function point by point, as (lon, lat) rows."""
    out = [func((float(la), float(lo))) for lo, la in zip(lon, lat, strict=True)]
    return np.array([(c.lon, c.lat) for c in out])


def _ours(x: np.ndarray, y: np.ndarray, text: str) -> np.ndarray:
    return np.column_stack(to_wgs84(x, y, parse_crs(text)))


@pytest.mark.parametrize(
    ("text", "forward", "reference"),
    [("gcj02", prcoords.wgs_gcj, prcoords.gcj_wgs_bored), ("百度", prcoords.wgs_bd, prcoords.bd_wgs_bored)],
)
def test_gcj02_and_bd09_against_prcoords(monkeypatch: pytest.MonkeyPatch, text: str, forward, reference) -> None:
    # Shifted coordinates made by the reference's own forward formula...
    shifted = _reference(forward, REFERENCE[:, 0], REFERENCE[:, 1])
    ours = _ours(shifted[:, 0], shifted[:, 1], text)
    # ... come back to the true WGS-84 points,
    np.testing.assert_allclose(ours, REFERENCE, rtol=0, atol=1e-9)
    # agree with the reference inverse (to its default tolerance, then iterated to the end),
    np.testing.assert_allclose(ours, _reference(reference, shifted[:, 0], shifted[:, 1]), rtol=0, atol=1e-6)
    monkeypatch.setattr(prcoords, "PRC_EPS", 1e-14)
    np.testing.assert_allclose(ours, _reference(reference, shifted[:, 0], shifted[:, 1]), rtol=0, atol=1e-9)
    # and the reference forward formula maps them back onto the input.
    np.testing.assert_allclose(_reference(forward, ours[:, 0], ours[:, 1]), shifted, rtol=0, atol=1e-9)


def test_bd09_one_step_reference_is_close() -> None:
    # prcoords.bd_wgs is the one-step (non-iterative) inverse: within about a metre.
    bd = np.column_stack(wgs84_to_bd09(REFERENCE[:, 0], REFERENCE[:, 1]))
    ours = _ours(bd[:, 0], bd[:, 1], "bd09")
    one_step = _reference(prcoords.bd_wgs, bd[:, 0], bd[:, 1])
    np.testing.assert_allclose(ours, one_step, rtol=0, atol=2e-5)
    assert np.abs(ours - REFERENCE).max() < 1e-9 < np.abs(one_step - REFERENCE).max()


def test_gcj02_offset_in_zhangzhou_is_removed() -> None:
    gcj = np.column_stack(wgs84_to_gcj02(REFERENCE[:, 0], REFERENCE[:, 1]))
    assert np.abs(gcj - REFERENCE).max() > 0.003  # several hundred metres
    np.testing.assert_allclose(_ours(gcj[:, 0], gcj[:, 1], "高德"), REFERENCE, rtol=0, atol=1e-9)


@pytest.mark.parametrize("text", ["EPSG:4548", "EPSG:4549", "EPSG:4527", "EPSG:32650", "EPSG:3857", "EPSG:2384"])
def test_projected_against_pyproj(text: str) -> None:
    forward = Transformer.from_crs("EPSG:4326", text, always_xy=True)
    x, y = forward.transform(REFERENCE[:, 0], REFERENCE[:, 1])
    expected = np.column_stack(Transformer.from_crs(text, "EPSG:4326", always_xy=True).transform(x, y))
    ours = _ours(np.asarray(x), np.asarray(y), text)
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-12)
    if text != "EPSG:2384":  # Xian 1980 differs from WGS-84 by a datum shift PROJ may not know
        np.testing.assert_allclose(ours, REFERENCE, rtol=0, atol=1e-8)


@pytest.mark.parametrize(
    ("text", "easting", "lon"),
    [
        ("EPSG:4548", 500_000, 117),
        ("EPSG:4549", 500_000, 120),
        ("EPSG:4527", 39_500_000, 117),
        ("EPSG:32650", 500_000, 117),
    ],
)
def test_central_meridian_on_the_equator(text: str, easting: float, lon: float) -> None:
    # By definition of the projections, independent of PROJ: false easting on the central meridian.
    got = _ours(np.array([easting]), np.array([0.0]), text)
    np.testing.assert_allclose(got, [[lon, 0.0]], rtol=0, atol=1e-9)


@pytest.mark.parametrize("text", ["wgs84", "cgcs2000", "EPSG:4326", "4490"])
def test_geographic_choices_pass_through(text: str) -> None:
    out = _ours(REFERENCE[:, 0], REFERENCE[:, 1], text)
    np.testing.assert_array_equal(out, REFERENCE)


@pytest.mark.parametrize("key", list(CRS_CHOICES))
def test_nan_stays_nan_without_warnings(key: str) -> None:
    choice = CRS_CHOICES[key]
    x = np.array([np.nan, 565876.331 if choice.projected else 117.65])
    y = np.array([np.nan, 2711932.257 if choice.projected else 24.51])
    if key == "EPSG:4527":
        x[1] += 39_000_000
    if key == "EPSG:4549":
        x[1], y[1] = 261_870.0, 2_716_000.0
    lon, lat = to_wgs84(x, y, choice)
    assert np.isnan(lon[0])
    assert np.isnan(lat[0])
    assert 116.8 < lon[1] < 118.3
    assert 23.5 < lat[1] < 25.3
