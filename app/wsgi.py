"""WSGI entry point: ``gunicorn 'app.wsgi:server'`` (``zzgeo serve`` runs exactly this).

Importing this module builds the app (:func:`app.create_app`): gunicorn imports it once in
each worker process, after forking, so each worker has its own data and nothing is shared
in memory. Set ``ZZGEO_BIND`` to the address gunicorn listens on (``zzgeo serve`` does):
without it the app assumes other machines can reach it, and changes need an editor account.
"""

from __future__ import annotations

import logging
import os

if not os.environ.get("ZZGEO_BIND", "").strip():
    # gunicorn may listen on any address: without being told, assume other machines reach it
    os.environ["ZZGEO_BIND"] = "unknown"

from app import create_app
from app.auth import startup_warnings
from zzgeo.settings import get_settings

get_settings.cache_clear()

if not logging.getLogger().handlers:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s")

app = create_app()
server = app.server
# Dash prepares its server (registers the component bundles it serves) on a worker's first request,
# and marks that done before doing it: a burst of first requests in a threaded worker (the page's
# bundles, fetched at once after another worker served the page) then finds no bundle registered
# (500 "not a registered library"). One request here, before gunicorn hands the worker any.
server.test_client().get("/_dash-dependencies", headers={"Host": "localhost"})
for _line in startup_warnings(get_settings()):
    logging.getLogger(__name__).warning(_line)
