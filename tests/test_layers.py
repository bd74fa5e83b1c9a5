"""zzgeo.layers: the registry of layer kinds and column coercion.

Loading the shipped sample layers is tested in test_samples.py.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from zzgeo.errors import UnknownKeyError, ZzgeoError
from zzgeo.layers import (
    AREA_KINDS,
    BANDS,
    LAYER_KINDS,
    OPERATORS,
    POPULATION_STATUSES,
    STATUSES,
    ColumnSpec,
    LayerSpec,
    coerce_columns,
    get_spec,
)
from zzgeo.messages import Text

KINDS = list(LAYER_KINDS)
DTYPES = {"str", "int", "float", "bool"}


def test_registry_has_the_three_kinds() -> None:
    assert {"5g_sites", "data_centers", "smart_projects"} <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_get_spec(kind) -> None:
    spec = get_spec(kind)
    assert isinstance(spec, LayerSpec)
    assert spec is LAYER_KINDS[kind]
    assert spec.key == kind


def test_get_spec_unknown_lists_every_kind() -> None:
    with pytest.raises(UnknownKeyError) as info:
        get_spec("5g_stations")
    err = info.value
    assert isinstance(err, KeyError)
    assert isinstance(err, ZzgeoError)
    assert err.key == "5g_stations"
    assert set(err.valid) == set(KINDS) | set(AREA_KINDS)
    message = str(err)
    assert not message.startswith(("'", '"')), "KeyError's repr-quoting must not leak into the message"
    assert "'5g_stations'" in message
    for kind in [*KINDS, *AREA_KINDS]:
        assert kind in message


def test_get_spec_unknown_is_caught_as_key_error() -> None:
    with pytest.raises(KeyError):
        get_spec("")


@pytest.mark.parametrize("kind", KINDS)
def test_specs_are_frozen(kind) -> None:
    spec = get_spec(kind)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.key = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.columns[0].required = False  # type: ignore[misc]
    with pytest.raises(TypeError):
        spec.style["color"] = "#000000"  # type: ignore[index]
    assert isinstance(spec.columns, tuple)


def test_registry_and_vocabularies_are_read_only() -> None:
    for mapping in (LAYER_KINDS, AREA_KINDS, OPERATORS, STATUSES, BANDS, POPULATION_STATUSES):
        with pytest.raises(TypeError):
            mapping["new"] = None  # type: ignore[index]


@pytest.mark.parametrize("kind", KINDS)
def test_spec_is_consistent(kind) -> None:
    spec = get_spec(kind)
    names = [c.name for c in spec.columns]
    assert len(names) == len(set(names)), "column names must be unique"
    assert set(spec.required) | set(spec.optional) == set(names)
    assert not set(spec.required) & set(spec.optional)
    assert spec.id_column in spec.required
    assert spec.year_column in spec.required
    assert spec.column(spec.year_column).dtype == "int"
    assert spec.geometry_type in {"Point", "LineString", "Polygon", "MultiPolygon"}
    assert spec.title.zh
    assert spec.title.en
    assert spec.title.get("zh") == spec.title.zh
    assert spec.title.get("en") == spec.title.en
    assert spec.style.get("color", "").startswith("#")
    for col in spec.columns:
        assert col.dtype in DTYPES, col
        assert col.title.zh, col
        assert col.title.en, col
        if col.min is not None and col.max is not None:
            assert col.min < col.max, col
        if col.allowed:
            assert col.dtype == "str", col
            assert len(set(col.allowed)) == len(col.allowed), col
    assert "status" in spec.required
    assert set(spec.column("status").allowed) == set(STATUSES)
    assert "synthetic" in spec.optional


def test_5g_sites_columns() -> None:
    spec = get_spec("5g_sites")
    assert {"site_id", "operator", "status", "year_in_service"} <= set(spec.required)
    assert {"band", "synthetic", "source"} <= set(spec.optional)
    assert set(spec.column("operator").allowed) == set(OPERATORS)
    assert set(spec.column("band").allowed) == set(BANDS)
    year = spec.column("year_in_service")
    assert year.min == 2019  # China issued 5G licences in June 2019
    assert year.max is not None
    assert year.max >= 2030


def test_column_lookup() -> None:
    spec = get_spec("data_centers")
    assert spec.column("pue") == ColumnSpec("pue", "float", False, Text(zh="PUE", en="PUE"), min=1.0, max=3.0)
    with pytest.raises(UnknownKeyError) as info:
        spec.column("pues")
    for name in ("name", "racks", "pue"):
        assert name in str(info.value)


# --- coerce_columns ------------------------------------------------------------------------


@pytest.fixture
def raw_sites() -> gpd.GeoDataFrame:
    """Sites as read from a loose CSV/GeoJSON: numbers as text, gaps, an extra column."""
    return gpd.GeoDataFrame(
        {
            "site_id": [101, "ZZ-2", None],
            "operator": ["China Mobile", "China Unicom", None],
            "band": ["n41", np.nan, "n78"],
            "status": ["in_service", "planned", "in_service"],
            "year_in_service": ["2021", 2022.0, "soon"],
            "synthetic": ["true", "否", None],
            "extra": ["kept", "as", "is"],
        },
        geometry=[Point(117.65, 24.51), Point(117.43, 23.70), Point(117.53, 25.0)],
        crs="EPSG:4326",
    )


def test_coerce_columns_casts_types(raw_sites) -> None:
    out = coerce_columns(raw_sites, get_spec("5g_sites"))
    assert isinstance(out, gpd.GeoDataFrame)
    assert out.crs.equals("EPSG:4326")
    assert out["year_in_service"].dtype == "Int64"
    assert out["year_in_service"].tolist()[:2] == [2021, 2022]
    assert out["year_in_service"].isna().tolist() == [False, False, True]
    assert out["synthetic"].dtype == "boolean"
    assert out["synthetic"].tolist()[:2] == [True, False]
    assert out["synthetic"].isna().tolist() == [False, False, True]
    assert out["site_id"].tolist()[:2] == ["101", "ZZ-2"]
    assert out["site_id"].isna().tolist() == [False, False, True]  # missing stays missing, not "None"
    assert out["band"].isna().tolist() == [False, True, False]
    assert out["extra"].tolist() == ["kept", "as", "is"]
    assert out.geometry.equals(raw_sites.geometry)


def test_coerce_columns_floats_and_ints() -> None:
    gdf = gpd.GeoDataFrame(
        {
            "name": ["A", "B", "C", "D"],
            "racks": ["120", 80, None, 2.5],
            "power_mw": ["1.5", 2, None, "lots"],
        },
        geometry=[Point(117.6, 24.5)] * 4,
        crs="EPSG:4326",
    )
    out = coerce_columns(gdf, get_spec("data_centers"))
    assert out["racks"].dtype == "Int64"
    assert out["racks"].tolist()[:2] == [120, 80]
    assert out["racks"].isna().tolist() == [False, False, True, True]  # 2.5 racks is not a count
    assert out["power_mw"].dtype == "float64"
    assert out["power_mw"].tolist()[:2] == [1.5, 2.0]
    assert out["power_mw"].isna().tolist() == [False, False, True, True]


def test_coerce_columns_does_not_modify_input(raw_sites) -> None:
    before = raw_sites.copy()
    dtypes = raw_sites.dtypes.copy()
    coerce_columns(raw_sites, get_spec("5g_sites"))
    pd.testing.assert_frame_equal(raw_sites, before)
    pd.testing.assert_series_equal(raw_sites.dtypes, dtypes)


def test_coerce_columns_ignores_absent_columns() -> None:
    gdf = gpd.GeoDataFrame({"site_id": ["a"]}, geometry=[Point(117.6, 24.5)], crs="EPSG:4326")
    out = coerce_columns(gdf, get_spec("5g_sites"))
    assert list(out.columns) == ["site_id", "geometry"]


def test_coerce_columns_keeps_native_booleans() -> None:
    gdf = gpd.GeoDataFrame({"synthetic": [True, False]}, geometry=[Point(117.6, 24.5)] * 2, crs="EPSG:4326")
    out = coerce_columns(gdf, get_spec("5g_sites"))
    assert out["synthetic"].dtype == "boolean"
    assert out["synthetic"].tolist() == [True, False]


def test_the_area_kind() -> None:
    spec = get_spec("areas")
    assert spec is AREA_KINDS["areas"]
    assert "areas" not in LAYER_KINDS  # not an infrastructure layer: the map's point layers stay three
    assert spec.geometry_type == "MultiPolygon"
    assert spec.required == ("name",)
    assert {"area_id", "code", "population", "population_year", "population_status", "name_en"} <= set(spec.optional)
    assert spec.id_column == "area_id"
    assert spec.year_column == "population_year"
    assert spec.column("population").dtype == "int"
    assert set(spec.column("population_status").allowed) < set(POPULATION_STATUSES)
    assert "estimated" in spec.column("population_status").allowed
    names = {c.name for c in spec.columns}
    assert set(spec.aliases) <= names  # aliases only for the kind's own columns
    for aliases in spec.aliases.values():
        assert aliases
    assert not {"area", "面积"} & set(spec.aliases["name"])  # an AREA column is a size in GIS files
    assert POPULATION_STATUSES["estimated"] == Text(zh="估算", en="estimated")
    with pytest.raises(TypeError):
        spec.aliases["name"] = ()  # type: ignore[index]
