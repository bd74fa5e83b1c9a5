"""Library benchmarks, side by side with the baseline a user would otherwise write.

Run: ``make bench`` (or ``python benchmarks/run.py [--quick]``). Prints tables and writes
``benchmarks/results.md``. Everything runs on generated, seeded data in one process run,
zzgeo and baseline alternating, so the ratios are comparable even on a noisy machine.

1. Point-in-district assignment + count per district, 1M and 4M points:
   ``zzgeo.indicators.count_points`` (a cached grid index; exact ``shapely.contains_xy``
   only in border cells; no point objects) against
   ``sjoin(GeoDataFrame(geometry=points_from_xy(lon, lat)), districts, predicate="within")``
   + ``groupby``. Both start from the lon/lat arrays; the answers are checked equal. The
   memory-bandwidth bound is the time to read the two coordinate arrays once.
2. The whole ``zzgeo indicators`` run on a 4M-row Parquet inventory (read, assign,
   aggregate), as a subprocess, peak memory (max RSS) and time, against the GeoDataFrame
   path a user would write (``read_parquet`` -> ``points_from_xy`` -> ``sjoin`` -> ``groupby``).
3. Point-in-area counts for an area layer of ~300 areas (a quadtree over the districts:
   cells split while they hold more than 150 sample sites, so areas are small where sites
   are dense, as townships are), 1M and 4M points: ``zzgeo.indicators.count_in_areas``
   against ``sjoin`` + ``groupby``, on points spread like the sample's sites (resampled and
   jittered by ~400 m) and on uniform points over the city's bounding box.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box

from zzgeo.areas import prepare_areas
from zzgeo.assign import index_for
from zzgeo.districts import load_districts
from zzgeo.indicators import count_in_areas, count_points
from zzgeo.layers import load_layer

OUT = Path(__file__).with_name("results.md")


def _median_seconds(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _points(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(n)
    return rng.uniform(116.9, 118.3, n), rng.uniform(23.5, 25.3, n)


def bench_assignment(sizes: list[int], repeat: int) -> list[dict[str, object]]:
    districts = load_districts("full")
    polys = districts[["adcode", "geometry"]]
    start = time.perf_counter()
    index_for(districts.geometry.to_numpy())
    build = time.perf_counter() - start
    rows = []
    for n in sizes:
        lon, lat = _points(n)

        def ours(lon: np.ndarray = lon, lat: np.ndarray = lat) -> pd.Series:
            counts = count_points(lon, lat, districts)
            return counts[counts > 0]

        def baseline(lon: np.ndarray = lon, lat: np.ndarray = lat) -> pd.Series:
            pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
            joined = gpd.sjoin(pts, polys, predicate="within")
            return joined.groupby("adcode").size()

        def read_coordinates(lon: np.ndarray = lon, lat: np.ndarray = lat) -> float:
            return float(lon.sum() + lat.sum())

        a, b = ours(), baseline()
        assert a.sort_index().to_dict() == b.sort_index().to_dict(), "results differ"
        t_ours = _median_seconds(ours, repeat)
        t_base = _median_seconds(baseline, repeat)
        t_bw = _median_seconds(read_coordinates, repeat)
        rows.append(
            {
                "points": f"{n:,}",
                "zzgeo (s)": f"{t_ours:.3f}",
                "sjoin + groupby (s)": f"{t_base:.3f}",
                "speed-up": f"{t_base / t_ours:.0f}×",
                "zzgeo points/s": f"{n / t_ours / 1e6:.1f} M",
                "read coords once (s)": f"{t_bw:.4f}",
                "zzgeo / bandwidth bound": f"{t_ours / t_bw:.0f}×",
            }
        )
        print(rows[-1], flush=True)
    rows.append({"points": f"(grid index built once: {build:.2f} s)"})
    return rows


def quadtree_areas(max_sites: int = 150, step: float = 0.2, min_step: float = 0.0125) -> gpd.GeoDataFrame:
    """An area layer over the districts: grid cells split in four while they hold more than ``max_sites``."""
    districts = load_districts("full")
    sample = load_layer("5g_sites").geometry.to_numpy()
    sx, sy = shapely.get_x(sample), shapely.get_y(sample)
    xmin, ymin, xmax, ymax = districts.total_bounds
    out: list[shapely.Geometry] = []

    def visit(x: float, y: float, s: float, geom: shapely.Geometry) -> None:
        piece = shapely.intersection(box(x, y, x + s, y + s), geom)
        if piece.is_empty or piece.area == 0:
            return
        near = (sx >= x) & (sx < x + s) & (sy >= y) & (sy < y + s)
        n = int(shapely.contains_xy(piece, sx[near], sy[near]).sum()) if near.any() else 0
        if n > max_sites and s / 2 >= min_step:
            for dx in (0, s / 2):
                for dy in (0, s / 2):
                    visit(x + dx, y + dy, s / 2, piece)
            return
        polys = [g for g in shapely.get_parts(piece) if g.geom_type == "Polygon" and g.area > 0]
        if polys:
            out.append(shapely.MultiPolygon(polys))

    for geom in districts.geometry:
        for x in np.arange(xmin, xmax, step):
            for y in np.arange(ymin, ymax, step):
                visit(x, y, step, geom)
    layer = gpd.GeoDataFrame({"name": [f"Q{i:03d}" for i in range(len(out))]}, geometry=out, crs="EPSG:4326")
    return prepare_areas(layer)


def _clustered(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points resampled from the sample's sites and jittered (sigma ~400 m)."""
    sample = load_layer("5g_sites").geometry.to_numpy()
    rng = np.random.default_rng(n + 1)
    rows = rng.integers(0, len(sample), n)
    jitter = 400 / 111_320
    return shapely.get_x(sample)[rows] + rng.normal(0, jitter, n), shapely.get_y(sample)[rows] + rng.normal(
        0, jitter, n
    )


def bench_areas(sizes: list[int], repeat: int) -> list[dict[str, object]]:
    areas = quadtree_areas()
    polys = areas[["adcode", "geometry"]]
    start = time.perf_counter()
    index_for(areas.geometry.to_numpy())
    build = time.perf_counter() - start
    rows = []
    for n in sizes:
        for spread, (lon, lat) in (("like the sample", _clustered(n)), ("uniform", _points(n))):

            def ours(lon: np.ndarray = lon, lat: np.ndarray = lat) -> pd.Series:
                counts, _ = count_in_areas(lon, lat, areas)
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
                    f"points ({len(areas)} areas)": f"{n:,}, {spread}",
                    "zzgeo (s)": f"{t_ours:.3f}",
                    "sjoin + groupby (s)": f"{t_base:.3f}",
                    "speed-up": f"{t_base / t_ours:.0f}×",
                    "zzgeo points/s": f"{n / t_ours / 1e6:.1f} M",
                }
            )
            print(rows[-1], flush=True)
    share = index_for(areas.geometry.to_numpy()).border_share
    rows.append({f"points ({len(areas)} areas)": f"(grid index built once: {build:.2f} s; {share:.1%} border cells)"})
    return rows


_OURS = """
import sys
from zzgeo.cli import main
sys.exit(main(["indicators", "--sites", sys.argv[1], "--stream", "--year", "2025", "--format", "csv"]))
"""

_BASELINE = """
import sys
import geopandas as gpd
import pandas as pd
from zzgeo.districts import load_districts
table = pd.read_parquet(sys.argv[1])
table = table[(table["status"] == "in_service") & (table["year_in_service"] <= 2025)]
points = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326")
joined = gpd.sjoin(points, load_districts("full")[["adcode", "geometry"]], predicate="within")
print(joined.groupby("adcode").size().to_csv())
"""

_MAXRSS = """
import resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2]], capture_output=True, text=True)
elapsed = time.perf_counter() - start
if proc.returncode:
    sys.exit(proc.stderr)
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _run_measured(code: str, path: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of ``python -c code path`` in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", _MAXRSS, textwrap.dedent(code), str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1]) / 1024


def bench_whole_run(n: int, repeat: int) -> list[dict[str, object]]:
    rng = np.random.default_rng(2026)
    lon, lat = _points(n)
    table = pd.DataFrame(
        {
            "site_id": np.arange(n).astype(str),
            "operator": pd.Categorical(rng.choice(["China Mobile", "China Telecom", "China Unicom"], n)),
            "status": pd.Categorical(rng.choice(["in_service", "planned"], n, p=[0.9, 0.1])),
            "year_in_service": rng.integers(2019, 2027, n).astype("int16"),
            "lon": lon,
            "lat": lat,
        }
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sites.parquet"
        table.to_parquet(path, row_group_size=500_000)
        del table
        size_mb = path.stat().st_size / 1e6
        ours = [_run_measured(_OURS, path) for _ in range(repeat)]
        base = [_run_measured(_BASELINE, path) for _ in range(repeat)]
    for name, runs in (("zzgeo indicators --stream", ours), ("GeoDataFrame + sjoin", base)):
        rows.append(
            {
                f"run ({n:,}-row Parquet, {size_mb:.0f} MB)": name,
                "time (s)": f"{statistics.median(r[0] for r in runs):.2f}",
                "peak memory (MB)": f"{max(r[1] for r in runs):.0f}",
            }
        )
        print(rows[-1], flush=True)
    t_ratio = float(rows[1]["time (s)"]) / float(rows[0]["time (s)"])
    m_ratio = float(rows[1]["peak memory (MB)"]) / float(rows[0]["peak memory (MB)"])
    rows.append({next(iter(rows[0])): "ratio (baseline / zzgeo)", "time (s)": f"{t_ratio:.1f}×",
                 "peak memory (MB)": f"{m_ratio:.1f}×"})  # fmt: skip
    return rows


def _markdown(rows: list[dict[str, object]]) -> str:
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(r.get(h, "")) for h in header) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one repetition (a smoke run)")
    args = parser.parse_args()
    sizes = [100_000, 400_000] if args.quick else [1_000_000, 4_000_000]
    repeat = 1 if args.quick else 3
    assignment = bench_assignment(sizes, repeat)
    areas = bench_areas(sizes, repeat)
    whole = bench_whole_run(400_000 if args.quick else 4_000_000, repeat)
    text = (
        "# Benchmark results (library)\n\n"
        f"Machine: {platform.machine()}, CPython {platform.python_version()}; medians of {repeat} runs, "
        "zzgeo and baseline in the same run. Regenerate with `make bench`.\n\n"
        "## Point-in-district assignment and counts (same answers, checked)\n\n"
        f"{_markdown(assignment)}\n\n"
        "## Point-in-area counts for an area layer of a few hundred areas (same answers, checked)\n\n"
        f"{_markdown(areas)}\n\n"
        "## The whole indicators run on a large inventory (read, assign, aggregate), in a fresh process\n\n"
        f"{_markdown(whole)}\n"
    )
    if not args.quick:
        OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
