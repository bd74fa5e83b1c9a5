"""Formatting of numbers for the page (thousands separators, missing values as a dash)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from zzgeo.indicators import INDICATORS


def fmt_number(value: Any, decimals: int = 0) -> str:
    """``1234.5`` -> ``"1,234.5"``; missing values -> ``"—"``."""
    if value is None or value is pd.NA:
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "—"
    if not math.isfinite(number):
        return "—"
    return f"{number:,.{decimals}f}"


def fmt_indicator(value: Any, indicator: str) -> str:
    """A value of ``indicator`` with its decimals."""
    return fmt_number(value, INDICATORS[indicator].decimals)


def finite(value: Any) -> bool:
    """True for a number that is finite (False for None, NaN, text)."""
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False
