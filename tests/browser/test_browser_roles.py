"""Roles in Chromium: a visitor and a viewer see and export but change nothing (the server refuses a
crafted request), an editor accepts proposals everyone then sees, an admin reverts from the history.

Its own server with accounts (so the zero-set-up local user does not apply) and its own workspace.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server
from zzbrowser import ZzPage, screenshot, watch

from zzgeo.accounts import UserStore
from zzgeo.settings import Settings
from zzgeo.workspace import Workspace

PASSWORD = "correct horse battery"
ACCOUNTS = {"wang.editor": "editor", "zhao.viewer": "viewer", "chen.admin": "admin"}


@pytest.fixture(scope="module")
def roles_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    from app import create_app

    folder: Path = tmp_path_factory.mktemp("roles")
    settings = Settings(workspace_path=folder / "workspace.gpkg")
    users = UserStore(settings.accounts_path)
    for name, role in ACCOUNTS.items():
        users.add(name, PASSWORD, role)
    server = make_server("127.0.0.1", 0, create_app(settings).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", settings
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def new_page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page of its own (cookies of its own: each test signs in as somebody else)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    watch(page, errors)
    try:
        yield page, errors
    finally:
        context.close()


def sign_in(page: Page, base: str, name: str) -> ZzPage:
    page.goto(f"{base}/login?lang=zh")
    page.fill("#zz-name", name)
    page.fill("#zz-password", PASSWORD)
    page.click("#zz-sign-in")
    zz = ZzPage(page, base)
    zz.wait_ready()
    return zz


def suggest(zz: ZzPage, n: int) -> None:
    zz.open_tab("whatif")
    zz.page.fill("#whatif-n", str(n))
    zz.page.click("#whatif-suggest")
    expect(zz.page.locator("#map path.zz-proposed")).to_have_count(n)


def test_a_visitor_sees_and_explores_but_cannot_change_anything(
    new_page: tuple[Page, list[str]], roles_app: tuple[str, Settings]
) -> None:
    page, errors = new_page
    base, settings = roles_app
    zz = ZzPage(page, base).open()
    account = page.locator("#account")
    expect(account).to_have_attribute("data-role", "viewer")
    expect(account).to_contain_text("访客（只读）")
    expect(account.get_by_role("link", name="登录")).to_have_attribute("href", "/login?lang=zh&next=%2F")
    # a visitor may try what-ifs (they stay in the browser) but not accept them
    suggest(zz, 5)
    expect(page.locator("#whatif-accept")).to_be_hidden()
    zz.open_tab("import")
    expect(page.locator("#dock")).to_contain_text("需要编辑权限")
    # a crafted request to accept proposals is refused by the server and changes nothing
    before = Workspace(settings.workspace_path).proposal_entries()
    answer = page.evaluate(
        """async () => {
            const output = "..data-version.data@x...proposals.data@x..."
                + "status-filter.value@x...whatif-status.children@x..";
            const body = {output: output,
                outputs: [], inputs: [{id: "whatif-accept", property: "n_clicks", value: 1}],
                changedPropIds: ["whatif-accept.n_clicks"], state: []};
            const r = await fetch('/_dash-update-component', {method: 'POST',
                headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
            return r.status;
        }"""
    )
    assert answer == 403
    assert len(Workspace(settings.workspace_path).proposal_entries()) == len(before)
    screenshot(page, "roles_visitor", full_page=False)
    # the refused request is the only error the page saw
    assert [e for e in errors if "403" not in e] == []


def test_a_viewer_is_named_and_cannot_accept(new_page: tuple[Page, list[str]], roles_app: tuple[str, Settings]) -> None:
    page, _ = new_page
    base, _settings = roles_app
    zz = sign_in(page, base, "zhao.viewer")
    expect(page.locator("#account")).to_contain_text("zhao.viewer（只读）")
    expect(page.locator("#account").get_by_role("link", name="退出")).to_be_visible()
    suggest(zz, 3)
    expect(page.locator("#whatif-accept")).to_be_hidden()
    # export stays open to viewers
    zz.open_tab("export")
    with page.expect_download() as info:
        page.click("#export-csv")
    assert info.value.suggested_filename.endswith(".csv")


def test_an_editor_accepts_proposals_that_everyone_then_sees_and_an_admin_reverts_it(
    browser: Browser, new_page: tuple[Page, list[str]], roles_app: tuple[str, Settings]
) -> None:
    page, _ = new_page
    base, settings = roles_app
    zz = sign_in(page, base, "wang.editor")
    expect(page.locator("#account")).to_contain_text("wang.editor（编辑）")
    planned = "?st=planned,in_service"
    zz.open(planned)
    sites_before = int(zz.card("card-sites"))
    suggest(zz, 7)
    page.click("#whatif-accept")
    expect(page.locator("#whatif-status")).to_contain_text("已将 7 个拟建站点采纳为规划站点")
    expect(page.locator("#map path.zz-proposed")).to_have_count(0)
    expect(page.locator("#card-sites")).to_have_attribute("data-value", str(sites_before + 7))
    batch = page.locator("#whatif-batches tr[data-batch]")
    expect(batch).to_have_count(1)
    expect(batch).to_contain_text("wang.editor")
    # the workspace holds them with who did it, and the log says so
    entries = Workspace(settings.workspace_path).proposal_entries()
    assert list(entries["who"]) == ["wang.editor"]
    assert list(entries["rows"]) == [7]

    # a colleague (a visitor in another browser) sees them, without reloading by hand
    other = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        visitor = ZzPage(other.new_page(), base).open(planned)
        expect(visitor.page.locator("#card-sites")).to_have_attribute("data-value", str(sites_before + 7))

        # an admin reverts the acceptance from the history; the visitor's page follows by itself
        admin_page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        admin = sign_in(admin_page, base, "chen.admin")
        admin.open_tab("import")
        row = admin_page.locator("#history tr[data-action='accept_proposals']")
        expect(row).to_contain_text("wang.editor")
        admin_page.once("dialog", lambda d: d.accept())
        row.get_by_role("button", name="撤销").click()
        expect(admin_page.locator("#history-status")).to_contain_text("已撤销")
        expect(admin_page.locator("#history tr[data-action='revert']")).to_contain_text("chen.admin")
        visitor.page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
        expect(visitor.page.locator("#card-sites")).to_have_attribute("data-value", str(sites_before))
        screenshot(admin_page, "roles_admin_history", full_page=False)
        admin_page.context.close()
    finally:
        other.close()
    log = Workspace(settings.workspace_path).log()
    assert list(log["action"])[-2:] == ["accept_proposals", "revert"]
    assert json.dumps(list(log["who"])[-2:]) == json.dumps(["wang.editor", "chen.admin"])


def test_an_editor_cannot_revert(new_page: tuple[Page, list[str]], roles_app: tuple[str, Settings]) -> None:
    page, _ = new_page
    base, _settings = roles_app
    zz = sign_in(page, base, "wang.editor")
    zz.open_tab("import")
    expect(page.locator("#history")).not_to_be_empty()
    expect(page.locator("#history button", has_text="撤销")).to_have_count(0)
