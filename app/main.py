"""Serve the app: ``python -m app.main`` or ``zzgeo serve`` (which calls :func:`run`)."""

from __future__ import annotations

import logging
import sys

from app import create_app

__all__ = ["run"]


def run(host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    """Load the data, print the URL and serve until interrupted (Dash debug only if asked)."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_app()
    url = f"http://{host}:{port}/"
    print(f"zzgeo map app: {url}  (Ctrl+C to stop)", flush=True)
    app.run(host=host, port=port, debug=debug)


if __name__ == "__main__":  # pragma: no cover
    run(debug="--debug" in sys.argv[1:])
