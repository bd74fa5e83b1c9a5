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

    @property
    def geodata_dir(self) -> Path:
        """Folder of base geography (districts, population, plan targets)."""
        return self.data_dir / "geodata"

    @property
    def layers_dir(self) -> Path:
        """Folder of the shipped infrastructure layers (synthetic samples)."""
        return self.data_dir / "layers"

    @classmethod
    def from_env(cls) -> Settings:
        """Read the settings from ``ZZGEO_*`` environment variables."""
        return cls(
            data_dir=_env_path("ZZGEO_DATA_DIR") or _default_data_dir(),
            targets_path=_env_path("ZZGEO_TARGETS"),
            population_path=_env_path("ZZGEO_POPULATION"),
            tianditu_token=os.environ.get("ZZGEO_TIANDITU_TOKEN") or None,
        )


@cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings.from_env()
