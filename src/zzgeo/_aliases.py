"""Header and value aliases met in real inventories (Chinese and English).

Headers are compared after :func:`normalize_header`: lower case, no spaces, underscores,
hyphens or dots, and without a trailing unit in brackets ("投资（万元）" -> "投资").
"""

from __future__ import annotations

import re

#: canonical column -> accepted headers (normalized). "year" maps to the kind's year column.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "site_id": ("siteid", "site", "id", "站号", "站点编号", "基站编号", "站点id", "基站id", "站址编码", "站点代码",
                "编号", "gnbid", "cellid"),
    "operator": ("operator", "运营商", "运营单位", "所属运营商", "carrier", "营运商"),
    "band": ("band", "频段", "工作频段", "nrband", "frequencyband"),
    "status": ("status", "状态", "建设状态", "站点状态", "运行状态", "项目状态"),
    "year": ("year", "年份", "年度", "建设年份", "投用年份", "开通年份", "建成年份", "投产年份", "yearinservice",
             "开通时间", "投用时间", "建成时间", "开通日期", "投用日期"),
    "name": ("name", "名称", "项目名称", "数据中心名称", "namezh", "中文名称"),
    "name_en": ("nameen", "英文名称", "englishname"),
    "plan_task": ("plantask", "规划任务", "任务", "所属任务"),
    "racks": ("racks", "机架", "机架数", "机柜数", "机架规模"),
    "power_mw": ("powermw", "power", "电力容量", "用电容量", "功率", "装机容量"),
    "pue": ("pue", "能效", "电能利用效率"),
    "budget": ("budget", "投资", "投资额", "总投资", "预算", "投资金额"),
    "synthetic": ("synthetic", "合成", "合成样例"),
    "source": ("source", "来源", "数据来源"),
}  # fmt: skip

#: Coordinate columns (normalized headers).
LON_ALIASES = ("lon", "lng", "long", "longitude", "经度", "东经", "x", "easting", "东坐标", "x坐标")
LAT_ALIASES = ("lat", "latitude", "纬度", "北纬", "y", "northing", "北坐标", "y坐标")

#: column -> {normalized value -> canonical value}
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "operator": {
        **dict.fromkeys(("中国移动", "移动", "中移动", "cmcc", "cm", "chinamobile", "mobile"), "China Mobile"),
        **dict.fromkeys(("中国电信", "电信", "ctcc", "ct", "chinatelecom", "telecom"), "China Telecom"),
        **dict.fromkeys(("中国联通", "联通", "cucc", "cu", "chinaunicom", "unicom"), "China Unicom"),
        **dict.fromkeys(
            ("中国广电", "广电", "cbn", "chinabroadnet", "broadnet", "chinabroadcastnetwork"), "China Broadnet"
        ),
    },
    "status": {
        **dict.fromkeys(
            ("inservice", "在用", "在网", "已开通", "开通", "运行", "运营", "已建成", "建成", "active", "operational"),
            "in_service",
        ),
        **dict.fromkeys(("underconstruction", "在建", "建设中", "施工中", "building"), "under_construction"),
        **dict.fromkeys(("planned", "规划", "拟建", "计划", "待建", "proposed"), "planned"),
    },
    "band": {
        **{f"n{b}": f"n{b}" for b in (1, 28, 41, 78, 79)},
        **dict.fromkeys(("2.1ghz", "2.1g", "2100mhz", "2100m"), "n1"),
        **dict.fromkeys(("700mhz", "700m"), "n28"),
        **dict.fromkeys(("2.6ghz", "2.6g", "2600mhz", "2600m"), "n41"),
        **dict.fromkeys(("3.5ghz", "3.5g", "3500mhz", "3500m"), "n78"),
        **dict.fromkeys(("4.9ghz", "4.9g", "4900mhz", "4900m"), "n79"),
    },
    "population_status": {
        **dict.fromkeys(("published", "公开", "公开数据", "公布", "已公布", "官方", "统计公报", "普查"), "published"),
        **dict.fromkeys(("publishedsecondary", "secondary", "二手来源", "转引"), "published-secondary"),
        **dict.fromkeys(("derived", "推算", "计算"), "derived"),
        **dict.fromkeys(("usersupplied", "用户提供", "自有", "自报"), "user-supplied"),
        **dict.fromkeys(("estimated", "estimate", "估算", "估计", "测算"), "estimated"),
    },
}

_UNIT_SUFFIX = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]$")
_DROP = re.compile(r"[\s_\-.·/]+")
_DROP_IN_VALUES = re.compile(r"[\s_\-·]+")


def normalize_header(text: object) -> str:
    """A header as compared with the aliases: lower case, no separators, no unit suffix."""
    s = str(text).strip().lower()
    s = _UNIT_SUFFIX.sub("", s).strip()
    return _DROP.sub("", s)


def normalize_value(text: str) -> str:
    """A value as compared with the value aliases: lower case, no separators."""
    return _DROP_IN_VALUES.sub("", text.strip().lower())
