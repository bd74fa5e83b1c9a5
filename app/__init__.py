"""The zzgeo map app (Dash + dash-leaflet) on top of the :mod:`zzgeo` library.

``create_app()`` loads the data and returns the Dash app; nothing is loaded at import.
``app.main.run()`` serves it (``make run`` / ``zzgeo serve``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

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
    import dash
    import flask

    from app.callbacks import register
    from app.data import DATA_ROUTE, LiveData, load_app_data
    from app.i18n import t
    from app.layout import make_shell
    from app.upload import request_limit

    live = LiveData(load_app_data(settings))
    app = dash.Dash(
        __name__,
        title=f"{t('app_title', 'zh')} · {t('app_title', 'en')}",
        update_title=None,
        compress=True,
        serve_locally=True,
        # the page is built by a callback (in the language of the URL), so most ids
        # appear after the first render; tests check every id against make_page
        suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.layout = make_shell()
    # uploads arrive base64-encoded inside a callback request: refuse anything larger
    # than the import size limit allows before it is read
    app.server.config["MAX_CONTENT_LENGTH"] = request_limit(live.data.settings.max_upload_bytes)

    @app.server.route(f"{DATA_ROUTE}/<name>.geojson")
    def layer_payload(name: str) -> flask.Response:
        data = live.data
        body = data.payloads.get(name)
        if body is None:
            flask.abort(404)
        response = flask.Response(body, mimetype="application/json")
        if flask.request.args.get("v") == data.versions.get(name):
            # the URL carries a content hash (?v=...), so the browser may keep it
            response.headers["Cache-Control"] = "public, max-age=86400"
        else:  # an old URL (the data changed since): serve the current data, uncached
            response.headers["Cache-Control"] = "no-store"
        return response

    register(app, live)
    return app
