"""N simulated users on loopback: Flask's development server against the production server (gunicorn).

Run by hand: ``.venv/bin/python benchmarks/load_bench.py [--users 50] [--duration 60] [--servers dev,prod]``.
Writes ``benchmarks/load_results.md``.

Each server is started as a user would start it (``zzgeo serve --dev`` and ``zzgeo serve``) on a
free loopback port with an empty temporary workspace (the shipped sample), and warmed up with
one pass of every request. Then ``--users`` users start at once, each with its own keep-alive
connection (as a browser tab) and its own page id, and each does what a person opening the map
and exploring it does:

1. ``page``: ``GET /`` (the index page);
2. ``layout``: ``GET /_dash-layout`` with the page as Referer (the whole first view);
3. ``dependencies``: ``GET /_dash-dependencies``;
4. ``payload``: ``GET`` of the 5G sites' compact JSON (15,718 sites, Brotli);
5. then until the time is up, after a pause of ``--think`` seconds (uniform, seeded): a filter
   change (one control: the year, an operator or a status), which is a ``sync_view`` POST then an
   ``update_views`` POST with the view state it answered, as Dash's renderer sends them; every
   third action is a district click instead (``sync_view`` with the district's ``clickData``, then
   ``update_views`` for the district panel).

Latency is measured from sending a request to having read its whole answer, in this process
(asyncio + httpx). An error is any answer but 200, a timeout (``--timeout``) or a broken
connection. Loopback only; every loop is bounded by ``--duration``. The load generator runs on
the same two cores as the server: its own CPU time is part of what the server competes with.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
from app import ids
from app.state import ViewState, to_query

from zzgeo.layers import OPERATORS, STATUSES

REPO = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("load_results.md")
HEADERS = {"Accept-Encoding": "gzip, deflate, br"}
YEARS = list(range(2019, 2026))
DISTRICTS = ["350602", "350603", "350604", "350605", "350623", "350624", "350626", "350627", "350628", "350629"]
KINDS = ["5g_sites", "data_centers", "smart_projects"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(kind: str, folder: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    """``zzgeo serve`` (prod) or ``zzgeo serve --dev`` on a free port; returns (process, URL, log)."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
        "ZZGEO_WORKSPACE": str(folder / f"{kind}-ws" / "workspace.gpkg"),
    }
    log = folder / f"{kind}.log"
    command = [sys.executable, "-m", "zzgeo.cli", "serve", "--port", str(port)] + (["--dev"] if kind == "dev" else [])
    with open(log, "wb") as fh:
        proc = subprocess.Popen(command, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{kind} server stopped:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/auth/me", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    else:
        raise RuntimeError(f"{kind} server did not start in 180 s")
    if kind == "prod":  # until every worker has built the app (each warns of the empty accounts file)
        while time.monotonic() < deadline and len(re.findall(r"app\.wsgi: no accounts", log.read_text())) < 2:
            time.sleep(0.5)
    return proc, url, log


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def _outputs(key: str) -> list[Any]:
    out: list[Any] = []
    for part in key.strip(".").split("..."):
        ident, prop = part.rsplit(".", 1)
        prop = prop.split("@")[0]
        if ident.startswith("{"):
            kind = json.loads(ident)["type"]
            out.append([{"id": {"index": k, "type": kind}, "property": prop} for k in KINDS])
        else:
            out.append({"id": ident, "property": prop})
    return out


class Callbacks:
    """Request bodies of ``sync_view`` and ``update_views`` from the server's ``/_dash-dependencies``."""

    def __init__(self, deps: list[dict[str, Any]]) -> None:
        self.sync = next(d for d in deps if f"..{ids.STATE}.data.." in f"..{d['output']}..")
        self.views = next(d for d in deps if f"..{ids.VIEWS}.data.." in f"..{d['output']}..")

    @staticmethod
    def body(dep: dict[str, Any], values: dict[str, Any], changed: str) -> dict[str, Any]:
        def items(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [
                {"id": s["id"], "property": s["property"], "value": values.get(f"{s['id']}.{s['property']}")}
                for s in specs
            ]

        return {
            "output": dep["output"],
            "outputs": _outputs(dep["output"]),
            "inputs": items(dep["inputs"]),
            "state": items(dep["state"]),
            "changedPropIds": [changed],
        }

    def sync_body(self, current: ViewState, new: ViewState, changed: str, click: str | None) -> dict[str, Any]:
        values = {
            f"{ids.URL}.search": to_query(current),
            f"{ids.YEAR}.value": new.year,
            f"{ids.OPERATORS}.value": list(new.operators),
            f"{ids.STATUSES}.value": list(new.statuses),
            f"{ids.LAYERS}.value": list(new.layers),
            f"{ids.HEXES}.value": list(new.hexes),
            f"{ids.HEX_RES}.value": new.resolution,
            f"{ids.PANEL_CLOSE}.n_clicks": 0,
            f"{ids.INDICATOR}.value": new.indicator,
            f"{ids.PALETTE}.value": new.palette,
            f"{ids.STATE}.data": current.for_server().to_dict(),
            f"{ids.DISTRICTS}.clickData": {"properties": {"adcode": click}} if click else None,
        }
        return self.body(self.sync, values, changed)

    def views_body(self, stored: dict[str, Any], tab: str) -> dict[str, Any]:
        values = {f"{ids.STATE}.data": stored, f"{ids.DATA_VERSION}.data": "load-bench", f"{ids.TAB}.data": tab}
        return self.body(self.views, values, f"{ids.STATE}.data")


def _next_state(state: ViewState, rng: random.Random) -> tuple[ViewState, str]:
    control = rng.choice([ids.YEAR, ids.YEAR, ids.OPERATORS, ids.STATUSES])
    data = state.to_dict()
    if control == ids.YEAR:
        data["year"] = rng.choice([y for y in YEARS if y != state.year])
    elif control == ids.OPERATORS:
        chosen = set(state.operators) ^ {rng.choice(list(OPERATORS))}
        data["operators"] = [o for o in OPERATORS if o in (chosen or {rng.choice(list(OPERATORS))})]
    else:
        chosen = set(state.statuses) ^ {rng.choice(list(STATUSES))}
        data["statuses"] = [s for s in STATUSES if s in (chosen or {"in_service"})]
    return ViewState.from_dict(data), f"{control}.value"


class Recorder:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.examples: list[str] = []

    async def call(self, name: str, send: Any) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            response: httpx.Response = await send()
        except httpx.HTTPError as exc:
            self.errors[name] += 1
            if len(self.examples) < 5:
                self.examples.append(f"{name}: {type(exc).__name__} {exc}")
            return None
        self.times[name].append(time.perf_counter() - start)
        if response.status_code != 200:
            self.errors[name] += 1
            if len(self.examples) < 5:
                self.examples.append(f"{name}: HTTP {response.status_code} {response.text[:120]}")
            return None
        return response


async def user(
    number: int, url: str, calls: Callbacks, rec: Recorder, end: float, think: tuple[float, float], timeout: float
) -> None:
    rng = random.Random(1000 + number)
    tab = f"load-{number}"
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=2)
    async with httpx.AsyncClient(base_url=url, headers=HEADERS, timeout=timeout, limits=limits) as client:
        page = await rec.call("page", lambda: client.get("/?lang=zh"))
        if page is None:
            return
        referer = {"Referer": f"{url}/?lang=zh"}
        await rec.call("layout", lambda: client.get("/_dash-layout", headers=referer))
        await rec.call("dependencies", lambda: client.get("/_dash-dependencies"))
        match = re.search(r'href="(/zzgeo-data/5g_sites\.json\?v=[^"]+)"', page.text)
        payload = match[1] if match else "/zzgeo-data/5g_sites.json"
        await rec.call("payload", lambda: client.get(payload))
        state = ViewState()
        step = 0
        while time.monotonic() < end:
            await asyncio.sleep(rng.uniform(*think))
            if time.monotonic() >= end:
                break
            step += 1
            if step % 3 == 0:
                code = rng.choice(DISTRICTS)
                new, changed, click, name = state, f"{ids.DISTRICTS}.clickData", code, "district_click"
            else:
                new, changed = _next_state(state, rng)
                click, name = None, "filter_change"
            body = calls.sync_body(state, new, changed, click)
            synced = await rec.call("sync_view", lambda body=body: client.post("/_dash-update-component", json=body))
            if synced is None:
                continue
            stored = synced.json().get("response", {}).get(ids.STATE, {}).get("data") or new.for_server().to_dict()
            start = time.perf_counter()
            views_body = calls.views_body(stored, tab)
            viewed = await rec.call("update_views", lambda b=views_body: client.post("/_dash-update-component", json=b))
            if viewed is not None:
                rec.times[name].append(rec.times["sync_view"][-1] + time.perf_counter() - start)
            state = ViewState.from_dict(stored)


async def run_load(url: str, users: int, duration: float, think: tuple[float, float], timeout: float) -> Recorder:
    deps = httpx.get(f"{url}/_dash-dependencies", timeout=60).json()
    calls = Callbacks(deps)
    warm = Recorder()  # one pass of everything: caches of the first view, not measured
    await user(-1, url, calls, warm, time.monotonic() + 3, (0.2, 0.4), timeout)
    rec = Recorder()
    end = time.monotonic() + duration
    await asyncio.gather(*(user(i, url, calls, rec, end, think, timeout) for i in range(users)))
    return rec


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


NAMES = ["page", "layout", "dependencies", "payload", "sync_view", "update_views", "filter_change", "district_click"]


def table(results: dict[str, tuple[Recorder, float]]) -> str:
    lines = [
        "| server | request | count | errors | p50 | p95 | max |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, (rec, _) in results.items():
        for name in NAMES:
            times = [t * 1000 for t in rec.times.get(name, [])]
            if not times and not rec.errors.get(name):
                continue
            p50 = f"{_pct(times, 0.5):.0f} ms" if times else "—"
            p95 = f"{_pct(times, 0.95):.0f} ms" if times else "—"
            top = f"{max(times):.0f} ms" if times else "—"
            lines.append(f"| {label} | {name} | {len(times)} | {rec.errors.get(name, 0)} | {p50} | {p95} | {top} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load per server")
    parser.add_argument(
        "--think", type=float, nargs=2, default=(3.0, 10.0), metavar=("MIN", "MAX"), help="pause between changes (s)"
    )
    parser.add_argument("--out", type=Path, default=OUT, help="results file (Markdown), rewritten")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a request counts as an error")
    parser.add_argument("--servers", default="dev,prod")
    args = parser.parse_args()
    labels = {"dev": "Flask development server (`zzgeo serve --dev`)", "prod": "gunicorn (`zzgeo serve`)"}
    results: dict[str, tuple[Recorder, float]] = {}
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="zzgeo-load-") as tmp:
        for kind in args.servers.split(","):
            proc, url, _log = start(kind, Path(tmp))
            try:
                started = time.monotonic()
                rec = asyncio.run(run_load(url, args.users, args.duration, tuple(args.think), args.timeout))
                results[labels[kind]] = (rec, time.monotonic() - started)
                loads.append(os.getloadavg()[0])
                print(f"{kind}: {sum(len(v) for v in rec.times.values())} timings, {sum(rec.errors.values())} errors")
                for example in rec.examples:
                    print(f"  {example}")
            finally:
                stop(proc)
    from zzgeo.settings import get_settings

    settings = get_settings()
    text = f"""# Load: {args.users} simulated users, development server vs production server

`benchmarks/load_bench.py --users {args.users} --duration {args.duration:g} --think {args.think[0]:g} {args.think[1]:g}`
on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; production server: gunicorn,
{settings.workers} workers x {settings.threads} threads (the defaults on this machine); every server on loopback with
the shipped sample (15,718 5G sites). Each user: page, layout, dependencies, 5G payload, then every
{args.think[0]:g}–{args.think[1]:g} s a filter change or (every third time) a district click, each a `sync_view` POST
then an `update_views` POST, for {args.duration:g} s. `filter_change` and `district_click` are the two POSTs
together, as the user waits for them. Times are whole answers as read by the client, which shares the two cores.
The machine's 1-minute load average before and after each server's run: {", ".join(f"{x:.1f}" for x in loads)}
(2 cores; anything above about 1 is other work on the machine competing with the server).

{table(results)}
"""
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
