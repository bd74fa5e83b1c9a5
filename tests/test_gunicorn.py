"""A real ``gunicorn 'app.wsgi:server'`` with 2 workers on loopback: one app, whatever worker answers.

Bounded: each server start waits at most :data:`START_TIMEOUT` seconds, every request has a
timeout, every loop a count. Checks: a change made through one worker is seen by every answer
after it; a session made on one worker is honoured by the other; a viewer's crafted change is
refused by both; ``kill -9`` of a worker leaves the other serving and the master starts a new
one; ``kill -9`` of the worker writing the workspace leaves the workspace as it was (readable,
complete) and the respawned worker removes the half-written file; ``kill -9`` of the whole
server, then a new start: same data.
"""

from __future__ import annotations

import base64
import concurrent.futures
import contextlib
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from app import ids

from zzgeo.accounts import UserStore
from zzgeo.layers import load_layer
from zzgeo.workspace import Workspace

START_TIMEOUT = 150.0
REPO = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


class Server:
    """gunicorn 'app.wsgi:server', 2 workers x 2 threads, on a free loopback port."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"gunicorn-{self.port}.log"
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO), *sys.path]),
            "ZZGEO_WORKSPACE": str(folder / "ws" / "workspace.gpkg"),
            "ZZGEO_BIND": f"127.0.0.1:{self.port}",
            "TMPDIR": str(folder / "tmp"),
        }
        (folder / "tmp").mkdir(exist_ok=True)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "app.wsgi:server", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", "2", "--threads", "2", "--worker-class", "gthread", "--timeout", "120",
                 "--no-control-socket"],
                cwd=self.folder, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.wait_ready()
        return self

    def wait_ready(self, workers: int = 2) -> None:
        """Until both workers answer (each logs that it built the app), at most START_TIMEOUT."""
        assert self.proc is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            if len(self.ready_workers()) >= workers and len(_children(self.proc.pid)) >= workers:
                try:
                    if httpx.get(f"{self.url}/auth/me", timeout=10).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
            time.sleep(0.5)
        raise AssertionError(f"gunicorn did not start in {START_TIMEOUT} s:\n{self.log.read_text()[-3000:]}")

    def ready_workers(self) -> set[int]:
        """PIDs of workers whose app is built (app.wsgi logs the start-up warning last)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return {int(pid) for pid in re.findall(r"\[(\d+)\] app\.wsgi:", text)}

    @property
    def workers(self) -> list[int]:
        assert self.proc is not None
        return _children(self.proc.pid)

    def kill(self) -> None:
        """kill -9 of the master and every worker."""
        assert self.proc is not None
        for pid in [*self.workers, self.proc.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("gunicorn")).start()
    try:
        yield running
    finally:
        running.stop()


# ---------------------------------------------------------------------------------------------
# posting callbacks as Dash's renderer does


def _dependencies(url: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{url}/_dash-dependencies", timeout=30)
    response.raise_for_status()
    return list(response.json())


def _callback(deps: list[dict[str, Any]], *outputs: str) -> dict[str, Any]:
    return next(d for d in deps if all(f"{o}" in d["output"] for o in outputs))


def _body(dep: dict[str, Any], values: dict[str, Any], changed: str) -> dict[str, Any]:
    key = dep["output"]
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1].split("@")[0]}
        for part in key.strip(".").split("...")
    ]

    def items(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"id": s["id"], "property": s["property"], "value": values.get(f"{s['id']}.{s['property']}")}
                for s in specs]  # fmt: skip

    return {
        "output": key,
        "outputs": outputs,
        "inputs": items(dep["inputs"]),
        "state": items(dep["state"]),
        "changedPropIds": [changed],
    }


def _sites_csv(n: int) -> bytes:
    """``n`` 5G sites inside Zhangzhou (positions of the shipped sample), as CSV."""
    sample = load_layer("5g_sites")
    rows = ["site_id,operator,status,year_in_service,lon,lat"]
    for i in range(n):
        point = sample.geometry.iloc[i % len(sample)]
        rows.append(f"E2E-{i:06d},China Mobile,in_service,2024,{point.x:.6f},{point.y:.6f}")
    return ("\n".join(rows) + "\n").encode()


def _import(client: httpx.Client, url: str, data: bytes, name: str) -> httpx.Response:
    """Upload, wait for the import job, then accept (on one keep-alive connection, as a browser tab)."""
    deps = _dependencies(url)
    upload = _callback(deps, f"{ids.IMPORT_REPORT}.children", f"{ids.IMPORT_TOKEN}.data")
    request = {
        "contents": "data:text/csv;base64," + base64.b64encode(data).decode(),
        "filename": name,
        "kind": "5g_sites",
        "crs": "wgs84",
    }
    state = {"lang": "en"}
    read = client.post(
        "/_dash-update-component",
        json=_body(upload, {f"{ids.IMPORT_REQUEST}.data": request, f"{ids.STATE}.data": state},
                   f"{ids.IMPORT_REQUEST}.data"),
        timeout=120,
    )  # fmt: skip
    assert read.status_code == 200, read.text
    token = read.json()["response"][ids.IMPORT_TOKEN]["data"]
    assert token
    # the import runs as a job: poll as the page's interval does until it has ended (any worker answers)
    poll = _callback(deps, f"{ids.IMPORT_PROGRESS}.children", f"{ids.IMPORT_FINISHED}.data")
    deadline = time.monotonic() + 120
    for tick in itertools.count(1):
        values = {f"{ids.IMPORT_POLL}.n_intervals": tick, f"{ids.IMPORT_TOKEN}.data": token, f"{ids.STATE}.data": state}
        answer = client.post("/_dash-update-component", json=_body(poll, values, f"{ids.IMPORT_POLL}.n_intervals"),
                             timeout=60)  # fmt: skip
        assert answer.status_code == 200, answer.text
        if ids.IMPORT_FINISHED in answer.json()["response"] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    accept = _callback(deps, f"{ids.DATA_VERSION}.data", f"{ids.IMPORT_ACCEPT}.disabled")
    values = {
        f"{ids.IMPORT_ACCEPT}.n_clicks": 1,
        f"{ids.IMPORT_TOKEN}.data": token,
        f"{ids.IMPORT_MODE}.value": "add",
        f"{ids.STATE}.data": state,
    }
    return client.post("/_dash-update-component", json=_body(accept, values, f"{ids.IMPORT_ACCEPT}.n_clicks"),
                       timeout=120)  # fmt: skip


def _count(url: str) -> int:
    """Sites in the 5G payload, on a fresh connection (any worker may answer)."""
    response = httpx.get(f"{url}/zzgeo-data/5g_sites.json", headers={"Connection": "close"}, timeout=60)
    assert response.status_code == 200
    return int(json.loads(response.content)["n"])


def _counts(url: str, n: int) -> list[int]:
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda _: _count(url), range(n)))


# ---------------------------------------------------------------------------------------------


def test_every_worker_serves_the_pages_code_at_once(server: Server) -> None:
    """The page's bundles, fetched at once on fresh connections, are there on every worker."""
    page = httpx.get(f"{server.url}/?lang=en", timeout=60)
    assert page.status_code == 200
    urls = re.findall(r'<script src="([^"]+)"', page.text) + re.findall(
        r'<link rel="stylesheet" href="([^"]+)"', page.text
    )
    assert len(urls) > 5
    old = server.workers  # fresh workers: no request has prepared them yet
    for pid in old:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and not (
        len(server.ready_workers() - set(old)) >= 2 and len(set(server.workers) - set(old)) == 2
    ):
        time.sleep(0.2)

    def fetch(url: str) -> int:
        response = httpx.get(f"{server.url}{url}", headers={"Connection": "close", "Referer": f"{server.url}/"},
                             timeout=60)  # fmt: skip
        return response.status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(fetch, urls * 2))
    assert set(codes) == {200}
    assert "not a registered library" not in server.log.read_text()


def test_a_change_through_one_worker_is_seen_by_every_answer(server: Server) -> None:
    sample = len(load_layer("5g_sites"))
    assert set(_counts(server.url, 8)) == {sample}
    with httpx.Client(base_url=server.url, timeout=60) as client:  # the local user (loopback, no accounts)
        accepted = _import(client, server.url, _sites_csv(7), "seven.csv")
    assert accepted.status_code == 200, accepted.text
    assert set(_counts(server.url, 24)) == {sample + 7}  # every answer after the change, whichever worker
    log = Workspace(server.env["ZZGEO_WORKSPACE"]).log()
    assert list(log["action"]) == ["import"]
    assert list(log["who"]) == ["local"] or list(log["who"]) == ["unknown"]


def test_sessions_and_roles_hold_on_every_worker(server: Server) -> None:
    store = UserStore(Path(server.env["ZZGEO_WORKSPACE"]).with_name("users.sqlite"))
    store.add("li", PASSWORD, "editor")
    store.add("wang", PASSWORD, "viewer")
    try:
        deps = _dependencies(server.url)
        accept = _callback(deps, f"{ids.DATA_VERSION}.data", f"{ids.IMPORT_ACCEPT}.disabled")
        values = {
            f"{ids.IMPORT_ACCEPT}.n_clicks": 1,
            f"{ids.IMPORT_TOKEN}.data": "x",
            f"{ids.STATE}.data": {"lang": "en"},
        }
        body = _body(accept, values, f"{ids.IMPORT_ACCEPT}.n_clicks")
        # accounts exist now: the local user is anonymous like everyone else
        refused = [httpx.post(f"{server.url}/_dash-update-component", json=body, headers={"Connection": "close"},
                              timeout=60).status_code for _ in range(8)]  # fmt: skip
        assert set(refused) == {403}
        cookies = {}
        for name in ("li", "wang"):
            with httpx.Client(base_url=server.url, timeout=60) as client:
                form = client.get("/login?lang=en").text
                token = re.search(r'name="csrf_token" value="([^"]+)"', form)
                assert token
                signed = client.post("/login", data={"csrf_token": token[1], "name": name, "password": PASSWORD})
                assert signed.status_code == 302
                cookies[name] = dict(client.cookies)
        for _ in range(8):  # fresh connections: both workers accept the sessions (one secret key)
            me = httpx.get(f"{server.url}/auth/me", cookies=cookies["li"], headers={"Connection": "close"})
            assert me.json()["name"] == "li"
            viewer = httpx.post(f"{server.url}/_dash-update-component", json=body, cookies=cookies["wang"],
                                headers={"Connection": "close"}, timeout=60)  # fmt: skip
            assert viewer.status_code == 403
            editor = httpx.post(f"{server.url}/_dash-update-component", json=body, cookies=cookies["li"],
                                headers={"Connection": "close"}, timeout=60)  # fmt: skip
            assert editor.status_code == 200
            assert "expired" in editor.text  # Dash ran it; the token is unknown
    finally:
        for user in store.users():
            store.remove(user.name)


def test_kill_9_of_a_worker_leaves_the_other_serving(server: Server) -> None:
    before = server.workers
    assert len(before) == 2
    os.kill(before[0], signal.SIGKILL)
    expected = Workspace(server.env["ZZGEO_WORKSPACE"]).layer_count("5g_sites")
    for _ in range(10):  # at once: the other worker answers
        assert _count(server.url) == expected
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and not (
        len(server.workers) == 2 and before[0] not in server.workers and len(server.ready_workers() - set(before)) >= 1
    ):
        time.sleep(0.5)
    assert len(server.workers) == 2
    assert before[0] not in server.workers  # the master started a new worker


def _holder_of(path_part: str, pids: list[int]) -> int | None:
    """The worker that has a file whose name contains ``path_part`` open."""
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    if path_part in os.readlink(fd):
                        return pid
                except OSError:
                    continue
        except OSError:
            continue
    return None


def test_kill_9_of_the_worker_writing_the_workspace(server: Server) -> None:
    ws = Workspace(server.env["ZZGEO_WORKSPACE"])
    folder = ws.path.parent
    entries_before = list(ws.entries()["id"])
    bytes_before = ws.path.read_bytes()
    expected = ws.layer_count("5g_sites")
    data = _sites_csv(60_000)  # large enough that writing it takes a while
    outcome: dict[str, Any] = {}

    def accept() -> None:
        try:
            with httpx.Client(base_url=server.url, timeout=120) as client:
                outcome["response"] = _import(client, server.url, data, "big.csv")
        except httpx.HTTPError as exc:  # the worker dies mid-request
            outcome["error"] = exc

    thread = threading.Thread(target=accept)
    thread.start()
    killed = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and thread.is_alive() and killed is None:
        temps = [p.name for p in folder.glob(".workspace.*.gpkg")]
        if temps:
            killed = _holder_of(temps[0], server.workers)
            if killed:
                os.kill(killed, signal.SIGKILL)
        time.sleep(0.005)
    thread.join(timeout=120)
    assert killed is not None, f"the write was not caught in progress: {outcome}"
    assert "error" in outcome  # the request died with its worker
    # the workspace is the one before the write: readable, complete
    assert ws.path.read_bytes() == bytes_before
    assert list(ws.entries()["id"]) == entries_before
    assert ws.layer_count("5g_sites") == expected
    for _ in range(6):
        assert _count(server.url) == expected  # the other worker goes on serving
    # the new worker removes the half-written file when it starts (under the workspace lock)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and list(folder.glob(".workspace.*.gpkg*")):
        time.sleep(0.5)
    assert list(folder.glob(".workspace.*.gpkg*")) == []


def test_kill_9_of_the_whole_server_then_a_new_start(server: Server) -> None:
    ws = Workspace(server.env["ZZGEO_WORKSPACE"])
    expected = ws.layer_count("5g_sites")
    server.kill()
    assert list(ws.entries()["id"])  # readable after the crash
    again = Server(server.folder)
    again.env["ZZGEO_WORKSPACE"] = server.env["ZZGEO_WORKSPACE"]
    again.start()
    try:
        assert set(_counts(again.url, 6)) == {expected}
    finally:
        again.stop()
