"""The zzgeo map app (Dash + dash-leaflet) on top of the :mod:`zzgeo` library.

``create_app()`` loads the data and returns the Dash app; nothing is loaded at import.
``app.main.run()`` serves it (``make run`` / ``zzgeo serve``).

The web server's settings (compression, the page's ``lang``) are in :mod:`app.server`;
its defences (trusted hosts, security headers) in :mod:`app.security`; sign-in and roles in
:mod:`app.auth`; the WSGI entry point (``gunicorn 'app.wsgi:server'``) is :mod:`app.wsgi`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import dash

    from zzgeo.settings import Settings

__all__ = ["create_app"]

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> dash.Dash:
    """Load the data and build the Dash app (layout, callbacks, data routes).

    Parameters
    ----------
    settings : zzgeo.settings.Settings, optional
        Default: the settings read from the ``ZZGEO_*`` environment variables.
    """
    import flask

    from app.auth import setup_auth
    from app.context import AppContext
    from app.data import LiveData, load_app_data
    from app.features import FEATURES
    from app.features.shell import browser_config
    from app.i18n import t
    from app.security import setup_security
    from app.server import VENDOR_ASSETS, ZzDash, setup_compression
    from app.signin import register_signin
    from app.upload import request_limit
    from zzgeo.housekeeping import clean_at_start
    from zzgeo.settings import get_settings

    clean_at_start(settings or get_settings())  # what a killed server left (uploads, half-written files)
    live = LiveData(load_app_data(settings))
    app = ZzDash(
        __name__,
        title=f"{t('app_title', 'zh')} · {t('app_title', 'en')}",
        update_title=None,
        compress=False,  # configured below
        serve_locally=True,
        assets_path_ignore=VENDOR_ASSETS,
        # the page is built by a callback (in the language of the URL), so most ids
        # appear after the first render; tests check every id against make_page
        suppress_callback_exceptions=True,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            # the layout request carries the page's query (app.server.referrer_query); other
            # sites (map tiles) get no referrer at all
            {"name": "referrer", "content": "same-origin"},
        ],
    )
    # uploads arrive base64-encoded inside a callback request: refuse anything larger
    # than the import size limit allows before it is read
    app.server.config["MAX_CONTENT_LENGTH"] = request_limit(live.data.settings.max_upload_bytes)
    setup_compression(app.server)
    # service: trusted hosts and security headers first, then sign-in and the callback role check
    setup_security(app, live.data.settings)
    setup_auth(app, live.data.settings)
    register_signin(app.server)
    _serve_data(app.server, live)
    app.zz_config = browser_config(live.data.bounds)
    app.zz_preload = lambda: live.data.page_url("5g_sites") if "5g_sites" in live.data.compact else None
    ctx = AppContext(live)
    app.server.extensions["zzgeo"] = ctx  # the app's context (tests and tools reach it here)
    for feature in FEATURES:
        feature.register(app, ctx)
    app.layout = _layout(ctx)

    @app.server.after_request
    def layout_not_cached(response: flask.Response) -> flask.Response:
        if flask.request.path.endswith("/_dash-layout"):  # it depends on the page asking (Referer)
            response.headers["Cache-Control"] = "no-store"
        return response

    return app


def _serve_data(server: Any, live: Any) -> None:
    """The data routes (``DATA_ROUTE``: the layers' payloads by content hash, the data's version), and a
    look at the workspace before each request that reads data."""
    import flask

    from app.data import DATA_ROUTE, AppData

    refreshing = threading.Lock()

    @server.before_request
    def notice_workspace_changes() -> None:
        """Every worker notices a change of the workspace (another worker, the CLI) on its next request."""
        if not flask.request.path.startswith(("/_dash-update-component", "/_dash-layout", DATA_ROUTE)):
            return
        # one thread reloads; the others wait for it (an answer after a change never shows the old data)
        # and then find the stamp current (no second reload)
        with refreshing:
            live.refresh()  # one stat() when nothing changed

    def serve(name: str, body: bytes | None, data: AppData) -> flask.Response:
        if body is None:
            flask.abort(404)
        response = flask.Response(body, mimetype="application/json")
        if flask.request.args.get("v") == data.versions.get(name):
            # the URL carries a content hash (?v=...), so the browser may keep it
            response.headers["Cache-Control"] = "public, max-age=86400"
        else:  # an old URL (the data changed since): serve the current data, uncached
            response.headers["Cache-Control"] = "no-store"
        return response

    @server.route(f"{DATA_ROUTE}/<name>.geojson")
    def layer_payload(name: str) -> flask.Response:
        data = live.data
        return serve(name, data.payloads.get(name), data)

    @server.route(f"{DATA_ROUTE}/<name>.json")
    def compact_payload(name: str) -> flask.Response:
        data = live.data
        return serve(name, data.compact.get(name), data)

    @server.route(f"{DATA_ROUTE}/version")
    def data_version() -> flask.Response:
        """The data's version: pages compare it with theirs and refresh when a colleague changed the data."""
        response = flask.jsonify({"version": live.data.version})
        response.headers["Cache-Control"] = "no-store"
        return response


def _layout(ctx: Any) -> Callable[[], Any]:
    """The layout function: the page itself when the request names it, else the shell."""
    from app.features.shell import make_shell, page_builder
    from app.server import referrer_query

    page_for = page_builder(ctx)

    def layout() -> Any:
        """The page itself when the request names it; else the shell (a callback renders it)."""
        search = referrer_query()
        if search is None:
            return make_shell()
        try:
            return make_shell(*page_for(search))
        except Exception:  # the first-render callback tries again and reports what fails
            logger.exception("building the page for the layout failed")
            return make_shell()

    return layout
