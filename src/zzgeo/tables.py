"""Indicator tables made for people (Excel in Chinese or English) and the stable CSV headers.

- :func:`people_table`: the indicator table with headers in ``zh`` or ``en`` with units,
  numbers rounded to what they mean (1 decimal for per-10,000 and per-100 km² figures and
  percentages, whole numbers for counts and residents), words instead of codes.
- :func:`indicators_xlsx_bytes` / :func:`write_indicators_xlsx`: a workbook of two sheets:
  the table (underserved districts marked, the city row last) and "说明 / About": sources,
  as-of dates, filters, the year, the time it was made, the synthetic flag and what each
  column means.
- :data:`INDICATOR_CSV_COLUMNS`: the stable English column names of the CSV export (for
  machines; documented in the README); :func:`csv_table` gives them Chinese headers on request.

Area tables (``compute_indicators(..., areas=...)``, see :mod:`zzgeo.areas`; told by
``attrs["level"] == "areas"``) get the same treatment with area words: the key and name are
the area's, the CSV adds :data:`AREA_CSV_COLUMNS`, the people's table adds the area's code
and the district it lies in, and an estimated population says so.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zzgeo import _texts
from zzgeo.districts import CITY_ADCODE
from zzgeo.export import atomic_path
from zzgeo.messages import Text
from zzgeo.provenance import Provenance

__all__ = [
    "AREA_CSV_COLUMNS",
    "INDICATOR_CSV_COLUMNS",
    "PEOPLE_COLUMNS",
    "PeopleColumn",
    "csv_table",
    "indicators_xlsx_bytes",
    "is_area_table",
    "people_table",
    "ranking",
    "write_indicators_xlsx",
]

#: Columns of ``zzgeo export indicators --format csv``, in this order (stable; see the README).
INDICATOR_CSV_COLUMNS = (
    "adcode", "name_zh", "name_en", "population", "population_year", "population_status", "land_area_km2",
    "sites", "sites_per_10k", "sites_per_100km2", "residents_per_site", "share_of_city_pct", "target_per_10k",
    "target_status", "target_sites", "gap_sites", "underserved",
)  # fmt: skip
#: Columns the CSV export of an area table adds after :data:`INDICATOR_CSV_COLUMNS` (stable).
AREA_CSV_COLUMNS = ("code", "area_km2", "district_adcode")


def is_area_table(table: pd.DataFrame) -> bool:
    """Whether ``table`` is an indicator table per area (``compute_indicators(..., areas=...)``)."""
    return table.attrs.get("level") == "areas" or {"area_km2", "district_adcode"} <= set(table.columns)


@dataclass(frozen=True)
class PeopleColumn:
    """A column of the people's table: source column, header, unit, decimals, meaning."""

    key: str
    title: Text
    unit: Text | None
    decimals: int | None  # None: text
    meaning: Text

    def header(self, lang: str) -> str:
        """Header with its unit, e.g. "每万人基站数（个/万人）" or "Land area (km²)"."""
        title = self.title.get(lang)
        if self.unit is None:
            return title
        unit = self.unit.get(lang)
        if lang == "en" and unit.lower() in title.lower():  # "Sites per 10,000 residents" says its unit
            return title
        return f"{title}（{unit}）" if lang == "zh" else f"{title} ({unit})"


_PER_10K = Text(en="per 10,000 residents", zh="个/万人")
#: The people's table, column by column (optional ones appear when the table has them).
PEOPLE_COLUMNS = (
    PeopleColumn("adcode", Text(en="Code", zh="行政区划代码"), None, None,
                 Text(en="administrative division code (NBS); 350600 is the whole city",
                      zh="国家统计局行政区划代码；350600 为全市")),
    PeopleColumn("name", Text(en="District", zh="区县"), None, None,
                 Text(en="county-level district (the city row last)", zh="县级行政区（最后一行为全市）")),
    PeopleColumn("population", Text(en="Resident population", zh="常住人口"), Text(en="residents", zh="人"), 0,
                 Text(en="resident population in the population table's year", zh="人口表所属年份的常住人口")),
    PeopleColumn("population_status", Text(en="Population figure", zh="人口数据"), None, None,
                 Text(en="published, from a secondary source, derived (computed from other figures) or "
                         "user-supplied",
                      zh="公开数据、二手来源、推算（由其他数字计算）或用户提供")),
    PeopleColumn("land_area_km2", Text(en="Land area", zh="陆地面积"), Text(en="km²", zh="平方公里"), 0,
                 Text(en="land only (Tianditu outlines), not the sea inside the coastal boundaries",
                      zh="仅陆地（天地图轮廓），不含沿海边界内的海域")),
    PeopleColumn("sites", Text(en="5G sites", zh="5G基站数"), Text(en="sites", zh="个"), 0,
                 Text(en="sites counted as of the year, with the filters (proposals included)",
                      zh="截至该年、按筛选条件统计的站点数（含拟建）")),
    PeopleColumn("proposed_sites", Text(en="of which proposed", zh="其中拟建"), Text(en="sites", zh="个"), 0,
                 Text(en="what-if proposals counted in the figures (not real sites)",
                      zh="计入指标的情景模拟拟建站点（非真实站点）")),
    PeopleColumn("sites_per_10k", Text(en="Sites per 10,000 residents", zh="每万人基站数"), _PER_10K, 1,
                 Text(en="sites / resident population × 10,000", zh="站点数 ÷ 常住人口 × 10,000")),
    PeopleColumn("sites_per_100km2", Text(en="Sites per 100 km² of land", zh="每百平方公里基站数"),
                 Text(en="per 100 km²", zh="个/百平方公里"), 1,
                 Text(en="sites / land area × 100", zh="站点数 ÷ 陆地面积 × 100")),
    PeopleColumn("residents_per_site", Text(en="Residents per site", zh="每站服务人口"),
                 Text(en="residents", zh="人/个"), 0,
                 Text(en="resident population / sites (empty with no site)", zh="常住人口 ÷ 站点数（无站点时为空）")),
    PeopleColumn("share_of_city_pct", Text(en="Share of the city's sites", zh="占全市站点比例"), Text(en="%", zh="%"),
                 1, Text(en="the district's sites / the city's sites × 100", zh="本区县站点数 ÷ 全市站点数 × 100")),
    PeopleColumn("target_per_10k", Text(en="Plan target", zh="规划目标"), _PER_10K, 1,
                 Text(en="the year's target (empty when the plan sets none)", zh="该年目标（规划未设定时为空）")),
    PeopleColumn("target_status", Text(en="Target from", zh="目标性质"), None, None,
                 Text(en="plan (from the action plan) or assumption (zzgeo's, not published)",
                      zh="规划值（来自行动计划）或假设值（zzgeo 假设，非公开数字）")),
    PeopleColumn("target_sites", Text(en="Sites the target asks for", zh="目标所需基站数"), Text(en="sites", zh="个"),
                 0, Text(en="target × population / 10,000, rounded up", zh="目标 × 常住人口 ÷ 10,000，向上取整")),
    PeopleColumn("gap_sites", Text(en="Sites still needed", zh="距目标缺口"), Text(en="sites", zh="个"), 0,
                 Text(en="sites the target asks for minus sites, never negative; the city row is the city-wide gap",
                      zh="目标所需基站数减去现有站点数（不为负）；全市行为全市缺口，而非各区县之和")),
    PeopleColumn("underserved", Text(en="Below the target", zh="低于目标"), None, None,
                 Text(en="yes when sites per 10,000 residents are below the year's target",
                      zh="每万人基站数低于该年目标时为“是”")),
    PeopleColumn("coverage_pct", Text(en="Land coverage", zh="陆地覆盖率"), Text(en="%", zh="%"), 1,
                 Text(en="share of land within the assumed radius of an in-service site (see About)",
                      zh="距在用站点假设半径内的陆地比例（见说明）")),
    PeopleColumn("population_weighted_pct", Text(en="Population-weighted coverage", zh="人口加权覆盖率"),
                 Text(en="%", zh="%"), 1,
                 Text(en="coverage with residents spread evenly over each district's land",
                      zh="假设人口在各区县陆地上均匀分布时的覆盖率")),
)  # fmt: skip

#: The people's table of an area table: these columns read differently, and two more come.
_AREA_COLUMNS = {
    "adcode": PeopleColumn("adcode", Text(en="Area key", zh="区域编号"), None, None,
                           Text(en="the area's key (its ID or code in the file, else A001, A002, … in file order); "
                                   "350600 is the whole city",
                                zh="区域的编号（文件中的编号或代码，否则按文件顺序为 A001、A002……）；350600 为全市")),
    "name": PeopleColumn("name", Text(en="Area", zh="区域"), None, None,
                         Text(en="the area's name as in the file (the city row last)",
                              zh="文件中的区域名称（最后一行为全市）")),
    "population_status": PeopleColumn(
        "population_status", Text(en="Population figure", zh="人口数据"), None, None,
        Text(en="from the file (published, secondary source, derived or user-supplied), or estimated by zzgeo: "
                "each district's residents spread evenly over its land (not a published figure; see About)",
             zh="来自文件（公开数据、二手来源、推算或用户提供），或由 zzgeo 估算：将各区县人口按陆地面积平均分布"
                "（非公开数据；见说明）")),
    "share_of_city_pct": PeopleColumn(
        "share_of_city_pct", Text(en="Share of the city's sites", zh="占全市站点比例"), Text(en="%", zh="%"), 1,
        Text(en="the area's sites / the city's sites × 100 (areas may overlap or leave land out)",
             zh="本区域站点数 ÷ 全市站点数 × 100（区域可能重叠或未覆盖全市）")),
    "code": PeopleColumn("code", Text(en="Code", zh="代码"), None, None,
                         Text(en="the area's code as in the file", zh="文件中的区域代码")),
    "district_adcode": PeopleColumn("district_adcode", Text(en="In district", zh="所在区县"), None, None,
                                    Text(en="the district holding most of the area", zh="区域大部分所在的区县")),
}  # fmt: skip

_OPTIONAL = {"proposed_sites", "coverage_pct", "population_weighted_pct"}
_SHEET = Text(en="Indicators", zh="指标")
_ABOUT = Text(en="About", zh="说明")
_UNDER_FILL = "FDE0DD"
_HEAD_FILL = "DEEBF7"


def _people_columns(table: pd.DataFrame) -> tuple[PeopleColumn, ...]:
    if not is_area_table(table):
        return PEOPLE_COLUMNS
    columns = [_AREA_COLUMNS.get(c.key, c) for c in PEOPLE_COLUMNS]
    at = [c.key for c in columns].index("name") + 1
    return (*columns[:at], _AREA_COLUMNS["code"], *columns[at:], _AREA_COLUMNS["district_adcode"])


def _columns(table: pd.DataFrame) -> list[PeopleColumn]:
    out = []
    for col in _people_columns(table):
        source = "name_zh" if col.key == "name" else col.key
        if source not in table.columns:
            continue
        if col.key == "proposed_sites" and not pd.to_numeric(table[source], errors="coerce").fillna(0).any():
            continue
        if col.key in _OPTIONAL and pd.to_numeric(table[source], errors="coerce").isna().all():
            continue
        out.append(col)
    return out


def _rounded(values: pd.Series, decimals: int) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    if decimals == 0:
        return numbers.round(0).astype("Int64")
    return numbers.round(decimals)


def people_table(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The indicator table for people: headers in ``lang`` with units, values rounded, words.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`zzgeo.indicators.compute_indicators` or
        :func:`zzgeo.planning.indicators_with_proposals` (optionally with coverage
        columns), districts then the city row.
    lang : {"zh", "en"}

    Returns
    -------
    pandas.DataFrame
        One row per district, the city row last; columns of :data:`PEOPLE_COLUMNS` the
        table has (headers via :meth:`PeopleColumn.header`).
    """
    out: dict[str, Any] = {}
    for col in _columns(table):
        if col.key == "name":
            out[col.header(lang)] = table["name_en" if lang == "en" else "name_zh"].astype("str").to_numpy()
        elif col.key == "population_status":
            out[col.header(lang)] = [_texts.population_status(str(s), lang) for s in table[col.key]]
        elif col.key == "target_status":
            out[col.header(lang)] = [
                _texts.target_status(s, lang) if isinstance(s, str) else "" for s in table[col.key]
            ]
        elif col.key == "underserved":
            out[col.header(lang)] = [_texts.tr("yes" if bool(v) else "no", lang) for v in table[col.key]]
        elif col.key == "district_adcode":
            out[col.header(lang)] = _district_names(table[col.key], lang)
        elif col.key == "code":
            out[col.header(lang)] = [None if pd.isna(v) else str(v) for v in table[col.key]]
        elif col.decimals is None:
            out[col.header(lang)] = table[col.key].astype("str").to_numpy()
        else:
            out[col.header(lang)] = _rounded(table[col.key], col.decimals).to_numpy()
    frame = pd.DataFrame(out)
    frame.attrs["underserved"] = table["underserved"].astype(bool).to_numpy() if "underserved" in table else None
    frame.attrs["city"] = (table["adcode"].astype("str") == CITY_ADCODE).to_numpy()
    return frame


def _district_names(codes: pd.Series, lang: str) -> list[str | None]:
    from zzgeo.districts import load_districts

    districts = load_districts("display")
    names = dict(zip(districts["adcode"].astype("str"), districts["name_en" if lang == "en" else "name_zh"],
                     strict=True))  # fmt: skip
    return [None if pd.isna(c) else names.get(str(c), str(c)) for c in codes]


def csv_table(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The CSV export's table: :data:`INDICATOR_CSV_COLUMNS`; ``lang="zh"`` gives Chinese headers.

    Values are not rounded (machines read them); only the header row changes with ``lang``.
    An area table (:func:`is_area_table`) has :data:`AREA_CSV_COLUMNS` after them, and its
    Chinese headers name areas, not districts.
    """
    columns = list(INDICATOR_CSV_COLUMNS)
    area = is_area_table(table)
    if area:
        columns += AREA_CSV_COLUMNS
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise KeyError(f"indicator table lacks {', '.join(missing)}")
    out = table[columns].copy()
    if lang == "zh":
        headers = {**CSV_HEADERS_ZH, **AREA_CSV_HEADERS_ZH} if area else CSV_HEADERS_ZH
        out.columns = [headers[c] for c in columns]
    return out


#: Chinese headers of the CSV columns (``--lang zh``)
CSV_HEADERS_ZH = {
    "adcode": "行政区划代码",
    "name_zh": "区县",
    "name_en": "区县（英文）",
    "population": "常住人口（人）",
    "population_year": "人口年份",
    "population_status": "人口数据",
    "land_area_km2": "陆地面积（平方公里）",
    "sites": "5G基站数（个）",
    "sites_per_10k": "每万人基站数（个/万人）",
    "sites_per_100km2": "每百平方公里基站数（个/百平方公里）",
    "residents_per_site": "每站服务人口（人/个）",
    "share_of_city_pct": "占全市站点比例（%）",
    "target_per_10k": "规划目标（个/万人）",
    "target_status": "目标性质",
    "target_sites": "目标所需基站数（个）",
    "gap_sites": "距目标缺口（个）",
    "underserved": "低于目标",
}
#: Chinese headers of an area table's CSV (``--areas --lang zh``) where they differ
AREA_CSV_HEADERS_ZH = {
    "adcode": "区域编号",
    "name_zh": "区域名称",
    "name_en": "区域名称（英文）",
    "share_of_city_pct": "占全市站点比例（%）",
    "code": "区域代码",
    "area_km2": "区域面积（平方公里）",
    "district_adcode": "所在区县代码",
}


# ---------------------------------------------------------------------------------------
# Excel


def _safe(value: Any) -> Any:
    """Cell values: NaN/NA -> empty; NumPy scalars -> Python."""
    if value is None or value is pd.NA or (isinstance(value, float) and not np.isfinite(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write one cell; text is always text (a value starting with "=" never becomes a formula)."""
    cell = ws.cell(row=row, column=col)
    value = _safe(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _about_rows(provenance: Provenance | None, lang: str, title: str | None) -> list[tuple[str, str]]:
    tr = _texts.tr
    rows: list[tuple[str, str]] = []
    if title:
        rows.append((_ABOUT_KEYS["title"].get(lang), title))
    if provenance is None:
        return rows
    rows += [
        (_ABOUT_KEYS["generated"].get(lang), provenance.generated_at.replace("+00:00", " UTC")),
        (_ABOUT_KEYS["year"].get(lang), "" if provenance.year is None else str(provenance.year)),
        (_ABOUT_KEYS["filters"].get(lang), provenance.filter_line(lang)),
        (
            _ABOUT_KEYS["synthetic"].get(lang),
            tr("yes", lang) + " — " + tr("synthetic_banner", lang) if provenance.synthetic else tr("no", lang),
        ),
    ]
    rows += [(_ABOUT_KEYS["sources"].get(lang), line) for line in provenance.lines(lang)]
    # "same ... report" rows only make sense beside the row they refer to (in the population table)
    sources = [s for s in provenance.population_sources if not s.startswith("same ")]
    rows += [(_ABOUT_KEYS["population_source"].get(lang), s) for s in sources]
    if provenance.target is not None:
        rows.append((_ABOUT_KEYS["target_source"].get(lang), provenance.target.source))
    if provenance.proposals:
        rows.append((_ABOUT_KEYS["proposals"].get(lang), str(provenance.proposals)))
    for key, value in provenance.extra.items():
        rows.append((key, value))
    return rows


_ABOUT_KEYS = {
    "title": Text(en="Title", zh="标题"),
    "generated": Text(en="Generated", zh="生成时间"),
    "year": Text(en="As-of year", zh="截至年份"),
    "filters": Text(en="Filters", zh="筛选条件"),
    "synthetic": Text(en="Synthetic sample", zh="合成样例数据"),
    "sources": Text(en="Source", zh="数据来源"),
    "population_source": Text(en="Population source", zh="人口来源"),
    "target_source": Text(en="Target source", zh="目标来源"),
    "proposals": Text(en="What-if proposals counted", zh="计入的拟建站点"),
    "columns": Text(en="Columns", zh="各列含义"),
    "column": Text(en="Column", zh="列"),
    "meaning": Text(en="Meaning", zh="含义"),
    "under_note": Text(en="Rows shaded red: below the year's plan target", zh="红色底纹行：低于该年规划目标"),
}


def indicators_xlsx_bytes(
    table: pd.DataFrame,
    lang: str = "zh",
    provenance: Provenance | None = None,
    *,
    title: str | None = None,
) -> bytes:
    """The people's indicator workbook (.xlsx) as bytes.

    Parameters
    ----------
    table : pandas.DataFrame
        An indicator table (see :func:`people_table`).
    lang : {"zh", "en"}
        Language of headers, words and the About sheet.
    provenance : zzgeo.provenance.Provenance, optional
        Sources, filters and dates for the About sheet (see
        :func:`zzgeo.provenance.indicators_provenance`).
    title : str, optional
        A title line for the About sheet.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if lang not in _texts.LANGS:
        raise KeyError(lang)
    frame = people_table(table, lang)
    columns = _columns(table)
    wb = Workbook()
    ws = wb.active
    ws.title = _SHEET.get(lang)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor=_HEAD_FILL)
    under_fill = PatternFill("solid", fgColor=_UNDER_FILL)
    for j, header in enumerate(frame.columns, start=1):
        cell = _put(ws, 1, j, header)
        cell.font = bold
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    under = frame.attrs.get("underserved")
    city = frame.attrs.get("city")
    for i, record in enumerate(frame.itertuples(index=False), start=2):
        for j, (col, value) in enumerate(zip(columns, record, strict=True), start=1):
            cell = _put(ws, i, j, value)
            if col.decimals is not None:
                cell.number_format = "#,##0" if col.decimals == 0 else "#,##0." + "0" * col.decimals
            if under is not None and under[i - 2]:
                cell.fill = under_fill
            if city is not None and city[i - 2]:
                cell.font = bold
    for j, header in enumerate(frame.columns, start=1):
        width = max([_texts_width(str(header)) // 2 + 2, *(_texts_width(str(v)) + 2 for v in frame.iloc[:, j - 1])])
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 40)
    ws.row_dimensions[1].height = 48
    ws.freeze_panes = "C2"
    note_row = len(frame) + 3
    _put(ws, note_row, 1, _ABOUT_KEYS["under_note"].get(lang)).fill = under_fill

    about = wb.create_sheet(_ABOUT.get(lang))
    r = 1
    for key, value in _about_rows(None if provenance is None else provenance, lang, title):
        _put(about, r, 1, key).font = bold
        _put(about, r, 2, value).alignment = Alignment(wrap_text=True, vertical="top")
        r += 1
    r += 1
    _put(about, r, 1, _ABOUT_KEYS["columns"].get(lang)).font = bold
    r += 1
    _put(about, r, 1, _ABOUT_KEYS["column"].get(lang)).font = bold
    _put(about, r, 2, _ABOUT_KEYS["meaning"].get(lang)).font = bold
    for col in columns:
        r += 1
        _put(about, r, 1, col.header(lang))
        _put(about, r, 2, col.meaning.get(lang)).alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _texts_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def write_indicators_xlsx(
    table: pd.DataFrame,
    path: str | os.PathLike[str],
    lang: str = "zh",
    provenance: Provenance | None = None,
    *,
    title: str | None = None,
) -> Path:
    """Write :func:`indicators_xlsx_bytes` to ``path`` atomically; return the path."""
    data = indicators_xlsx_bytes(table, lang, provenance, title=title)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def ranking(table: pd.DataFrame, indicator: str = "sites_per_10k") -> pd.DataFrame:
    """District rows ranked by ``indicator`` (best first; ties share a rank), with ``rank``."""
    from zzgeo.indicators import INDICATORS

    spec = INDICATORS[indicator]
    rows = table[table["adcode"].astype("str") != CITY_ADCODE].copy()
    values = pd.to_numeric(rows[indicator], errors="coerce")
    rows["rank"] = values.rank(ascending=not spec.higher_is_better, method="min").astype("Int64")
    return rows.sort_values(["rank", "adcode"], na_position="last").reset_index(drop=True)
