"""What zzgeo says about bad input, in English and Chinese.

Every problem found in an imported file (:class:`zzgeo.errors.Problem`) and every error
that stops a file from being read (:class:`zzgeo.errors.DataError`) is written from one
entry of :data:`TEXTS`: the English text is the one the CLI prints and the tests check;
the Chinese text is what the app shows when its page is in Chinese. Both take the same
values (file, row values, accepted choices); values that come from the data are shown as
they are in both languages.

>>> text("not_a_number", value="abc").zh
"'abc' 不是数字"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["DIRECTIONS", "TEXTS", "Text", "text"]


@dataclass(frozen=True)
class Text:
    """A text in English (``en``) and Chinese (``zh``)."""

    en: str
    zh: str

    def __add__(self, other: Text) -> Text:
        return Text(self.en + other.en, self.zh + other.zh)

    def __str__(self) -> str:
        return self.en

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("zh" or "en"; anything else: English)."""
        return self.zh if lang == "zh" else self.en


#: compass directions (from the city) -> Chinese
DIRECTIONS = {
    "east": "东",
    "north-east": "东北",
    "north": "北",
    "north-west": "西北",
    "west": "西",
    "south-west": "西南",
    "south": "南",
    "south-east": "东南",
}

#: key -> (English, Chinese) templates (``str.format`` with the same names in both)
TEXTS: dict[str, tuple[str, str]] = {
    # reading a file
    "file_empty": ("{where}: the file is empty", "{where}：文件是空的"),
    "file_xls": (
        "{where}: an old Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV and try again",
        "{where}：旧版 Excel 97-2003（.xls）工作簿；请另存为 .xlsx 或 CSV 后重试",
    ),
    "file_lone_shp": (
        "{where}: a lone .shp file; a Shapefile needs its .shx, .dbf (and .prj) too: upload them as one .zip",
        "{where}：只有 .shp 文件；Shapefile 还需要 .shx、.dbf（及 .prj）文件：请打包成一个 .zip 上传",
    ),
    "file_bad_zip": ("{where}: a damaged zip file ({reason})", "{where}：zip 文件已损坏（{reason}）"),
    "file_zip_no_shp": (
        "{where}: a zip file without a Shapefile (.shp) inside; found {found}",
        "{where}：zip 文件中没有 Shapefile（.shp）；其中有：{found}",
    ),
    "file_binary": (
        "{where}: a binary file zzgeo cannot read; accepted: {accepted}",
        "{where}：无法读取的二进制文件；支持的格式：{accepted}",
    ),
    "file_no_header": ("{where}: the file has no header row", "{where}：文件没有表头行"),
    "file_bad_csv": ("{where}: not a readable CSV table ({reason})", "{where}：无法读取的 CSV 表格（{reason}）"),
    "file_bad_json": ("{where}: not valid JSON ({reason})", "{where}：不是有效的 JSON（{reason}）"),
    "file_bad_xlsx": (
        "{where}: not a readable Excel workbook ({reason})",
        "{where}：无法读取的 Excel 工作簿（{reason}）",
    ),
    "file_bad_parquet": (
        "{where}: not a readable Parquet file ({reason})",
        "{where}：无法读取的 Parquet 文件（{reason}）",
    ),
    "file_gpkg_layers": (
        "{where}: the GeoPackage has {n} layers; choose one of: {layers}",
        "{where}：该 GeoPackage 有 {n} 个图层，请选择其一：{layers}",
    ),
    "file_no_layer": (
        "{where}: no layer {layer!r}; layers: {layers}",
        "{where}：没有图层 {layer!r}；现有图层：{layers}",
    ),
    "file_bad_vector": ("{where}: not a readable {fmt} file ({reason})", "{where}：无法读取的 {fmt} 文件（{reason}）"),
    "file_not_found": ("{where}: file not found", "{where}：找不到文件"),
    "file_too_big": (
        "{where}: {size} is over the size limit of {limit}",
        "{where}：{size} 超过大小上限 {limit}",
    ),
    "file_bad_utf16": ("{where}: damaged UTF-16 text ({reason})", "{where}：UTF-16 文本已损坏（{reason}）"),
    "file_bad_encoding": ("{where}: not UTF-8 or GBK/GB18030 text", "{where}：不是 UTF-8 或 GBK/GB18030 编码的文本"),
    # the whole table
    "no_rows": ("the file has no rows", "文件中没有数据行"),
    "no_lonlat_columns": (
        "no longitude/latitude columns (found: {found}); accepted headers: {lon} and {lat}",
        "没有经度/纬度列（文件中的列：{found}）；可用的表头：{lon} 与 {lat}",
    ),
    "header_taken": (
        "column {column!r} also means {field} (already taken by {taken!r}); it is kept as is",
        "列 {column!r} 也表示 {field}（已由 {taken!r} 对应）；该列原样保留",
    ),
    "unknown_columns": (
        "column(s) {columns} are not part of {kind}; they are kept as they are",
        "列 {columns} 不属于 {kind}；这些列原样保留",
    ),
    "missing_columns": (
        "missing required column(s) {missing} (required: {required})",
        "缺少必需的列 {missing}（必需：{required}）",
    ),
    # values
    "missing_coordinate": ("missing coordinate", "缺少坐标"),
    "missing_coordinates": ("missing coordinates", "缺少坐标"),
    "missing_value": ("missing value (required)", "缺少取值（必填）"),
    "not_a_number": ("{value!r} is not a number", "{value!r} 不是数字"),
    "not_whole": ("{value!r} is not a whole number", "{value!r} 不是整数"),
    "out_of_range": (
        "{value} is out of range (accepted: {low} to {high})",
        "{value} 超出范围（可接受：{low} 至 {high}）",
    ),
    "not_bool": ("{value!r} is not true/false", "{value!r} 不是 是/否（true/false）"),
    "not_allowed": (
        "{value!r} is not allowed (accepted: {accepted})",
        "{value!r} 不是可接受的取值（可接受：{accepted}）",
    ),
    "not_allowed_close": (
        "{value!r} is not allowed; did you mean {close!r}? (accepted: {accepted})",
        "{value!r} 不是可接受的取值；是否应为 {close!r}？（可接受：{accepted}）",
    ),
    "duplicate_id": (
        "duplicate {column} {value!r} (first in row {first})",
        "{column} 重复：{value!r}（首次出现在第 {first} 行）",
    ),
    # coordinates
    "zero_zero": ("coordinates are 0, 0 (missing?)", "坐标为 0, 0（缺失？）"),
    "coords_not_numbers": ("coordinates are not numbers", "坐标不是数字"),
    "degrees_for_projected": (
        "{x}, {y} look like degrees, but {crs} expects metres; choose WGS-84, GCJ-02 or BD-09",
        "{x}, {y} 看起来是经纬度（度），但 {crs} 需要以米为单位的坐标；请选择 WGS-84、GCJ-02 或 BD-09",
    ),
    "metres_for_degrees": (
        "{x}, {y} look like projected metres, not degrees; choose the file's projected coordinate system "
        "(e.g. EPSG:4548 CGCS2000 Gauss-Krüger 117°E)",
        "{x}, {y} 看起来是以米为单位的投影坐标，而不是经纬度；请选择文件所用的投影坐标系"
        "（如 EPSG:4548 CGCS2000 高斯-克吕格 117°E）",
    ),
    "xy_swapped": (
        "{x}, {y} lie far from Zhangzhou as easting, northing but inside it the other way round "
        "— are X and Y swapped? (in Chinese survey coordinates X is the northing)",
        "{x}, {y} 按“东坐标, 北坐标”远离漳州，反过来却在漳州境内——X 与 Y 是否颠倒？（我国测量坐标中 X 为北坐标）",
    ),
    "latlon_swapped": (
        "latitude {lat} is not a latitude (lon {lon}) — are lat and lon swapped?",
        "纬度 {lat} 不是有效纬度（经度 {lon}）——经纬度是否颠倒？",
    ),
    "not_lonlat": ("{lon}, {lat} is not a longitude/latitude pair", "{lon}, {lat} 不是有效的经纬度"),
    "lat_invalid": ("latitude {lat} is not a latitude", "纬度 {lat} 不是有效纬度"),
    "lat_invalid_swapped": (
        "latitude {lat} is not a latitude — are lat and lon swapped?",
        "纬度 {lat} 不是有效纬度——经纬度是否颠倒？",
    ),
    "lon_invalid": ("longitude {lon} is not a longitude", "经度 {lon} 不是有效经度"),
    "outside": (
        "outside Zhangzhou: {km} km {side} of the city boundary",
        "在漳州市外：位于市界{side_zh}方 {km} 公里",
    ),
    "outside_far": (" (over {limit} km: wrong coordinates?)", "（超过 {limit} 公里：坐标有误？）"),
    "outside_offset_hint": (
        "; if the file comes from Amap/Tencent or Baidu, choose GCJ-02 or BD-09",
        "；如数据来自高德/腾讯或百度地图，请选择 GCJ-02 或 BD-09",
    ),
    "outside_not_counted": ("; not counted in any district", "；不计入任何区县"),
    # geometry
    "wrong_geometry": ("{found} geometry (accepted: {accepted})", "几何类型为 {found}（可接受：{accepted}）"),
    "polygon_repaired": ("invalid polygon ({reason}) repaired", "无效多边形（{reason}）已修复"),
}


def text(key: str, **values: Any) -> Text:
    """The text ``key`` of :data:`TEXTS` with ``values`` filled in, in both languages."""
    en, zh = TEXTS[key]
    return Text(en.format(**values), zh.format(**values))
