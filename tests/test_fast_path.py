"""The column-at-a-time import agrees with a simple row-by-row reference on messy generated tables.

``reference_import`` below is the row-by-row import zzgeo used before (one Python step per cell:
strip, alias lookup, ``pd.to_numeric`` of one value, a shapely point per row), kept here as
the specification. Hypothesis draws messy CSV tables (aliases, padding, blanks, bad numbers,
years in many forms, duplicate ids, swapped, missing, 0,0, projected and far-away
coordinates); the fast path must give the same problems (row, column, severity, English and
Chinese text, value), the same recognised values, and the same accepted and rejected rows,
read in one batch or in batches of 3 rows.
"""

from __future__ import annotations

import difflib
import math
import tempfile
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zzgeo._aliases import VALUE_ALIASES, normalize_value
from zzgeo.crs import parse_crs, to_wgs84
from zzgeo.districts import load_districts
from zzgeo.errors import Problem
from zzgeo.imports import FAR_OUTSIDE_KM, OFFSET_HINT_KM, _direction, _map_headers, _year_of, import_file
from zzgeo.layers import BOOL_WORDS, get_spec
from zzgeo.messages import DIRECTIONS
from zzgeo.messages import text as say

SPEC = get_spec("5g_sites")

# --------------------------------------------------------------------------------------------
# The reference: one cell at a time
# --------------------------------------------------------------------------------------------


def _ref_suggest(value: str, allowed: list[str]):
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
    if close:
        return say("not_allowed_close", value=value, close=close[0], accepted=", ".join(allowed))
    return say("not_allowed", value=value, accepted=", ".join(allowed))


def _ref_column(values: list[object], col, file: str) -> list[Problem]:
    problems = []
    for pos, raw in enumerate(values, start=1):
        if raw is None or (isinstance(raw, float) and np.isnan(raw)) or str(raw).strip() == "":
            if col.required:
                problems.append(Problem.of(say("missing_value"), pos, col.name, None, "error", file))
            continue
        text = str(raw).strip()
        if col.dtype in ("int", "float"):
            number = pd.to_numeric(pd.Series([text]), errors="coerce").iloc[0]
            if pd.isna(number) or not math.isfinite(number):
                problems.append(Problem.of(say("not_a_number", value=text), pos, col.name, raw, "error", file))
                continue
            if col.dtype == "int" and float(number) != int(float(number)):
                problems.append(Problem.of(say("not_whole", value=text), pos, col.name, raw, "error", file))
                continue
            if (col.min is not None and number < col.min) or (col.max is not None and number > col.max):
                low = col.min if col.min is not None else "-∞"
                high = col.max if col.max is not None else "∞"
                message = say("out_of_range", value=text, low=low, high=high)
                problems.append(Problem.of(message, pos, col.name, raw, "error", file))
        elif col.dtype == "bool":
            if text.lower() not in BOOL_WORDS:
                problems.append(Problem.of(say("not_bool", value=text), pos, col.name, raw, "error", file))
        elif col.allowed and text not in col.allowed:
            problems.append(Problem.of(_ref_suggest(text, list(col.allowed)), pos, col.name, raw, "error", file))
    return problems


def _ref_normalize(table: dict[str, list[object]]) -> list[tuple[str, str, str, int]]:
    records = []
    for col in SPEC.columns:
        if col.name not in table:
            continue
        aliases = VALUE_ALIASES.get(col.name)
        olds, news = [], []
        for i, raw in enumerate(table[col.name]):
            if raw is None:
                continue
            text = str(raw).strip()
            if aliases is not None:
                new = aliases.get(normalize_value(text), text)
            elif col.name == SPEC.year_column:
                new = _year_of(text)
            elif col.dtype == "str" and text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r"):
                new = text[1:]
            else:
                new = text
            olds.append((i, text, new))
            news.append(new != text)
        for (old, new), n in Counter((o, w) for _, o, w in olds if o != w).items():
            records.append((col.name, old, new, n))
        for i, old, new in olds:  # rule columns hold stripped values; free text changes only where neutralised
            if aliases is not None or col.name == SPEC.year_column or old != new:
                table[col.name][i] = new
    return records


def _city():
    districts = load_districts("full")
    city = shapely.union_all(districts.geometry.to_numpy())
    return city, gpd.GeoSeries([city], crs="EPSG:4326").to_crs("EPSG:32650").iloc[0]


def reference_import(path: Path, crs: str | None) -> tuple[list[Problem], list, list[int]]:
    """(problems, normalized, rejected row numbers) of a CSV, one cell at a time."""
    file = path.name
    chosen = parse_crs(crs)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], skipinitialspace=True)
    raw.columns = [str(c).strip() for c in raw.columns]
    rename, problems, x_col, y_col = _map_headers(list(raw.columns), SPEC, True, file)
    n = len(raw)
    table = {rename.get(c, c): [None if pd.isna(v) else v for v in raw[c]] for c in raw.columns}
    normalized = _ref_normalize(table)
    # coordinates
    xs, ys = table.pop(x_col), table.pop(y_col)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    bad = np.zeros(n, bool)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    for i in range(n):
        for col, cell, out in ((x_col, xs[i], x), (y_col, ys[i], y)):
            out[i] = pd.to_numeric(pd.Series([cell], dtype=object), errors="coerce").iloc[0]
            if cell is None or str(cell).strip() == "":
                problems.append(Problem.of(say("missing_coordinate"), i + 1, col, None, "error", file))
                bad[i] = True
            elif not np.isfinite(out[i]):
                problems.append(Problem.of(say("not_a_number", value=cell), i + 1, col, cell, "error", file))
                bad[i] = True
        if not bad[i] and x[i] == 0 and y[i] == 0:
            problems.append(Problem.of(say("zero_zero"), i + 1, f"{x_col}/{y_col}", "0, 0", "error", file))
            bad[i] = True
    where = f"{x_col}/{y_col}"
    for i in range(n):
        if bad[i]:
            continue
        metres = abs(x[i]) > 360 or abs(y[i]) > 360
        if metres != chosen.projected:
            key = "degrees_for_projected" if chosen.projected else "metres_for_degrees"
            problems.append(
                Problem.of(say(key, x=x[i], y=y[i], crs=chosen.key), i + 1, where, f"{x[i]}, {y[i]}", "error", file)
            )
            bad[i] = True
            continue
        lo, la = to_wgs84(np.array([x[i]]), np.array([y[i]]), chosen)
        lon[i], lat[i] = lo[0], la[0]
    city, metres_city = _city()
    centre = metres_city.centroid
    coord_rows = set()
    for i in range(n):
        if not (np.isfinite(lon[i]) and np.isfinite(lat[i])) or (lon[i] == 0 and lat[i] == 0):
            continue
        if 15 <= abs(lon[i]) <= 35 and 105 <= abs(lat[i]) <= 125:
            message = say("latlon_swapped", lat=lat[i], lon=lon[i])
            problems.append(Problem.of(message, i + 1, where, f"{lon[i]}, {lat[i]}", "error", file))
        elif abs(lat[i]) > 90 or abs(lon[i]) > 180:
            message = say("not_lonlat", lon=lon[i], lat=lat[i])
            problems.append(Problem.of(message, i + 1, where, f"{lon[i]}, {lat[i]}", "error", file))
        elif not city.contains(shapely.Point(lon[i], lat[i])):
            pt = gpd.GeoSeries([shapely.Point(lon[i], lat[i])], crs="EPSG:4326").to_crs("EPSG:32650").iloc[0]
            km = metres_city.distance(pt) / 1000
            side = _direction(pt.x - centre.x, pt.y - centre.y)
            far = km > FAR_OUTSIDE_KM
            msg = say("outside", km=f"{km:.1f}", side=side, side_zh=DIRECTIONS[side])
            if far:
                msg += say("outside_far", limit=f"{FAR_OUTSIDE_KM:.0f}")
            elif crs is None and km <= OFFSET_HINT_KM:
                msg += say("outside_offset_hint")
            if not far:
                msg += say("outside_not_counted")
            sev = "error" if far else "warning"
            problems.append(Problem.of(msg, i + 1, where, f"{lon[i]:.6f}, {lat[i]:.6f}", sev, file))
    coord_rows = {p.row for p in problems if p.severity == "error" and p.row is not None}
    # the layer checks
    checks: list[Problem] = []
    for col in SPEC.columns:
        if col.name in table:
            checks += _ref_column(table[col.name], col, file)
    ids = table.get(SPEC.id_column)
    if ids is not None:
        first: dict[str, int] = {}
        for i, v in enumerate(ids, start=1):
            if v is None:
                continue
            if v in first:
                checks.append(Problem.of(say("duplicate_id", column="site_id", value=v, first=first[v]), i,
                                         "site_id", v, "error", file))  # fmt: skip
            else:
                first[v] = i
    for i in range(n):
        if not (np.isfinite(lon[i]) and np.isfinite(lat[i])):
            checks.append(Problem.of(say("missing_coordinates"), i + 1, "geometry", None, "error", file))
    for p in sorted(checks, key=lambda p: (p.row or 0, p.column or "")):
        if not (p.column in ("geometry", "lon", "lat") and p.row in coord_rows):
            problems.append(p)
    unknown = [c for c in table if c not in {s.name for s in SPEC.columns}]
    if unknown:
        message = say("unknown_columns_dropped", columns=", ".join(unknown), kind="5g_sites")
        problems.append(Problem.of(message, severity="warning", file=file))
    problems = sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
    rejected = sorted({p.row for p in problems if p.severity == "error" and p.row is not None})
    return problems, normalized, rejected


# --------------------------------------------------------------------------------------------
# Messy tables
# --------------------------------------------------------------------------------------------

IDS = ["A1", "A1", "A2", "A3 ", " A4", "芗城-001", "NaN", "007", "7", "", "  ", "=1+1", "'=1+1", "'x", "a b"]
OPERATORS = [
    "中国移动",
    "移动",
    "移动 ",
    "CMCC",
    "cmcc",
    "China Mobile",
    "China Mobil",
    "中国铁通",
    "",
    "电信",
    "Unicon",
]
STATUSES = ["在用", "在建", "规划", "已开通", "In Service", "in_service", "停用", "", "建设中", "planned "]
YEARS = ["2021", "2021年", "2021-06-30", "2022/6", "2023.0", "2015", "2036", "去年", "", "2021.5", "inf", "1e3",
         "2020年6月", " 2024 ", "nan", "2019", "2035"]  # fmt: skip
BANDS = ["n41", "2.6GHz", "3.5G", "n99", "", "700MHz", "N78"]
INSIDE = [(117.65, 24.51), (117.71, 24.50), (117.34, 23.96), (117.53, 25.00), (117.43, 23.70)]
LONLAT = [*[(f"{a}", f"{b}") for a, b in INSIDE], ("24.5", "117.71"), ("", "24.5"), ("117.6", ""), ("abc", "24.5"),
          ("0", "0"), ("116.2", "24.5"), ("117.65", "25.33"), ("565876.331", "2711932.257"), ("NaN", "24.5"),
          ("117.65 ", " 24.51"), ("117.65E", "24.51"), ("200", "24.5"), ("117.65", "95")]  # fmt: skip


@st.composite
def messy_tables(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 12))
    rows = []
    for _ in range(n):
        lon, lat = draw(st.sampled_from(LONLAT))
        pools = (IDS, OPERATORS, STATUSES, YEARS)
        row = [*(draw(st.sampled_from(pool)) for pool in pools), lon, lat, draw(st.sampled_from(BANDS)),
               draw(st.sampled_from(["x", ""]))]  # fmt: skip
        rows.append(",".join(f'"{v}"' if v.strip() != v or "," in v else v for v in row))
    return "站号,运营商,状态,开通年份,经度,纬度,频段,备注\n" + "\n".join(rows) + "\n"


def _key(p: Problem) -> tuple[object, ...]:
    value = p.value
    if isinstance(value, (float, np.floating)):
        value = float(value)
    return (p.row, p.column, p.severity, p.message, value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=messy_tables(), batch=st.sampled_from([3, 1000]))
def test_fast_path_agrees_with_the_row_by_row_reference(text: str, batch: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sites.csv"
        path.write_text(text, encoding="utf-8")
        fast = import_file(path, "5g_sites", batch_rows=batch)
        problems, normalized, rejected = reference_import(path, None)
    assert [_key(p) for p in fast.problems] == [_key(p) for p in problems]
    assert fast.normalized == normalized
    assert fast.rejected["row"].tolist() == rejected
    assert len(fast.layer) == fast.rows_total - len(rejected)
    assert fast.rejected["problem"].map(bool).all()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=messy_tables())
def test_batches_do_not_change_the_answer(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sites.csv"
        path.write_text(text, encoding="utf-8")
        whole = import_file(path, "5g_sites")
        parts = import_file(path, "5g_sites", batch_rows=2)
        counted = import_file(path, "5g_sites", batch_rows=2, keep_layer=False)
    assert parts.problems == whole.problems
    assert parts.normalized == whole.normalized
    assert parts.rejected.equals(whole.rejected)
    assert parts.layer.to_wkt().equals(whole.layer.to_wkt())
    assert counted.accepted_count == len(whole.layer)
    assert counted.summary() == whole.summary()
