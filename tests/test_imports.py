"""zzgeo.imports on the corpus in tests/data/import (see make_corpus.py), round trips, the CLI.

Each corpus file has a case below that states the exact problems (severity, row, column,
message), the accepted and rejected counts, and where relevant the header mapping and the
values read as aliases. Rejected rows must keep the values as they were in the file.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from zzgeo.cli import main
from zzgeo.crs import wgs84_to_bd09, wgs84_to_gcj02
from zzgeo.districts import load_districts, load_land
from zzgeo.errors import DataError, UnknownKeyError
from zzgeo.export import export
from zzgeo.imports import FORMATS, ImportResult, import_file, sniff_format
from zzgeo.layers import BANDS, OPERATORS, STATUSES, get_spec
from zzgeo.settings import get_settings
from zzgeo.workspace import Workspace

DATA = Path(__file__).parent / "data" / "import"
CJK = re.compile(r"[\u4e00-\u9fff]")  # a Chinese character

#: The known WGS-84 points the corpus converts to GCJ-02, BD-09 and projected systems.
POINTS = [
    (117.65, 24.51),
    (117.71, 24.50),
    (117.82, 24.45),
    (117.76, 24.62),
    (117.34, 23.96),
    (117.61, 24.12),
    (117.17, 23.71),
    (117.43, 23.70),
    (117.36, 24.52),
    (117.31, 24.36),
    (117.53, 25.00),
]

OPS = "(accepted: China Mobile, China Telecom, China Unicom, China Broadnet)"
NO_LONLAT = (
    "no longitude/latitude columns (found: {found}); accepted headers: "
    "lon/lng/long/longitude/经度/东经/x/easting/东坐标/x坐标 and lat/latitude/纬度/北纬/y/northing/北坐标/y坐标"
)
METRES = (
    "{x}, {y} look like projected metres, not degrees; choose the file's projected coordinate system "
    "(e.g. EPSG:4548 CGCS2000 Gauss-Krüger 117°E)"
)
SURVEY = (
    "{x}, {y} lie far from Zhangzhou as easting, northing but inside it the other way round "
    "— are X and Y swapped? (in Chinese survey coordinates X is the northing)"
)
#: Columns outside the spec are left out of the layer unless the import keeps them (keep_columns=True).
DROPPED = "column(s) {columns} are not part of 5g_sites; they are left out of the layer (to keep them: --keep-columns)"
KEPT = "column(s) {columns} are not part of 5g_sites; they are kept as they are"
EN = ["site_id", "operator", "status", "year_in_service", "lon", "lat"]
IDENTITY = [(c, c) for c in EN]
ZH = [("站号", "site_id"), ("运营商", "operator"), ("状态", "status"), ("年份", "year_in_service")]
ZH_LONLAT = [*ZH, ("经度", "lon"), ("纬度", "lat")]
VECTOR = [(c, c) for c in EN[:4]]
PLAN_TASKS = ", ".join(get_spec("smart_projects").column("plan_task").allowed)


@dataclass(frozen=True)
class Case:
    """One corpus file, how it is imported, and everything the import must report."""

    file: str
    problems: tuple[tuple[str, int | None, str | None, str], ...]
    accepted: int
    rejected: int
    kind: str = "5g_sites"
    crs: str | None = None
    layer: str | None = None
    fmt: str = "csv"
    crs_from_file: bool = False
    mapping: tuple[tuple[str, str], ...] | None = None
    normalized: tuple[tuple[str, str, str, int], ...] | None = None
    accepted_ids: tuple[str, ...] | None = None

    @property
    def id(self) -> str:
        return self.file + (f"[{self.layer}]" if self.layer else "")


CASES = [
    Case(
        "gbk_zh_headers.csv",
        (),
        5,
        0,
        mapping=(
            ("站号", "site_id"),
            ("运营商", "operator"),
            ("频段", "band"),
            ("状态", "status"),
            ("投用年份", "year_in_service"),
            ("经度", "lon"),
            ("纬度", "lat"),
        ),
        normalized=(
            ("operator", "中国移动", "China Mobile", 1),
            ("operator", "电信", "China Telecom", 1),
            ("operator", "联通", "China Unicom", 1),
            ("operator", "中国广电", "China Broadnet", 1),
            ("operator", "移动", "China Mobile", 1),
            ("band", "2.6GHz", "n41", 1),
            ("band", "3.5G", "n78", 1),
            ("band", "700MHz", "n28", 1),
            ("status", "在用", "in_service", 3),
            ("status", "在建", "under_construction", 1),
            ("status", "规划", "planned", 1),
        ),
        accepted_ids=("芗城-001", "龙文-002", "龙海-003", "长泰-004", "华安-005"),
    ),
    Case(
        "utf8_bom_en_aliases.csv",
        (),
        3,
        0,
        mapping=(
            ("Site ID", "site_id"),
            ("Carrier", "operator"),
            ("Status", "status"),
            ("Year", "year_in_service"),
            ("Longitude", "lon"),
            ("Latitude", "lat"),
        ),
        normalized=(
            ("operator", "CMCC", "China Mobile", 1),
            ("operator", "cucc", "China Unicom", 1),
            ("status", "In service", "in_service", 1),
            ("status", "under construction", "under_construction", 1),
            ("status", "Planned", "planned", 1),
        ),
        accepted_ids=("A-1", "A-2", "A-3"),
    ),
    Case(
        "gb18030_only_chars.csv",
        (),
        2,
        0,
        mapping=tuple(ZH_LONLAT),
        normalized=(
            ("operator", "中国移动", "China Mobile", 1),
            ("operator", "中国电信", "China Telecom", 1),
            ("status", "在用", "in_service", 2),
        ),
        accepted_ids=("𠮷祥-01", "䶮山-02"),
    ),
    Case(
        "headers_spaces_units.csv",
        (),
        1,
        0,
        mapping=(
            ("Site_ID", "site_id"),
            ("OPERATOR", "operator"),
            ("Status", "status"),
            ("年份（年）", "year_in_service"),
            ("LON", "lon"),
            ("Lat.", "lat"),
        ),
        normalized=(("operator", "中国 移动", "China Mobile", 1), ("status", "in-service", "in_service", 1)),
        accepted_ids=("B-1",),
    ),
    Case("semicolon_delimited.csv", (), 1, 0, mapping=tuple(IDENTITY), normalized=(), accepted_ids=("S1",)),
    Case("utf16_unicode_text.txt", (), 1, 0, mapping=tuple(IDENTITY), normalized=(), accepted_ids=("S1",)),
    Case(
        "swapped_latlon.csv",
        (
            ("error", 2, "lon/lat", "latitude 117.71 is not a latitude (lon 24.5) — are lat and lon swapped?"),
            ("error", 3, "lon/lat", "latitude 117.43 is not a latitude (lon 23.7) — are lat and lon swapped?"),
        ),
        1,
        2,
        mapping=tuple(IDENTITY),
        normalized=(),
        accepted_ids=("S1",),
    ),
    Case(
        "gcj02_amap.csv",
        (("warning", None, None, DROPPED.format(columns="name")),),
        11,
        0,
        crs="gcj02",
        mapping=(*ZH, ("lng", "lon"), ("lat", "lat")),
        normalized=(("operator", "中国联通", "China Unicom", 11), ("status", "在用", "in_service", 11)),
    ),
    Case(
        "bd09_baidu.csv",
        (),
        11,
        0,
        crs="百度",
        mapping=tuple(ZH_LONLAT),
        normalized=(("operator", "中国电信", "China Telecom", 11), ("status", "在建", "under_construction", 11)),
    ),
    Case(
        "cgcs2000_gk117.csv",
        (),
        4,
        0,
        crs="EPSG:4548",
        mapping=(*ZH, ("东坐标", "lon"), ("北坐标", "lat")),
        normalized=(("operator", "中国移动", "China Mobile", 4), ("status", "在用", "in_service", 4)),
    ),
    Case(
        "cgcs2000_gk_zone39.csv",
        (),
        4,
        0,
        crs="EPSG:4527",
        mapping=(*ZH, ("Easting", "lon"), ("Northing", "lat")),
    ),
    Case(
        "utm50n.csv",
        (),
        4,
        0,
        crs="EPSG:32650",
        mapping=(*IDENTITY[:4], ("x", "lon"), ("y", "lat")),
    ),
    Case(
        "survey_x_north.csv",
        (
            ("error", 1, "X/Y", SURVEY.format(x="2711932.257", y="565876.331")),
            ("error", 2, "X/Y", SURVEY.format(x="2710854.487", y="571963.113")),
        ),
        0,
        2,
        crs="EPSG:4548",
        mapping=(*ZH, ("X", "lon"), ("Y", "lat")),
    ),
    Case(
        "metres_without_crs.csv",
        (
            ("error", 1, "lon/lat", METRES.format(x="565876.331", y="2711932.257")),
            ("error", 2, "lon/lat", METRES.format(x="571963.113", y="2710854.487")),
        ),
        0,
        2,
    ),
    Case(
        "degrees_with_projected_crs.csv",
        (
            (
                "error",
                1,
                "lon/lat",
                "117.65, 24.51 look like degrees, but EPSG:4548 expects metres; choose WGS-84, GCJ-02 or BD-09",
            ),
            (
                "error",
                2,
                "lon/lat",
                "117.71, 24.5 look like degrees, but EPSG:4548 expects metres; choose WGS-84, GCJ-02 or BD-09",
            ),
        ),
        0,
        2,
        crs="EPSG:4548",
    ),
    Case(
        "missing_lon_column.csv",
        (("error", None, None, NO_LONLAT.format(found="site_id, operator, status, year_in_service, 纬度")),),
        0,
        1,
        mapping=tuple(IDENTITY[:4]),
    ),
    Case(
        "missing_nan_coords.csv",
        (
            ("error", 1, "lon", "missing coordinate"),
            ("error", 2, "lat", "'NaN' is not a number"),
            ("error", 3, "lat", "'北纬24.5' is not a number"),
            ("error", 3, "lon", "'117.65E' is not a number"),
            ("error", 5, "lat", "missing coordinate"),
            ("error", 5, "lon", "missing coordinate"),
        ),
        1,
        4,
        accepted_ids=("N4",),
    ),
    Case(
        "zero_zero.csv",
        (
            ("error", 1, "lon/lat", "coordinates are 0, 0 (missing?)"),
            ("error", 2, "lon/lat", "coordinates are 0, 0 (missing?)"),
        ),
        1,
        2,
        accepted_ids=("Z3",),
    ),
    Case(
        "outside_82km_west.csv",
        (
            (
                "error",
                2,
                "lon/lat",
                "outside Zhangzhou: 82.2 km west of the city boundary (over 50 km: wrong coordinates?)",
            ),
        ),
        1,
        1,
        accepted_ids=("O1",),
    ),
    Case(
        "outside_5km_north.csv",
        (
            (
                "warning",
                1,
                "lon/lat",
                "outside Zhangzhou: 5.0 km north of the city boundary; not counted in any district",
            ),
        ),
        2,
        0,
        accepted_ids=("O3", "O4"),
    ),
    Case(
        "outside_1km_offset_hint.csv",
        (
            (
                "warning",
                1,
                "lon/lat",
                "outside Zhangzhou: 1.0 km north of the city boundary; if the file comes from Amap/Tencent or Baidu, "
                "choose GCJ-02 or BD-09; not counted in any district",
            ),
        ),
        1,
        0,
    ),
    Case(
        "unknown_operator.csv",
        (
            ("error", 1, "operator", f"'China Mobil' is not allowed; did you mean 'China Mobile'? {OPS}"),
            ("error", 2, "operator", f"'中国铁通' is not allowed {OPS}"),
            ("error", 3, "operator", f"'Unicon' is not allowed; did you mean 'China Unicom'? {OPS}"),
        ),
        1,
        3,
        normalized=(("operator", "中国移动", "China Mobile", 1),),
        accepted_ids=("U4",),
    ),
    Case(
        "status_aliases.csv",
        (("error", 7, "status", "'停用' is not allowed (accepted: planned, under_construction, in_service)"),),
        6,
        1,
        normalized=(
            ("status", "在用", "in_service", 1),
            ("status", "在建", "under_construction", 1),
            ("status", "规划", "planned", 1),
            ("status", "已开通", "in_service", 1),
            ("status", "拟建", "planned", 1),
            ("status", "In Service", "in_service", 1),
        ),
    ),
    Case(
        "year_formats.csv",
        (("error", 7, "year_in_service", "'去年' is not a number"),),
        6,
        1,
        normalized=(
            ("year_in_service", "2021年", "2021", 1),
            ("year_in_service", "2021-06-30", "2021", 1),
            ("year_in_service", "2022/6", "2022", 1),
            ("year_in_service", "2023.0", "2023", 1),
            ("year_in_service", "2020年6月", "2020", 1),
            ("year_in_service", "2024-03-01 10:00:00", "2024", 1),
        ),
    ),
    Case(
        "year_out_of_range.csv",
        (
            ("error", 1, "year_in_service", "2015 is out of range (accepted: 2019 to 2035)"),
            ("error", 4, "year_in_service", "2036 is out of range (accepted: 2019 to 2035)"),
        ),
        2,
        2,
        accepted_ids=("R2", "R3"),
    ),
    Case(
        "duplicate_site_ids.csv",
        (
            ("error", 3, "site_id", "duplicate site_id 'A1' (first in row 1)"),
            ("error", 4, "site_id", "duplicate site_id 'A1' (first in row 1)"),
        ),
        2,
        2,
        accepted_ids=("A1", "A2"),
    ),
    Case(
        "missing_required_column.csv",
        (
            (
                "error",
                None,
                None,
                "missing required column(s) status (required: site_id, operator, status, year_in_service)",
            ),
        ),
        0,
        2,
        mapping=(*IDENTITY[:2], *IDENTITY[3:]),
    ),
    Case(
        "extra_and_duplicate_headers.csv",
        (
            ("warning", None, None, DROPPED.format(columns="编号, 备注")),
            ("warning", None, "编号", "column '编号' also means site_id (already taken by '站号'); it is kept as is"),
        ),
        1,
        0,
        mapping=tuple(ZH_LONLAT),
    ),
    Case("header_only.csv", (("error", None, None, "the file has no rows"),), 0, 0, mapping=tuple(IDENTITY[:4])),
    Case("xlsx_saved_as.csv", (), 2, 0, fmt="xlsx", mapping=tuple(IDENTITY), accepted_ids=("X1", "X2")),
    Case("geojson_saved_as.txt", (), 2, 0, fmt="geojson", mapping=tuple(VECTOR), accepted_ids=("ZZ-001", "ZZ-002")),
    Case(
        "shapefile_gk117_gbk.zip",
        (),
        3,
        0,
        crs="gcj02",  # the .prj wins
        fmt="shapefile",
        crs_from_file=True,
        mapping=(*ZH[:3], ("投用年份", "year_in_service")),
        normalized=(
            ("operator", "中国移动", "China Mobile", 1),
            ("operator", "联通", "China Unicom", 1),
            ("operator", "中国电信", "China Telecom", 1),
            ("status", "在用", "in_service", 1),
            ("status", "在建", "under_construction", 1),
            ("status", "规划", "planned", 1),
        ),
        accepted_ids=("漳州芗城一号", "龙文二号", "东山岛三号"),
    ),
    Case(
        "two_layers.gpkg",
        (),
        3,
        0,
        layer="sites_wgs84",
        fmt="gpkg",
        crs_from_file=True,
        mapping=tuple(VECTOR),
        accepted_ids=("ZZ-001", "ZZ-002", "ZZ-003"),
    ),
    Case(
        "two_layers.gpkg",
        (),
        2,
        0,
        layer="sites_gk117",
        fmt="gpkg",
        crs_from_file=True,
        accepted_ids=("ZZ-003", "ZZ-004"),
    ),
    Case(
        "linestring_among_points.geojson",
        (("error", 3, "geometry", "LineString geometry (accepted: Point)"),),
        2,
        1,
        fmt="geojson",
        accepted_ids=("G1", "G2"),
    ),
    Case(
        "crs_member_3857.geojson",
        (),
        3,
        0,
        crs="gcj02",  # the file's crs member wins
        fmt="geojson",
        crs_from_file=True,
        accepted_ids=("G1", "G2", "G3"),
    ),
    Case("gcj02_no_crs.geojson", (), 4, 0, crs="gcj02", fmt="geojson", accepted_ids=("G1", "G2", "G3", "G4")),
    Case(
        "bowtie_polygon.geojson",
        (
            ("warning", 2, "geometry", "invalid polygon (Self-intersection[117.61 24.51]) repaired"),
            ("error", 2, "geometry", "MultiPolygon geometry (accepted: Point)"),
        ),
        1,
        1,
        fmt="geojson",
        accepted_ids=("G1",),
    ),
    Case(
        "geoparquet_gk117.parquet",
        (),
        3,
        0,
        fmt="parquet",
        crs_from_file=True,
        mapping=tuple(VECTOR),
        accepted_ids=("ZZ-001", "ZZ-002", "ZZ-003"),
    ),
    Case(
        "plain_lonlat.parquet",
        (),
        3,
        0,
        fmt="parquet",
        mapping=tuple(IDENTITY),
        normalized=(
            ("operator", "中国移动", "China Mobile", 1),
            ("operator", "中国联通", "China Unicom", 1),
            ("status", "在用", "in_service", 1),
            ("status", "在建", "under_construction", 1),
        ),
        accepted_ids=("P1", "P2", "P3"),
    ),
    Case(
        "excel_zh_headers.xlsx",
        (),
        3,
        0,
        fmt="xlsx",
        mapping=(
            ("站点编号", "site_id"),
            ("所属运营商", "operator"),
            ("建设状态", "status"),
            ("开通日期", "year_in_service"),
            ("经度", "lon"),
            ("纬度", "lat"),
        ),
        normalized=(
            ("operator", "中国移动", "China Mobile", 1),
            ("operator", "中国联通", "China Unicom", 1),
            ("operator", "中国电信", "China Telecom", 1),
            ("status", "已开通", "in_service", 1),
            ("status", "建设中", "under_construction", 1),
            ("status", "规划", "planned", 1),
            ("year_in_service", "2021-06-30 00:00:00", "2021", 1),
            ("year_in_service", "2025-01-15 00:00:00", "2025", 1),
        ),
        accepted_ids=("漳浦-01", "诏安-02", "平和-03"),
    ),
    Case(
        "xss_in_name.csv",
        (),
        2,
        0,
        kind="data_centers",
        mapping=(("name", "name"), ("name_en", "name_en"), ("status", "status"), ("year", "year"), *IDENTITY[4:]),
        normalized=(),
        accepted_ids=("<img src=x onerror=alert(1)>", "漳州云计算中心 & <b>数据</b>"),
    ),
    Case(
        "data_centers_zh.csv",
        (
            ("error", 2, "pue", "0.9 is out of range (accepted: 1.0 to 3.0)"),
            ("error", 2, "racks", "'200.5' is not a whole number"),
            ("error", 3, "power_mw", "-1 is out of range (accepted: 0 to ∞)"),
            ("error", 3, "racks", "'一百' is not a number"),
        ),
        1,
        2,
        kind="data_centers",
        mapping=(
            ("数据中心名称", "name"),
            ("状态", "status"),
            ("建成年份", "year"),
            ("机架数", "racks"),
            ("电力容量（MW）", "power_mw"),
            ("PUE", "pue"),
            ("经度", "lon"),
            ("纬度", "lat"),
        ),
        normalized=(
            ("status", "在用", "in_service", 1),
            ("status", "在建", "under_construction", 1),
            ("status", "规划", "planned", 1),
            ("year", "2021年", "2021", 1),
        ),
        accepted_ids=("漳州云计算中心",),
    ),
    Case(
        "smart_projects_typos.csv",
        (
            (
                "error",
                1,
                "plan_task",
                f"'smart_trasport' is not allowed; did you mean 'smart_transport'? (accepted: {PLAN_TASKS})",
            ),
        ),
        2,
        1,
        kind="smart_projects",
        normalized=(("budget", "1,200", "1200", 1),),
        accepted_ids=("智慧水利", "工业大脑"),
    ),
    Case("size_limit.csv", (), 11, 0, mapping=tuple(IDENTITY)),
]

#: Files that cannot be imported at all: the exact message (the file is named first).
UNREADABLE = {
    "empty.csv": "empty.csv: the file is empty",
    "legacy_excel.xls": (
        "legacy_excel.xls: an old Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV and try again"
    ),
    "lone.shp": (
        "lone.shp: a lone .shp file; a Shapefile needs its .shx, .dbf (and .prj) too: upload them as one .zip"
    ),
    "no_shapefile_inside.zip": (
        "no_shapefile_inside.zip: a zip file without a Shapefile (.shp) inside; found readme.txt, sites.csv"
    ),
    "damaged.zip": "damaged.zip: a damaged zip file (File is not a zip file)",
    # GDAL words the rest of this message; the part zzgeo writes is checked.
    "broken.geojson": "broken.geojson: not a readable geojson file (",
    "two_layers.gpkg": "two_layers.gpkg: the GeoPackage has 2 layers; choose one of: sites_wgs84, sites_gk117",
}


def _corpus_files() -> list[str]:
    """The generated files (not the script, caches or hidden files)."""
    return sorted(p.name for p in DATA.iterdir() if p.is_file() and p.suffix != ".py" and not p.name.startswith("."))


def _import(case: Case) -> ImportResult:
    return import_file(DATA / case.file, case.kind, case.crs, layer=case.layer)


def _csv_rows(path: Path) -> tuple[list[str], list[list[str | None]]]:
    """The file's header and rows, read with the csv module (independently of zzgeo)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    rows = list(csv.reader(io.StringIO(text), skipinitialspace=True))
    header = [h.strip() for h in rows[0]]
    return header, [[v if v != "" else None for v in row] for row in rows[1:]]


def _plain(value: object) -> object:
    """A cell as a comparable Python value (NaN/NA -> None, NumPy scalars -> Python)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _expected_problem_text(case: Case, row: int) -> str:
    parts = [
        f"{column}: {message}" if column else message
        for severity, r, column, message in case.problems
        if severity == "error" and (r is None or r == row)
    ]
    return "; ".join(parts)


def test_every_corpus_file_has_a_case() -> None:
    files = set(_corpus_files())
    covered = {c.file for c in CASES} | set(UNREADABLE)
    assert files == covered
    assert len(files) >= 30
    assert all(p.stat().st_size < 10_240 for p in DATA.iterdir() if p.name in files)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_corpus_file(case: Case, tmp_path: Path) -> None:
    result = _import(case)
    assert [(p.severity, p.row, p.column, p.message.en) for p in result.problems] == list(case.problems)
    assert {p.file for p in result.problems} <= {case.file}
    for p in result.problems:  # each has its Chinese text too (zzgeo.messages)
        assert p.message.zh, f"no Chinese for {p.message.en!r}"
        assert CJK.search(p.message.zh), p.message.zh
        assert p.text("zh") == p.message.zh
        assert p.text("en") == p.message.en
    assert result.fmt == case.fmt
    assert result.crs_from_file is case.crs_from_file
    assert len(result.layer) == case.accepted
    assert len(result.rejected) == case.rejected
    assert result.summary() == (
        f"{case.file}: {result.rows_total} row(s) read as {case.kind}; {case.accepted} accepted, "
        f"{case.rejected} rejected; {len(result.errors)} error(s), {len(result.warnings)} warning(s)"
    )
    if case.mapping is not None:
        assert result.mapping == list(case.mapping)
    if case.normalized is not None:
        assert result.normalized == list(case.normalized)
    # The report lists every problem as "severity: file, row, column: message", then the summary.
    report = result.report_lines()
    assert [line for line in report if line.startswith(("error: ", "warning: "))] == [
        f"{p.severity}: {p}" for p in result.problems
    ]
    assert report[-1] == result.summary()

    spec = get_spec(case.kind)
    layer = result.layer
    assert layer.crs == "EPSG:4326"
    if case.accepted:
        assert (layer.geom_type == "Point").all()
        assert layer[spec.year_column].dtype == "Int64"
        for col in spec.columns:
            if col.allowed and col.name in layer.columns:
                assert set(layer[col.name].dropna()) <= set(col.allowed)
    if case.accepted_ids is not None:
        assert list(layer[spec.id_column]) == list(case.accepted_ids)

    # Rejected rows: the row numbers the errors name, the values as they were, a problem column.
    error_rows = {p[1] for p in case.problems if p[0] == "error"}
    file_error = None in error_rows
    expected_rows = list(range(1, result.rows_total + 1)) if file_error else sorted(r for r in error_rows if r)
    if case.rejected:
        assert list(result.rejected["row"]) == expected_rows
        assert list(result.rejected.columns[[0, -1]]) == ["row", "problem"]
        for _, rej in result.rejected.iterrows():
            assert rej["problem"] == _expected_problem_text(case, int(rej["row"]))
        if case.fmt == "csv":
            header, rows = _csv_rows(DATA / case.file)
            assert list(result.rejected.columns[1:-1]) == header
            for _, rej in result.rejected.iterrows():
                original = rows[int(rej["row"]) - 1]
                assert [_plain(v) for v in rej.iloc[1:-1]] == original
        # The rejected CSV: UTF-8 with BOM, the same rows and columns.
        out = result.rejected_csv(tmp_path / "rejected.csv")
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")
        back = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(back.columns) == [str(c) for c in result.rejected.columns]
        expected = result.rejected.astype(object).where(result.rejected.notna(), "").astype(str)
        assert back.to_numpy().tolist() == expected.to_numpy().tolist()
    else:
        assert result.rejected.empty


@pytest.mark.parametrize(("file", "message"), list(UNREADABLE.items()))
def test_unreadable_corpus_file(file: str, message: str) -> None:
    with pytest.raises(DataError) as exc:
        import_file(DATA / file, "5g_sites")
    if message.endswith("("):
        assert str(exc.value).startswith(message)
    else:
        assert str(exc.value) == message
    # and why, in Chinese: the file first, as in English
    assert exc.value.message.zh
    assert exc.value.message.zh.startswith(file)
    assert CJK.search(exc.value.message.zh)
    assert exc.value.text("zh") == exc.value.message.zh
    assert exc.value.text("en") == str(exc.value)


# ---------------------------------------------------------------------------------------------
# What the table cannot say: positions, preserved values, file CRS, layer choice, size limit
# ---------------------------------------------------------------------------------------------


def _lonlat(layer: gpd.GeoDataFrame) -> np.ndarray:
    return np.column_stack([layer.geometry.x, layer.geometry.y])


@pytest.mark.parametrize(
    ("file", "crs", "forward"),
    [("gcj02_amap.csv", "gcj02", wgs84_to_gcj02), ("bd09_baidu.csv", "bd09", wgs84_to_bd09)],
)
def test_gcj02_and_bd09_give_the_original_wgs84_points(file: str, crs: str, forward) -> None:
    truth = np.array(POINTS)
    result = import_file(DATA / file, "5g_sites", crs)
    np.testing.assert_allclose(_lonlat(result.layer), truth, rtol=0, atol=1e-7)
    assert result.crs_name == {"gcj02": "GCJ-02 (Amap/Gaode, Tencent)", "bd09": "BD-09 (Baidu)"}[crs]
    # The file really holds shifted coordinates: read as WGS-84 they are hundreds of metres off.
    as_wgs84 = import_file(DATA / file, "5g_sites")
    shifted = _lonlat(as_wgs84.layer)
    np.testing.assert_allclose(shifted, np.column_stack(forward(truth[:, 0], truth[:, 1])), rtol=0, atol=1e-9)
    assert np.abs(shifted - truth).max() > 0.002


@pytest.mark.parametrize(
    ("file", "crs"),
    [("cgcs2000_gk117.csv", "EPSG:4548"), ("cgcs2000_gk_zone39.csv", "EPSG:4527"), ("utm50n.csv", "EPSG:32650")],
)
def test_projected_coordinates_match_pyproj(file: str, crs: str) -> None:
    result = import_file(DATA / file, "5g_sites", crs)
    np.testing.assert_allclose(_lonlat(result.layer), np.array(POINTS[:4]), rtol=0, atol=1e-7)
    table = pd.read_csv(DATA / file)
    x, y = table.iloc[:, 4].to_numpy(), table.iloc[:, 5].to_numpy()
    lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)
    np.testing.assert_allclose(_lonlat(result.layer), np.column_stack([lon, lat]), rtol=0, atol=1e-9)


def test_file_crs_wins_over_the_users_choice() -> None:
    for file, layer in [("crs_member_3857.geojson", None), ("shapefile_gk117_gbk.zip", None)]:
        chosen = import_file(DATA / file, "5g_sites", "bd09", layer=layer)
        default = import_file(DATA / file, "5g_sites", layer=layer)
        assert chosen.crs_from_file
        np.testing.assert_array_equal(_lonlat(chosen.layer), _lonlat(default.layer))
    result = import_file(DATA / "crs_member_3857.geojson", "5g_sites", "gcj02")
    assert result.crs_name == "WGS 84 / Pseudo-Mercator"
    np.testing.assert_allclose(_lonlat(result.layer), np.array(POINTS[:3]), rtol=0, atol=1e-8)
    shp = import_file(DATA / "shapefile_gk117_gbk.zip", "5g_sites", "gcj02")
    assert shp.crs.to_epsg() == 4548
    np.testing.assert_allclose(_lonlat(shp.layer), [POINTS[0], POINTS[1], POINTS[7]], rtol=0, atol=1e-7)
    assert "coordinates: CGCS2000 / 3-degree Gauss-Kruger CM 117E (from the file), converted to WGS-84" in (
        shp.report_lines()
    )


def test_geojson_without_crs_member_follows_the_users_choice() -> None:
    result = import_file(DATA / "gcj02_no_crs.geojson", "5g_sites", "高德")
    assert not result.crs_from_file
    np.testing.assert_allclose(_lonlat(result.layer), np.array(POINTS[4:8]), rtol=0, atol=1e-7)


def test_geopackage_layers_and_their_crs() -> None:
    wgs = import_file(DATA / "two_layers.gpkg", "5g_sites", layer="sites_wgs84")
    gk = import_file(DATA / "two_layers.gpkg", "5g_sites", layer="sites_gk117")
    np.testing.assert_allclose(_lonlat(wgs.layer), np.array(POINTS[:3]), rtol=0, atol=1e-9)
    np.testing.assert_allclose(_lonlat(gk.layer), np.array(POINTS[2:4]), rtol=0, atol=1e-7)
    assert gk.crs.to_epsg() == 4548
    with pytest.raises(DataError) as exc:
        import_file(DATA / "two_layers.gpkg", "5g_sites", layer="sites")
    assert str(exc.value) == "two_layers.gpkg: no layer 'sites'; layers: sites_wgs84, sites_gk117"


def test_geoparquet_crs_comes_from_the_file() -> None:
    result = import_file(DATA / "geoparquet_gk117.parquet", "5g_sites", "gcj02")
    assert result.crs.to_epsg() == 4548
    np.testing.assert_allclose(_lonlat(result.layer), np.array(POINTS[:3]), rtol=0, atol=1e-7)


def test_shapefile_gbk_attributes_are_decoded() -> None:
    result = import_file(DATA / "shapefile_gk117_gbk.zip", "5g_sites")
    with zipfile.ZipFile(DATA / "shapefile_gk117_gbk.zip") as zf:
        assert zf.read("基站.cpg") == b"GBK"
        assert zf.read("基站.prj").startswith(b'PROJCS["CGCS2000_3_Degree_GK_CM_117E"')
        assert "漳州芗城一号".encode("gbk") in zf.read("基站.dbf")
    assert list(result.layer["operator"]) == ["China Mobile", "China Unicom", "China Telecom"]
    assert list(result.layer["year_in_service"]) == [2021, 2024, 2027]


def test_rejected_vector_rows_keep_their_geometry() -> None:
    result = import_file(DATA / "bowtie_polygon.geojson", "5g_sites")
    doc = json.loads((DATA / "bowtie_polygon.geojson").read_text(encoding="utf-8"))
    feature = doc["features"][1]
    rejected = result.rejected.iloc[0]
    assert {k: _plain(rejected[k]) for k in feature["properties"]} == feature["properties"]
    # The polygon as it was in the file, not the repaired one.
    assert shapely.from_wkt(rejected["wkt"]).equals(shapely.geometry.shape(feature["geometry"]))
    assert not shapely.from_wkt(rejected["wkt"]).is_valid
    line = import_file(DATA / "linestring_among_points.geojson", "5g_sites").rejected
    assert list(line.columns) == ["row", *EN[:4], "wkt", "problem"]
    assert line["wkt"].iloc[0] == "LINESTRING (117.6 24.5, 117.7 24.6)"


def test_html_in_names_is_kept_verbatim(tmp_path: Path) -> None:
    result = import_file(DATA / "xss_in_name.csv", "data_centers")
    assert list(result.layer["name_en"]) == ['<script>alert("x")</script>', "Zhangzhou Cloud"]
    assert result.layer["name"].iloc[0] == "<img src=x onerror=alert(1)>"
    # ... also through the workspace and back.
    ws = Workspace(tmp_path / "ws.gpkg")
    entry = ws.add(result)
    assert list(ws.load(entry)["name"]) == list(result.layer["name"])


def test_values_in_kept_unknown_columns_are_not_changed() -> None:
    result = import_file(DATA / "extra_and_duplicate_headers.csv", "5g_sites", keep_columns=True)
    assert result.layer[["编号", "备注"]].iloc[0].tolist() == ["0001", "楼顶"]
    assert next(p.message.en for p in result.warnings) == KEPT.format(columns="编号, 备注")
    assert result.dropped == []


def test_unknown_columns_are_dropped_by_default_and_listed() -> None:
    result = import_file(DATA / "extra_and_duplicate_headers.csv", "5g_sites")
    assert "编号" not in result.layer.columns
    assert "备注" not in result.layer.columns
    assert result.dropped == ["编号", "备注"]
    assert f"warning: extra_and_duplicate_headers.csv: {DROPPED.format(columns='编号, 备注')}" in result.report_lines()
    zh = result.warnings[0].message.zh
    assert zh == "列 编号, 备注 不属于 5g_sites；这些列未导入图层（如需保留：--keep-columns）"
    layer = import_file(DATA / "gcj02_amap.csv", "5g_sites", "gcj02").layer
    assert list(layer.columns) == ["site_id", "operator", "status", "year_in_service", "geometry"]


def test_header_only_and_semicolon_report_lines() -> None:
    header_only = import_file(DATA / "header_only.csv", "5g_sites")
    assert header_only.report_lines()[-2:] == [
        "error: header_only.csv: the file has no rows",
        "header_only.csv: 0 row(s) read as 5g_sites; 0 accepted, 0 rejected; 1 error(s), 0 warning(s)",
    ]
    semicolon = import_file(DATA / "semicolon_delimited.csv", "5g_sites")
    assert "column 'lon'" in semicolon.report_lines()
    assert semicolon.layer.geometry.x.tolist() == [117.65]


def test_size_limit() -> None:
    path = DATA / "size_limit.csv"
    size = path.stat().st_size
    with pytest.raises(DataError) as exc:
        import_file(path, "5g_sites", max_bytes=size - 1)
    assert str(exc.value) == f"size_limit.csv: {size} bytes is over the size limit of {size - 1} bytes"
    assert len(import_file(path, "5g_sites", max_bytes=size).layer) == 11


def test_size_limit_from_settings(fresh_settings: pytest.MonkeyPatch) -> None:
    fresh_settings.setenv("ZZGEO_MAX_UPLOAD_MB", "0.0002")  # 200 bytes
    # The upload limit guards the server (it passes the setting); local files are read at any size.
    assert len(import_file(DATA / "size_limit.csv", "5g_sites").layer) == 11
    with pytest.raises(DataError) as exc:
        import_file(DATA / "size_limit.csv", "5g_sites", max_bytes=get_settings().max_upload_bytes)
    assert str(exc.value) == "size_limit.csv: 541 bytes is over the size limit of 200 bytes"


def test_upload_name_is_reported(tmp_path: Path) -> None:
    result = import_file(DATA / "duplicate_site_ids.csv", "5g_sites", name="上传.csv")
    assert {p.file for p in result.problems} == {"上传.csv"}
    with pytest.raises(DataError) as exc:
        import_file(DATA / "empty.csv", "5g_sites", name="上传.csv")
    assert str(exc.value) == "上传.csv: the file is empty"


@pytest.mark.parametrize(
    ("file", "fmt"),
    [
        ("xlsx_saved_as.csv", "xlsx"),
        ("geojson_saved_as.txt", "geojson"),
        ("two_layers.gpkg", "gpkg"),
        ("geoparquet_gk117.parquet", "parquet"),
        ("shapefile_gk117_gbk.zip", "shapefile"),
        ("gbk_zh_headers.csv", "csv"),
    ],
)
def test_sniff_format_reads_content_not_names(file: str, fmt: str, tmp_path: Path) -> None:
    assert sniff_format(DATA / file) == fmt
    renamed = tmp_path / "upload.dat"
    renamed.write_bytes((DATA / file).read_bytes())
    assert sniff_format(renamed) == fmt


def test_unknown_kind_and_crs_list_the_choices() -> None:
    with pytest.raises(UnknownKeyError, match="valid: 5g_sites, data_centers, smart_projects"):
        import_file(DATA / "size_limit.csv", "sites")
    with pytest.raises(UnknownKeyError, match="valid: wgs84, cgcs2000, gcj02, bd09"):
        import_file(DATA / "size_limit.csv", "5g_sites", "mars")


def test_missing_file() -> None:
    with pytest.raises(DataError) as exc:
        import_file(DATA / "nope.csv", "5g_sites")
    assert str(exc.value) == "nope.csv: file not found"


def test_corpus_script_regenerates_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("make_corpus", DATA / "make_corpus.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == _corpus_files()
    for name in made:
        # After upgrading GDAL, pyarrow or openpyxl: .venv/bin/python tests/data/import/make_corpus.py
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), f"{name} differs: regenerate the corpus"


# ---------------------------------------------------------------------------------------------
# Round trips: a valid layer -> export -> import gives the same features
# ---------------------------------------------------------------------------------------------


@functools.cache
def _inland_points(n: int = 300, seed: int = 3506) -> np.ndarray:
    """``n`` points well inside both the district polygons and the land outline."""
    land = shapely.union_all(load_land().geometry.to_numpy())
    city = shapely.union_all(load_districts("full").geometry.to_numpy())
    inside = shapely.intersection(land, city).buffer(-0.002)
    shapely.prepare(inside)
    west, south, east, north = inside.bounds
    rng = np.random.default_rng(seed)
    out: list[tuple[float, float]] = []
    while len(out) < n:
        xs, ys = rng.uniform(west, east, 200), rng.uniform(south, north, 200)
        keep = shapely.contains_xy(inside, xs, ys)
        out += list(zip(xs[keep], ys[keep], strict=True))
    return np.array(out[:n])


ID_ALPHABET = "漳州芗城龙文海长泰云霄浦诏安东山南靖平和华基站号𠮷ABCXYZabcxyz0123456789-_#,;'\" "
TRICKY_IDS = ["NaN", "null", "None", "007", "1e5", "2021", "=1+1", "<b>x</b>", "a\tb", "中国移动"]


@st.composite
def site_layers(draw: st.DrawFn) -> gpd.GeoDataFrame:
    """A valid 5g_sites layer of 1-8 rows at random points inside Zhangzhou's land."""
    n = draw(st.integers(1, 8))
    site_id = st.one_of(st.text(ID_ALPHABET, min_size=1, max_size=12).map(str.strip).filter(bool),
                        st.sampled_from(TRICKY_IDS))  # fmt: skip
    ids = draw(st.lists(site_id, min_size=n, max_size=n, unique=True))
    inland = _inland_points()
    points = inland[draw(st.lists(st.integers(0, len(inland) - 1), min_size=n, max_size=n))]
    return gpd.GeoDataFrame(
        {
            "site_id": ids,
            "operator": draw(st.lists(st.sampled_from(list(OPERATORS)), min_size=n, max_size=n)),
            "band": draw(st.lists(st.sampled_from([*BANDS, None]), min_size=n, max_size=n)),
            "status": draw(st.lists(st.sampled_from(list(STATUSES)), min_size=n, max_size=n)),
            "year_in_service": draw(st.lists(st.integers(2019, 2035), min_size=n, max_size=n)),
        },
        geometry=gpd.points_from_xy(points[:, 0], points[:, 1]),
        crs="EPSG:4326",
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layer=site_layers())
def test_export_import_round_trip(layer: gpd.GeoDataFrame) -> None:
    for fmt in ("geojson", "gpkg", "csv"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"sites.{fmt}"
            export(layer, path, fmt)
            result = import_file(path, "5g_sites")
        assert result.problems == [], fmt
        assert result.rejected.empty
        got = result.layer
        assert list(got["site_id"]) == list(layer["site_id"]), fmt
        for col in ("operator", "status"):
            assert list(got[col]) == list(layer[col])
        assert [_plain(v) for v in got["band"]] == [_plain(v) for v in layer["band"]]
        assert list(got["year_in_service"]) == list(layer["year_in_service"])
        np.testing.assert_allclose(_lonlat(got), _lonlat(layer), rtol=0, atol=1e-6)


# ---------------------------------------------------------------------------------------------
# The command line: zzgeo validate / import / workspace
# ---------------------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_clean_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(DATA / "gbk_zh_headers.csv"), "--kind", "5g_sites")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"format: {FORMATS['csv']}"
    assert "column '站号' -> site_id" in lines
    assert "value '中国移动' in operator read as 'China Mobile' (1 row(s))" in lines
    assert lines[-1] == "valid as 5g_sites"
    assert err == ""


def test_validate_warnings_only_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(DATA / "outside_5km_north.csv"), "--kind", "5g_sites")
    assert code == 0
    assert (
        "warning: outside_5km_north.csv, row 1, column lon/lat: outside Zhangzhou: 5.0 km north of the city "
        "boundary; not counted in any district"
    ) in out.splitlines()
    assert out.splitlines()[-1] == "valid as 5g_sites"


def test_validate_errors_exit_1_and_write_rejected(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_csv = tmp_path / "rejected.csv"
    code, out, _ = run(
        capsys, "validate", str(DATA / "duplicate_site_ids.csv"), "--kind", "5g_sites", "--rejected", str(out_csv)
    )
    assert code == 1
    lines = out.splitlines()
    assert "error: duplicate_site_ids.csv, row 3, column site_id: duplicate site_id 'A1' (first in row 1)" in lines
    assert "INVALID: rows with errors are rejected" in lines
    assert lines[-1] == f"wrote 2 rejected row(s) with a 'problem' column to {out_csv}"
    assert out_csv.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(out_csv, encoding="utf-8-sig", dtype=str)
    assert back.to_dict(orient="records") == [
        {
            "row": "3",
            "site_id": "A1",
            "operator": "China Unicom",
            "status": "in_service",
            "year_in_service": "2022",
            "lon": "117.82",
            "lat": "24.45",
            "problem": "site_id: duplicate site_id 'A1' (first in row 1)",
        },
        {
            "row": "4",
            "site_id": "A1",
            "operator": "China Telecom",
            "status": "in_service",
            "year_in_service": "2023",
            "lon": "117.76",
            "lat": "24.62",
            "problem": "site_id: duplicate site_id 'A1' (first in row 1)",
        },
    ]


def test_validate_with_crs_choice(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(DATA / "gcj02_amap.csv"), "--kind", "5g_sites", "--crs", "高德")
    assert code == 0
    assert "coordinates: GCJ-02 (Amap/Gaode, Tencent) (as chosen), converted to WGS-84" in out.splitlines()
    code, out, _ = run(
        capsys, "validate", str(DATA / "degrees_with_projected_crs.csv"), "--kind", "5g_sites", "--crs", "EPSG:4548"
    )
    assert code == 1


def test_validate_gpkg_layer_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", str(DATA / "two_layers.gpkg"), "--kind", "5g_sites")
    assert code == 1
    assert err == (
        "zzgeo: error: two_layers.gpkg: the GeoPackage has 2 layers; choose one of: sites_wgs84, sites_gk117\n"
    )
    code, out, _ = run(
        capsys, "validate", str(DATA / "two_layers.gpkg"), "--kind", "5g_sites", "--layer", "sites_gk117"
    )
    assert code == 0
    assert "two_layers.gpkg: 2 row(s) read as 5g_sites; 2 accepted, 0 rejected; 0 error(s), 0 warning(s)" in out


def test_validate_unreadable_file_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(DATA / "empty.csv"), "--kind", "5g_sites")
    assert code == 1
    assert out == ""
    assert err == "zzgeo: error: empty.csv: the file is empty\n"


def test_validate_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate", str(DATA / "size_limit.csv"), "--kind", "5g"])
    assert exc.value.code == 2
    assert "invalid choice: '5g'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["validate", str(DATA / "size_limit.csv")])
    assert exc.value.code == 2
    for command in ("validate", "import"):
        code, out, err = run(capsys, command, str(DATA / "size_limit.csv"), "--kind", "5g_sites", "--crs", "mars")
        assert code == 2
        assert out == ""
        assert err.startswith("usage: zzgeo")
        assert err.splitlines()[-1] == (
            "zzgeo: error: unknown coordinate system 'mars'; valid: wgs84, cgcs2000, gcj02, bd09, EPSG:4548, "
            "EPSG:4549, EPSG:4527, EPSG:32650, EPSG:<code>"
        )


def test_cli_import_and_workspace(capsys: pytest.CaptureFixture[str], fresh_settings, tmp_path: Path) -> None:
    ws_path = tmp_path / "ws" / "workspace.gpkg"
    fresh_settings.setenv("ZZGEO_WORKSPACE", str(ws_path))
    code, out, _ = run(capsys, "workspace", "list")
    assert code == 0
    assert out == f"workspace {ws_path}: 0 import(s)\n"

    code, out, _ = run(capsys, "import", str(DATA / "gbk_zh_headers.csv"), "--kind", "5g_sites")
    assert code == 0
    first = re.fullmatch(
        rf"imported 5 row\(s\) as 5g_sites \(added to the sample\) into {re.escape(str(ws_path))}, id (\w+)",
        out.splitlines()[-1],
    )
    assert first
    rejected = tmp_path / "rej.csv"
    code, out, _ = run(
        capsys,
        "import",
        str(DATA / "year_out_of_range.csv"),
        "--kind",
        "5g_sites",
        "--replace",
        "--rejected",
        str(rejected),
    )
    assert code == 0
    second = re.search(r"\(replacing the sample\) into .*, id (\w+)$", out.splitlines()[-1])
    assert second
    assert len(pd.read_csv(rejected, encoding="utf-8-sig")) == 2

    entries = Workspace(ws_path).entries()
    assert list(entries["id"]) == [first[1], second[1]]
    assert list(entries["file"]) == ["gbk_zh_headers.csv", "year_out_of_range.csv"]
    assert list(entries["rows_accepted"]) == [5, 2]
    assert list(entries["rows_rejected"]) == [0, 2]
    assert list(entries["mode"]) == ["add", "replace"]

    code, out, _ = run(capsys, "workspace", "list")
    assert code == 0
    assert out.splitlines()[0] == f"workspace {ws_path}: 2 import(s)"
    assert first[1] in out
    assert second[1] in out

    code, out, _ = run(capsys, "workspace", "remove", first[1])
    assert code == 0
    assert out == f"removed {first[1]} from {ws_path}\n"
    assert list(Workspace(ws_path).entries()["id"]) == [second[1]]

    code, _, err = run(capsys, "workspace", "remove", "nope")
    assert code == 1
    assert err == f"zzgeo: error: unknown workspace entry 'nope'; valid: {second[1]}\n"
    code, _, err = run(capsys, "workspace", "remove")
    assert code == 2
    assert "needs the id of an import" in err

    # A file whose every row fails adds nothing and says why.
    code, _, err = run(capsys, "import", str(DATA / "metres_without_crs.csv"), "--kind", "5g_sites")
    assert code == 1
    assert err == "zzgeo: error: metres_without_crs.csv: no rows passed the checks; nothing to add\n"
    assert len(Workspace(ws_path).entries()) == 1
