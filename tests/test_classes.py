"""zzgeo.classes: the classes and colours shared by the web map and the printed maps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zzgeo import classes
from zzgeo.districts import load_districts, load_population
from zzgeo.indicators import INDICATORS, compute_indicators

VALUES = [5.0, 12.0, 33.0, 47.0, 120.0, 260.0, 800.0, 1131.0, 0.0, 2.0, 9.0]


def test_target_based_classes_for_sites_per_10k() -> None:
    scheme = classes.classify([10, 20, 40], "sites_per_10k", target=30)
    assert scheme.target_based
    assert scheme.breaks == (15, 22, 30, 38)  # 50 %, 75 %, 100 %, 125 % of the target, two digits
    assert scheme.colors == classes.TARGET_PALETTE == classes.TARGET_PALETTES["standard"]
    assert scheme.color(29.9) == classes.TARGET_PALETTE[2]  # just below the target
    assert scheme.color(30) == classes.TARGET_PALETTE[3]
    assert scheme.color(float("nan")) == classes.NO_DATA_COLOR
    assert scheme.color(None) == classes.NO_DATA_COLOR
    assert scheme.labels() == ["< 15", "15 – 22", "22 – 30", "30 – 38", "≥ 38"]


def test_without_a_target_sites_per_10k_get_quantile_classes() -> None:
    scheme = classes.classify(VALUES, "sites_per_10k", target=None)
    assert not scheme.target_based
    assert scheme.colors[0] == classes.STANDARD_PALETTES["sites_per_10k"][0]


@pytest.mark.parametrize("indicator", list(classes.STANDARD_PALETTES))
def test_quantile_classes(indicator: str) -> None:
    scheme = classes.classify(VALUES, indicator)
    assert len(scheme.colors) == len(scheme.breaks) + 1
    assert list(scheme.breaks) == sorted(set(scheme.breaks))
    assert len(scheme.labels()) == len(scheme.colors)
    assert {scheme.index(v) for v in VALUES} <= set(range(len(scheme.colors)))
    # every class but the lowest starts at a break: values are in the class their break says
    for value in VALUES:
        i = scheme.index(value)
        assert i is not None
        assert i == 0 or value >= scheme.breaks[i - 1]
        assert i == len(scheme.breaks) or value < scheme.breaks[i]


@pytest.mark.parametrize("indicator", list(classes.STANDARD_PALETTES))
@pytest.mark.parametrize("target", [None, 30.0])
def test_colour_schemes_change_colours_never_classes(indicator: str, target: float | None) -> None:
    schemes = {name: classes.classify(VALUES, indicator, target, name) for name in classes.PALETTE_NAMES}
    standard = schemes["standard"]
    for name, scheme in schemes.items():
        assert scheme.breaks == standard.breaks
        assert scheme.target_based == standard.target_based
        assert len(set(scheme.colors)) == len(scheme.colors), f"{name}: two classes share a colour"
        assert standard.recoloured(name) == scheme
        if name != "standard":
            assert scheme.colors != standard.colors
    assert schemes["grey"].colors == classes._spread(classes.GREYS, len(standard.colors))
    with pytest.raises(KeyError):
        classes.classify(VALUES, indicator, target, "rainbow")


def test_unknown_indicator_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        classes.classify(VALUES, "nope")


def test_gap_classes_keep_zero_apart() -> None:
    scheme = classes.classify([0, 0, 0, 46, 85, 165, 275, 393, 638, 148, 0], "gap_sites")
    assert scheme.index(0) == 0
    assert scheme.index(1) == 1
    assert scheme.labels()[0] == "0"
    assert scheme.labels()[1].startswith("1 – ")
    assert classes.classify([np.nan] * 11, "gap_sites").breaks == ()


def test_nice_rounding_and_numbers() -> None:
    assert classes.nice(1131) == 1100
    assert classes.nice(32.74) == 33
    assert classes.nice(0.456) == 0.46
    assert classes.nice(float("nan")) == 0.0
    assert classes.fmt_number(15166) == "15,166"
    assert classes.fmt_number(None) == "—"
    assert classes.fmt_number(float("nan"), 1) == "—"
    assert classes.fmt_indicator(45.99880888944613, "sites_per_10k") == "46.0"
    assert classes.fmt_indicator(1234.4, "sites") == "1,234"


def test_scheme_of_an_indicator_table() -> None:
    table = compute_indicators(
        _one_site_per_district(), load_districts("full"), load_population(), year=2025
    )  # a year with a target
    assert classes.target_of(table) == 30.0
    assert len(classes.district_rows(table)) == 11
    assert classes.city_row(table)["adcode"] == "350600"
    scheme = classes.scheme_for(table, "sites_per_10k", "cb")
    assert scheme.target_based
    assert scheme.colors == classes.TARGET_PALETTES["cb"]
    assert classes.target_of(table.assign(target_per_10k=np.nan)) is None
    assert set(INDICATORS) == set(classes.STANDARD_PALETTES)


def _one_site_per_district() -> pd.DataFrame:
    import geopandas as gpd

    districts = load_districts("full")
    points = districts.geometry.representative_point()
    return gpd.GeoDataFrame(
        {
            "site_id": [f"S{i}" for i in range(len(points))],
            "operator": ["China Mobile"] * len(points),
            "status": ["in_service"] * len(points),
            "year_in_service": pd.array([2021] * len(points), dtype="Int64"),
        },
        geometry=points.to_numpy(),
        crs="EPSG:4326",
    )


# --------------------------------------------------------------------------- change between two years


def test_change_classes_of_rises_keep_no_change_apart() -> None:
    values = [0, 1, 2, 5, 9, 14, 20, 3, 0, 7, 11]
    scheme = classes.classify_change(values, "sites_per_10k")
    assert not scheme.target_based
    assert scheme.index(0) == 0  # no change: its own class
    assert scheme.index(0.2) == 1
    assert scheme.labels()[0] == "0"
    assert all(label.startswith(("0", "+", "≥ +")) for label in scheme.labels())
    assert len(scheme.labels()) == len(scheme.colors) == len(scheme.breaks) + 1
    # darker for larger rises: the indicator's sequential scale, light to dark
    assert scheme.colors == classes._spread(classes.STANDARD_PALETTES["sites_per_10k"], len(scheme.colors))
    # every value falls in a class, and larger values never fall in a lower class
    indexes = [scheme.index(v) for v in sorted(values)]
    assert indexes == sorted(indexes)


def test_change_classes_of_falls_mirror_them() -> None:
    values = [-10, -50, -200, 0, -3, -5, -1, -80, -20, -7, -1]
    scheme = classes.classify_change(values, "gap_sites")
    assert scheme.labels()[-1] == "0"
    assert scheme.index(0) == len(scheme.colors) - 1
    assert scheme.index(-200) == 0
    assert scheme.colors[0] == classes.STANDARD_PALETTES["gap_sites"][-1]  # the largest fall is darkest
    indexes = [scheme.index(v) for v in sorted(values)]
    assert indexes == sorted(indexes)


def test_change_classes_of_both_signs_diverge_around_zero() -> None:
    scheme = classes.classify_change([-3, -1, 0, 2, 4, -8, 1, 0, 0, 5, 6], "sites_per_10k", "cb")
    assert scheme.target_based  # the diverging colours
    assert scheme.colors == classes.TARGET_PALETTES["cb"]
    assert scheme.labels()[2] == "0"
    assert scheme.index(0) == 2
    assert scheme.index(-8) == 0
    assert scheme.index(6) == 4
    assert scheme.breaks[0] == -scheme.breaks[-1]  # symmetric


def test_change_without_change_or_values() -> None:
    assert classes.classify_change([0] * 11, "sites").labels() == ["0", "> 0"]
    assert classes.classify_change([float("nan")] * 3, "sites").breaks == ()
    with pytest.raises(KeyError):
        classes.classify_change([1, 2], "bogus")
