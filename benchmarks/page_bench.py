"""First view of the map page: the zzgeo app against a naive dash-leaflet page, side by side.

Run by hand or by ``make bench``: ``.venv/bin/python benchmarks/page_bench.py [--repeat 5]
[--sizes sample,10000,100000] [--baseline REV]``. Needs Chromium at /usr/bin/chromium (or
``ZZGEO_CHROMIUM``). Writes ``benchmarks/page_results.md``.

``--baseline REV`` (a git revision of this repository, e.g. the version before a redesign)
also serves that version's app, from ``git archive REV`` in a temporary folder, in a
subprocess (its own imports; same data folder and an empty workspace), and loads it in the
same alternation: the results then compare this version with that one in one run (timings
of separate runs on these machines do not compare).

Sizes: ``sample`` is the shipped 5G layer (15,718 sites); a number is a seeded synthetic
layer of that many sites (``benchmarks/synthetic.py``: the sample resampled and jittered
inside the districts), put in a temporary copy of the data folder that both pages read
(``create_app(Settings(data_dir=...))``; the workspace is an empty temporary file).

Both pages are served in this process (werkzeug, threaded, loopback) and loaded in
headless Chromium, each repetition in a fresh browser context (cold cache), alternating
zzgeo / naive. Tile hosts resolve to nothing (``--host-resolver-rules``), so no page waits
on the network outside loopback and no request is intercepted.

- **zzgeo**: ``app.create_app()`` as shipped: display-detail districts and the small point
  layers inline, the 5G sites fetched as compact columnar JSON (5 decimals, short codes,
  one array per column, expanded in the browser), responses compressed (flask-compress,
  Brotli), sites clustered in the browser.
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

Panning and zooming (``--pan-zoom``, on by default for synthetic sizes): after the last
load of each page, 3 mouse-wheel zooms in and 3 drags of 200 px at the map's centre; per
step, the time until the map pane stops changing (no DOM mutation for 300 ms, capped at
60 s) and the longest gap between animation frames while it changed (a frame gap over
~100 ms is a visible stutter).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
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
from zzgeo.settings import Settings

try:  # run as a script (python benchmarks/page_bench.py) or imported from benchmarks/
    from synthetic import data_dir
except ImportError:  # pragma: no cover
    from benchmarks.synthetic import data_dir

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


# Serves another version's app (its own code on sys.path) on a loopback port, quietly.
BASELINE_SERVER = """
import sys
from werkzeug.serving import WSGIRequestHandler, make_server
class Quiet(WSGIRequestHandler):
    def log_request(self, *args):
        pass
from app import create_app
server = make_server("127.0.0.1", 0, create_app().server, threaded=True, request_handler=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
"""


def baseline_tree(rev: str, root: Path) -> Path:
    """The files of ``rev`` (a git revision of this repository) in ``root`` (``git archive``)."""
    repo = Path(__file__).resolve().parents[1]
    root.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(repo), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    return root


def serve_baseline(tree: Path, settings: Settings, workspace: Path) -> tuple[str, Callable[[], None]]:
    """Serve the app of ``tree`` (another version) on ``settings``' data in a subprocess; URL and stop."""
    env = {
        **os.environ,
        "PYTHONPATH": f"{tree / 'src'}{os.pathsep}{tree}",
        "ZZGEO_DATA_DIR": str(settings.data_dir),
        "ZZGEO_WORKSPACE": str(workspace),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", BASELINE_SERVER], cwd=tree, env=env, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the port, once the app is built
    if not line.strip().isdigit():
        proc.kill()
        raise SystemExit(f"the baseline app did not start (exit code {proc.poll()})")
    url = f"http://127.0.0.1:{int(line)}/"
    urllib.request.urlopen(url, timeout=60).read()  # loopback only

    def stop() -> None:
        proc.terminate()
        proc.wait(timeout=20)

    return url, stop


def first_view_layers(layers_dir: Path | None = None) -> dict[str, Any]:
    """The point layers as zzgeo's first view shows them (all operators, 2025, in service)."""
    out = {}
    for kind in POINT_KINDS:
        layer = load_layer(kind, layers_dir / f"{kind}.geojson" if layers_dir else None)
        out[kind] = filter_layer(layer, kind, **DEFAULT_VIEW)
    return out


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
        drawn_ms = float(page.wait_for_function(ready_js, arg=arg, polling="raf", timeout=400_000).json_value())
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


# Records animation frames and the last change in the map pane outside the tile pane
# (installed once per page). Tiles cannot load here (their hosts resolve to nothing): how
# Leaflet retires failed tiles after a zoom says nothing about the pages' own layers.
PROBE_JS = """
() => {
    if (window.__zzProbe) return;
    const probe = window.__zzProbe = {frames: [], last: performance.now()};
    const loop = (t) => { probe.frames.push(t); if (probe.frames.length > 20000) probe.frames.shift();
                          requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
    const pane = document.querySelector('.leaflet-map-pane');
    const tiles = (node) => node.closest && node.closest('.leaflet-tile-pane');
    new MutationObserver((records) => {
        if (records.some((r) => !tiles(r.target.nodeType === 1 ? r.target : r.target.parentElement))) {
            probe.last = performance.now();
        }
    }).observe(pane, {childList: true, subtree: true, attributes: true});
}
"""
# Resolves once the map pane (tiles aside) has changed after `start` (the step was handled:
# a busy page may take seconds to get to the input event) and then not for `quiet` ms:
# [settle ms, longest frame gap ms]. With `moved` false (the first call, before any step),
# it only waits for quiet.
SETTLE_JS = """
([start, quiet, cap, moved]) => new Promise((resolve) => {
    const probe = window.__zzProbe;
    const check = () => {
        const now = performance.now();
        const handled = !moved || probe.last > start;
        if ((handled && now - probe.last > quiet && now - start > quiet) || now - start > cap) {
            const end = Math.max(probe.last, start);
            const frames = probe.frames.filter((t) => t >= start - 1 && t <= end + 50);
            let gap = 0;
            for (let i = 1; i < frames.length; i++) gap = Math.max(gap, frames[i] - frames[i - 1]);
            resolve([end - start, gap]);
        } else {
            setTimeout(check, 25);
        }
    };
    check();
})
"""


def pan_zoom(browser: Browser, url: str, ready_js: str, arg: list[int], blocked: list[str]) -> dict[str, float]:
    """Load the page, then 3 wheel zooms and 3 drags at the map's centre; settle times and frame gaps."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    if blocked:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setBlockedURLs", {"urls": blocked})
    settle: list[float] = []
    gaps: list[float] = []
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_function(ready_js, arg=arg, polling="raf", timeout=300_000)
        page.wait_for_load_state("networkidle")
        page.evaluate(PROBE_JS)
        box = page.locator(".leaflet-container").first.bounding_box()
        assert box is not None
        cx, cy = box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.5
        page.mouse.move(cx, cy)
        page.evaluate(SETTLE_JS, [page.evaluate("performance.now()"), 300, 60_000, False])
        steps: list[Callable[[], None]] = [lambda: page.mouse.wheel(0, -120)] * 3
        for dx in (200, -200, 200):

            def drag(dx: int = dx) -> None:
                page.mouse.move(cx, cy)
                page.mouse.down()
                page.mouse.move(cx + dx / 2, cy + 40, steps=4)
                page.mouse.move(cx + dx, cy + 80, steps=4)
                page.mouse.up()

            steps.append(drag)
        for step in steps:
            start = page.evaluate("performance.now()")
            step()
            took, gap = page.evaluate(SETTLE_JS, [start, 300, 60_000, True])
            settle.append(float(took) / 1000)
            gaps.append(float(gap))
    finally:
        context.close()
    return {
        "zoom_s": statistics.median(settle[:3]),
        "pan_s": statistics.median(settle[3:]),
        "max_step_s": max(settle),
        "max_gap_ms": max(gaps),
    }


def _ratio(a: float, b: float) -> str:
    return f"{b / a:.1f}×" if a else "—"


def run_size(
    browser: Browser,
    size: str,
    repeat: int,
    settings: Settings,
    *,
    pan: bool,
    big: bool,
    baseline: Path | None = None,
) -> dict[str, Any]:
    """Serve both pages on one data folder and load each ``repeat`` times (alternating).

    ``big`` (100,000 sites): the naive page takes minutes to draw, so it is loaded once,
    without a warm-up, and not panned.
    """
    warm, naive_repeat, naive_pan = not big, 1 if big else repeat, not big
    from app import create_app

    layers = first_view_layers(settings.layers_dir)
    n_dc, n_proj = len(layers["data_centers"]), len(layers["smart_projects"])
    n_points = sum(len(g) for g in layers.values())
    t0 = time.perf_counter()
    zz_url, zz_stop = serve(create_app(settings).server)
    naive_url, naive_stop = serve(naive_app(layers).server)
    stops = [zz_stop, naive_stop]
    pages = {"zzgeo": (zz_url, ZZGEO_READY, [n_dc, n_proj], [])}
    if baseline is not None:
        workspace = Path(tempfile.mkdtemp(prefix="zzgeo-baseline-")) / "workspace.gpkg"
        base_url, base_stop = serve_baseline(baseline, settings, workspace)
        stops.append(base_stop)
        pages["baseline"] = (base_url, ZZGEO_READY, [n_dc, n_proj], [])
    pages["naive"] = (naive_url, NAIVE_READY, [n_points], ["*dash_ag_grid*"])
    print(f"[{size}] apps built in {time.perf_counter() - t0:.1f} s; first view: {n_points:,} points", flush=True)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
    moves: dict[str, dict[str, float]] = {}
    try:
        if warm:
            for name, spec in pages.items():  # warm-up: server-side caches, Chromium start-up
                load_once(browser, *spec)
                print(f"[{size}] warm-up {name} done", flush=True)
        else:  # only zzgeo's servers have caches to fill; the naive page is too slow to load twice
            for name in pages:
                if name != "naive":
                    load_once(browser, *pages[name])
        for i in range(repeat):
            for name, spec in pages.items():
                if name == "naive" and i >= naive_repeat:
                    continue
                result = load_once(browser, *spec)
                runs[name].append(result)
                wire = _mb(result["wire_total"])
                print(f"[{size}] run {i + 1} {name}: {result['drawn_s']:.2f} s, {wire} over the wire", flush=True)
        if pan:
            for name, spec in pages.items():
                if name == "naive" and not naive_pan:
                    continue
                moves[name] = pan_zoom(browser, *spec)
                print(f"[{size}] pan/zoom {name}: {moves[name]}", flush=True)
    finally:
        for stop in stops:
            stop()
    med = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()}
    return {"size": size, "points": n_points, "runs": runs, "med": med, "moves": moves}


def size_table(result: dict[str, Any], baseline: str | None = None) -> str:
    """The table of one size: zzgeo (and the ``baseline`` revision's zzgeo, when loaded) and the
    naive page, with the naive page's figure over each zzgeo's."""
    med, moves = result["med"], result["moves"]
    zz = ["zzgeo", "baseline"] if "baseline" in med else ["zzgeo"]
    title = {"zzgeo": "zzgeo", "baseline": f"zzgeo {baseline}", "naive": "naive dash-leaflet"}
    head = [title[n] for n in [*zz, "naive"]] + [f"naive / {title[n]}" for n in zz]
    lines = ["| first view, medians | " + " | ".join(head) + " |", "|---" * (len(head) + 1) + "|"]
    for key, label, fmt in ROWS:
        cells = [fmt(med[n][key]) for n in [*zz, "naive"]] + [_ratio(med[n][key], med["naive"][key]) for n in zz]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for key, label, fmt in MOVE_ROWS if moves else ():
        naive = moves.get("naive", {}).get(key)
        cells = [fmt(moves[n][key]) for n in zz]
        cells.append(fmt(naive) if naive is not None else "not measured (the page takes minutes to draw)")
        cells += [_ratio(moves[n][key], naive) if naive is not None else "—" for n in zz]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    spread = [
        f"- {title.get(name, name)}: drawn in " + ", ".join(f"{r['drawn_s']:.2f}" for r in rs) + " s"
        for name, rs in result["runs"].items()
    ]
    return "\n".join(lines) + "\n\nEvery load:\n\n" + "\n".join(spread)


MOVE_ROWS: list[tuple[str, str, Callable[[float], str]]] = [
    ("zoom_s", "wheel zoom step until the layers settle (median of 3)", lambda v: f"{v:.2f} s"),
    ("pan_s", "drag (pan) step until the layers settle (median of 3)", lambda v: f"{v:.2f} s"),
    ("max_gap_ms", "longest frame gap during those steps", lambda v: f"{v:.0f} ms"),
]


def _sizes(text: str) -> list[str]:
    out = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        if part == "sample" or part.isdigit():
            out.append(part)
        elif part.endswith("k") and part[:-1].isdigit():
            out.append(str(int(part[:-1]) * 1000))
        else:
            raise SystemExit(f"bad size {part!r}: use sample or a number of sites (10000, 100k)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="loads per page and size (the naive page at 100k: 1)")
    parser.add_argument("--sizes", default="sample,10000,100000")
    parser.add_argument("--no-pan-zoom", dest="pan", action="store_false")
    parser.add_argument("--baseline", metavar="REV", help="also load this git revision's app (e.g. an older version)")
    args = parser.parse_args()
    sizes = _sizes(args.sizes)

    results = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="zzgeo-page-bench-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        version = browser.version
        tree = baseline_tree(args.baseline, Path(tmp) / "baseline") if args.baseline else None
        for size in sizes:
            # the shipped data with an empty workspace (not the user's imports)
            settings = Settings(workspace_path=Path(tmp) / "sample-workspace.gpkg")
            if size != "sample":
                t0 = time.perf_counter()
                settings = data_dir(Path(tmp) / size, int(size))
                print(f"[{size}] synthetic layer written in {time.perf_counter() - t0:.1f} s", flush=True)
            big = size != "sample" and int(size) >= 50_000
            pan = args.pan and size != "sample"
            results.append(run_size(browser, size, args.repeat, settings, pan=pan, big=big, baseline=tree))
        browser.close()
    elapsed = time.perf_counter() - started

    base = args.baseline
    sections = []
    head = "| 5G sites in the layer | points in the first view "
    head += "| bytes: naive / zzgeo | time until drawn: naive / zzgeo |"
    if base:
        head += f" bytes: naive / zzgeo {base} | time until drawn: naive / zzgeo {base} |"
    summary = [head, "|---" * (6 if base else 4) + "|"]
    for r in results:
        med = r["med"]
        label = "15,718 (shipped sample)" if r["size"] == "sample" else f"{int(r['size']):,} (synthetic)"
        cells = [label, f"{r['points']:,}"]
        for name in ["zzgeo", "baseline"] if base else ["zzgeo"]:
            cells.append(_ratio(med[name]["wire_total"], med["naive"]["wire_total"]))
            cells.append(_ratio(med[name]["drawn_s"], med["naive"]["drawn_s"]))
        summary.append("| " + " | ".join(cells) + " |")
        n_zz, n_naive = len(r["runs"]["zzgeo"]), len(r["runs"]["naive"])
        loads = f"medians of {n_zz} loads each" if n_zz == n_naive else f"zzgeo: {n_zz} loads, naive: {n_naive}"
        sections.append(f"## {label}: {loads}\n\n{size_table(r, base)}")
    order = f"zzgeo / zzgeo {base} / naive" if base else "zzgeo / naive"
    also = (
        f" `zzgeo {base}` is that git revision's app (`--baseline {base}`), served from `git archive` "
        "on the same data in the same run."
        if base
        else ""
    )
    text = (
        "# Page benchmark: first view, zzgeo vs a naive dash-leaflet page\n\n"
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}, "
        f"Chromium {version} headless (Playwright {importlib.metadata.version('playwright')}), "
        f"viewport 1280×800, cold cache; loads alternate {order}, after one warm-up load each "
        "(at 100,000 sites zzgeo's only, and the naive page, which takes minutes to draw, is loaded once). "
        "Every page shows the 11 districts and the same points (5G sites, data "
        "centers, smart-city projects as of 2025, in service). Timings on this machine vary by ±12% or "
        f"more; compare the ratios. Whole run: {elapsed / 60:.1f} min.{also}\n\n"
        + "\n".join(summary)
        + "\n\n"
        + "\n\n".join(sections)
        + "\n\nHow it is measured: see the docstring of `benchmarks/page_bench.py`.\n"
    )
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
