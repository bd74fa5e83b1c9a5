"""zzgeo.report: the briefing PDF, read as a reader would (pdftotext, pdffonts, pdfinfo)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import pytest

import zzgeo
from zzgeo import report
from zzgeo.districts import load_districts
from zzgeo.errors import UnknownKeyError
from zzgeo.indicators import compute_indicators
from zzgeo.planning import make_proposals

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (make system-deps)")
NOW = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    return {kind: zzgeo.load_layer(kind) for kind in zzgeo.LAYER_KINDS}


@pytest.fixture(scope="module")
def proposals() -> gpd.GeoDataFrame:
    districts = load_districts("full")
    pinghe = districts[districts["adcode"] == "350628"].geometry.iloc[0].representative_point()
    return make_proposals([pinghe.x] * 40, [pinghe.y] * 40, year=2025, districts=districts)


@pytest.fixture(scope="module")
def zh_report(layers, proposals, tmp_path_factory) -> tuple[Path, list[tuple[str, float]]]:
    seen: list[tuple[str, float]] = []
    path = tmp_path_factory.mktemp("report") / "briefing.pdf"
    report.write_report(
        path, layers, year=2025, lang="zh", proposals=proposals, now=NOW, progress=lambda s, f: seen.append((s, f))
    )
    return path, seen


@pytest.fixture(scope="module")
def en_report(layers, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "briefing-en.pdf"
    return report.write_report(path, layers, year=2024, lang="en", operators=["China Mobile"], now=NOW)


def text_of(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    out = subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


def page_texts(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", page) for page in out.split("\f")]


def test_chinese_report_names_every_district_and_section(zh_report) -> None:
    path, _ = zh_report
    text = text_of(path)
    for name in load_districts("display")["name_zh"]:
        assert name in text, name
    for section in ("一、全市概况", "二、分区县地图", "三、区县排名", "四、历年变化与目标路径", "五、未达标区县",
                    "六、覆盖率", "七、数据性质", "八、情景模拟"):  # fmt: skip
        assert section in text, section
    assert "漳州市新型基础设施简报" in text  # cover
    assert "日期：2026-03-14" in text
    assert "合成样例数据" in text
    assert "ISBN978-7-5037-9772-9" in text  # the census tabulation is cited
    assert "假设" in text  # 2023/2024 targets are marked as assumptions
    assert "非标准地图" in text  # the map-approval line


def test_every_font_is_embedded(zh_report, en_report) -> None:
    for path in (zh_report[0], en_report):
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
        assert rows
        assert all(row[-5] == "yes" for row in rows), out


def test_the_summary_agrees_with_the_indicators(layers, proposals, zh_report) -> None:
    path, _ = zh_report
    from zzgeo.planning import indicators_with_proposals

    table = indicators_with_proposals(layers["5g_sites"], proposals, year=2025).set_index("adcode")
    summary = page_texts(path)[1]
    city = table.loc["350600"]
    assert f"共有5G基站{int(city['sites']):,}个" in summary
    assert f"每万人{city['sites_per_10k']:.1f}个" in summary
    under = table[table["underserved"] & (table.index != "350600")]
    assert f"有{len(under)}个低于目标" in summary
    text = text_of(path)
    for code, row in under.iterrows():  # what it takes: the sites still needed, district by district
        assert (
            f"{row['name_zh']}：每万人{row['sites_per_10k']:.1f}个，目标30个，尚缺{int(row['gap_sites']):,}个基站"
            in text
        ), code


def test_pages_map_landscape_and_the_rest_portrait(zh_report) -> None:
    path, _ = zh_report
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "20", str(path)], capture_output=True, text=True, check=True)
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out.stdout)
    landscape = [i for i, (w, h) in enumerate(sizes, start=1) if float(w) > float(h)]
    assert landscape == [3]  # the map
    map_page = page_texts(path)[2]
    assert map_page.startswith("二、分区县地图")
    assert "漳州市5G基站·每万人站点数" in map_page  # the map sheet is laid in as vectors: its text stays text
    for name in load_districts("display")["name_zh"]:
        assert name in map_page, name


def test_whatif_section_shows_the_effect(zh_report, layers) -> None:
    path, _ = zh_report
    text = text_of(path)
    assert "本简报计入40个拟建站点" in text
    before = compute_indicators(layers["5g_sites"], year=2025).set_index("adcode").loc["350628", "sites_per_10k"]
    assert f"平和县40{before:.1f}" in text


def test_progress_is_reported_in_order(zh_report) -> None:
    _, seen = zh_report
    assert [s for s, _ in seen] == [s for s, _ in report.STAGES]
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions)
    assert seen[-1] == ("done", 1.0)


def test_english_report_with_filters(en_report) -> None:
    text = text_of(en_report)
    for name in load_districts("display")["name_en"]:
        assert name.replace(" ", "") in text, name
    assert "Operators:ChinaMobile" in text
    assert "asoftheendof2024" in text
    assert "(assumption)" in text  # 2024's target is ours, not the plan's
    assert "8.What-ifproposals" not in text  # none given
    assert "SYNTHETICSAMPLE" in text


def test_bad_arguments_and_nothing_half_written(layers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UnknownKeyError, match=r"\.pdf"):
        report.write_report(tmp_path / "r.docx", layers)
    with pytest.raises(UnknownKeyError, match="zh"):
        report.report_bytes(layers, lang="fr")
    target = tmp_path / "r.pdf"

    def interrupted(*args: object, **kwargs: object) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "report_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        report.write_report(target, layers)
    assert list(tmp_path.iterdir()) == []


def test_the_report_of_an_area_level_is_per_area(layers, tmp_path: Path) -> None:
    from area_grid import grid_areas
    from zzgeo.areas import prepare_areas

    areas = prepare_areas(grid_areas(0.3), title="grid.geojson")
    path = report.write_report(tmp_path / "areas.pdf", layers, year=2025, lang="zh", areas=areas, now=NOW)
    text = text_of(path)
    assert "统计单元排名" in text
    assert "grid.geojson" in text
    table = compute_indicators(layers["5g_sites"], year=2025, areas=areas)
    under = int(table[table["adcode"] != "350600"]["underserved"].sum())
    assert f"{len(areas)}个统计单元中有{under}个低于目标" in text
    for name in areas["name_zh"].head(5):
        assert re.sub(r"\s+", "", name) in text
