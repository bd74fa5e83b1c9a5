"""Low-level reading helpers shared by the importers.

CSV files may be UTF-8 (with or without BOM) or GBK/GB18030, as Excel on Chinese
Windows writes them. Whole files are imported with :func:`zzgeo.imports.import_file`.
"""

from __future__ import annotations

import logging

from zzgeo.errors import DataError
from zzgeo.messages import text as say

__all__ = ["decode_text"]

logger = logging.getLogger(__name__)


def decode_text(raw: bytes, where: str) -> str:
    """Decode CSV bytes: UTF-16 with BOM, UTF-8 (BOM optional), else GB18030 (⊃ GBK)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataError.of(say("file_bad_utf16", where=where, reason=exc)) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:  # pragma: no cover - gb18030 maps nearly all bytes
        raise DataError.of(say("file_bad_encoding", where=where)) from exc
    logger.info("%s: read as GBK/GB18030", where)
    return text
