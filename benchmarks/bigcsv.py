"""Seeded SYNTHETIC site inventories of any size for the validate benchmark (never committed).

``python benchmarks/bigcsv.py 1000000`` writes ``benchmarks/out/sites_1000000.csv`` (git-ignored):
a GBK CSV with Chinese headers (站号, 运营商, 状态, 开通年份, 经度, 纬度, 频段) as operators' exports
look, values with the aliases people use (移动/中国电信/CMCC, 在用/在建/规划, 2021年/2022-06-30, 2.6GHz),
points drawn uniformly inside Zhangzhou's districts, and a few bad rows (about one in 2,000):
unknown operators, years out of range, missing or non-numeric coordinates, swapped lat/lon, points
outside the city, duplicate ids. ``--parquet`` writes the same table as Parquet too.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from zzgeo.districts import load_districts

OUT = Path(__file__).with_name("out")

OPERATORS = ["中国移动", "移动", "中国电信", "电信", "中国联通", "联通", "中国广电", "CMCC"]
STATUSES = ["在用", "在用", "在用", "已开通", "在建", "规划"]
YEARS = ["2019", "2020", "2021", "2021年", "2022", "2022-06-30", "2023", "2024年", "2025"]
BANDS = ["n41", "2.6GHz", "n78", "3.5G", "n28", "700MHz", "n79", ""]


def inside_points(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` random points inside the districts (lon, lat in degrees)."""
    districts = load_districts("full")
    city = shapely.union_all(districts.geometry.to_numpy())
    shapely.prepare(city)
    west, south, east, north = city.bounds
    rng = np.random.default_rng(seed)
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    have = 0
    while have < n:
        x = rng.uniform(west, east, 2 * n)
        y = rng.uniform(south, north, 2 * n)
        keep = shapely.contains_xy(city, x, y)
        xs.append(x[keep])
        ys.append(y[keep])
        have += int(keep.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def sites_table(n: int, seed: int = 3506) -> pd.DataFrame:
    """The synthetic inventory as strings, as a user's export would hold them."""
    rng = np.random.default_rng(seed)
    lon, lat = inside_points(n, seed)
    table = pd.DataFrame(
        {
            "站号": [f"ZZ{i:08d}" for i in range(n)],
            "运营商": np.array(OPERATORS, dtype=object)[rng.integers(0, len(OPERATORS), n)],
            "状态": np.array(STATUSES, dtype=object)[rng.integers(0, len(STATUSES), n)],
            "开通年份": np.array(YEARS, dtype=object)[rng.integers(0, len(YEARS), n)],
            "经度": np.char.mod("%.6f", lon).astype(object),
            "纬度": np.char.mod("%.6f", lat).astype(object),
            "频段": np.array(BANDS, dtype=object)[rng.integers(0, len(BANDS), n)],
        }
    )
    bad = rng.choice(n, size=max(8, n // 2000), replace=False)
    for k, i in enumerate(bad):
        what = k % 8
        if what == 0:
            table.iat[i, 1] = "中国铁通"
        elif what == 1:
            table.iat[i, 3] = "2015"
        elif what == 2:
            table.iat[i, 4] = ""
        elif what == 3:
            table.iat[i, 5] = "北纬24.5"
        elif what == 4:
            table.iat[i, 4], table.iat[i, 5] = table.iat[i, 5], table.iat[i, 4]
        elif what == 5:
            table.iat[i, 4] = "116.20"  # ~90 km west of the city
        elif what == 6:
            table.iat[i, 0] = table.iat[(i + 1) % n, 0]
        else:
            table.iat[i, 1] = "China Mobil"
    return table


def write_csv(n: int, path: Path | None = None, seed: int = 3506) -> Path:
    """Write the inventory as a GBK CSV (Excel on Chinese Windows); return its path."""
    path = path or OUT / f"sites_{n}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        sites_table(n, seed).to_csv(path, index=False, encoding="gbk")
    return path


def write_parquet(n: int, path: Path | None = None, seed: int = 3506) -> Path:
    """Write the same inventory as Parquet (string columns, lon/lat as text); return its path."""
    path = path or OUT / f"sites_{n}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        sites_table(n, seed).to_parquet(path, index=False)
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("--parquet", action="store_true")
    args = parser.parse_args()
    print(write_csv(args.rows))
    if args.parquet:
        print(write_parquet(args.rows))
