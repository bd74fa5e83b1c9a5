"""The import panel's status line, next to its buttons: what an action did, or why it could not.

Shared by the import panel, its jobs and the list of imports (:mod:`app.features.import_panel`,
:mod:`app.features.import_jobs`, :mod:`app.features.imports_list`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from dash import ctx, html, no_update
from dash.exceptions import PreventUpdate

from app.errors import _lang_of, error_message
from app.i18n import t
from zzgeo.errors import ZzgeoError

logger = logging.getLogger(__name__)


def make_import_status(
    message: str, lang: str, *, error: bool = False, file: str | None = None, kind: str | None = None
) -> list[Any]:
    """The status line of the import panel ("" hides it); errors start with the file that failed.

    ``kind`` names a line that is neither a success nor an error (``"cancelled"``).
    """
    if not message:
        return []
    children: list[Any] = []
    if error and file:
        children.append(html.Strong(t("import_failed", lang, file=file) + " "))
    children.append(html.Span(message, className="zz-status-text"))
    css = "zz-bad" if error else "zz-muted" if kind else "zz-ok"
    return [html.P(children, className=css, **{"data-kind": "error" if error else kind or "ok"})]


def import_guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run an import-panel callback whose LAST output is the panel's status line.

    ZzgeoError messages are shown as they are; anything else is logged and shown as a
    short generic message; the other outputs are left unchanged. PreventUpdate passes.
    """

    @functools.wraps(func)
    def wrapper(*args: Any) -> Any:
        try:
            return func(*args)
        except PreventUpdate:
            raise
        except Exception as exc:
            if not isinstance(exc, ZzgeoError):
                logger.exception("callback %s failed", func.__name__)
            lang = _lang_of(args)
            n = len(ctx.outputs_list) - 1
            return (*([no_update] * n), make_import_status(error_message(exc, lang), lang, error=True))

    return wrapper
