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
``ZZGEO_MAP_APPROVAL``     the map-approval line printed on every map sheet and
                           report (e.g. ``审图号：闽S〔2025〕123号``); default: a
                           line saying the map is illustrative, not an official
                           (standard) map, with no approval number
``ZZGEO_FONT``             TrueType font file (.ttf/.ttc) with Chinese glyphs for
                           maps and reports; default: the first one found among
                           WenQuanYi Micro/Zen Hei, Noto Sans SC, Source Han Sans,
                           SimHei, Microsoft YaHei (``fonts-wqy-microhei`` on Debian)
``ZZGEO_MAX_COLUMNS``      most columns a table may have (default 500)
``ZZGEO_MAX_CELL_CHARS``   most characters in one cell (default 10,000)
``ZZGEO_MAX_ROWS``         most rows an import job reads (default 5,000,000;
                           the CLI reads local files of any length)
``ZZGEO_MAX_XLSX_ROWS``    most rows an import job reads from an Excel workbook
                           (default 200,000: larger tables belong in CSV)
``ZZGEO_MAX_LAYERS``       most layers and views in a GeoPackage (default 100)
``ZZGEO_MAX_JSON_DEPTH``   deepest nesting of a GeoJSON file (default 64)
``ZZGEO_MAX_UNPACKED_MB``  largest size, in MB, that one member of an .xlsx or
                           .zip may unpack to (default 1000)
``ZZGEO_JOB_TIME_S``       wall-time limit of one import job, in s (default 600)
``ZZGEO_JOB_MEMORY_MB``    address-space limit of one import job, in MB
                           (default 4096)
``ZZGEO_JOBS_PER_USER``    import jobs one user may run at once (default 2)
``ZZGEO_JOBS_TOTAL``       import jobs running at once on the server (default 4)
``ZZGEO_JOB_TTL_S``        how long a finished job's folder is kept, in s
                           (default 3600)
``ZZGEO_WORKSPACE_MAX_MB`` largest size the workspace may grow to, in MB
                           (default 1000); a change that would pass it is refused
``ZZGEO_USERS``            accounts database (SQLite); default ``users.sqlite``
                           beside the workspace
``ZZGEO_SECRET_KEY``       key that signs the app's session cookies; default: a
                           random key kept in ``secret_key`` beside the accounts
                           database (made on first use, mode 0600); set it when
                           several machines serve one app
``ZZGEO_ANONYMOUS_VIEW``   1 (default): anyone who reaches the app may view and
                           export; 0: viewing needs an account too
``ZZGEO_SESSION_HOURS``    a signed-in session ends after this many hours
                           without a request (default 8)
``ZZGEO_TRUSTED_HOSTS``    comma-separated host names (``maps.example.gov.cn``,
                           ``.example.gov.cn`` for every subdomain, an IP) the app
                           answers to besides the loopback names; requests for
                           any other ``Host`` get 400, cross-site ``Origin`` 403
``ZZGEO_BEHIND_PROXY``     number of reverse proxies in front of the app whose
                           ``X-Forwarded-*`` headers are trusted (default 0)
``ZZGEO_BIND``             address the server listens on (``zzgeo serve`` sets
                           it); ``gunicorn app.wsgi:server`` without it assumes
                           other machines may reach it (no editing without an
                           editor account)
``ZZGEO_WORKERS``          worker processes of ``zzgeo serve`` (default: one per
                           CPU core, at least 2)
``ZZGEO_THREADS``          threads per worker (default 4)
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


def _env_int(name: str, default: int, minimum: int = 1) -> int:
    value = os.environ.get(name, "").strip().replace("_", "").replace(",", "")
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a whole number") from None
    if number < minimum:
        need = "must be positive" if minimum == 1 else f"must be at least {minimum}"
        raise ValueError(f"{name}={value!r} {need}")
    return number


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name}={value!r} is not a yes/no value (use 1 or 0)")


def _env_list(name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in os.environ.get(name, "").split(",") if part.strip())


def _default_workers() -> int:
    return max(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


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
    map_approval: str | None = None
    font_path: Path | None = None
    max_columns: int = 500
    max_cell_chars: int = 10_000
    max_rows: int = 5_000_000
    max_xlsx_rows: int = 200_000
    max_layers: int = 100
    max_json_depth: int = 64
    max_unpacked_mb: float = 1000.0
    job_time_s: float = 600.0
    job_memory_mb: float = 4096.0
    jobs_per_user: int = 2
    jobs_total: int = 4
    job_ttl_s: float = 3600.0
    workspace_max_mb: float = 1000.0
    users_path: Path | None = None  # default: users.sqlite beside the workspace
    secret_key: str | None = None
    anonymous_view: bool = True
    session_hours: float = 8.0
    trusted_hosts: tuple[str, ...] = ()
    behind_proxy: int = 0
    bind: str | None = None
    workers: int = field(default_factory=_default_workers)
    threads: int = 4

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

    @property
    def workspace_max_bytes(self) -> int:
        """The workspace size limit in bytes."""
        return int(self.workspace_max_mb * 1_000_000)

    @property
    def accounts_path(self) -> Path:
        """The accounts database (``ZZGEO_USERS``, else ``users.sqlite`` beside the workspace)."""
        return self.users_path or self.workspace_path.with_name("users.sqlite")

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
            map_approval=os.environ.get("ZZGEO_MAP_APPROVAL", "").strip() or None,
            font_path=_env_path("ZZGEO_FONT"),
            max_columns=_env_int("ZZGEO_MAX_COLUMNS", 500),
            max_cell_chars=_env_int("ZZGEO_MAX_CELL_CHARS", 10_000),
            max_rows=_env_int("ZZGEO_MAX_ROWS", 5_000_000),
            max_xlsx_rows=_env_int("ZZGEO_MAX_XLSX_ROWS", 200_000),
            max_layers=_env_int("ZZGEO_MAX_LAYERS", 100),
            max_json_depth=_env_int("ZZGEO_MAX_JSON_DEPTH", 64),
            max_unpacked_mb=_env_float("ZZGEO_MAX_UNPACKED_MB", 1000.0),
            job_time_s=_env_float("ZZGEO_JOB_TIME_S", 600.0),
            job_memory_mb=_env_float("ZZGEO_JOB_MEMORY_MB", 4096.0),
            jobs_per_user=_env_int("ZZGEO_JOBS_PER_USER", 2),
            jobs_total=_env_int("ZZGEO_JOBS_TOTAL", 4),
            job_ttl_s=_env_float("ZZGEO_JOB_TTL_S", 3600.0),
            workspace_max_mb=_env_float("ZZGEO_WORKSPACE_MAX_MB", 1000.0),
            users_path=_env_path("ZZGEO_USERS"),
            secret_key=os.environ.get("ZZGEO_SECRET_KEY") or None,
            anonymous_view=_env_bool("ZZGEO_ANONYMOUS_VIEW", True),
            session_hours=_env_float("ZZGEO_SESSION_HOURS", 8.0),
            trusted_hosts=_env_list("ZZGEO_TRUSTED_HOSTS"),
            behind_proxy=_env_int("ZZGEO_BEHIND_PROXY", 0, minimum=0),
            bind=os.environ.get("ZZGEO_BIND", "").strip() or None,
            workers=_env_int("ZZGEO_WORKERS", _default_workers()),
            threads=_env_int("ZZGEO_THREADS", 4),
        )


@cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings.from_env()
