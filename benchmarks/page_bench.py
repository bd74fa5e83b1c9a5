"""First view of the map page: the zzgeo app against a naive dash-leaflet page, side by side.

Run by hand: ``.venv/bin/python benchmarks/page_bench.py [--repeat 3]``. Needs Chromium at
/usr/bin/chromium (or ``ZZGEO_CHROMIUM``). Writes ``benchmarks/page_results.md``.

Both pages are served in this process (werkzeug, threaded, loopback) and loaded in
headless Chromium, each repetition in a fresh browser context (cold cache), alternating
zzgeo / naive. Tile hosts resolve to nothing (``--host-resolver-rules``), so no page waits
on the network outside loopback and no request is intercepted.

- **zzgeo**: ``app.create_app()`` as shipped: display-detail districts and the small point
  layers inline, the 5G sites fetched as compact GeoJSON (5 decimals, short keys),
  responses compressed (flask-compress), sites clustered in the browser.
- **naive**: what a first dash-leaflet page usually looks like: one ``dl.Map`` with a
  ``dl.GeoJSON`` per layer whose ``data`` is ``json.loads(gdf.to_json())`` (full-detail
  districts, full-precision coordinates, every column), default Leaflet markers, no
  clustering, no compression. It shows the same features as zzgeo's first view (the point
  layers filtered with ``zzgeo.indicators.filter_layer`` to the default view: 2025, in service).

Measured per load (CDP Network events): bytes over the wire (``encodedDataLength``:
compressed bodies + headers) and decoded body bytes, split into code (JS/CSS bundles) and
data (page, layout, callbacks, GeoJSON); the time from navigation start until the 11
districts and every point layer are drawn (polled every animation frame in the page);
DOM elements in the marker pane; JS heap after drawing. Dash registers every imported
component library process-wide, so the naive page would also load dash-ag-grid's bundle,
which it does not use: that URL is blocked for the naive page (it is not counted).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dash
import dash_leaflet as dl
from dash import html
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from zzgeo.districts import load_districts
from zzgeo.indicators import filter_layer
from zzgeo.layers import load_layer

OUT = Path(__file__).with_name("page_results.md")
CHROMIUM = os.environ.get("ZZGEO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # every host but loopback fails at once: tiles cost nothing and nothing is intercepted
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
POINT_KINDS = ("5g_sites", "data_centers", "smart_projects")
DEFAULT_VIEW: dict[str, Any] = {"year": 2025, "statuses": ["in_service"]}  # the app's first view
CODE_PREFIXES = ("/_dash-component-suites/", "/assets/")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def serve(flask_app: Any) -> tuple[str, Callable[[], None]]:
    """Serve a WSGI app on a free loopback port in a thread; return its URL and a stop function."""
    server = make_server("127.0.0.1", 0, flask_app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=10)

    return f"http://127.0.0.1:{server.server_port}/", stop


def first_view_layers() -> dict[str, Any]:
    """The point layers as zzgeo's first view shows them (all operators, 2025, in service)."""
    return {kind: filter_layer(load_layer(kind), kind, **DEFAULT_VIEW) for kind in POINT_KINDS}


def naive_app(layers: dict[str, Any]) -> dash.Dash:
    """A minimal dash-leaflet page: full-detail GeoJSON, full precision, no clustering/compression."""
    districts = load_districts("full")
    children: list[Any] = [dl.TileLayer(), dl.GeoJSON(data=json.loads(districts.to_json()), id="naive-districts")]
    children += [dl.GeoJSON(data=json.loads(gdf.to_json()), id=f"naive-{kind}") for kind, gdf in layers.items()]
    xmin, ymin, xmax, ymax = districts.total_bounds
    app = dash.Dash("naive_page", compress=False, serve_locally=True)
    app.layout = html.Div(
        dl.Map(
            children,
            center=[(ymin + ymax) / 2, (xmin + xmax) / 2],
            zoom=9,
            style={"height": "100vh"},
        )
    )
    return app


# Returns performance.now() once the page shows everything, else false (polled each frame).
ZZGEO_READY = """
([dc, proj]) => {
    const q = (s) => document.querySelectorAll(s).length;
    const ok = q('path.zz-district') === 11
        && q('#map .leaflet-marker-pane .zz-cluster') > 0
        && q('#map .leaflet-marker-pane .zz-sym-dc') === dc
        && q('#map .leaflet-marker-pane .zz-sym:not(.zz-sym-dc)') === proj;
    return ok ? performance.now() : false;
}
"""
NAIVE_READY = """
([points]) => {
    const q = (s) => document.querySelectorAll(s).length;
    const ok = q('.leaflet-overlay-pane path') >= 11 && q('.leaflet-marker-pane .leaflet-marker-icon') >= points;
    return ok ? performance.now() : false;
}
"""


def load_once(browser: Browser, url: str, ready_js: str, arg: list[int], blocked: list[str]) -> dict[str, float]:
    """Load ``url`` in a fresh context; bytes, time until drawn, markers and heap."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    requests: dict[str, dict[str, Any]] = {}

    def entry(event: dict[str, Any]) -> dict[str, Any]:
        return requests.setdefault(event["requestId"], {"url": "", "wire": 0, "body": 0, "done": False})

    cdp.on("Network.requestWillBeSent", lambda e: entry(e).update(url=e["request"]["url"]))
    cdp.on("Network.dataReceived", lambda e: entry(e).update(body=entry(e)["body"] + e["dataLength"]))
    cdp.on("Network.loadingFinished", lambda e: entry(e).update(wire=e["encodedDataLength"], done=True))
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Performance.enable")
    if blocked:
        cdp.send("Network.setBlockedURLs", {"urls": blocked})
    try:
        page.goto(url, wait_until="commit")
        drawn_ms = float(page.wait_for_function(ready_js, arg=arg, polling="raf", timeout=180_000).json_value())
        page.wait_for_load_state("networkidle")
        markers = page.evaluate("() => document.querySelectorAll('.leaflet-marker-pane > *').length")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    finally:
        context.close()
    done = [r for r in requests.values() if r["done"] and r["url"].startswith("http://127.0.0.1")]

    def total(key: str, code: bool | None = None) -> float:
        return float(sum(r[key] for r in done if code is None or (any(p in r["url"] for p in CODE_PREFIXES) is code)))

    return {
        "drawn_s": drawn_ms / 1000,
        "wire_total": total("wire"),
        "wire_code": total("wire", code=True),
        "wire_data": total("wire", code=False),
        "body_total": total("body"),
        "body_data": total("body", code=False),
        "requests": float(len(done)),
        "markers": float(markers),
        "heap_mb": metrics.get("JSHeapUsedSize", 0.0) / 2**20,
    }


def _mb(value: float) -> str:
    return f"{value / 1e6:.2f} MB" if value >= 1e5 else f"{value / 1e3:.1f} kB"


ROWS: list[tuple[str, str, Callable[[float], str]]] = [
    ("wire_total", "bytes over the wire, total", _mb),
    ("wire_code", "… code (JS/CSS bundles, assets)", _mb),
    ("wire_data", "… data (page, layout, callbacks, GeoJSON)", _mb),
    ("body_total", "decoded body bytes, total", _mb),
    ("body_data", "… data", _mb),
    ("requests", "requests (loopback)", lambda v: f"{v:.0f}"),
    ("drawn_s", "time until districts + all layers drawn", lambda v: f"{v:.2f} s"),
    ("markers", "elements in the marker pane", lambda v: f"{v:,.0f}"),
    ("heap_mb", "JS heap used after drawing", lambda v: f"{v:.0f} MB"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from app import create_app

    layers = first_view_layers()
    n_dc, n_proj = len(layers["data_centers"]), len(layers["smart_projects"])
    n_points = sum(len(g) for g in layers.values())
    t0 = time.perf_counter()
    zz_url, zz_stop = serve(create_app().server)
    naive_url, naive_stop = serve(naive_app(layers).server)
    print(f"apps built in {time.perf_counter() - t0:.1f} s; first view: {n_points:,} points", flush=True)

    pages = {
        "zzgeo": (zz_url, ZZGEO_READY, [n_dc, n_proj], []),
        "naive": (naive_url, NAIVE_READY, [n_points], ["*dash_ag_grid*"]),
    }
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for name, spec in pages.items():  # warm-up: server-side caches, Chromium start-up
                load_once(browser, *spec)
                print(f"warm-up {name} done", flush=True)
            for i in range(args.repeat):
                for name, spec in pages.items():
                    result = load_once(browser, *spec)
                    runs[name].append(result)
                    print(
                        f"run {i + 1} {name}: {result['drawn_s']:.2f} s, {_mb(result['wire_total'])} over the wire",
                        flush=True,
                    )
            version = browser.version
            browser.close()
    finally:
        zz_stop()
        naive_stop()

    med = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()}
    lines = [
        "| first view, medians | zzgeo | naive dash-leaflet | naive / zzgeo |",
        "|---|---|---|---|",
    ]
    for key, label, fmt in ROWS:
        a, b = med["zzgeo"][key], med["naive"][key]
        ratio = f"{b / a:.1f}×" if a else "—"
        lines.append(f"| {label} | {fmt(a)} | {fmt(b)} | {ratio} |")
    spread = [f"- {name}: drawn in " + ", ".join(f"{r['drawn_s']:.2f}" for r in rs) + " s" for name, rs in runs.items()]
    text = (
        "# Page benchmark: first view, zzgeo vs a naive dash-leaflet page\n\n"
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}, "
        f"Chromium {version} headless (Playwright {importlib.metadata.version('playwright')}), "
        "viewport 1280×800, cold cache; "
        f"medians of {args.repeat} loads each, alternating, after one warm-up load each. "
        f"Both pages show the 11 districts and {n_points:,} points (5G sites, data centers, smart-city "
        "projects as of 2025, in service). Timings on this machine vary by ±12% or more; "
        "compare the ratios.\n\n" + "\n".join(lines) + "\n\nEvery load:\n\n" + "\n".join(spread) + "\n\n"
        "How it is measured: see the docstring of `benchmarks/page_bench.py`.\n"
    )
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
