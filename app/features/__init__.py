"""The app's features, one module each: its builders and its callbacks (``register(app, ctx)``).

:mod:`app.features.shell` composes the page from the features' builders;
:data:`FEATURES` lists the modules whose callbacks :func:`app.create_app` registers.
"""

from __future__ import annotations

from app.features import (
    choropleth,
    export,
    hexes,
    import_panel,
    map,
    shell,
    view,
    views,
    whatif,
)

#: modules with a ``register(app, ctx)`` (the order does not matter)
FEATURES = (shell, view, views, map, choropleth, hexes, whatif, export, import_panel)

__all__ = ["FEATURES"]
