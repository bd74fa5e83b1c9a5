"""The web server's defences: trusted hosts and origins, security headers, cookies, proxies.

:func:`setup_security` installs them on the Dash app's Flask server (``create_app`` calls it).

- **Hosts**: a request whose ``Host`` is not one of the loopback names (``localhost``,
  ``127.0.0.1``, ``[::1]``) or of ``ZZGEO_TRUSTED_HOSTS`` gets 400. This stops DNS
  rebinding: a page on ``attacker.example`` whose name the attacker points at 127.0.0.1
  reaches the server with ``Host: attacker.example``.
- **Origins**: a request that can change something (any method but GET/HEAD/OPTIONS) from
  a browser page of another origin gets 403: its ``Origin`` must be the server's own, and
  ``Sec-Fetch-Site`` (when sent) ``same-origin`` or ``none``. Requests without either header
  come from programs, not from a page a user visits (no cross-site request forgery is
  possible without a browser). Dash's callback POSTs carry JSON, which a cross-site form
  cannot send, and the session cookie is ``SameSite=Lax``: three defences, any one enough.
- **Headers** on every answer: a Content-Security-Policy for Dash (:func:`content_security_policy`),
  ``X-Content-Type-Options: nosniff``, ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``,
  ``Referrer-Policy: same-origin`` (the layout request's Referer carries the page's query,
  see :func:`app.server.referrer_query`; other sites get no referrer), ``Cross-Origin-Opener-Policy``,
  and ``Strict-Transport-Security`` on answers sent over TLS.
- **Cookies**: the session cookie is ``HttpOnly``, ``SameSite=Lax`` and ``Secure`` whenever
  the request came over TLS (directly, or through a proxy trusted by ``ZZGEO_BEHIND_PROXY``).
- **Proxies**: with ``ZZGEO_BEHIND_PROXY=N``, werkzeug's ``ProxyFix`` takes the client's
  address, scheme, host and port from the ``X-Forwarded-*`` headers of the N proxies in front.

Plain ``after_request``/``before_request`` hooks, not flask-talisman: talisman redirects
every request to HTTPS by default (wrong for a loopback server), and what zzgeo needs is a
dozen lines that the tests check header by header.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import flask
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from zzgeo.settings import Settings

__all__ = [
    "LOOPBACK_HOSTS",
    "TILE_SOURCES",
    "content_security_policy",
    "host_allowed",
    "is_loopback",
    "setup_security",
    "split_host",
]

logger = logging.getLogger(__name__)

#: host names that always reach only this machine (a rebinding page cannot send them)
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
#: where the map's base tiles come from (app.layout: OpenStreetMap, Tianditu)
TILE_SOURCES = ("https://tile.openstreetmap.org", "https://*.tianditu.gov.cn")
#: methods that never change anything (no origin check)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
#: name of the session cookie (Flask's default "session" says nothing about whose it is)
SESSION_COOKIE = "zzgeo_session"


def split_host(host: str) -> tuple[str, str]:
    """(lower-case host name, port or "") of a ``Host`` header: ``"[::1]:8050"`` -> ``("::1", "8050")``."""
    host = host.strip().lower()
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        return name, rest[1:] if rest.startswith(":") else ""
    name, sep, port = host.rpartition(":")
    if sep and port.isdigit() and ":" not in name:
        return name, port
    return host, ""


def is_loopback(address: str | None) -> bool:
    """Whether ``address`` (a host, ``host:port`` or ``[v6]:port``) only reaches this machine."""
    if not address:
        return False
    if address.startswith("unix:"):
        return False  # a socket file: whatever proxies to it decides who reaches the app
    name = split_host(address)[0] if address.count(":") <= 1 or address.startswith("[") else address.lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_allowed(host: str, trusted: Iterable[str]) -> bool:
    """Whether the ``Host`` header ``host`` names this server (loopback, or one of ``trusted``).

    An entry of ``trusted`` that starts with a dot (``.example.gov.cn``) accepts every
    subdomain of it; the port is not compared.
    """
    name = split_host(host)[0]
    if not name:
        return False
    for ref in (*LOOPBACK_HOSTS, *trusted):
        ref = ref.strip().lower()
        ref_name = split_host(ref)[0] if not ref.startswith(".") else ref
        if ref_name.startswith("."):
            if name.endswith(ref_name) or name == ref_name[1:]:
                return True
        elif name == ref_name:
            return True
    return False


def content_security_policy(script_hashes: Sequence[str] = ()) -> str:
    """The Content-Security-Policy header for Dash pages.

    Scripts only from this server, plus Dash's inline renderer script by its hash
    (``dash.Dash.csp_hashes``); no ``eval``. Styles may be inline (Dash components, Leaflet
    and Plotly set style attributes and ``<style>`` elements). Images from this server,
    ``data:``/``blob:`` URLs and the tile servers; no plugins; no framing by any page;
    forms only back to this server.
    """
    scripts = " ".join(["'self'", *script_hashes])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {' '.join(TILE_SOURCES)}",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions whose cookie is ``Secure`` whenever the request came over TLS."""

    def get_cookie_secure(self, app: flask.Flask) -> bool:
        try:
            return bool(app.config["SESSION_COOKIE_SECURE"] or flask.request.is_secure)
        except RuntimeError:  # outside a request
            return bool(app.config["SESSION_COOKIE_SECURE"])


def _refuse(status: int, en: str, zh: str) -> flask.Response:
    body = f"{status} {en}\n{zh}\n"
    response = flask.Response(body, status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


def _origin_allowed(request: flask.Request) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    if origin == "null":
        return False
    parts = urlsplit(origin)
    own = split_host(request.host)
    theirs = split_host(parts.netloc)
    default = {"http": "80", "https": "443"}
    return (
        parts.scheme in ("http", "https")
        and theirs[0] == own[0]
        and (theirs[1] or default[parts.scheme]) == (own[1] or default.get(request.scheme, ""))
    )


def setup_security(app: Any, settings: Settings) -> None:
    """Install the defences of this module on the Dash app ``app`` (see the module docstring)."""
    server: flask.Flask = app.server
    if settings.behind_proxy:
        n = settings.behind_proxy
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)  # type: ignore[method-assign]
    server.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    server.session_interface = _SessionInterface()
    trusted = tuple(settings.trusted_hosts)
    policy: dict[str, str] = {}

    def csp() -> str:
        # Dash's inline scripts are known once every callback is registered: at the first answer
        if "value" not in policy:
            policy["value"] = content_security_policy(app.csp_hashes())
        return policy["value"]

    @server.before_request
    def check_host_and_origin() -> flask.Response | None:
        request = flask.request
        if not host_allowed(request.host, trusted):
            logger.warning(
                "refused a request for host %r from %s (not in ZZGEO_TRUSTED_HOSTS)", request.host, request.remote_addr
            )
            return _refuse(
                400,
                "This server does not answer to that host name (ZZGEO_TRUSTED_HOSTS).",
                "本服务器不响应该主机名（ZZGEO_TRUSTED_HOSTS）。",
            )
        if request.method not in SAFE_METHODS and not _origin_allowed(request):
            logger.warning(
                "refused a cross-site %s %s from %s (Origin %r, Sec-Fetch-Site %r)",
                request.method,
                request.path,
                request.remote_addr,
                request.headers.get("Origin"),
                request.headers.get("Sec-Fetch-Site"),
            )
            return _refuse(403, "Requests from other sites are refused.", "拒绝来自其他网站的请求。")
        return None

    @server.after_request
    def security_headers(response: flask.Response) -> flask.Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", csp())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if flask.request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
