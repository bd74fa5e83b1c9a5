"""The app's features, one module each: its builders and its callbacks (``register(app, ctx)``).

:mod:`app.features.shell` composes the page from the features' builders;
:data:`FEATURES` lists the modules whose callbacks :func:`app.create_app` registers.
"""

from __future__ import annotations

from app.features import (
    briefing,
    choropleth,
    dock,
    export,
    filters,
    hexes,
    history,
    import_jobs,
    import_panel,
    imports_list,
    level,
    map,
    proposals,
    search,
    shell,
    time,
    view,
    views,
    whatif,
)

#: modules with a ``register(app, ctx)`` (the order does not matter)
FEATURES = (
    shell, view, views, map, search, choropleth, filters, time, dock, hexes, proposals, whatif, export, import_jobs,
    import_panel, imports_list, history, level, briefing,
)  # fmt: skip

__all__ = ["FEATURES"]
