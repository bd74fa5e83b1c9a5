"""Sign-in and roles on the server: Flask-Login sessions over :mod:`zzgeo.accounts`.

:func:`setup_auth` (called by ``create_app``) adds the following (the sign-in pages are
:mod:`app.signin`'s, registered beside it):

- ``GET/POST /login`` (a plain zh/en form, language from ``?lang=``, CSRF token from
  Flask-WTF), ``GET/POST /logout`` (POST signs out; GET shows a one-button form), and
  ``GET /auth/me`` (JSON: name, role, what the visitor may do);
- sessions in Flask's signed cookie (the key from ``ZZGEO_SECRET_KEY`` or the ``secret_key``
  file beside the accounts database, so every worker and every restart accepts it), which
  end after ``ZZGEO_SESSION_HOURS`` without a request; a password change or removal of the
  account ends its sessions at their next request;
- a check of every Dash callback request (``POST /_dash-update-component``): a callback that
  needs a role (:data:`PROTECTED_OUTPUTS`, or :func:`needs` on its function) answers 403 to
  anyone without it, and the refusal is logged.

Who may do what (:func:`current_user`):

- a signed-in account: its role;
- nobody signed in, no account exists at all, the server listens on a loopback address only
  (``ZZGEO_BIND``, set by ``zzgeo serve``; :mod:`app.wsgi` treats an unset one as "any
  address"; an in-process server, as in the tests, decides per request), no proxy in front
  (``ZZGEO_BEHIND_PROXY`` unset, no ``X-Forwarded-*`` header), and the request comes from
  this machine: the local user, ``admin`` (``make run`` needs no set-up);
- anyone else: ``viewer`` when ``ZZGEO_ANONYMOUS_VIEW`` is on (the default), else nothing
  (every page asks to sign in).

In a callback, call :func:`require_role` before changing anything; it raises
:class:`zzgeo.accounts.PermissionDeniedError` (a ``ZzgeoError`` with English and Chinese text).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import ipaddress
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

import flask
import flask_login

from app import ids
from app.security import is_loopback
from zzgeo.accounts import (
    ROLES,
    Authenticator,
    LocalAuthenticator,
    PermissionDeniedError,
    User,
    UserStore,
    has_role,
    load_or_create_secret,
)
from zzgeo.settings import Settings

__all__ = [
    "PROTECTED_OUTPUTS",
    "CurrentUser",
    "callback_role",
    "current_user",
    "needs",
    "require_role",
    "setup_auth",
    "who",
]

logger = logging.getLogger(__name__)

#: the role a Dash callback needs when one of its outputs is this id (pattern ids: their "type").
#: Data changes: imports and proposals accepted and removed (DATA_VERSION), uploads waiting on
#: the server (IMPORT_TOKEN). A callback may also declare its role with :func:`needs`; the
#: stronger of the two applies.
PROTECTED_OUTPUTS: dict[str, str] = {
    ids.DATA_VERSION: "editor",
    ids.IMPORT_TOKEN: "editor",
}
#: the name of the zero-set-up local user (loopback, no accounts) in the audit log
LOCAL_USER = "local"
DASH_UPDATE = "/_dash-update-component"
#: paths anyone may reach even when viewing needs an account (the sign-in page itself)
PUBLIC_PATHS = ("/login", "/logout", "/auth/me", "/_favicon.ico")
#: code and style (the same for everyone, no data): no session work for them
STATIC_PATHS = ("/_dash-component-suites/", "/assets/")

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class CurrentUser:
    """Who is asking: ``name`` (None: nobody signed in), ``role`` (None: may not even view)."""

    name: str | None
    role: str | None
    authenticated: bool = False
    local: bool = False  # the zero-set-up local user (loopback, no accounts)

    def can(self, needed: str) -> bool:
        """Whether this visitor has the role ``needed`` (or a stronger one)."""
        return has_role(self.role, needed)

    @property
    def label(self) -> str:
        """The name the audit log records (``local``, an account, or ``anonymous``)."""
        return self.name or "anonymous"

    def to_dict(self) -> dict[str, Any]:
        """JSON of ``/auth/me``."""
        return {
            "name": self.name,
            "role": self.role,
            "authenticated": self.authenticated,
            "local": self.local,
            **{f"can_{role}": self.can(role) for role in ROLES},
        }


class SessionUser(flask_login.UserMixin):
    """Flask-Login's view of an account; its id changes with the account's session key."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return f"{self.user.name}|{self.user.session_key}"


@dataclass
class _Auth:
    settings: Settings
    authenticator: Authenticator
    store: UserStore


def _auth() -> _Auth:
    auth: _Auth = flask.current_app.extensions["zzgeo_auth"]
    return auth


#: headers a reverse proxy adds: a request that has one did not come from a browser on this machine
FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP")


def _local_allowed(auth: _Auth, request: flask.Request) -> bool:
    settings = auth.settings
    if settings.behind_proxy or (settings.bind is not None and not is_loopback(settings.bind)):
        return False
    try:
        if not ipaddress.ip_address(request.remote_addr or "").is_loopback:
            return False
    except ValueError:
        return False
    if any(name in request.headers for name in FORWARDING_HEADERS):
        return False
    return auth.store.count() == 0


def current_user() -> CurrentUser:
    """Who is asking, in this request (see the module docstring); cached for the request."""
    cached = flask.g.get("zz_user")
    if cached is not None:
        return cached
    auth = _auth()
    signed_in = flask_login.current_user
    if getattr(signed_in, "is_authenticated", False):
        user: User = signed_in.user
        out = CurrentUser(user.name, user.role, authenticated=True)
    elif _local_allowed(auth, flask.request):
        out = CurrentUser(LOCAL_USER, "admin", local=True)
    else:
        out = CurrentUser(None, "viewer" if auth.settings.anonymous_view else None)
    flask.g.zz_user = out
    return out


def who() -> str:
    """The name to record in the audit log for this request's changes."""
    return current_user().label


def require_role(needed: str) -> CurrentUser:
    """The current user, when they have the role ``needed``; else raise :class:`PermissionDeniedError`.

    Call it at the top of every callback that changes data. The refusal is logged.
    """
    user = current_user()
    if not user.can(needed):
        logger.warning(
            "refused: %s (%s) from %s needs %s",
            user.label,
            user.role or "no role",
            flask.request.remote_addr,
            needed,
        )
        raise PermissionDeniedError(needed, None if not user.authenticated else user.role, user.name)
    return user


def needs(role: str) -> Callable[[F], F]:
    """Declare that a callback needs ``role``: checked in the callback and before Dash runs it.

    Put it right above the function (below ``@app.callback`` and any other decorator that
    keeps ``functools.wraps``)::

        @app.callback(Output(ids.DATA_VERSION, "data"), Input(ids.IMPORT_ACCEPT, "n_clicks"))
        @needs("editor")
        def accept_import(n_clicks): ...
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; valid: {', '.join(ROLES)}")

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            require_role(role)
            return func(*args, **kwargs)

        wrapper.zz_role = role  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def _output_ids(key: str) -> list[str]:
    """The ids (pattern ids: their type) of the outputs of a Dash callback key."""
    parts = key[2:-2].split("...") if key.startswith("..") and key.endswith("..") else [key]
    out = []
    for part in parts:
        ident = part.rsplit(".", 1)[0]
        if ident.startswith("{"):
            with contextlib.suppress(ValueError, AttributeError):
                ident = str(json.loads(ident).get("type", ident))
        out.append(ident)
    return out


def callback_role(key: str, callback: Any = None, protected: Mapping[str, str] | None = None) -> str | None:
    """The role a Dash callback (by its key in ``app.callback_map``) needs, or None."""
    protected = PROTECTED_OUTPUTS if protected is None else protected
    roles = [protected[i] for i in _output_ids(key) if i in protected]
    declared = getattr(callback, "zz_role", None)
    if declared:
        roles.append(declared)
    return max(roles, key=ROLES.index) if roles else None


def setup_auth(
    app: Any,
    settings: Settings,
    *,
    authenticator: Authenticator | None = None,
    protected: Mapping[str, str] | None = None,
) -> None:
    """Add sign-in, sessions and the callback role check to the Dash app ``app``.

    Parameters
    ----------
    app : dash.Dash
        The app (its Flask server gets the routes and hooks).
    settings : zzgeo.settings.Settings
        Accounts database, secret key, session length, anonymous viewing, bind address.
    authenticator : zzgeo.accounts.Authenticator, optional
        Default: :class:`zzgeo.accounts.LocalAuthenticator` on the accounts database.
    protected : mapping, optional
        Output id -> role; default :data:`PROTECTED_OUTPUTS`.
    """
    server: flask.Flask = app.server
    store = UserStore(settings.accounts_path)
    authenticator = authenticator or LocalAuthenticator(store)
    server.extensions["zzgeo_auth"] = _Auth(settings, authenticator, store)
    _configure_sessions(server, settings)
    _add_login_manager(server, authenticator)
    _add_access_check(app, dict(PROTECTED_OUTPUTS if protected is None else protected))

    @server.route("/auth/me")
    def me() -> flask.Response:
        response = flask.jsonify(current_user().to_dict())
        response.headers["Cache-Control"] = "no-store"
        return response


def _configure_sessions(server: flask.Flask, settings: Settings) -> None:
    """The secret key, the session's length and the CSRF token's."""
    server.config["SECRET_KEY"] = settings.secret_key or load_or_create_secret(
        settings.accounts_path.with_name("secret_key")
    )
    server.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(hours=settings.session_hours)
    server.config["SESSION_REFRESH_EACH_REQUEST"] = True  # the hours count from the last request
    server.config["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the session


def _add_login_manager(server: flask.Flask, authenticator: Authenticator) -> None:
    """Flask-Login on ``server``: a session's user is looked up on each request (gone: signed out)."""
    manager = flask_login.LoginManager()
    manager.init_app(server)
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(user_id: str) -> SessionUser | None:
        name, _, key = user_id.partition("|")
        try:
            user = authenticator.lookup(name)
        except Exception:  # the accounts database cannot be read: nobody is signed in
            logger.exception("account lookup failed")
            return None
        if user is None or (key and user.session_key and key != user.session_key):
            return None  # removed, or the password changed since this session began
        return SessionUser(user)


def _add_access_check(app: Any, protected_outputs: Mapping[str, str]) -> None:
    """Before each request: nobody signed in goes to the sign-in page (or gets a 401); a
    callback needing a role the user lacks is refused (403) before Dash runs it."""
    roles: dict[str, str | None] = {}  # callback key -> the role it needs (looked up once)

    def callback_needs(key: str) -> str | None:
        if key not in roles:
            entry = app.callback_map.get(key)
            roles[key] = callback_role(key, entry and entry.get("callback"), protected_outputs)
        return roles[key]

    @app.server.before_request
    def check_access() -> Any:
        request = flask.request
        path = request.path
        if path.startswith(STATIC_PATHS):
            return None
        user = current_user()
        if user.role is None and not path.startswith(PUBLIC_PATHS):
            if request.method == "GET" and not path.startswith(("/_dash", "/zzgeo-data", "/assets")):
                query = urlencode({"next": request.full_path.rstrip("?"), "lang": request.args.get("lang", "zh")})
                return flask.redirect(f"/login?{query}")
            return _json_refusal(401, PermissionDeniedError("viewer", None))
        if request.method == "POST" and path.endswith(DASH_UPDATE):
            body = request.get_json(silent=True)
            key = body.get("output") if isinstance(body, dict) else None
            needed = callback_needs(key) if isinstance(key, str) else None
            if needed and not user.can(needed):
                logger.warning(
                    "refused callback %s: %s (%s) from %s needs %s",
                    key,
                    user.label,
                    user.role or "no role",
                    request.remote_addr,
                    needed,
                )
                return _json_refusal(
                    403, PermissionDeniedError(needed, user.role if user.authenticated else None, user.name)
                )
        return None


def _json_refusal(status: int, error: PermissionDeniedError) -> flask.Response:
    response = flask.jsonify({**error.message.fields("error"), "needed": error.needed})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def startup_warnings(settings: Settings) -> list[str]:
    """What start-up should say about who may change data (zh/en lines; empty when all is clear)."""
    store = UserStore(settings.accounts_path)
    try:
        editors = store.count("editor")
        accounts = store.count()
    except Exception as exc:  # an unreadable database: say so, refuse changes
        return [
            f"accounts database {store.path} cannot be read ({exc}): changes are refused / 无法读取账户数据库：拒绝更改"
        ]
    lines = []
    local = is_loopback(settings.bind) and not settings.behind_proxy
    if accounts == 0 and local:
        lines.append(
            "no accounts: the local user (this machine, loopback) may change data; "
            "add accounts with `zzgeo users add NAME --role editor` / "
            "尚无账户：本机用户可以更改数据；用 `zzgeo users add 名称 --role editor` 添加账户"
        )
    elif editors == 0:
        where = settings.bind if settings.bind and settings.bind != "unknown" else "an address other machines may reach"
        lines.append(
            f"no editor account: changes are refused (listening on {where}); "
            "add one with `zzgeo users add NAME --role editor` / "
            "尚无编辑者账户：拒绝一切更改；请用 `zzgeo users add 名称 --role editor` 添加"
        )
    if not settings.anonymous_view:
        lines.append("viewing needs an account (ZZGEO_ANONYMOUS_VIEW=0) / 查看需要登录")
    return lines
