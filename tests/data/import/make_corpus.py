"""Generate the import corpus: small bad or awkward inventory files (tests/test_imports.py).

Run from the repository root with ``.venv/bin/python tests/data/import/make_corpus.py``.
The output is deterministic (fixed values, fixed dates inside zip, xlsx, dbf and
GeoPackage files), so regenerating gives the same bytes with the same library versions.
Every file stays under 10 kB.

file -> what it tests

- gbk_zh_headers.csv: GBK with CRLF, Chinese headers and values (clean import, aliases mapped)
- utf8_bom_en_aliases.csv: UTF-8 with BOM, English header and value aliases (Carrier, CMCC, In service)
- gb18030_only_chars.csv: GB18030 characters that are not in GBK (𠮷) in site ids
- headers_spaces_units.csv: headers with case, padding and unit suffixes; values with padding
- semicolon_delimited.csv: ';' instead of ',' (the delimiter is detected)
- utf16_unicode_text.txt: Excel "Unicode text" (UTF-16, tabs): imports cleanly
- swapped_latlon.csv: rows with latitude and longitude swapped
- gcj02_amap.csv: Amap/GCJ-02 coordinates of known WGS-84 points (needs --crs gcj02)
- bd09_baidu.csv: Baidu/BD-09 coordinates of known WGS-84 points (needs --crs bd09)
- cgcs2000_gk117.csv: CGCS2000 3-degree Gauss-Krüger CM 117°E (EPSG:4548) easting/northing in metres
- cgcs2000_gk_zone39.csv: the same with the zone number in the easting (EPSG:4527)
- utm50n.csv: WGS-84 / UTM 50N (EPSG:32650) metres
- survey_x_north.csv: Chinese survey convention X = northing, Y = easting (EPSG:4548)
- metres_without_crs.csv: projected metres read with the default WGS-84 (errors explain)
- degrees_with_projected_crs.csv: degrees read with --crs EPSG:4548 (errors explain)
- missing_lon_column.csv: only a latitude column
- missing_nan_coords.csv: empty, blank, NaN and non-numeric coordinates
- zero_zero.csv: 0, 0 coordinates
- outside_82km_west.csv: a point far outside Zhangzhou (error with distance and side)
- outside_5km_north.csv: a point just outside Zhangzhou (warning, row kept)
- outside_1km_offset_hint.csv: a point 1 km outside: hint at GCJ-02/BD-09
- unknown_operator.csv: misspelt and unknown operators (closest suggested)
- status_aliases.csv: 在用/在建/规划/已开通/拟建/In service
- year_formats.csv: 2021年, 2021-06-30, 2022/6, 2023.0, 2020年6月, date with time
- year_out_of_range.csv: 2015 and 2036 (accepted 2019-2035)
- duplicate_site_ids.csv: a site id three times
- missing_required_column.csv: no status column
- extra_and_duplicate_headers.csv: two headers meaning site_id and an unknown column (warnings)
- empty.csv: 0 bytes
- header_only.csv: a header and no rows
- xlsx_saved_as.csv: an Excel workbook named .csv (content sniffing)
- geojson_saved_as.txt: GeoJSON named .txt (content sniffing)
- legacy_excel.xls: an Excel 97-2003 workbook signature (clear error)
- lone.shp: a .shp without .shx/.dbf (clear error)
- no_shapefile_inside.zip: a zip without a .shp (clear error)
- damaged.zip: a truncated zip (clear error)
- shapefile_gk117_gbk.zip: Shapefile with .prj in EPSG:4548 and .cpg GBK, Chinese attributes
- two_layers.gpkg: GeoPackage with two layers (WGS-84 and EPSG:4548): choose one
- linestring_among_points.geojson: a LineString among points (wrong geometry type)
- crs_member_3857.geojson: GeoJSON whose ``crs`` member names EPSG:3857 (file CRS wins)
- gcj02_no_crs.geojson: GeoJSON in GCJ-02 without a ``crs`` member (user's choice applies)
- broken.geojson: truncated JSON
- bowtie_polygon.geojson: a self-intersecting polygon among points (repaired, then wrong type)
- geoparquet_gk117.parquet: GeoParquet in EPSG:4548
- plain_lonlat.parquet: Parquet with lon/lat columns and typed columns
- excel_zh_headers.xlsx: Excel with Chinese headers and real date cells
- xss_in_name.csv: HTML/script in names of data centers (kept verbatim)
- data_centers_zh.csv: data centers with Chinese headers and bad numbers
- smart_projects_typos.csv: smart-city projects with a misspelt plan task and a "1,200" budget (read as 1200)
- size_limit.csv: a clean file used with a tiny size limit
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pyogrio
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, mapping

from zzgeo.crs import wgs84_to_bd09, wgs84_to_gcj02

HERE = Path(__file__).resolve().parent
FIXED_DATE = (2024, 1, 1, 0, 0, 0)

#: One known WGS-84 point in each district (lon, lat), checked to lie inside it.
POINTS = {
    "芗城区": (117.65, 24.51),
    "龙文区": (117.71, 24.50),
    "龙海区": (117.82, 24.45),
    "长泰区": (117.76, 24.62),
    "云霄县": (117.34, 23.96),
    "漳浦县": (117.61, 24.12),
    "诏安县": (117.17, 23.71),
    "东山县": (117.43, 23.70),
    "南靖县": (117.36, 24.52),
    "平和县": (117.31, 24.36),
    "华安县": (117.53, 25.00),
}
LONS = np.array([p[0] for p in POINTS.values()])
LATS = np.array([p[1] for p in POINTS.values()])
EN = "site_id,operator,status,year_in_service,lon,lat"


def write_text(name: str, text: str, encoding: str = "utf-8", newline: str = "\n") -> None:
    (HERE / name).write_bytes(text.replace("\n", newline).encode(encoding))


def rows_csv(header: str, rows: list[tuple[object, ...]]) -> str:
    return header + "\n" + "".join(",".join(str(v) for v in row) + "\n" for row in rows)


def fixed_zip(name: str, members: list[tuple[str, bytes]]) -> None:
    """Write a zip with fixed timestamps (deterministic bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members:
            info = zipfile.ZipInfo(member, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    (HERE / name).write_bytes(buf.getvalue())


def write_xlsx(name: str, rows: list[list[object]]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "站点"
    for row in rows:
        ws.append(row)
    fixed = dt.datetime(2024, 1, 1)
    wb.properties.creator = "zzgeo corpus"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    # Re-zip with fixed timestamps; openpyxl stamps the time of saving into core.xml.
    members = []
    with zipfile.ZipFile(buf) as zf:
        for info in zf.infolist():
            data = zf.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>",
                    rb"<dcterms:modified\1>2024-01-01T00:00:00Z</dcterms:modified>",
                    data,
                )
            members.append((info.filename, data))
    fixed_zip(name, members)


def site_frame(n: int = 4) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "site_id": [f"ZZ-{i + 1:03d}" for i in range(n)],
            "operator": ["China Mobile", "China Telecom", "China Unicom", "China Broadnet"][:n],
            "status": ["in_service", "under_construction", "planned", "in_service"][:n],
            "year_in_service": [2021, 2024, 2026, 2022][:n],
        },
        geometry=[Point(x, y) for x, y in zip(LONS[:n], LATS[:n], strict=True)],
        crs="EPSG:4326",
    )


def feature_collection(features: list[dict[str, object]], crs: str | None = None) -> str:
    doc: dict[str, object] = {"type": "FeatureCollection"}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    doc["features"] = features
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def point_feature(props: dict[str, object], x: float, y: float) -> dict[str, object]:
    return {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [x, y]}}


# ---------------------------------------------------------------------------------------------
# CSV: encodings, headers, values
# ---------------------------------------------------------------------------------------------


def make_csvs() -> None:
    write_text(
        "gbk_zh_headers.csv",
        rows_csv(
            "站号,运营商,频段,状态,投用年份,经度,纬度",
            [
                ("芗城-001", "中国移动", "2.6GHz", "在用", "2021", 117.65, 24.51),
                ("龙文-002", "电信", "n78", "在建", "2024", 117.71, 24.50),
                ("龙海-003", "联通", "3.5G", "规划", "2026", 117.82, 24.45),
                ("长泰-004", "中国广电", "700MHz", "在用", "2022", 117.76, 24.62),
                ("华安-005", "移动", "", "在用", "2023", 117.53, 25.00),
            ],
        ),
        encoding="gbk",
        newline="\r\n",
    )
    write_text(
        "utf8_bom_en_aliases.csv",
        rows_csv(
            "Site ID,Carrier,Status,Year,Longitude,Latitude",
            [
                ("A-1", "CMCC", "In service", "2020", 117.34, 23.96),
                ("A-2", "China Telecom", "under construction", "2025", 117.61, 24.12),
                ("A-3", "cucc", "Planned", "2027", 117.17, 23.71),
            ],
        ),
        encoding="utf-8-sig",
    )
    write_text(
        "gb18030_only_chars.csv",
        rows_csv(
            "站号,运营商,状态,年份,经度,纬度",
            [
                ("𠮷祥-01", "中国移动", "在用", "2021", 117.43, 23.70),
                ("䶮山-02", "中国电信", "在用", "2022", 117.36, 24.52),
            ],
        ),
        encoding="gb18030",
    )
    write_text(
        "headers_spaces_units.csv",
        rows_csv(
            " Site_ID , OPERATOR ,Status,年份（年）, LON ,Lat.",
            [(" B-1", " 中国 移动 ", " in-service ", " 2021 ", " 117.65", " 24.51")],
        ),
    )
    write_text(
        "semicolon_delimited.csv",
        EN.replace(",", ";") + "\nS1;China Mobile;in_service;2021;117.65;24.51\n",
    )
    text = EN.replace(",", "\t") + "\r\nS1\tChina Mobile\tin_service\t2021\t117.65\t24.51\r\n"
    (HERE / "utf16_unicode_text.txt").write_bytes(("\ufeff" + text).encode("utf-16-le"))  # as Excel writes it
    write_text(
        "swapped_latlon.csv",
        rows_csv(
            EN,
            [
                ("S1", "China Mobile", "in_service", 2021, 117.65, 24.51),
                ("S2", "China Mobile", "in_service", 2021, 24.50, 117.71),
                ("S3", "China Unicom", "planned", 2026, 23.70, 117.43),
            ],
        ),
    )
    gcj_lon, gcj_lat = wgs84_to_gcj02(LONS, LATS)
    write_text(
        "gcj02_amap.csv",
        rows_csv(
            "name,站号,运营商,状态,年份,lng,lat",
            [
                (district, f"G{i + 1:02d}", "中国联通", "在用", 2022, f"{x:.10f}", f"{y:.10f}")
                for i, (district, x, y) in enumerate(zip(POINTS, gcj_lon, gcj_lat, strict=True))
            ],
        ),
    )
    bd_lon, bd_lat = wgs84_to_bd09(LONS, LATS)
    write_text(
        "bd09_baidu.csv",
        rows_csv(
            "站号,运营商,状态,年份,经度,纬度",
            [
                (f"B{i + 1:02d}", "中国电信", "在建", 2025, f"{x:.10f}", f"{y:.10f}")
                for i, (x, y) in enumerate(zip(bd_lon, bd_lat, strict=True))
            ],
        ),
    )
    projected = {
        "cgcs2000_gk117.csv": (4548, "站号,运营商,状态,年份,东坐标,北坐标", "{:.3f}"),
        "cgcs2000_gk_zone39.csv": (4527, "站号,运营商,状态,年份,Easting,Northing", "{:.3f}"),
        "utm50n.csv": (32650, "site_id,operator,status,year_in_service,x,y", "{:.3f}"),
    }
    for name, (epsg, header, fmt) in projected.items():
        xs, ys = Transformer.from_crs(4326, epsg, always_xy=True).transform(LONS[:4], LATS[:4])
        write_text(
            name,
            rows_csv(
                header,
                [
                    (f"P{i + 1}", "中国移动", "在用", 2021, fmt.format(x), fmt.format(y))
                    for i, (x, y) in enumerate(zip(xs, ys, strict=True))
                ],
            ),
        )
    xs, ys = Transformer.from_crs(4326, 4548, always_xy=True).transform(LONS[:2], LATS[:2])
    write_text(
        "survey_x_north.csv",  # 测量坐标: X is the northing, Y the easting
        rows_csv(
            "站号,运营商,状态,年份,X,Y",
            [
                (f"X{i + 1}", "中国移动", "在用", 2021, f"{y:.3f}", f"{x:.3f}")
                for i, (x, y) in enumerate(zip(xs, ys, strict=True))
            ],
        ),
    )
    write_text(
        "metres_without_crs.csv",
        rows_csv(
            EN,
            [
                (f"M{i + 1}", "China Mobile", "in_service", 2021, f"{x:.3f}", f"{y:.3f}")
                for i, (x, y) in enumerate(zip(xs, ys, strict=True))
            ],
        ),
    )
    write_text(
        "degrees_with_projected_crs.csv",
        rows_csv(
            EN,
            [
                ("D1", "China Mobile", "in_service", 2021, 117.65, 24.51),
                ("D2", "China Mobile", "in_service", 2021, 117.71, 24.5),
            ],
        ),
    )
    write_text(
        "missing_lon_column.csv",
        rows_csv("site_id,operator,status,year_in_service,纬度", [("L1", "China Mobile", "in_service", 2021, 24.51)]),
    )
    write_text(
        "missing_nan_coords.csv",
        rows_csv(
            EN,
            [
                ("N1", "China Mobile", "in_service", 2021, "", 24.51),
                ("N2", "China Mobile", "in_service", 2021, 117.65, "NaN"),
                ("N3", "China Mobile", "in_service", 2021, "117.65E", "北纬24.5"),
                ("N4", "China Mobile", "in_service", 2021, 117.65, 24.51),
                ("N5", "China Mobile", "in_service", 2021, " ", ""),
            ],
        ),
    )
    write_text(
        "zero_zero.csv",
        rows_csv(
            EN,
            [
                ("Z1", "China Mobile", "in_service", 2021, 0, 0),
                ("Z2", "China Mobile", "in_service", 2021, "0.000", "0.0"),
                ("Z3", "China Mobile", "in_service", 2021, 117.65, 24.51),
            ],
        ),
    )
    write_text(
        "outside_82km_west.csv",
        rows_csv(
            EN,
            [
                ("O1", "China Mobile", "in_service", 2021, 117.65, 24.51),
                ("O2", "China Mobile", "in_service", 2021, 116.1, 24.6),
            ],
        ),
    )
    write_text(
        "outside_5km_north.csv",
        rows_csv(
            EN,
            [
                ("O3", "China Mobile", "in_service", 2021, 117.55, 25.26),
                ("O4", "China Mobile", "in_service", 2021, 117.65, 24.51),
            ],
        ),
    )
    write_text(
        "outside_1km_offset_hint.csv",
        rows_csv(EN, [("O5", "China Mobile", "in_service", 2021, 117.55, 25.224)]),
    )
    write_text(
        "unknown_operator.csv",
        rows_csv(
            EN,
            [
                ("U1", "China Mobil", "in_service", 2021, 117.65, 24.51),
                ("U2", "中国铁通", "in_service", 2021, 117.71, 24.50),
                ("U3", "Unicon", "in_service", 2021, 117.82, 24.45),
                ("U4", "中国移动", "in_service", 2021, 117.76, 24.62),
            ],
        ),
    )
    write_text(
        "status_aliases.csv",
        rows_csv(
            EN,
            [
                ("T1", "China Mobile", "在用", 2021, 117.65, 24.51),
                ("T2", "China Mobile", "在建", 2025, 117.71, 24.50),
                ("T3", "China Mobile", "规划", 2027, 117.82, 24.45),
                ("T4", "China Mobile", "已开通", 2020, 117.76, 24.62),
                ("T5", "China Mobile", "拟建", 2028, 117.34, 23.96),
                ("T6", "China Mobile", "In Service", 2022, 117.61, 24.12),
                ("T7", "China Mobile", "停用", 2019, 117.17, 23.71),
            ],
        ),
    )
    write_text(
        "year_formats.csv",
        rows_csv(
            EN,
            [
                ("Y1", "China Mobile", "in_service", "2021年", 117.65, 24.51),
                ("Y2", "China Mobile", "in_service", "2021-06-30", 117.71, 24.50),
                ("Y3", "China Mobile", "in_service", "2022/6", 117.82, 24.45),
                ("Y4", "China Mobile", "in_service", "2023.0", 117.76, 24.62),
                ("Y5", "China Mobile", "in_service", "2020年6月", 117.34, 23.96),
                ("Y6", "China Mobile", "in_service", "2024-03-01 10:00:00", 117.61, 24.12),
                ("Y7", "China Mobile", "in_service", "去年", 117.17, 23.71),
            ],
        ),
    )
    write_text(
        "year_out_of_range.csv",
        rows_csv(
            EN,
            [
                ("R1", "China Mobile", "in_service", 2015, 117.65, 24.51),
                ("R2", "China Mobile", "in_service", 2019, 117.71, 24.50),
                ("R3", "China Mobile", "planned", 2035, 117.82, 24.45),
                ("R4", "China Mobile", "planned", 2036, 117.76, 24.62),
            ],
        ),
    )
    write_text(
        "duplicate_site_ids.csv",
        rows_csv(
            EN,
            [
                ("A1", "China Mobile", "in_service", 2021, 117.65, 24.51),
                ("A2", "China Mobile", "in_service", 2021, 117.71, 24.50),
                ("A1", "China Unicom", "in_service", 2022, 117.82, 24.45),
                ("A1", "China Telecom", "in_service", 2023, 117.76, 24.62),
            ],
        ),
    )
    write_text(
        "missing_required_column.csv",
        rows_csv(
            "site_id,operator,year_in_service,lon,lat",
            [("Q1", "China Mobile", 2021, 117.65, 24.51), ("Q2", "China Mobile", 2022, 117.71, 24.50)],
        ),
    )
    write_text(
        "extra_and_duplicate_headers.csv",
        rows_csv(
            "站号,编号,运营商,状态,年份,备注,经度,纬度",
            [("E1", "0001", "中国移动", "在用", 2021, "楼顶", 117.65, 24.51)],
        ),
    )
    (HERE / "empty.csv").write_bytes(b"")
    write_text("header_only.csv", EN + "\n")
    write_text(
        "xss_in_name.csv",
        rows_csv(
            "name,name_en,status,year,lon,lat",
            [
                ("<img src=x onerror=alert(1)>", '<script>alert("x")</script>', "in_service", 2022, 117.65, 24.51),
                ("漳州云计算中心 & <b>数据</b>", "Zhangzhou Cloud", "planned", 2026, 117.71, 24.50),
            ],
        ),
    )
    write_text(
        "data_centers_zh.csv",
        rows_csv(
            "数据中心名称,状态,建成年份,机架数,电力容量（MW）,PUE,经度,纬度",
            [
                ("漳州云计算中心", "在用", "2021年", "500", "12.5", "1.35", 117.65, 24.51),
                ("海上漳州大数据中心", "在建", "2025", "200.5", "8", "0.9", 117.82, 24.45),
                ("东山算力中心", "规划", "2027", "一百", "-1", "1.2", 117.43, 23.70),
            ],
        ),
    )
    write_text(
        "smart_projects_typos.csv",
        "name,plan_task,status,year,budget,lon,lat\n"
        "智慧交通一期,smart_trasport,in_service,2023,350,117.65,24.51\n"
        '智慧水利,smart_water,planned,2026,"1,200",117.36,24.52\n'
        "工业大脑,industrial_internet,under_construction,2025,800.5,117.71,24.50\n",
    )
    write_text(
        "size_limit.csv",
        rows_csv(EN, [(f"L{i}", "China Mobile", "in_service", 2021, x, y) for i, (x, y) in enumerate(POINTS.values())]),
    )


# ---------------------------------------------------------------------------------------------
# Content sniffing and formats zzgeo does not read
# ---------------------------------------------------------------------------------------------


def make_sniffing() -> None:
    write_xlsx(
        "xlsx_saved_as.csv",
        [
            ["site_id", "operator", "status", "year_in_service", "lon", "lat"],
            ["X1", "China Mobile", "in_service", 2021, 117.65, 24.51],
            ["X2", "China Unicom", "planned", 2026, 117.36, 24.52],
        ],
    )
    gdf = site_frame(2)
    props = gdf.drop(columns="geometry").to_dict(orient="records")
    features = [point_feature(p, g.x, g.y) for p, g in zip(props, gdf.geometry, strict=True)]
    write_text("geojson_saved_as.txt", feature_collection(features))
    # The OLE2 compound-document signature of .xls files, then padding.
    (HERE / "legacy_excel.xls").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    with tempfile.TemporaryDirectory() as tmp:
        lone = site_frame(2)[["site_id", "geometry"]]
        pyogrio.write_dataframe(lone, Path(tmp) / "lone.shp", driver="ESRI Shapefile")
        shutil.copyfile(Path(tmp) / "lone.shp", HERE / "lone.shp")
    fixed_zip(
        "no_shapefile_inside.zip",
        [("readme.txt", "站点清单见 sites.csv\n".encode()), ("sites.csv", (EN + "\n").encode("utf-8"))],
    )
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w") as zf:
        zf.writestr(zipfile.ZipInfo("sites.shp", date_time=FIXED_DATE), bytes(200))
    (HERE / "damaged.zip").write_bytes(good.getvalue()[:60])


# ---------------------------------------------------------------------------------------------
# Vector formats
# ---------------------------------------------------------------------------------------------


def make_shapefile() -> None:
    gdf = gpd.GeoDataFrame(
        {
            "站号": ["漳州芗城一号", "龙文二号", "东山岛三号"],
            "运营商": ["中国移动", "联通", "中国电信"],
            "状态": ["在用", "在建", "规划"],
            "投用年份": [2021, 2024, 2027],
        },
        geometry=[Point(117.65, 24.51), Point(117.71, 24.50), Point(117.43, 23.70)],
        crs="EPSG:4326",
    ).to_crs("EPSG:4548")
    with tempfile.TemporaryDirectory() as tmp:
        pyogrio.write_dataframe(
            gdf, Path(tmp) / "基站.shp", driver="ESRI Shapefile", encoding="GBK", DBF_DATE_LAST_UPDATE="2024-01-01"
        )
        exts = (".shp", ".shx", ".dbf", ".prj", ".cpg")
        members = [(f"基站{ext}", (Path(tmp) / f"基站{ext}").read_bytes()) for ext in exts]
    fixed_zip("shapefile_gk117_gbk.zip", members)


def _shrink_gpkg(path: Path) -> None:
    """Drop the empty tile tables, use small pages: a two-layer GeoPackage under 10 kB."""
    con = sqlite3.connect(path)
    con.isolation_level = None
    con.execute("DROP TABLE gpkg_tile_matrix")
    con.execute("DROP TABLE gpkg_tile_matrix_set")
    con.execute("UPDATE gpkg_spatial_ref_sys SET description = NULL")
    con.execute("PRAGMA page_size = 512")
    con.execute("VACUUM")
    con.close()


def make_gpkg() -> None:
    path = HERE / "two_layers.gpkg"
    path.unlink(missing_ok=True)
    options = {"SPATIAL_INDEX": "NO", "ADD_GPKG_OGR_CONTENTS": "NO"}
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2024-01-01T00:00:00.000Z"})
    try:
        sites = site_frame(3)
        pyogrio.write_dataframe(sites, path, layer="sites_wgs84", driver="GPKG", VERSION="1.2", **options)
        other = site_frame(4).iloc[2:].to_crs("EPSG:4548")
        pyogrio.write_dataframe(other, path, layer="sites_gk117", driver="GPKG", **options)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    _shrink_gpkg(path)


def make_geojson() -> None:
    props = [
        {"site_id": "G1", "operator": "China Mobile", "status": "in_service", "year_in_service": 2021},
        {"site_id": "G2", "operator": "China Telecom", "status": "planned", "year_in_service": 2026},
        {"site_id": "G3", "operator": "China Unicom", "status": "in_service", "year_in_service": 2022},
        {"site_id": "G4", "operator": "China Mobile", "status": "in_service", "year_in_service": 2023},
    ]
    line = {
        "type": "Feature",
        "properties": props[2],
        "geometry": mapping(LineString([(117.6, 24.5), (117.7, 24.6)])),
    }
    write_text(
        "linestring_among_points.geojson",
        feature_collection([point_feature(props[0], 117.65, 24.51), point_feature(props[1], 117.71, 24.5), line]),
    )
    xs, ys = Transformer.from_crs(4326, 3857, always_xy=True).transform(LONS[:3], LATS[:3])
    write_text(
        "crs_member_3857.geojson",
        feature_collection(
            [point_feature(p, round(x, 4), round(y, 4)) for p, x, y in zip(props, xs, ys, strict=False)],
            crs="urn:ogc:def:crs:EPSG::3857",
        ),
    )
    gx, gy = wgs84_to_gcj02(LONS[4:8], LATS[4:8])
    write_text(
        "gcj02_no_crs.geojson",
        feature_collection(
            [point_feature(p, round(x, 10), round(y, 10)) for p, x, y in zip(props, gx, gy, strict=True)]
        ),
    )
    write_text("broken.geojson", '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"site')
    bowtie = Polygon([(117.60, 24.50), (117.62, 24.52), (117.62, 24.50), (117.60, 24.52), (117.60, 24.50)])
    poly = {"type": "Feature", "properties": props[1], "geometry": mapping(bowtie)}
    write_text("bowtie_polygon.geojson", feature_collection([point_feature(props[0], 117.65, 24.51), poly]))


def make_parquet() -> None:
    gdf = site_frame(3).to_crs("EPSG:4548")
    path = HERE / "geoparquet_gk117.parquet"
    gdf.to_parquet(path, index=False)
    # Keep only the GeoParquet metadata: pandas' own schema metadata would push it over 10 kB.
    table = pq.read_table(path)
    table = table.replace_schema_metadata({b"geo": table.schema.metadata[b"geo"]})
    pq.write_table(table, path, compression="zstd", write_statistics=False)
    frame = pd.DataFrame(
        {
            "site_id": ["P1", "P2", "P3"],
            "operator": ["中国移动", "中国联通", "China Telecom"],
            "status": ["在用", "在建", "planned"],
            "year_in_service": np.array([2021, 2025, 2027], dtype="int64"),
            "lon": LONS[:3],
            "lat": LATS[:3],
        }
    )
    frame.to_parquet(HERE / "plain_lonlat.parquet", index=False)


def make_xlsx() -> None:
    write_xlsx(
        "excel_zh_headers.xlsx",
        [
            ["站点编号", "所属运营商", "建设状态", "开通日期", "经度", "纬度"],
            ["漳浦-01", "中国移动", "已开通", dt.datetime(2021, 6, 30), 117.61, 24.12],
            ["诏安-02", "中国联通", "建设中", dt.datetime(2025, 1, 15), 117.17, 23.71],
            ["平和-03", "中国电信", "规划", 2027, 117.31, 24.36],
        ],
    )


def main() -> None:
    make_csvs()
    make_sniffing()
    make_shapefile()
    make_gpkg()
    make_geojson()
    make_parquet()
    make_xlsx()
    files = sorted(p for p in HERE.iterdir() if p.name != Path(__file__).name and not p.name.startswith("."))
    for p in files:
        size = p.stat().st_size
        assert size < 10_240, f"{p.name} is {size} bytes"
    print(f"wrote {len(files)} files to {HERE}")


if __name__ == "__main__":
    main()
