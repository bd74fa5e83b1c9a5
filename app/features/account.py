"""Who is using the app, in the header: the local user, an account with its role, or a visitor.

A visitor (viewing without an account) gets a link to sign in; an account, a link to sign out
(``/login`` and ``/logout`` are served by :mod:`app.auth`). The page shows what the role may
do (editing controls are marked ``zz-editor-only`` and hidden for viewers); the server checks
every change anyway.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dash import html

from app import ids
from app.auth import CurrentUser
from app.i18n import t


def role_name(role: str | None, lang: str) -> str:
    """A role in words (viewer, editor, admin)."""
    return t(f"role_{role}", lang) if role in ("viewer", "editor", "admin") else t("role_none", lang)


def make_account(user: CurrentUser, lang: str, query: str = "") -> html.Div:
    """The header's account line: who, their role, and a link to sign in or out."""
    if user.local:
        text, link = t("account_local", lang), None
    elif user.authenticated:
        text = t("account_named", lang, name=user.name or "", role=role_name(user.role, lang))
        link = html.A(t("account_sign_out", lang), href=f"/logout?{urlencode({'lang': lang})}", className="zz-link")
    else:
        text = t("account_visitor", lang, role=role_name(user.role, lang))
        target = "/" + (query if query.startswith("?") else "")
        link = html.A(
            t("account_sign_in", lang),
            href=f"/login?{urlencode({'lang': lang, 'next': target})}",
            className="zz-link",
        )
    return html.Div(
        [html.Span(text, className="zz-account-who"), *([" · ", link] if link is not None else [])],
        id=ids.ACCOUNT,
        className="zz-account",
        **{"data-role": user.role or "", "data-name": user.name or ""},
    )
