"""zzgeo.tables and provenance in exports: workbooks for people, stable CSV, GeoJSON/GeoPackage provenance."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest

import zzgeo
from zzgeo.export import export
from zzgeo.indicators import compute_indicators
from zzgeo.provenance import indicators_provenance, provenance_of
from zzgeo.tables import (
    INDICATOR_CSV_COLUMNS,
    csv_table,
    indicators_xlsx_bytes,
    people_table,
    ranking,
    write_indicators_xlsx,
)

NOW = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def sites() -> gpd.GeoDataFrame:
    return zzgeo.load_layer("5g_sites")


@pytest.fixture(scope="module")
def table(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    return compute_indicators(sites, year=2024, operators=["China Mobile", "China Telecom"])


def test_people_table_in_chinese(table: pd.DataFrame) -> None:
    people = people_table(table, "zh")
    assert list(people.columns[:3]) == ["行政区划代码", "区县", "常住人口（人）"]
    assert "每万人基站数（个/万人）" in people.columns
    assert "陆地面积（平方公里）" in people.columns
    assert people["区县"].iloc[-1] == "漳州市"  # the city row last
    per_10k = people["每万人基站数（个/万人）"]
    assert (per_10k == per_10k.round(1)).all()  # one decimal
    raw = table["sites_per_10k"].to_numpy()
    assert (abs(per_10k.to_numpy() - raw) <= 0.05 + 1e-9).all()
    assert pd.api.types.is_integer_dtype(people["5G基站数（个）"])  # counts are whole numbers
    assert pd.api.types.is_integer_dtype(people["每站服务人口（人/个）"])
    assert set(people["低于目标"]) <= {"是", "否"}
    assert (people["低于目标"] == "是").sum() == int(table["underserved"].sum())
    assert set(people["目标性质"]) == {"假设值"}  # 2024's target is our assumption


def test_people_table_in_english_says_units_once(table: pd.DataFrame) -> None:
    people = people_table(table, "en")
    assert "Sites per 10,000 residents" in people.columns  # the unit is in the title already
    assert "Land area (km²)" in people.columns
    assert "Sites still needed" in people.columns  # "sites" is in the title
    assert people["District"].iloc[0] == "Xiangcheng District"
    assert "of which proposed (sites)" not in people.columns  # no proposals: no column
    with_props = table.assign(proposed_sites=[1] * (len(table) - 1) + [11])
    assert "of which proposed (sites)" in people_table(with_props, "en").columns


def test_xlsx_for_people(sites, table: pd.DataFrame, tmp_path: Path) -> None:
    provenance = indicators_provenance(
        sites, year=2024, operators=["China Mobile", "China Telecom"], statuses=["in_service"], now=NOW
    )
    path = write_indicators_xlsx(table, tmp_path / "ind.xlsx", "zh", provenance)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["指标", "说明"]
    ws = wb["指标"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["行政区划代码", "区县"]
    col = header.index("每万人基站数（个/万人）") + 1
    under_col = header.index("低于目标") + 1
    for row in range(2, 2 + len(table)):
        cell = ws.cell(row=row, column=col)
        assert cell.number_format == "#,##0.0"
        assert cell.value == round(cell.value, 1)
        marked = ws.cell(row=row, column=under_col).value == "是"
        assert (ws.cell(row=row, column=1).fill.fgColor.rgb[-6:] == "FDE0DD") is marked  # underserved rows shaded
    about = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True) if r[0]}
    assert about["截至年份"] == "2024"
    assert "中国移动、中国电信" in about["筛选条件"]
    assert about["合成样例数据"].startswith("是")
    assert about["生成时间"].startswith("2026-03-14T09:30:00")
    assert "ISBN 978-7-5037-9772-9" in " ".join(str(r[1]) for r in wb["说明"].iter_rows(values_only=True))
    meanings = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert "站点数 ÷ 常住人口 × 10,000" in meanings["每万人基站数（个/万人）"]
    en = openpyxl.load_workbook(io.BytesIO(indicators_xlsx_bytes(table, "en", provenance)))
    assert en.sheetnames == ["Indicators", "About"]
    assert en["Indicators"].cell(row=1, column=2).value == "District"


def test_xlsx_keeps_text_from_imports_as_text(sites, table: pd.DataFrame) -> None:
    imported = sites.head(5).assign(synthetic=False, source='import: =HYPERLINK("http://x","click").csv')
    provenance = provenance_of({"5g_sites": imported}, zzgeo.load_population(), year=2024, now=NOW)
    wb = openpyxl.load_workbook(io.BytesIO(indicators_xlsx_bytes(table, "en", provenance)))
    cells = [c for row in wb["About"].iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells
    assert all(c.data_type == "s" for c in cells)  # never a formula
    assert all(not c.value.startswith("=") for c in cells)


def test_csv_columns_are_stable_and_chinese_on_request(table: pd.DataFrame) -> None:
    machine = csv_table(table)
    assert tuple(machine.columns) == INDICATOR_CSV_COLUMNS
    assert machine["sites_per_10k"].equals(table["sites_per_10k"])  # not rounded: machines read it
    zh = csv_table(table, "zh")
    assert list(zh.columns[:2]) == ["行政区划代码", "区县"]
    assert len(set(zh.columns)) == len(INDICATOR_CSV_COLUMNS)


def test_ranking_best_first(table: pd.DataFrame) -> None:
    ranked = ranking(table, "sites_per_10k")
    assert len(ranked) == 11
    assert ranked["sites_per_10k"].is_monotonic_decreasing
    assert ranked["rank"].iloc[0] == 1
    assert ranking(table, "residents_per_site")["residents_per_site"].is_monotonic_increasing


def _indicator_layer(table: pd.DataFrame) -> gpd.GeoDataFrame:
    districts = zzgeo.load_districts("display")[["adcode", "geometry"]]
    return gpd.GeoDataFrame(districts.merge(table, on="adcode"), geometry="geometry", crs="EPSG:4326")


def test_geojson_carries_provenance(sites, table: pd.DataFrame, tmp_path: Path) -> None:
    provenance = indicators_provenance(sites, year=2024, operators=["China Mobile", "China Telecom"], now=NOW)
    path = export(_indicator_layer(table), tmp_path / "ind.geojson", provenance=provenance)
    doc = json.loads(path.read_text(encoding="utf-8"))
    meta = doc["zzgeo"]
    assert meta["as_of_year"] == 2024
    assert meta["synthetic"] is True
    assert meta["filters"] == {"operators": ["China Mobile", "China Telecom"], "statuses": ["in_service"]}
    assert meta["target"]["status"] == "assumption"
    assert meta["layers"][0]["rows"] == len(
        zzgeo.filter_layer(sites, year=2024, operators=["China Mobile", "China Telecom"])
    )
    assert "SYNTHETIC" in doc["description"]
    assert len(doc["features"]) == 11
    if shutil.which("ogrinfo"):
        out = subprocess.run(["ogrinfo", "-so", "-al", str(path)], capture_output=True, text=True, check=True).stdout
        assert "DESCRIPTION=zzgeo:" in out  # GDAL (and so QGIS) reads it as the layer's description


def test_gpkg_carries_provenance(sites, table: pd.DataFrame, tmp_path: Path) -> None:
    provenance = indicators_provenance(sites, year=2024, now=NOW)
    path = export(_indicator_layer(table), tmp_path / "ind.gpkg", provenance=provenance)
    with sqlite3.connect(path) as db:
        (description,) = db.execute("select description from gpkg_contents where table_name = 'ind'").fetchone()
        metadata = " ".join(r[0] for r in db.execute("select metadata from gpkg_metadata"))
    assert description.startswith("zzgeo:")
    assert "as of 2024" in description
    assert "ZZGEO_SYNTHETIC" in metadata
    if shutil.which("ogrinfo"):
        out = subprocess.run(["ogrinfo", "-so", "-al", str(path)], capture_output=True, text=True, check=True).stdout
        assert "ZZGEO_SYNTHETIC=true" in out
        assert "ZZGEO_AS_OF_YEAR=2024" in out


def test_exports_without_provenance_are_unchanged(table: pd.DataFrame, tmp_path: Path) -> None:
    path = export(_indicator_layer(table), tmp_path / "plain.geojson")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert set(doc) == {"type", "features"}


def test_provenance_names_imported_files_and_mixed_layers(sites) -> None:
    mixed = pd.concat([sites.head(3), sites.head(2).assign(synthetic=False, source="import: my_sites.xlsx")])
    provenance = provenance_of({"5g_sites": mixed}, zzgeo.load_population(), year=2025, now=NOW)
    (layer,) = provenance.layers
    assert (layer.rows, layer.synthetic_rows, layer.imported_files) == (5, 3, ("my_sites.xlsx",))
    assert layer.what("en") == "synthetic sample + 2 imported rows"
    only_imports = mixed.iloc[3:]
    line = provenance_of({"5g_sites": only_imports}, zzgeo.load_population(), year=2025).lines("zh")[0]
    assert "用户导入数据（my_sites.xlsx）" in line
    assert not provenance_of({"5g_sites": only_imports}, zzgeo.load_population(), year=2025).synthetic
