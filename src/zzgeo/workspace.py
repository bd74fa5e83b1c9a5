"""The workspace: imported layers kept in one GeoPackage (no server needed).

Each import is a layer ``import_<id>`` in the GeoPackage plus a row of the attribute table
``zzgeo_imports`` (id, kind, file, time, rows accepted/rejected, mode, CRS). Every change
rewrites the GeoPackage into a temporary file beside it and renames it over the old one,
under an exclusive lock: a crash mid-write leaves the previous workspace intact, and two
writers (two browser tabs, the app and the CLI) take turns instead of corrupting it.

``mode`` says how an import combines with the shipped sample of its kind: ``"add"``
(sample + imports) or ``"replace"`` (imports only: the sample is hidden while any
replacing import of that kind exists).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from zzgeo.errors import DataError, UnknownKeyError
from zzgeo.imports import ImportResult
from zzgeo.layers import coerce_columns, get_spec, load_layer
from zzgeo.settings import get_settings

__all__ = ["MODES", "Workspace"]

logger = logging.getLogger(__name__)

MODES = ("add", "replace")
_META = "zzgeo_imports"
_META_COLUMNS = ["id", "kind", "file", "imported_at", "rows_accepted", "rows_rejected", "mode", "crs"]
_THREAD_LOCK = threading.Lock()


class Workspace:
    """Imported layers stored in the GeoPackage at ``path`` (default: settings)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else get_settings().workspace_path

    # -- reading -------------------------------------------------------------------------

    def entries(self) -> pd.DataFrame:
        """The imports, oldest first: id, kind, file, imported_at, rows_*, mode, crs."""
        if not self.path.exists():
            return pd.DataFrame({c: pd.Series(dtype="object") for c in _META_COLUMNS})
        try:
            table = pyogrio.read_dataframe(self.path, layer=_META, read_geometry=False)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise DataError(f"workspace {self.path} is not a zzgeo workspace ({exc})") from exc
        return pd.DataFrame(table)[_META_COLUMNS].sort_values("imported_at", kind="stable").reset_index(drop=True)

    def load(self, entry_id: str) -> gpd.GeoDataFrame:
        """The features of import ``entry_id`` (typed per its kind, EPSG:4326)."""
        entries = self.entries()
        row = entries[entries["id"] == entry_id]
        if row.empty:
            raise UnknownKeyError("workspace entry", entry_id, list(entries["id"]))
        gdf = gpd.read_file(self.path, layer=f"import_{entry_id}", engine="pyogrio")
        return coerce_columns(gdf, get_spec(str(row["kind"].iloc[0])))

    def layer(self, kind: str, include_sample: bool = True) -> gpd.GeoDataFrame:
        """The layer of ``kind`` the app and the indicators use.

        The shipped sample (unless an import of ``kind`` replaces it or
        ``include_sample`` is False) followed by every import of ``kind``, with a
        ``source`` column naming where each row came from.
        """
        get_spec(kind)
        entries = self.entries()
        mine = entries[entries["kind"] == kind]
        parts: list[gpd.GeoDataFrame] = []
        if include_sample and not (mine["mode"] == "replace").any():
            parts.append(load_layer(kind))
        for entry_id, file in zip(mine["id"], mine["file"], strict=True):
            part = self.load(str(entry_id))
            part["source"] = f"import: {file}"
            parts.append(part)
        if not parts:
            return coerce_columns(load_layer(kind).iloc[0:0], get_spec(kind))
        combined = pd.concat(parts, ignore_index=True)
        return gpd.GeoDataFrame(combined, geometry="geometry", crs="EPSG:4326")

    # -- writing -------------------------------------------------------------------------

    def add(self, result: ImportResult, mode: str = "add") -> str:
        """Store the accepted rows of ``result``; return the new entry's id."""
        if mode not in MODES:
            raise UnknownKeyError("import mode", mode, MODES)
        if len(result.layer) == 0:
            raise DataError(f"{result.file}: no rows passed the checks; nothing to add")
        entry_id = uuid.uuid4().hex[:12]
        meta = {
            "id": entry_id,
            "kind": result.kind,
            "file": result.file,
            "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "rows_accepted": len(result.layer),
            "rows_rejected": len(result.rejected),
            "mode": mode,
            "crs": result.crs_name,
        }
        layer = result.layer.copy()
        layer["synthetic"] = layer["synthetic"] if "synthetic" in layer.columns else False
        with self._transaction() as (current, tmp):
            layers = self._read_all(current)
            layers[f"import_{entry_id}"] = layer
            entries = layers.get(_META)
            new_meta = pd.DataFrame([meta])
            layers[_META] = new_meta if entries is None else pd.concat([entries, new_meta], ignore_index=True)
            self._write_all(layers, tmp)
        logger.info("workspace %s: added %s (%d rows) from %s", self.path, entry_id, len(layer), result.file)
        return entry_id

    def remove(self, entry_id: str) -> None:
        """Remove import ``entry_id``."""
        with self._transaction() as (current, tmp):
            layers = self._read_all(current)
            meta = layers.get(_META)
            if meta is None or entry_id not in set(meta["id"]):
                known = [] if meta is None else list(meta["id"])
                raise UnknownKeyError("workspace entry", entry_id, known)
            layers[_META] = meta[meta["id"] != entry_id].reset_index(drop=True)
            layers.pop(f"import_{entry_id}", None)
            self._write_all(layers, tmp)

    # -- internals -----------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[tuple[Path | None, Path]]:
        """Hold the workspace lock; yield (current file or None, temp path); then replace."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with _THREAD_LOCK, open(lock_path, "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            fd, name = tempfile.mkstemp(prefix=f".{self.path.stem}.", suffix=".gpkg", dir=self.path.parent)
            os.close(fd)
            tmp = Path(name)
            tmp.unlink()
            try:
                yield (self.path if self.path.exists() else None), tmp
                os.replace(tmp, self.path)
            finally:
                if tmp.exists():
                    tmp.unlink()
                fcntl.flock(lock, fcntl.LOCK_UN)

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
        order = [_META, *sorted(k for k in layers if k != _META)]
        for name in order:
            if name in layers:
                pyogrio.write_dataframe(layers[name], path, layer=name, driver="GPKG", append=False)
