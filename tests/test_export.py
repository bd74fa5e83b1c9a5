"""zzgeo.export: RFC 7946 GeoJSON, GeoPackage, CSV and XLSX, written atomically."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon

from zzgeo.errors import UnknownKeyError, ZzgeoError
from zzgeo.export import EXPORT_FORMATS, export, geojson_text, neutralise, to_csv, to_excel, to_geojson, to_gpkg

BOM = b"\xef\xbb\xbf"
FORMATS = list(EXPORT_FORMATS)  # geojson, gpkg, csv, xlsx


# --- helpers ---------------------------------------------------------------------------


def _signed_area(ring: list[list[float]]) -> float:
    """Shoelace formula: positive for a counter-clockwise ring (lon = x, lat = y)."""
    xy = np.asarray(ring)
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def _coords(obj: object) -> list[float]:
    """Every number in a nested coordinate list."""
    if isinstance(obj, (int, float)):
        return [float(obj)]
    assert isinstance(obj, list)
    return [v for item in obj for v in _coords(item)]


def _parse(text: str) -> dict:
    return json.loads(text)


def _ogrinfo_feature_count(path: Path) -> int:
    """Open ``path`` read-only with GDAL's command-line ``ogrinfo``; return its feature count."""
    exe = shutil.which("ogrinfo")
    if exe is None:
        pytest.fail(
            "ogrinfo (the GDAL command-line tools) is not on PATH; install gdal-bin "
            "(`make system-deps` does it, or `apt-get install gdal-bin`)"
        )
    result = subprocess.run([exe, "-ro", "-so", "-al", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"ogrinfo could not open {path}:\n{result.stdout}\n{result.stderr}"
    counts = re.findall(r"^Feature Count: (\d+)$", result.stdout, flags=re.MULTILINE)
    assert len(counts) == 1, f"expected one layer in ogrinfo's output:\n{result.stdout}"
    return int(counts[0])


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- GeoJSON -----------------------------------------------------------------------------


def test_geojson_is_a_feature_collection_without_crs_member(points) -> None:
    doc = _parse(geojson_text(points))
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    assert len(doc["features"]) == 3
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert set(feature) == {"type", "properties", "geometry"}
        assert "crs" not in feature["geometry"]


def test_geojson_is_lon_lat(points) -> None:
    doc = _parse(geojson_text(points))
    for feature, geom in zip(doc["features"], points.geometry, strict=True):
        lon, lat = feature["geometry"]["coordinates"]
        assert lon == pytest.approx(geom.x, abs=1e-6)
        assert lat == pytest.approx(geom.y, abs=1e-6)
        assert 116 < lon < 119
        assert 23 < lat < 26


def test_geojson_polygon_rings_follow_right_hand_rule(square_with_hole) -> None:
    poly = square_with_hole.geometry.iloc[0]
    assert _signed_area(list(poly.exterior.coords)) < 0, "fixture must start clockwise"
    assert _signed_area(list(poly.interiors[0].coords)) > 0, "fixture hole must start counter-clockwise"
    rings = _parse(geojson_text(square_with_hole))["features"][0]["geometry"]["coordinates"]
    assert len(rings) == 2
    assert _signed_area(rings[0]) > 0, "exterior must be counter-clockwise"
    assert _signed_area(rings[1]) < 0, "hole must be clockwise"


def test_geojson_multipolygon_rings_are_oriented() -> None:
    cw = Polygon([(117.0, 24.0), (117.0, 24.1), (117.1, 24.1), (117.1, 24.0)])
    ccw_with_cw_hole = Polygon(
        [(117.5, 24.0), (117.6, 24.0), (117.6, 24.1), (117.5, 24.1)],
        holes=[[(117.52, 24.02), (117.52, 24.08), (117.58, 24.08), (117.58, 24.02)]],
    )
    gdf = gpd.GeoDataFrame(geometry=[MultiPolygon([cw, ccw_with_cw_hole])], crs="EPSG:4326")
    geometry = _parse(geojson_text(gdf))["features"][0]["geometry"]
    assert geometry["type"] == "MultiPolygon"
    for polygon in geometry["coordinates"]:
        assert _signed_area(polygon[0]) > 0
        assert all(_signed_area(hole) < 0 for hole in polygon[1:])


@pytest.mark.parametrize("decimals", [2, 4, 6])
def test_geojson_coordinates_are_rounded(square_with_hole, points, decimals) -> None:
    for gdf in (square_with_hole, points):
        doc = _parse(geojson_text(gdf, decimals=decimals))
        ours = [c for f in doc["features"] for c in _coords(f["geometry"]["coordinates"])]
        originals = [c for g in gdf.geometry for c in shapely.get_coordinates(g).ravel()]
        assert len(ours) == len(originals)
        for value in ours:
            assert value == round(value, decimals)
        # every output coordinate is the rounding of an input coordinate
        rounded = {round(v, decimals) for v in originals}
        assert set(ours) <= rounded


def test_geojson_default_keeps_six_decimals(points) -> None:
    doc = _parse(geojson_text(points))
    lat = doc["features"][2]["geometry"]["coordinates"][1]
    assert lat == 25.012346


def test_geojson_from_projected_crs_is_lon_lat(square) -> None:
    projected = square.to_crs("EPSG:32650")
    assert projected.geometry.iloc[0].bounds[0] > 1000  # metres, not degrees
    ours = _parse(geojson_text(projected))["features"][0]["geometry"]["coordinates"][0]
    expected = shapely.get_coordinates(square.geometry.iloc[0])
    got = np.asarray(ours)
    assert got.shape == expected.shape
    # same ring (possibly starting elsewhere): compare as sets of rounded points
    assert {tuple(p) for p in np.round(got, 5)} == {tuple(p) for p in np.round(expected, 5)}


def test_geojson_property_values_are_plain_json(points) -> None:
    gdf = points.assign(
        flag=np.array([True, False, True]),
        small=np.array([1, 2, 3], dtype=np.int32),
        when=pd.to_datetime(["2024-05-01", None, "2025-01-31"]),
        maybe=pd.array([1, None, 3], dtype="Int64"),
        text=["a", None, "c"],
    )
    text = geojson_text(gdf)
    assert "NaN" not in text
    props = [f["properties"] for f in _parse(text)["features"]]
    assert props[1]["value"] is None
    assert props[1]["when"] is None
    assert props[1]["maybe"] is None
    assert props[1]["text"] is None
    assert props[0]["value"] == 0.5
    for p, expected in zip(props, [1, 2, 3], strict=True):
        assert type(p["count"]) is int
        assert p["count"] == expected
        assert type(p["small"]) is int
        assert p["small"] == expected
    assert props[0]["flag"] is True
    assert props[1]["flag"] is False
    assert props[0]["when"].startswith("2024-05-01")
    assert props[2]["maybe"] == 3
    # ints are written as JSON integers, not 1.0
    assert '"count":1,' in text


def test_geojson_keeps_chinese_readable(points) -> None:
    text = geojson_text(points)
    assert "漳州站" in text
    assert "东山岛" in text
    assert "\\u" not in text
    assert _parse(text)["features"][0]["properties"]["name"] == "漳州站"


def test_geojson_null_and_empty_geometry() -> None:
    gdf = gpd.GeoDataFrame({"n": [1, 2]}, geometry=[None, shapely.Point()], crs="EPSG:4326")
    doc = _parse(geojson_text(gdf))
    assert [f["geometry"] for f in doc["features"]] == [None, None]
    assert [f["properties"]["n"] for f in doc["features"]] == [1, 2]


def test_geojson_of_geometry_only_layer_has_empty_properties(square) -> None:
    doc = _parse(geojson_text(square[["geometry"]]))
    assert doc["features"][0]["properties"] == {}


def test_geojson_does_not_modify_input(square_with_hole) -> None:
    before = square_with_hole.copy()
    geojson_text(square_with_hole.to_crs("EPSG:32650"))
    geojson_text(square_with_hole, decimals=1)
    pd.testing.assert_frame_equal(square_with_hole, before)


def test_geojson_file_round_trip(tmp_path, points, square_with_hole) -> None:
    for name, gdf in (("points", points), ("polygon", square_with_hole)):
        path = to_geojson(gdf, tmp_path / f"{name}.geojson")
        assert path == tmp_path / f"{name}.geojson"
        raw = path.read_bytes()
        assert not raw.startswith(BOM)
        assert raw.endswith(b"\n")
        back = gpd.read_file(path, engine="pyogrio")
        assert back.crs.equals("EPSG:4326")
        assert len(back) == len(gdf)
        for col in gdf.columns.drop("geometry"):
            pd.testing.assert_series_equal(back[col], gdf[col], check_dtype=False, check_names=True)
        for a, b in zip(back.geometry, gdf.geometry, strict=True):
            assert shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), tolerance=1e-6)
        assert _ogrinfo_feature_count(path) == len(gdf)
    assert _files(tmp_path) == ["points.geojson", "polygon.geojson"]


# --- GeoPackage ---------------------------------------------------------------------------


def test_gpkg_round_trip(tmp_path, points) -> None:
    path = to_gpkg(points, tmp_path / "sites.gpkg")
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert pd.DataFrame(gpd.list_layers(path))["name"].tolist() == ["sites"]
    back = gpd.read_file(path, engine="pyogrio")
    assert back.crs.equals("EPSG:4326")
    assert back["name"].tolist() == points["name"].tolist()
    assert back["count"].tolist() == [1, 2, 3]
    np.testing.assert_array_equal(back["value"].to_numpy(), points["value"].to_numpy())
    assert back.geom_equals_exact(points.geometry, tolerance=1e-9).all()
    assert _ogrinfo_feature_count(path) == 3
    assert _files(tmp_path) == ["sites.gpkg"]


def test_gpkg_layer_name_and_projected_input(tmp_path, square) -> None:
    path = to_gpkg(square.to_crs("EPSG:32650"), tmp_path / "area.gpkg", layer="districts")
    assert pd.DataFrame(gpd.list_layers(path))["name"].tolist() == ["districts"]
    back = gpd.read_file(path, layer="districts", engine="pyogrio")
    assert back.crs.equals("EPSG:4326")
    assert back.geom_equals_exact(square.geometry, tolerance=1e-7).all()
    assert _ogrinfo_feature_count(path) == 1


def test_gpkg_overwrites_existing_file(tmp_path, points, square) -> None:
    path = tmp_path / "layer.gpkg"
    to_gpkg(points, path)
    to_gpkg(square, path)
    back = gpd.read_file(path, engine="pyogrio")
    assert back["name"].tolist() == square["name"].tolist()
    assert _files(tmp_path) == ["layer.gpkg"]


# --- CSV ----------------------------------------------------------------------------------


def test_csv_points_have_bom_and_lon_lat(tmp_path, points) -> None:
    path = to_csv(points, tmp_path / "sites.csv")
    raw = path.read_bytes()
    assert raw.startswith(BOM)
    assert "漳州站".encode() in raw
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert back.columns.tolist() == ["name", "count", "value", "lon", "lat"]
    assert back["name"].tolist() == points["name"].tolist()
    assert back["count"].tolist() == [1, 2, 3]
    assert back["value"].isna().tolist() == [False, True, False]
    np.testing.assert_allclose(back["lon"], points.geometry.x, atol=1e-7, rtol=0)
    np.testing.assert_allclose(back["lat"], points.geometry.y, atol=1e-7, rtol=0)


def test_csv_points_from_projected_crs_are_lon_lat(tmp_path, points) -> None:
    back = pd.read_csv(to_csv(points.to_crs("EPSG:32650"), tmp_path / "p.csv"), encoding="utf-8-sig")
    np.testing.assert_allclose(back["lon"], points.geometry.x, atol=1e-6, rtol=0)
    np.testing.assert_allclose(back["lat"], points.geometry.y, atol=1e-6, rtol=0)


def test_csv_polygons_are_wkt(tmp_path, square_with_hole) -> None:
    back = pd.read_csv(to_csv(square_with_hole, tmp_path / "poly.csv"), encoding="utf-8-sig")
    assert back.columns.tolist() == ["name", "value", "wkt"]
    assert back["name"].tolist() == ["龙文区"]
    geom = shapely.from_wkt(back["wkt"].iloc[0])
    assert geom.geom_type == "Polygon"
    assert shapely.equals_exact(geom, square_with_hole.geometry.iloc[0], tolerance=1e-7)


def test_csv_of_plain_table(tmp_path) -> None:
    table = pd.DataFrame({"区县": ["芗城区", "龙文区"], "基站": [10, 20]})
    path = export(table, tmp_path / "table.csv")
    assert path.read_bytes().startswith(BOM)
    pd.testing.assert_frame_equal(pd.read_csv(path, encoding="utf-8-sig"), table, check_dtype=False)


# --- XLSX ---------------------------------------------------------------------------------


def test_xlsx_round_trip(tmp_path, points) -> None:
    path = to_excel(points, tmp_path / "sites.xlsx")
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        assert workbook.sheetnames == ["zzgeo"]
    finally:
        workbook.close()
    back = pd.read_excel(path, engine="openpyxl")
    assert back.columns.tolist() == ["name", "count", "value", "lon", "lat"]
    assert back["name"].tolist() == points["name"].tolist()
    assert back["count"].tolist() == [1, 2, 3]
    assert back["value"].isna().tolist() == [False, True, False]
    np.testing.assert_allclose(back["lon"], points.geometry.x, atol=1e-7, rtol=0)
    np.testing.assert_allclose(back["lat"], points.geometry.y, atol=1e-7, rtol=0)


def test_xlsx_polygons_and_long_sheet_name(tmp_path, square_with_hole) -> None:
    path = to_excel(square_with_hole, tmp_path / "poly.xlsx", sheet_name="x" * 40)
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        assert workbook.sheetnames == ["x" * 31]  # Excel's limit
    finally:
        workbook.close()
    back = pd.read_excel(path, engine="openpyxl")
    assert back["name"].tolist() == ["龙文区"]
    geom = shapely.from_wkt(back["wkt"].iloc[0])
    assert shapely.equals_exact(geom, square_with_hole.geometry.iloc[0], tolerance=1e-7)


# --- export(): choosing the format ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "magic"),
    [
        ("out.geojson", b'{"type":"FeatureCollection"'),
        ("out.json", b'{"type":"FeatureCollection"'),
        ("OUT.GEOJSON", b'{"type":"FeatureCollection"'),
        ("out.gpkg", b"SQLite format 3\x00"),
        ("out.csv", BOM),
        ("out.xlsx", b"PK\x03\x04"),  # a zip container
    ],
)
def test_export_chooses_format_from_suffix(tmp_path, points, name, magic) -> None:
    path = export(points, tmp_path / name)
    assert path == tmp_path / name
    assert path.read_bytes().startswith(magic)
    assert _files(tmp_path) == [name]


def test_export_format_overrides_suffix(tmp_path, points) -> None:
    path = export(points, tmp_path / "sites.txt", fmt="csv")
    assert path.read_bytes().startswith(BOM)
    assert pd.read_csv(path, encoding="utf-8-sig")["name"].tolist() == points["name"].tolist()


def test_export_accepts_str_paths(tmp_path, points) -> None:
    path = export(points, str(tmp_path / "sites.geojson"))
    assert isinstance(path, Path)
    assert len(_parse(path.read_text(encoding="utf-8"))["features"]) == 3


@pytest.mark.parametrize("name", ["out.shp", "out", "out.kml"])
def test_export_unknown_suffix_lists_formats(tmp_path, points, name) -> None:
    with pytest.raises(ZzgeoError) as info:
        export(points, tmp_path / name)
    for fmt in FORMATS:
        assert fmt in str(info.value)
    assert _files(tmp_path) == []


def test_export_unknown_format_lists_formats(tmp_path, points) -> None:
    with pytest.raises(UnknownKeyError) as info:
        export(points, tmp_path / "out.geojson", fmt="shapefile")
    assert isinstance(info.value, KeyError)
    assert info.value.key == "shapefile"
    message = str(info.value)
    assert "shapefile" in message
    assert ", ".join(FORMATS) in message
    assert _files(tmp_path) == []


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_export_plain_dataframe_as_geodata_raises(tmp_path, fmt) -> None:
    table = pd.DataFrame({"name": ["a"], "n": [1]})
    with pytest.raises(ZzgeoError, match="csv or xlsx"):
        export(table, tmp_path / f"out{EXPORT_FORMATS[fmt]}")
    assert _files(tmp_path) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_without_crs_raises(tmp_path, points, fmt) -> None:
    no_crs = gpd.GeoDataFrame(points.drop(columns="geometry"), geometry=list(points.geometry))
    assert no_crs.crs is None
    with pytest.raises(ZzgeoError, match="CRS"):
        export(no_crs, tmp_path / f"out{EXPORT_FORMATS[fmt]}")
    assert _files(tmp_path) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_into_missing_folder_raises(tmp_path, points, fmt) -> None:
    missing = tmp_path / "no" / "such"
    with pytest.raises(ZzgeoError, match="does not exist"):
        export(points, missing / f"out{EXPORT_FORMATS[fmt]}")
    assert not (tmp_path / "no").exists()


def test_export_writes_datetimes(tmp_path, points) -> None:
    gdf = points.assign(day=[dt.date(2024, 1, 2), None, dt.date(2025, 3, 4)])
    doc = _parse(export(gdf, tmp_path / "d.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["day"] for f in doc["features"]] == ["2024-01-02", None, "2025-03-04"]


# --- atomic writes ----------------------------------------------------------------------


def _fail_geojson(monkeypatch):
    def broken_write_text(self, data, *args, **kwargs):
        with open(self, "w", encoding="utf-8") as fh:
            fh.write(data[:10])  # half-written
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", broken_write_text)


def _fail_gpkg(monkeypatch):
    def broken_to_file(self, filename, *args, **kwargs):
        Path(filename).write_bytes(b"SQLite format 3\x00 truncated")
        raise OSError("disk full")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", broken_to_file)


def _fail_csv(monkeypatch):
    def broken_to_csv(self, path_or_buf, *args, **kwargs):
        Path(path_or_buf).write_bytes(BOM + b"name,co")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken_to_csv)


def _fail_xlsx(monkeypatch):
    def broken_to_excel(self, excel_writer, *args, **kwargs):
        Path(excel_writer).write_bytes(b"PK\x03\x04 truncated")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_excel", broken_to_excel)


BREAKERS = {"geojson": _fail_geojson, "gpkg": _fail_gpkg, "csv": _fail_csv, "xlsx": _fail_xlsx}


@pytest.mark.parametrize("fmt", FORMATS)
def test_failed_write_leaves_previous_file_untouched(tmp_path, monkeypatch, points, square, fmt) -> None:
    target = tmp_path / f"layer{EXPORT_FORMATS[fmt]}"
    export(square, target)
    before = target.read_bytes()
    BREAKERS[fmt](monkeypatch)
    with pytest.raises(OSError, match="disk full"):
        export(points, target)
    assert target.read_bytes() == before
    assert _files(tmp_path) == [target.name], "no temporary files may be left behind"


@pytest.mark.parametrize("fmt", FORMATS)
def test_failed_write_creates_no_file(tmp_path, monkeypatch, points, fmt) -> None:
    BREAKERS[fmt](monkeypatch)
    with pytest.raises(OSError, match="disk full"):
        export(points, tmp_path / f"layer{EXPORT_FORMATS[fmt]}")
    assert _files(tmp_path) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_successful_write_replaces_file_and_leaves_no_temp(tmp_path, points, square, fmt) -> None:
    target = tmp_path / f"layer{EXPORT_FORMATS[fmt]}"
    export(square, target)
    first = target.read_bytes()
    export(points, target)
    assert target.read_bytes() != first
    assert _files(tmp_path) == [target.name]


# ---------------------------------------------------------------------------------------------
# Formulas are neutralised (OWASP CSV injection): text stays readable, numbers stay numbers
# ---------------------------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(1)", "+1+1", "-1+2", "\tTAB", "\rCR", "ok"]


def test_csv_export_neutralises_formulas(tmp_path) -> None:
    table = pd.DataFrame({"site_id": HOSTILE, "value": [-1.5, 2, -3, 4, 5, 6, 7, 8], "text_num": ["-12"] * 8})
    path = export(table, tmp_path / "t.csv")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["site_id"].tolist() == ["'" + v for v in HOSTILE[:-1]] + ["ok"]
    assert back["value"].tolist() == ["-1.5", "2.0", "-3.0", "4.0", "5.0", "6.0", "7.0", "8.0"]  # not text
    assert back["text_num"].tolist() == ["-12"] * 8  # a number in a text column is harmless
    assert table["site_id"].tolist() == HOSTILE  # the input is not changed


def test_xlsx_export_stores_formulas_as_quoted_text(tmp_path) -> None:
    import openpyxl

    table = pd.DataFrame({"site_id": HOSTILE, "value": [-1.5, 2, -3, 4, 5, 6, 7, 8]})
    path = export(table, tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(path).active
    cells = [sheet.cell(row=r, column=1) for r in range(2, 10)]
    # readable as typed (XML turns a CR into LF on reading: openpyxl, not zzgeo)
    assert [c.value for c in cells] == [v.replace("\r", "\n") for v in HOSTILE]
    assert all(c.data_type == "s" for c in cells)  # none is a formula
    assert [c.quotePrefix for c in cells] == [True] * 6 + [False, False]  # "\nCR" is no formula
    numbers = [sheet.cell(row=r, column=2) for r in range(2, 10)]
    assert [c.data_type for c in numbers] == ["n"] * 8
    assert numbers[0].value == -1.5


def test_rejected_rows_csv_neutralises_formulas(tmp_path) -> None:
    from zzgeo.imports import import_file

    src = tmp_path / "in.csv"
    src.write_text("site_id,operator,status,year,lon,lat\n=cmd|' /C calc'!A0,移动,在用,2015,117.65,24.51\n", "utf-8")
    result = import_file(src, "5g_sites")
    out = result.rejected_csv(tmp_path / "rejected.csv")
    back = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert back["site_id"].tolist() == ["'=cmd|' /C calc'!A0"]
    assert result.rejected["site_id"].tolist() == ["=cmd|' /C calc'!A0"]  # kept as read


def test_text_that_looks_neutralised_reads_back_as_it_was(tmp_path) -> None:
    """Text already starting with apostrophes before a formula character gets one more in CSV (the
    importer takes one off); in GeoJSON nothing is neutralised, so nothing is taken off either."""
    from zzgeo.imports import import_file

    site_ids = ["'-", "''=1+1", "=2", "'ok", "'", "x'-"]
    written = ["''-", "'''=1+1", "'=2", "'ok", "'", "x'-"]
    layer = gpd.GeoDataFrame(
        {"site_id": site_ids, "operator": ["China Mobile"] * 6, "status": ["in_service"] * 6,
         "year_in_service": [2021] * 6},
        geometry=gpd.points_from_xy([117.65 + i / 100 for i in range(6)], [24.51] * 6), crs="EPSG:4326",
    )  # fmt: skip
    assert neutralise(pd.DataFrame({"t": site_ids}))["t"].tolist() == written
    assert neutralise(pd.DataFrame({"t": pd.array(site_ids, dtype="string")}))["t"].tolist() == written
    for fmt in ("csv", "geojson"):
        path = export(layer, tmp_path / f"sites.{fmt}")
        assert import_file(path, "5g_sites").layer["site_id"].tolist() == site_ids, fmt
    other = tmp_path / "other.geojson"  # another tool's file: an apostrophe is part of the text
    feature = {
        "type": "Feature",
        "properties": {"site_id": "'=1+1", "operator": "China Mobile", "status": "in_service", "year_in_service": 2021},
        "geometry": {"type": "Point", "coordinates": [117.65, 24.51]},
    }
    other.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    assert import_file(other, "5g_sites").layer["site_id"].tolist() == ["'=1+1"]


def test_neutralised_export_reads_back_as_it_was(tmp_path) -> None:
    from zzgeo.imports import import_file

    layer = gpd.GeoDataFrame(
        {"site_id": ["=1+1", "@x", "plain"], "operator": ["China Mobile"] * 3, "status": ["in_service"] * 3,
         "year_in_service": [2021] * 3},
        geometry=gpd.points_from_xy([117.65, 117.66, 117.67], [24.51, 24.52, 24.53]), crs="EPSG:4326",
    )  # fmt: skip
    path = export(layer, tmp_path / "sites.csv")
    assert "'=1+1" in path.read_text(encoding="utf-8-sig")
    result = import_file(path, "5g_sites")
    assert result.layer["site_id"].tolist() == ["=1+1", "@x", "plain"]
