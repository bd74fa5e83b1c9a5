"""Hostile import files of issue 11, generated into a folder (never committed: several are MBs).

Each function writes one file and returns its path; they are small and quick to make, and
together they cover what took the server down: 10^6 columns, a workbook that inflates to
~1.09M rows, a GeoPackage layer that is a recursive SQL view, a GeoPackage with 9,000
layers, a 40 MB site id and GeoJSON nested 1,000 deep.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Point

HEADER = "site_id,operator,status,year,lon,lat"


def million_columns(folder: Path) -> Path:
    """A ~10 MB CSV whose header has 10^6 columns."""
    path = folder / "million_columns.csv"
    with path.open("w") as fh:
        fh.write(",".join(f"c{i}" for i in range(1_000_000)) + "\n")
        fh.write(",".join("1" for _ in range(1_000_000)) + "\n")
    return path


def _xlsx(path: Path, rows: int, dimension: bool) -> Path:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel_ns}><sheets><sheet name="S" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            dim = f'<dimension ref="A1:F{rows + 1}"/>' if dimension else ""
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}>{dim}<sheetData>'.encode())
            head = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in HEADER.split(","))
            fh.write(f"<row>{head}</row>".encode())
            row = (
                '<row><c t="inlineStr"><is><t>S</t></is></c><c t="inlineStr"><is><t>移动</t></is></c>'
                '<c t="inlineStr"><is><t>在用</t></is></c><c><v>2021</v></c><c><v>117.65</v></c>'
                "<c><v>24.51</v></c></row>"
            ).encode()
            block = row * 10_000
            for _ in range(rows // 10_000):
                fh.write(block)
            fh.write(row * (rows % 10_000))
            fh.write(b"</sheetData></worksheet>")
    return path


def inflating_xlsx(folder: Path, rows: int = 1_090_000, dimension: bool = True) -> Path:
    """A workbook of a few hundred kB whose sheet inflates to ``rows`` rows (~250 MB of XML)."""
    name = "inflating.xlsx" if dimension else "inflating_no_dimension.xlsx"
    return _xlsx(folder / name, rows, dimension)


def _gpkg(path: Path) -> Path:
    path.unlink(missing_ok=True)
    gpd.GeoDataFrame(
        {"site_id": ["A"], "operator": ["China Mobile"], "status": ["in_service"], "year_in_service": [2021]},
        geometry=[Point(117.65, 24.51)],
        crs="EPSG:4326",
    ).to_file(path, layer="sites", driver="GPKG", engine="pyogrio")
    return path


def _add_view(con: sqlite3.Connection, name: str, sql: str) -> None:
    con.execute(f"CREATE VIEW {name} AS {sql}")
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?, 'features', ?, 4326)",
        (name, name),
    )
    con.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 4326, 0, 0)",
        (name,),
    )


def recursive_view_gpkg(folder: Path) -> Path:
    """A GeoPackage whose only layer is a view over a recursive CTE (it never ends)."""
    path = _gpkg(folder / "recursive_view.gpkg")
    with sqlite3.connect(path) as con:
        _add_view(
            con,
            "endless",
            "WITH r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
            "SELECT n AS fid, s.geom, s.site_id, s.operator, s.status, s.year_in_service FROM r, sites s",
        )
        con.execute("DELETE FROM gpkg_contents WHERE table_name = 'sites'")
        con.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = 'sites'")
    return path


def slow_view_gpkg(folder: Path) -> Path:
    """A GeoPackage whose only layer is a plain view joining a table with itself six times (10^18 rows)."""
    path = _gpkg(folder / "slow_view.gpkg")
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE k (n INTEGER)")
        con.executemany("INSERT INTO k VALUES (?)", [(i,) for i in range(1000)])
        _add_view(
            con,
            "huge",
            "SELECT a.n * 1000000 + b.n AS fid, s.geom, s.site_id, s.operator, s.status, s.year_in_service "
            "FROM k a, k b, k c, k d, k e, k f, sites s WHERE a.n + b.n + c.n + d.n + e.n + f.n = -1",
        )
        con.execute("DELETE FROM gpkg_contents WHERE table_name = 'sites'")
        con.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = 'sites'")
    return path


def many_layers_gpkg(folder: Path, n: int = 9000) -> Path:
    """A GeoPackage with ``n`` feature layers (views of its one table, so it stays small)."""
    path = _gpkg(folder / "many_layers.gpkg")
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA journal_mode = MEMORY")
    con.execute("BEGIN")
    try:
        # Written straight into the schema table: 9,000 CREATE VIEWs would re-read the schema each time.
        con.execute("PRAGMA writable_schema = ON")
        con.executemany(
            "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('view', ?, ?, 0, ?)",
            [(f"layer_{i}", f"layer_{i}", f"CREATE VIEW layer_{i} AS SELECT * FROM sites") for i in range(n - 1)],
        )
        con.executemany(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?, 'features', ?, 4326)",
            [(f"layer_{i}", f"layer_{i}") for i in range(n - 1)],
        )
        con.executemany(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 4326, 0, 0)",
            [(f"layer_{i}",) for i in range(n - 1)],
        )
        con.execute("COMMIT")
        con.execute("PRAGMA writable_schema = OFF")
    finally:
        con.close()
    return path


def huge_site_id(folder: Path, chars: int = 40_000_000) -> Path:
    """A CSV whose one row has a site id of 40 million characters."""
    path = folder / "huge_site_id.csv"
    with path.open("w") as fh:
        fh.write(HEADER + "\n")
        fh.write("A" * chars + ",移动,在用,2021,117.65,24.51\n")
    return path


def deep_geojson(folder: Path, depth: int = 1000) -> Path:
    """GeoJSON whose one feature has a property nested ``depth`` arrays deep."""
    path = folder / "deep.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"site_id":"A","x":'
        + "[" * depth + "0" + "]" * depth
        + '},"geometry":{"type":"Point","coordinates":[117.65,24.51]}}]}'
    )  # fmt: skip
    return path
