"""Safe in: NUL bytes and control characters, encodings said and chosen, Shapefile DBF names."""

from __future__ import annotations

import itertools
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from zzgeo.errors import DataError
from zzgeo.imports import import_file

DATA = Path(__file__).parent / "data" / "import"
HEADER = "site_id,operator,status,year,lon,lat\n"
CONTROL = "NUL bytes and control characters are not accepted (the row is kept out whole, nothing is cut)"


def test_nul_bytes_and_control_characters_reject_the_row(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(
        (HEADER + "NUL\0ID,CMCC,在用,2021,117.65,24.51\nNUL,CMCC,在用,2021,117.66,24.51\n"
         "A\x07B,CMCC,在用,2021,117.67,24.51\nok\tid,CMCC,在用,2021,117.68,24.51\n").encode()
    )  # fmt: skip
    result = import_file(path, "5g_sites")
    assert [(p.row, p.column, p.message.en) for p in result.problems] == [
        (1, "site_id", f"NUL (\\x00) at position 4: {CONTROL}"),
        (3, "site_id", f"control character \\x07 at position 2: {CONTROL}"),
    ]
    assert result.problems[0].message.zh == (
        "第 4 个字符为 NUL (\\x00)：不接受 NUL 字节与控制字符（该行整行未导入，内容未被截断）"
    )
    # Nothing is cut: the rejected row holds the whole value, and "NUL" is not taken for a duplicate.
    assert result.rejected["site_id"].tolist() == ["NUL\0ID", "A\x07B"]
    assert result.layer["site_id"].tolist() == ["NUL", "ok\tid"]  # a tab inside a value is text


def test_encoding_is_said_in_the_report() -> None:
    gbk = import_file(DATA / "gbk_zh_headers.csv", "5g_sites")
    assert gbk.encoding == "GB18030 (GBK)"
    assert "encoding: GB18030 (GBK)" in gbk.report_lines()
    assert import_file(DATA / "utf8_bom_en_aliases.csv", "5g_sites").encoding == "UTF-8 with BOM"
    assert import_file(DATA / "semicolon_delimited.csv", "5g_sites").encoding == "UTF-8"
    assert import_file(DATA / "utf16_unicode_text.txt", "5g_sites").encoding == "UTF-16"
    assert import_file(DATA / "two_layers.gpkg", "5g_sites", layer="sites_wgs84").encoding is None


@pytest.mark.parametrize(
    ("text", "codec", "sample"),
    [
        ("Zürich-1,CMCC,in service,2021,117.65,24.51\nGröße-2,CMCC,in service,2021,117.66,24.51\n", "latin-1",
         "Z黵ich-1,CMCC,in service,2021,117.65,24.5"),
        ("東京タワー,CMCC,in service,2021,117.65,24.51\nサイト二,CMCC,in service,2021,117.66,24.51\n", "shift_jis",
         "搶嫗僞儚乕,CMCC,in service,2021,117.65,24.51"),
    ],
)  # fmt: skip
def test_misdecoded_text_is_warned_about_and_the_encoding_can_be_chosen(
    tmp_path: Path, text: str, codec: str, sample: str
) -> None:
    path = tmp_path / "sites.csv"
    path.write_bytes((HEADER + text).encode(codec))
    guessed = import_file(path, "5g_sites")
    assert [p.message.en for p in guessed.warnings] == [
        f"the text was read as GB18030 but looks mis-decoded (e.g. {sample!r}); if letters look wrong, choose "
        "the file's encoding (--encoding, e.g. latin-1, shift_jis, big5)"
    ]
    chosen = import_file(path, "5g_sites", encoding=codec)
    assert chosen.warnings == []
    assert chosen.encoding == f"{codec} (as chosen)"
    assert chosen.layer["site_id"].tolist() == [line.split(",")[0] for line in text.splitlines()]


def test_text_that_is_neither_utf8_nor_gb18030_asks_for_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "cafe.csv"
    path.write_bytes((HEADER + "Café,CMCC,in service,2021,117.65,24.51\n").encode("latin-1"))
    with pytest.raises(DataError) as exc:
        import_file(path, "5g_sites")
    assert str(exc.value) == (
        "cafe.csv: not UTF-8 or GBK/GB18030 text; choose the file's encoding "
        "(--encoding, e.g. latin-1, shift_jis, big5)"
    )
    assert import_file(path, "5g_sites", encoding="latin-1").layer["site_id"].tolist() == ["Café"]
    with pytest.raises(DataError, match="not readable as utf-8 text"):
        import_file(path, "5g_sites", encoding="utf-8")


def _shapefile(tmp_path: Path, columns: dict[str, list[object]]) -> Path:
    folder = tmp_path / "shp"
    folder.mkdir()
    gdf = gpd.GeoDataFrame(columns, geometry=[Point(117.65, 24.51)], crs="EPSG:4326")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL warns that it cuts long names to 10 characters
        gdf.to_file(folder / "sites.shp", engine="pyogrio")
    path = tmp_path / "sites.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    return path


BASE = {"site_id": ["S1"], "operator": ["中国移动"], "status": ["在用"]}


@pytest.mark.parametrize("name", ["year_in_service", "year_in__1", "YEAR_IN_SE"])
def test_shapefile_dbf_names_map_to_the_spec(tmp_path: Path, name: str) -> None:
    path = _shapefile(tmp_path, {**BASE, name: [2021]})
    result = import_file(path, "5g_sites")
    dbf = "year_in_se" if name == "year_in_service" else name
    assert result.errors == []
    assert (dbf, "year_in_service") in result.mapping
    assert [p.message.en for p in result.warnings] == [
        f"column {dbf!r} read as year_in_service (a Shapefile's DBF cuts names to 10 characters)"
    ]
    assert result.layer["year_in_service"].tolist() == [2021]


def test_zip_members_names_and_unpacked_sizes_are_checked_before_reading(tmp_path: Path) -> None:
    from zzgeo.imports import ImportLimits

    shp = DATA / "shapefile_gk117_gbk.zip"
    with pytest.raises(DataError) as exc:
        import_file(shp, "5g_sites", limits=ImportLimits(max_unpacked_bytes=100))
    assert str(exc.value).startswith("shapefile_gk117_gbk.zip: 基站.")
    assert "over the limit of 100 bytes (setting ZZGEO_MAX_UNPACKED_MB)" in str(exc.value)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../../etc/sites.shp", b"x")
    with pytest.raises(DataError) as exc:
        import_file(bad, "5g_sites")
    assert (
        str(exc.value)
        == "bad.zip: the zip file has a member with an unsafe name ('../../etc/sites.shp'); zzgeo does not read it"
    )
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(1001):
            zf.writestr(f"f{i}.shp", b"")
    with pytest.raises(DataError) as exc:
        import_file(many, "5g_sites")
    assert str(exc.value) == "many.zip: the zip file holds 1001 files, over the limit of 1000; a Shapefile needs 3-6"


def test_progress_is_reported_batch_by_batch(tmp_path: Path) -> None:
    from zzgeo.imports import ImportProgress

    path = tmp_path / "sites.csv"
    path.write_text(HEADER + "".join(f"S{i},CMCC,在用,2021,117.65,24.51\n" for i in range(10)), encoding="utf-8")
    seen: list[ImportProgress] = []
    import_file(path, "5g_sites", batch_rows=4, progress=seen.append)
    assert [(p.stage, p.rows) for p in seen] == [("reading", 0), ("checking", 4), ("checking", 8), ("checking", 10),
                                                 ("done", 10)]  # fmt: skip
    fractions = [p.fraction for p in seen]
    assert fractions[0] == 0.0
    assert fractions[-1] == 1.0
    assert all(a <= b for a, b in itertools.pairwise(fractions))
