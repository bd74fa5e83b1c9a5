"""Serve the app: ``zzgeo serve`` (gunicorn, :func:`run_production`) or ``zzgeo serve --dev`` (:func:`run`).

Production: gunicorn, ``ZZGEO_WORKERS`` processes (default one per CPU core, at least 2)
of ``ZZGEO_THREADS`` threads each (default 4, gunicorn's ``gthread`` workers). The app's
work is Python and numpy under the GIL, so one process per core uses the machine; threads
let a worker go on answering while one of its requests waits on the network (a large
payload to a slow client) or on the disk. Each worker builds the app once
(:mod:`app.wsgi`); they share the workspace, the accounts and the pending imports on disk,
never in memory. gunicorn rather than waitress: waitress is one process (threads only),
so the GIL keeps it to one core; gunicorn also restarts a worker that dies or hangs
(``timeout``) while the others go on serving. gunicorn runs on Unix only; that is where a
city's server runs.

Development: Flask's development server, one process, threaded; ``--debug`` adds Dash's dev
tools and the Werkzeug debugger, which lets whoever reaches the page run code on the
server: it is refused on any address but a loopback one.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from app.security import is_loopback
from zzgeo.errors import ZzgeoError
from zzgeo.settings import get_settings

__all__ = ["gunicorn_options", "run", "run_production"]

LOG_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def _announce(bind: str, how: str) -> None:
    """Print the URL, how it is served and who may change data (zh/en)."""
    from app.auth import startup_warnings

    settings = get_settings()
    print(f"zzgeo map app: http://{bind}/  ({how}; Ctrl+C to stop)", flush=True)
    for line in startup_warnings(settings):
        print(f"zzgeo: {line}", flush=True)
    print(f"zzgeo: workspace {settings.workspace_path}, accounts {settings.accounts_path}", flush=True)


def _set_bind(bind: str) -> None:
    # workers (forked after this) and the app read the bind address from the settings
    os.environ["ZZGEO_BIND"] = bind
    get_settings.cache_clear()


def run(host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    """Serve with Flask's development server until interrupted (Dash debug only if asked, on loopback).

    Raises
    ------
    ZzgeoError
        ``debug`` on an address other machines can reach.
    """
    if debug and not is_loopback(host):
        raise ZzgeoError(
            f"--debug runs the Werkzeug debugger, which lets anyone who reaches {host} run code on this machine: "
            "use it on 127.0.0.1 only"
        )
    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO, format=LOG_FORMAT)
    _set_bind(_bind(host, port))
    from app import create_app

    app = create_app()
    _announce(_bind(host, port), "Flask development server" + (", debug" if debug else ""))
    app.run(host=host, port=port, debug=debug)


def gunicorn_options(host: str, port: int, workers: int | None = None, threads: int | None = None) -> dict[str, Any]:
    """The gunicorn settings of :func:`run_production` (see the module docstring)."""
    settings = get_settings()
    return {
        "bind": _bind(host, port),
        "workers": workers or settings.workers,
        "threads": threads or settings.threads,
        "worker_class": "gthread",
        # a data reload after a colleague's import runs inside a request: give it time
        "timeout": 120,
        "graceful_timeout": 30,
        # idle keep-alive connections wait in the worker's poller, not in a thread: keep them longer than a
        # person pauses between two clicks (a close racing a new request fails that request)
        "keepalive": 75,
        # X-Forwarded-* headers are werkzeug ProxyFix's job (ZZGEO_BEHIND_PROXY), not gunicorn's
        "forwarded_allow_ips": "",
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "zzgeo",
        # no control socket in ~/.gunicorn: zzgeo has nothing to steer at run time
        "control_socket_disable": True,
    }


def run_production(
    host: str = "127.0.0.1", port: int = 8050, workers: int | None = None, threads: int | None = None
) -> None:
    """Serve with gunicorn until interrupted (:func:`gunicorn_options`)."""
    from gunicorn.app.base import BaseApplication

    options = gunicorn_options(host, port, workers, threads)
    _set_bind(options["bind"])
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)

    class ZzgeoGunicorn(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from app.wsgi import server  # built in each worker (gunicorn forks, then loads)

            return server

    _announce(options["bind"], f"gunicorn, {options['workers']} workers x {options['threads']} threads")
    ZzgeoGunicorn().run()


if __name__ == "__main__":  # pragma: no cover
    if "--dev" in sys.argv[1:] or "--debug" in sys.argv[1:]:
        run(debug="--debug" in sys.argv[1:])
    else:
        run_production()
