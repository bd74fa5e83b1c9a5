"""Server-side work of a filter change with 100,000 5G sites, as the browser asks for it.

Run by hand or by ``make bench``: ``.venv/bin/python benchmarks/filter_bench.py [--sites 100000]
[--changes 50]``. Writes ``benchmarks/filter_results.md``.

The app is built on a seeded synthetic layer (``benchmarks/synthetic.py``) in a temporary
data folder. A filter change in the browser makes these server round trips, which are
POSTed here to ``/_dash-update-component`` with the request bodies Dash's renderer sends
(Flask's test client, in-process: no network, no browser; responses compressed as the
browser would accept them):

1. ``sync_view``: the control's new value -> the view state (and the URL);
2. ``update_views``: the view state -> district colours, legends and ranking of every
   indicator and colour scheme, cards, panel, layer counts (indicators, 5G counts per
   district, coverage per district);
3. ``update_hexes`` (only with a hexagon overlay on): cell ids and counts of the overlays,
   sent at the same time as ``update_views`` (as the browser does; the server is threaded).

The 5G points themselves are filtered in the browser (no request), and changing the
indicator or the colour scheme makes no request at all (``zzgeo.applyIndicator`` picks
from what ``update_views`` sent). A seeded random walk of ``--changes`` changes, one
control at a time as a user would (year, an operator, a status), is timed twice: first
with empty caches (every view state is new to the server, so coverage and hexagons are
computed), then replayed (cached). Two
scenarios: the first view (overlays off, no district open) and a heavy one (both hexagon
overlays at resolution 8 and a district panel open, which adds its chart's counts).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import brotli
from app import ids
from app.state import ViewState, to_query

from zzgeo.layers import OPERATORS, STATUSES

try:  # run as a script (python benchmarks/filter_bench.py) or imported from benchmarks/
    from synthetic import data_dir
except ImportError:  # pragma: no cover
    from benchmarks.synthetic import data_dir

OUT = Path(__file__).with_name("filter_results.md")
HEADERS = {"Accept-Encoding": "gzip, deflate, br, zstd"}
YEARS = list(range(2019, 2026))
TAB = "filter-bench"  # the page load's id (app.context.Tickets)


def _outputs(key: str, pattern_ids: dict[str, list[str]]) -> list[Any]:
    """The ``outputs`` of a request for the callback ``key`` of ``app.callback_map``."""
    out: list[Any] = []
    for part in key.strip(".").split("..."):
        ident, prop = part.rsplit(".", 1)
        prop = prop.split("@")[0]
        if ident.startswith("{"):
            kind = json.loads(ident)["type"]
            out.append([{"id": {"index": i, "type": kind}, "property": prop} for i in pattern_ids[kind]])
        else:
            out.append({"id": ident, "property": prop})
    return out


class Client:
    """Posts callback requests the way Dash's renderer does; times each."""

    def __init__(self, dash_app: Any) -> None:
        self.keys = {
            "sync_view": next(k for k in dash_app.callback_map if f"..{ids.STATE}.data.." in f"..{k}.."),
            "update_views": next(k for k in dash_app.callback_map if f"..{ids.VIEWS}.data.." in f"..{k}.."),
            "update_hexes": next(k for k in dash_app.callback_map if f"..{ids.HEX_DATA}.data.." in f"..{k}.."),
        }
        self.pattern_ids = {ids.LAYER_COUNT: ["5g_sites", "data_centers", "smart_projects"]}
        self.app = dash_app
        self.pool = ThreadPoolExecutor(max_workers=2)

    @staticmethod
    def json(response: Any) -> Any:
        """The JSON of a (possibly compressed) response."""
        body = response.data
        encoding = response.headers.get("Content-Encoding")
        if encoding == "br":
            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = gzip.decompress(body)
        return json.loads(body)

    def post(self, name: str, inputs: list[dict[str, Any]], state: list[dict[str, Any]], changed: str) -> Any:
        key = self.keys[name]
        body = {
            "output": key,
            "outputs": _outputs(key, self.pattern_ids),
            "inputs": inputs,
            "state": state,
            "changedPropIds": [changed],
        }
        client = self.app.server.test_client()  # one per request: posts may run in two threads
        start = time.perf_counter()
        response = client.post("/_dash-update-component", json=body, headers=HEADERS)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"{name}: HTTP {response.status_code}: {response.get_data(as_text=True)[:300]}")
        return elapsed, len(response.data), response

    def change(self, current: ViewState, new: ViewState, control: str, version: str) -> dict[str, float]:
        """One filter change: sync_view, update_views and, with overlays, update_hexes."""
        controls = {
            ids.YEAR: new.year,
            ids.OPERATORS: list(new.operators),
            ids.STATUSES: list(new.statuses),
            ids.LAYERS: list(new.layers),
            ids.HEXES: list(new.hexes),
            ids.HEX_RES: new.resolution,
        }
        inputs = [{"id": ids.URL, "property": "search", "value": to_query(current)}]
        inputs += [{"id": i, "property": "value", "value": v} for i, v in controls.items()]
        inputs += [
            {"id": ids.MAP, "property": "center", "value": None},
            {"id": ids.MAP, "property": "zoom", "value": None},
            {"id": ids.DISTRICTS, "property": "clickData", "value": None},
            {"id": ids.GRID, "property": "cellClicked", "value": None},
            {"id": ids.PANEL_CLOSE, "property": "n_clicks", "value": 0},
        ]
        state = [
            {"id": ids.INDICATOR, "property": "value", "value": new.indicator},
            {"id": ids.PALETTE, "property": "value", "value": new.palette},
            {"id": ids.MAP, "property": "bounds", "value": None},
            {"id": ids.STATE, "property": "data", "value": current.for_server().to_dict()},
        ]
        t_sync, b_sync, response = self.post("sync_view", inputs, state, f"{control}.value")
        stored = self.json(response)["response"].get(ids.STATE, {}).get("data", current.for_server().to_dict())
        if ViewState.from_dict(stored) != new.for_server():  # the server saw the change
            raise RuntimeError(f"sync_view answered {stored}, not {new.for_server().to_dict()}")
        views = (
            "update_views",
            [
                {"id": ids.STATE, "property": "data", "value": stored},
                {"id": ids.PROPOSALS, "property": "data", "value": None},
                {"id": ids.ACCEPTED, "property": "data", "value": None},
                {"id": ids.DATA_VERSION, "property": "data", "value": version},
            ],
            [{"id": ids.TAB, "property": "data", "value": TAB}],
            f"{ids.STATE}.data",
        )
        out = {"sync_view": t_sync, "bytes": float(b_sync)}
        start = time.perf_counter()
        if not new.hexes:
            t_views, b_views, _ = self.post(*views)
        else:  # the browser sends both at once (the view state changed): so does this
            hexes = (
                "update_hexes",
                [{"id": ids.HEX_REQUEST, "property": "data", "value": {"hexes": list(new.hexes), "n": time.time()}}],
                [
                    {"id": ids.STATE, "property": "data", "value": stored},
                    {"id": ids.ACCEPTED, "property": "data", "value": None},
                    {"id": ids.TAB, "property": "data", "value": TAB},
                ],
                f"{ids.HEX_REQUEST}.data",
            )
            both = [self.pool.submit(self.post, *views), self.pool.submit(self.post, *hexes)]
            (t_views, b_views, _), (t_hex, b_hex, _) = (f.result() for f in both)
            out["update_hexes"] = t_hex
            out["bytes"] += b_hex
        out["update_views"] = t_views
        out["bytes"] += b_views
        out["total"] = t_sync + time.perf_counter() - start
        return out


def walk(start: ViewState, n: int, seed: int) -> list[tuple[ViewState, str]]:
    """``n`` view states, each one control away from the previous (seeded)."""
    rng = random.Random(seed)
    out = []
    state = start
    operators, statuses = list(OPERATORS), list(STATUSES)
    for _ in range(n):
        control = rng.choice([ids.YEAR, ids.YEAR, ids.OPERATORS, ids.STATUSES])
        if control == ids.YEAR:
            state = ViewState.from_dict({**state.to_dict(), "year": rng.choice([y for y in YEARS if y != state.year])})
        elif control == ids.OPERATORS:
            chosen = set(state.operators) ^ {rng.choice(operators)}
            chosen = chosen or {rng.choice(operators)}
            state = ViewState.from_dict({**state.to_dict(), "operators": [o for o in operators if o in chosen]})
        else:
            chosen = set(state.statuses) ^ {rng.choice(statuses)}
            chosen = chosen or {"in_service"}
            state = ViewState.from_dict({**state.to_dict(), "statuses": [s for s in statuses if s in chosen]})
        out.append((state, control))
    return out


def run(settings: Any, start: ViewState, changes: int, seed: int) -> dict[str, list[dict[str, float]]]:
    """A fresh app (empty caches): the walk once cold, then replayed warm."""
    from app import create_app

    dash_app = create_app(settings)
    client = Client(dash_app)
    from app.data import load_app_data

    data_version = load_app_data(settings).version
    states = walk(start, changes, seed)
    out: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
    for label in ("cold", "warm"):
        current = start
        for new, control in states:
            out[label].append(client.change(current, new, control, data_version))
            current = new
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def table(results: dict[str, dict[str, list[dict[str, float]]]]) -> str:
    lines = [
        "| scenario | caches | p50 | p95 | max | sync_view p50 | update_views p50 | update_hexes p50 | response p50 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for scenario, passes in results.items():
        for label, rows in passes.items():
            total = [r["total"] * 1000 for r in rows]

            def med(key: str, rows: list[dict[str, float]] = rows) -> str:
                values = [r[key] * 1000 for r in rows if key in r]
                return f"{statistics.median(values):.0f} ms" if values else "—"

            size = statistics.median(r["bytes"] for r in rows) / 1000
            lines.append(
                f"| {scenario} | {label} | {_pct(total, 0.5):.0f} ms | {_pct(total, 0.95):.0f} ms | "
                f"{max(total):.0f} ms | {med('sync_view')} | {med('update_views')} | {med('update_hexes')} | "
                f"{size:.1f} kB |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    scenarios = {
        "first view (no overlay, no panel)": ViewState(),
        "both hexagon overlays (res 8) + district panel": ViewState(hexes=("counts", "gaps"), district="350628"),
    }
    results = {}
    with tempfile.TemporaryDirectory(prefix="zzgeo-filter-bench-") as tmp:
        t0 = time.perf_counter()
        settings = data_dir(Path(tmp) / "data", args.sites)
        print(f"{args.sites:,} synthetic sites written in {time.perf_counter() - t0:.1f} s", flush=True)
        for name, start in scenarios.items():
            results[name] = run(settings, start, args.changes, args.seed)
            cold = [r["total"] for r in results[name]["cold"]]
            print(f"{name}: cold p50 {statistics.median(cold) * 1000:.0f} ms", flush=True)
    elapsed = time.perf_counter() - started
    text = (
        "# Filter benchmark: server-side work of a filter change\n\n"
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}. "
        f"{args.sites:,} synthetic 5G sites (seeded, `benchmarks/synthetic.py`); a seeded walk of "
        f"{args.changes} filter changes (year, operator, status; one control at a time; the indicator and "
        "colour pickers make no request: they are applied in the browser), "
        "each the callbacks the browser calls, POSTed to `/_dash-update-component` in-process "
        "(Flask test client, compressed responses); times are per change: `sync_view`, then `update_views` "
        "and `update_hexes` at once, as the browser sends them (the per-callback columns are each alone). "
        "`cold`: a fresh app, so each view state's coverage and hexagons are computed; `warm`: the same "
        f"walk again (cached per filter state). Timings vary by ±12% or more. Whole run: {elapsed:.0f} s.\n\n"
        + table(results)
        + "\n\nHow it is measured: see the docstring of `benchmarks/filter_bench.py`.\n"
    )
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
