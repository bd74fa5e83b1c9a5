"""The three summary cards above the map: total sites, city-wide density vs target, underserved districts."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from app import ids
from app.i18n import t, target_status, tu
from zzgeo.classes import city_row, district_rows, fmt_number, target_of
from zzgeo.tables import is_area_table


def _card(
    card_id: str, label: str, value: str, sub: list[Any] | str, data_value: Any, extra: dict[str, Any] | None = None
):
    attrs = {"data-value": str(data_value)}
    attrs.update(extra or {})
    return html.Div(
        [
            html.Div(label, className="zz-card-label"),
            html.Div(value, className="zz-card-value"),
            html.Div(sub, className="zz-card-sub"),
        ],
        id=card_id,
        className="zz-card",
        role="group",
        **{"aria-label": label},
        **attrs,
    )


def make_cards(table: pd.DataFrame, lang: str) -> list[Any]:
    """The three summary cards: total sites, city-wide density vs target, underserved districts."""
    city = city_row(table)
    year = table.attrs.get("year")
    rows = district_rows(table)
    proposed = int(city.get("proposed_sites", 0) or 0)
    sites_sub = [t("card_as_of", lang, year=year)]
    if proposed:
        sites_sub.append(
            html.Span(" · " + t("card_proposed", lang, n=fmt_number(proposed)), className="zz-proposed-text")
        )
    target = target_of(table)
    density = float(city["sites_per_10k"])
    if target is not None:
        status = t("meets_target", lang) if density >= target else t("below_target", lang)
        density_sub: list[Any] = [
            t(
                "card_target",
                lang,
                value=fmt_number(target, 0),
                year=year,
                status=target_status(city["target_status"], lang),
            ),
            html.Span(" · " + status, className="zz-ok" if density >= target else "zz-bad"),
        ]
    else:
        density_sub = [t("card_no_target", lang, year=year)]
    under = int(rows["underserved"].astype(bool).sum())
    return [
        _card(
            ids.CARD_SITES,
            t("card_sites", lang),
            fmt_number(city["sites"]),
            sites_sub,
            int(city["sites"]),
            {"data-proposed": str(proposed)},
        ),
        _card(
            ids.CARD_DENSITY,
            t("card_density", lang),
            fmt_number(density, 1),
            density_sub,
            round(density, 1),
            {"data-target": "" if target is None else str(target)},
        ),
        _card(
            ids.CARD_UNDERSERVED,
            tu("card_underserved", lang, is_area_table(table)),
            t("card_of", lang, n=under, total=len(rows)),
            [t("card_as_of", lang, year=year)] if target is not None else [t("card_no_target", lang, year=year)],
            under,
        ),
    ]
