"""Streaming counts of large files agree with the validated, in-memory path."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from zzgeo.bigfile import count_file
from zzgeo.cli import main
from zzgeo.crs import wgs84_to_gcj02
from zzgeo.districts import load_districts
from zzgeo.errors import DataError
from zzgeo.indicators import compute_indicators, count_points, filter_layer
from zzgeo.layers import load_layer


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    layer = load_layer("5g_sites")
    table = pd.DataFrame(layer.drop(columns="geometry"))
    table["lon"] = layer.geometry.x
    table["lat"] = layer.geometry.y
    return table


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("batch_rows", [1_000, 1_000_000])
def test_streamed_counts_equal_compute_indicators(
    sample: pd.DataFrame, tmp_path: Path, suffix: str, batch_rows: int
) -> None:
    path = tmp_path / f"sites{suffix}"
    if suffix == ".csv":
        sample.to_csv(path, index=False)
    else:
        sample.to_parquet(path)
    streamed = count_file(path, year=2024, operators=["China Mobile", "China Unicom"], batch_rows=batch_rows)
    table = compute_indicators(load_layer("5g_sites"), year=2024, operators=["China Mobile", "China Unicom"])
    expected = table.set_index("adcode")["sites"].drop(index="350600")
    assert streamed.counts.to_dict() == expected.to_dict()
    assert streamed.rows == len(sample)
    assert streamed.unassigned == 0


def test_aliases_gbk_and_gcj02_in_a_stream(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    n = 5_000
    lon = rng.uniform(117.0, 118.2, n)
    lat = rng.uniform(23.6, 25.2, n)
    glon, glat = wgs84_to_gcj02(lon, lat)
    operators = rng.choice(["中国移动", "移动", "CMCC", "联通"], n)
    statuses = rng.choice(["在用", "规划"], n)
    years = rng.choice(["2021年", "2024-05-01", "2027"], n)
    table = pd.DataFrame({"站号": np.arange(n), "运营商": operators, "状态": statuses, "开通年份": years,
                          "经度": glon, "纬度": glat})  # fmt: skip
    table.loc[:9, "经度"] = np.nan  # 10 rows without coordinates
    path = tmp_path / "gbk.csv"
    table.to_csv(path, index=False, encoding="gbk")
    result = count_file(path, year=2025, operators=["China Mobile"], crs="gcj02", batch_rows=777)
    keep = (
        np.isin(operators, ["中国移动", "移动", "CMCC"]) & (statuses == "在用") & (years != "2027")
        & ~np.isnan(table["经度"].to_numpy())
    )  # fmt: skip
    expected = count_points(lon[keep], lat[keep], load_districts("full"))
    assert result.counts.to_dict() == expected.to_dict()
    assert result.skipped["missing or invalid coordinates"] == 10
    assert "10 skipped: missing or invalid coordinates" in result.summary()


def test_stream_errors(tmp_path: Path) -> None:
    no_coords = tmp_path / "x.csv"
    no_coords.write_text("site_id,operator\n1,China Mobile\n", encoding="utf-8")
    with pytest.raises(DataError, match="no lat and lon column; found: site_id, operator"):
        count_file(no_coords)
    no_year = tmp_path / "y.csv"
    no_year.write_text("lon,lat\n117.6,24.5\n", encoding="utf-8")
    with pytest.raises(DataError, match="--year needs a year column"):
        count_file(no_year, year=2024)
    geojson = tmp_path / "z.geojson"
    geojson.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(DataError, match="not streamed"):
        count_file(geojson)


def test_cli_stream_matches_validated_path(
    sample: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sites.parquet"
    sample.to_parquet(path)
    assert main(["indicators", "--sites", str(path), "--year", "2023", "--format", "csv"]) == 0
    validated = capsys.readouterr().out
    assert main(["indicators", "--sites", str(path), "--year", "2023", "--format", "csv", "--stream"]) == 0
    out, err = capsys.readouterr()
    assert out == validated
    assert "streamed sites.parquet" in err
    assert len(filter_layer(load_layer("5g_sites"), year=2023)) > 0


def test_geoparquet_points_are_read_from_wkb(tmp_path: Path) -> None:
    layer = load_layer("5g_sites")
    path = tmp_path / "sites.parquet"
    layer.to_parquet(path)
    streamed = count_file(path, year=2024, batch_rows=999)
    expected = compute_indicators(layer, year=2024).set_index("adcode")["sites"].drop(index="350600")
    assert streamed.counts.to_dict() == expected.to_dict()
    projected = tmp_path / "utm.parquet"
    layer.to_crs(32650).to_parquet(projected)
    with pytest.raises(DataError, match="streaming needs WGS-84"):
        count_file(projected)


def test_wkb_reader_handles_both_byte_orders_and_nulls() -> None:
    import pyarrow as pa
    import shapely

    from zzgeo.bigfile import _wkb_points

    pts = [shapely.Point(117.1, 24.2), shapely.Point(117.3, 24.4)]
    little = [shapely.to_wkb(p, byte_order=1) for p in pts]
    big = [shapely.to_wkb(p, byte_order=0) for p in pts]
    line = shapely.to_wkb(shapely.LineString([(0, 0), (1, 1)]))
    x, y = _wkb_points(pa.array([little[0], big[1], None, line]), "t")
    assert x[:2].tolist() == [117.1, 117.3]
    assert y[:2].tolist() == [24.2, 24.4]
    assert np.isnan(x[2:]).all()


def test_streamed_counts_per_area_equal_the_in_memory_ones(
    sample: pd.DataFrame, tmp_path: Path, city_grid: gpd.GeoDataFrame
) -> None:
    from zzgeo.areas import prepare_areas

    part = prepare_areas(city_grid[["name", "geometry"]].iloc[::2])  # half of the city: many sites in no area
    path = tmp_path / "sites.parquet"
    sample.to_parquet(path)
    streamed = count_file(path, districts=part, year=2025, batch_rows=2_000)
    table = compute_indicators(load_layer("5g_sites"), year=2025, areas=part)
    assert streamed.counts.to_dict() == table.set_index("adcode")["sites"].iloc[:-1].to_dict()
    assert streamed.unassigned == table.attrs["unassigned"] > 0
