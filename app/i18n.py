"""Visible strings in Chinese (default) and English.

Titles of indicators, layer kinds, operators, statuses and plan parts come from the
zzgeo registries; everything else the app shows is here. ``t(key, lang, **values)``
formats a string; a missing key raises KeyError (the tests check both languages are
complete).
"""

from __future__ import annotations

import re

from zzgeo._texts import in_sentence as in_sentence
from zzgeo._texts import layer_title as layer_title  # the printed outputs name them the same way
from zzgeo._texts import operator_name as operator_name
from zzgeo._texts import status_name as status_name
from zzgeo.indicators import INDICATORS
from zzgeo.messages import Text
from zzgeo.plan import PLAN_PARTS

LANGS = ("zh", "en")

#: key -> text in Chinese and English
STRINGS: dict[str, Text] = {
    "app_title": Text(zh="漳州新基建地图", en="Zhangzhou new-infrastructure map"),
    "app_subtitle": Text(
        zh="5G基站、数据中心与智慧城市项目（新型基础设施建设三年行动计划 2023–2025）",
        en="5G sites, data centers and smart-city projects (new-infrastructure action plan 2023–2025)",
    ),
    "synthetic_note": Text(
        zh="注意：站点图层为合成样例数据（并非真实站点），仅供演示；区县边界、人口与规划目标来自公开资料。",
        en="Note: the site layers are a synthetic sample (not real sites), for demonstration only; "
        "district boundaries, population and plan targets come from public sources.",
    ),
    "switch_lang": Text(zh="English", en="中文"),
    "switch_lang_label": Text(zh="Switch to English", en="切换到中文"),
    "error_generic": Text(
        zh="出现意外错误，请重试或刷新页面。", en="Something went wrong; please try again or reload the page."
    ),
    "error_n": Text(zh="请输入拟建数量（1 至 {max}）。", en="Enter the number of sites to propose (1 to {max})."),
    "error_too_many": Text(
        zh="拟建站点最多 {max} 个，请先清除一些。", en="At most {max} proposed sites; clear some first."
    ),
    "error_no_target_gap": Text(
        zh="{year} 年无规划目标，无法按缺口分配；请改用“每万人基站数最低者优先”。",
        en="The plan sets no target for {year}, so there is no gap to close; allocate by sites per 10,000 instead.",
    ),
    "error_layer_missing": Text(
        zh="图层 {layer} 无法加载：{message}", en="Layer {layer} could not be loaded: {message}"
    ),
    # area levels (app/features/level.py)
    "level": Text(zh="区域层级", en="Area level"),
    "level_districts": Text(zh="区县（11 个）", en="Districts (11)"),
    "level_option": Text(zh="{file}（{n} 个区域）", en="{file} ({n:area|areas})"),
    "level_estimated": Text(
        zh="人口{rule}；按其计算的每万人指标亦为估算。",
        en="Population {rule}; the per-10,000 figures computed from it are estimates too.",
    ),
    "level_none": Text(
        zh="导入区域图层（类型“区域”：乡镇街道、规划网格、片区）后，可按区域查看各项指标。",
        en="Import an area layer (kind “areas”: townships, planning grids, zones) to see every indicator per area.",
    ),
    # accounts
    "role_viewer": Text(zh="只读", en="viewer"),
    "role_editor": Text(zh="编辑", en="editor"),
    "role_admin": Text(zh="管理员", en="admin"),
    "role_none": Text(zh="无权限", en="no access"),
    "account_local": Text(zh="本机用户（管理员）", en="Local user (admin)"),
    "account_named": Text(zh="{name}（{role}）", en="{name} ({role})"),
    "account_visitor": Text(zh="访客（{role}）", en="Visitor ({role})"),
    "account_sign_in": Text(zh="登录", en="Sign in"),
    "account_sign_out": Text(zh="退出", en="Sign out"),
    "editors_only": Text(
        zh="导入、替换、移除数据与采纳规划站点需要编辑权限：请登录编辑账号。",
        en="Importing, replacing, removing data and accepting planned sites need an editor: "
        "sign in with an editor account.",
    ),
    # the record of changes
    "history": Text(zh="变更记录", en="History of changes"),
    "history_help": Text(
        zh="每一次导入、替换、移除与采纳都记录谁、何时、哪个文件（SHA-256）以及图层前后的条数；管理员可以撤销。",
        en="Every import, replacement, removal and acceptance records who, when, which file (SHA-256) and the layer's "
        "counts before and after; an admin can revert it.",
    ),
    "history_none": Text(zh="尚无变更。", en="No changes yet."),
    "history_at": Text(zh="时间", en="When"),
    "history_who": Text(zh="操作人", en="Who"),
    "history_action": Text(zh="操作", en="What"),
    "history_kind": Text(zh="图层", en="Layer"),
    "history_what": Text(zh="文件或说明", en="File or note"),
    "history_counts": Text(zh="条数（前 → 后）", en="Rows (before → after)"),
    "history_revert": Text(zh="撤销", en="Revert"),
    "history_revert_label": Text(zh="撤销第 {seq} 条变更", en="Revert change #{seq}"),
    "history_revert_confirm": Text(
        zh="确定撤销第 {seq} 条变更吗？撤销本身也会被记录。",
        en="Revert change #{seq}? The revert is recorded too.",
    ),
    "history_reverted": Text(zh="已撤销第 {seq} 条变更。", en="Reverted change #{seq}."),
    "history_import": Text(zh="导入（合并）", en="import (added)"),
    "history_replace": Text(zh="导入（替换样例）", en="import (replacing the sample)"),
    "history_remove": Text(zh="移除", en="removal"),
    "history_accept_proposals": Text(zh="采纳规划站点", en="planned sites accepted"),
    "history_remove_proposals": Text(zh="移除规划站点", en="planned sites removed"),
    "history_reverted_action": Text(zh="撤销", en="revert"),
    "history_purge": Text(zh="清理", en="purge"),
    "history_account_add": Text(zh="新增账号", en="account added"),
    "history_account_remove": Text(zh="删除账号", en="account removed"),
    "history_account_password": Text(zh="修改密码", en="password changed"),
    "history_account_role": Text(zh="修改角色", en="role changed"),
    # place search
    "search": Text(zh="搜索", en="Search"),
    "search_placeholder": Text(zh="搜索区县（中文、拼音）或站号", en="Search a district or a site id"),
    # on an area level the search finds the level's areas first, then districts and sites
    "search_placeholder@areas": Text(
        zh="搜索区域、区县（中文、拼音）或站号", en="Search an area, a district or a site id"
    ),
    "search_none": Text(
        zh="没有找到“{query}”。可搜索区县名称（中文、英文或拼音）或站号。",
        en="Nothing found for “{query}”: search a district's name (Chinese, English or pinyin) or a site id.",
    ),
    "search_none@areas": Text(
        zh="没有找到“{query}”。可搜索区域或区县名称（中文、英文或拼音）或站号。",
        en="Nothing found for “{query}”: search the name of an area or a district (Chinese, English or pinyin)"
        " or a site id.",
    ),
    "search_site": Text(zh="5G基站", en="5G site"),
    "search_outside": Text(zh="漳州市以外", en="outside Zhangzhou"),
    # page layout
    "sidebar_hide": Text(zh="收起筛选栏", en="Hide the filters"),
    "sidebar_show": Text(zh="展开筛选栏", en="Show the filters"),
    "time": Text(zh="历年变化", en="Over time"),
    "whatif_tab": Text(zh="情景模拟", en="What-if"),
    # controls
    "controls": Text(zh="筛选与图层", en="Filters and layers"),
    "indicator": Text(zh="指标", en="Indicator"),
    "palette": Text(zh="配色", en="Colours"),
    "palette_standard": Text(zh="标准（ColorBrewer）", en="Standard (ColorBrewer)"),
    "palette_cb": Text(zh="Viridis（色盲友好）", en="Viridis (colour-blind safe)"),
    "palette_grey": Text(zh="灰度（黑白打印）", en="Greyscale (black-and-white print)"),
    "year": Text(zh="截至年份", en="As of year"),
    "year_back": Text(zh="上一年", en="One year back"),
    "year_next": Text(zh="下一年", en="One year on"),
    "play": Text(zh="▶ 播放", en="▶ Play"),
    "pause": Text(zh="‖ 暂停", en="‖ Pause"),
    "play_label": Text(zh="逐年播放", en="Play the years"),
    "play_group": Text(zh="逐年播放", en="Play the years"),
    "compare": Text(zh="对比年份", en="Compare with"),
    "compare_with": Text(zh="{year} 年", en="{year}"),
    "compare_none": Text(zh="不对比", en="No comparison"),
    "compare_help": Text(
        zh="选择一个年份后，地图显示该年至截至年份的变化。",
        en="With a year chosen, the map shows the change from it to the as-of year.",
    ),
    "legend_change": Text(zh="{title}的变化（{first} → {last}）", en="Change of {title} ({first} → {last})"),
    "tip_change": Text(
        zh="{title}：{first} 年 {before} → {last} 年 {after}（{delta}）",
        en="{title}: {before} in {first} → {after} in {last} ({delta})",
    ),
    "time_table": Text(zh="各区县历年5G基站", en="5G sites by district and year"),
    "time_table@areas": Text(zh="各区域历年5G基站", en="5G sites by area and year"),
    "time_table_help": Text(
        zh="每格：站点数（上）与每万人站点数（下），截至各年年底，按当前的运营商与状态筛选；人口为2020年普查数。",
        en="Each cell: sites (top) and sites per 10,000 residents (bottom) at the end of each year, with the "
        "operator and status filters; population from the 2020 census.",
    ),
    "chart_city_title": Text(
        zh="全市每万人5G基站数与规划目标路径",
        en="City-wide sites per 10,000 against the plan's target path",
    ),
    "chart_city_density": Text(zh="全市每万人站点数", en="City-wide sites per 10,000"),
    "chart_target_path": Text(zh="规划目标路径", en="Plan target path"),
    "chart_after_plan": Text(zh="规划期（2023–2025）之后：无目标", en="After the plan (2023–2025): no target"),
    "operator": Text(zh="运营商", en="Operator"),
    "status": Text(zh="状态", en="Status"),
    "layers": Text(zh="图层", en="Layers"),
    # basemaps
    "basemap_osm": Text(zh="OpenStreetMap", en="OpenStreetMap"),
    "basemap_tianditu": Text(zh="天地图", en="Tianditu"),
    "basemap_none": Text(zh="无底图", en="No basemap"),
    # legend
    "legend": Text(zh="图例", en="Legend"),
    "legend_below_target": Text(zh="低于规划目标（红色虚线边框）", en="Below the plan target (dashed red outline)"),
    "legend_no_data": Text(zh="无数据", en="No data"),
    "legend_no_target": Text(zh="{year} 年无规划目标", en="No plan target for {year}"),
    "legend_proposed": Text(zh="拟建站点（情景模拟）", en="Proposed site (what-if)"),
    "legend_data_center": Text(zh="数据中心", en="Data center"),
    # cards
    "card_sites": Text(zh="5G基站总数", en="Total 5G sites"),
    "card_density": Text(zh="全市每万人基站数", en="City-wide sites per 10,000 residents"),
    "card_underserved": Text(zh="低于目标的区县", en="Districts below the target"),
    "card_underserved@areas": Text(zh="低于目标的区域", en="Areas below the target"),
    "card_target": Text(zh="目标 {value}（{year}，{status}）", en="target {value} ({year}, {status})"),
    "card_no_target": Text(zh="{year} 年无规划目标", en="no plan target for {year}"),
    "card_proposed": Text(zh="含拟建 {n} 个", en="incl. {n} proposed"),
    "card_of": Text(zh="{n} / {total}", en="{n} of {total}"),
    "card_as_of": Text(zh="截至 {year} 年底", en="as of end {year}"),
    "target_plan": Text(zh="规划值", en="plan"),
    "target_assumption": Text(zh="假设值", en="assumption"),
    "meets_target": Text(zh="达到目标", en="meets the target"),
    "below_target": Text(zh="低于目标", en="below the target"),
    # ranking
    "ranking": Text(zh="排名", en="Ranking"),
    "ranking_hint": Text(
        zh="点击一行可在地图上定位该区县并打开详情；点击表头排序。",
        en="Click a row to zoom the map to that district and open its panel; click a header to sort.",
    ),
    "ranking_hint@areas": Text(
        zh="点击一行可在地图上定位该区域并打开详情；点击表头排序。",
        en="Click a row to zoom the map to that area and open its panel; click a header to sort.",
    ),
    "col_rank": Text(zh="排名", en="Rank"),
    "col_district": Text(zh="区县", en="District"),
    "col_district@areas": Text(zh="区域", en="Area"),
    "col_sites": Text(zh="站点数", en="Sites"),
    "col_per_10k": Text(zh="每万人", en="Per 10,000"),
    "col_gap": Text(zh="缺口", en="Gap"),
    "col_population": Text(zh="人口", en="Population"),
    "col_status": Text(zh="达标情况", en="Status"),
    "col_proposed": Text(zh="拟建", en="Proposed"),
    # district panel
    "panel_title": Text(zh="详情", en="Details"),
    "panel_empty": Text(
        zh="点击地图上的区县或排名表中的一行查看详情。",
        en="Click a district on the map or a row of the ranking.",
    ),
    "panel_empty@areas": Text(
        zh="点击地图上的区域或排名表中的一行查看详情。",
        en="Click an area on the map or a row of the ranking.",
    ),
    "panel_close": Text(zh="关闭详情", en="Close the details"),
    "population": Text(zh="常住人口", en="Resident population"),
    "population_line": Text(zh="{value} 人（{year} 年，{status}）", en="{value} ({year}, {status})"),
    "pop_published": Text(zh="公开数据", en="published"),
    "pop_published-secondary": Text(zh="二手来源", en="secondary source"),
    "pop_derived": Text(zh="推算*", en="derived*"),
    "pop_user-supplied": Text(zh="用户提供", en="user-supplied"),
    "pop_sum of districts": Text(zh="各区县合计", en="sum of districts"),
    "pop_unknown": Text(zh="来源未知", en="unknown source"),
    "pop_estimated": Text(zh="估算", en="estimated"),
    "derived_explain": Text(
        zh="* 推算：未找到直接公布的数字，由其他公开数字计算得出。",
        en="* derived: no direct publication found; computed from other published figures.",
    ),
    "estimated_explain": Text(zh="人口为{rule}。", en="Population {rule}."),
    "area_code": Text(zh="代码 {code}", en="code {code}"),
    "area_facts": Text(zh="位于{district} · 面积 {km2} km²", en="in {district} · {km2} km²"),
    "col_indicator": Text(zh="指标", en="Indicator"),
    "col_this_district": Text(zh="本区县", en="This district"),
    "col_this_district@areas": Text(zh="本区域", en="This area"),
    "col_city": Text(zh="全市", en="City"),
    "target_line": Text(
        zh="规划目标：{value} 个/万人（{year} 年，{status}）",
        en="Plan target: {value} per 10,000 ({year}, {status})",
    ),
    "gap_line": Text(zh="尚缺 {n} 个基站", en="{n} more {n:site|sites} needed"),
    "no_target_line": Text(zh="{year} 年无规划目标", en="No plan target for {year}"),
    "chart_title": Text(zh="历年5G基站数（{first}–{last}）", en="5G sites by year ({first}–{last})"),
    "chart_sites": Text(zh="基站数", en="Sites"),
    "chart_target": Text(zh="规划目标所需基站数", en="Sites the target asks for"),
    "chart_proposed": Text(zh="拟建", en="Proposed"),
    # what-if
    "whatif": Text(zh="情景模拟：拟建5G基站", en="What-if: proposed 5G sites"),
    "whatif_help": Text(
        zh="用地图左上角的圆点工具添加拟建站点，或自动在最薄弱的区县（或所选层级的区域）布设 N 个站点。"
        "拟建站点不会并入真实图层，除非点击“采纳”。",
        en="Add proposed sites with the circle tool at the map's top left, or place N sites in the most "
        "underserved districts (or areas of the chosen level) automatically. Proposals never join the real "
        "layer unless you accept them.",
    ),
    "leaflet_draw_title": Text(zh="添加拟建5G站点", en="Add a proposed 5G site"),
    "leaflet_draw_hint": Text(zh="在地图上点击以放置拟建站点。", en="Click the map to place a proposed site."),
    "leaflet_draw_cancel": Text(zh="取消", en="Cancel"),
    "leaflet_draw_cancel_title": Text(zh="取消添加", en="Stop adding sites"),
    "leaflet_zoom_in": Text(zh="放大", en="Zoom in"),
    "leaflet_zoom_out": Text(zh="缩小", en="Zoom out"),
    "leaflet_layers": Text(zh="底图", en="Base map"),
    "leaflet_fullscreen": Text(zh="全屏显示", en="View full screen"),
    "leaflet_fullscreen_exit": Text(zh="退出全屏", en="Exit full screen"),
    "osm_contributors": Text(zh="贡献者", en="contributors"),
    "whatif_n": Text(zh="拟建数量 N", en="Number of sites N"),
    "whatif_rule": Text(zh="分配规则", en="Allocation rule"),
    "rule_sites_per_10k": Text(zh="每万人基站数最低者优先", en="Lowest sites per 10,000 first"),
    "rule_gap": Text(zh="距目标缺口最大者优先", en="Largest gap to the target first"),
    "whatif_operator": Text(zh="拟建站点运营商", en="Operator of proposed sites"),
    "whatif_suggest": Text(zh="建议布设", en="Suggest"),
    "whatif_clear": Text(zh="清除拟建", en="Clear proposals"),
    "whatif_accept": Text(zh="采纳为规划站点", en="Accept as planned sites"),
    "whatif_export": Text(zh="导出拟建 GeoJSON", en="Export proposals (GeoJSON)"),
    "whatif_none": Text(zh="暂无拟建站点。", en="No proposed sites yet."),
    "whatif_clear_confirm": Text(
        zh="确定清除全部 {n} 个拟建站点吗？清除后可撤销。",
        en="Clear all {n} proposed {n:site|sites}? You can undo it.",
    ),
    "whatif_cleared": Text(zh="已清除 {n} 个拟建站点。", en="Cleared {n} proposed {n:site|sites}."),
    "whatif_restored": Text(zh="已恢复 {n} 个拟建站点。", en="Brought back {n} proposed {n:site|sites}."),
    "whatif_undo": Text(zh="撤销清除", en="Undo"),
    "whatif_suggested": Text(
        zh="已建议 {n} 个拟建站点（见地图上的黄色圆点）。",
        en="Suggested {n} {n:site|sites} (the yellow dots on the map).",
    ),
    "whatif_accepted": Text(
        zh="已将 {n} 个拟建站点采纳为规划站点。",
        en="Accepted {n} proposed {n:site|sites} as planned sites.",
    ),
    "whatif_batches": Text(zh="已采纳的规划站点", en="Accepted planned sites"),
    "whatif_batches_help": Text(
        zh="采纳的拟建站点作为“规划”状态的站点保存在工作区中，所有人可见；编辑人员可以移除。",
        en="Accepted proposals are kept in the workspace as planned sites everyone sees; an editor can remove them.",
    ),
    "whatif_batches_none": Text(zh="尚未采纳拟建站点。", en="No proposals accepted yet."),
    "whatif_batch_time": Text(zh="采纳时间", en="Accepted"),
    "whatif_batch_who": Text(zh="采纳人", en="By"),
    "whatif_batch_rows": Text(zh="站点数", en="Sites"),
    "whatif_batch_remove": Text(zh="移除这 {n} 个规划站点", en="Remove these {n} planned {n:site|sites}"),
    "whatif_batch_confirm": Text(
        zh="确定移除这 {n} 个已采纳的规划站点吗？变更记录会保留此操作。",
        en="Remove these {n} accepted planned {n:site|sites}? The history keeps a record of it.",
    ),
    "whatif_batch_removed": Text(zh="已移除 {n} 个规划站点。", en="Removed {n} planned {n:site|sites}."),
    "whatif_nothing_to_accept": Text(
        zh="没有可采纳的拟建站点：请先建议或绘制站点。",
        en="There are no proposals to accept: suggest or draw some first.",
    ),
    "whatif_count": Text(zh="拟建 {n} 个站点：", en="{n} proposed {n:site|sites}:"),
    "whatif_effect": Text(
        zh="{name}：{before} → {after} 个/万人（+{added}）",
        en="{name}: {before} → {after} per 10,000 (+{added})",
    ),
    "whatif_coverage": Text(zh="；陆地覆盖 {before}% → {after}%", en="; land coverage {before}% → {after}%"),
    "whatif_outside": Text(
        zh="{n} 个拟建站点在漳州市以外，不计入指标。",
        en="{n} proposed {n:site is|sites are} outside Zhangzhou and not counted.",
    ),
    "whatif_accepted_total": Text(zh="已采纳的站点：{n} 个", en="Accepted sites: {n}"),
    "whatif_summary_label": Text(zh="情景模拟结果", en="What-if result"),
    # export
    "export": Text(zh="导出", en="Export"),
    "export_layer": Text(zh="图层（按当前筛选）", en="Layer (as filtered)"),
    "export_geojson": Text(zh="GeoJSON", en="GeoJSON"),
    "export_gpkg": Text(zh="GeoPackage", en="GeoPackage"),
    "export_table": Text(zh="指标表", en="Indicator table"),
    "export_csv": Text(zh="CSV", en="CSV"),
    "export_xlsx": Text(zh="Excel", en="Excel"),
    "export_empty": Text(zh="没有可导出的要素。", en="Nothing to export."),
    # briefing outputs (app/features/briefing.py)
    "brief": Text(zh="简报输出", en="Briefing outputs"),
    "brief_note": Text(
        zh="按当前视图（指标、配色、年份、年份对比、筛选、图层、统计单元、情景模拟）在服务器上绘制（地图图片不含六边形叠加层，"
        "报告按年份而非年份对比）；合成样本在每份输出上都有标注。",
        en="Drawn on the server from the current view (indicator, colours, year, year comparison, filters, layers, "
        "area level, what-if proposals; the map image leaves out the hexagon overlays, the report shows the year, "
        "not the comparison); a synthetic sample is labelled on every output.",
    ),
    "brief_format": Text(zh="地图格式", en="Map format"),
    "brief_png": Text(zh="PNG（A4，300 dpi）", en="PNG (A4, 300 dpi)"),
    "brief_pdf": Text(zh="PDF（矢量）", en="PDF (vector)"),
    "brief_svg": Text(zh="SVG（矢量）", en="SVG (vector)"),
    "brief_map": Text(zh="地图图片", en="Map image"),
    "brief_report": Text(zh="简报报告（PDF）", en="Briefing report (PDF)"),
    "brief_cancel": Text(zh="取消", en="Cancel"),
    "brief_progress_label": Text(zh="绘制进度", en="Render progress"),
    "brief_done": Text(zh="已生成并下载：{file}", en="Made and downloaded: {file}"),
    "brief_cancelled": Text(zh="已取消绘制。", en="The render was cancelled."),
    "brief_expired": Text(
        zh="绘制任务已失效，请重新点击。", en="The render is no longer available; please click again."
    ),
    "brief_failed": Text(zh="绘制失败：{error}", en="The render failed: {error}"),
    "brief_stage_starting": Text(zh="正在启动", en="Starting"),
    "brief_stage_reading": Text(zh="正在读取数据", en="Reading the data"),
    "brief_stage_indicators": Text(zh="正在计算指标", en="Computing the indicators"),
    "brief_stage_map": Text(zh="正在绘制地图", en="Drawing the map"),
    "brief_stage_coverage": Text(zh="正在计算覆盖率", en="Computing coverage"),
    "brief_stage_chart": Text(zh="正在绘制图表", en="Drawing the chart"),
    "brief_stage_tables": Text(zh="正在编排表格", en="Laying out the tables"),
    "brief_stage_writing": Text(zh="正在写入文件", en="Writing the file"),
    "brief_stage_saving": Text(zh="正在保存", en="Saving"),
    "brief_stage_done": Text(zh="完成", en="Done"),
    "brief_progress": Text(zh="{what}：{stage}（{pct}%）", en="{what}: {stage} ({pct}%)"),
    # tooltips
    "tip_value": Text(zh="{title}：{value}", en="{title}: {value}"),
    "tip_population": Text(zh="人口：{value}（{year}，{status}）", en="Population: {value} ({year}, {status})"),
    "tip_under": Text(zh="低于规划目标", en="below the plan target"),
    "tip_with_proposed": Text(zh="含拟建 {n} 个", en="incl. {n} proposed"),
    "tip_site": Text(zh="5G基站", en="5G site"),
    "tip_cluster": Text(zh="{n} 个基站", en="{n} {n:site|sites}"),
    "tip_proposed": Text(zh="拟建站点（未采纳）", en="Proposed site (not accepted)"),
    "tip_year": Text(zh="年份", en="Year"),
    "tip_band": Text(zh="频段", en="Band"),
    "tip_racks": Text(zh="机架", en="Racks"),
    "tip_power": Text(zh="电力", en="Power"),
    "tip_budget": Text(zh="投资（万元）", en="Budget (10,000 CNY)"),
    "tip_task": Text(zh="规划任务", en="Plan task"),
    "tip_part": Text(zh="规划部分", en="Plan part"),
    "tip_source": Text(zh="导入自", en="Imported from"),
    # synthetic-sample note when imports join the layers
    "note_base": Text(
        zh="区县边界、人口与规划目标来自公开资料。",
        en="District boundaries, population and plan targets come from public sources.",
    ),
    "note_sample": Text(
        zh="注意：{layers}为合成样例数据（并非真实数据），仅供演示。",
        en="Note: {layers}: a synthetic sample (not real data), for demonstration only.",
    ),
    "note_replaced": Text(
        zh="{layer}为您导入的数据（来自 {files}）。", en="The {layer} layer is your data (from {files})."
    ),
    "note_mixed": Text(
        zh="{layer}为合成样例数据与 {n} 行导入数据（来自 {files}）的混合。",
        en="The {layer} layer mixes the synthetic sample with {n} imported {n:row|rows} (from {files}).",
    ),
    "list_sep": Text(zh="、", en=", "),
    # import panel
    "import": Text(zh="导入数据", en="Import data"),
    "import_help": Text(
        zh="支持 CSV、Excel (.xlsx)、GeoJSON、GeoPackage、Shapefile（.zip 压缩包）和 (Geo)Parquet，"
        "最大 {mb} MB。表头可用中文或英文（如 站号、运营商、经度、纬度）。",
        en="CSV, Excel (.xlsx), GeoJSON, GeoPackage, zipped Shapefile (.zip) and (Geo)Parquet, up to {mb} MB. "
        "Headers may be Chinese or English (e.g. 站号, operator, 经度, lat).",
    ),
    "import_kind": Text(zh="图层类型", en="Layer kind"),
    "import_crs": Text(zh="坐标系", en="Coordinate system"),
    "import_crs_help": Text(
        zh="自带坐标系的文件（GeoPackage、带 .prj 的 Shapefile、GeoParquet、带 crs 的 GeoJSON）使用其自身坐标系；"
        "此选项只用于未说明坐标系的文件（如 CSV、Excel）。",
        en="Files that state their coordinate system (GeoPackage, Shapefile with .prj, GeoParquet, GeoJSON with a "
        "crs member) use their own; this choice applies to files that do not (e.g. CSV, Excel).",
    ),
    "import_layer": Text(zh="GeoPackage 图层", en="GeoPackage layer"),
    "import_layer_choose": Text(
        zh="该 GeoPackage 含多个图层，请在上方选择一个。",
        en="The GeoPackage has several layers: choose one above.",
    ),
    "import_mode": Text(zh="导入方式", en="How to combine"),
    "import_mode_add": Text(zh="与样例数据合并", en="Add to the sample"),
    "import_mode_replace": Text(zh="替换该类样例数据", en="Replace the sample of this kind"),
    "import_drop": Text(zh="将文件拖放到这里，或", en="Drop a file here, or"),
    "import_browse": Text(zh="点击选择文件", en="click to choose one"),
    "import_too_big": Text(
        zh="{file}：文件大小 {size} MB，超过上限 {limit} MB。",
        en="{file}: {size} MB is over the size limit of {limit} MB.",
    ),
    "import_empty": Text(zh="{file}：文件为空。", en="{file}: the file is empty."),
    "import_damaged": Text(
        zh="{file}：上传的内容无法读取，请重新上传。",
        en="{file}: the upload could not be read; please try again.",
    ),
    "import_failed": Text(zh="{file} 无法导入：", en="{file} could not be imported:"),
    "import_expired": Text(
        zh="该报告已过期，请重新上传文件。",
        en="This report has expired; please upload the file again.",
    ),
    "import_nothing": Text(
        zh="没有通过检查的行，无法导入；请下载被拒绝的行，修改后重新上传。",
        en="No row passed the checks, so there is nothing to import; "
        "download the rejected rows, fix them and upload again.",
    ),
    "import_accept": Text(zh="导入通过检查的行", en="Import the accepted rows"),
    "import_rejected_csv": Text(zh="下载被拒绝的行 (CSV)", en="Download rejected rows (CSV)"),
    "import_added": Text(
        zh="已导入 {n} 行到图层“{layer}”（{mode}）。",
        en="Imported {n} {n:row|rows} into the {layer} layer ({mode}).",
    ),
    "import_removed": Text(zh="已移除导入：{file}", en="Removed the import of {file}"),
    "import_already": Text(
        zh="该报告中的行已导入；如需再次导入，请重新上传文件。",
        en="The rows of this report have already been imported; upload the file again to import it once more.",
    ),
    "import_encoding": Text(zh="文本编码（CSV）", en="Text encoding (CSV)"),
    "import_encoding_auto": Text(zh="自动识别", en="Detect automatically"),
    "import_encoding_big5": Text(zh="Big5（繁体中文）", en="Big5 (traditional Chinese)"),
    "import_encoding_shift_jis": Text(zh="Shift-JIS（日文）", en="Shift-JIS (Japanese)"),
    "import_encoding_latin-1": Text(zh="Latin-1（西欧）", en="Latin-1 (Western European)"),
    "import_encoding_cp1252": Text(zh="Windows-1252（西欧）", en="Windows-1252 (Western European)"),
    "import_encoding_hint": Text(
        zh="请在左侧“文本编码（CSV）”中选择文件的编码，文件会重新读取。",
        en="Choose the file's encoding under “Text encoding (CSV)”: the file is read again.",
    ),
    "import_keep_columns": Text(zh="保留其他列", en="Keep extra columns"),
    "import_keep_help": Text(
        zh="默认只导入该图层类型的字段；其他列（如联系电话、内部备注）不导入，并在报告中列出。",
        en="By default only the layer kind's fields are imported; other columns (phone numbers, internal notes) "
        "are left out and listed in the report.",
    ),
    "import_cancel": Text(zh="取消导入", en="Cancel the import"),
    "import_progress_label": Text(zh="导入进度", en="Import progress"),
    "import_progress": Text(zh="{file}：{stage}", en="{file}: {stage}"),
    "import_progress_rows": Text(zh="已处理 {rows} / {total} 行", en="{rows} of {total} {total:row|rows}"),
    "import_progress_rows_some": Text(zh="已处理 {rows} 行", en="{rows} {rows:row|rows} so far"),
    "import_stage_starting": Text(zh="准备中", en="starting"),
    "import_stage_reading": Text(zh="读取中", en="reading"),
    "import_stage_checking": Text(zh="检查中", en="checking"),
    "import_stage_saving": Text(zh="保存结果", en="saving the result"),
    "import_stage_done": Text(zh="完成", en="done"),
    "report": Text(zh="导入报告", en="Import report"),
    "report_file": Text(zh="文件：{file}", en="File: {file}"),
    "report_format": Text(zh="格式：{fmt}", en="Format: {fmt}"),
    "report_crs_file": Text(
        zh="坐标：{crs}（文件自带），已转换为 WGS-84",
        en="Coordinates: {crs} (stated by the file), converted to WGS-84",
    ),
    "report_crs_chosen": Text(
        zh="坐标：{crs}（所选），已转换为 WGS-84",
        en="Coordinates: {crs} (as chosen), converted to WGS-84",
    ),
    "report_summary": Text(
        zh="读取 {read} 行：接受 {accepted} 行，拒绝 {rejected} 行（{errors} 个错误，{warnings} 个警告）。",
        en="{read} {read:row|rows} read: {accepted} accepted, {rejected} rejected "
        "({errors} {errors:error|errors}, {warnings} {warnings:warning|warnings}).",
    ),
    "report_mapping": Text(zh="列的对应关系", en="Columns used"),
    "report_source_column": Text(zh="文件中的列", en="Column in the file"),
    "report_target_column": Text(zh="对应字段", en="Read as"),
    "report_unmapped": Text(
        zh="未列出的列不属于该图层类型：默认不导入，勾选“保留其他列”则原样保留（见下文）。",
        en="Columns not listed are not part of the layer kind: they are left out, "
        "or kept as they are when “Keep extra columns” is ticked (see below).",
    ),
    "report_dropped": Text(
        zh="不属于{kind}的列，未导入图层：{columns}。如需保留，请勾选“保留其他列”，文件会重新读取。",
        en="Columns not part of {kind}, left out of the layer: {columns}. "
        "To keep them, tick “Keep extra columns”: the file is read again.",
    ),
    "report_kept": Text(
        zh="不属于{kind}的列，已按所选原样保留：{columns}。",
        en="Columns not part of {kind}, kept as they are (as chosen): {columns}.",
    ),
    "report_encoding": Text(zh="文本编码：{encoding}", en="Text encoding: {encoding}"),
    "report_encoding_chosen": Text(zh="（所选）", en=" (as chosen)"),
    "report_encoding_bom": Text(zh="（带 BOM）", en=" with BOM"),
    "report_encoding_suspect": Text(
        zh="文本按 {encoding} 读取，但看起来解码有误（如 {sample}）；如文字显示错乱，"
        "请在“文本编码（CSV）”中选择文件的编码，文件会重新读取。",
        en="The text was read as {encoding} but looks mis-decoded (e.g. {sample}); if letters look wrong, "
        "choose the file's encoding under “Text encoding (CSV)”: the file is read again.",
    ),
    "report_values": Text(zh="识别的取值", en="Recognised values"),
    "report_value_column": Text(zh="字段", en="Field"),
    "report_value_from": Text(zh="原值", en="Value in the file"),
    "report_value_to": Text(zh="识别为", en="Read as"),
    "report_value_rows": Text(zh="行数", en="Rows"),
    "report_problems": Text(zh="问题", en="Problems"),
    "report_no_problems": Text(zh="未发现问题。", en="No problems found."),
    "report_more_problems": Text(
        zh="另有 {n} 个问题未列出；被拒绝的行及其问题见 CSV 下载。",
        en="{n} more {n:problem is|problems are} not listed; "
        "the rejected rows with their problems are in the CSV download.",
    ),
    "col_severity": Text(zh="级别", en="Severity"),
    "col_row": Text(zh="行", en="Row"),
    "col_column": Text(zh="列", en="Column"),
    "col_value": Text(zh="值", en="Value"),
    "col_problem": Text(zh="问题", en="Problem"),
    "severity_error": Text(zh="错误", en="error"),
    "severity_warning": Text(zh="警告", en="warning"),
    "report_severity_help": Text(
        zh="有错误的行被拒绝；只有警告的行仍会导入。",
        en="Rows with an error are rejected; rows with only warnings are imported.",
    ),
    "import_jump": Text(zh="导入自己的数据…", en="Import your own data…"),
    "col_lon": Text(zh="经度", en="Longitude"),
    "col_lat": Text(zh="纬度", en="Latitude"),
    "format_csv": Text(zh="CSV 表格", en="CSV table"),
    "format_xlsx": Text(zh="Excel 工作簿", en="Excel workbook"),
    "format_geojson": Text(zh="GeoJSON", en="GeoJSON"),
    "format_gpkg": Text(zh="GeoPackage", en="GeoPackage"),
    "format_shapefile": Text(zh="Shapefile（zip）", en="Shapefile (zip)"),
    "format_parquet": Text(zh="(Geo)Parquet", en="(Geo)Parquet"),
    "imports": Text(zh="已导入的图层", en="Imported layers"),
    "imports_none": Text(
        zh="尚未导入数据；地图显示合成样例数据。",
        en="Nothing imported yet; the map shows the synthetic sample.",
    ),
    "imports_file": Text(zh="文件", en="File"),
    "imports_kind": Text(zh="图层", en="Layer"),
    "imports_time": Text(zh="导入时间", en="Imported"),
    "imports_rows": Text(zh="接受 / 拒绝", en="Accepted / rejected"),
    "imports_mode": Text(zh="方式", en="Mode"),
    "imports_remove": Text(zh="移除", en="Remove"),
    "imports_remove_label": Text(zh="移除导入的 {file}", en="Remove the import of {file}"),
    "imports_remove_confirm": Text(
        zh="确定移除导入的 {file} 吗？其中的行将从地图、指标与导出中消失。",
        en="Remove the import of {file}? Its rows leave the map, the indicators and the exports.",
    ),
    "mode_add": Text(zh="合并", en="added"),
    "mode_replace": Text(zh="替换样例", en="replaces the sample"),
    "workspace_error": Text(
        zh="无法读取导入数据的工作区：{message}", en="The workspace of imports could not be read: {message}"
    ),
    # hexagon overlays and coverage
    "hex_overlays": Text(zh="六边形图层", en="Hexagon overlays"),
    "hex_counts": Text(zh="每个六边形内的5G基站数", en="5G sites per hexagon"),
    "hex_gaps": Text(zh="覆盖空白", en="Coverage gaps"),
    "hex_resolution": Text(zh="六边形大小", en="Hexagon size"),
    "hex_res": Text(zh="H3 第 {res} 级（约 {area} 平方公里）", en="H3 resolution {res} (≈{area} km²)"),
    "hex_help": Text(
        zh="基站数随年份、运营商与状态筛选变化。覆盖空白：R 公里内没有在用基站的陆地六边形"
        "（只计在用基站，随年份与运营商筛选），R 按频段假设：{radii}。",
        en="Site counts follow the year, operator and status filters. Coverage gaps: land hexagons with no "
        "in-service site within R km (in-service sites only, for the year and operators chosen); R is "
        "assumed per band: {radii}.",
    ),
    "hex_counts_title": Text(
        zh="5G基站数 / 六边形（H3 第 {res} 级，约 {area} 平方公里）",
        en="5G sites per hexagon (H3 res {res}, ≈{area} km²)",
    ),
    "hex_gaps_title": Text(
        zh="覆盖空白：R 公里内无在用基站（占陆地六边形 {share}%）",
        en="Coverage gap: no in-service site within R km ({share}% of land hexagons)",
    ),
    "hex_radii": Text(zh="R（按频段假设）：{radii}", en="R (assumed per band): {radii}"),
    "radius_other": Text(zh="其他频段 {value} km", en="other bands {value} km"),
    "hex_approx": Text(
        zh="近似值：按六边形中心判断，边界误差约一个六边形（约 {edge} 公里）。",
        en="Approximate: judged at each hexagon's centre, so edges are right to about one hexagon (≈{edge} km).",
    ),
    "hex_tip_count": Text(
        zh="{n} 个5G基站（H3 第 {res} 级六边形，约 {area} 平方公里）",
        en="{n} 5G {n:site|sites} (H3 res {res} hexagon, ≈{area} km²)",
    ),
    "hex_tip_gap": Text(zh="覆盖空白：R 公里内无在用基站", en="Coverage gap: no in-service site within R km"),
    "hex_loading": Text(zh="正在绘制六边形…", en="Drawing hexagons…"),
    "coverage": Text(zh="覆盖（近似）", en="Coverage (approximate)"),
    "cov_land": Text(zh="R 公里内陆地覆盖率 (%)", en="Land within R km of a site (%)"),
    "cov_pop": Text(zh="人口加权覆盖率 (%)", en="Population-weighted coverage (%)"),
    "col_coverage": Text(zh="陆地覆盖率 (%)", en="Land coverage (%)"),
    "col_pop_coverage": Text(zh="人口加权覆盖率 (%)", en="Pop.-weighted coverage (%)"),
    "coverage_note": Text(
        zh="覆盖率为近似值：在用基站按频段假设覆盖半径 R（{radii}），以 H3 第 {res} 级六边形（边长约 {edge} 公里）"
        "的中心判断是否覆盖，误差约一个六边形。人口加权覆盖率假设各区县居民均匀分布在其陆地上"
        "（没有比区县更细的人口数据），因此区县的人口加权值等于其陆地覆盖率，全市值按各区县人口加权。",
        en="Coverage is approximate: in-service sites are assumed to reach a radius R per band ({radii}), judged at "
        "the centre of H3 resolution {res} hexagons (≈{edge} km across), so it is right to about one hexagon. "
        "Population-weighted coverage assumes residents are spread evenly over each district's land, because no "
        "population data finer than districts exists: a district's value therefore equals its land coverage, and "
        "the city value weights the districts by population.",
    ),
    # on an area level: each piece of land is weighted by its district's residents per km², so an area
    # over several districts (zzgeo.coverage.coverage_by_area) has a weighted value of its own
    "coverage_note@areas": Text(
        zh="覆盖率为近似值：在用基站按频段假设覆盖半径 R（{radii}），以 H3 第 {res} 级六边形（边长约 {edge} 公里）"
        "的中心判断是否覆盖，误差约一个六边形。人口加权覆盖率假设各区县居民均匀分布在其陆地上"
        "（没有比区县更细的人口数据），区域的人口为估算值：区域内每块陆地按所在区县的人口密度计权，"
        "因此跨越多个区县的区域，其人口加权值可能不同于其陆地覆盖率；全市值按各区县人口加权。",
        en="Coverage is approximate: in-service sites are assumed to reach a radius R per band ({radii}), judged at "
        "the centre of H3 resolution {res} hexagons (≈{edge} km across), so it is right to about one hexagon. "
        "Population-weighted coverage assumes residents are spread evenly over each district's land, because no "
        "population data finer than districts exists, so an area's population is an estimate: each piece of its land "
        "counts with its district's residents per km². An area spanning several districts can therefore have a "
        "weighted value that differs from its land coverage; the city value weights the districts by population.",
    ),
}


#: ``{name:one|other}`` in a text: the singular when ``values[name]`` is 1, else the plural
_PLURAL = re.compile(r"\{(\w+):([^{}|]*)\|([^{}]*)\}")


def _plural(text: str, values: dict[str, object]) -> str:
    def pick(match: re.Match[str]) -> str:
        value = str(values.get(match.group(1), "")).replace(",", "").strip()
        return match.group(2) if value in ("1", "1.0") else match.group(3)

    return _PLURAL.sub(pick, text)


def t(key: str, lang: str = "zh", **values: object) -> str:
    """The string ``key`` in ``lang`` (``"zh"`` or ``"en"``, by :meth:`zzgeo.messages.Text.get`), formatted
    with ``values``.

    English texts say ``{n:site|sites}`` where the word follows the number ``n`` (1 site,
    2 sites); a number given as text ("1", "1,200") counts too.
    """
    text = STRINGS[key].get(lang)
    return _plural(text, values).format(**values) if values else text


def tu(key: str, lang: str, areas: bool = False, **values: object) -> str:
    """:func:`t` of the wording for areas (the key ``<key>@areas``) on an area level, where it differs."""
    return t(f"{key}@areas" if areas and f"{key}@areas" in STRINGS else key, lang, **values)


def t_template(key: str, lang: str, count: int, **values: object) -> str:
    """A template for the browser: ``{n}`` stays for it to fill in, the words agree with ``count``."""
    text = _plural(STRINGS[key].get(lang), {"n": count})
    return text.format(n="{n}", **values)


def indicator_title(key: str, lang: str) -> str:
    """Title of an indicator of :data:`zzgeo.indicators.INDICATORS`."""
    return INDICATORS[key].title.get(lang)


def indicator_unit(key: str, lang: str) -> str:
    """Unit of an indicator."""
    return INDICATORS[key].unit.get(lang)


def indicator_label(key: str, lang: str) -> str:
    """Title with its unit, e.g. "每万人站点数 (个/万人)"; the unit is left out when the
    title already says it (English "Sites per 10,000 residents")."""
    title, unit = indicator_title(key, lang), indicator_unit(key, lang)
    return title if unit.lower() in title.lower() else f"{title} ({unit})"


def indicator_value(key: str, value: str, lang: str) -> str:
    """A formatted value with its unit, unless the title already says the unit."""
    title, unit = indicator_title(key, lang), indicator_unit(key, lang)
    return value if unit.lower() in title.lower() else f"{value} {unit}"


def part_name(key: str, lang: str) -> str:
    """Name of a part of the plan."""
    name = PLAN_PARTS.get(key)
    return name.get(lang) if name else key


def population_status(status: str, lang: str) -> str:
    """Label of a population status (published, derived, ...)."""
    key = f"pop_{status}"
    return t(key, lang) if key in STRINGS else status


def target_status(status: str | None, lang: str) -> str:
    """Label of a target status ("plan" or "assumption")."""
    if status == "plan":
        return t("target_plan", lang)
    if status == "assumption":
        return t("target_assumption", lang)
    return status or ""


def district_name(row: dict[str, object] | object, lang: str) -> str:
    """District name from a row with ``name_zh``/``name_en``."""
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    return str(get("name_en") if lang == "en" else get("name_zh"))
