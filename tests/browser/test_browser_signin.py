"""The sign-in page in Chromium: both languages, a wrong password, signing in and out, no CSP violation.

Its own server (an accounts database with one editor), so the other browser tests keep the
zero-set-up local user.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server
from zzbrowser import ZzPage, screenshot, watch

from zzgeo.accounts import UserStore
from zzgeo.settings import Settings

PASSWORD = "correct horse battery"
CSP_WATCH = """
document.addEventListener('securitypolicyviolation',
    e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def signin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from app import create_app

    folder: Path = tmp_path_factory.mktemp("signin")
    settings = Settings(workspace_path=folder / "workspace.gpkg")
    UserStore(settings.accounts_path).add("li.wei", PASSWORD, "editor")
    server = make_server("127.0.0.1", 0, create_app(settings).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def signin_page(page: Page) -> tuple[Page, list[str]]:
    errors: list[str] = []
    page.add_init_script(CSP_WATCH)
    watch(page, errors)
    return page, errors


def test_sign_in_in_both_languages_and_sign_out(signin_page: tuple[Page, list[str]], signin_url: str) -> None:
    page, errors = signin_page
    page.goto(f"{signin_url}/login")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h1")).to_have_text("登录漳州新型基础设施地图")
    page.click("#zz-other-lang")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("label[for=zz-name]")).to_have_text("Account")

    page.fill("#zz-name", "li.wei")
    page.fill("#zz-password", "not the password")
    page.click("#zz-sign-in")
    expect(page.locator("[role=alert]")).to_have_text("Wrong account name or password.")
    expect(page.locator("#zz-name")).to_have_value("li.wei")  # kept; the password is not
    expect(page.locator("#zz-password")).to_have_value("")
    screenshot(page, "signin-wrong-password-en")

    page.fill("#zz-password", PASSWORD)
    page.click("#zz-sign-in")
    expect(page).to_have_url(f"{signin_url}/?lang=en")
    ZzPage(page, signin_url).wait_ready()  # the map itself loads under the CSP
    me = page.evaluate("fetch('/auth/me').then(r => r.json())")
    assert (me["name"], me["role"], me["can_editor"]) == ("li.wei", "editor", True)

    page.goto(f"{signin_url}/logout?lang=en")
    expect(page.locator(".note")).to_have_text("Signed in as li.wei (editor).")
    page.click("#zz-sign-out")
    expect(page.locator("h1")).to_have_text("You are signed out.")
    me = page.evaluate("fetch('/auth/me').then(r => r.json())")
    assert me["authenticated"] is False
    # the wrong password's page answers 401 (the browser notes it); nothing else went wrong
    assert errors == ["Failed to load resource: the server responded with a status of 401 (UNAUTHORIZED)"]


def test_a_stale_form_says_so_in_chinese(signin_page: tuple[Page, list[str]], signin_url: str) -> None:
    page, errors = signin_page
    page.goto(f"{signin_url}/login?lang=zh")
    page.context.clear_cookies()  # the session (and its CSRF token) is gone, e.g. expired
    page.fill("#zz-name", "li.wei")
    page.fill("#zz-password", PASSWORD)
    page.click("#zz-sign-in")
    expect(page.locator("[role=alert]")).to_have_text("表单已过期：请重新登录。")
    screenshot(page, "signin-expired-form-zh")
    me = page.evaluate("fetch('/auth/me').then(r => r.json())")
    assert me["authenticated"] is False
    assert errors == ["Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"]
