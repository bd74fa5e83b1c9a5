"""The Dash app class and the web server's settings (compression, the page's head).

Responses are compressed by flask-compress (Brotli at a fast level when the browser
accepts it, else gzip). Its streaming mode is off (``COMPRESS_STREAMS=False``:
flask-compress 1.25 leaves a streamed file open); the app's own files under ``/assets/``
are read whole instead, so they are compressed too. Files under ``assets/vendor/``
(h3-js) are not put in every page: the browser loads them when a hexagon overlay is
first shown.

Responses that never change for their URL (Dash's fingerprinted component bundles, the
app's ``?v=<hash>`` data) are also Brotli-compressed at the best level (about 12% smaller
than the fast level) once, in a background thread, and served from :class:`BestBrotli`
from then on: the first visitor gets the fast level, nobody waits for the slow one.
"""

from __future__ import annotations

import html
import json
import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import brotli
import dash
import flask
from flask_compress import Compress

from app.state import parse_query

#: folders under app/assets/ that Dash must not put in every page (loaded on demand)
VENDOR_ASSETS = [r"^vendor$"]
#: flask-compress settings: Brotli at a fast level (smaller than gzip at the same cost)
COMPRESS_CONFIG = {
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_BR_LEVEL": 5,
    "COMPRESS_LEVEL": 6,
    # flask-compress 1.25 compresses streamed responses in a generator that never
    # closes the file it reads (a ResourceWarning per asset): read small assets whole
    "COMPRESS_STREAMS": False,
}
#: largest asset read into memory to be compressed (bytes)
MAX_BUFFERED_ASSET = 2_000_000
#: URL prefixes whose answers never change for a URL (fingerprinted or ``?v=<hash>``)
IMMUTABLE_PREFIXES = ("/_dash-component-suites/", "/zzgeo-data/")
#: script tags Dash adds for libraries the app never renders (dash_table's bundle)
UNUSED_SCRIPTS = re.compile(r'<script src="[^"]*/dash_table/[^"]*"></script>\s*')
#: script tags of libraries loaded only when needed: namespace -> tag (see ``lazyGrid`` in zzgeo.js)
LAZY_SCRIPTS = {"dash_ag_grid": re.compile(r'<script src="([^"]*/dash_ag_grid/dash_ag_grid\.[^"]*\.js)"></script>')}

logger = logging.getLogger(__name__)


class BestBrotli:
    """Brotli at quality 11 of immutable answers, by URL, computed in one background thread.

    Process-wide (:data:`BEST_BROTLI`): Dash's bundles are the same for every app.
    """

    def __init__(self, max_bytes: int = 64_000_000) -> None:
        self._items: dict[str, bytes] = {}
        self._pending: set[str] = set()
        self._size = 0
        self._max = max_bytes
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zzgeo-brotli")

    def get(self, key: str) -> bytes | None:
        """The compressed body of ``key``, if ready."""
        return self._items.get(key)

    def submit(self, key: str, body: bytes) -> None:
        """Compress ``body`` in the background (once per key, while the cache has room)."""
        with self._lock:
            if key in self._items or key in self._pending or self._size + len(body) > self._max:
                return
            self._pending.add(key)
        self._pool.submit(self._compress, key, body)

    def _compress(self, key: str, body: bytes) -> None:
        try:
            data = brotli.compress(body, quality=11)
        except Exception:  # pragma: no cover - brotli does not fail on bytes
            logger.exception("brotli of %s failed", key)
            data = None
        with self._lock:
            self._pending.discard(key)
            if data is not None:
                self._items[key] = data
                self._size += len(data)


BEST_BROTLI = BestBrotli()


def setup_compression(server: flask.Flask) -> None:
    """Compress responses with flask-compress (:data:`COMPRESS_CONFIG`), assets included.

    ``send_file`` answers (Dash's ``/assets/``) are streamed, which flask-compress leaves
    uncompressed without ``COMPRESS_STREAMS``; the hook below reads them whole first
    (it runs before flask-compress's: Flask calls later ``after_request`` hooks first).
    """
    server.config.update(COMPRESS_CONFIG)
    Compress(server)
    mimetypes = set(server.config["COMPRESS_MIMETYPES"])

    @server.after_request
    def best_brotli(response: flask.Response) -> flask.Response:
        request = flask.request
        if (
            request.method != "GET"
            or response.status_code != 200
            or response.is_streamed
            or "Content-Encoding" in response.headers
            or response.mimetype not in mimetypes
            or not request.path.startswith(IMMUTABLE_PREFIXES)
            or (request.path.startswith("/zzgeo-data/") and not request.args.get("v"))
            or "br" not in request.headers.get("Accept-Encoding", "")
        ):
            return response
        key = request.full_path
        body = BEST_BROTLI.get(key)
        if body is None:
            BEST_BROTLI.submit(key, response.get_data())
            return response  # flask-compress answers this time (fast level)
        response.set_data(body)
        response.headers["Content-Encoding"] = "br"
        response.headers["Content-Length"] = str(len(body))
        response.vary.add("Accept-Encoding")
        etag, weak = response.get_etag()
        if etag and not weak:
            response.set_etag(f"{etag}:br")
        return response

    @server.after_request
    def read_assets_whole(response: flask.Response) -> flask.Response:
        if (
            response.is_streamed
            and response.status_code == 200
            and response.mimetype in mimetypes
            and (flask.request.endpoint or "").endswith("_dash_assets.static")
            and (response.content_length or 0) <= MAX_BUFFERED_ASSET
        ):
            response.direct_passthrough = False
            response.make_sequence()  # the file is read and closed when the response is
        return response


def html_lang(lang: str) -> str:
    """The ``lang`` attribute of a page in ``lang`` ("zh" or "en")."""
    return "en" if lang == "en" else "zh-CN"


def referrer_query() -> str | None:
    """The query string of the page asking for the layout (``"?..."`` or ``""``), or None.

    Dash's renderer fetches ``/_dash-layout`` from the page, so its Referer is the page's
    URL (the index page asks for same-origin referrers); the layout can then hold the whole
    page at once instead of the first-render callback building it (one round trip less).
    None outside a request, without a Referer, or when it names another site.
    """
    try:
        referrer = flask.request.referrer
        host = flask.request.host
    except RuntimeError:  # outside a request
        return None
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc != host:
        return None
    return f"?{parts.query}" if parts.query else ""


def lazy_scripts(scripts: str) -> tuple[str, dict[str, str]]:
    """``scripts`` without the :data:`LAZY_SCRIPTS` tags, and the URLs they named by namespace.

    The browser's code loads such a library when its first component comes into view
    (``lazyGrid`` in ``assets/zz-ranking.js``), from the URL in the page's config block.
    """
    urls: dict[str, str] = {}
    out = scripts
    for namespace, pattern in LAZY_SCRIPTS.items():
        match = pattern.search(out)
        if match:
            urls[namespace] = html.unescape(match.group(1))
            out = out[: match.start()] + out[match.end() :]
    return out, urls


def config_block(config: dict[str, Any]) -> str:
    """``config`` as the page's ``<script id="zz-config" type="application/json">`` block."""
    data = json.dumps(config, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return f'<script id="zz-config" type="application/json">{data}</script>'


class ZzDash(dash.Dash):
    """Dash whose index page says its language on ``<html lang=...>`` (from ``?lang=``).

    The page is built in the browser; a clientside callback keeps ``document.documentElement.lang``
    in step afterwards (see ``zzgeo.setDocumentLang``).
    """

    #: URL of the 5G payload the page will fetch (set by create_app), preloaded from the head
    zz_preload: Any = None
    #: what the browser's code reads from the page's head (set by create_app; see config_block)
    zz_config: dict[str, Any] | None = None

    def interpolate_index(self, **kwargs: Any) -> str:
        scripts, lazy = lazy_scripts(UNUSED_SCRIPTS.sub("", kwargs.get("scripts", "")))
        kwargs["scripts"] = scripts
        kwargs["metas"] = kwargs.get("metas", "") + config_block({**(self.zz_config or {}), "lazy": lazy})
        try:
            state = parse_query(flask.request.query_string.decode("utf-8", "replace"))
        except RuntimeError:  # outside a request
            state = None
        preload = self.zz_preload() if callable(self.zz_preload) and state and "5g_sites" in state.layers else None
        if preload:
            # fetched while the scripts load; zzgeo.filterSites' fetch() then finds it
            link = f'<link rel="preload" href="{html.escape(preload)}" as="fetch" crossorigin="anonymous">'
            kwargs["metas"] = kwargs.get("metas", "") + link
        page = super().interpolate_index(**kwargs)
        lang = html_lang(state.lang if state else "zh")
        return re.sub(r"<html(?=[\s>])", f'<html lang="{lang}"', page, count=1)
