"""The layers' payloads for the browser: GeoJSON, or compact columnar JSON (expanded by ``zzgeo.expandPoints``).

Which columns each layer sends: :data:`PAYLOAD_COLUMNS` (GeoJSON) and :data:`COMPACT`.

GeoJSON repeats every property name and writes each coordinate in full for every point;
the 5G layer is sent instead as one array per column::

    {"format": "zzgeo-points/1", "n": 3, "scale": 100000,
     "x": [11764993, -193, 208], "y": [2451346, -119, -113],
     "props": {"o": {"codes": ["China Mobile", "China Unicom"], "v": [0, 0, 1]},
               "y": {"v": [2021, 2022, null]},
               "i": {"prefix": "SYN-5G-", "width": 6, "d": [1, 1, 1]}}}

- ``x``/``y``: longitude/latitude times ``scale`` (5 decimals, about 1 m) as integers, each
  the difference to the previous point (the first is absolute): neighbouring rows are
  usually near each other, so the numbers are short and compress well.
- ``codes``: categorical columns (operator, band, status, file) as indexes into ``codes``;
  -1 is a missing value.
- ``v`` alone: integers (years) or strings, ``null`` when missing.
- ``prefix``/``width``/``d``: identifiers such as ``SYN-5G-000123`` (one prefix, a number
  of fixed width) as differences of the numbers.

Rows keep their order; the browser numbers them ``id`` = 1, 2, ... as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zzgeo.export import geojson_text
from zzgeo.provenance import IMPORT_SOURCE_PREFIX

FORMAT = "zzgeo-points/1"
DECIMALS = 5
SCALE = 10**DECIMALS
_ID = re.compile(r"^(.*?)(\d+)$")

#: how a column is encoded: "code" (categorical), "int", "id" (prefix + number) or "str"
Encoding = str


def _missing(values: pd.Series) -> np.ndarray:
    return values.isna().to_numpy(dtype=bool)


def encode_codes(values: pd.Series) -> dict[str, Any]:
    """A categorical column as ``{"codes": [...], "v": [index, ...]}`` (-1 when missing)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return {"codes": [str(u) for u in uniques], "v": codes.astype(int).tolist()}


def encode_ints(values: pd.Series) -> dict[str, Any]:
    """Whole numbers (``null`` when missing)."""
    numbers = pd.to_numeric(values, errors="coerce")
    missing = _missing(numbers)
    out: list[int | None] = [None if m else int(v) for v, m in zip(numbers.to_numpy(dtype=float), missing, strict=True)]
    return {"v": out}


def encode_ids(values: pd.Series) -> dict[str, Any]:
    """Identifiers: ``prefix`` + a number of ``width`` digits when every value has that form.

    Otherwise (mixed prefixes, missing values, numbers of different widths) plain strings.
    """
    texts = values.astype("str")
    if len(texts) and not values.isna().any():
        parts = texts.str.extract(_ID)
        prefixes = parts[0]
        digits = parts[1]
        if not digits.isna().any() and prefixes.nunique() == 1:
            widths = digits.str.len()
            if widths.nunique() == 1 and int(widths.iloc[0]) <= 15:
                numbers = digits.astype("int64").to_numpy()
                deltas = np.diff(numbers, prepend=0)
                return {"prefix": str(prefixes.iloc[0]), "width": int(widths.iloc[0]), "d": deltas.tolist()}
    return {"v": [None if m else str(v) for v, m in zip(texts, _missing(values), strict=True)]}


def encode_strings(values: pd.Series) -> dict[str, Any]:
    """Free text (``null`` when missing)."""
    return {"v": [None if m else str(v) for v, m in zip(values.astype("str"), _missing(values), strict=True)]}


_ENCODERS = {"code": encode_codes, "int": encode_ints, "id": encode_ids, "str": encode_strings}


def compact_points(gdf: gpd.GeoDataFrame, columns: Mapping[str, tuple[str, Encoding]]) -> dict[str, Any]:
    """The points of ``gdf`` (EPSG:4326) as the compact dict described in the module docstring.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Points in EPSG:4326; rows without a point position are left out.
    columns : mapping
        Short name -> (column, encoding); columns missing from ``gdf`` are skipped.
    """
    geoms = gdf.geometry.to_numpy()
    ok = (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
    rows = gdf.loc[ok]
    x = np.round(shapely.get_x(geoms[ok]) * SCALE).astype(np.int64)
    y = np.round(shapely.get_y(geoms[ok]) * SCALE).astype(np.int64)
    props = {}
    for short, (column, encoding) in columns.items():
        if column in rows.columns:
            props[short] = _ENCODERS[encoding](rows[column].reset_index(drop=True))
    return {
        "format": FORMAT,
        "n": len(rows),
        "scale": SCALE,
        "x": np.diff(x, prepend=0).tolist(),
        "y": np.diff(y, prepend=0).tolist(),
        "props": props,
    }


def compact_bytes(gdf: gpd.GeoDataFrame, columns: Mapping[str, tuple[str, Encoding]]) -> bytes:
    """:func:`compact_points` as UTF-8 JSON without spaces."""
    text = json.dumps(compact_points(gdf, columns), ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


# -- what each layer's payload holds (GeoJSON, or compact for the 5G sites)

#: payload property of the file an imported row came from (absent for sample rows)
SOURCE_FILE = "source_file"
#: layers the browser gets as compact columnar JSON (``<name>.json``), not GeoJSON
COMPACT: dict[str, dict[str, tuple[str, str]]] = {
    "5g_sites": {
        "i": ("site_id", "id"),
        "o": ("operator", "code"),
        "b": ("band", "code"),
        "s": ("status", "code"),
        "y": ("year_in_service", "int"),
        "f": (SOURCE_FILE, "code"),
    },
}

#: kind -> {payload property: layer column}; ``id`` (1-based, unique) is added
PAYLOAD_COLUMNS: dict[str, dict[str, str]] = {
    "5g_sites": {"i": "site_id", "o": "operator", "b": "band", "s": "status", "y": "year_in_service", "f": SOURCE_FILE},
    "data_centers": {
        "name": "name",
        "name_en": "name_en",
        "s": "status",
        "y": "year",
        "racks": "racks",
        "power_mw": "power_mw",
        "pue": "pue",
        "f": SOURCE_FILE,
    },
    "smart_projects": {
        "name": "name",
        "name_en": "name_en",
        "task": "plan_task",
        "part": "part",
        "s": "status",
        "y": "year",
        "budget": "budget",
        "f": SOURCE_FILE,
    },
}


def geojson_payload(gdf: gpd.GeoDataFrame, columns: dict[str, str]) -> bytes:
    """GeoJSON of ``gdf`` with ``columns`` (payload property -> column) and a 1-based ``id``."""
    out = gpd.GeoDataFrame(
        {"id": range(1, len(gdf) + 1), **{short: gdf[col] for short, col in columns.items() if col in gdf.columns}},
        geometry=gdf.geometry.to_numpy(),
        crs=gdf.crs,
    )
    return geojson_text(out, decimals=DECIMALS).encode("utf-8")


def _add_part(gdf: gpd.GeoDataFrame, tasks: pd.DataFrame) -> gpd.GeoDataFrame:
    parts = dict(zip(tasks["key"].astype("str"), tasks["part"].astype("str"), strict=True))
    out = gdf.copy()
    out["part"] = out["plan_task"].map(parts)
    return out


def shown_layer(kind: str, layer: gpd.GeoDataFrame, tasks: pd.DataFrame) -> gpd.GeoDataFrame:
    """The layer with the columns its payload shows (plan part, file of imported rows)."""
    return with_source_file(_add_part(layer, tasks) if kind == "smart_projects" else layer)


def with_source_file(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add :data:`SOURCE_FILE` (the file of imported rows) when the layer has imported rows."""
    if "source" not in gdf.columns:
        return gdf
    source = gdf["source"].astype("str")
    imported = gdf["source"].notna() & source.str.startswith(IMPORT_SOURCE_PREFIX)
    if not imported.any():
        return gdf
    out = gdf.copy()
    out[SOURCE_FILE] = source.str.slice(len(IMPORT_SOURCE_PREFIX)).where(imported)
    return out
