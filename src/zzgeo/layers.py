"""The registry of layer kinds and loading of the shipped layers.

Each kind is one frozen :class:`LayerSpec`: titles in Chinese and English, geometry type,
columns with their types and allowed values, and a default style. Adding a kind is one
entry in :data:`LAYER_KINDS` (infrastructure: points that the indicators count) or
:data:`AREA_KINDS` (polygons the indicators count in: the planners' own areas, see
:mod:`zzgeo.areas`); :func:`get_spec` knows both.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import pandas as pd

from zzgeo.errors import DataError, UnknownKeyError
from zzgeo.messages import Text
from zzgeo.settings import get_settings

__all__ = [
    "AREA_KINDS",
    "BANDS",
    "BOOL_WORDS",
    "LAYER_KINDS",
    "OPERATORS",
    "POPULATION_STATUSES",
    "STATUSES",
    "ColumnSpec",
    "LayerSpec",
    "get_spec",
    "load_layer",
    "without_extra_columns",
]

logger = logging.getLogger(__name__)

#: operator key -> name
OPERATORS = MappingProxyType(
    {
        "China Mobile": Text(zh="中国移动", en="China Mobile"),
        "China Telecom": Text(zh="中国电信", en="China Telecom"),
        "China Unicom": Text(zh="中国联通", en="China Unicom"),
        "China Broadnet": Text(zh="中国广电", en="China Broadnet"),
    }
)

#: status key -> name
STATUSES = MappingProxyType(
    {
        "planned": Text(zh="规划", en="planned"),
        "under_construction": Text(zh="在建", en="under construction"),
        "in_service": Text(zh="在用", en="in service"),
    }
)

#: 5G NR bands licensed in China -> description
BANDS = MappingProxyType(
    {
        "n1": "2.1 GHz (China Telecom / China Unicom)",
        "n28": "700 MHz (China Broadnet / China Mobile)",
        "n41": "2.6 GHz (China Mobile)",
        "n78": "3.5 GHz (China Telecom / China Unicom / China Broadnet)",
        "n79": "4.9 GHz (China Mobile / China Broadnet)",
    }
)

#: population status -> label: where a population figure comes from. ``estimated`` is
#: zzgeo's own estimate (see :func:`zzgeo.areas.estimate_population`), never a published figure.
POPULATION_STATUSES = MappingProxyType(
    {
        "published": Text(zh="公开数据", en="published"),
        "published-secondary": Text(zh="二手来源", en="secondary source"),
        "derived": Text(zh="推算", en="derived"),
        "user-supplied": Text(zh="用户提供", en="user-supplied"),
        "estimated": Text(zh="估算", en="estimated"),
        "sum of districts": Text(zh="各区县合计", en="sum of districts"),
    }
)

MIN_YEAR = 2019  # China's 5G licences were issued in June 2019
MAX_YEAR = 2035


@dataclass(frozen=True)
class ColumnSpec:
    """One attribute column of a layer kind.

    ``dtype`` is one of ``"str"``, ``"int"``, ``"float"``, ``"bool"``; ``allowed`` (if
    not empty) lists the accepted values; ``min``/``max`` bound numbers.
    """

    name: str
    dtype: str
    required: bool
    title: Text
    allowed: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    unit: str = ""


@dataclass(frozen=True)
class LayerSpec:
    """A kind of layer.

    ``aliases`` maps a column to headers accepted for it in this kind only (normalized
    as in :func:`zzgeo._aliases.normalize_header`), on top of the shared ones.
    """

    key: str
    title: Text
    geometry_type: str
    columns: tuple[ColumnSpec, ...]
    id_column: str
    year_column: str
    style: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required columns."""
        return tuple(c.name for c in self.columns if c.required)

    @property
    def optional(self) -> tuple[str, ...]:
        """Names of the optional columns."""
        return tuple(c.name for c in self.columns if not c.required)

    def column(self, name: str) -> ColumnSpec:
        """The spec of column ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise UnknownKeyError(f"column of {self.key}", name, [c.name for c in self.columns])


_STATUS = ColumnSpec("status", "str", True, Text(zh="状态", en="Status"), allowed=tuple(STATUSES))
_SYNTHETIC = ColumnSpec("synthetic", "bool", False, Text(zh="合成样例", en="Synthetic sample"))
_SOURCE = ColumnSpec("source", "str", False, Text(zh="来源", en="Source"))
_NAME_EN = ColumnSpec("name_en", "str", False, Text(zh="英文名称", en="Name (English)"))


def _year(name: str) -> ColumnSpec:
    return ColumnSpec(name, "int", True, Text(zh="年份", en="Year"), min=MIN_YEAR, max=MAX_YEAR)


def _plan_task_keys() -> tuple[str, ...]:
    # The plan's tasks are data (geodata/plan_tasks.csv), but the registry is built at
    # import time without I/O, so the keys are listed here and checked against the file
    # in the tests.
    return (
        "gigabit_fibre", "5g_network", "broadcast_tv", "iot_platform", "industrial_internet",
        "green_data_centers", "intelligent_computing", "ai_platforms", "blockchain_metaverse",
        "public_data_platform", "digital_security", "digital_government", "smart_agriculture",
        "smart_manufacturing", "digital_services", "smart_energy", "smart_transport",
        "smart_water", "smart_education", "smart_medical", "digital_culture_tourism",
        "smart_ocean", "eco_environment", "smart_emergency", "smart_fire", "digital_rural",
        "new_smart_city", "research_innovation", "digital_public_service",
    )  # fmt: skip


#: All layer kinds, by key.
LAYER_KINDS: Mapping[str, LayerSpec] = MappingProxyType(
    {
        "5g_sites": LayerSpec(
            key="5g_sites",
            title=Text(zh="5G基站", en="5G base stations"),
            geometry_type="Point",
            columns=(
                ColumnSpec("site_id", "str", True, Text(zh="站号", en="Site ID")),
                ColumnSpec("operator", "str", True, Text(zh="运营商", en="Operator"), allowed=tuple(OPERATORS)),
                ColumnSpec("band", "str", False, Text(zh="频段", en="Band"), allowed=tuple(BANDS)),
                _STATUS,
                ColumnSpec(
                    "year_in_service",
                    "int",
                    True,
                    Text(zh="投用年份", en="Year in service"),
                    min=MIN_YEAR,
                    max=MAX_YEAR,
                ),
                _SYNTHETIC,
                _SOURCE,
            ),
            id_column="site_id",
            year_column="year_in_service",
            style=MappingProxyType({"color": "#1f77b4", "marker": "circle"}),
        ),
        "data_centers": LayerSpec(
            key="data_centers",
            title=Text(zh="数据中心", en="Data centers"),
            geometry_type="Point",
            columns=(
                ColumnSpec("name", "str", True, Text(zh="名称", en="Name")),
                _NAME_EN,
                _STATUS,
                _year("year"),
                ColumnSpec("racks", "int", False, Text(zh="机架数", en="Racks"), min=0, unit="racks"),
                ColumnSpec("power_mw", "float", False, Text(zh="电力容量", en="Power"), min=0, unit="MW"),
                ColumnSpec("pue", "float", False, Text(zh="PUE", en="PUE"), min=1.0, max=3.0),
                _SYNTHETIC,
                _SOURCE,
            ),
            id_column="name",
            year_column="year",
            style=MappingProxyType({"color": "#d62728", "marker": "square"}),
        ),
        "smart_projects": LayerSpec(
            key="smart_projects",
            title=Text(zh="智慧城市项目", en="Smart-city projects"),
            geometry_type="Point",
            columns=(
                ColumnSpec("name", "str", True, Text(zh="名称", en="Name")),
                _NAME_EN,
                ColumnSpec("plan_task", "str", True, Text(zh="规划任务", en="Plan task"), allowed=_plan_task_keys()),
                _STATUS,
                _year("year"),
                ColumnSpec("budget", "float", False, Text(zh="投资", en="Budget"), min=0, unit="10,000 CNY (万元)"),
                _SYNTHETIC,
                _SOURCE,
            ),
            id_column="name",
            year_column="year",
            style=MappingProxyType({"color": "#2ca02c", "marker": "diamond"}),
        ),
    }
)


#: Headers accepted for area columns (besides the shared ones of zzgeo._aliases).
_AREA_ALIASES = MappingProxyType(
    {
        "area_id": ("areaid", "区域编号", "区域id"),
        "name": ("乡镇", "乡镇名称", "乡镇街道", "乡镇街道名称", "街道", "街道名称", "区域", "区域名称",
                 "片区", "片区名称", "分区", "分区名称", "规划分区", "网格", "网格名称", "单元",
                 "单元名称", "规划单元", "zone", "zonename", "areaname", "township",
                 "townshipname", "xzmc", "xzqmc", "qhmc", "jdmc"),
        "code": ("code", "代码", "编码", "区划代码", "区划编码", "行政区划代码", "统计用区划代码",
                 "行政代码", "区域代码", "乡镇代码", "街道代码", "xzqdm", "xzdm", "qhdm", "adcode",
                 "areacode", "zonecode"),
        "population": ("population", "pop", "人口", "常住人口", "人口数", "总人口", "常住人口数"),
        "population_year": ("populationyear", "人口年份", "统计年份", "人口统计年份"),
        "population_status": ("populationstatus", "人口状态", "人口来源", "人口数据来源", "人口口径"),
    }
)  # fmt: skip


#: Area kinds, by key: polygons with a name, an optional code and an optional population,
#: imported like any layer (:func:`zzgeo.imports.import_file`) and kept one layer per import.
AREA_KINDS: Mapping[str, LayerSpec] = MappingProxyType(
    {
        "areas": LayerSpec(
            key="areas",
            title=Text(zh="规划区域", en="Areas"),
            geometry_type="MultiPolygon",  # Polygon or MultiPolygon accepted, stored as MultiPolygon
            columns=(
                ColumnSpec("area_id", "str", False, Text(zh="区域编号", en="Area ID")),
                ColumnSpec("name", "str", True, Text(zh="名称", en="Name")),
                _NAME_EN,
                ColumnSpec("code", "str", False, Text(zh="代码", en="Code")),
                ColumnSpec(
                    "population", "int", False, Text(zh="常住人口", en="Resident population"), min=0, unit="residents"
                ),
                ColumnSpec(
                    "population_year", "int", False, Text(zh="人口年份", en="Population year"), min=1953, max=MAX_YEAR
                ),
                ColumnSpec(
                    "population_status",
                    "str",
                    False,
                    Text(zh="人口数据来源", en="Population status"),
                    allowed=("published", "published-secondary", "derived", "user-supplied", "estimated"),
                ),
                _SYNTHETIC,
                _SOURCE,
            ),
            id_column="area_id",
            year_column="population_year",
            style=MappingProxyType({"color": "#7f3b08", "fill": "none"}),
            aliases=_AREA_ALIASES,
        ),
    }
)


def get_spec(kind: str) -> LayerSpec:
    """The spec of layer kind ``kind`` (infrastructure or area); an unknown key lists the valid ones."""
    spec = LAYER_KINDS.get(kind) or AREA_KINDS.get(kind)
    if spec is None:
        raise UnknownKeyError("layer kind", kind, [*LAYER_KINDS, *AREA_KINDS])
    return spec


#: columns zzgeo itself adds to a layer (the district a point falls in: ``zzgeo.indicators``)
DERIVED_COLUMNS = ("district_adcode",)


def without_extra_columns(gdf: gpd.GeoDataFrame, kind: str) -> gpd.GeoDataFrame:
    """``gdf`` with only the columns of its kind's spec (and geometry, and :data:`DERIVED_COLUMNS`).

    An import keeps a file's extra columns (an owner's phone number, a contract) only when
    the user asks for it; they are for the people who keep the data, not for every viewer:
    what is served to viewers goes through here. The input is unchanged.
    """
    spec = get_spec(kind)
    allowed = {c.name for c in spec.columns} | set(DERIVED_COLUMNS) | {gdf.geometry.name}
    extra = [c for c in gdf.columns if c not in allowed]
    return gdf.drop(columns=extra) if extra else gdf


#: Text accepted in bool columns (compared lower-cased).
BOOL_WORDS = {
    **dict.fromkeys(("true", "1", "1.0", "yes", "y", "t", "是"), True),
    **dict.fromkeys(("false", "0", "0.0", "no", "n", "f", "否"), False),
}


_ASCII_SPACE = " \t\n\r\x0b\x0c"


def to_number(values: pd.Series) -> pd.Series:
    """``pd.to_numeric(values, errors="coerce")`` as float64, parsed by Arrow when every text is a plain number.

    Text columns are parsed in Arrow's C++ (no Python object per cell); when any cell is not
    a number Arrow reads, pandas' own parser gives the answer, so the result is always
    that of ``pd.to_numeric``.
    """
    if pd.api.types.is_string_dtype(values) and values.dtype != object:
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            arr = pa.array(values.array)
            number = pc.cast(pc.utf8_trim(arr, characters=_ASCII_SPACE), pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError):
            pass
        else:
            return pd.Series(number.to_numpy(zero_copy_only=False), index=values.index, dtype="float64")
    return pd.to_numeric(values, errors="coerce").astype("float64")


def coerce_columns(gdf: gpd.GeoDataFrame, spec: LayerSpec) -> gpd.GeoDataFrame:
    """Cast the spec's columns to their types (nullable Int64, float, bool, str)."""
    out = gdf.copy()
    for col in spec.columns:
        if col.name not in out.columns:
            continue
        if col.dtype == "int":
            # Values that are not whole numbers become missing, like non-numeric ones.
            number = to_number(out[col.name])
            out[col.name] = number.where(number % 1 == 0).astype("Int64")
        elif col.dtype == "float":
            out[col.name] = to_number(out[col.name])
        elif col.dtype == "bool":
            values = out[col.name]
            if not pd.api.types.is_bool_dtype(values):  # e.g. "true"/"是" from a CSV; others become missing
                values = values.astype("str").str.strip().str.lower().map(BOOL_WORDS).where(values.notna())
            out[col.name] = values.astype("boolean")
        elif not (pd.api.types.is_string_dtype(out[col.name]) and out[col.name].dtype != object):
            out[col.name] = out[col.name].astype("str").where(out[col.name].notna())
    return out


def load_layer(kind: str, path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Load a layer of ``kind`` (default: the shipped sample ``layers/<kind>.geojson``).

    The result is in EPSG:4326 with the spec's columns cast to their types.
    """
    spec = get_spec(kind)
    path = Path(path) if path else get_settings().layers_dir / f"{kind}.geojson"
    if not path.exists():
        raise DataError(f"layer file not found: {path}")
    gdf = gpd.read_file(path, engine="pyogrio")
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    elif not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    logger.debug("loaded %s: %d features from %s", kind, len(gdf), path)
    return coerce_columns(gdf, spec)
