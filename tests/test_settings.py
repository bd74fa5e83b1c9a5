"""zzgeo.settings: environment variables read into a frozen dataclass."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from zzgeo.settings import Settings, get_settings


def test_defaults_without_environment(fresh_settings) -> None:
    settings = Settings.from_env()
    assert settings.targets_path is None
    assert settings.population_path is None
    assert settings.tianditu_token is None
    assert settings.geodata_dir == settings.data_dir / "geodata"
    assert settings.layers_dir == settings.data_dir / "layers"
    assert settings == Settings()


def test_default_data_dir_holds_the_shipped_geodata(fresh_settings) -> None:
    geodata = Settings.from_env().geodata_dir
    for name in ("zhangzhou_districts.geojson", "zhangzhou_districts_display.geojson", "population_2020.csv"):
        assert (geodata / name).is_file(), name
    assert (geodata / "plan_targets.csv").is_file()


def test_environment_variables_are_read(fresh_settings, tmp_path) -> None:
    fresh_settings.setenv("ZZGEO_DATA_DIR", str(tmp_path))
    fresh_settings.setenv("ZZGEO_TARGETS", str(tmp_path / "targets.csv"))
    fresh_settings.setenv("ZZGEO_POPULATION", str(tmp_path / "pop.csv"))
    fresh_settings.setenv("ZZGEO_TIANDITU_TOKEN", "abc123")
    settings = Settings.from_env()
    assert settings.data_dir == tmp_path
    assert settings.geodata_dir == tmp_path / "geodata"
    assert settings.layers_dir == tmp_path / "layers"
    assert settings.targets_path == tmp_path / "targets.csv"
    assert settings.population_path == tmp_path / "pop.csv"
    assert settings.tianditu_token == "abc123"
    assert isinstance(settings.data_dir, Path)


def test_blank_variables_mean_unset(fresh_settings) -> None:
    for name in ("ZZGEO_DATA_DIR", "ZZGEO_TARGETS", "ZZGEO_POPULATION", "ZZGEO_TIANDITU_TOKEN"):
        fresh_settings.setenv(name, "")
    fresh_settings.setenv("ZZGEO_TARGETS", "   ")
    assert Settings.from_env() == Settings()


def test_home_is_expanded(fresh_settings, tmp_path) -> None:
    fresh_settings.setenv("HOME", str(tmp_path))
    fresh_settings.setenv("ZZGEO_POPULATION", "~/pop.csv")
    fresh_settings.setenv("ZZGEO_DATA_DIR", " ~/zzdata ")
    settings = Settings.from_env()
    assert settings.population_path == tmp_path / "pop.csv"
    assert settings.data_dir == tmp_path / "zzdata"


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.tianditu_token = "x"  # type: ignore[misc]


def test_get_settings_is_cached_until_cleared(fresh_settings, tmp_path) -> None:
    first = get_settings()
    assert get_settings() is first
    fresh_settings.setenv("ZZGEO_TIANDITU_TOKEN", "new-token")
    assert get_settings().tianditu_token is None  # read once
    get_settings.cache_clear()
    assert get_settings().tianditu_token == "new-token"


def test_limit_and_job_settings_are_read_and_documented(fresh_settings) -> None:
    import zzgeo.settings as module
    from zzgeo.jobs import JobLimits

    values = {
        "ZZGEO_MAX_COLUMNS": ("50", "max_columns", 50),
        "ZZGEO_MAX_CELL_CHARS": ("1_000", "max_cell_chars", 1000),
        "ZZGEO_MAX_ROWS": ("2,000,000", "max_rows", 2_000_000),
        "ZZGEO_MAX_XLSX_ROWS": ("1000", "max_xlsx_rows", 1000),
        "ZZGEO_MAX_LAYERS": ("3", "max_layers", 3),
        "ZZGEO_MAX_JSON_DEPTH": ("20", "max_json_depth", 20),
        "ZZGEO_MAX_UNPACKED_MB": ("12.5", "max_unpacked_mb", 12.5),
        "ZZGEO_JOB_TIME_S": ("30", "job_time_s", 30.0),
        "ZZGEO_JOB_MEMORY_MB": ("1024", "job_memory_mb", 1024.0),
        "ZZGEO_JOBS_PER_USER": ("1", "jobs_per_user", 1),
        "ZZGEO_JOBS_TOTAL": ("3", "jobs_total", 3),
        "ZZGEO_JOB_TTL_S": ("60", "job_ttl_s", 60.0),
    }
    for name, (text, _, _) in values.items():
        fresh_settings.setenv(name, text)
        assert name in (module.__doc__ or "")
    settings = get_settings()
    for _, field, expected in values.values():
        assert getattr(settings, field) == expected
    limits = JobLimits.from_settings()
    assert (limits.time_s, limits.memory_mb, limits.max_rows, limits.max_xlsx_rows) == (30.0, 1024.0, 2_000_000, 1000)
    fresh_settings.setenv("ZZGEO_MAX_COLUMNS", "many")
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="ZZGEO_MAX_COLUMNS='many' is not a whole number"):
        get_settings()
