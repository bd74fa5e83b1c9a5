"""The sign-in and sign-out pages: plain zh/en forms (language from ``?lang=``), CSRF-checked.

``GET/POST /login`` signs in with an account of :mod:`zzgeo.accounts` (through the app's
:class:`~zzgeo.accounts.Authenticator`); ``GET/POST /logout`` (POST signs out; GET shows a
one-button form). Sessions, roles and the callback check are :mod:`app.auth`'s.
"""

from __future__ import annotations

import html
import logging
from typing import Any
from urllib.parse import urlencode

import flask
import flask_login
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from wtforms.validators import ValidationError as CSRFValidationError

from app.auth import SessionUser, current_user
from zzgeo.accounts import MAX_PASSWORD, Authenticator, TooManyAttemptsError
from zzgeo.messages import Text

logger = logging.getLogger(__name__)


_TEXTS: dict[str, Text] = {
    "title": Text(en="Sign in · zzgeo", zh="登录 · zzgeo"),
    "heading": Text(en="Sign in to the Zhangzhou new-infrastructure map", zh="登录漳州新型基础设施地图"),
    "name": Text(en="Account", zh="账户"),
    "password": Text(en="Password", zh="密码"),
    "submit": Text(en="Sign in", zh="登录"),
    "wrong": Text(en="Wrong account name or password.", zh="账户名或密码错误。"),
    "csrf": Text(en="The form expired: please sign in again.", zh="表单已过期：请重新登录。"),
    "other_lang": Text(en="中文", zh="English"),
    "signed_out": Text(en="You are signed out.", zh="您已退出登录。"),
    "sign_out": Text(en="Sign out", zh="退出登录"),
    "sign_out_q": Text(en="Sign out of the map?", zh="退出地图登录？"),
    "back": Text(en="Back to the map", zh="返回地图"),
    "as": Text(en="Signed in as {name} ({role}).", zh="已登录：{name}（{role}）。"),
    "needed": Text(en="Sign in to view the map.", zh="请登录后查看地图。"),
}
_ROLE_ZH = {"viewer": "查看者", "editor": "编辑者", "admin": "管理员"}


def _t(key: str, lang: str, **values: str) -> str:
    return html.escape(_TEXTS[key].get(lang).format(**values))


def _lang() -> str:
    lang = flask.request.values.get("lang", "zh")
    return "en" if lang == "en" else "zh"


def _safe_next(target: str | None) -> str:
    """A path on this server to go to after signing in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


_PAGE = """<!DOCTYPE html>
<html lang="{html_lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>{title}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; background: #f4f6f8;
  margin: 0; display: flex; min-height: 100vh; align-items: center; justify-content: center; color: #1f2933; }}
main {{ background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15);
  width: min(22rem, 90vw); }}
h1 {{ font-size: 1.2rem; margin: 0 0 1.2rem; }}
label {{ display: block; margin: .8rem 0 .3rem; font-weight: 600; }}
input[type=text], input[type=password] {{ width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem;
  border: 1px solid #9aa5b1; border-radius: 4px; }}
button {{ margin-top: 1.2rem; width: 100%; padding: .6rem; font-size: 1rem; background: #1f5fa8; color: #fff;
  border: 0; border-radius: 4px; cursor: pointer; }}
.error {{ color: #a61b1b; background: #fdecec; padding: .5rem; border-radius: 4px; }}
.note {{ color: #3e4c59; }}
nav {{ margin-top: 1rem; display: flex; justify-content: space-between; font-size: .9rem; }}
</style></head>
<body><main>{body}</main></body></html>
"""


def _page(lang: str, title: str, body: str, status: int = 200) -> flask.Response:
    text = _PAGE.format(html_lang="en" if lang == "en" else "zh-CN", title=title, body=body)
    response = flask.Response(text, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _login_form(lang: str, next_url: str, message: str = "", name: str = "", status: int = 200) -> flask.Response:
    other = "zh" if lang == "en" else "en"
    query = urlencode({"lang": other, "next": next_url})
    error = f'<p class="error" role="alert">{message}</p>' if message else ""
    body = f"""<h1>{_t("heading", lang)}</h1>{error}
<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="{html.escape(generate_csrf())}">
<input type="hidden" name="lang" value="{lang}">
<input type="hidden" name="next" value="{html.escape(next_url)}">
<label for="zz-name">{_t("name", lang)}</label>
<input type="text" id="zz-name" name="name" autocomplete="username" required autofocus value="{html.escape(name)}">
<label for="zz-password">{_t("password", lang)}</label>
<input type="password" id="zz-password" name="password" autocomplete="current-password" required
 maxlength="{MAX_PASSWORD}">
<button type="submit" id="zz-sign-in">{_t("submit", lang)}</button>
</form>
<nav><a href="/login?{html.escape(query)}" hreflang="{other}" id="zz-other-lang">{_t("other_lang", lang)}</a></nav>"""
    return _page(lang, _t("title", lang), body, status)


def _logout_form(lang: str, message: str = "") -> flask.Response:
    user = current_user()
    note = f'<p class="note">{message}</p>' if message else ""
    if user.authenticated:
        role = (_ROLE_ZH.get(user.role or "", user.role or "") if lang == "zh" else user.role) or ""
        who_text = f'<p class="note">{_t("as", lang, name=user.name or "", role=role)}</p>'
        body = f"""<h1>{_t("sign_out_q", lang)}</h1>{note}{who_text}
<form method="post" action="/logout">
<input type="hidden" name="csrf_token" value="{html.escape(generate_csrf())}">
<input type="hidden" name="lang" value="{lang}">
<button type="submit" id="zz-sign-out">{_t("sign_out", lang)}</button>
</form>"""
    else:
        body = f"<h1>{_t('signed_out', lang)}</h1>{note}"
    body += f'<nav><a href="/?lang={lang}" id="zz-back">{_t("back", lang)}</a></nav>'
    return _page(lang, _t("sign_out", lang), body)


def register_signin(server: flask.Flask) -> None:
    """Add ``/login`` and ``/logout`` to ``server`` (after :func:`app.auth.setup_auth`, whose
    authenticator they use)."""

    @server.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        request = flask.request
        lang = _lang()
        next_url = _safe_next(request.values.get("next"))
        if request.method == "GET":
            return _login_form(lang, next_url)
        try:
            validate_csrf(request.form.get("csrf_token"))
        except (CSRFError, CSRFValidationError):
            logger.warning("sign-in form without a valid CSRF token from %s", request.remote_addr)
            return _login_form(lang, next_url, _t("csrf", lang), status=400)
        name = request.form.get("name", "").strip()
        password = request.form.get("password", "")
        try:
            authenticator: Authenticator = server.extensions["zzgeo_auth"].authenticator
            user = authenticator.authenticate(name, password)
        except TooManyAttemptsError as exc:
            logger.warning("sign-in paused for %r from %s: too many wrong passwords", name, request.remote_addr)
            return _login_form(lang, next_url, html.escape(exc.text(lang)), name=name, status=429)
        if user is None:
            logger.warning("sign-in failed for %r from %s", name, request.remote_addr)
            return _login_form(lang, next_url, _t("wrong", lang), name=name, status=401)
        flask.session.clear()  # a fresh session (and CSRF token) for the signed-in user
        flask.session.permanent = True
        flask_login.login_user(SessionUser(user))
        flask.g.pop("zz_user", None)
        logger.info("%s (%s) signed in from %s", user.name, user.role, request.remote_addr)
        return flask.redirect(next_url if "lang=" in next_url else _with_lang(next_url, lang))

    @server.route("/logout", methods=["GET", "POST"])
    def logout() -> flask.Response:
        request = flask.request
        lang = _lang()
        if request.method == "GET":
            return _logout_form(lang)
        try:
            validate_csrf(request.form.get("csrf_token"))
        except (CSRFError, CSRFValidationError):
            return _logout_form(lang, _t("csrf", lang))
        name = current_user().name
        flask_login.logout_user()
        flask.session.clear()
        flask.g.pop("zz_user", None)
        logger.info("%s signed out", name)
        return _logout_form(lang)


def _with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"
