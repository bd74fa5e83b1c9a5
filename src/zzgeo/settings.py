"""Settings, read once from the environment into a frozen dataclass.

=========================  =====================================================
variable                   meaning
=========================  =====================================================
``ZZGEO_DATA_DIR``         folder holding ``geodata/`` and ``layers/``; default:
                           the data shipped inside the package
``ZZGEO_TARGETS``          CSV of plan targets; default ``geodata/plan_targets.csv``
``ZZGEO_POPULATION``       CSV of resident population per adcode; default the
                           2020 census table ``geodata/population_2020.csv``
``ZZGEO_TIANDITU_TOKEN``   Tianditu (天地图) API token for the map's base layer;
                           unset hides that base layer
``ZZGEO_MAX_UPLOAD_MB``    largest file accepted for import, in MB (default 50)
``ZZGEO_WORKSPACE``        workspace GeoPackage of imported layers; default
                           ``~/.local/share/zzgeo/workspace.gpkg``
=========================  =====================================================
"""

from __future__ import annotations

import importlib.resources
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

__all__ = ["Settings", "get_settings"]


def _default_data_dir() -> Path:
    # src/zzgeo/_data holds links to the repository's geodata/ and layers/ (a wheel
    # carries copies), so one path works for editable and regular installs.
    return Path(str(importlib.resources.files("zzgeo") / "_data"))


def _default_workspace() -> Path:
    base = os.environ.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
    return Path(base) / "zzgeo" / "workspace.gpkg"


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a number") from None
    if number <= 0:
        raise ValueError(f"{name}={value!r} must be positive")
    return number


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


@dataclass(frozen=True)
class Settings:
    """zzgeo's settings; see the module docstring for the environment variables."""

    data_dir: Path = field(default_factory=_default_data_dir)
    targets_path: Path | None = None
    population_path: Path | None = None
    tianditu_token: str | None = None
    max_upload_mb: float = 50.0
    workspace_path: Path = field(default_factory=lambda: _default_workspace())

    @property
    def geodata_dir(self) -> Path:
        """Folder of base geography (districts, population, plan targets)."""
        return self.data_dir / "geodata"

    @property
    def layers_dir(self) -> Path:
        """Folder of the shipped infrastructure layers (synthetic samples)."""
        return self.data_dir / "layers"

    @property
    def max_upload_bytes(self) -> int:
        """The import size limit in bytes."""
        return int(self.max_upload_mb * 1_000_000)

    @classmethod
    def from_env(cls) -> Settings:
        """Read the settings from ``ZZGEO_*`` environment variables."""
        return cls(
            data_dir=_env_path("ZZGEO_DATA_DIR") or _default_data_dir(),
            targets_path=_env_path("ZZGEO_TARGETS"),
            population_path=_env_path("ZZGEO_POPULATION"),
            tianditu_token=os.environ.get("ZZGEO_TIANDITU_TOKEN") or None,
            max_upload_mb=_env_float("ZZGEO_MAX_UPLOAD_MB", 50.0),
            workspace_path=_env_path("ZZGEO_WORKSPACE") or _default_workspace(),
        )


@cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings.from_env()
