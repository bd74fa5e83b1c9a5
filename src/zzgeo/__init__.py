"""zzgeo: maps and indicators for Zhangzhou's new-infrastructure plan.

A plain library (no Dash): district geography and population, a registry of
infrastructure layer kinds, pure indicator functions, validated loading and exports.
"""

from zzgeo.districts import load_districts, load_land, load_population, read_population
from zzgeo.errors import DataError, Problem, UnknownKeyError, ValidationError, ZzgeoError
from zzgeo.indicators import INDICATORS, assign_districts, compute_indicators, filter_layer, sites_by_year
from zzgeo.layers import LAYER_KINDS, get_spec, load_layer
from zzgeo.plan import load_targets, load_tasks

__version__ = "0.1.0"

__all__ = [
    "INDICATORS",
    "LAYER_KINDS",
    "DataError",
    "Problem",
    "UnknownKeyError",
    "ValidationError",
    "ZzgeoError",
    "__version__",
    "assign_districts",
    "compute_indicators",
    "filter_layer",
    "get_spec",
    "load_districts",
    "load_land",
    "load_layer",
    "load_population",
    "load_targets",
    "load_tasks",
    "read_population",
    "sites_by_year",
]
