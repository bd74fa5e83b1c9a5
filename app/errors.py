"""What users see when a callback fails: ZzgeoError's message, else a short generic line.

Errors a user can act on (:class:`zzgeo.errors.ZzgeoError`) are shown as they are; anything
else is logged and shown as a short generic message. Users never see a traceback.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from dash import ctx, html, no_update
from dash.exceptions import PreventUpdate

from app.i18n import t
from zzgeo.errors import ZzgeoError

logger = logging.getLogger(__name__)


def error_message(exc: BaseException, lang: str) -> str:
    """What the user sees for an exception: ZzgeoError's message, else a generic line."""
    if isinstance(exc, ZzgeoError):
        return exc.text(lang)
    return t("error_generic", lang)


def error_banner(message: str) -> Any:
    """The error banner's children for ``message`` ("" hides it)."""
    return html.Div(message, className="zz-error-text") if message else ""


def guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a callback whose LAST output is the error banner.

    On success the banner is cleared; on an error every other output is left unchanged
    and the banner shows :func:`error_message`. PreventUpdate passes through.
    """

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        try:
            result = func(*args)
        except PreventUpdate:
            raise
        except Exception as exc:
            if not isinstance(exc, ZzgeoError):
                logger.exception("callback %s failed", func.__name__)
            lang = _lang_of(args)
            n = len(ctx.outputs_list) - 1
            return (*([no_update] * n), error_banner(error_message(exc, lang)))
        return (*result, "")

    return wrapper


def _lang_of(args: tuple[Any, ...]) -> str:
    for arg in args:
        if isinstance(arg, dict) and arg.get("lang") in ("zh", "en"):
            return str(arg["lang"])
    return "zh"
