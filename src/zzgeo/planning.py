"""What-if planning: propose new 5G sites and see what they do to the indicators.

Pure functions, no I/O unless a caller leaves ``districts``/``land`` to their defaults.
Proposals are a GeoDataFrame with the columns of the ``5g_sites`` layer kind plus
``proposed`` (True) and ``district_adcode``; they never change the real layer: the
indicators "with proposals" are computed on a copy that adds them
(:func:`indicators_with_proposals`), with :func:`zzgeo.indicators.compute_indicators`
doing all the arithmetic.

Rules
-----
- :func:`allocate_sites` gives N sites to districts one at a time (greedy): each next site
  goes to the district with the lowest sites per 10,000 residents (``by="sites_per_10k"``)
  or with the largest remaining gap to the plan target (``by="gap"``; once every gap is
  closed, the lowest density again). Ties go to the lower adcode.
- :func:`place_sites` puts each district's sites at seeded random positions on its land
  (the district polygon clipped to the Tianditu land outline, kept ~200 m from borders),
  choosing among a few random candidates the first one at least ``spacing_km`` from existing
  and already placed sites (or else the farthest), so proposals fill gaps in coverage
  rather than pile up, without being pushed to the district's edges.
- Proposals count in whatever as-of year and filters are shown: they are added on top of
  the filtered layer.
- Area layers (``areas=``, prepared by :func:`zzgeo.areas.prepare_areas`): the same rules
  with areas for districts. :func:`suggest_sites` allocates to the areas of an area
  table (areas without residents get none: they have no sites per 10,000 residents) and
  places the sites on each area's land; proposals keep the district they fall in
  (``district_adcode``), and :func:`indicators_with_proposals` counts them per area.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike, NDArray

from zzgeo.districts import CITY_ADCODE, load_districts, load_land
from zzgeo.errors import UnknownKeyError, ZzgeoError
from zzgeo.indicators import ASSIGNED_COLUMN, assign_districts, compute_indicators, count_in_areas, filter_layer
from zzgeo.layers import OPERATORS, get_spec

__all__ = [
    "ALLOCATION_RULES",
    "PROPOSAL_PREFIX",
    "PROPOSAL_SOURCE",
    "accept_proposals",
    "add_proposals",
    "allocate_sites",
    "empty_proposals",
    "indicators_with_proposals",
    "make_proposals",
    "next_proposal_number",
    "place_sites",
    "proposal_effect",
    "proposals_from_features",
    "suggest_sites",
]

logger = logging.getLogger(__name__)

#: Allocation rules of :func:`allocate_sites`.
ALLOCATION_RULES = ("sites_per_10k", "gap")

#: Prefix of proposal site ids: ``PROP-0001``, ``PROP-0002``, ...
PROPOSAL_PREFIX = "PROP-"

#: ``source`` of proposed sites.
PROPOSAL_SOURCE = "zzgeo what-if proposal (not a real site)"

_KIND = "5g_sites"
_BORDER_MARGIN_DEG = 0.002  # ~200 m: keeps proposals clear of district borders
_MAX_DRAWS = 200  # rejection-sampling rounds per district before giving up
_KM_PER_DEG = 111.32  # km per degree of latitude (and of longitude times cos(latitude))


def _district_rows(table: pd.DataFrame) -> pd.DataFrame:
    rows = table[table["adcode"].astype("str") != CITY_ADCODE]
    if rows.empty:
        raise ZzgeoError("the indicator table has no district rows")
    return rows.assign(adcode=rows["adcode"].astype("str")).sort_values("adcode")


def allocate_sites(table: pd.DataFrame, n: int, *, by: str = "sites_per_10k") -> pd.Series:
    """Allocate ``n`` new sites to districts, one at a time (greedy).

    Parameters
    ----------
    table : pandas.DataFrame
        An indicator table from :func:`zzgeo.indicators.compute_indicators` (district rows
        and the city row; the city row is ignored). Uses ``adcode``, ``sites`` and
        ``population``, and ``target_sites`` for ``by="gap"``.
    n : int
        Number of sites to allocate (≥ 0).
    by : {"sites_per_10k", "gap"}
        ``"sites_per_10k"``: each next site goes to the district with the lowest sites per
        10,000 residents, counting the sites allocated so far. ``"gap"``: to the district
        with the largest remaining gap to the plan target (sites); when every gap is
        closed, to the lowest sites per 10,000 residents.

    Returns
    -------
    pandas.Series
        Sites allocated per district (int64), indexed by adcode in adcode order; sums to ``n``.
    """
    if by not in ALLOCATION_RULES:
        raise UnknownKeyError("allocation rule", by, ALLOCATION_RULES)
    n = int(n)
    if n < 0:
        raise ZzgeoError(f"the number of proposed sites must be 0 or more, not {n}")
    rows = _district_rows(table)
    codes = rows["adcode"].tolist()
    sites = rows["sites"].to_numpy(dtype=np.float64)
    population = rows["population"].to_numpy(dtype=np.float64)
    if np.any(~np.isfinite(population) | (population <= 0)):
        raise ZzgeoError("every district needs a positive population to allocate sites")
    gap = np.zeros(len(codes))
    if by == "gap":
        if "target_sites" not in rows.columns or rows["target_sites"].isna().all():
            year = table.attrs.get("year")
            raise ZzgeoError(
                f"the plan sets no target for {year if year is not None else 'this year'}, so there is no gap "
                "to close; allocate by sites per 10,000 residents instead"
            )
        gap = (pd.to_numeric(rows["target_sites"], errors="coerce").fillna(0).to_numpy(np.float64)) - sites

    added = np.zeros(len(codes), dtype=np.int64)

    # Heap keys: (rule key, adcode position). Gap mode keys on the negated remaining gap while
    # any gap is open; lowest-density keys take over once all are closed.
    def density_key(i: int) -> tuple[float, float, int]:
        return (1.0, (sites[i] + added[i]) / population[i], i)

    def gap_key(i: int) -> tuple[float, float, int]:
        remaining = gap[i] - added[i]
        return (0.0, -remaining, i) if remaining > 0 else density_key(i)

    key = gap_key if by == "gap" else density_key
    heap = [key(i) for i in range(len(codes))]
    heapq.heapify(heap)
    for _ in range(n):
        _, _, i = heapq.heappop(heap)
        added[i] += 1
        heapq.heappush(heap, key(i))
    return pd.Series(added, index=pd.Index(codes, name="adcode"), name="proposed_sites")


def _target_areas(districts: gpd.GeoDataFrame, land: gpd.GeoDataFrame | None) -> dict[str, shapely.Geometry]:
    """District polygon ∩ land, shrunk away from borders (falls back when that is empty)."""
    land_union = None
    if land is not None and len(land):
        land_geoms = land.to_crs("EPSG:4326").geometry if land.crs is not None else land.geometry
        land_union = shapely.union_all(land_geoms.to_numpy())
    areas = {}
    for code, geom in zip(districts["adcode"].astype("str"), districts.geometry, strict=True):
        if geom is None or geom.is_empty:
            continue
        area = geom
        if land_union is not None:
            on_land = shapely.intersection(geom, land_union)
            if not on_land.is_empty and on_land.area > 0:
                area = on_land
        inner = shapely.buffer(area, -_BORDER_MARGIN_DEG)
        areas[code] = inner if not inner.is_empty and inner.area > 0 else area
    return areas


def _existing_xy(existing: gpd.GeoDataFrame | None) -> NDArray[np.float64]:
    if existing is None or len(existing) == 0:
        return np.empty((0, 2))
    geoms = existing.to_crs("EPSG:4326").geometry if existing.crs is not None else existing.geometry
    arr = geoms.to_numpy()
    ok = ~(shapely.is_missing(arr) | shapely.is_empty(arr)) & (shapely.get_type_id(arr) == 0)
    return np.column_stack([shapely.get_x(arr[ok]), shapely.get_y(arr[ok])])


def place_sites(
    counts: Mapping[str, int] | pd.Series,
    districts: gpd.GeoDataFrame | None = None,
    land: gpd.GeoDataFrame | None = None,
    *,
    existing: gpd.GeoDataFrame | None = None,
    seed: int = 0,
    candidates: int = 16,
    spacing_km: float = 1.0,
) -> gpd.GeoDataFrame:
    """Positions for ``counts[adcode]`` new sites inside each district's land.

    Parameters
    ----------
    counts : mapping or pandas.Series
        Sites per district adcode.
    districts : geopandas.GeoDataFrame, optional
        District polygons (EPSG:4326) with ``adcode``. Default: full detail.
    land : geopandas.GeoDataFrame, optional
        Land outlines; positions stay on land. Default: :func:`zzgeo.districts.load_land`.
    existing : geopandas.GeoDataFrame, optional
        Existing sites; each new site is the candidate farthest from these and from the
        sites already placed.
    seed : int
        Seed of the random generator: the same inputs and seed give the same positions.
    candidates : int
        Random candidates drawn per site (1 = purely random positions).
    spacing_km : float
        A candidate this far (km) from every existing and placed site is good enough;
        if none is, the candidate farthest from them is taken.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``district_adcode`` and point geometry (EPSG:4326), grouped by district in
        adcode order.
    """
    districts = load_districts("full") if districts is None else districts
    land = load_land() if land is None else land
    if districts.crs is None or not districts.crs.equals("EPSG:4326"):
        raise ZzgeoError(f"districts must be in EPSG:4326 (lon/lat), not {districts.crs}")
    wanted = {str(k): int(v) for k, v in dict(counts).items() if int(v) > 0}
    areas = _target_areas(districts[districts["adcode"].astype("str").isin(wanted)], land)
    unknown = sorted(set(wanted) - set(areas))
    if unknown:
        raise UnknownKeyError("district adcode", unknown[0], sorted(districts["adcode"].astype("str")))
    rng = np.random.default_rng(seed)
    taken = _existing_xy(existing)
    candidates = max(1, int(candidates))
    codes: list[str] = []
    xs: list[float] = []
    ys: list[float] = []
    for code in sorted(wanted):
        area = areas[code]
        shapely.prepare(area)
        xmin, ymin, xmax, ymax = area.bounds
        coslat = np.cos(np.radians((ymin + ymax) / 2))
        need = wanted[code] * candidates
        pool = np.empty((0, 2))
        for _ in range(_MAX_DRAWS):
            batch = max(64, 2 * (need - len(pool)))
            cx = rng.uniform(xmin, xmax, batch)
            cy = rng.uniform(ymin, ymax, batch)
            inside = shapely.contains_xy(area, cx, cy)
            pool = np.vstack([pool, np.column_stack([cx[inside], cy[inside]])])
            if len(pool) >= need:
                break
        else:
            raise ZzgeoError(f"could not find positions inside district {code}")
        options_per_site = pool[:need].reshape(wanted[code], candidates, 2)
        box = (taken[:, 0] >= xmin - 0.05) & (taken[:, 0] <= xmax + 0.05)
        box &= (taken[:, 1] >= ymin - 0.05) & (taken[:, 1] <= ymax + 0.05)
        near = taken[box]
        for options in options_per_site:
            if len(near) and candidates > 1:
                dx = (options[:, None, 0] - near[None, :, 0]) * coslat
                dy = options[:, None, 1] - near[None, :, 1]
                nearest_km = np.sqrt(np.min(dx * dx + dy * dy, axis=1)) * _KM_PER_DEG
                # the first candidate with enough room, else the one with the most room
                best = int(np.argmax(np.minimum(nearest_km, spacing_km)))
            else:
                best = 0
            x, y = options[best]
            codes.append(code)
            xs.append(float(x))
            ys.append(float(y))
            near = np.vstack([near, [[x, y]]])
    return gpd.GeoDataFrame(
        {ASSIGNED_COLUMN: pd.array(codes, dtype="str")},
        geometry=gpd.points_from_xy(xs, ys),
        crs="EPSG:4326",
    )


def empty_proposals() -> gpd.GeoDataFrame:
    """A proposals frame with no rows (the columns of :func:`make_proposals`)."""
    return make_proposals([], [], year=None)


def make_proposals(
    lon: ArrayLike,
    lat: ArrayLike,
    *,
    year: int | None,
    start: int = 1,
    operator: str = "China Mobile",
    districts: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Proposed 5G sites at the given positions.

    Parameters
    ----------
    lon, lat : array_like
        WGS-84 degrees.
    year : int or None
        ``year_in_service`` of the proposals (the as-of year of the scenario).
    start : int
        Number of the first site id (``PROP-0001`` for 1).
    operator : str
        One of :data:`zzgeo.layers.OPERATORS`.
    districts : geopandas.GeoDataFrame, optional
        Used to fill ``district_adcode`` (None outside Zhangzhou); default full detail.
        Not read when there are no positions.

    Returns
    -------
    geopandas.GeoDataFrame
        The ``5g_sites`` columns (``status`` "planned", ``synthetic`` False, ``source``
        :data:`PROPOSAL_SOURCE`), ``proposed`` (True) and ``district_adcode``; EPSG:4326.
    """
    if operator not in OPERATORS:
        raise UnknownKeyError("operator", operator, list(OPERATORS))
    x = np.asarray(lon, dtype=np.float64).ravel()
    y = np.asarray(lat, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError(f"lon and lat differ in shape: {x.shape} vs {y.shape}")
    n = len(x)
    if n:
        districts = load_districts("full") if districts is None else districts
        assigned = assign_districts(x, y, districts)
    else:
        assigned = np.empty(0, dtype=object)
    return gpd.GeoDataFrame(
        {
            "site_id": pd.array([f"{PROPOSAL_PREFIX}{start + i:04d}" for i in range(n)], dtype="str"),
            "operator": pd.array([operator] * n, dtype="str"),
            "band": pd.array([None] * n, dtype="str"),
            "status": pd.array(["planned"] * n, dtype="str"),
            "year_in_service": pd.array([year] * n, dtype="Int64"),
            "synthetic": pd.array([False] * n, dtype="boolean"),
            "source": pd.array([PROPOSAL_SOURCE] * n, dtype="str"),
            "proposed": pd.array([True] * n, dtype="boolean"),
            ASSIGNED_COLUMN: pd.array(list(assigned), dtype="str"),
        },
        geometry=gpd.points_from_xy(x, y),
        crs="EPSG:4326",
    )


def suggest_sites(
    table: pd.DataFrame,
    n: int,
    *,
    districts: gpd.GeoDataFrame | None = None,
    land: gpd.GeoDataFrame | None = None,
    existing: gpd.GeoDataFrame | None = None,
    by: str = "sites_per_10k",
    seed: int = 0,
    start: int = 1,
    year: int | None = None,
    operator: str = "China Mobile",
    areas: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Propose ``n`` 5G sites in the most underserved districts (or areas).

    :func:`allocate_sites` decides how many go to each district, :func:`place_sites`
    where, and :func:`make_proposals` builds the rows.

    Parameters
    ----------
    table : pandas.DataFrame
        Indicator table (see :func:`allocate_sites`); to suggest on top of earlier
        proposals, pass the table of :func:`indicators_with_proposals`.
    n : int
        Number of sites to propose.
    districts, land, existing, seed
        See :func:`place_sites`.
    by : {"sites_per_10k", "gap"}
        Allocation rule.
    start : int
        Number of the first site id.
    year : int, optional
        ``year_in_service`` of the proposals; default ``table.attrs["year"]``.
    operator : str
        Operator of the proposals.
    areas : geopandas.GeoDataFrame, optional
        The prepared area layer ``table`` is of (``compute_indicators(..., areas=areas)``
        or :func:`indicators_with_proposals` with ``areas``): sites go to its areas with
        residents, placed on each area's land; ``districts`` still gives their
        ``district_adcode``.

    Returns
    -------
    geopandas.GeoDataFrame
        Proposed sites as from :func:`make_proposals`, ``n`` rows.
    """
    if areas is not None:
        populated = (table["adcode"].astype("str") == CITY_ADCODE) | (table["population"] > 0)
        if not populated.iloc[:-1].any() and n > 0:
            raise ZzgeoError("no area has residents: there is nothing to allocate sites by")
        table = table[populated]
    counts = allocate_sites(table, n, by=by)
    districts = load_districts("full") if districts is None else districts
    placed = place_sites(counts, districts if areas is None else areas, land, existing=existing, seed=seed)
    year = table.attrs.get("year") if year is None else year
    out = make_proposals(
        placed.geometry.x.to_numpy(),
        placed.geometry.y.to_numpy(),
        year=None if year is None else int(year),
        start=start,
        operator=operator,
        districts=districts,
    )
    logger.debug("suggested %d sites: %s", len(out), counts[counts > 0].to_dict())
    return out


def add_proposals(layer: gpd.GeoDataFrame, proposals: gpd.GeoDataFrame, *, year: int | None = None) -> gpd.GeoDataFrame:
    """The real 5G layer plus the proposals (a new frame; neither input changes).

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        The 5G sites (any filtering already applied).
    proposals : geopandas.GeoDataFrame
        From :func:`make_proposals`/:func:`suggest_sites`.
    year : int, optional
        When given, the proposals' ``year_in_service`` is set to it, so that they count
        in that as-of year.

    Returns
    -------
    geopandas.GeoDataFrame
        Rows of ``layer`` (``proposed`` False) then the proposals (``proposed`` True).
    """
    spec = get_spec(_KIND)
    props = proposals.to_crs(layer.crs) if layer.crs is not None and proposals.crs is not None else proposals
    props = props.copy()
    if year is not None:
        props[spec.year_column] = pd.array([year] * len(props), dtype="Int64")
    props["proposed"] = pd.array([True] * len(props), dtype="boolean")
    real = layer.copy()
    real["proposed"] = pd.array([False] * len(real), dtype="boolean")
    if ASSIGNED_COLUMN in real.columns and ASSIGNED_COLUMN not in props.columns:
        props = props.assign(**{ASSIGNED_COLUMN: pd.array([None] * len(props), dtype="str")})
    if ASSIGNED_COLUMN in props.columns and ASSIGNED_COLUMN not in real.columns:
        props = props.drop(columns=ASSIGNED_COLUMN)
    columns = list(real.columns)
    for col in props.columns:
        if col not in columns:
            columns.append(col)
    frames = [f.reindex(columns=columns) for f in (real, props) if len(f)]
    if not frames:
        return real
    combined = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(combined, geometry=real.geometry.name, crs=layer.crs)


def accept_proposals(layer: gpd.GeoDataFrame, proposals: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The 5G layer with the proposals accepted as real sites (``proposed`` False).

    Accepted proposals keep their id, position, operator and status ("planned"); the
    inputs are unchanged.
    """
    combined = add_proposals(layer, proposals)
    combined["proposed"] = pd.array([False] * len(combined), dtype="boolean")
    return combined


def proposals_from_features(
    features: Sequence[Mapping[str, object]], districts: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """Proposals from GeoJSON features (e.g. kept by a web page), checked and typed.

    Point features only; ``properties`` may carry ``site_id``, ``operator`` and
    ``year_in_service`` (kept when valid) and ``district_adcode`` (recomputed when absent).
    Other geometry types and missing coordinates are skipped.

    Returns
    -------
    geopandas.GeoDataFrame
        As :func:`make_proposals`.
    """
    rows = []
    for feature in features:
        geometry = feature.get("geometry") if isinstance(feature, Mapping) else None
        if not isinstance(geometry, Mapping) or geometry.get("type") != "Point":
            continue
        coords = geometry.get("coordinates")
        try:
            lon, lat = float(coords[0]), float(coords[1])  # type: ignore[index]
        except (TypeError, ValueError, IndexError, KeyError):
            continue
        if not (np.isfinite(lon) and np.isfinite(lat)):
            continue
        props = feature.get("properties")
        props = props if isinstance(props, Mapping) else {}
        rows.append((lon, lat, props))
    if not rows:
        return empty_proposals()
    spec = get_spec(_KIND)
    out = make_proposals([r[0] for r in rows], [r[1] for r in rows], year=None, districts=districts)
    ids, operators, years = [], [], []
    for i, (_, _, props) in enumerate(rows):
        site_id = props.get("site_id")
        ids.append(str(site_id) if isinstance(site_id, str) and site_id else out["site_id"].iloc[i])
        operator = props.get("operator")
        operators.append(operator if operator in OPERATORS else "China Mobile")
        year = props.get(spec.year_column)
        years.append(int(year) if isinstance(year, (int, float)) and not isinstance(year, bool) else None)
    out["site_id"] = pd.array(ids, dtype="str")
    out["operator"] = pd.array(operators, dtype="str")
    out[spec.year_column] = pd.array(years, dtype="Int64")
    return out


def next_proposal_number(*frames: gpd.GeoDataFrame | None) -> int:
    """The number for the next ``PROP-`` id: one more than the highest in ``frames``."""
    highest = 0
    for frame in frames:
        if frame is None or "site_id" not in frame.columns:
            continue
        ids = frame["site_id"].dropna().astype("str")
        numbers = pd.to_numeric(ids[ids.str.startswith(PROPOSAL_PREFIX)].str[len(PROPOSAL_PREFIX) :], errors="coerce")
        if numbers.notna().any():
            highest = max(highest, int(numbers.max()))
    return highest + 1


def indicators_with_proposals(
    layer: gpd.GeoDataFrame,
    proposals: gpd.GeoDataFrame | None,
    districts: gpd.GeoDataFrame | None = None,
    population: pd.DataFrame | None = None,
    *,
    year: int | None = None,
    operators: Sequence[str] | None = None,
    statuses: Sequence[str] | None = ("in_service",),
    targets: pd.DataFrame | None = None,
    areas: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """5G indicators of the filtered layer with the proposals added, per district (or area).

    The real layer is filtered (``year``, ``operators``, ``statuses``, as in
    :func:`zzgeo.indicators.compute_indicators`); every proposal is then added whatever
    its operator or status, counting in ``year``. With no proposals the result equals
    ``compute_indicators(layer, ..., year=year, operators=operators, statuses=statuses)``.

    With ``areas`` (a prepared area layer) the table is per area, as
    ``compute_indicators(..., areas=areas)``.

    Returns
    -------
    pandas.DataFrame
        As :func:`zzgeo.indicators.compute_indicators`, plus column ``proposed_sites``
        (proposals counted per district or area, and in the city row their total in the
        city) and ``attrs["proposed_outside"]`` (proposals in no district); with areas
        also ``attrs["proposed_unassigned"]`` (proposals in no area).
    """
    if proposals is None or len(proposals) == 0:
        table = compute_indicators(
            layer, districts, population, kind=_KIND, year=year, operators=operators, statuses=statuses,
            targets=targets, areas=areas,
        )  # fmt: skip
        table["proposed_sites"] = 0
        table.attrs["proposed_outside"] = 0
        if areas is not None:
            table.attrs["proposed_unassigned"] = 0
        return table
    real = filter_layer(layer, _KIND, year=year, operators=operators, statuses=statuses)
    combined = add_proposals(real, proposals, year=year)
    table = compute_indicators(
        combined, districts, population, kind=_KIND, year=year, operators=None, statuses=None, targets=targets,
        areas=areas,
    )  # fmt: skip
    districts_used = load_districts("full") if districts is None else districts
    if ASSIGNED_COLUMN in proposals.columns:
        assigned = proposals[ASSIGNED_COLUMN]
    else:
        geoms = proposals.to_crs("EPSG:4326").geometry
        assigned = pd.Series(assign_districts(geoms.x, geoms.y, districts_used), index=proposals.index)
    per = assigned.value_counts()
    codes = table["adcode"].astype("str")
    if areas is not None:
        geoms = proposals.to_crs("EPSG:4326").geometry
        per, table.attrs["proposed_unassigned"] = count_in_areas(geoms.x, geoms.y, areas)
    table["proposed_sites"] = codes.map(per).fillna(0).astype("int64")
    inside = int(assigned.notna().sum())
    table.loc[codes == CITY_ADCODE, "proposed_sites"] = inside
    table.attrs["proposed_outside"] = len(proposals) - inside
    return table


def proposal_effect(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Compare two indicator tables (without and with proposals), row by row.

    Returns
    -------
    pandas.DataFrame
        Per adcode (districts and city): ``name_zh``, ``name_en``, ``sites_before``,
        ``sites_after``, ``added``, ``per_10k_before``, ``per_10k_after`` (sites per
        10,000 residents), ``underserved_before``, ``underserved_after``; and, when both
        tables have the coverage columns (``coverage_pct``, ``population_weighted_pct``),
        ``coverage_before``/``coverage_after`` and ``pop_coverage_before``/``pop_coverage_after``
        (percent).
    """
    b = before.set_index(before["adcode"].astype("str"))
    a = after.set_index(after["adcode"].astype("str")).reindex(b.index)
    out = pd.DataFrame(
        {
            "adcode": b.index,
            "name_zh": b["name_zh"].to_numpy(),
            "name_en": b["name_en"].to_numpy(),
            "sites_before": b["sites"].to_numpy(dtype="int64"),
            "sites_after": a["sites"].to_numpy(dtype="int64"),
            "added": (a["sites"] - b["sites"]).to_numpy(dtype="int64"),
            "per_10k_before": b["sites_per_10k"].to_numpy(dtype="float64"),
            "per_10k_after": a["sites_per_10k"].to_numpy(dtype="float64"),
            "underserved_before": b["underserved"].to_numpy(dtype=bool),
            "underserved_after": a["underserved"].to_numpy(dtype=bool),
        }
    ).reset_index(drop=True)
    for column, name in (("coverage_pct", "coverage"), ("population_weighted_pct", "pop_coverage")):
        if column in b.columns and column in a.columns:
            out[f"{name}_before"] = pd.to_numeric(b[column], errors="coerce").to_numpy(dtype="float64")
            out[f"{name}_after"] = pd.to_numeric(a[column], errors="coerce").to_numpy(dtype="float64")
    return out
