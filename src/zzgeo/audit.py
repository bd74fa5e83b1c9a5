"""One record of every change: the workspace's log and the account log, side by side.

Each store records its own changes in the same write as the change (so a change and its
record never part): data changes in the workspace GeoPackage (:meth:`zzgeo.workspace.Workspace.log`),
account changes in the accounts database (:meth:`zzgeo.accounts.UserStore.log`).
:func:`history` puts them in one table, oldest first.
"""

from __future__ import annotations

import pandas as pd

from zzgeo.accounts import UserStore
from zzgeo.workspace import LOG_COLUMNS, Workspace

__all__ = ["HISTORY_COLUMNS", "history"]

#: columns of :func:`history`: the workspace log's, with ``seq`` empty for account changes
HISTORY_COLUMNS = ["seq", "at", "who", "action", "entry_id", "kind", "file", "sha256", "rows_added",
                   "rows_removed", "count_before", "count_after", "detail"]  # fmt: skip


def history(workspace: Workspace | None = None, users: UserStore | None = None) -> pd.DataFrame:
    """Every recorded change, oldest first (:data:`HISTORY_COLUMNS`).

    Data changes keep their ``seq`` (the number :meth:`~zzgeo.workspace.Workspace.revert`
    takes); account changes (``account_add``, ``account_remove``, ``account_password``,
    ``account_role``) have no ``seq``, the account in ``entry_id`` and the role in ``detail``.
    Passwords never appear.
    """
    workspace = workspace or Workspace()
    users = users or UserStore()
    data = workspace.log()
    accounts = users.log()
    frames = []
    if len(data):
        frames.append(data[LOG_COLUMNS].astype({"seq": "Int64"}))
    if len(accounts):
        frames.append(
            pd.DataFrame(
                {
                    "seq": pd.array([None] * len(accounts), dtype="Int64"),
                    "at": accounts["at"],
                    "who": accounts["who"],
                    "action": accounts["action"],
                    "entry_id": accounts["name"],
                    "detail": accounts["detail"],
                }
            )
        )
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in HISTORY_COLUMNS})
    out = pd.concat(frames, ignore_index=True).reindex(columns=HISTORY_COLUMNS)
    for column in ("kind", "file", "sha256", "detail", "entry_id"):
        out[column] = pd.array(["" if pd.isna(v) else str(v) for v in out[column]], dtype="str")
    for column in ("rows_added", "rows_removed", "count_before", "count_after"):
        out[column] = pd.to_numeric(out[column]).astype("Int64")
    return out.sort_values("at", kind="stable").reset_index(drop=True)
