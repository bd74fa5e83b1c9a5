"""What an import's and a render's job callbacks share (app.job_callbacks)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from app.errors import error_message
from app.i18n import t
from app.job_callbacks import fill, guarded_view, named_outputs
from dash import no_update
from dash.exceptions import PreventUpdate

from zzgeo.errors import ZzgeoError

KEYS = ("poll", "job", "progress", "status")


def _failed(message: str, lang: str) -> list[Any]:
    return [lang, message]


def test_named_outputs_and_fill() -> None:
    outputs = named_outputs({"poll": ("p", "disabled"), "job": ("j", "hidden")}, ["job"])
    assert list(outputs) == ["job"]
    assert (outputs["job"].component_id, outputs["job"].component_property) == ("j", "hidden")
    assert outputs["job"].allow_duplicate
    assert fill({"poll": True, "other": 1}, KEYS) == {"poll": True, "job": no_update, "progress": no_update,
                                                      "status": no_update}  # fmt: skip


def test_guarded_view_answers_errors_in_the_status_line(caplog: pytest.LogCaptureFixture) -> None:
    assert guarded_view(KEYS, "en", lambda: {"progress": [1]}, _failed, "x")["progress"] == [1]
    known = ZzgeoError("the file is damaged")

    def damaged() -> dict[str, Any]:
        raise known

    shown = guarded_view(KEYS, "en", damaged, _failed, "x")
    assert shown == {"poll": True, "job": True, "progress": no_update, "status": ["en", error_message(known, "en")]}
    with caplog.at_level(logging.ERROR, logger="app"):
        shown = guarded_view(("status",), "zh", lambda: {}["missing"], _failed, "render callback")
    assert shown == {"status": ["zh", t("error_generic", "zh")]}
    assert any("render callback failed" in r.getMessage() for r in caplog.records)

    def stop() -> dict[str, Any]:
        raise PreventUpdate

    with pytest.raises(PreventUpdate):
        guarded_view(KEYS, "en", stop, _failed, "x")
