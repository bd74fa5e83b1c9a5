"""Benchmarks, side by side with the baseline a user would otherwise write.

Run: ``make bench``. Prints a table and writes ``benchmarks/results.md``. Timings are
medians of several runs in one process: ratios matter, absolute numbers vary by machine.

1. Point-in-district assignment + count per district: ``zzgeo`` (``count_points``: a
   cached grid index, exact ``shapely.contains_xy`` only in border cells; no point objects)
   against ``geopandas.sjoin(GeoDataFrame(points_from_xy(...)), districts, predicate="within")``
   + ``groupby``. Both include building their inputs from the lon/lat arrays.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from zzgeo.districts import load_districts
from zzgeo.indicators import count_points

OUT = Path(__file__).with_name("results.md")


def _median_seconds(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_assignment(sizes: list[int], repeat: int = 3) -> list[dict[str, object]]:
    districts = load_districts("full")
    polys = districts[["adcode", "geometry"]]
    rows = []
    for n in sizes:
        rng = np.random.default_rng(n)
        lon = rng.uniform(116.9, 118.3, n)
        lat = rng.uniform(23.5, 25.3, n)

        def ours(lon: np.ndarray = lon, lat: np.ndarray = lat) -> pd.Series:
            counts = count_points(lon, lat, districts)
            return counts[counts > 0]

        def baseline(lon: np.ndarray = lon, lat: np.ndarray = lat) -> pd.Series:
            pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
            joined = gpd.sjoin(pts, polys, predicate="within")
            return joined.groupby("adcode").size()

        a, b = ours(), baseline()
        assert a.sort_index().to_dict() == b.sort_index().to_dict(), "results differ"
        t_ours = _median_seconds(ours, repeat)
        t_base = _median_seconds(baseline, repeat)
        rows.append(
            {
                "points": f"{n:,}",
                "zzgeo (s)": round(t_ours, 3),
                "sjoin + groupby (s)": round(t_base, 3),
                "speed-up": f"{t_base / t_ours:.1f}×",
                "zzgeo points/s": f"{n / t_ours / 1e6:.2f} M",
            }
        )
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    rows = bench_assignment([100_000, 1_000_000])
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(r[h]) for h in header) + " |" for r in rows]
    table = "\n".join(lines)
    text = (
        "# Benchmark results\n\n"
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}; "
        "medians of 3 runs in one process.\n\n"
        "## Point-in-district assignment and counts (same answers, checked)\n\n"
        f"{table}\n"
    )
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
