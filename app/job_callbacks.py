"""What the callbacks of a job share: an import's (:mod:`app.features.import_jobs`) and a render's
(:mod:`app.features.briefing`), both over a :class:`zzgeo.jobs.JobManager`.

Their callbacks name their outputs (``"poll"``, ``"job"``, ``"status"``, ...): the logic
returns a dict of those it changes (:func:`fill` leaves the others as they are); an error
stops polling, hides the progress box and shows its message in the status line
(:func:`guarded_view`); Cancel stops only the user's own job (:func:`cancel_own`).

What a tick of polling does differs (an import's end shows its report, a render's downloads
its file; their tokens differ too), so that stays with each feature.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from dash import Output, no_update
from dash.exceptions import PreventUpdate

from app.errors import error_message
from app.upload import job_status
from zzgeo.errors import ZzgeoError
from zzgeo.jobs import JobError, JobManager

logger = logging.getLogger(__name__)


def named_outputs(table: Mapping[str, tuple[str, str]], keys: Iterable[str]) -> dict[str, Output]:
    """The outputs ``keys`` of ``table`` (name -> (id, prop)); several callbacks write each of them."""
    return {key: Output(*table[key], allow_duplicate=True) for key in keys}


def fill(view: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """``view`` with every other output of ``keys`` left as it is (no_update)."""
    return {key: view.get(key, no_update) for key in keys}


def guarded_view(
    keys: Iterable[str],
    lang: str,
    compute: Callable[[], Mapping[str, Any]],
    failed: Callable[[str, str], Any],
    what: str,
) -> dict[str, Any]:
    """The outputs ``keys`` of ``compute()``; on an error, polling stops, the progress box hides
    and the status line shows ``failed(message, lang)`` (ZzgeoError's message, else a short
    generic one; anything else is logged as ``what`` failed). PreventUpdate passes."""
    try:
        return fill(compute(), keys)
    except PreventUpdate:
        raise
    except Exception as exc:
        if not isinstance(exc, ZzgeoError):
            logger.exception("%s failed", what)
        return fill({"poll": True, "job": True, "status": failed(error_message(exc, lang), lang)}, keys)


def cancel_own(jobs: JobManager, token: Any, user: str | None) -> None:
    """Stop the job ``token`` when it is ``user``'s (its processes are killed); else nothing."""
    if isinstance(token, str) and token and job_status(jobs, token, user) is not None:
        with contextlib.suppress(JobError):
            jobs.cancel(token)
