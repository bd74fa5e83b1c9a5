"""The ``zzgeo`` command line.

Commands: ``indicators``, ``export``, ``validate``, ``import``, ``workspace``, ``serve``. Errors print one clear
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
from zzgeo.bigfile import count_file
from zzgeo.crs import CRS_CHOICES, parse_crs
from zzgeo.districts import load_districts, load_population
from zzgeo.errors import UnknownKeyError, ValidationError, ZzgeoError
from zzgeo.export import EXPORT_FORMATS, export
from zzgeo.imports import FORMATS, ImportResult, import_file
from zzgeo.indicators import compute_indicators, filter_layer, indicators_from_counts
from zzgeo.layers import LAYER_KINDS, OPERATORS, STATUSES
from zzgeo.settings import get_settings
from zzgeo.workspace import Workspace

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
    """The layer named by --sites (all rows must pass), else the workspace's layer."""
    if getattr(args, "sites", None):
        result = import_file(args.sites, kind, getattr(args, "crs", None))
        if result.errors:
            raise ValidationError(result.errors, summary=result.summary())
        return result.layer
    return Workspace().layer(kind)


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


def _streamed_indicators(args: argparse.Namespace) -> pd.DataFrame:
    """Indicators of a large CSV/Parquet file, counted in batches (see zzgeo.bigfile)."""
    bar = tqdm(total=0, desc="reading", unit="B", unit_scale=True, leave=False, disable=None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        counted = count_file(
            args.sites, args.kind, year=args.year, operators=args.operator,
            statuses=args.status or ["in_service"], crs=args.crs, progress=progress,
        )  # fmt: skip
    finally:
        bar.close()
    population = load_population(args.population) if args.population else load_population()
    print(f"streamed {Path(args.sites).name}: {counted.summary()}", file=sys.stderr)
    print("rows were counted, not validated one by one: `zzgeo validate FILE` lists problems", file=sys.stderr)
    return indicators_from_counts(
        counted.counts, population=population, kind=args.kind, year=args.year, unassigned=counted.unassigned
    )


def _cmd_indicators(args: argparse.Namespace) -> int:
    _check_choices(args.operator, list(OPERATORS), "operator")
    _check_choices(args.status, list(STATUSES), "status")
    stream = args.sites and (
        args.stream or (Path(args.sites).exists() and Path(args.sites).stat().st_size > get_settings().max_upload_bytes)
    )
    if stream:
        _print_indicators(args, _streamed_indicators(args))
        return 0
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
    _print_indicators(args, table)
    return 0


def _print_indicators(args: argparse.Namespace, table: pd.DataFrame) -> None:
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


def _print_report(result: ImportResult) -> None:
    for line in result.report_lines():
        print(line)


def _check_crs(text: str | None) -> None:
    """An unknown --crs is a usage error (exit 2), listing the choices."""
    try:
        parse_crs(text)
    except UnknownKeyError as exc:
        raise _UsageError(str(exc)) from exc


def _cmd_validate(args: argparse.Namespace) -> int:
    _check_crs(args.crs)
    result = import_file(args.file, args.kind, args.crs, layer=args.layer)
    _print_report(result)
    print("INVALID: rows with errors are rejected" if result.errors else f"valid as {args.kind}")
    if args.rejected and len(result.rejected):
        result.rejected_csv(args.rejected)
        print(f"wrote {len(result.rejected)} rejected row(s) with a 'problem' column to {args.rejected}")
    return 1 if result.errors else 0


def _cmd_import(args: argparse.Namespace) -> int:
    _check_crs(args.crs)
    result = import_file(args.file, args.kind, args.crs, layer=args.layer)
    _print_report(result)
    if args.rejected and len(result.rejected):
        result.rejected_csv(args.rejected)
        print(f"wrote {len(result.rejected)} rejected row(s) with a 'problem' column to {args.rejected}")
    workspace = Workspace()
    entry = workspace.add(result, mode="replace" if args.replace else "add")
    how = "replacing the sample" if args.replace else "added to the sample"
    print(f"imported {len(result.layer)} row(s) as {args.kind} ({how}) into {workspace.path}, id {entry}")
    return 0


def _cmd_workspace(args: argparse.Namespace) -> int:
    workspace = Workspace()
    if args.action == "remove":
        if not args.id:
            raise _UsageError("workspace remove needs the id of an import (see `zzgeo workspace list`)")
        workspace.remove(args.id)
        print(f"removed {args.id} from {workspace.path}")
        return 0
    entries = workspace.entries()
    print(f"workspace {workspace.path}: {len(entries)} import(s)")
    if len(entries):
        with pd.option_context("display.width", 200, "display.max_columns", None):
            print(entries.to_string(index=False))
    return 0


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
    p.add_argument(
        "--stream",
        action="store_true",
        help="count a large CSV/Parquet --sites file in batches without row-by-row validation "
        "(automatic above the import size limit, ZZGEO_MAX_UPLOAD_MB)",
    )
    p.add_argument("--crs", metavar="CRS", help="coordinates of a --sites file that does not say (default wgs84)")
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

    for name, func, text in (
        ("validate", _cmd_validate, "check a file against a layer kind (exit 0 valid or warnings only, 1 errors)"),
        ("import", _cmd_import, "check a file and add its valid rows to the workspace"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("file", metavar="FILE", help="; ".join(FORMATS.values()))
        p.add_argument("--kind", choices=kinds, required=True)
        p.add_argument(
            "--crs",
            metavar="CRS",
            help=f"coordinates of files that do not say: {', '.join(CRS_CHOICES)} or EPSG:<code> (default wgs84)",
        )
        p.add_argument("--layer", help="layer of a GeoPackage with several")
        p.add_argument("--rejected", metavar="CSV", help="write the rejected rows with a 'problem' column here")
        if name == "import":
            p.add_argument("--replace", action="store_true", help="replace the shipped sample of KIND (default: add)")
        p.set_defaults(func=func)

    p = sub.add_parser("workspace", help="list or remove imported layers")
    p.add_argument("action", choices=["list", "remove"])
    p.add_argument("id", nargs="?", help="id of the import to remove")
    p.set_defaults(func=_cmd_workspace)

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
