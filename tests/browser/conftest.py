"""Browser tests: the real app served in-process, driven by Playwright in Debian's Chromium.

No browser is downloaded: Playwright launches /usr/bin/chromium (installed by
``make test`` via apt). Tile requests are aborted (there is no internet here); every
other console error fails the test that caused it, and so does an error logged by the
app's callbacks on the server.

Fixtures: ``app_url`` (session server), ``app_page`` (1280×800 page), ``phone_page``
(390×844 touch page), ``zz`` / ``phone_zz`` (:class:`ZzPage` helpers on those pages).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import WSGIRequestHandler, make_server
from zzbrowser import CHROMIUM, PHONE, AreasApp, ZzPage, watch

# two cores, a Dash round trip per change: generous, but conditions are polled, never slept
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs it (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "accept_downloads": True}


class _QuietHandler(WSGIRequestHandler):
    """werkzeug's handler without one log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def _serve(settings: Any = None) -> Iterator[str]:
    from app import create_app

    with _serving(create_app(settings)) as url:
        yield url


@contextmanager
def _serving(dash_app: Any) -> Iterator[str]:
    """Serve ``dash_app`` on a free loopback port while in the block; its URL."""
    server = make_server("127.0.0.1", 0, dash_app.server, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The Dash app on a free loopback port, served by werkzeug in a thread."""
    yield from _serve()


@pytest.fixture(scope="session")
def derived_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with a population table (a user's own) that marks 长泰区's figure as derived."""
    import csv
    from dataclasses import replace

    from zzgeo.settings import get_settings

    settings = get_settings()
    source = settings.population_path or settings.geodata_dir / "population_2020.csv"
    with open(source, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["adcode"] == "350605":
            row["status"] = "derived"
    path = tmp_path_factory.mktemp("population") / "population_derived.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    yield from _serve(replace(settings, population_path=path))


@pytest.fixture(scope="module")
def areas_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AreasApp]:
    """The app on a workspace with one area layer (:func:`area_grid.grid_areas`: 0.2° cells of the city,
    named 格 r-c, no population: estimated), for the module that asks for it."""
    from dataclasses import replace

    from app import create_app
    from app.state import ViewState

    from area_grid import grid_areas
    from zzgeo.imports import import_file
    from zzgeo.settings import get_settings
    from zzgeo.workspace import Workspace

    folder = tmp_path_factory.mktemp("areas")
    path = folder / "grid.geojson"
    grid_areas()[["name", "geometry"]].to_file(path, driver="GeoJSON")
    workspace = Workspace(folder / "workspace.gpkg")
    key = workspace.add(import_file(path, "areas"), who="test")
    dash_app = create_app(replace(get_settings(), workspace_path=folder / "workspace.gpkg"))
    level = dash_app.server.extensions["zzgeo"].level(ViewState(level=key))
    assert level is not None, "the area layer was not loaded as a level"
    with _serving(dash_app) as url:
        yield AreasApp(url, key, level.names("zh"))


class ConsoleErrors(list[str]):
    """Console errors and page errors seen by a page, tile failures excluded."""


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


def _server_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Errors the app logged on the server (callbacks log unexpected exceptions)."""
    return [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.get_records("call")
        if r.levelno >= logging.ERROR and r.name.split(".")[0] in ("app", "zzgeo", "dash", "werkzeug")
    ]


@pytest.fixture
def app_page(page: Page, console_errors: ConsoleErrors, caplog: pytest.LogCaptureFixture) -> Iterator[Page]:
    """A 1280×800 page with tiles blocked and console errors collected; asserts none at the end."""
    watch(page, console_errors)
    yield page
    assert list(console_errors) == [], f"console errors: {console_errors}"
    assert _server_errors(caplog) == [], "the app logged errors on the server"


@pytest.fixture
def phone_page(browser: Browser, caplog: pytest.LogCaptureFixture) -> Iterator[Page]:
    """A 390×844 touch page (a phone), tiles blocked, console errors asserted at the end."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    watch(page, errors)
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"console errors: {errors}"
    assert _server_errors(caplog) == [], "the app logged errors on the server"


@pytest.fixture
def zz(app_page: Page, app_url: str) -> ZzPage:
    """Helpers on a 1280×800 page of the app (not loaded yet: call ``zz.open()``)."""
    return ZzPage(app_page, app_url)


@pytest.fixture
def derived_zz(app_page: Page, derived_app_url: str) -> ZzPage:
    """Helpers on a 1280×800 page of the app whose population table marks 长泰区 derived."""
    return ZzPage(app_page, derived_app_url)


@pytest.fixture
def phone_zz(phone_page: Page, app_url: str) -> ZzPage:
    """Helpers on a 390×844 phone page of the app (not loaded yet)."""
    return ZzPage(phone_page, app_url)


@pytest.fixture
def areas_zz(app_page: Page, areas_app: AreasApp) -> ZzPage:
    """Helpers on a 1280×800 page of the app with an area layer (:func:`areas_app`; not loaded yet)."""
    return ZzPage(app_page, areas_app.url)
