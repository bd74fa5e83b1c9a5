"""The action plan: its 29 tasks and its year-by-year targets.

Both live in editable CSV files in ``geodata/`` (``plan_tasks.csv``, ``plan_targets.csv``)
so that officials can correct them without touching code. Each target row says whether
it comes from the plan (``status == "plan"``) or is an assumption of ours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from zzgeo.errors import DataError
from zzgeo.messages import Text
from zzgeo.settings import get_settings

__all__ = ["PLAN_PARTS", "Target", "load_targets", "load_tasks", "target_for"]

#: part key -> name
PLAN_PARTS = {
    "five_new": Text(zh="“五新”基础设施", en='"Five new" infrastructure'),
    "integration": Text(zh="融合基础设施", en="Integration infrastructure"),
    "innovation": Text(zh="创新基础设施", en="Innovation infrastructure"),
}

_TARGET_COLUMNS = ["indicator", "year", "value", "unit", "status", "source"]


@dataclass(frozen=True)
class Target:
    """One plan target: ``value`` (in ``unit``) for ``indicator`` in ``year``."""

    indicator: str
    year: int
    value: float
    unit: str
    status: str  # "plan" (from the plan) or "assumption" (ours, not published)
    source: str


@cache
def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype={"key": str, "indicator": str})
    except FileNotFoundError as exc:
        raise DataError(f"plan file not found: {path}") from exc


def load_tasks(path: str | Path | None = None) -> pd.DataFrame:
    """The 29 tasks of the action plan: key, number, part, group_zh/en, name_zh/en."""
    path = Path(path) if path else get_settings().geodata_dir / "plan_tasks.csv"
    return _read_csv(path).copy()


def load_targets(path: str | Path | None = None) -> pd.DataFrame:
    """Plan targets (indicator, year, value, unit, status, source) from a CSV file.

    Default: ``ZZGEO_TARGETS`` or ``geodata/plan_targets.csv``.
    """
    settings = get_settings()
    path = Path(path) if path else settings.targets_path or settings.geodata_dir / "plan_targets.csv"
    table = _read_csv(Path(path))
    missing = [c for c in _TARGET_COLUMNS if c not in table.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(_TARGET_COLUMNS)}")
    # A blank value means "no target that year"; text that is not a number is an error.
    bad = table[pd.to_numeric(table["value"], errors="coerce").isna() & table["value"].notna()]
    if len(bad):
        row = int(bad.index[0]) + 1
        raise DataError(f"{path}: row {row}, column value: {bad['value'].iloc[0]!r} is not a number")
    return table.copy()


def target_for(indicator: str, year: int, targets: pd.DataFrame | None = None) -> Target | None:
    """The target for ``indicator`` in ``year``, or None if the plan sets none that year."""
    table = load_targets() if targets is None else targets
    rows = table[(table["indicator"] == indicator) & (table["year"] == year)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    value = float(row["value"])
    if math.isnan(value):
        return None
    return Target(indicator, int(row["year"]), value, str(row["unit"]), str(row["status"]), str(row["source"]))
