"""Server side of the import panel: uploads to temporary files, pending import results.

An upload arrives as a ``data:...;base64,...`` string (dcc.Upload). It is size-checked
before it is decoded, decoded strictly, written to a file the server names itself in a
private temporary folder (the user's file name is only used for messages), read by
:func:`zzgeo.imports.import_file` and deleted, whatever happens. Nothing is unpickled.

The :class:`~zzgeo.imports.ImportResult` waits on the server (:class:`PendingImports`,
keyed by a random token the browser keeps) until the user accepts it or it expires: the
rows never travel to the browser. The results live in the server process: behind several
worker processes, keep a browser session on one worker (or run one process with threads).
"""

from __future__ import annotations

import atexit
import base64
import binascii
import logging
import math
import os
import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pyogrio

from app.i18n import t
from zzgeo.errors import DataError, ZzgeoError
from zzgeo.imports import ImportResult, import_file, sniff_format

logger = logging.getLogger(__name__)

#: server-chosen file suffix per sniffed format (readers such as openpyxl and GDAL's
#: /vsizip/ go by the suffix)
SUFFIXES = {
    "csv": ".csv",
    "xlsx": ".xlsx",
    "geojson": ".geojson",
    "gpkg": ".gpkg",
    "shapefile": ".zip",
    "parquet": ".parquet",
}
#: room for the JSON around the base64 upload in a callback request (bytes)
REQUEST_OVERHEAD = 1_000_000


class UploadError(ZzgeoError):
    """An upload that cannot be read (too large, empty, damaged); the message is localized."""


def request_limit(max_bytes: int) -> int:
    """Flask's ``MAX_CONTENT_LENGTH`` for uploads of up to ``max_bytes``: base64 plus a margin."""
    return math.ceil(max_bytes * 4 / 3) + REQUEST_OVERHEAD


def _mb(n: float) -> str:
    return f"{n / 1_000_000:.1f}".rstrip("0").rstrip(".") if n < 10_000_000 else f"{n / 1_000_000:.0f}"


def decode_contents(contents: object, name: str, max_bytes: int, lang: str) -> bytes:
    """The bytes of a dcc.Upload ``contents`` string, checked against ``max_bytes``.

    The size is checked from the length of the base64 text before anything is decoded.

    Raises
    ------
    UploadError
        Too large, empty, or not a base64 data URL.
    """
    if not isinstance(contents, str) or "," not in contents:
        raise UploadError(t("import_damaged", lang, file=name))
    head, _, b64 = contents.partition(",")
    if not head.startswith("data:") or not head.endswith(";base64"):
        raise UploadError(t("import_damaged", lang, file=name))
    estimate = len(b64) // 4 * 3 - b64[-2:].count("=")
    if estimate > max_bytes:
        raise UploadError(t("import_too_big", lang, file=name, size=_mb(estimate), limit=_mb(max_bytes)))
    if not b64:
        raise UploadError(t("import_empty", lang, file=name))
    try:
        data = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise UploadError(t("import_damaged", lang, file=name)) from None
    if not data:
        raise UploadError(t("import_empty", lang, file=name))
    return data


@dataclass
class UploadOutcome:
    """What reading an upload gave: a result, or an error message; GeoPackage layers."""

    result: ImportResult | None = None
    error: str | None = None
    layers: tuple[str, ...] = ()  # layers of a GeoPackage (offered when it has several)
    error_zh: str | None = None  # the error in Chinese, when zzgeo has it

    def error_text(self, lang: str) -> str | None:
        """The error in ``lang`` (Chinese when known, else English)."""
        return self.error_zh if lang == "zh" and self.error_zh else self.error


def _gpkg_layers(path: Path) -> tuple[str, ...]:
    try:
        return tuple(str(name) for name in pyogrio.list_layers(path)[:, 0])
    except Exception:  # a damaged file: import_file reports it
        return ()


def upload_root() -> Path:
    """A private folder (mode 0700) for this process's upload files, made on first use."""
    global _UPLOAD_ROOT
    with _ROOT_LOCK:
        if _UPLOAD_ROOT is None or not _UPLOAD_ROOT.is_dir():
            _UPLOAD_ROOT = Path(tempfile.mkdtemp(prefix="zzgeo-uploads-"))
            atexit.register(shutil.rmtree, _UPLOAD_ROOT, True)
        return _UPLOAD_ROOT


_UPLOAD_ROOT: Path | None = None
_ROOT_LOCK = threading.Lock()


def import_upload(
    data: bytes,
    name: str,
    kind: str,
    crs: str | None,
    layer: str | None = None,
    *,
    max_bytes: int,
    root: Path | None = None,
) -> UploadOutcome:
    """Write ``data`` to a server-named temporary file, import it, delete it.

    ``name`` (the user's file name) appears only in messages. ``layer`` is used when
    the file is a GeoPackage that has it; otherwise a GeoPackage with several layers
    gives an error and its ``layers``. Errors a user can act on (:class:`DataError`)
    come back as ``error``; other exceptions propagate.
    """
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=root or upload_root()))
    try:
        path = folder / "upload.bin"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        layers: tuple[str, ...] = ()
        try:
            fmt = sniff_format(path)
            typed = path.with_name("upload" + SUFFIXES.get(fmt, ".bin"))
            path.rename(typed)
            path = typed
            if fmt == "gpkg":
                layers = _gpkg_layers(path)
            chosen = layer if fmt == "gpkg" and layer in layers else None
            result = import_file(path, kind, crs, layer=chosen, name=name, max_bytes=max_bytes)
        except DataError as exc:
            zh = _scrub(exc.zh, path, folder, name) if exc.zh else None
            return UploadOutcome(error=_scrub(str(exc), path, folder, name), layers=layers, error_zh=zh)
        return UploadOutcome(result=result, layers=layers)
    finally:
        # GDAL may leave -wal/-shm files beside a GeoPackage: the whole folder goes
        shutil.rmtree(folder, ignore_errors=True)


def _scrub(message: str, path: Path, folder: Path, name: str) -> str:
    """A message without the server's temporary paths (the user's file name instead)."""
    for text in (str(path), str(folder), str(path.with_name("upload.bin")), path.name, "upload.bin"):
        message = message.replace(text, name)
    return message


class PendingImports:
    """Import results waiting for "Accept", by random token; old ones expire.

    Thread-safe; at most ``max_items`` are kept (the oldest go first) for ``ttl`` seconds.
    An accepted result stays (for the rejected-rows download) but cannot be claimed twice.
    """

    def __init__(self, max_items: int = 16, ttl: float = 3600.0) -> None:
        self.max_items = max_items
        self.ttl = ttl
        self._items: OrderedDict[str, _Pending] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        for token in [k for k, item in self._items.items() if now - item.when > self.ttl]:
            del self._items[token]
        while len(self._items) > self.max_items:
            self._items.popitem(last=False)

    def _item(self, token: object) -> _Pending | None:
        if not isinstance(token, str):
            return None
        self._expire(time.monotonic())
        return self._items.get(token)

    def put(self, result: ImportResult) -> str:
        """Keep ``result``; return its token."""
        token = secrets.token_urlsafe(18)
        with self._lock:
            now = time.monotonic()
            self._items[token] = _Pending(now, result)
            self._expire(now)
        return token

    def get(self, token: object) -> ImportResult | None:
        """The result of ``token``, or None when unknown or expired."""
        with self._lock:
            item = self._item(token)
        return None if item is None else item.result

    def claim(self, token: object) -> ImportResult | None:
        """The result of ``token`` to add to the workspace; None when unknown, expired or already claimed."""
        with self._lock:
            item = self._item(token)
            if item is None or item.claimed:
                return None
            item.claimed = True
            return item.result

    def unclaim(self, token: object) -> None:
        """Undo :meth:`claim` (adding to the workspace failed)."""
        with self._lock:
            item = self._item(token)
            if item is not None:
                item.claimed = False

    def pop(self, token: object) -> ImportResult | None:
        """Forget ``token``; return its result (None when unknown or expired)."""
        with self._lock:
            item = self._item(token)
            if item is not None:
                del self._items[str(token)]
        return None if item is None else item.result

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


@dataclass
class _Pending:
    when: float
    result: ImportResult
    claimed: bool = False
