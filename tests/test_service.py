"""The app as a service: trusted hosts and origins, security headers, sign-in, roles on the server."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import flask
import itsdangerous.timed
import pytest
from app import ids
from app.auth import PROTECTED_OUTPUTS, callback_role, current_user, needs, require_role
from app.security import content_security_policy, host_allowed, is_loopback, setup_security, split_host
from argon2 import PasswordHasher

from snapshot_util import components
from zzgeo import accounts
from zzgeo.accounts import PermissionDeniedError, UserStore
from zzgeo.errors import ZzgeoError
from zzgeo.settings import Settings

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with test-sized parameters (the shipped ones take ~0.2 s and 64 MiB per hash)."""
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One app for the module: a temporary workspace and accounts database; trusted hosts set."""
    from app import create_app

    folder = tmp_path_factory.mktemp("service")
    settings = Settings(
        workspace_path=folder / "workspace.gpkg",
        trusted_hosts=("maps.example.gov.cn", ".city.example"),
        bind="0.0.0.0:8050",
    )
    return create_app(settings)


@pytest.fixture
def auth(service: Any) -> Iterator[Any]:
    """The app's auth state; settings changed by a test are put back, accounts emptied."""
    state = service.server.extensions["zzgeo_auth"]
    before = state.settings
    yield state
    state.settings = before
    for user in state.store.users():
        state.store.remove(user.name)


@pytest.fixture
def client(service: Any) -> Any:
    return service.server.test_client()


def _accept_body(service: Any) -> dict[str, Any]:
    """What the browser POSTs when "Import the accepted rows" is clicked (no pending import)."""
    key = next(k for k in service.callback_map if f"{ids.DATA_VERSION}.data" in k and ids.IMPORT_ACCEPT in k)
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1].split("@")[0]}
        for part in key.strip(".").split("...")
    ]
    return {
        "output": key,
        "outputs": outputs,
        "inputs": [{"id": ids.IMPORT_ACCEPT, "property": "n_clicks", "value": 1}],
        "state": [
            {"id": ids.IMPORT_TOKEN, "property": "data", "value": "no-such-token"},
            {"id": ids.IMPORT_MODE, "property": "value", "value": "replace"},
            {"id": ids.STATE, "property": "data", "value": {"lang": "en"}},
            {"id": ids.IMPORT_USER, "property": "data", "value": None},
        ],
        "changedPropIds": [f"{ids.IMPORT_ACCEPT}.n_clicks"],
    }


def _sign_in(client: Any, name: str, password: str = PASSWORD, lang: str = "en", next_url: str = "/") -> Any:
    form = client.get(f"/login?lang={lang}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    data = {"csrf_token": token[1], "name": name, "password": password, "lang": lang, "next": next_url}
    return client.post("/login", data=data)


# ---------------------------------------------------------------------------------------------
# hosts, origins, headers


def test_host_names_and_loopback() -> None:
    assert split_host("[::1]:8050") == ("::1", "8050")
    assert split_host("Maps.Example.gov.cn") == ("maps.example.gov.cn", "")
    assert split_host("127.0.0.1:80") == ("127.0.0.1", "80")
    assert [is_loopback(a) for a in ("127.0.0.1:8050", "localhost", "[::1]:80", "::1", "127.0.0.2")] == [True] * 5
    assert [is_loopback(a) for a in ("0.0.0.0:8050", "10.0.0.5", "maps.example", "unix:/run/z.sock", None)] == [
        False
    ] * 5
    trusted = ("maps.example.gov.cn", ".city.example")
    assert host_allowed("localhost:8050", ())
    assert host_allowed("[::1]:8050", ())
    assert host_allowed("MAPS.example.gov.cn", trusted)
    assert host_allowed("a.city.example:443", trusted)
    assert host_allowed("city.example", trusted)
    assert not host_allowed("attacker.example", trusted)
    assert not host_allowed("evilcity.example", trusted)
    assert not host_allowed("maps.example.gov.cn.attacker.example", trusted)


def test_requests_for_other_hosts_get_400(client: Any, caplog: pytest.LogCaptureFixture) -> None:
    for host in ("attacker.example", "attacker.example:8050", "127.0.0.1.nip.example"):
        response = client.get("/", headers={"Host": host})
        assert response.status_code == 400, host
        assert "ZZGEO_TRUSTED_HOSTS" in response.get_data(as_text=True)
    assert "refused a request for host 'attacker.example'" in caplog.text
    for host in ("localhost", "127.0.0.1:8050", "[::1]:8050", "maps.example.gov.cn", "gis.city.example"):
        assert client.get("/auth/me", headers={"Host": host}).status_code == 200, host


def test_changes_from_other_sites_get_403(service: Any, client: Any, auth: Any) -> None:
    body = _accept_body(service)
    rebinding = client.post(
        "/_dash-update-component",
        json=body,
        headers={"Host": "localhost:8050", "Origin": "http://attacker.example"},
    )
    assert rebinding.status_code == 403
    for headers in (
        {"Origin": "null"},
        {"Origin": "http://localhost:9999"},  # another port is another origin
        {"Origin": "https://localhost"},  # and another scheme
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ):
        response = client.post("/_dash-update-component", json=body, headers=headers)
        assert response.status_code == 403, headers
    auth.settings = dataclasses.replace(auth.settings, bind="127.0.0.1:8050")  # the local user may change data
    same = client.post(
        "/_dash-update-component",
        json=body,
        headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
    )
    assert same.status_code == 200  # Dash ran it: the token is unknown, so it says the report expired
    assert "expired" in same.get_data(as_text=True)


def test_security_headers_on_every_answer(service: Any, client: Any) -> None:
    renderer_hash = base64.b64encode(hashlib.sha256(service.renderer.encode()).digest()).decode()
    for path in ("/", "/_dash-layout", "/login", "/auth/me", "/zzgeo-data/5g_sites.json", "/no-such-page"):
        response = client.get(path)
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert f"'sha256-{renderer_hash}'" in csp, path
        assert "script-src 'self' 'sha256-" in csp
        assert "'unsafe-eval'" not in csp
        assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # plain HTTP
    assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_every_inline_script_of_the_page_is_allowed_by_its_hash(client: Any) -> None:
    page = re.sub(r"<!--.*?-->", "", client.get("/").get_data(as_text=True), flags=re.S)  # IE-only, never run
    csp = client.get("/").headers["Content-Security-Policy"]
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", page, flags=re.S)
    executable = [body for attrs, body in scripts if "application/json" not in attrs]
    assert executable  # Dash's renderer starts from an inline script
    for body in executable:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_session_cookie_is_httponly_lax_and_secure_over_tls(client: Any) -> None:
    plain = client.get("/login").headers.get_all("Set-Cookie")
    assert len(plain) == 1
    assert plain[0].startswith("zzgeo_session=")
    assert "HttpOnly" in plain[0]
    assert "SameSite=Lax" in plain[0]
    assert "Secure" not in plain[0]
    tls = client.get("/login", base_url="https://localhost").headers.get_all("Set-Cookie")
    assert "Secure" in tls[0]


def test_behind_a_proxy_the_forwarded_scheme_and_host_count() -> None:
    server = flask.Flask("proxy-test")
    server.route("/")(lambda: f"{flask.request.scheme} {flask.request.host} {flask.request.remote_addr}")
    setup_security(
        SimpleNamespace(server=server, csp_hashes=list), Settings(behind_proxy=1, trusted_hosts=("maps.example",))
    )
    client = server.test_client()
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "maps.example", "X-Forwarded-For": "10.1.2.3"}
    response = client.get("/", headers=headers)
    assert response.get_data(as_text=True) == "https maps.example 10.1.2.3"
    assert response.headers["Strict-Transport-Security"]
    assert client.get("/", headers={**headers, "X-Forwarded-Host": "attacker.example"}).status_code == 400


def test_csp_lists_tile_servers_and_hashes() -> None:
    csp = content_security_policy(["'sha256-abc'"])
    assert "script-src 'self' 'sha256-abc'" in csp
    assert "https://tile.openstreetmap.org" in csp.split("img-src", 1)[1].split(";")[0]


# ---------------------------------------------------------------------------------------------
# sign-in


def test_sign_in_page_speaks_the_language_of_the_url(client: Any) -> None:
    zh = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in zh
    assert "登录漳州新型基础设施地图" in zh
    assert 'name="csrf_token"' in zh
    en = client.get("/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in en
    assert "Sign in to the Zhangzhou new-infrastructure map" in en
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def test_sign_in_without_the_csrf_token_is_refused(client: Any, auth: Any) -> None:
    auth.store.add("li", PASSWORD, "editor")
    client.get("/login")
    response = client.post("/login", data={"name": "li", "password": PASSWORD, "lang": "en"})
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)
    bad = client.post("/login", data={"name": "li", "password": PASSWORD, "csrf_token": "forged"})
    assert bad.status_code == 400
    assert client.get("/auth/me").get_json()["authenticated"] is False


def test_wrong_password_and_unknown_name_look_the_same(
    client: Any, auth: Any, caplog: pytest.LogCaptureFixture
) -> None:
    auth.store.add("li", PASSWORD, "editor")
    caplog.set_level(logging.INFO)
    wrong = _sign_in(client, "li", "not the password")
    unknown = _sign_in(client, "nobody", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong account name or password." in wrong.get_data(as_text=True)
    assert "Wrong account name or password." in unknown.get_data(as_text=True)
    assert "sign-in failed for 'li'" in caplog.text
    assert "not the password" not in caplog.text
    assert PASSWORD not in caplog.text
    zh = _sign_in(client, "li", "not the password", lang="zh")
    assert "账户名或密码错误。" in zh.get_data(as_text=True)


def test_sign_in_sign_out_and_the_current_user(client: Any, auth: Any) -> None:
    auth.store.add("li", PASSWORD, "editor")
    assert client.get("/auth/me").get_json() == {
        "name": None, "role": "viewer", "authenticated": False, "local": False,
        "can_viewer": True, "can_editor": False, "can_admin": False,
    }  # fmt: skip
    response = _sign_in(client, "li", next_url="/?year=2023")
    assert response.status_code == 302
    assert response.headers["Location"] == "/?year=2023&lang=en"
    me = client.get("/auth/me").get_json()
    assert (me["name"], me["role"], me["can_editor"], me["can_admin"]) == ("li", "editor", True, False)
    page = client.get("/logout?lang=en").get_data(as_text=True)
    assert "Signed in as li (editor)." in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    out = client.post("/logout", data={"csrf_token": token[1], "lang": "en"})
    assert "You are signed out." in out.get_data(as_text=True)
    assert client.get("/auth/me").get_json()["authenticated"] is False


def test_sign_in_never_redirects_to_another_site(client: Any, auth: Any) -> None:
    auth.store.add("li", PASSWORD, "editor")
    for target in ("https://attacker.example/", "//attacker.example", "/\\attacker.example"):
        response = _sign_in(client, "li", next_url=target)
        assert response.headers["Location"] == "/?lang=en", target


def test_sessions_expire_after_the_idle_hours(client: Any, auth: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    auth.store.add("li", PASSWORD, "editor")
    _sign_in(client, "li")
    assert client.get("/auth/me").get_json()["name"] == "li"
    real = itsdangerous.timed.TimestampSigner.get_timestamp
    hours = auth.settings.session_hours
    monkeypatch.setattr(
        itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: real(self) + int(hours * 3600) - 60
    )
    assert client.get("/auth/me").get_json()["name"] == "li"  # still within the hours: the cookie is renewed
    monkeypatch.setattr(
        itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: real(self) + int(2 * hours * 3600) + 60
    )
    assert client.get("/auth/me").get_json()["authenticated"] is False


def test_a_password_change_or_removal_ends_the_session(client: Any, auth: Any) -> None:
    auth.store.add("li", PASSWORD, "admin")
    _sign_in(client, "li")
    auth.store.set_role("li", "viewer")
    assert client.get("/auth/me").get_json()["role"] == "viewer"  # role changes apply at once
    auth.store.set_password("li", "a new password")
    assert client.get("/auth/me").get_json()["authenticated"] is False
    _sign_in(client, "li", "a new password")
    auth.store.remove("li")
    assert client.get("/auth/me").get_json()["authenticated"] is False


def test_viewing_can_require_an_account(client: Any, auth: Any) -> None:
    auth.settings = dataclasses.replace(auth.settings, anonymous_view=False)
    page = client.get("/?year=2023&lang=en")
    assert page.status_code == 302
    assert page.headers["Location"] == "/login?next=%2F%3Fyear%3D2023%26lang%3Den&lang=en"
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/zzgeo-data/5g_sites.json").status_code == 401
    assert client.get("/login").status_code == 200
    auth.store.add("wang", PASSWORD, "viewer")
    _sign_in(client, "wang")
    assert client.get("/").status_code == 200


# ---------------------------------------------------------------------------------------------
# roles on the server


def test_a_crafted_change_without_the_role_gets_403_and_is_logged(
    service: Any, client: Any, auth: Any, caplog: pytest.LogCaptureFixture
) -> None:
    body = _accept_body(service)
    anonymous = client.post("/_dash-update-component", json=body)
    assert anonymous.status_code == 403
    assert anonymous.get_json()["needed"] == "editor"
    assert anonymous.get_json()["error_zh"].startswith("请以编辑者身份登录")
    assert "refused callback" in caplog.text
    assert "anonymous (viewer)" in caplog.text
    auth.store.add("wang", PASSWORD, "viewer")
    auth.store.add("li", PASSWORD, "editor")
    _sign_in(client, "wang")
    viewer = client.post("/_dash-update-component", json=body)
    assert viewer.status_code == 403
    assert (
        viewer.get_json()["error"]
        == "wang is a viewer; to import, replace and remove data, accept and remove proposals needs the editor role"
    )
    _sign_in(client, "li")
    editor = client.post("/_dash-update-component", json=body)
    assert editor.status_code == 200


def test_the_page_of_a_signed_in_viewer_names_them_and_has_no_import_controls(client: Any, auth: Any) -> None:
    """The page as a signed-in viewer gets it over HTTP: who they are (the CSS shows the editors-only
    note by that role), no upload and none of the import job's stores; an editor's page has them."""
    auth.store.add("wang", PASSWORD, "viewer")
    auth.store.add("li", PASSWORD, "editor")

    def page_as(name: str) -> dict[str, dict[str, Any]]:
        assert _sign_in(client, name).status_code == 302
        answer = client.get("/_dash-layout", headers={"Referer": "http://localhost/?lang=en"})
        assert answer.status_code == 200
        return {str(c["props"]["id"]): c for c in components(answer.get_json()) if "id" in c["props"]}

    viewer = page_as("wang")
    account = viewer[ids.ACCOUNT]["props"]
    assert (account["data-name"], account["data-role"]) == ("wang", "viewer")
    assert ids.IMPORT_LIST in viewer
    assert not {ids.IMPORT_UPLOAD, ids.IMPORT_ACCEPT, ids.IMPORT_TOKEN} & set(viewer)
    editor = page_as("li")
    assert editor[ids.ACCOUNT]["props"]["data-role"] == "editor"
    assert {ids.IMPORT_UPLOAD, ids.IMPORT_ACCEPT, ids.IMPORT_TOKEN} <= set(editor)


def test_views_stay_open_to_viewers(service: Any, client: Any) -> None:
    key = next(k for k in service.callback_map if f"..{ids.VIEWS}.data.." in f"..{k}..")
    assert callback_role(key, service.callback_map[key]["callback"]) is None


def test_local_user_may_change_data_only_on_loopback_without_accounts(service: Any, client: Any, auth: Any) -> None:
    body = _accept_body(service)
    auth.settings = dataclasses.replace(auth.settings, bind="127.0.0.1:8050")
    me = client.get("/auth/me").get_json()
    assert (me["name"], me["role"], me["local"]) == ("local", "admin", True)
    assert client.post("/_dash-update-component", json=body).status_code == 200
    # a proxy in front: its clients are not this machine's user
    proxied = client.post("/_dash-update-component", json=body, headers={"X-Forwarded-For": "10.0.0.9"})
    assert proxied.status_code == 403
    assert client.get("/auth/me", environ_base={"REMOTE_ADDR": "10.0.0.9"}).get_json()["local"] is False
    auth.store.add("li", PASSWORD, "viewer")  # once an account exists, everyone signs in
    assert client.get("/auth/me").get_json()["local"] is False
    assert client.post("/_dash-update-component", json=body).status_code == 403


def test_callback_roles_from_outputs_and_declarations() -> None:
    assert callback_role(f"{ids.DATA_VERSION}.data") == "editor"
    assert callback_role(f"..{ids.STATE}.data...{ids.DATA_VERSION}.data@1a2b..") == "editor"
    assert callback_role(f"..{ids.STATE}.data...{ids.URL}.search..") is None
    pattern = '..{"index":["ALL"],"type":"import-remove"}.n_clicks...' + ids.IMPORT_STATUS + ".children.."
    assert callback_role(pattern, protected={"import-remove": "admin"}) == "admin"

    @needs("admin")
    def revert() -> str:
        return "done"

    assert callback_role(f"{ids.DATA_VERSION}.data", revert) == "admin"  # the stronger of the two
    assert callback_role(f"{ids.URL}.search", revert) == "admin"
    assert PROTECTED_OUTPUTS[ids.IMPORT_TOKEN] == "editor"
    with pytest.raises(ValueError, match="unknown role"):
        needs("owner")


def test_require_role_and_needs_in_a_request(service: Any, auth: Any) -> None:
    @needs("editor")
    def change() -> str:
        return "changed"

    with service.server.test_request_context("/", environ_base={"REMOTE_ADDR": "10.0.0.9"}):
        assert current_user().role == "viewer"
        assert require_role("viewer").name is None
        with pytest.raises(PermissionDeniedError) as exc:
            change()
        assert exc.value.needed == "editor"
        assert isinstance(exc.value, ZzgeoError)  # the callbacks' error banner shows it as it is
    auth.settings = dataclasses.replace(auth.settings, bind="127.0.0.1:8050")
    with service.server.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        assert change() == "changed"  # the local user
        assert current_user().label == "local"


def test_debug_is_refused_on_other_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    from app import main

    monkeypatch.setattr("app.create_app", lambda *a, **k: pytest.fail("the app must not be built"))
    with pytest.raises(ZzgeoError, match="Werkzeug debugger"):
        main.run(host="0.0.0.0", debug=True)


def test_gunicorn_options_follow_the_settings(fresh_settings: pytest.MonkeyPatch) -> None:
    from app.main import gunicorn_options

    fresh_settings.setenv("ZZGEO_WORKERS", "3")
    fresh_settings.setenv("ZZGEO_THREADS", "6")
    options = gunicorn_options("::1", 9000)
    assert (options["bind"], options["workers"], options["threads"]) == ("[::1]:9000", 3, 6)
    assert options["worker_class"] == "gthread"
    assert gunicorn_options("127.0.0.1", 80, workers=1, threads=2)["workers"] == 1


def test_startup_says_who_may_change_data(tmp_path: Path) -> None:
    from app.auth import startup_warnings

    base = Settings(workspace_path=tmp_path / "ws.gpkg")
    local = startup_warnings(dataclasses.replace(base, bind="127.0.0.1:8050"))
    assert "the local user (this machine, loopback) may change data" in local[0]
    remote = startup_warnings(dataclasses.replace(base, bind="0.0.0.0:8050"))
    assert "no editor account: changes are refused (listening on 0.0.0.0:8050)" in remote[0]
    assert "拒绝一切更改" in remote[0]
    UserStore(base.accounts_path).add("li", PASSWORD, "editor")
    assert startup_warnings(dataclasses.replace(base, bind="0.0.0.0:8050")) == []


def _export_body(service: Any, button: str) -> dict[str, Any]:
    key = next(k for k in service.callback_map if f"..{ids.DOWNLOAD}.data" in f"..{k}" and ids.EXPORT_STATUS in k)
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1].split("@")[0]}
        for part in key.strip(".").split("...")
    ]
    spec = service.callback_map[key]
    values = {f"{button}.n_clicks": 1, f"{ids.EXPORT_LAYER}.value": "5g_sites", f"{ids.STATE}.data": {"lang": "en"}}
    return {
        "output": key,
        "outputs": outputs,
        "inputs": [{**d, "value": values.get(f"{d['id']}.{d['property']}")} for d in spec["inputs"]],
        "state": [{**d, "value": values.get(f"{d['id']}.{d['property']}")} for d in spec["state"]],
        "changedPropIds": [f"{button}.n_clicks"],
    }


def test_columns_an_editor_kept_are_exported_to_editors_only(service: Any, client: Any, auth: Any) -> None:
    from zzgeo.imports import import_file

    ctx = service.server.extensions["zzgeo"]
    folder = Path(ctx.data.settings.workspace_path).parent
    csv = folder / "with_phone.csv"
    csv.write_text(
        "site_id,operator,status,year_in_service,lon,lat,owner_phone\n"
        "P-1,China Mobile,in_service,2020,117.65,24.51,13800000000\n",
        encoding="utf-8",
    )
    entry = ctx.data.workspace.add(import_file(csv, "5g_sites", keep_columns=True), "add", who="li")
    ctx.live.reload()
    try:
        auth.store.add("wang", PASSWORD, "viewer")
        auth.store.add("li", PASSWORD, "editor")
        body = _export_body(service, ids.EXPORT_GEOJSON)
        for name, shown in (("wang", False), ("li", True)):
            _sign_in(client, name)
            answer = client.post("/_dash-update-component", json=body)
            assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
            content = answer.get_json()["response"][ids.DOWNLOAD]["data"]["content"]
            text = base64.b64decode(content).decode("utf-8")
            assert ("owner_phone" in text) is shown, name
            assert ("13800000000" in text) is shown, name
            assert "P-1" in text  # the row itself is exported to both
    finally:
        ctx.data.workspace.remove(entry, who="li")
        ctx.live.reload()
