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
