"""The app's wiring and pages, pinned: a restructuring must leave them as they are.

``tests/data/snapshots/`` holds the callback map and the page of a few URLs as the app
serves them (``/_dash-layout`` with a Referer naming the page), written by
:mod:`snapshot_util`. A change that is meant to alter them rewrites the files with
``ZZGEO_UPDATE_SNAPSHOTS=1 pytest tests/test_app_snapshot.py`` and commits the diff with
the change, so the review sees what moved.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from snapshot_util import callback_lines, page_lines

SNAPSHOTS = Path(__file__).parent / "data" / "snapshots"
PAGES = {
    "page_default": "",
    "page_en_district": "?lang=en&year=2023&d=350628",
    "page_hexes_view": "?ind=gap_sites&pal=grey&year=2024&st=in_service,planned&layers=5g,dc&hex=counts,gaps&res=7"
    "&c=24.5,117.6&z=10",
}


@pytest.fixture(scope="module")
def dash_app():
    from app import create_app

    return create_app()


def _check(name: str, lines: list[str]) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    text = "\n".join(lines) + "\n"
    if os.environ.get("ZZGEO_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    want = path.read_text(encoding="utf-8")
    if text != want:
        diff = difflib.unified_diff(want.splitlines(), text.splitlines(), "snapshot", "now", lineterm="", n=1)
        shown = "\n".join(list(diff)[:120])
        pytest.fail(f"{name} differs from tests/data/snapshots/{name}.txt:\n{shown}")


def test_callback_map_is_unchanged(dash_app) -> None:
    lines = callback_lines(dash_app._callback_list)
    assert len(lines) == len(set(lines)), "two callbacks have the same wiring"
    _check("callbacks", lines)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_is_unchanged(dash_app, name: str) -> None:
    client = dash_app.server.test_client()
    response = client.get("/_dash-layout", headers={"Referer": f"http://localhost/{PAGES[name]}"})
    assert response.status_code == 200
    _check(name, page_lines(response.get_json()))


def test_shell_without_a_referrer_is_unchanged(dash_app) -> None:
    response = dash_app.server.test_client().get("/_dash-layout")
    assert response.status_code == 200
    _check("shell", page_lines(response.get_json()))
