"""The ``zzgeo`` command line.

Commands: ``indicators``, ``export``, ``map``, ``report``, ``validate``, ``import``, ``workspace``,
``users``, ``serve``. Errors print one clear message on stderr (a traceback only with ``--debug``). Exit
codes: 0 success (for ``validate``: valid, possibly with warnings), 1 errors in the data or the work, 2 usage.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
from tqdm import tqdm

from zzgeo import __version__
from zzgeo.accounts import ROLES, UserStore
from zzgeo.areas import AREA_KIND, estimate_rule, load_areas, prepare_areas
from zzgeo.bigfile import count_file
from zzgeo.cartography import MAP_FORMATS, SITES_STYLES, MapView, map_format, save_map
from zzgeo.classes import PALETTE_NAMES
from zzgeo.coverage import coverage_by_area
from zzgeo.crs import CRS_CHOICES, parse_crs
from zzgeo.districts import load_districts, load_population
from zzgeo.errors import UnknownKeyError, ValidationError, ZzgeoError
from zzgeo.export import EXPORT_FORMATS, export
from zzgeo.imports import FORMATS, ImportProgress, ImportResult, import_file
from zzgeo.indicators import (
    INDICATORS,
    area_indicators_from_counts,
    compute_indicators,
    filter_layer,
    indicators_from_counts,
)
from zzgeo.layers import AREA_KINDS, LAYER_KINDS, OPERATORS, STATUSES
from zzgeo.provenance import area_provenance, indicators_provenance, provenance_of
from zzgeo.report import write_report
from zzgeo.settings import get_settings
from zzgeo.tables import csv_table, write_indicators_xlsx
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
    if args.areas:
        return _cmd_area_indicators(args)
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


# -- indicators --areas ---------------------------------------------------------------------

_AREA_TABLE_COLUMNS = [
    "adcode", "code", "name", "population", "population_year", "population_status", "land_area_km2", "sites",
    "sites_per_10k", "sites_per_100km2", "residents_per_site", "target_per_10k", "gap_sites", "underserved",
    "coverage_pct", "population_weighted_pct", "district_adcode",
]  # fmt: skip


def _areas_of(args: argparse.Namespace, population: pd.DataFrame) -> gpd.GeoDataFrame:
    """The area layer named by --areas (a file: all rows must pass; or a workspace entry)."""
    _check_crs(args.areas_crs)
    if Path(args.areas).is_file():
        result = import_file(args.areas, AREA_KIND, args.areas_crs, layer=args.areas_layer)
        if result.errors:
            raise ValidationError(result.errors, summary=result.summary())
        for problem in result.warnings:
            print(f"warning: {problem}", file=sys.stderr)
        return prepare_areas(result.layer, population, title=result.file)
    return load_areas(args.areas, population=population)


def _cmd_area_indicators(args: argparse.Namespace) -> int:
    population = load_population(args.population) if args.population else load_population()
    areas = _areas_of(args, population)
    statuses = args.status or ["in_service"]
    coverage = None
    if _streams(args):
        districts = load_districts("full")
        kwargs = {"year": args.year, "operators": args.operator, "statuses": statuses, "crs": args.crs}
        by_district = count_file(args.sites, args.kind, districts, **kwargs)
        by_area = count_file(args.sites, args.kind, areas, **kwargs)
        print(f"streamed {Path(args.sites).name}: {by_district.summary()}", file=sys.stderr)
        print("rows were counted, not validated one by one; coverage is not computed when streaming", file=sys.stderr)
        city = indicators_from_counts(
            by_district.counts, districts, population, kind=args.kind, year=args.year,
            unassigned=by_district.unassigned,
        )  # fmt: skip
        table = area_indicators_from_counts(by_area.counts, areas, city, unassigned=by_area.unassigned)
    else:
        layer = _load_sites(args, args.kind)
        table = compute_indicators(
            layer, None, population, kind=args.kind, year=args.year, operators=args.operator, statuses=statuses,
            areas=areas,
        )  # fmt: skip
        if args.kind == "5g_sites":
            sites = filter_layer(layer, args.kind, year=args.year, operators=args.operator, statuses=statuses)
            coverage = coverage_by_area(sites, areas, population=population)
    attrs = dict(table.attrs)
    if coverage is not None:
        cov = coverage.set_index("adcode")[["coverage_pct", "population_weighted_pct"]]
        table = table.join(cov, on="adcode")
    else:
        table = table.assign(coverage_pct=float("nan"), population_weighted_pct=float("nan"))
    table.attrs = attrs
    _print_area_indicators(args, table, areas)
    return 0


def _add_area_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--areas",
        metavar="FILE_OR_ID",
        help="one row per area of this area layer (a file, or the id of an areas import in the workspace) "
        "instead of per district; areas without a population get an estimate (each district's population "
        "spread evenly over its land), marked 'estimated'",
    )
    p.add_argument("--areas-crs", metavar="CRS", help="coordinates of an --areas file that does not say")
    p.add_argument("--areas-layer", metavar="LAYER", help="layer of an --areas GeoPackage with several")


def _streams(args: argparse.Namespace) -> bool:
    if not args.sites:
        return False
    big = Path(args.sites).exists() and Path(args.sites).stat().st_size > get_settings().max_upload_bytes
    return bool(args.stream or big)


def _print_area_indicators(args: argparse.Namespace, table: pd.DataFrame, areas: gpd.GeoDataFrame) -> None:
    attrs = dict(table.attrs)
    out = table[_AREA_TABLE_COLUMNS]
    rule = estimate_rule(int(areas.attrs.get("estimate_year") or attrs.get("population_year") or 2020)).en
    if args.format == "csv":
        sys.stdout.write(out.to_csv(index=False))
    elif args.format == "json":
        records = json.loads(out.to_json(orient="records", force_ascii=False))
        meta = {str(k): v for k, v in attrs.items()}
        meta["population_rule"] = rule if attrs.get("estimated") else None
        json.dump({"meta": meta, "rows": records}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        year = attrs.get("year") or "all years"
        print(f"zzgeo indicators: {attrs.get('kind')} in {len(areas)} areas of {attrs.get('title')}, as of {year}")
        show = out.copy()
        for col, nd in [("land_area_km2", 1), ("sites_per_10k", 1), ("sites_per_100km2", 1), ("residents_per_site", 0),
                        ("coverage_pct", 1), ("population_weighted_pct", 1)]:  # fmt: skip
            show[col] = show[col].round(nd)
        with pd.option_context("display.max_columns", None, "display.width", 250, "display.max_rows", None):
            print(show.to_string(index=False, na_rep="-"))
    if attrs.get("estimated"):
        print(f"note: {attrs['estimated']} area(s) have an estimated population ({rule})", file=sys.stderr)
    if attrs.get("unassigned"):
        print(
            f"note: {attrs['unassigned']} site(s) lie in no area (outside every area or on a border)", file=sys.stderr
        )
    if attrs.get("kind") in LAYER_KINDS and not args.sites:
        print("Site layers shipped with zzgeo are a SYNTHETIC sample, not real inventories.", file=sys.stderr)


def _cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    fmt = args.format
    if args.kind == "indicators":
        _check_choices(args.status, list(STATUSES), "status")
        areas = _areas_of(args, load_population()) if args.areas else None
        sites = _load_sites(args, "5g_sites")
        statuses = args.status or ["in_service"]
        table = compute_indicators(sites, year=args.year, operators=args.operator, statuses=statuses, areas=areas)
        provenance = indicators_provenance(sites, year=args.year, operators=args.operator, statuses=statuses)
        if areas is not None:  # the area layer and, for estimated populations, the rule
            provenance = area_provenance(provenance, areas)
        if fmt == "xlsx":  # for people: headers in their language, rounded numbers, an About sheet
            write_indicators_xlsx(table, out, args.lang or "zh", provenance)
            print(f"wrote {len(table)} row(s) to {out} (xlsx, {args.lang or 'zh'})")
            return 0
        if fmt == "csv":  # for machines: the stable English columns (Chinese headers on request)
            table = csv_table(table, args.lang or "en")
        if fmt in ("geojson", "gpkg"):
            shapes = load_districts("full") if areas is None else areas
            polygons = shapes[["adcode", "geometry"]]
            table = gpd.GeoDataFrame(polygons.merge(table, on="adcode"), geometry="geometry", crs="EPSG:4326")
    else:
        layer = _load_sites(args, args.kind)
        table = filter_layer(layer, args.kind, year=args.year, operators=args.operator, statuses=args.status)
        table = table.drop(columns=[c for c in ("district_adcode",) if c in table.columns])
        provenance = provenance_of(
            {args.kind: table}, load_population(), year=args.year, operators=args.operator, statuses=args.status
        )
    export(table, out, fmt, provenance=provenance if fmt in ("geojson", "gpkg") else None)
    print(f"wrote {len(table)} feature(s) to {out} ({fmt})")
    return 0


# --- map and report ------------------------------------------------------------------------


def _check_out(path: str, suffixes: Sequence[str], what: str) -> Path:
    """An output path the command can write (usage error otherwise: exit 2)."""
    out = Path(path).expanduser()
    if out.suffix.lower() not in suffixes:
        raise _UsageError(f"cannot write a {what} as {out.name!r}: the file name must end in {', '.join(suffixes)}")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise _UsageError(f"cannot write {out}: folder {folder} does not exist")
    if out.is_dir():
        raise _UsageError(f"cannot write {out}: it is a folder")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise _UsageError(f"cannot write {out}: permission denied")
    return out


def _view_layers(args: argparse.Namespace) -> dict[str, gpd.GeoDataFrame]:
    """The layers of a map or report (the workspace's: sample and imports; --sites for the 5G sites)."""
    layers = {"5g_sites": _load_sites(args, "5g_sites")}
    workspace = Workspace()
    for kind in LAYER_KINDS:
        if kind != "5g_sites":
            layers[kind] = workspace.layer(kind)
    return layers


def _check_year(year: int | None, sites: gpd.GeoDataFrame) -> None:
    years = pd.to_numeric(sites["year_in_service"], errors="coerce").dropna()
    if years.empty:
        raise _UsageError("the 5G layer has no years: nothing to map")
    lo, hi = int(years.min()), int(years.max())
    if year is not None and not lo <= year <= hi:
        raise _UsageError(f"year {year} is outside the data: the 5G sites run from {lo} to {hi}")


def _one_line(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Usage errors of ``map``/``report`` as one line on stderr, exit code 2 (nothing is written)."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except _UsageError as exc:
            print(f"zzgeo {args.command}: error: {exc}", file=sys.stderr)
            return 2

    return run


@_one_line
def _cmd_map(args: argparse.Namespace) -> int:
    _check_choices([args.indicator], list(INDICATORS), "indicator")
    _check_choices([args.palette], list(PALETTE_NAMES), "colour scheme")
    _check_choices(args.operator, list(OPERATORS), "operator")
    _check_choices(args.status, list(STATUSES), "status")
    name = args.out or f"zzgeo-{args.indicator}-{args.year}-{args.lang}.png"
    out = _check_out(name, list(MAP_FORMATS), "map")
    layers = _view_layers(args)
    _check_year(args.year, layers["5g_sites"])
    if args.compare is not None:
        if args.year is None or args.compare == args.year:
            raise _UsageError("--compare YEAR needs a --year other than YEAR (the change is from YEAR to --year)")
        _check_year(args.compare, layers["5g_sites"])
    view = MapView(
        indicator=args.indicator, palette=args.palette, year=args.year,
        operators=tuple(args.operator) if args.operator else None,
        statuses=tuple(args.status or ["in_service"]), layers=tuple(args.layers), sites_style=args.sites_style,
        lang=args.lang, compare=args.compare,
    )  # fmt: skip
    areas = _areas_of(args, load_population()) if args.areas else None
    with _progress(1, "map") as bar:
        save_map(out, view, layers, dpi=args.dpi, areas=areas)
        bar.update()
    print(f"wrote {out} ({map_format(out)})")
    return 0


@_one_line
def _cmd_report(args: argparse.Namespace) -> int:
    _check_choices([args.palette], list(PALETTE_NAMES), "colour scheme")
    _check_choices(args.operator, list(OPERATORS), "operator")
    _check_choices(args.status, list(STATUSES), "status")
    out = _check_out(args.out, [".pdf"], "report")
    layers = _view_layers(args)
    _check_year(args.year, layers["5g_sites"])
    areas = _areas_of(args, load_population()) if args.areas else None
    bar = tqdm(total=100, desc="report", unit="%", leave=False, disable=None)

    def progress(stage: str, fraction: float) -> None:
        bar.set_description(f"report: {stage}")
        bar.n = round(fraction * 100)
        bar.refresh()

    try:
        write_report(
            out, layers, year=args.year, lang=args.lang, operators=args.operator,
            statuses=args.status or ["in_service"], palette=args.palette, progress=progress, areas=areas,
        )  # fmt: skip
    finally:
        bar.close()
    print(f"wrote {out} (pdf, {args.lang})")
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


def _import_with_progress(args: argparse.Namespace, *, keep_layer: bool) -> ImportResult:
    """``import_file`` for validate/import, with a progress bar on stderr (when it is a terminal)."""
    bar = tqdm(total=100, desc="checking", unit="%", leave=False, disable=None, bar_format="{l_bar}{bar}| {postfix}")

    def progress(p: ImportProgress) -> None:
        if p.fraction is not None:
            bar.n = round(100 * p.fraction)
        bar.set_postfix_str(f"{p.rows:,} rows", refresh=True)

    try:
        return import_file(
            args.file, args.kind, args.crs, layer=args.layer, encoding=args.encoding,
            keep_columns=args.keep_columns, keep_layer=keep_layer, progress=progress,
        )  # fmt: skip
    finally:
        bar.close()


def _cmd_validate(args: argparse.Namespace) -> int:
    _check_crs(args.crs)
    result = _import_with_progress(args, keep_layer=False)
    _print_report(result)
    print("INVALID: rows with errors are rejected" if result.errors else f"valid as {args.kind}")
    if args.rejected and len(result.rejected):
        result.rejected_csv(args.rejected)
        print(f"wrote {len(result.rejected)} rejected row(s) with a 'problem' column to {args.rejected}")
    return 1 if result.errors else 0


def _cmd_import(args: argparse.Namespace) -> int:
    _check_crs(args.crs)
    if args.kind in AREA_KINDS and args.replace:
        raise _UsageError("an area layer replaces nothing: each areas import is a layer of its own")
    result = _import_with_progress(args, keep_layer=True)
    _print_report(result)
    if args.rejected and len(result.rejected):
        result.rejected_csv(args.rejected)
        print(f"wrote {len(result.rejected)} rejected row(s) with a 'problem' column to {args.rejected}")
    workspace = Workspace()
    entry = workspace.add(result, mode="replace" if args.replace else "add", who=_who())
    how = "replacing the sample" if args.replace else "added to the sample"
    if args.kind in AREA_KINDS:
        how = f"a layer of its own: zzgeo indicators --areas {entry}"
    print(f"imported {len(result.layer)} row(s) as {args.kind} ({how}) into {workspace.path}, id {entry}")
    return 0


def _who() -> str:
    """Who a command-line change is recorded as: ``cli:<login name>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a container)
        return f"cli:uid {os.getuid()}"


def _print_frame(frame: pd.DataFrame, fmt: str = "table") -> None:
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    elif fmt == "json":
        json.dump(
            json.loads(frame.to_json(orient="records", force_ascii=False)), sys.stdout, ensure_ascii=False, indent=1
        )
        sys.stdout.write("\n")
    elif len(frame):
        with pd.option_context("display.width", 250, "display.max_columns", None, "display.max_colwidth", 40):
            print(frame.to_string(index=False, na_rep=""))


def _cmd_workspace(args: argparse.Namespace) -> int:
    from zzgeo.audit import history

    workspace = Workspace()
    if args.action == "remove":
        if not args.id:
            raise _UsageError("workspace remove needs the id of an import (see `zzgeo workspace list`)")
        workspace.remove(args.id, who=_who())
        print(f"removed {args.id} from {workspace.path}")
        return 0
    if args.action == "revert":
        if not args.id or not args.id.lstrip("#").isdigit():
            raise _UsageError("workspace revert needs the number (seq) of a change in `zzgeo workspace log`")
        done = workspace.revert(int(args.id.lstrip("#")), who=_who())
        print(f"reverted change #{args.id.lstrip('#')}: {done}")
        return 0
    if args.action == "purge":
        n = workspace.purge(who=_who())
        print(f"purged the kept rows of {n} removed entr{'y' if n == 1 else 'ies'} (they can no longer be reverted)")
        return 0
    if args.action == "log":
        table = history(workspace, UserStore(get_settings().accounts_path))
        if args.limit:
            table = table.tail(args.limit)
        if args.format == "table":
            print(f"workspace {workspace.path}: {len(table)} change(s), oldest first")
            table = table.assign(sha256=table["sha256"].str.slice(0, 12))
        _print_frame(table, args.format)
        return 0
    entries = workspace.entries()
    proposals = workspace.proposal_entries()
    print(f"workspace {workspace.path}: {len(entries)} import(s)")
    if len(entries):
        _print_frame(entries.assign(sha256=entries["sha256"].str.slice(0, 12)))
    if len(proposals):
        print(f"{len(proposals)} batch(es) of accepted what-if proposals:")
        _print_frame(proposals)
    if workspace.path.exists():
        size = workspace.path.stat().st_size
        print(f"size {size / 1e6:.1f} MB of {workspace.max_bytes / 1e6:.0f} MB (ZZGEO_WORKSPACE_MAX_MB)")
    return 0


def _read_password(args: argparse.Namespace, prompt: str = "password") -> str:
    """The new password: one line of stdin with --password-stdin, else asked twice without echo."""
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        return password[:-1] if password.endswith("\r") else password
    if not sys.stdin.isatty():
        raise _UsageError("no terminal to ask for the password: pipe it with --password-stdin")
    first = getpass.getpass(f"{prompt} for {args.name}: ")
    if getpass.getpass("again: ") != first:
        raise ZzgeoError("the two passwords differ; nothing changed")
    return first


def _cmd_users(args: argparse.Namespace) -> int:
    store = UserStore(get_settings().accounts_path)
    if args.action != "list" and not args.name:
        raise _UsageError(f"users {args.action} needs an account name")
    if args.action == "add":
        user = store.add(args.name, _read_password(args), args.role or "viewer", who=_who())
        print(f"added {user.name} ({user.role}) to {store.path}")
    elif args.action == "remove":
        store.remove(args.name, who=_who())
        print(f"removed {args.name}; their sessions end now")
    elif args.action == "passwd":
        store.set_password(args.name, _read_password(args, "new password"), who=_who())
        print(f"changed the password of {args.name}; their other sessions end")
    elif args.action == "role":
        if not args.role:
            raise _UsageError(f"users role needs --role ({', '.join(ROLES)})")
        user = store.set_role(args.name, args.role, who=_who())
        print(f"{user.name} is now {user.role}")
    else:
        users = store.users()
        print(f"accounts in {store.path}: {len(users)}")
        table = pd.DataFrame(
            [(u.name, u.role, u.created_at, u.last_sign_in or "-") for u in users],
            columns=["name", "role", "created_at", "last_sign_in"],
        )
        _print_frame(table)
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        from app.main import run, run_production  # the Dash app lives outside the library
    except ImportError as exc:
        raise ZzgeoError(
            f"the map app is not available ({exc}); install it with `pip install -e .[app]` from the repository"
        ) from exc
    if args.dev or args.debug:
        run(host=args.host, port=args.port, debug=args.debug)
    else:
        run_production(host=args.host, port=args.port, workers=args.workers, threads=args.threads)
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
    _add_area_options(p)
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
    _add_area_options(p)
    p.add_argument(
        "--lang",
        choices=["zh", "en"],
        help="indicators as xlsx: the workbook's language (default zh); as csv: Chinese headers with zh "
        "(default: the stable English column names)",
    )
    _add_filters(p)
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("map", help="a print-ready thematic map (PNG at 300 dpi, SVG or PDF)")
    p.add_argument("--indicator", default="sites_per_10k", help=f"one of {', '.join(INDICATORS)}")
    p.add_argument("--palette", default="standard", help=f"colour scheme: {', '.join(PALETTE_NAMES)}")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument(
        "--layers", nargs="*", choices=kinds, default=kinds, metavar="KIND", help=f"point layers ({', '.join(kinds)})"
    )
    p.add_argument(
        "--sites-style", choices=list(SITES_STYLES), default="cells",
        help="5G sites as circles per hexagon (cells, default) or one dot per site (dots)",
    )  # fmt: skip
    p.add_argument("--dpi", type=int, default=300, help="PNG resolution (default 300: A4 at 3508 × 2480 px)")
    p.add_argument(
        "--compare", type=int, metavar="YEAR", help="a change map: the indicator's change from YEAR to --year"
    )
    p.add_argument("--sites", metavar="FILE", help="5G sites file to use instead of the workspace's layer")
    p.add_argument("--crs", metavar="CRS", help="coordinates of a --sites file that does not say (default wgs84)")
    p.add_argument("--out", metavar="FILE", help="FILE.png, .svg or .pdf (default zzgeo-INDICATOR-YEAR-LANG.png)")
    _add_area_options(p)
    _add_filters(p)
    p.set_defaults(func=_cmd_map, year=2025)

    p = sub.add_parser("report", help="the briefing report (PDF, Chinese or English)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--palette", default="standard", help=f"colour scheme of the map: {', '.join(PALETTE_NAMES)}")
    p.add_argument("--sites", metavar="FILE", help="5G sites file to use instead of the workspace's layer")
    p.add_argument("--crs", metavar="CRS", help="coordinates of a --sites file that does not say (default wgs84)")
    p.add_argument("--out", metavar="FILE.pdf", required=True)
    _add_area_options(p)
    _add_filters(p)
    p.set_defaults(func=_cmd_report, year=2025)

    for name, func, text in (
        ("validate", _cmd_validate, "check a file against a layer kind (exit 0 valid or warnings only, 1 errors)"),
        ("import", _cmd_import, "check a file and add its valid rows to the workspace"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("file", metavar="FILE", help="; ".join(FORMATS.values()))
        p.add_argument("--kind", choices=[*kinds, *AREA_KINDS], required=True)
        p.add_argument(
            "--crs",
            metavar="CRS",
            help=f"coordinates of files that do not say: {', '.join(CRS_CHOICES)} or EPSG:<code> (default wgs84)",
        )
        p.add_argument("--layer", help="layer of a GeoPackage with several")
        p.add_argument("--rejected", metavar="CSV", help="write the rejected rows with a 'problem' column here")
        p.add_argument(
            "--encoding",
            metavar="CODEC",
            help="text encoding of a CSV file (e.g. gb18030, utf-8, big5, latin-1, shift_jis; default: detected)",
        )
        p.add_argument(
            "--keep-columns",
            action="store_true",
            help="keep columns that are not part of KIND in the layer (default: leave them out, listed in the report)",
        )
        if name == "import":
            p.add_argument("--replace", action="store_true", help="replace the shipped sample of KIND (default: add)")
        p.set_defaults(func=func)

    p = sub.add_parser(
        "workspace",
        help="list, remove, revert imported layers; the log of changes",
        description="list: imports and accepted proposals; remove ID; log: every change (imports, proposals, "
        "accounts) with who, when, file, SHA-256 and row counts; revert SEQ: undo change SEQ of the log; "
        "purge: drop the rows kept for reverting removals",
    )
    p.add_argument("action", choices=["list", "remove", "log", "revert", "purge"])
    p.add_argument("id", nargs="?", help="remove: id of the import; revert: number (seq) of the change")
    p.add_argument("--limit", type=int, metavar="N", help="log: only the last N changes")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="log: output format")
    p.set_defaults(func=_cmd_workspace)

    p = sub.add_parser(
        "users",
        help="accounts of the map app: add, remove, list, passwd, role",
        description=f"Roles: {', '.join(ROLES)} (viewer: see and export; editor: also import, remove, accept "
        "proposals; admin: also accounts and revert). Passwords are asked without echo, or read from the "
        "first line of stdin with --password-stdin; never give them on the command line.",
    )
    p.add_argument("action", choices=["add", "remove", "list", "passwd", "role"])
    p.add_argument("name", nargs="?", help="account name")
    p.add_argument("--role", choices=list(ROLES), help="add: the role (default viewer); role: the new role")
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    p.set_defaults(func=_cmd_users)

    p = sub.add_parser(
        "serve",
        help="serve the map app (gunicorn; --dev for Flask's development server)",
        description="Serves with gunicorn: ZZGEO_WORKERS processes (default one per CPU core, at least 2) of "
        "ZZGEO_THREADS threads (default 4). --dev serves with Flask's development server (one process, "
        "reloads nothing); --debug adds Dash's dev tools and is refused on a non-loopback address.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8050)
    p.add_argument("--dev", action="store_true", help="Flask's development server instead of gunicorn")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes (default ZZGEO_WORKERS)")
    p.add_argument("--threads", type=int, metavar="N", help="threads per worker (default ZZGEO_THREADS)")
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
    except BrokenPipeError:
        # The reader went away (`zzgeo indicators | head`): stop writing, say so once.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        print("zzgeo: error: output closed early (broken pipe); the rest was not written", file=sys.stderr)
        return 1
    except Exception as exc:
        if args.debug:
            raise
        print(f"zzgeo: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
