"""Visible strings in Chinese (default) and English.

Titles of indicators, layer kinds, operators, statuses and plan parts come from the
zzgeo registries; everything else the app shows is here. ``t(key, lang, **values)``
formats a string; a missing key raises KeyError (the tests check both languages are
complete).
"""

from __future__ import annotations

import re

from zzgeo.indicators import INDICATORS
from zzgeo.layers import OPERATORS, STATUSES, get_spec
from zzgeo.plan import PLAN_PARTS

LANGS = ("zh", "en")

#: key -> (zh, en)
STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("漳州新基建地图", "Zhangzhou new-infrastructure map"),
    "app_subtitle": (
        "5G基站、数据中心与智慧城市项目（新型基础设施建设三年行动计划 2023–2025）",
        "5G sites, data centers and smart-city projects (new-infrastructure action plan 2023–2025)",
    ),
    "synthetic_note": (
        "注意：站点图层为合成样例数据（并非真实站点），仅供演示；区县边界、人口与规划目标来自公开资料。",
        "Note: the site layers are a synthetic sample (not real sites), for demonstration only; "
        "district boundaries, population and plan targets come from public sources.",
    ),
    "switch_lang": ("English", "中文"),
    "switch_lang_label": ("Switch to English", "切换到中文"),
    "error_generic": ("出现意外错误，请重试或刷新页面。", "Something went wrong; please try again or reload the page."),
    "error_n": ("请输入拟建数量（1 至 {max}）。", "Enter the number of sites to propose (1 to {max})."),
    "error_too_many": ("拟建站点最多 {max} 个，请先清除一些。", "At most {max} proposed sites; clear some first."),
    "error_no_target_gap": (
        "{year} 年无规划目标，无法按缺口分配；请改用“每万人基站数最低者优先”。",
        "The plan sets no target for {year}, so there is no gap to close; allocate by sites per 10,000 instead.",
    ),
    "error_layer_missing": ("图层 {layer} 无法加载：{message}", "Layer {layer} could not be loaded: {message}"),
    # area levels (app/features/level.py)
    "level": ("区域层级", "Area level"),
    "level_districts": ("区县（11 个）", "Districts (11)"),
    "level_option": ("{file}（{n} 个区域）", "{file} ({n:area|areas})"),
    "level_estimated": (
        "人口{rule}；按其计算的每万人指标亦为估算。",
        "Population {rule}; the per-10,000 figures computed from it are estimates too.",
    ),
    "level_none": (
        "导入区域图层（类型“区域”：乡镇街道、规划网格、片区）后，可按区域查看各项指标。",
        "Import an area layer (kind “areas”: townships, planning grids, zones) to see every indicator per area.",
    ),
    # accounts
    "role_viewer": ("只读", "viewer"),
    "role_editor": ("编辑", "editor"),
    "role_admin": ("管理员", "admin"),
    "role_none": ("无权限", "no access"),
    "account_local": ("本机用户（管理员）", "Local user (admin)"),
    "account_named": ("{name}（{role}）", "{name} ({role})"),
    "account_visitor": ("访客（{role}）", "Visitor ({role})"),
    "account_sign_in": ("登录", "Sign in"),
    "account_sign_out": ("退出", "Sign out"),
    "editors_only": (
        "导入、替换、移除数据与采纳规划站点需要编辑权限：请登录编辑账号。",
        "Importing, replacing, removing data and accepting planned sites need an editor: "
        "sign in with an editor account.",
    ),
    # the record of changes
    "history": ("变更记录", "History of changes"),
    "history_help": (
        "每一次导入、替换、移除与采纳都记录谁、何时、哪个文件（SHA-256）以及图层前后的条数；管理员可以撤销。",
        "Every import, replacement, removal and acceptance records who, when, which file (SHA-256) and the layer's "
        "counts before and after; an admin can revert it.",
    ),
    "history_none": ("尚无变更。", "No changes yet."),
    "history_at": ("时间", "When"),
    "history_who": ("操作人", "Who"),
    "history_action": ("操作", "What"),
    "history_kind": ("图层", "Layer"),
    "history_what": ("文件或说明", "File or note"),
    "history_counts": ("条数（前 → 后）", "Rows (before → after)"),
    "history_revert": ("撤销", "Revert"),
    "history_revert_label": ("撤销第 {seq} 条变更", "Revert change #{seq}"),
    "history_revert_confirm": (
        "确定撤销第 {seq} 条变更吗？撤销本身也会被记录。",
        "Revert change #{seq}? The revert is recorded too.",
    ),
    "history_reverted": ("已撤销第 {seq} 条变更。", "Reverted change #{seq}."),
    "history_import": ("导入（合并）", "import (added)"),
    "history_replace": ("导入（替换样例）", "import (replacing the sample)"),
    "history_remove": ("移除", "removal"),
    "history_accept_proposals": ("采纳规划站点", "planned sites accepted"),
    "history_remove_proposals": ("移除规划站点", "planned sites removed"),
    "history_reverted_action": ("撤销", "revert"),
    "history_purge": ("清理", "purge"),
    "history_account_add": ("新增账号", "account added"),
    "history_account_remove": ("删除账号", "account removed"),
    "history_account_password": ("修改密码", "password changed"),
    "history_account_role": ("修改角色", "role changed"),
    # place search
    "search": ("搜索", "Search"),
    "search_placeholder": ("搜索区县（中文、拼音）或站号", "Search a district or a site id"),
    "search_none": (
        "没有找到“{query}”。可搜索区县名称（中文、英文或拼音）或站号。",
        "Nothing found for “{query}”: search a district's name (Chinese, English or pinyin) or a site id.",
    ),
    "search_site": ("5G基站", "5G site"),
    "search_outside": ("漳州市以外", "outside Zhangzhou"),
    # page layout
    "sidebar_hide": ("收起筛选栏", "Hide the filters"),
    "sidebar_show": ("展开筛选栏", "Show the filters"),
    "time": ("历年变化", "Over time"),
    "whatif_tab": ("情景模拟", "What-if"),
    # controls
    "controls": ("筛选与图层", "Filters and layers"),
    "indicator": ("指标", "Indicator"),
    "palette": ("配色", "Colours"),
    "palette_standard": ("标准（ColorBrewer）", "Standard (ColorBrewer)"),
    "palette_cb": ("Viridis（色盲友好）", "Viridis (colour-blind safe)"),
    "palette_grey": ("灰度（黑白打印）", "Greyscale (black-and-white print)"),
    "year": ("截至年份", "As of year"),
    "year_back": ("上一年", "One year back"),
    "year_next": ("下一年", "One year on"),
    "play": ("▶ 播放", "▶ Play"),
    "pause": ("‖ 暂停", "‖ Pause"),
    "play_label": ("逐年播放", "Play the years"),
    "play_group": ("逐年播放", "Play the years"),
    "compare": ("对比年份", "Compare with"),
    "compare_with": ("{year} 年", "{year}"),
    "compare_none": ("不对比", "No comparison"),
    "compare_help": (
        "选择一个年份后，地图显示该年至截至年份的变化。",
        "With a year chosen, the map shows the change from it to the as-of year.",
    ),
    "legend_change": ("{title}的变化（{first} → {last}）", "Change of {title} ({first} → {last})"),
    "tip_change": (
        "{title}：{first} 年 {before} → {last} 年 {after}（{delta}）",
        "{title}: {before} in {first} → {after} in {last} ({delta})",
    ),
    "time_table": ("各区县历年5G基站", "5G sites by district and year"),
    "time_table@areas": ("各区域历年5G基站", "5G sites by area and year"),
    "time_table_help": (
        "每格：站点数（上）与每万人站点数（下），截至各年年底，按当前的运营商与状态筛选；人口为2020年普查数。",
        "Each cell: sites (top) and sites per 10,000 residents (bottom) at the end of each year, with the "
        "operator and status filters; population from the 2020 census.",
    ),
    "chart_city_title": (
        "全市每万人5G基站数与规划目标路径",
        "City-wide sites per 10,000 against the plan's target path",
    ),
    "chart_city_density": ("全市每万人站点数", "City-wide sites per 10,000"),
    "chart_target_path": ("规划目标路径", "Plan target path"),
    "chart_after_plan": ("规划期（2023–2025）之后：无目标", "After the plan (2023–2025): no target"),
    "operator": ("运营商", "Operator"),
    "status": ("状态", "Status"),
    "layers": ("图层", "Layers"),
    # basemaps
    "basemap_osm": ("OpenStreetMap", "OpenStreetMap"),
    "basemap_tianditu": ("天地图", "Tianditu"),
    "basemap_none": ("无底图", "No basemap"),
    # legend
    "legend": ("图例", "Legend"),
    "legend_below_target": ("低于规划目标（红色虚线边框）", "Below the plan target (dashed red outline)"),
    "legend_no_data": ("无数据", "No data"),
    "legend_no_target": ("{year} 年无规划目标", "No plan target for {year}"),
    "legend_proposed": ("拟建站点（情景模拟）", "Proposed site (what-if)"),
    "legend_data_center": ("数据中心", "Data center"),
    # cards
    "card_sites": ("5G基站总数", "Total 5G sites"),
    "card_density": ("全市每万人基站数", "City-wide sites per 10,000 residents"),
    "card_underserved": ("低于目标的区县", "Districts below the target"),
    "card_underserved@areas": ("低于目标的区域", "Areas below the target"),
    "card_target": ("目标 {value}（{year}，{status}）", "target {value} ({year}, {status})"),
    "card_no_target": ("{year} 年无规划目标", "no plan target for {year}"),
    "card_proposed": ("含拟建 {n} 个", "incl. {n} proposed"),
    "card_of": ("{n} / {total}", "{n} of {total}"),
    "card_as_of": ("截至 {year} 年底", "as of end {year}"),
    "target_plan": ("规划值", "plan"),
    "target_assumption": ("假设值", "assumption"),
    "meets_target": ("达到目标", "meets the target"),
    "below_target": ("低于目标", "below the target"),
    # ranking
    "ranking": ("排名", "Ranking"),
    "ranking_hint": (
        "点击一行可在地图上定位该区县并打开详情；点击表头排序。",
        "Click a row to zoom the map to that district and open its panel; click a header to sort.",
    ),
    "ranking_hint@areas": (
        "点击一行可在地图上定位该区域并打开详情；点击表头排序。",
        "Click a row to zoom the map to that area and open its panel; click a header to sort.",
    ),
    "col_rank": ("排名", "Rank"),
    "col_district": ("区县", "District"),
    "col_district@areas": ("区域", "Area"),
    "col_sites": ("站点数", "Sites"),
    "col_per_10k": ("每万人", "Per 10,000"),
    "col_gap": ("缺口", "Gap"),
    "col_population": ("人口", "Population"),
    "col_status": ("达标情况", "Status"),
    "col_proposed": ("拟建", "Proposed"),
    # district panel
    "panel_title": ("详情", "Details"),
    "panel_empty": (
        "点击地图上的区县或排名表中的一行查看详情。",
        "Click a district on the map or a row of the ranking.",
    ),
    "panel_empty@areas": (
        "点击地图上的区域或排名表中的一行查看详情。",
        "Click an area on the map or a row of the ranking.",
    ),
    "panel_close": ("关闭详情", "Close the details"),
    "population": ("常住人口", "Resident population"),
    "population_line": ("{value} 人（{year} 年，{status}）", "{value} ({year}, {status})"),
    "pop_published": ("公开数据", "published"),
    "pop_published-secondary": ("二手来源", "secondary source"),
    "pop_derived": ("推算*", "derived*"),
    "pop_user-supplied": ("用户提供", "user-supplied"),
    "pop_sum of districts": ("各区县合计", "sum of districts"),
    "pop_unknown": ("来源未知", "unknown source"),
    "pop_estimated": ("估算", "estimated"),
    "derived_explain": (
        "* 推算：未找到直接公布的数字，由其他公开数字计算得出。",
        "* derived: no direct publication found; computed from other published figures.",
    ),
    "estimated_explain": ("人口为{rule}。", "Population {rule}."),
    "area_code": ("代码 {code}", "code {code}"),
    "area_facts": ("位于{district} · 面积 {km2} km²", "in {district} · {km2} km²"),
    "col_indicator": ("指标", "Indicator"),
    "col_this_district": ("本区县", "This district"),
    "col_this_district@areas": ("本区域", "This area"),
    "col_city": ("全市", "City"),
    "target_line": (
        "规划目标：{value} 个/万人（{year} 年，{status}）",
        "Plan target: {value} per 10,000 ({year}, {status})",
    ),
    "gap_line": ("尚缺 {n} 个基站", "{n} more {n:site|sites} needed"),
    "no_target_line": ("{year} 年无规划目标", "No plan target for {year}"),
    "chart_title": ("历年5G基站数（{first}–{last}）", "5G sites by year ({first}–{last})"),
    "chart_sites": ("基站数", "Sites"),
    "chart_target": ("规划目标所需基站数", "Sites the target asks for"),
    "chart_proposed": ("拟建", "Proposed"),
    # what-if
    "whatif": ("情景模拟：拟建5G基站", "What-if: proposed 5G sites"),
    "whatif_help": (
        "用地图左上角的圆点工具添加拟建站点，或自动在最薄弱的区县（或所选层级的区域）布设 N 个站点。"
        "拟建站点不会并入真实图层，除非点击“采纳”。",
        "Add proposed sites with the circle tool at the map's top left, or place N sites in the most "
        "underserved districts (or areas of the chosen level) automatically. Proposals never join the real "
        "layer unless you accept them.",
    ),
    "leaflet_draw_title": ("添加拟建5G站点", "Add a proposed 5G site"),
    "leaflet_draw_hint": ("在地图上点击以放置拟建站点。", "Click the map to place a proposed site."),
    "leaflet_draw_cancel": ("取消", "Cancel"),
    "leaflet_draw_cancel_title": ("取消添加", "Stop adding sites"),
    "leaflet_zoom_in": ("放大", "Zoom in"),
    "leaflet_zoom_out": ("缩小", "Zoom out"),
    "leaflet_layers": ("底图", "Base map"),
    "leaflet_fullscreen": ("全屏显示", "View full screen"),
    "leaflet_fullscreen_exit": ("退出全屏", "Exit full screen"),
    "osm_contributors": ("贡献者", "contributors"),
    "whatif_n": ("拟建数量 N", "Number of sites N"),
    "whatif_rule": ("分配规则", "Allocation rule"),
    "rule_sites_per_10k": ("每万人基站数最低者优先", "Lowest sites per 10,000 first"),
    "rule_gap": ("距目标缺口最大者优先", "Largest gap to the target first"),
    "whatif_operator": ("拟建站点运营商", "Operator of proposed sites"),
    "whatif_suggest": ("建议布设", "Suggest"),
    "whatif_clear": ("清除拟建", "Clear proposals"),
    "whatif_accept": ("采纳为规划站点", "Accept as planned sites"),
    "whatif_export": ("导出拟建 GeoJSON", "Export proposals (GeoJSON)"),
    "whatif_none": ("暂无拟建站点。", "No proposed sites yet."),
    "whatif_clear_confirm": (
        "确定清除全部 {n} 个拟建站点吗？清除后可撤销。",
        "Clear all {n} proposed {n:site|sites}? You can undo it.",
    ),
    "whatif_cleared": ("已清除 {n} 个拟建站点。", "Cleared {n} proposed {n:site|sites}."),
    "whatif_restored": ("已恢复 {n} 个拟建站点。", "Brought back {n} proposed {n:site|sites}."),
    "whatif_undo": ("撤销清除", "Undo"),
    "whatif_suggested": (
        "已建议 {n} 个拟建站点（见地图上的黄色圆点）。",
        "Suggested {n} {n:site|sites} (the yellow dots on the map).",
    ),
    "whatif_accepted": (
        "已将 {n} 个拟建站点采纳为规划站点。",
        "Accepted {n} proposed {n:site|sites} as planned sites.",
    ),
    "whatif_batches": ("已采纳的规划站点", "Accepted planned sites"),
    "whatif_batches_help": (
        "采纳的拟建站点作为“规划”状态的站点保存在工作区中，所有人可见；编辑人员可以移除。",
        "Accepted proposals are kept in the workspace as planned sites everyone sees; an editor can remove them.",
    ),
    "whatif_batches_none": ("尚未采纳拟建站点。", "No proposals accepted yet."),
    "whatif_batch_time": ("采纳时间", "Accepted"),
    "whatif_batch_who": ("采纳人", "By"),
    "whatif_batch_rows": ("站点数", "Sites"),
    "whatif_batch_remove": ("移除这 {n} 个规划站点", "Remove these {n} planned {n:site|sites}"),
    "whatif_batch_confirm": (
        "确定移除这 {n} 个已采纳的规划站点吗？变更记录会保留此操作。",
        "Remove these {n} accepted planned {n:site|sites}? The history keeps a record of it.",
    ),
    "whatif_batch_removed": ("已移除 {n} 个规划站点。", "Removed {n} planned {n:site|sites}."),
    "whatif_nothing_to_accept": (
        "没有可采纳的拟建站点：请先建议或绘制站点。",
        "There are no proposals to accept: suggest or draw some first.",
    ),
    "whatif_count": ("拟建 {n} 个站点：", "{n} proposed {n:site|sites}:"),
    "whatif_effect": (
        "{name}：{before} → {after} 个/万人（+{added}）",
        "{name}: {before} → {after} per 10,000 (+{added})",
    ),
    "whatif_coverage": ("；陆地覆盖 {before}% → {after}%", "; land coverage {before}% → {after}%"),
    "whatif_outside": (
        "{n} 个拟建站点在漳州市以外，不计入指标。",
        "{n} proposed {n:site is|sites are} outside Zhangzhou and not counted.",
    ),
    "whatif_accepted_total": ("已采纳的站点：{n} 个", "Accepted sites: {n}"),
    "whatif_summary_label": ("情景模拟结果", "What-if result"),
    # export
    "export": ("导出", "Export"),
    "export_layer": ("图层（按当前筛选）", "Layer (as filtered)"),
    "export_geojson": ("GeoJSON", "GeoJSON"),
    "export_gpkg": ("GeoPackage", "GeoPackage"),
    "export_table": ("指标表", "Indicator table"),
    "export_csv": ("CSV", "CSV"),
    "export_xlsx": ("Excel", "Excel"),
    "export_empty": ("没有可导出的要素。", "Nothing to export."),
    # briefing outputs (app/features/briefing.py)
    "brief": ("简报输出", "Briefing outputs"),
    "brief_note": (
        "按当前视图（指标、配色、年份、筛选、图层、统计单元、情景模拟）在服务器上绘制；合成样本在每份输出上都有标注。",
        "Drawn on the server from the current view (indicator, colours, year, filters, layers, area level, "
        "what-if proposals); a synthetic sample is labelled on every output.",
    ),
    "brief_format": ("地图格式", "Map format"),
    "brief_png": ("PNG（A4，300 dpi）", "PNG (A4, 300 dpi)"),
    "brief_pdf": ("PDF（矢量）", "PDF (vector)"),
    "brief_svg": ("SVG（矢量）", "SVG (vector)"),
    "brief_map": ("地图图片", "Map image"),
    "brief_report": ("简报报告（PDF）", "Briefing report (PDF)"),
    "brief_cancel": ("取消", "Cancel"),
    "brief_progress_label": ("绘制进度", "Render progress"),
    "brief_done": ("已生成并下载：{file}", "Made and downloaded: {file}"),
    "brief_cancelled": ("已取消绘制。", "The render was cancelled."),
    "brief_expired": ("绘制任务已失效，请重新点击。", "The render is no longer available; please click again."),
    "brief_failed": ("绘制失败：{error}", "The render failed: {error}"),
    "brief_stage_starting": ("正在启动", "Starting"),
    "brief_stage_reading": ("正在读取数据", "Reading the data"),
    "brief_stage_indicators": ("正在计算指标", "Computing the indicators"),
    "brief_stage_map": ("正在绘制地图", "Drawing the map"),
    "brief_stage_coverage": ("正在计算覆盖率", "Computing coverage"),
    "brief_stage_chart": ("正在绘制图表", "Drawing the chart"),
    "brief_stage_tables": ("正在编排表格", "Laying out the tables"),
    "brief_stage_writing": ("正在写入文件", "Writing the file"),
    "brief_stage_saving": ("正在保存", "Saving"),
    "brief_stage_done": ("完成", "Done"),
    "brief_progress": ("{what}：{stage}（{pct}%）", "{what}: {stage} ({pct}%)"),
    # tooltips
    "tip_value": ("{title}：{value}", "{title}: {value}"),
    "tip_population": ("人口：{value}（{year}，{status}）", "Population: {value} ({year}, {status})"),
    "tip_under": ("低于规划目标", "below the plan target"),
    "tip_with_proposed": ("含拟建 {n} 个", "incl. {n} proposed"),
    "tip_site": ("5G基站", "5G site"),
    "tip_cluster": ("{n} 个基站", "{n} {n:site|sites}"),
    "tip_proposed": ("拟建站点（未采纳）", "Proposed site (not accepted)"),
    "tip_year": ("年份", "Year"),
    "tip_band": ("频段", "Band"),
    "tip_racks": ("机架", "Racks"),
    "tip_power": ("电力", "Power"),
    "tip_budget": ("投资（万元）", "Budget (10,000 CNY)"),
    "tip_task": ("规划任务", "Plan task"),
    "tip_part": ("规划部分", "Plan part"),
    "tip_source": ("导入自", "Imported from"),
    # synthetic-sample note when imports join the layers
    "note_base": (
        "区县边界、人口与规划目标来自公开资料。",
        "District boundaries, population and plan targets come from public sources.",
    ),
    "note_sample": (
        "注意：{layers}为合成样例数据（并非真实数据），仅供演示。",
        "Note: {layers}: a synthetic sample (not real data), for demonstration only.",
    ),
    "note_replaced": ("{layer}为您导入的数据（来自 {files}）。", "The {layer} layer is your data (from {files})."),
    "note_mixed": (
        "{layer}为合成样例数据与 {n} 行导入数据（来自 {files}）的混合。",
        "The {layer} layer mixes the synthetic sample with {n} imported {n:row|rows} (from {files}).",
    ),
    "list_sep": ("、", ", "),
    # import panel
    "import": ("导入数据", "Import data"),
    "import_help": (
        "支持 CSV、Excel (.xlsx)、GeoJSON、GeoPackage、Shapefile（.zip 压缩包）和 (Geo)Parquet，"
        "最大 {mb} MB。表头可用中文或英文（如 站号、运营商、经度、纬度）。",
        "CSV, Excel (.xlsx), GeoJSON, GeoPackage, zipped Shapefile (.zip) and (Geo)Parquet, up to {mb} MB. "
        "Headers may be Chinese or English (e.g. 站号, operator, 经度, lat).",
    ),
    "import_kind": ("图层类型", "Layer kind"),
    "import_crs": ("坐标系", "Coordinate system"),
    "import_crs_help": (
        "自带坐标系的文件（GeoPackage、带 .prj 的 Shapefile、GeoParquet、带 crs 的 GeoJSON）使用其自身坐标系；"
        "此选项只用于未说明坐标系的文件（如 CSV、Excel）。",
        "Files that state their coordinate system (GeoPackage, Shapefile with .prj, GeoParquet, GeoJSON with a "
        "crs member) use their own; this choice applies to files that do not (e.g. CSV, Excel).",
    ),
    "import_layer": ("GeoPackage 图层", "GeoPackage layer"),
    "import_layer_choose": (
        "该 GeoPackage 含多个图层，请在上方选择一个。",
        "The GeoPackage has several layers: choose one above.",
    ),
    "import_mode": ("导入方式", "How to combine"),
    "import_mode_add": ("与样例数据合并", "Add to the sample"),
    "import_mode_replace": ("替换该类样例数据", "Replace the sample of this kind"),
    "import_drop": ("将文件拖放到这里，或", "Drop a file here, or"),
    "import_browse": ("点击选择文件", "click to choose one"),
    "import_too_big": (
        "{file}：文件大小 {size} MB，超过上限 {limit} MB。",
        "{file}: {size} MB is over the size limit of {limit} MB.",
    ),
    "import_empty": ("{file}：文件为空。", "{file}: the file is empty."),
    "import_damaged": (
        "{file}：上传的内容无法读取，请重新上传。",
        "{file}: the upload could not be read; please try again.",
    ),
    "import_failed": ("{file} 无法导入：", "{file} could not be imported:"),
    "import_expired": (
        "该报告已过期，请重新上传文件。",
        "This report has expired; please upload the file again.",
    ),
    "import_nothing": (
        "没有通过检查的行，无法导入；请下载被拒绝的行，修改后重新上传。",
        "No row passed the checks, so there is nothing to import; "
        "download the rejected rows, fix them and upload again.",
    ),
    "import_accept": ("导入通过检查的行", "Import the accepted rows"),
    "import_rejected_csv": ("下载被拒绝的行 (CSV)", "Download rejected rows (CSV)"),
    "import_added": (
        "已导入 {n} 行到图层“{layer}”（{mode}）。",
        "Imported {n} {n:row|rows} into the {layer} layer ({mode}).",
    ),
    "import_removed": ("已移除导入：{file}", "Removed the import of {file}"),
    "import_already": (
        "该报告中的行已导入；如需再次导入，请重新上传文件。",
        "The rows of this report have already been imported; upload the file again to import it once more.",
    ),
    "import_encoding": ("文本编码（CSV）", "Text encoding (CSV)"),
    "import_encoding_auto": ("自动识别", "Detect automatically"),
    "import_encoding_big5": ("Big5（繁体中文）", "Big5 (traditional Chinese)"),
    "import_encoding_shift_jis": ("Shift-JIS（日文）", "Shift-JIS (Japanese)"),
    "import_encoding_latin-1": ("Latin-1（西欧）", "Latin-1 (Western European)"),
    "import_encoding_cp1252": ("Windows-1252（西欧）", "Windows-1252 (Western European)"),
    "import_encoding_hint": (
        "请在左侧“文本编码（CSV）”中选择文件的编码，文件会重新读取。",
        "Choose the file's encoding under “Text encoding (CSV)”: the file is read again.",
    ),
    "import_keep_columns": ("保留其他列", "Keep extra columns"),
    "import_keep_help": (
        "默认只导入该图层类型的字段；其他列（如联系电话、内部备注）不导入，并在报告中列出。",
        "By default only the layer kind's fields are imported; other columns (phone numbers, internal notes) "
        "are left out and listed in the report.",
    ),
    "import_cancel": ("取消导入", "Cancel the import"),
    "import_progress_label": ("导入进度", "Import progress"),
    "import_progress": ("{file}：{stage}", "{file}: {stage}"),
    "import_progress_rows": ("已处理 {rows} / {total} 行", "{rows} of {total} {total:row|rows}"),
    "import_progress_rows_some": ("已处理 {rows} 行", "{rows} {rows:row|rows} so far"),
    "import_stage_starting": ("准备中", "starting"),
    "import_stage_reading": ("读取中", "reading"),
    "import_stage_checking": ("检查中", "checking"),
    "import_stage_saving": ("保存结果", "saving the result"),
    "import_stage_done": ("完成", "done"),
    "report": ("导入报告", "Import report"),
    "report_file": ("文件：{file}", "File: {file}"),
    "report_format": ("格式：{fmt}", "Format: {fmt}"),
    "report_crs_file": (
        "坐标：{crs}（文件自带），已转换为 WGS-84",
        "Coordinates: {crs} (stated by the file), converted to WGS-84",
    ),
    "report_crs_chosen": (
        "坐标：{crs}（所选），已转换为 WGS-84",
        "Coordinates: {crs} (as chosen), converted to WGS-84",
    ),
    "report_summary": (
        "读取 {read} 行：接受 {accepted} 行，拒绝 {rejected} 行（{errors} 个错误，{warnings} 个警告）。",
        "{read} {read:row|rows} read: {accepted} accepted, {rejected} rejected "
        "({errors} {errors:error|errors}, {warnings} {warnings:warning|warnings}).",
    ),
    "report_mapping": ("列的对应关系", "Columns used"),
    "report_source_column": ("文件中的列", "Column in the file"),
    "report_target_column": ("对应字段", "Read as"),
    "report_unmapped": (
        "未列出的列不属于该图层类型：默认不导入，勾选“保留其他列”则原样保留（见下文）。",
        "Columns not listed are not part of the layer kind: they are left out, "
        "or kept as they are when “Keep extra columns” is ticked (see below).",
    ),
    "report_dropped": (
        "不属于{kind}的列，未导入图层：{columns}。如需保留，请勾选“保留其他列”，文件会重新读取。",
        "Columns not part of {kind}, left out of the layer: {columns}. "
        "To keep them, tick “Keep extra columns”: the file is read again.",
    ),
    "report_kept": (
        "不属于{kind}的列，已按所选原样保留：{columns}。",
        "Columns not part of {kind}, kept as they are (as chosen): {columns}.",
    ),
    "report_encoding": ("文本编码：{encoding}", "Text encoding: {encoding}"),
    "report_encoding_chosen": ("（所选）", " (as chosen)"),
    "report_encoding_bom": ("（带 BOM）", " with BOM"),
    "report_encoding_suspect": (
        "文本按 {encoding} 读取，但看起来解码有误（如 {sample}）；如文字显示错乱，"
        "请在“文本编码（CSV）”中选择文件的编码，文件会重新读取。",
        "The text was read as {encoding} but looks mis-decoded (e.g. {sample}); if letters look wrong, "
        "choose the file's encoding under “Text encoding (CSV)”: the file is read again.",
    ),
    "report_values": ("识别的取值", "Recognised values"),
    "report_value_column": ("字段", "Field"),
    "report_value_from": ("原值", "Value in the file"),
    "report_value_to": ("识别为", "Read as"),
    "report_value_rows": ("行数", "Rows"),
    "report_problems": ("问题", "Problems"),
    "report_no_problems": ("未发现问题。", "No problems found."),
    "report_more_problems": (
        "另有 {n} 个问题未列出；被拒绝的行及其问题见 CSV 下载。",
        "{n} more {n:problem is|problems are} not listed; "
        "the rejected rows with their problems are in the CSV download.",
    ),
    "col_severity": ("级别", "Severity"),
    "col_row": ("行", "Row"),
    "col_column": ("列", "Column"),
    "col_value": ("值", "Value"),
    "col_problem": ("问题", "Problem"),
    "severity_error": ("错误", "error"),
    "severity_warning": ("警告", "warning"),
    "report_severity_help": (
        "有错误的行被拒绝；只有警告的行仍会导入。",
        "Rows with an error are rejected; rows with only warnings are imported.",
    ),
    "import_jump": ("导入自己的数据…", "Import your own data…"),
    "col_lon": ("经度", "Longitude"),
    "col_lat": ("纬度", "Latitude"),
    "format_csv": ("CSV 表格", "CSV table"),
    "format_xlsx": ("Excel 工作簿", "Excel workbook"),
    "format_geojson": ("GeoJSON", "GeoJSON"),
    "format_gpkg": ("GeoPackage", "GeoPackage"),
    "format_shapefile": ("Shapefile（zip）", "Shapefile (zip)"),
    "format_parquet": ("(Geo)Parquet", "(Geo)Parquet"),
    "imports": ("已导入的图层", "Imported layers"),
    "imports_none": (
        "尚未导入数据；地图显示合成样例数据。",
        "Nothing imported yet; the map shows the synthetic sample.",
    ),
    "imports_file": ("文件", "File"),
    "imports_kind": ("图层", "Layer"),
    "imports_time": ("导入时间", "Imported"),
    "imports_rows": ("接受 / 拒绝", "Accepted / rejected"),
    "imports_mode": ("方式", "Mode"),
    "imports_remove": ("移除", "Remove"),
    "imports_remove_label": ("移除导入的 {file}", "Remove the import of {file}"),
    "imports_remove_confirm": (
        "确定移除导入的 {file} 吗？其中的行将从地图、指标与导出中消失。",
        "Remove the import of {file}? Its rows leave the map, the indicators and the exports.",
    ),
    "mode_add": ("合并", "added"),
    "mode_replace": ("替换样例", "replaces the sample"),
    "workspace_error": ("无法读取导入数据的工作区：{message}", "The workspace of imports could not be read: {message}"),
    # hexagon overlays and coverage
    "hex_overlays": ("六边形图层", "Hexagon overlays"),
    "hex_counts": ("每个六边形内的5G基站数", "5G sites per hexagon"),
    "hex_gaps": ("覆盖空白", "Coverage gaps"),
    "hex_resolution": ("六边形大小", "Hexagon size"),
    "hex_res": ("H3 第 {res} 级（约 {area} 平方公里）", "H3 resolution {res} (≈{area} km²)"),
    "hex_help": (
        "基站数随年份、运营商与状态筛选变化。覆盖空白：R 公里内没有在用基站的陆地六边形"
        "（只计在用基站，随年份与运营商筛选），R 按频段假设：{radii}。",
        "Site counts follow the year, operator and status filters. Coverage gaps: land hexagons with no "
        "in-service site within R km (in-service sites only, for the year and operators chosen); R is "
        "assumed per band: {radii}.",
    ),
    "hex_counts_title": (
        "5G基站数 / 六边形（H3 第 {res} 级，约 {area} 平方公里）",
        "5G sites per hexagon (H3 res {res}, ≈{area} km²)",
    ),
    "hex_gaps_title": (
        "覆盖空白：R 公里内无在用基站（占陆地六边形 {share}%）",
        "Coverage gap: no in-service site within R km ({share}% of land hexagons)",
    ),
    "hex_radii": ("R（按频段假设）：{radii}", "R (assumed per band): {radii}"),
    "radius_other": ("其他频段 {value} km", "other bands {value} km"),
    "hex_approx": (
        "近似值：按六边形中心判断，边界误差约一个六边形（约 {edge} 公里）。",
        "Approximate: judged at each hexagon's centre, so edges are right to about one hexagon (≈{edge} km).",
    ),
    "hex_tip_count": (
        "{n} 个5G基站（H3 第 {res} 级六边形，约 {area} 平方公里）",
        "{n} 5G {n:site|sites} (H3 res {res} hexagon, ≈{area} km²)",
    ),
    "hex_tip_gap": ("覆盖空白：R 公里内无在用基站", "Coverage gap: no in-service site within R km"),
    "hex_loading": ("正在绘制六边形…", "Drawing hexagons…"),
    "coverage": ("覆盖（近似）", "Coverage (approximate)"),
    "cov_land": ("R 公里内陆地覆盖率 (%)", "Land within R km of a site (%)"),
    "cov_pop": ("人口加权覆盖率 (%)", "Population-weighted coverage (%)"),
    "col_coverage": ("陆地覆盖率 (%)", "Land coverage (%)"),
    "col_pop_coverage": ("人口加权覆盖率 (%)", "Pop.-weighted coverage (%)"),
    "coverage_note": (
        "覆盖率为近似值：在用基站按频段假设覆盖半径 R（{radii}），以 H3 第 {res} 级六边形（边长约 {edge} 公里）"
        "的中心判断是否覆盖，误差约一个六边形。人口加权覆盖率假设各区县居民均匀分布在其陆地上"
        "（没有比区县更细的人口数据），因此区县的人口加权值等于其陆地覆盖率，全市值按各区县人口加权。",
        "Coverage is approximate: in-service sites are assumed to reach a radius R per band ({radii}), judged at "
        "the centre of H3 resolution {res} hexagons (≈{edge} km across), so it is right to about one hexagon. "
        "Population-weighted coverage assumes residents are spread evenly over each district's land, because no "
        "population data finer than districts exists: a district's value therefore equals its land coverage, and "
        "the city value weights the districts by population.",
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
    """The string ``key`` in ``lang`` (``"zh"`` or ``"en"``), formatted with ``values``.

    English texts say ``{n:site|sites}`` where the word follows the number ``n`` (1 site,
    2 sites); a number given as text ("1", "1,200") counts too.
    """
    zh, en = STRINGS[key]
    text = en if lang == "en" else zh
    return _plural(text, values).format(**values) if values else text


def tu(key: str, lang: str, areas: bool = False, **values: object) -> str:
    """:func:`t` of the wording for areas (the key ``<key>@areas``) on an area level, where it differs."""
    return t(f"{key}@areas" if areas and f"{key}@areas" in STRINGS else key, lang, **values)


def t_template(key: str, lang: str, count: int, **values: object) -> str:
    """A template for the browser: ``{n}`` stays for it to fill in, the words agree with ``count``."""
    zh, en = STRINGS[key]
    text = _plural(en if lang == "en" else zh, {"n": count})
    return text.format(n="{n}", **values)


def indicator_title(key: str, lang: str) -> str:
    """Title of an indicator of :data:`zzgeo.indicators.INDICATORS`."""
    return INDICATORS[key].title(lang)


def indicator_unit(key: str, lang: str) -> str:
    """Unit of an indicator."""
    return INDICATORS[key].unit(lang)


def indicator_label(key: str, lang: str) -> str:
    """Title with its unit, e.g. "每万人站点数 (个/万人)"; the unit is left out when the
    title already says it (English "Sites per 10,000 residents")."""
    title, unit = indicator_title(key, lang), indicator_unit(key, lang)
    return title if unit.lower() in title.lower() else f"{title} ({unit})"


def indicator_value(key: str, value: str, lang: str) -> str:
    """A formatted value with its unit, unless the title already says the unit."""
    title, unit = indicator_title(key, lang), indicator_unit(key, lang)
    return value if unit.lower() in title.lower() else f"{value} {unit}"


def operator_name(key: str, lang: str) -> str:
    """Operator name; unknown keys are returned as they are."""
    names = OPERATORS.get(key)
    return (names[1] if lang == "en" else names[0]) if names else key


def status_name(key: str, lang: str) -> str:
    """Status name (planned / under construction / in service)."""
    names = STATUSES.get(key)
    return (names[1] if lang == "en" else names[0]) if names else key


def layer_title(kind: str, lang: str) -> str:
    """Title of a layer kind."""
    return get_spec(kind).title(lang)


def part_name(key: str, lang: str) -> str:
    """Name of a part of the plan."""
    names = PLAN_PARTS.get(key)
    return (names[1] if lang == "en" else names[0]) if names else key


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
