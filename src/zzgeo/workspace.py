"""The workspace: imported layers and accepted what-if proposals in one GeoPackage.

Each import is a layer ``import_<id>`` in the GeoPackage plus a row of the attribute table
``zzgeo_imports`` (id, kind, file, time, rows accepted/rejected, mode, CRS, who, the file's
SHA-256, origin). Accepted what-if proposals are stored the same way (``origin``
``"proposals"``): a batch of proposed 5G sites that an editor accepted, visible to every
colleague until an editor removes it. Every change rewrites the GeoPackage into a temporary
file beside it and renames it over the old one, under an exclusive lock: a crash (or
``kill -9``) mid-write leaves the previous workspace intact, and two writers (server
workers, the CLI) take turns instead of corrupting it. Readers never lock: a read that
overlaps a rename is read again (:meth:`Workspace.stamp` tells).

``mode`` says how an import combines with the shipped sample of its kind: ``"add"``
(sample + imports) or ``"replace"`` (imports only: the sample is hidden while any
replacing import of that kind exists).

Every change also appends a row to the audit table ``zzgeo_log``, in the same write (so a
change and its record never part): when, who, what (``import``, ``replace``, ``remove``,
``accept_proposals``, ``remove_proposals``, ``revert``, ``purge``), the entry, its kind,
file and SHA-256, rows added to and removed from the layer, and the layer's row count
before and after. Removed entries keep their rows (layer ``removed_<id>``) so that an
admin can :meth:`~Workspace.revert` the removal, until :meth:`~Workspace.purge`.

The workspace may not grow past ``ZZGEO_WORKSPACE_MAX_MB`` (:class:`WorkspaceFullError`);
removing and purging always work.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import logging
import os
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from zzgeo.errors import DataError, UnknownKeyError
from zzgeo.imports import ImportResult
from zzgeo.layers import coerce_columns, get_spec, load_layer
from zzgeo.messages import Text
from zzgeo.settings import get_settings

__all__ = [
    "ACTIONS",
    "ENTRY_COLUMNS",
    "LOG_COLUMNS",
    "MODES",
    "PROPOSAL_COLUMNS",
    "Workspace",
    "WorkspaceFullError",
    "workspace_stamp",
]

logger = logging.getLogger(__name__)

MODES = ("add", "replace")
#: what the audit log records (``action`` column)
ACTIONS = ("import", "replace", "remove", "accept_proposals", "remove_proposals", "revert", "purge")
#: actions :meth:`Workspace.revert` can undo
REVERTIBLE = ("import", "replace", "remove", "accept_proposals", "remove_proposals")
_META = "zzgeo_imports"
_LOG = "zzgeo_log"
#: columns of :meth:`Workspace.entries`
ENTRY_COLUMNS = [
    "id", "kind", "file", "imported_at", "rows_accepted", "rows_rejected", "mode", "crs", "who", "sha256",
]  # fmt: skip
#: columns of :meth:`Workspace.proposal_entries`
PROPOSAL_COLUMNS = ["id", "accepted_at", "who", "rows"]
#: columns of :meth:`Workspace.log`
LOG_COLUMNS = [
    "seq", "at", "who", "action", "entry_id", "kind", "file", "sha256",
    "rows_added", "rows_removed", "count_before", "count_after", "detail",
]  # fmt: skip
_STORED = [*ENTRY_COLUMNS, "origin", "removed_at", "removed_by"]
#: defaults of columns that workspaces written by older zzgeo versions lack
_DEFAULTS = {"who": "", "sha256": "", "origin": "file", "removed_at": "", "removed_by": ""}
_PROPOSALS_FILE = "what-if proposals"
_THREAD_LOCK = threading.Lock()
_READ_TRIES = 5

T = TypeVar("T")


class WorkspaceFullError(DataError):
    """A change would make the workspace larger than ``ZZGEO_WORKSPACE_MAX_MB``."""


def workspace_stamp(path: str | Path) -> tuple[int, int, int] | None:
    """(inode, mtime in ns, size) of the workspace file; None when it does not exist.

    Every change renames a new file into place, so the stamp changes with every change:
    one ``stat`` (microseconds) tells a server worker whether to reload its data.
    """
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _now(timespec: str = "seconds") -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec=timespec)


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.0f}" if n >= 10_000_000 else f"{n / 1_000_000:.1f}"


@functools.cache
def _sample_count_of(path: str, stamp: tuple[int, int, int] | None) -> int:
    if stamp is None:
        return 0
    return int(pyogrio.read_info(path)["features"])


class Workspace:
    """Imported layers stored in the GeoPackage at ``path`` (default: settings).

    Parameters
    ----------
    path : str or Path, optional
        Default ``ZZGEO_WORKSPACE``.
    max_bytes : int, optional
        Size limit in bytes; default ``ZZGEO_WORKSPACE_MAX_MB``.
    """

    def __init__(self, path: str | Path | None = None, max_bytes: int | None = None) -> None:
        settings = get_settings()
        self.path = Path(path) if path else settings.workspace_path
        self.max_bytes = max_bytes if max_bytes is not None else settings.workspace_max_bytes

    # -- reading -------------------------------------------------------------------------

    def stamp(self) -> tuple[int, int, int] | None:
        """See :func:`workspace_stamp`: changes whenever the workspace changes."""
        return workspace_stamp(self.path)

    def _stable(self, read: Callable[[], T]) -> T:
        """``read()`` of one version of the file: again when a writer renamed a new one in meanwhile."""
        for _ in range(_READ_TRIES - 1):
            before = self.stamp()
            try:
                out = read()
            except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, UnknownKeyError):
                if self.stamp() != before:
                    continue
                raise
            if self.stamp() == before:
                return out
        return read()

    def _meta(self) -> pd.DataFrame:
        """Every stored entry (active and removed, imports and proposals), oldest first."""
        if not self.path.exists():
            return pd.DataFrame({c: pd.Series(dtype="object") for c in _STORED})
        try:
            table = pd.DataFrame(pyogrio.read_dataframe(self.path, layer=_META, read_geometry=False))
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            if not self.path.exists():  # renamed away between the check and the read
                raise
            raise DataError(f"workspace {self.path} is not a zzgeo workspace ({exc})") from exc
        return _with_defaults(table)

    def _active(self, origin: str | None = None) -> pd.DataFrame:
        meta = self._meta()
        keep = meta["removed_at"].fillna("").astype("str") == ""
        if origin is not None:
            keep &= meta["origin"] == origin
        return meta[keep].reset_index(drop=True)

    def entries(self) -> pd.DataFrame:
        """The imports, oldest first: :data:`ENTRY_COLUMNS` (accepted proposals are not listed)."""
        return self._stable(lambda: self._active("file")[ENTRY_COLUMNS])

    def proposal_entries(self) -> pd.DataFrame:
        """The batches of accepted proposals, oldest first: id, accepted_at, who, rows."""

        def read() -> pd.DataFrame:
            active = self._active("proposals")
            return pd.DataFrame(
                {
                    "id": active["id"],
                    "accepted_at": active["imported_at"],
                    "who": active["who"],
                    "rows": active["rows_accepted"].astype("int64"),
                },
                columns=PROPOSAL_COLUMNS,
            )

        return self._stable(read)

    def load(self, entry_id: str) -> gpd.GeoDataFrame:
        """The features of import (or proposals batch) ``entry_id`` (typed per its kind, EPSG:4326)."""
        return self._stable(lambda: self._load(entry_id, self._active()))

    def _load(self, entry_id: str, active: pd.DataFrame) -> gpd.GeoDataFrame:
        row = active[active["id"] == entry_id]
        if row.empty:
            raise UnknownKeyError("workspace entry", entry_id, list(active["id"]))
        gdf = gpd.read_file(self.path, layer=f"import_{entry_id}", engine="pyogrio")
        if str(row["origin"].iloc[0]) == "proposals":
            return _typed_proposals(gdf)
        return coerce_columns(gdf, get_spec(str(row["kind"].iloc[0])))

    def layer(self, kind: str, include_sample: bool = True, include_proposals: bool = False) -> gpd.GeoDataFrame:
        """The layer of ``kind`` the app and the indicators use.

        The shipped sample (unless an import of ``kind`` replaces it or
        ``include_sample`` is False) followed by every import of ``kind``, with a
        ``source`` column naming where each row came from; with ``include_proposals``,
        the accepted what-if proposals of ``kind`` last (``status`` "planned", ``source``
        :data:`zzgeo.planning.PROPOSAL_SOURCE`, ``proposed`` True). Area layers are not
        combined: each import of kind ``areas`` is a layer of its own (:meth:`load`).
        """
        if get_spec(kind).geometry_type != "Point":
            raise DataError(f"{kind}: each import is a layer of its own; load one with Workspace.load(id)")
        return self._stable(lambda: self._layer(kind, include_sample, include_proposals))

    def _layer(self, kind: str, include_sample: bool, include_proposals: bool) -> gpd.GeoDataFrame:
        active = self._active()
        mine = active[(active["kind"] == kind) & (active["origin"] == "file")]
        parts: list[gpd.GeoDataFrame] = []
        if include_sample and not (mine["mode"] == "replace").any():
            parts.append(load_layer(kind))
        for entry_id, file in zip(mine["id"], mine["file"], strict=True):
            part = self._load(str(entry_id), active)
            part["source"] = f"import: {file}"
            parts.append(part)
        if include_proposals:
            for entry_id in active[(active["kind"] == kind) & (active["origin"] == "proposals")]["id"]:
                parts.append(self._load(str(entry_id), active))
        if not parts:
            return coerce_columns(load_layer(kind).iloc[0:0], get_spec(kind))
        combined = pd.concat(parts, ignore_index=True)
        return gpd.GeoDataFrame(combined, geometry="geometry", crs="EPSG:4326")

    def accepted_proposals(self) -> gpd.GeoDataFrame:
        """Every accepted proposal, oldest batch first, as :func:`zzgeo.planning.make_proposals` gives them.

        Plus ``entry_id`` (the batch, for :meth:`remove`). Pass it where the app passed the
        proposals a browser kept: ``planning.accept_proposals(layer, accepted)``.
        """

        def read() -> gpd.GeoDataFrame:
            active = self._active("proposals")
            parts = []
            for entry_id in active["id"]:
                part = self._load(str(entry_id), active)
                part["entry_id"] = pd.array([str(entry_id)] * len(part), dtype="str")
                parts.append(part)
            if not parts:
                from zzgeo.planning import empty_proposals

                out = empty_proposals()
                out["entry_id"] = pd.array([], dtype="str")
                return out
            return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326")

        return self._stable(read)

    def log(self) -> pd.DataFrame:
        """The audit log of this workspace, oldest first (:data:`LOG_COLUMNS`)."""

        def read() -> pd.DataFrame:
            if not self.path.exists():
                return pd.DataFrame({c: pd.Series(dtype="object") for c in LOG_COLUMNS})
            if _LOG not in {str(n) for n in pyogrio.list_layers(self.path)[:, 0]}:
                return pd.DataFrame({c: pd.Series(dtype="object") for c in LOG_COLUMNS})
            table = pd.DataFrame(pyogrio.read_dataframe(self.path, layer=_LOG, read_geometry=False))
            return table[LOG_COLUMNS].sort_values("seq", kind="stable").reset_index(drop=True)

        return self._stable(read)

    def layer_count(self, kind: str) -> int:
        """Rows of the layer of ``kind`` as the app shows it (sample unless replaced, imports, proposals)."""
        get_spec(kind)
        return self._stable(lambda: self._count(self._meta(), kind))

    # -- writing -------------------------------------------------------------------------

    def add(self, result: ImportResult, mode: str = "add", *, who: str = "unknown", sha256: str | None = None) -> str:
        """Store the accepted rows of ``result``; return the new entry's id.

        Parameters
        ----------
        result : zzgeo.imports.ImportResult
            From :func:`zzgeo.imports.import_file`.
        mode : {"add", "replace"}
            Add to the shipped sample, or replace it.
        who : str
            Who imports (an account name, ``cli:<user>``): recorded in the audit log.
        sha256 : str, optional
            Hex SHA-256 of the imported file; default ``result.sha256``.

        Raises
        ------
        WorkspaceFullError
            The workspace would grow past its size limit.
        """
        if mode not in MODES:
            raise UnknownKeyError("import mode", mode, MODES)
        if len(result.layer) == 0:
            raise DataError(f"{result.file}: no rows passed the checks; nothing to add")
        entry_id = uuid.uuid4().hex[:12]
        digest = sha256 or getattr(result, "sha256", None) or ""
        meta = {
            "id": entry_id,
            "kind": result.kind,
            "file": result.file,
            "imported_at": _now(),
            "rows_accepted": len(result.layer),
            "rows_rejected": len(result.rejected),
            "mode": mode,
            "crs": result.crs_name,
            "who": who,
            "sha256": digest,
            "origin": "file",
            "removed_at": "",
            "removed_by": "",
        }
        layer = result.layer.copy()
        layer["synthetic"] = layer["synthetic"] if "synthetic" in layer.columns else False
        action = "replace" if mode == "replace" else "import"
        self._change(
            lambda layers: self._insert(layers, meta, layer),
            action=action,
            who=who,
            entry=meta,
            grows=True,
            activates=True,
        )
        logger.info(
            "workspace %s: %s %s (%d rows) from %s by %s", self.path, action, entry_id, len(layer), result.file, who
        )
        return entry_id

    def add_proposals(self, proposals: gpd.GeoDataFrame, *, who: str = "unknown") -> str:
        """Store accepted what-if proposals (from :mod:`zzgeo.planning`) as one batch; return its id.

        Site ids that an earlier batch already uses (two colleagues' ``PROP-0001``) are
        renumbered after the highest stored one; :meth:`accepted_proposals` gives the ids kept.

        Raises
        ------
        DataError
            No proposals, or not point proposals of 5G sites.
        WorkspaceFullError
            The workspace would grow past its size limit.
        """
        from zzgeo.planning import PROPOSAL_PREFIX, make_proposals

        if proposals is None or len(proposals) == 0:
            raise DataError.of(Text(en="there are no proposals to accept", zh="没有可采纳的方案站点"))
        if not (proposals.geom_type == "Point").all() or "site_id" not in proposals.columns:
            raise DataError.of(
                Text(en="proposals must be 5G site points with a site_id", zh="方案必须是带站号的 5G 站点")
            )
        template = make_proposals([], [], year=None)
        rows = proposals.to_crs("EPSG:4326") if proposals.crs is not None else proposals.set_crs("EPSG:4326")
        rows = gpd.GeoDataFrame(rows.reindex(columns=[*template.columns]), geometry="geometry", crs="EPSG:4326")
        rows = _typed_proposals(rows)
        entry_id = uuid.uuid4().hex[:12]
        meta = {
            "id": entry_id,
            "kind": "5g_sites",
            "file": _PROPOSALS_FILE,
            "imported_at": _now(),
            "rows_accepted": len(rows),
            "rows_rejected": 0,
            "mode": "add",
            "crs": "WGS-84",
            "who": who,
            "sha256": "",
            "origin": "proposals",
            "removed_at": "",
            "removed_by": "",
        }

        def insert(layers: dict[str, pd.DataFrame]) -> None:
            meta_table = _with_defaults(layers.get(_META, pd.DataFrame(columns=_STORED)))
            taken: set[str] = set()
            for other in meta_table[(meta_table["origin"] == "proposals")]["id"]:
                for prefix in ("import_", "removed_"):
                    stored = layers.get(f"{prefix}{other}")
                    if stored is not None:
                        taken |= set(stored["site_id"].astype("str"))
            ids = list(rows["site_id"].astype("str"))
            numbers = [int(i[len(PROPOSAL_PREFIX) :]) for i in taken | set(ids) if _is_prop(i, PROPOSAL_PREFIX)]
            next_number = max(numbers, default=0) + 1
            seen: set[str] = set()
            for i, site in enumerate(ids):
                if site in taken or site in seen:
                    ids[i] = f"{PROPOSAL_PREFIX}{next_number:04d}"
                    next_number += 1
                seen.add(ids[i])
            rows["site_id"] = pd.array(ids, dtype="str")
            self._insert(layers, meta, rows)

        self._change(insert, action="accept_proposals", who=who, entry=meta, grows=True, activates=True)
        logger.info("workspace %s: %d proposals accepted as %s by %s", self.path, len(rows), entry_id, who)
        return entry_id

    def remove(self, entry_id: str, *, who: str = "unknown") -> None:
        """Remove import (or proposals batch) ``entry_id``; an admin can :meth:`revert` it until :meth:`purge`."""
        holder: dict[str, object] = {}

        def drop(layers: dict[str, pd.DataFrame]) -> None:
            meta = _with_defaults(layers.get(_META, pd.DataFrame(columns=_STORED)))
            active = meta[meta["removed_at"].fillna("").astype("str") == ""]
            if entry_id not in set(active["id"]):
                raise UnknownKeyError("workspace entry", entry_id, list(active[active["origin"] == "file"]["id"]))
            row = meta["id"] == entry_id
            holder.update({str(k): v for k, v in meta[row].iloc[0].to_dict().items()})
            meta.loc[row, "removed_at"] = _now()
            meta.loc[row, "removed_by"] = who
            layers[_META] = meta
            if f"import_{entry_id}" in layers:
                layers[f"removed_{entry_id}"] = layers.pop(f"import_{entry_id}")

        def action(entry: dict[str, object]) -> str:
            return "remove_proposals" if entry.get("origin") == "proposals" else "remove"

        self._change(drop, action=action, who=who, entry=holder, activates=False)
        logger.info("workspace %s: removed %s by %s", self.path, entry_id, who)

    def revert(self, seq: int, *, who: str = "unknown") -> str:
        """Undo the change recorded as ``seq`` in :meth:`log` (an admin's action); return what was done.

        An import, replace or accepted batch is removed again; a removed import or batch
        comes back (unless purged). The revert itself is logged (``revert``, detail
        ``"reverts #<seq>"``).

        Raises
        ------
        DataError
            ``seq`` is not in the log, is not a change that can be undone, or was undone already.
        """
        log = self.log()
        match = log[log["seq"] == seq]
        if match.empty:
            raise DataError.of(Text(en=f"no change #{seq} in the workspace log", zh=f"工作区日志中没有第 {seq} 条更改"))
        record = match.iloc[0].to_dict()
        if record["action"] not in REVERTIBLE:
            raise DataError.of(
                Text(
                    en=f"change #{seq} ({record['action']}) cannot be reverted; "
                    f"reverted can be: {', '.join(REVERTIBLE)}",
                    zh=f"第 {seq} 条更改（{record['action']}）不能撤销；可撤销：{', '.join(REVERTIBLE)}",
                )
            )
        entry_id = str(record["entry_id"])
        undo_add = record["action"] in ("import", "replace", "accept_proposals")
        holder: dict[str, object] = {}

        def apply(layers: dict[str, pd.DataFrame]) -> None:
            meta = _with_defaults(layers.get(_META, pd.DataFrame(columns=_STORED)))
            row = meta["id"] == entry_id
            removed = bool(row.any()) and str(meta.loc[row, "removed_at"].iloc[0] or "") != ""
            if not row.any() or (undo_add and removed) or (not undo_add and not removed):
                raise DataError.of(
                    Text(en=f"change #{seq} was undone already", zh=f"第 {seq} 条更改已经撤销"),
                )
            if not undo_add and f"removed_{entry_id}" not in layers:
                raise DataError.of(
                    Text(
                        en=f"change #{seq} cannot be reverted: the rows were purged",
                        zh=f"第 {seq} 条更改无法撤销：数据已被清除",
                    )
                )
            holder.update({str(k): v for k, v in meta[row].iloc[0].to_dict().items()})
            if undo_add:
                meta.loc[row, "removed_at"] = _now()
                meta.loc[row, "removed_by"] = who
                layers[f"removed_{entry_id}"] = layers.pop(f"import_{entry_id}")
            else:
                meta.loc[row, "removed_at"] = ""
                meta.loc[row, "removed_by"] = ""
                layers[f"import_{entry_id}"] = layers.pop(f"removed_{entry_id}")
            layers[_META] = meta

        self._change(
            apply,
            action="revert",
            who=who,
            entry=holder,
            detail=f"reverts #{seq}",
            grows=not undo_add,
            activates=not undo_add,
        )
        done = "removed" if undo_add else "restored"
        logger.info("workspace %s: change #%d reverted (%s %s) by %s", self.path, seq, done, entry_id, who)
        return f"{done} {entry_id}"

    def purge(self, *, who: str = "unknown") -> int:
        """Drop the kept rows of removed entries for good (they can no longer be reverted); return how many."""
        count = {"n": 0}

        def drop(layers: dict[str, pd.DataFrame]) -> None:
            gone = [name for name in layers if name.startswith("removed_")]
            for name in gone:
                del layers[name]
            count["n"] = len(gone)

        self._change(drop, action="purge", who=who, entry={}, detail_of=lambda: f"{count['n']} removed entries")
        return count["n"]

    # -- internals -----------------------------------------------------------------------

    @staticmethod
    def _insert(layers: dict[str, pd.DataFrame], meta: dict[str, object], rows: pd.DataFrame) -> None:
        layers[f"import_{meta['id']}"] = rows
        entries = layers.get(_META)
        new_meta = pd.DataFrame([meta])
        layers[_META] = (
            new_meta if entries is None else pd.concat([_with_defaults(entries), new_meta], ignore_index=True)
        )

    def _count(self, meta: pd.DataFrame, kind: str) -> int:
        meta = _with_defaults(meta)
        active = meta[(meta["removed_at"].fillna("").astype("str") == "") & (meta["kind"] == kind)]
        replaced = ((active["mode"] == "replace") & (active["origin"] == "file")).any()
        sample = 0 if replaced else self._sample_count(kind)
        return sample + int(pd.to_numeric(active["rows_accepted"]).sum())

    @staticmethod
    def _sample_count(kind: str) -> int:
        path = get_settings().layers_dir / f"{kind}.geojson"
        return _sample_count_of(str(path), workspace_stamp(path))

    def _change(
        self,
        apply: Callable[[dict[str, pd.DataFrame]], None],
        *,
        action: str | Callable[[dict[str, object]], str],
        who: str,
        entry: dict[str, object],
        detail: str = "",
        detail_of: Callable[[], str] | None = None,
        grows: bool = False,
        activates: bool | None = None,
    ) -> None:
        """Read everything, ``apply`` the change, log it, write, check the size, rename into place."""
        with self._transaction() as (current, tmp):
            layers = self._read_all(current)
            before_meta = layers.get(_META, pd.DataFrame(columns=_STORED))
            apply(layers)
            after_meta = layers.get(_META, pd.DataFrame(columns=_STORED))
            kind = str(entry.get("kind") or "")
            before = self._count(before_meta, kind) if kind else 0
            after = self._count(after_meta, kind) if kind else 0
            name = action(entry) if callable(action) else action
            rows = int(str(entry.get("rows_accepted") or 0))
            added, removed = _added_removed(before, after, rows, activates)
            log = layers.get(_LOG)
            seq = 1 if log is None or log.empty else int(pd.to_numeric(log["seq"]).max()) + 1
            record = {
                "seq": seq,
                "at": _now("milliseconds"),  # orders it among the account log's records
                "who": who,
                "action": name,
                "entry_id": str(entry.get("id") or ""),
                "kind": kind,
                "file": str(entry.get("file") or ""),
                "sha256": str(entry.get("sha256") or ""),
                "rows_added": added,
                "rows_removed": removed,
                "count_before": before,
                "count_after": after,
                "detail": detail_of() if detail_of else detail,
            }
            new_log = pd.DataFrame([record])
            layers[_LOG] = new_log if log is None or log.empty else pd.concat([log, new_log], ignore_index=True)
            self._write_all(layers, tmp)
            size = tmp.stat().st_size
            old = current.stat().st_size if current is not None else 0
            if grows and size > self.max_bytes and size > old:
                raise WorkspaceFullError.of(
                    Text(
                        en=f"the workspace would grow to {_mb(size)} MB, over its limit of {_mb(self.max_bytes)} MB "
                        "(ZZGEO_WORKSPACE_MAX_MB): remove imports you no longer need (then `zzgeo workspace purge`) "
                        "or raise the limit",
                        zh=f"工作区将增大到 {_mb(size)} MB，超过 {_mb(self.max_bytes)} MB 的上限"
                        "（ZZGEO_WORKSPACE_MAX_MB）：请删除不再需要的导入（再运行 `zzgeo workspace purge`）或提高上限",
                    )
                )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[tuple[Path | None, Path]]:
        """Hold the workspace lock; yield (current file or None, temp path); then replace."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _THREAD_LOCK, open(self.lock_path, "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            fd, name = tempfile.mkstemp(prefix=f".{self.path.stem}.", suffix=".gpkg", dir=self.path.parent)
            os.close(fd)
            tmp = Path(name)
            tmp.unlink()
            try:
                yield (self.path if self.path.exists() else None), tmp
                _fsync(tmp)
                os.replace(tmp, self.path)
                _fsync(self.path.parent)
            finally:
                for leftover in (tmp, *_sidecars(tmp)):
                    if leftover.exists():
                        leftover.unlink()
                fcntl.flock(lock, fcntl.LOCK_UN)

    @property
    def lock_path(self) -> Path:
        """The lock file beside the workspace (writers hold it while they write)."""
        return self.path.with_name(self.path.name + ".lock")

    def clean_leftovers(self) -> list[Path]:
        """Delete temporary files that a writer killed mid-write left beside the workspace.

        Taken under the workspace lock: a temporary file is only ever made under it, so any
        found then belongs to a dead writer. Returns the files deleted.
        """
        folder = self.path.parent
        if not folder.is_dir():
            return []
        removed: list[Path] = []
        with _THREAD_LOCK, open(self.lock_path, "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                for path in folder.glob(f".{self.path.stem}.*.gpkg*"):
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                        removed.append(path)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        if removed:
            logger.warning("removed %d temporary file(s) a crashed write left beside %s", len(removed), self.path)
        return removed

    @staticmethod
    def _read_all(path: Path | None) -> dict[str, pd.DataFrame]:
        if path is None:
            return {}
        out: dict[str, pd.DataFrame] = {}
        for name, geometry_type in pyogrio.list_layers(path):
            if geometry_type is None:
                out[str(name)] = pd.DataFrame(pyogrio.read_dataframe(path, layer=name, read_geometry=False))
            else:
                out[str(name)] = gpd.read_file(path, layer=name, engine="pyogrio")
        return out

    @staticmethod
    def _write_all(layers: dict[str, pd.DataFrame], path: Path) -> None:
        # The metadata table goes first so that a reader always finds it.
        order = [_META, _LOG, *sorted(k for k in layers if k not in (_META, _LOG))]
        for name in order:
            if name in layers:
                pyogrio.write_dataframe(layers[name], path, layer=name, driver="GPKG", append=False)


def _is_prop(site_id: str, prefix: str) -> bool:
    return site_id.startswith(prefix) and site_id[len(prefix) :].isdigit()


def _added_removed(before: int, after: int, rows: int, activates: bool | None) -> tuple[int, int]:
    """Rows that came into and left the layer: the entry's own rows, plus a sample shown or hidden."""
    entry_delta = 0 if activates is None else (rows if activates else -rows)
    sample_delta = (after - before) - entry_delta
    added = (rows if activates else 0) + max(sample_delta, 0)
    removed = (rows if activates is False else 0) + max(-sample_delta, 0)
    return added, removed


def _with_defaults(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for column, default in _DEFAULTS.items():
        if column not in out.columns:
            out[column] = default
        out[column] = out[column].fillna(default).astype("str")
    for column in _STORED:
        if column not in out.columns:
            out[column] = pd.Series([None] * len(out), dtype="object")
    return out[_STORED]


def _typed_proposals(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Stored proposals typed as :func:`zzgeo.planning.make_proposals` gives them."""
    from zzgeo.indicators import ASSIGNED_COLUMN
    from zzgeo.planning import PROPOSAL_SOURCE

    n = len(gdf)

    def text(column: str, default: str | None = None) -> pd.api.extensions.ExtensionArray:
        values = gdf[column] if column in gdf.columns else pd.Series([default] * n, index=gdf.index)
        return pd.array([None if pd.isna(v) else str(v) for v in values], dtype="str")

    years = gdf["year_in_service"] if "year_in_service" in gdf.columns else pd.Series([None] * n)
    return gpd.GeoDataFrame(
        {
            "site_id": text("site_id"),
            "operator": text("operator", "China Mobile"),
            "band": text("band"),
            "status": pd.array(["planned"] * n, dtype="str"),
            "year_in_service": pd.array(pd.to_numeric(years, errors="coerce").to_numpy(), dtype="Int64"),
            "synthetic": pd.array([False] * n, dtype="boolean"),
            "source": pd.array([PROPOSAL_SOURCE] * n, dtype="str"),
            "proposed": pd.array([True] * n, dtype="boolean"),
            ASSIGNED_COLUMN: text(ASSIGNED_COLUMN),
        },
        geometry=np.asarray(gdf.geometry.to_numpy()),
        crs="EPSG:4326",
    )


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm")]


def _fsync(path: Path) -> None:
    """Flush ``path`` (a file or a folder) to disk: a rename is durable only after both are."""
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
