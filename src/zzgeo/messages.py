"""What zzgeo says about bad input, in English and Chinese.

Every problem found in an imported file (:class:`zzgeo.errors.Problem`) and every error
that stops a file from being read (:class:`zzgeo.errors.DataError`) is written from one
entry of :data:`TEXTS`: the English text is the one the CLI prints and the tests check;
the Chinese text is what the app shows when its page is in Chinese. Each entry is a
:class:`Text`, like every bilingual text of zzgeo and its app; both languages take the same
values (file, row values, accepted choices); values that come from the data are shown as
they are in both languages.

>>> text("not_a_number", value="abc").zh
"'abc' 不是数字"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["DIRECTIONS", "TEXTS", "Text", "text"]


@dataclass(frozen=True, kw_only=True)
class Text:
    """A text in English (``en``) and Chinese (``zh``): the one shape of every bilingual text.

    Everything zzgeo and its app show in two languages is a ``Text``: messages, errors
    (:attr:`zzgeo.errors.ZzgeoError.message`), registry titles and units, the app's strings.
    :meth:`get` is the one rule that picks a language. Both fields are keyword-only
    (``Text(en=..., zh=...)``), so the two languages cannot be swapped by their order.
    """

    en: str = ""
    zh: str = ""

    def __add__(self, other: Text) -> Text:
        return Text(en=self.en + other.en, zh=self.zh + other.zh)

    def __str__(self) -> str:
        return self.en

    def get(self, lang: str) -> str:
        """The text in ``lang``: Chinese for ``"zh"``, English for anything else.

        When the text has no wording in that language (empty), it is the other one: a
        text known in one language only is shown in that language, never as nothing.
        """
        first, other = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first or other

    def format(self, **values: Any) -> Text:
        """Both languages formatted (``str.format``) with the same ``values``."""
        return Text(en=self.en.format(**values), zh=self.zh.format(**values))

    def fields(self, key: str) -> dict[str, str | None]:
        """The text as two fields of a JSON record: ``{key: English, key + "_zh": Chinese or None}``.

        The wire form of job status files, import reports and JSON error responses, which keep
        the two keys they had before texts were one ``Text``; :meth:`from_fields` reads it back.
        """
        return {key: self.en, f"{key}_zh": self.zh or None}

    @classmethod
    def from_fields(cls, record: Mapping[str, Any], key: str) -> Text | None:
        """The text in ``record``'s ``key`` and ``key + "_zh"`` fields (:meth:`fields`); None when both are empty."""
        en, zh = record.get(key), record.get(f"{key}_zh")
        if not en and not zh:
            return None
        return cls(en=str(en or ""), zh=str(zh or ""))


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

#: key -> template in English and Chinese (``str.format`` with the same names in both)
TEXTS: dict[str, Text] = {
    # reading a file
    "file_empty": Text(en="{where}: the file is empty", zh="{where}：文件是空的"),
    "file_xls": Text(
        en="{where}: an old Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV and try again",
        zh="{where}：旧版 Excel 97-2003（.xls）工作簿；请另存为 .xlsx 或 CSV 后重试",
    ),
    "file_lone_shp": Text(
        en="{where}: a lone .shp file; a Shapefile needs its .shx, .dbf (and .prj) too: upload them as one .zip",
        zh="{where}：只有 .shp 文件；Shapefile 还需要 .shx、.dbf（及 .prj）文件：请打包成一个 .zip 上传",
    ),
    "file_bad_zip": Text(en="{where}: a damaged zip file ({reason})", zh="{where}：zip 文件已损坏（{reason}）"),
    "file_zip_no_shp": Text(
        en="{where}: a zip file without a Shapefile (.shp) inside; found {found}",
        zh="{where}：zip 文件中没有 Shapefile（.shp）；其中有：{found}",
    ),
    "file_binary": Text(
        en="{where}: a binary file zzgeo cannot read; accepted: {accepted}",
        zh="{where}：无法读取的二进制文件；支持的格式：{accepted}",
    ),
    "file_no_header": Text(en="{where}: the file has no header row", zh="{where}：文件没有表头行"),
    "file_bad_csv": Text(
        en="{where}: not a readable CSV table ({reason})", zh="{where}：无法读取的 CSV 表格（{reason}）"
    ),
    "file_bad_json": Text(en="{where}: not valid JSON ({reason})", zh="{where}：不是有效的 JSON（{reason}）"),
    "file_bad_xlsx": Text(
        en="{where}: not a readable Excel workbook ({reason})",
        zh="{where}：无法读取的 Excel 工作簿（{reason}）",
    ),
    "file_bad_parquet": Text(
        en="{where}: not a readable Parquet file ({reason})",
        zh="{where}：无法读取的 Parquet 文件（{reason}）",
    ),
    "file_gpkg_layers": Text(
        en="{where}: the GeoPackage has {n} layers; choose one of: {layers}",
        zh="{where}：该 GeoPackage 有 {n} 个图层，请选择其一：{layers}",
    ),
    "file_no_layer": Text(
        en="{where}: no layer {layer!r}; layers: {layers}",
        zh="{where}：没有图层 {layer!r}；现有图层：{layers}",
    ),
    "file_bad_vector": Text(
        en="{where}: not a readable {fmt} file ({reason})", zh="{where}：无法读取的 {fmt} 文件（{reason}）"
    ),
    "file_not_found": Text(en="{where}: file not found", zh="{where}：找不到文件"),
    "file_too_big": Text(
        en="{where}: {size} is over the size limit of {limit}",
        zh="{where}：{size} 超过大小上限 {limit}",
    ),
    "file_bad_utf16": Text(en="{where}: damaged UTF-16 text ({reason})", zh="{where}：UTF-16 文本已损坏（{reason}）"),
    "file_bad_encoding": Text(
        en="{where}: not UTF-8 or GBK/GB18030 text; choose the file's encoding "
        "(--encoding, e.g. latin-1, shift_jis, big5)",
        zh="{where}：不是 UTF-8 或 GBK/GB18030 编码的文本；请指定文件的编码（--encoding，如 latin-1、shift_jis、big5）",
    ),
    "file_bad_encoding_chosen": Text(
        en="{where}: not readable as {encoding} text ({reason})",
        zh="{where}：无法按 {encoding} 编码读取（{reason}）",
    ),
    "file_unknown_encoding": Text(
        en="unknown encoding {encoding!r}; accepted: any Python codec name, "
        "e.g. utf-8, gb18030, big5, latin-1, shift_jis",
        zh="未知的编码 {encoding!r}；可用：任何 Python 编码名，如 utf-8、gb18030、big5、latin-1、shift_jis",
    ),
    "file_is_folder": Text(
        en="{where}: a folder, not a file; give the path of one file (a Shapefile goes in a .zip)",
        zh="{where}：这是文件夹而不是文件；请给出一个文件的路径（Shapefile 请打包为 .zip）",
    ),
    "file_unreadable": Text(en="{where}: cannot be read ({reason})", zh="{where}：无法读取（{reason}）"),
    # limits (each names the setting that raises it)
    "limit_columns": Text(
        en="{where}: {n} columns is over the limit of {limit} columns (setting ZZGEO_MAX_COLUMNS)",
        zh="{where}：{n} 列超过列数上限 {limit}（设置项 ZZGEO_MAX_COLUMNS）",
    ),
    "limit_cell": Text(
        en="{where}: row {row}, column {column}: a value of {n} characters is over the limit of {limit} characters "
        "per cell (setting ZZGEO_MAX_CELL_CHARS)",
        zh="{where}：第 {row} 行 {column} 列：取值有 {n} 个字符，超过单元格上限 {limit} 个字符"
        "（设置项 ZZGEO_MAX_CELL_CHARS）",
    ),
    "limit_rows": Text(
        en="{where}: {n} rows is over the limit of {limit} rows (setting ZZGEO_MAX_ROWS)",
        zh="{where}：{n} 行超过行数上限 {limit}（设置项 ZZGEO_MAX_ROWS）",
    ),
    "limit_xlsx_rows": Text(
        en="{where}: the workbook has {n} rows, over the limit of {limit} rows for Excel files "
        "(setting ZZGEO_MAX_XLSX_ROWS); save large tables as CSV",
        zh="{where}：工作簿有 {n} 行，超过 Excel 文件的行数上限 {limit}（设置项 ZZGEO_MAX_XLSX_ROWS）；"
        "大表请另存为 CSV",
    ),
    "limit_layers": Text(
        en="{where}: {n} layers and views is over the limit of {limit} (setting ZZGEO_MAX_LAYERS)",
        zh="{where}：{n} 个图层与视图，超过上限 {limit}（设置项 ZZGEO_MAX_LAYERS）",
    ),
    "limit_recursive_view": Text(
        en="{where}: layer {layer!r} is an SQL view with a WITH clause (it may recurse without end), which zzgeo "
        "does not read; export it as a table first",
        zh="{where}：图层 {layer!r} 是含 WITH 子句的 SQL 视图（可能无限递归），zzgeo 不读取此类视图；"
        "请先将其导出为数据表",
    ),
    "limit_depth": Text(
        en="{where}: JSON nested {n} levels deep is over the limit of {limit} levels (setting ZZGEO_MAX_JSON_DEPTH)",
        zh="{where}：JSON 嵌套 {n} 层，超过嵌套上限 {limit} 层（设置项 ZZGEO_MAX_JSON_DEPTH）",
    ),
    "limit_unpacked": Text(
        en="{where}: {member} unpacks to {size}, over the limit of {limit} (setting ZZGEO_MAX_UNPACKED_MB)",
        zh="{where}：{member} 解压后为 {size}，超过上限 {limit}（设置项 ZZGEO_MAX_UNPACKED_MB）",
    ),
    "limit_zip_members": Text(
        en="{where}: the zip file holds {n} files, over the limit of {limit}; a Shapefile needs 3-6",
        zh="{where}：zip 文件含 {n} 个文件，超过上限 {limit}；一个 Shapefile 只需 3-6 个文件",
    ),
    "zip_bad_name": Text(
        en="{where}: the zip file has a member with an unsafe name ({name!r}); zzgeo does not read it",
        zh="{where}：zip 文件中有名称不安全的成员（{name!r}）；zzgeo 不读取此文件",
    ),
    "limit_line": Text(
        en="{where}: a line longer than {limit} without a line break; not a readable CSV table "
        "(a CSV has one row per line)",
        zh="{where}：有一行超过 {limit} 且没有换行；不是可读取的 CSV 表格（CSV 每行一条记录）",
    ),
    "limit_time": Text(
        en="{where}: the import took longer than the time limit of {limit} s and was stopped "
        "(setting ZZGEO_JOB_TIME_S)",
        zh="{where}：导入超过时间上限 {limit} 秒，已停止（设置项 ZZGEO_JOB_TIME_S）",
    ),
    "limit_memory": Text(
        en="{where}: the import needed more memory than the limit of {limit} MB and was stopped "
        "(setting ZZGEO_JOB_MEMORY_MB)",
        zh="{where}：导入所需内存超过上限 {limit} MB，已停止（设置项 ZZGEO_JOB_MEMORY_MB）",
    ),
    "limit_jobs_user": Text(
        en="you already have {n} import(s) running, the limit per user (setting ZZGEO_JOBS_PER_USER); "
        "wait for one to finish or cancel it",
        zh="您已有 {n} 个导入正在进行，达到每位用户的上限（设置项 ZZGEO_JOBS_PER_USER）；请等待其完成或取消",
    ),
    "limit_jobs_total": Text(
        en="{n} imports are running, the limit for the server (setting ZZGEO_JOBS_TOTAL); try again in a minute",
        zh="服务器上已有 {n} 个导入正在进行，达到上限（设置项 ZZGEO_JOBS_TOTAL）；请稍后再试",
    ),
    "job_cancelled": Text(en="{where}: the import was cancelled", zh="{where}：导入已取消"),
    "job_failed": Text(
        en="{where}: the import stopped unexpectedly (exit code {code})",
        zh="{where}：导入意外中止（退出码 {code}）",
    ),
    "job_unknown": Text(
        en="no import job {token!r} (finished long ago or never started)",
        zh="没有导入任务 {token!r}（早已结束或从未开始）",
    ),
    # the whole table
    "no_rows": Text(en="the file has no rows", zh="文件中没有数据行"),
    "no_lonlat_columns": Text(
        en="no longitude/latitude columns (found: {found}); accepted headers: {lon} and {lat}",
        zh="没有经度/纬度列（文件中的列：{found}）；可用的表头：{lon} 与 {lat}",
    ),
    "header_taken": Text(
        en="column {column!r} also means {field} (already taken by {taken!r}); it is kept as is",
        zh="列 {column!r} 也表示 {field}（已由 {taken!r} 对应）；该列原样保留",
    ),
    "unknown_columns": Text(
        en="column(s) {columns} are not part of {kind}; they are kept as they are",
        zh="列 {columns} 不属于 {kind}；这些列原样保留",
    ),
    "unknown_columns_dropped": Text(
        en="column(s) {columns} are not part of {kind}; they are left out of the layer (to keep them: --keep-columns)",
        zh="列 {columns} 不属于 {kind}；这些列未导入图层（如需保留：--keep-columns）",
    ),
    "dbf_name_mapped": Text(
        en="column {column!r} read as {field} (a Shapefile's DBF cuts names to 10 characters)",
        zh="列 {column!r} 按 {field} 读取（Shapefile 的 DBF 文件将列名截为 10 个字符）",
    ),
    "encoding_suspect": Text(
        en="the text was read as {encoding} but looks mis-decoded (e.g. {sample!r}); if letters look wrong, "
        "choose the file's encoding (--encoding, e.g. latin-1, shift_jis, big5)",
        zh="文本按 {encoding} 读取，但看起来解码有误（如 {sample!r}）；如文字显示错乱，请指定文件的编码"
        "（--encoding，如 latin-1、shift_jis、big5）",
    ),
    "missing_columns": Text(
        en="missing required column(s) {missing} (required: {required})",
        zh="缺少必需的列 {missing}（必需：{required}）",
    ),
    # values
    "missing_coordinate": Text(en="missing coordinate", zh="缺少坐标"),
    "missing_coordinates": Text(en="missing coordinates", zh="缺少坐标"),
    "missing_value": Text(en="missing value (required)", zh="缺少取值（必填）"),
    "not_a_number": Text(en="{value!r} is not a number", zh="{value!r} 不是数字"),
    "not_whole": Text(en="{value!r} is not a whole number", zh="{value!r} 不是整数"),
    "out_of_range": Text(
        en="{value} is out of range (accepted: {low} to {high})",
        zh="{value} 超出范围（可接受：{low} 至 {high}）",
    ),
    "not_bool": Text(en="{value!r} is not true/false", zh="{value!r} 不是 是/否（true/false）"),
    "not_allowed": Text(
        en="{value!r} is not allowed (accepted: {accepted})",
        zh="{value!r} 不是可接受的取值（可接受：{accepted}）",
    ),
    "not_allowed_close": Text(
        en="{value!r} is not allowed; did you mean {close!r}? (accepted: {accepted})",
        zh="{value!r} 不是可接受的取值；是否应为 {close!r}？（可接受：{accepted}）",
    ),
    "control_char": Text(
        en="{char} at position {pos}: NUL bytes and control characters are not accepted (the row is kept out whole, "
        "nothing is cut)",
        zh="第 {pos} 个字符为 {char}：不接受 NUL 字节与控制字符（该行整行未导入，内容未被截断）",
    ),
    "duplicate_id": Text(
        en="duplicate {column} {value!r} (first in row {first})",
        zh="{column} 重复：{value!r}（首次出现在第 {first} 行）",
    ),
    # coordinates
    "zero_zero": Text(en="coordinates are 0, 0 (missing?)", zh="坐标为 0, 0（缺失？）"),
    "coords_not_numbers": Text(en="coordinates are not numbers", zh="坐标不是数字"),
    "degrees_for_projected": Text(
        en="{x}, {y} look like degrees, but {crs} expects metres; choose WGS-84, GCJ-02 or BD-09",
        zh="{x}, {y} 看起来是经纬度（度），但 {crs} 需要以米为单位的坐标；请选择 WGS-84、GCJ-02 或 BD-09",
    ),
    "metres_for_degrees": Text(
        en="{x}, {y} look like projected metres, not degrees; choose the file's projected coordinate system "
        "(e.g. EPSG:4548 CGCS2000 Gauss-Krüger 117°E)",
        zh="{x}, {y} 看起来是以米为单位的投影坐标，而不是经纬度；请选择文件所用的投影坐标系"
        "（如 EPSG:4548 CGCS2000 高斯-克吕格 117°E）",
    ),
    "xy_swapped": Text(
        en="{x}, {y} lie far from Zhangzhou as easting, northing but inside it the other way round "
        "— are X and Y swapped? (in Chinese survey coordinates X is the northing)",
        zh="{x}, {y} 按“东坐标, 北坐标”远离漳州，反过来却在漳州境内——X 与 Y 是否颠倒？（我国测量坐标中 X 为北坐标）",
    ),
    "latlon_swapped": Text(
        en="latitude {lat} is not a latitude (lon {lon}) — are lat and lon swapped?",
        zh="纬度 {lat} 不是有效纬度（经度 {lon}）——经纬度是否颠倒？",
    ),
    "not_lonlat": Text(en="{lon}, {lat} is not a longitude/latitude pair", zh="{lon}, {lat} 不是有效的经纬度"),
    "lat_invalid": Text(en="latitude {lat} is not a latitude", zh="纬度 {lat} 不是有效纬度"),
    "lat_invalid_swapped": Text(
        en="latitude {lat} is not a latitude — are lat and lon swapped?",
        zh="纬度 {lat} 不是有效纬度——经纬度是否颠倒？",
    ),
    "lon_invalid": Text(en="longitude {lon} is not a longitude", zh="经度 {lon} 不是有效经度"),
    "outside": Text(
        en="outside Zhangzhou: {km} km {side} of the city boundary",
        zh="在漳州市外：位于市界{side_zh}方 {km} 公里",
    ),
    "outside_far": Text(en=" (over {limit} km: wrong coordinates?)", zh="（超过 {limit} 公里：坐标有误？）"),
    "outside_offset_hint": Text(
        en="; if the file comes from Amap/Tencent or Baidu, choose GCJ-02 or BD-09",
        zh="；如数据来自高德/腾讯或百度地图，请选择 GCJ-02 或 BD-09",
    ),
    "outside_not_counted": Text(en="; not counted in any district", zh="；不计入任何区县"),
    # geometry
    "wrong_geometry": Text(en="{found} geometry (accepted: {accepted})", zh="几何类型为 {found}（可接受：{accepted}）"),
    "polygon_repaired": Text(en="invalid polygon ({reason}) repaired", zh="无效多边形（{reason}）已修复"),
    # area layers (zzgeo.area_checks)
    "area_no_geometry": Text(
        en="no geometry column: a table of areas needs each polygon as WKT or hex WKB in a column named "
        "{accepted} (or use GeoJSON, GeoPackage, a zipped Shapefile or GeoParquet)",
        zh="没有几何列：区域表格需要在名为 {accepted} 的列中以 WKT 或十六进制 WKB 给出每个多边形"
        "（或使用 GeoJSON、GeoPackage、zip 打包的 Shapefile 或 GeoParquet）",
    ),
    "area_bad_wkt": Text(en="{value!r} is not a WKT or WKB geometry", zh="{value!r} 不是有效的 WKT 或 WKB 几何"),
    "area_mixed_srid": Text(
        en="the geometry column states several coordinate systems (SRID {srids}); use one for the whole file",
        zh="几何列给出了多个坐标系（SRID {srids}）；整个文件请使用同一个坐标系",
    ),
    "area_no_area": Text(
        en="the polygon has no area (it collapses to a line or a point)",
        zh="多边形面积为零（退化为线或点）",
    ),
    "area_not_lonlat": Text(
        en="coordinates {x}, {y} are not longitude/latitude — projected metres? choose the file's coordinate system "
        "(e.g. EPSG:4548 CGCS2000 Gauss-Krüger 117°E)",
        zh="坐标 {x}, {y} 不是经纬度——是否为以米为单位的投影坐标？"
        "请选择文件所用的坐标系（如 EPSG:4548 CGCS2000 高斯-克吕格 117°E）",
    ),
    "area_too_many": Text(
        en="{n} areas; zzgeo handles up to {limit} areas per layer",
        zh="共 {n} 个区域；每个图层最多支持 {limit} 个区域",
    ),
    "area_outside": Text(
        en="the area lies outside Zhangzhou: {km} km {side} of the city boundary",
        zh="该区域位于漳州市外：在市界{side_zh}方 {km} 公里处",
    ),
    "area_outside_counted": Text(
        en="; its sites count in this area but in no district",
        zh="；其中的站点计入本区域，但不计入任何区县",
    ),
    "area_partly_outside": Text(
        en="{km2} km² ({pct}%) of the area lies outside Zhangzhou; sites there count in this area but in no district",
        zh="该区域有 {km2} 平方公里（{pct}%）位于漳州市外；那里的站点计入本区域，但不计入任何区县",
    ),
    "area_overlap": Text(
        en="overlaps area {other!r} (row {row}) by {km2} km²; sites there count in both",
        zh="与区域 {other!r}（第 {row} 行）重叠 {km2} 平方公里；重叠处的站点在两个区域中都计数",
    ),
    "area_gap": Text(
        en="a gap of {km2} km² near {lon}, {lat} between areas {names} is in no area; sites there count in no area",
        zh="区域 {names} 之间约在 {lon}, {lat} 处有 {km2} 平方公里的空隙，不属于任何区域；其中的站点不计入任何区域",
    ),
    "area_more_gaps": Text(
        en="{n} more gap(s) between areas, {km2} km² in all, are in no area",
        zh="区域之间另有 {n} 处空隙（共 {km2} 平方公里）不属于任何区域",
    ),
    "area_city_cover": Text(
        en="the areas cover {km2} km² ({pct}%) of Zhangzhou's {total} km² of land; sites elsewhere count in no area",
        zh="这些区域覆盖漳州市 {total} 平方公里陆地中的 {km2} 平方公里（{pct}%）；其他地方的站点不计入任何区域",
    ),
    "area_duplicate_name": Text(
        en="name {value!r} is also the name of row {first}; both are kept as separate areas",
        zh="名称 {value!r} 与第 {first} 行相同；两者作为不同的区域保留",
    ),
    "area_duplicate_code": Text(
        en="code {value!r} is also the code of row {first}; both are kept, and areas are keyed by row (A001, A002, …)",
        zh="代码 {value!r} 与第 {first} 行相同；两者均保留，区域改按行号编号（A001、A002……）",
    ),
    "area_city_key": Text(
        en="{value!r} is the key of the city row of indicator tables; choose another",
        zh="{value!r} 是指标表中全市一行的编号；请换一个",
    ),
    "area_code_mismatch": Text(
        en="code {code} is a code of {county} ({county_code}), but most of the area ({pct}%) lies in {district} "
        "({adcode}): wrong code, or wrong coordinates?",
        zh="代码 {code} 属于{county_zh}（{county_code}），但该区域大部分（{pct}%）位于{district_zh}（{adcode}）："
        "代码有误，还是坐标有误？",
    ),
    "area_code_old_county": Text(
        en="code {code} starts with {old}, the code of {district} before 2021 (now {adcode})",
        zh="代码 {code} 以 {old} 开头，这是{district_zh} 2021 年以前的代码（现为 {adcode}）",
    ),
    "area_code_not_zhangzhou": Text(
        en="code {code} looks like an NBS division code, but {county_code} is not one of Zhangzhou's districts",
        zh="代码 {code} 看起来是统计用区划代码，但 {county_code} 不是漳州市的区县代码",
    ),
    "area_population_estimated": Text(
        en="{n} area(s) have no population figure: zzgeo estimates it by spreading each district's {year} resident "
        "population evenly over that district's land (an estimate, not a published figure)",
        zh="{n} 个区域没有人口数据：zzgeo 将各区县 {year} 年常住人口按陆地面积平均分布进行估算（估算值，非公开数据）",
    ),
    "area_check_failed": Text(
        en="the {check} check of the areas could not be completed ({reason}); the areas are kept as they are",
        zh="区域的{check_zh}检查未能完成（{reason}）；区域按原样保留",
    ),
    "area_population_no_year": Text(
        en="population {value} has no year (column population_year)",
        zh="人口 {value} 没有年份（population_year 列）",
    ),
}


def text(key: str, **values: Any) -> Text:
    """The text ``key`` of :data:`TEXTS` with ``values`` filled in, in both languages."""
    return TEXTS[key].format(**values)
