"""The ``zzgeo`` command line.

Commands: ``indicators``, ``export``, ``validate``, ``serve``. Errors print one clear
message on stderr (a traceback only with ``--debug``). Exit codes: 0 success (for
``validate``: valid, possibly with warnings), 1 errors in the data or the work, 2 usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Hashable, Iterator, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
from tqdm import tqdm

from zzgeo import __version__
from zzgeo.districts import load_districts, load_population
from zzgeo.errors import ZzgeoError
from zzgeo.export import EXPORT_FORMATS, export
from zzgeo.indicators import compute_indicators, filter_layer
from zzgeo.io import read_points
from zzgeo.layers import LAYER_KINDS, OPERATORS, STATUSES, load_layer
from zzgeo.validate import check_layer, validate_layer

__all__ = ["main"]

logger = logging.getLogger("zzgeo")

_TABLE_COLUMNS = [
    "adcode", "name_zh", "name_en", "population", "population_status", "sites", "sites_per_10k",
    "sites_per_100km2", "residents_per_site", "share_of_city_pct", "target_per_10k", "gap_sites", "underserved",
]  # fmt: skip


class _UsageError(Exception):
    """A usage error found after parsing (exit code 2)."""


@contextlib.contextmanager
def _progress(total: int, desc: str) -> Iterator[tqdm]:
    # tqdm writes to stderr and switches itself off when stderr is not a terminal.
    bar = tqdm(total=total, desc=desc, unit="step", leave=False, disable=None)
    try:
        yield bar
    finally:
        bar.close()


def _load_sites(args: argparse.Namespace, kind: str) -> gpd.GeoDataFrame:
    if getattr(args, "sites", None):
        gdf = read_points(args.sites)
        return validate_layer(gdf, kind, file=Path(args.sites).name)
    return load_layer(kind)


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, help="as-of year (rows with year <= YEAR; default: all years)")
    p.add_argument("--operator", nargs="+", metavar="OP", help=f"keep these operators ({'; '.join(OPERATORS)})")
    p.add_argument(
        "--status",
        nargs="+",
        metavar="STATUS",
        help=f"keep these statuses ({', '.join(STATUSES)}); indicators default to in_service, exports to all",
    )


def _check_choices(values: Sequence[str] | None, allowed: Sequence[str], what: str) -> None:
    for value in values or ():
        if value not in allowed:
            raise _UsageError(f"unknown {what} {value!r}; valid: {', '.join(allowed)}")


def _cmd_indicators(args: argparse.Namespace) -> int:
    _check_choices(args.operator, list(OPERATORS), "operator")
    _check_choices(args.status, list(STATUSES), "status")
    with _progress(3, "indicators") as bar:
        layer = _load_sites(args, args.kind)
        bar.update()
        population = load_population(args.population) if args.population else load_population()
        districts = load_districts("full")
        bar.update()
        table = compute_indicators(
            layer,
            districts,
            population,
            kind=args.kind,
            year=args.year,
            operators=args.operator,
            statuses=args.status or ["in_service"],
        )
        bar.update()
    out = table[_TABLE_COLUMNS]
    if args.format == "csv":
        sys.stdout.write(out.to_csv(index=False))
    elif args.format == "json":
        records = json.loads(out.to_json(orient="records", force_ascii=False))
        meta = {str(k): v for k, v in table.attrs.items()}
        json.dump({"meta": meta, "rows": records}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        _print_table(out, table.attrs)
    if table.attrs.get("unassigned"):
        print(f"note: {table.attrs['unassigned']} site(s) lie outside every district (or on a border)", file=sys.stderr)
    return 0


def _print_table(table: pd.DataFrame, attrs: Mapping[Hashable, object]) -> None:
    year = attrs.get("year") or "all years"
    print(f"zzgeo indicators: {attrs.get('kind')}, as of {year}; population {attrs.get('population_year')}")
    show = table.copy()
    show["population_status"] = show["population_status"].str.replace("published-secondary", "published (2nd)")
    for col, nd in [("sites_per_10k", 1), ("sites_per_100km2", 1), ("residents_per_site", 0), ("share_of_city_pct", 1)]:
        show[col] = show[col].round(nd)
    with pd.option_context("display.max_columns", None, "display.width", 200):
        print(show.drop(columns=["name_zh"]).to_string(index=False, na_rep="-"))
    shipped = attrs.get("kind") in LAYER_KINDS
    if shipped:
        print("Site layers shipped with zzgeo are a SYNTHETIC sample, not real inventories.", file=sys.stderr)


def _cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    fmt = args.format
    if args.kind == "indicators":
        _check_choices(args.status, list(STATUSES), "status")
        table = compute_indicators(
            _load_sites(args, "5g_sites"), year=args.year, operators=args.operator,
            statuses=args.status or ["in_service"],
        )  # fmt: skip
        if fmt in ("geojson", "gpkg"):
            districts = load_districts("full")[["adcode", "geometry"]]
            table = gpd.GeoDataFrame(districts.merge(table, on="adcode"), geometry="geometry", crs="EPSG:4326")
    else:
        layer = _load_sites(args, args.kind)
        table = filter_layer(layer, args.kind, year=args.year, operators=args.operator, statuses=args.status)
        table = table.drop(columns=[c for c in ("district_adcode",) if c in table.columns])
    export(table, out, fmt)
    print(f"wrote {len(table)} feature(s) to {out} ({fmt})")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    name = Path(args.file).name
    gdf = read_points(args.file)
    problems = check_layer(gdf, args.kind, file=name)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for p in problems:
        print(f"{p.severity}: {p}")
    bad_rows = len({p.row for p in errors if p.row is not None})
    print(
        f"{name}: {len(gdf)} row(s), {len(errors)} error(s) in {bad_rows} row(s), {len(warnings)} warning(s) "
        f"— {'INVALID' if errors else 'valid'} as {args.kind}"
    )
    return 1 if errors else 0


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        from app.main import run  # the Dash app lives outside the library
    except ImportError as exc:
        raise ZzgeoError(
            f"the map app is not available ({exc}); install it with `pip install -e .[app]` from the repository"
        ) from exc
    run(host=args.host, port=args.port, debug=args.debug)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zzgeo", description="Maps and indicators for Zhangzhou's new-infrastructure plan."
    )
    parser.add_argument("--version", action="version", version=f"zzgeo {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    kinds = list(LAYER_KINDS)

    p = sub.add_parser("indicators", help="indicator table per district and for the city")
    p.add_argument("--sites", metavar="FILE", help="site inventory to use instead of the shipped sample")
    p.add_argument("--kind", choices=kinds, default="5g_sites", help="layer kind (default 5g_sites)")
    p.add_argument("--population", metavar="FILE", help="population table (adcode, population, year)")
    _add_filters(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=_cmd_indicators)

    p = sub.add_parser("export", help="export a layer or the indicator table")
    p.add_argument(
        "kind", choices=[*kinds, "indicators"], metavar="KIND", help=f"one of {', '.join(kinds)}, indicators"
    )
    p.add_argument("--format", choices=list(EXPORT_FORMATS), required=True)
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--sites", metavar="FILE", help="layer file to export instead of the shipped sample")
    _add_filters(p)
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("validate", help="check a file against a layer kind's schema")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--kind", choices=kinds, required=True)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("serve", help="serve the map app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8050)
    p.set_defaults(func=_cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        return int(args.func(args))
    except _UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"zzgeo: error: {exc}", file=sys.stderr)
        return 2
    except ZzgeoError as exc:
        if args.debug:
            raise
        print(f"zzgeo: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("zzgeo: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"zzgeo: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
