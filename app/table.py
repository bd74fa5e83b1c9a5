"""Reading the indicator table (:func:`zzgeo.indicators.compute_indicators`): its rows and target."""

from __future__ import annotations

import pandas as pd

from zzgeo.districts import CITY_ADCODE


def target_of(table: pd.DataFrame) -> float | None:
    """The plan target (sites per 10,000 residents) of an indicator table, if any."""
    if "target_per_10k" not in table.columns or table.empty:
        return None
    value = pd.to_numeric(table["target_per_10k"], errors="coerce").dropna()
    return float(value.iloc[0]) if len(value) else None


def district_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of the 11 districts (without the city row)."""
    return table[table["adcode"].astype("str") != CITY_ADCODE]


def city_row(table: pd.DataFrame) -> pd.Series:
    """The city row."""
    return table[table["adcode"].astype("str") == CITY_ADCODE].iloc[0]
