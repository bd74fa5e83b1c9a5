"""zzgeo.plan: the action plan's 29 tasks and its year-by-year targets."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from zzgeo.errors import DataError
from zzgeo.layers import LAYER_KINDS
from zzgeo.plan import PLAN_PARTS, Target, load_targets, load_tasks, target_for

TARGET_HEADER = "indicator,year,value,unit,status,source\n"


@pytest.fixture(scope="module")
def tasks() -> pd.DataFrame:
    return load_tasks()


@pytest.fixture(scope="module")
def targets() -> pd.DataFrame:
    return load_targets()


def _write_targets(path: Path, rows: list[str], header: str = TARGET_HEADER) -> Path:
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


# --- tasks -----------------------------------------------------------------------------------


def test_29_tasks_in_three_parts(tasks) -> None:
    assert len(tasks) == 29
    assert tasks["part"].value_counts().to_dict() == {"five_new": 12, "integration": 15, "innovation": 2}
    assert set(tasks["part"]) == set(PLAN_PARTS)
    assert sorted(tasks["number"]) == list(range(1, 30))


def test_task_keys_are_unique_and_named(tasks) -> None:
    assert tasks["key"].is_unique
    assert tasks["key"].str.fullmatch(r"[a-z0-9_]+").all()
    for col in ("group_zh", "group_en", "name_zh", "name_en"):
        assert tasks[col].notna().all(), col
        assert (tasks[col].str.strip() != "").all(), col
    assert tasks["name_zh"].is_unique
    assert tasks["name_en"].is_unique


def test_task_keys_match_the_smart_projects_registry(tasks) -> None:
    allowed = LAYER_KINDS["smart_projects"].column("plan_task").allowed
    assert len(allowed) == len(set(allowed)) == 29
    assert set(tasks["key"]) == set(allowed)


def test_plan_parts_have_titles() -> None:
    for key, name in PLAN_PARTS.items():
        assert name.zh, key
        assert name.en, key


def test_load_tasks_returns_a_copy(tasks) -> None:
    first = load_tasks()
    first.loc[0, "key"] = "changed"
    assert load_tasks()["key"].iloc[0] == tasks["key"].iloc[0] != "changed"


# --- targets ---------------------------------------------------------------------------------


def test_shipped_5g_targets(targets) -> None:
    five_g = targets[targets["indicator"] == "5g_per_10k"].set_index("year")
    assert float(five_g.loc[2025, "value"]) == 30
    assert five_g.loc[2025, "status"] == "plan"
    assert five_g.loc[2023, "status"] == "assumption"
    assert five_g.loc[2024, "status"] == "assumption"
    # the assumed path rises towards the plan target
    assert five_g.loc[2023, "value"] < five_g.loc[2024, "value"] < five_g.loc[2025, "value"]


def test_shipped_targets_are_labelled(targets) -> None:
    assert set(targets["status"]) <= {"plan", "assumption"}
    assert targets["source"].str.strip().str.len().gt(10).all()
    assert targets["unit"].notna().all()
    assert not targets.duplicated(["indicator", "year"]).any()


def test_target_for() -> None:
    target = target_for("5g_per_10k", 2025)
    assert isinstance(target, Target)
    assert target.value == 30.0
    assert target.year == 2025
    assert isinstance(target.year, int)
    assert target.status == "plan"
    assert target.indicator == "5g_per_10k"
    assert "10000" in target.unit or "10,000" in target.unit
    assert target_for("5g_per_10k", 2024).status == "assumption"
    with pytest.raises(dataclasses.FrozenInstanceError):
        target.value = 1.0  # type: ignore[misc]


def test_target_for_missing_year_or_indicator_is_none() -> None:
    assert target_for("5g_per_10k", 2019) is None
    assert target_for("5g_per_10k", 2030) is None
    assert target_for("no_such_indicator", 2025) is None


def test_target_for_with_custom_table() -> None:
    table = pd.DataFrame(
        {
            "indicator": ["x", "x"],
            "year": [2024, 2025],
            "value": [float("nan"), 7.5],
            "unit": ["u", "u"],
            "status": ["plan", "plan"],
            "source": ["s", "s"],
        }
    )
    assert target_for("x", 2024, table) is None  # a blank value sets no target
    assert target_for("x", 2025, table) == Target("x", 2025, 7.5, "u", "plan", "s")


def test_custom_targets_csv(tmp_path) -> None:
    path = _write_targets(
        tmp_path / "targets.csv",
        ["5g_per_10k,2025,33,stations per 10000,plan,厦门 target", "gigabit_coverage,2025,90,%,plan,seed"],
    )
    table = load_targets(path)
    assert len(table) == 2
    assert target_for("5g_per_10k", 2025, table).value == 33
    assert target_for("5g_per_10k", 2025, table).source == "厦门 target"
    assert target_for("gigabit_coverage", 2025, load_targets(str(path))).value == 90
    assert target_for("5g_per_10k", 2023, table) is None


def test_targets_from_env(fresh_settings, tmp_path) -> None:
    path = _write_targets(tmp_path / "env_targets.csv", ["5g_per_10k,2025,40,per 10000,plan,test"])
    fresh_settings.setenv("ZZGEO_TARGETS", str(path))
    assert load_targets()["value"].tolist() == [40]
    assert target_for("5g_per_10k", 2025).value == 40


def test_targets_missing_column(tmp_path) -> None:
    path = _write_targets(
        tmp_path / "t.csv", ["5g_per_10k,2025,30,plan,src"], header="indicator,year,value,status,source\n"
    )
    with pytest.raises(DataError) as info:
        load_targets(path)
    message = str(info.value)
    assert "t.csv" in message
    assert "missing column(s) unit" in message


def test_targets_non_numeric_value(tmp_path) -> None:
    path = _write_targets(
        tmp_path / "t.csv",
        ["5g_per_10k,2024,25,per 10000,assumption,x", "5g_per_10k,2025,thirty,per 10000,plan,x"],
    )
    with pytest.raises(DataError) as info:
        load_targets(path)
    message = str(info.value)
    assert "t.csv" in message
    assert "row 2" in message
    assert "column value" in message
    assert "'thirty'" in message


def test_targets_missing_file(tmp_path) -> None:
    with pytest.raises(DataError, match=re.escape("nothere.csv")):
        load_targets(tmp_path / "nothere.csv")


def test_load_targets_returns_a_copy(targets) -> None:
    first = load_targets()
    first["value"] = 0
    assert load_targets()["value"].tolist() == targets["value"].tolist()
    assert target_for("5g_per_10k", 2025).value == 30


def test_blank_target_value_means_no_target(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "targets.csv"
    path.write_text(
        "indicator,year,value,unit,status,source\n5g_per_10k,2024,,u,assumption,s\n5g_per_10k,2025,30,u,plan,s\n",
        encoding="utf-8",
    )
    table = load_targets(path)
    assert target_for("5g_per_10k", 2024, table) is None
    assert target_for("5g_per_10k", 2025, table).value == 30  # type: ignore[union-attr]
