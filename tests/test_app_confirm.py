"""The buttons that ask first (app.confirm): the import's Remove, a batch's Remove, an admin's Revert.

Through the server, as the browser posts them: once the dialog is confirmed the action runs
with what is pending and the page's language; without a confirmation, or with nothing valid
pending, nothing happens; each declares the role it needs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from app import ids
from app.auth import callback_role
from app.confirm import AskFirst
from app.features.history import REVERT
from app.features.imports_list import REMOVE
from app.features.proposals import REMOVE_BATCH
from app.i18n import t

from zzgeo.imports import import_file
from zzgeo.planning import make_proposals
from zzgeo.settings import Settings
from zzgeo.workspace import Workspace

DATA = Path(__file__).parent / "data" / "import"
EN = {"lang": "en"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(workspace_path=tmp_path / "ws" / "workspace.gpkg", max_upload_mb=1)


@pytest.fixture
def served(settings: Settings) -> tuple[Any, Any]:
    from app import create_app

    dash_app = create_app(settings)
    return dash_app, dash_app.server.test_client()


def _submit(dash_app: Any, asks: AskFirst) -> tuple[str, dict[str, Any]]:
    """The callback_map key and spec of the server callback that runs once ``asks.dialog`` is confirmed."""
    for key, spec in dash_app.callback_map.items():
        if spec["inputs"] == [{"id": asks.dialog, "property": "submit_n_clicks"}]:
            return key, spec
    raise KeyError(asks.dialog)


def _confirm(client: Any, dash_app: Any, asks: AskFirst, pending: Any, clicks: Any = 1) -> dict[str, Any]:
    """Post the dialog's confirmation with ``pending`` in the store, as the browser does; {} when nothing changed."""
    key, spec = _submit(dash_app, asks)
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1].split("@")[0]}
        for part in key.strip(".").split("...")
    ]
    values = {asks.dialog: clicks, asks.pending: pending, ids.STATE: EN}
    body = {
        "output": key,
        "outputs": outputs,
        "inputs": [{**dep, "value": values.get(dep["id"])} for dep in spec["inputs"]],
        "state": [{**dep, "value": values.get(dep["id"])} for dep in spec["state"]],
        "changedPropIds": [f"{asks.dialog}.submit_n_clicks"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204), response.data
    return {} if response.status_code == 204 else response.get_json()["response"]


@pytest.mark.parametrize(
    ("asks", "role", "ask", "status"),
    [
        (REMOVE, "editor", "confirmRemove", ids.IMPORT_STATUS),
        (REMOVE_BATCH, "editor", "confirmBatch", ids.WHATIF_STATUS),
        (REVERT, "admin", "confirmRevert", ids.HISTORY_STATUS),
    ],
)
def test_each_asks_first_then_acts_with_its_role(
    served: tuple[Any, Any], asks: AskFirst, role: str, ask: str, status: str
) -> None:
    dash_app, _client = served
    key, spec = _submit(dash_app, asks)
    assert spec["state"] == [{"id": asks.pending, "property": "data"}, {"id": ids.STATE, "property": "data"}]
    assert key.startswith(f"..{ids.DATA_VERSION}.data@")
    assert f"...{status}.children" in key
    assert callback_role(key, spec["callback"]) == role
    assert asks.ask == ask
    asking = [s for s in dash_app._callback_list if (s.get("clientside_function") or {}).get("function_name") == ask]
    assert len(asking) == 1
    assert asking[0]["inputs"] == [{"id": f'{{"index":["ALL"],"type":"{asks.button}"}}', "property": "n_clicks"}]
    assert asking[0]["state"] == [{"id": asks.dialog, "property": "message"}]


def test_remove_an_import_then_revert_the_removal(served: tuple[Any, Any], settings: Settings) -> None:
    dash_app, client = served
    workspace = Workspace(settings.workspace_path)
    entry = workspace.add(import_file(DATA / "gbk_zh_headers.csv", "5g_sites"), who="li")
    assert _confirm(client, dash_app, REMOVE, entry, clicks=0) == {}  # not confirmed
    assert _confirm(client, dash_app, REMOVE, None) == {}  # nothing pending
    assert _confirm(client, dash_app, REMOVE, "") == {}
    assert list(workspace.entries()["id"]) == [entry]

    removed = _confirm(client, dash_app, REMOVE, entry)
    assert t("import_removed", "en", file="gbk_zh_headers.csv") in json.dumps(
        removed[ids.IMPORT_STATUS], ensure_ascii=False
    )
    assert removed[ids.DATA_VERSION]["data"]
    assert list(workspace.entries()["id"]) == []

    seq = int(workspace.log()["seq"].iloc[-1])  # the removal
    assert _confirm(client, dash_app, REVERT, str(seq)) == {}  # a seq is a number
    reverted = _confirm(client, dash_app, REVERT, seq)
    assert t("history_reverted", "en", seq=seq) in json.dumps(reverted[ids.HISTORY_STATUS], ensure_ascii=False)
    assert list(workspace.entries()["id"]) == [entry]


def test_remove_a_batch_of_accepted_proposals(served: tuple[Any, Any], settings: Settings) -> None:
    dash_app, client = served
    workspace = Workspace(settings.workspace_path)
    batch = workspace.add_proposals(make_proposals([117.65, 117.66], [24.51, 24.52], year=2025), who="zhao")
    assert _confirm(client, dash_app, REMOVE_BATCH, None) == {}
    assert list(workspace.proposal_entries()["id"]) == [batch]
    removed = _confirm(client, dash_app, REMOVE_BATCH, batch)
    assert t("whatif_batch_removed", "en", n=2) in json.dumps(removed[ids.WHATIF_STATUS], ensure_ascii=False)
    assert list(workspace.proposal_entries()["id"]) == []
