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


def guarded_by(render: Callable[[str, str], Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator for a callback whose LAST output shows what went wrong, near what caused it.

    On success that output is cleared (``render("", lang)``); on an error every other
    output is left unchanged and it shows :func:`error_message` (``render(message, lang)``).
    PreventUpdate passes through.
    """

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any) -> Any:
            lang = _lang_of(args)
            try:
                result = func(*args)
            except PreventUpdate:
                raise
            except Exception as exc:
                if not isinstance(exc, ZzgeoError):
                    logger.exception("callback %s failed", func.__name__)
                # every other output unchanged (a pattern-matching output wants one per component)
                unchanged = [[no_update] * len(o) if isinstance(o, list) else no_update for o in ctx.outputs_list[:-1]]
                return (*unchanged, render(error_message(exc, lang), lang))
            return (*result, render("", lang))

        return wrapper

    return decorator


def error_status(message: str, lang: str) -> list[Any]:
    """A status line next to an action: the message as an error ("" empties it)."""
    return [html.P(message, className="zz-bad", **{"data-kind": "error"})] if message else []


#: the page's error banner (for what no single action caused)
guarded = guarded_by(lambda message, _lang: error_banner(message))
#: the status line beside the buttons that caused it
guarded_status = guarded_by(error_status)


def _lang_of(args: tuple[Any, ...]) -> str:
    for arg in args:
        if isinstance(arg, dict) and arg.get("lang") in ("zh", "en"):
            return str(arg["lang"])
    return "zh"
