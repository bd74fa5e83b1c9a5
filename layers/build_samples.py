"""Build the SYNTHETIC sample layers shipped in layers/ (seeded, byte-reproducible).

No inventory of Zhangzhou's real 5G sites, data centers or smart-city projects was found, so
the project ships plausible, clearly labelled samples instead:

- ``5g_sites.geojson``: ~15,700 5G base stations (in service 2019-2025, plus some under
  construction and planned), placed on each district's land, dense around the county seat.
  Per-district 2025 densities are chosen (``RATIO_2025``) so that the urban cores are well
  above and the mountain counties clearly below the plan's 30 per 10,000 residents, while
  the city as a whole reaches ~30 in 2025 along ``CITY_PATH``.
- ``data_centers.geojson``: the plan's two named data centers at illustrative positions plus
  a handful of generic samples; racks, power and PUE are illustrative.
- ``smart_projects.geojson``: ~75 projects spread over the plan's 29 tasks and all 11
  districts, including the plan's named industrial-internet projects.

Run from the repository root (``make samples``)::

    .venv/bin/python layers/build_samples.py [OUT_DIR]

OUT_DIR defaults to this folder. Running twice gives byte-identical files. The script checks
its output against the registry in :mod:`zzgeo.layers` and prints the 5G density per
district and year.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zzgeo.districts import load_districts, load_land, load_population
from zzgeo.export import to_geojson
from zzgeo.layers import get_spec, load_layer
from zzgeo.settings import get_settings

HERE = Path(__file__).resolve().parent
GEODATA = HERE.parent / "geodata"

SEED = 3506  # Zhangzhou's adcode prefix
SITE_SOURCE = f"synthetic (zzgeo seed {SEED})"
DC_SOURCE = (
    f"zzgeo synthetic sample, seed {SEED} — position, racks, power and PUE are illustrative, not published figures"
)
DC_NAMED_SOURCE = (
    "named in Zhangzhou's new-infrastructure plan (2023-2025); position, year, racks, power and "
    "PUE are illustrative (zzgeo synthetic sample), not published figures"
)
PROJECT_SOURCE = f"zzgeo synthetic sample, seed {SEED} — not a real project; position, year and budget are illustrative"
PROJECT_NAMED_SOURCE = (
    "named in Zhangzhou's new-infrastructure plan (2023-2025); position, district, year, status and "
    "budget are illustrative (zzgeo synthetic sample), not published figures"
)

#: Approximate county seats (WGS-84 lon, lat), used only to shape the samples. Every seat lies
#: inside its district's land in geodata/ (checked at run time; a seat that did not would be
#: replaced by the representative point of the district's land, with a notice).
SEATS: dict[str, tuple[float, float]] = {
    "350602": (117.650, 24.513),  # 芗城 Xiangcheng
    "350603": (117.712, 24.503),  # 龙文 Longwen
    "350604": (117.818, 24.447),  # 龙海 Longhai (Shima)
    "350605": (117.759, 24.625),  # 长泰 Changtai
    "350622": (117.340, 23.957),  # 云霄 Yunxiao
    "350623": (117.614, 24.117),  # 漳浦 Zhangpu
    "350624": (117.176, 23.712),  # 诏安 Zhao'an
    "350626": (117.428, 23.702),  # 东山 Dongshan
    "350627": (117.357, 24.516),  # 南靖 Nanjing
    "350628": (117.314, 24.363),  # 平和 Pinghe
    "350629": (117.536, 25.004),  # 华安 Hua'an
}

#: In-service 5G sites per 10,000 residents at the end of 2025, by district. Tuned so that the
#: population-weighted city-wide figure is ~30 (the plan's target).
RATIO_2025: dict[str, float] = {
    "350602": 46.0,  # urban core
    "350603": 44.0,  # urban core
    "350604": 33.0,
    "350605": 28.0,
    "350622": 26.0,
    "350623": 29.0,
    "350624": 23.0,
    "350626": 31.0,
    "350627": 21.0,  # underserved (mountains)
    "350628": 16.0,  # underserved (mountains)
    "350629": 19.0,  # underserved (mountains)
}

#: Tier of each district: shapes the roll-out timing, clustering and the pipeline.
TIER: dict[str, str] = {
    "350602": "core", "350603": "core", "350604": "core", "350626": "core",
    "350605": "middle", "350622": "middle", "350623": "middle", "350624": "middle",
    "350627": "low", "350628": "low", "350629": "low",
}  # fmt: skip

#: City-wide cumulative in-service sites per 10,000 residents, end of each year (2023-2025
#: follow geodata/plan_targets.csv; earlier years are a plausible ramp from the 2019 licences).
CITY_PATH: dict[int, float] = {2019: 1, 2020: 4, 2021: 9, 2022: 14, 2023: 20, 2024: 25, 2025: 30}

#: tier -> (roll-out exponent: <1 early, >1 late; share of sites near the seat; sigma in km;
#:          under-construction and planned sites per 10,000 residents)
TIER_SHAPE: dict[str, tuple[float, float, float, float, float]] = {
    "core": (0.8, 0.65, 4.0, 0.3, 0.3),
    "middle": (1.0, 0.60, 5.0, 0.5, 0.6),
    "low": (1.25, 0.55, 6.0, 1.0, 1.2),
}
SIGMA_KM = {"350602": 3.0, "350603": 3.0}  # small urban districts: tighter cluster

#: operator -> (share of all sites, {band: share})
OPERATOR_MIX: dict[str, tuple[float, dict[str, float]]] = {
    "China Mobile": (0.45, {"n41": 0.78, "n79": 0.08, "n28": 0.14}),
    "China Telecom": (0.27, {"n78": 0.86, "n1": 0.14}),
    "China Unicom": (0.23, {"n78": 0.86, "n1": 0.14}),
    "China Broadnet": (0.05, {"n28": 0.75, "n78": 0.25}),
}
#: 700 MHz (n28) and NR on 2.1 GHz (n1) and China Broadnet's network came from 2021 on.
LATE_BANDS = {"n28", "n1"}
LATE_OPERATORS = {"China Broadnet"}
LATE_FROM = 2021

#: task key -> short (zh, en) label for generic project names
TASK_LABELS: dict[str, tuple[str, str]] = {
    "gigabit_fibre": ("千兆光网", "Gigabit fibre"),
    "5g_network": ("5G网络", "5G network"),
    "broadcast_tv": ("广电网络升级", "Broadcast TV network upgrade"),
    "iot_platform": ("物联网平台", "IoT platform"),
    "industrial_internet": ("工业互联网", "Industrial internet"),
    "green_data_centers": ("绿色数据中心", "Green data center"),
    "intelligent_computing": ("智能计算", "Intelligent computing"),
    "ai_platforms": ("人工智能平台", "AI platform"),
    "blockchain_metaverse": ("区块链应用", "Blockchain application"),
    "public_data_platform": ("公共数据平台", "Public data platform"),
    "digital_security": ("数字安全", "Digital security"),
    "digital_government": ("数字政府", "Digital government"),
    "smart_agriculture": ("智慧农业", "Smart agriculture"),
    "smart_manufacturing": ("智能制造", "Smart manufacturing"),
    "digital_services": ("数字服务业", "Digital services"),
    "smart_energy": ("智慧能源", "Smart energy"),
    "smart_transport": ("智慧交通", "Smart transportation"),
    "smart_water": ("智慧水利", "Smart water conservancy"),
    "smart_education": ("智慧教育", "Smart education"),
    "smart_medical": ("智慧医疗", "Smart medical care"),
    "digital_culture_tourism": ("数字文旅", "Digital culture and tourism"),
    "smart_ocean": ("智慧海洋", "Smart ocean"),
    "eco_environment": ("生态环境监测", "Ecological environment monitoring"),
    "smart_emergency": ("智慧应急", "Smart emergency management"),
    "smart_fire": ("智慧消防", "Smart fire protection"),
    "digital_rural": ("数字乡村", "Digital rural"),
    "new_smart_city": ("新型智慧城市", "New smart city"),
    "research_innovation": ("科研创新平台", "Research and innovation platform"),
    "digital_public_service": ("数字产业公共服务", "Digital industry public service"),
}
#: tasks whose projects spread over the countryside rather than cluster near the seat
RURAL_TASKS = {"smart_agriculture", "smart_water", "digital_rural", "eco_environment", "smart_ocean"}
COASTAL = ["350604", "350622", "350623", "350624", "350626"]

KM_PER_DEG_LAT = 111.32


# --------------------------------------------------------------------------------------------
# Geography
# --------------------------------------------------------------------------------------------


class Sampler:
    """Rejection sampler of points on a district's land, strictly inside its polygon."""

    def __init__(self, districts: gpd.GeoDataFrame, land: gpd.GeoDataFrame) -> None:
        land_union = shapely.union_all(shapely.make_valid(land.geometry.to_numpy()))
        self.polygons: dict[str, shapely.Geometry] = {}
        self.regions: dict[str, shapely.Geometry] = {}
        self.seats: dict[str, tuple[float, float]] = {}
        for adcode, geom in zip(districts["adcode"], districts.geometry, strict=True):
            region = shapely.intersection(geom, land_union)
            shapely.prepare(geom)
            shapely.prepare(region)
            self.polygons[adcode] = geom
            self.regions[adcode] = region
            seat = SEATS[adcode]
            if not (shapely.contains_xy(region, *seat) and shapely.contains_properly(geom, shapely.Point(seat))):
                rep = region.representative_point()
                print(f"notice: seat of {adcode} is not on its land; using the land's representative point")
                seat = (rep.x, rep.y)
            self.seats[adcode] = seat
        self.all_polygons = list(self.polygons.values())

    def sample(self, rng: np.random.Generator, adcode: str, n: int, near_share: float, sigma_km: float) -> np.ndarray:
        """``n`` points (lon, lat rounded to 6 decimals): a share Gaussian around the seat, the rest uniform."""
        n_near = round(n * near_share)
        near = self._draw(rng, adcode, n_near, sigma_km)
        far = self._draw(rng, adcode, n - n_near, None)
        return np.vstack([near, far])

    def _draw(self, rng: np.random.Generator, adcode: str, n: int, sigma_km: float | None) -> np.ndarray:
        region, polygon = self.regions[adcode], self.polygons[adcode]
        lon0, lat0 = self.seats[adcode]
        minx, miny, maxx, maxy = region.bounds
        out: list[np.ndarray] = []
        have = 0
        while have < n:
            batch = max(64, 2 * (n - have))
            if sigma_km is None:
                xy = np.column_stack([rng.uniform(minx, maxx, batch), rng.uniform(miny, maxy, batch)])
            else:
                dlat = sigma_km / KM_PER_DEG_LAT
                dlon = dlat / np.cos(np.radians(lat0))
                xy = np.column_stack([rng.normal(lon0, dlon, batch), rng.normal(lat0, dlat, batch)])
            xy = np.round(xy, 6)
            points = shapely.points(xy)
            ok = shapely.contains_xy(region, xy[:, 0], xy[:, 1]) & shapely.contains_properly(polygon, points)
            if ok.any():  # a point on a shared border must not fall inside a neighbour too
                for other in self.all_polygons:
                    if other is not polygon:
                        ok &= ~shapely.intersects(other, points)
            accepted = xy[ok][: n - have]
            out.append(accepted)
            have += len(accepted)
        return np.vstack(out) if out else np.empty((0, 2))


# --------------------------------------------------------------------------------------------
# 5G sites
# --------------------------------------------------------------------------------------------


def _largest_remainder(values: np.ndarray, total: int) -> np.ndarray:
    base = np.floor(values).astype(int)
    short = total - base.sum()
    if short > 0:
        order = np.argsort(-(values - base), kind="stable")
        base[order[:short]] += 1
    return base


def site_counts(population: pd.Series) -> pd.DataFrame:
    """Cumulative in-service sites per district (rows) and year (columns)."""
    adcodes = list(population.index)
    final = np.array([round(RATIO_2025[a] * population[a] / 1e4) for a in adcodes])
    gamma = np.array([TIER_SHAPE[TIER[a]][0] for a in adcodes])
    years = sorted(CITY_PATH)
    table = {}
    previous = np.zeros(len(adcodes), dtype=int)
    for year in years:
        frac = CITY_PATH[year] / CITY_PATH[years[-1]]
        target = frac * final.sum()
        cum = final * frac**gamma
        for _ in range(50):  # rescale to the city-wide target, never above a district's final
            cum = np.minimum(final, cum * target / cum.sum())
        counts = np.maximum(_largest_remainder(cum, round(target)), previous)
        table[year] = counts
        previous = counts
    return pd.DataFrame(table, index=pd.Index(adcodes, name="adcode"))


def _operators_and_bands(rng: np.random.Generator, years: np.ndarray) -> tuple[list[str], list[str]]:
    names = list(OPERATOR_MIX)
    shares = np.array([OPERATOR_MIX[o][0] for o in names])
    early_share = (years < LATE_FROM).mean()
    operators: list[str] = []
    bands: list[str] = []
    for year in years:
        p = shares.copy()
        late = np.array([o in LATE_OPERATORS for o in names])
        if year < LATE_FROM:
            p[late] = 0
        else:  # make up the early years so the overall mix stays at the target shares
            p[late] = p[late] / (1 - early_share)
        p = p / p.sum()
        operator = names[rng.choice(len(names), p=p)]
        band_mix = OPERATOR_MIX[operator][1]
        band_names = [b for b in band_mix if year >= LATE_FROM or b not in LATE_BANDS]
        q = np.array([band_mix[b] for b in band_names])
        operators.append(operator)
        bands.append(band_names[rng.choice(len(band_names), p=q / q.sum())])
    return operators, bands


def build_sites(sampler: Sampler, population: pd.Series, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """The synthetic 5G site layer."""
    counts = site_counts(population)
    years = list(counts.columns)
    frames = []
    for adcode in counts.index:
        cum = counts.loc[adcode].to_numpy()
        new = np.diff(np.concatenate([[0], cum]))
        _, near_share, sigma, uc_rate, planned_rate = TIER_SHAPE[TIER[adcode]]
        sigma = SIGMA_KM.get(adcode, sigma)
        n_uc = round(uc_rate * population[adcode] / 1e4)
        n_planned = round(planned_rate * population[adcode] / 1e4)
        n_planned_2026 = n_planned // 2
        status = ["in_service"] * int(cum[-1]) + ["under_construction"] * n_uc + ["planned"] * n_planned
        year = np.concatenate(
            [
                np.repeat(years, new),
                np.full(n_uc, 2026),
                np.full(n_planned_2026, 2026),
                np.full(n_planned - n_planned_2026, 2027),
            ]
        )
        xy = sampler.sample(rng, adcode, len(status), near_share, sigma)
        # Earlier sites sit nearer the county seat: rank points by a noisy distance.
        lon0, lat0 = sampler.seats[adcode]
        dist = np.hypot((xy[:, 0] - lon0) * np.cos(np.radians(lat0)), xy[:, 1] - lat0)
        order = np.argsort(dist * np.exp(rng.normal(0, 0.6, len(dist))), kind="stable")
        frames.append(
            pd.DataFrame(
                {"adcode": adcode, "status": status, "year_in_service": year, "lon": xy[order, 0], "lat": xy[order, 1]}
            )
        )
    sites = pd.concat(frames, ignore_index=True)
    status_rank = sites["status"].map({"in_service": 0, "under_construction": 1, "planned": 2})
    sites = (
        sites.assign(_rank=status_rank)
        .sort_values(["year_in_service", "_rank", "adcode"], kind="stable")
        .reset_index(drop=True)
    )
    operators, bands = _operators_and_bands(rng, sites["year_in_service"].to_numpy())
    gdf = gpd.GeoDataFrame(
        {
            "site_id": [f"SYN-5G-{i:06d}" for i in range(1, len(sites) + 1)],
            "operator": operators,
            "band": bands,
            "status": sites["status"],
            "year_in_service": sites["year_in_service"].astype(int),
            "synthetic": True,
            "source": SITE_SOURCE,
        },
        geometry=shapely.points(sites[["lon", "lat"]].to_numpy()),
        crs="EPSG:4326",
    )
    return gdf


# --------------------------------------------------------------------------------------------
# Data centers and smart-city projects
# --------------------------------------------------------------------------------------------

#: (name, name_en, adcode, status, year, racks, pue, named in the plan)
DATA_CENTERS: list[tuple[str, str, str, str, int, int, float, bool]] = [
    ("漳州云计算中心", "Zhangzhou Cloud Computing Center", "350603", "in_service", 2022, 1200, 1.35, True),
    ("“海上漳州”大数据中心", '"Zhangzhou on the Sea" big data center', "350604", "under_construction", 2025,
     2000, 1.25, True),
    ("样例数据中心 A (合成)", "Sample data center A (synthetic)", "350602", "in_service", 2019, 300, 1.55, False),
    ("样例数据中心 B (合成)", "Sample data center B (synthetic)", "350605", "in_service", 2021, 500, 1.45, False),
    ("样例数据中心 C (合成)", "Sample data center C (synthetic)", "350623", "in_service", 2023, 800, 1.32, False),
    ("样例数据中心 D (合成)", "Sample data center D (synthetic)", "350622", "in_service", 2020, 150, 1.60, False),
    ("样例数据中心 E (合成)", "Sample data center E (synthetic)", "350624", "under_construction", 2025, 400,
     1.28, False),
    ("样例数据中心 F (合成)", "Sample data center F (synthetic)", "350627", "planned", 2026, 1000, 1.25, False),
    ("样例数据中心 G (合成)", "Sample data center G (synthetic)", "350629", "planned", 2027, 1500, 1.22, False),
    ("样例数据中心 H (合成)", "Sample data center H (synthetic)", "350626", "in_service", 2024, 250, 1.30, False),
]  # fmt: skip
KW_PER_RACK = 6.0  # IT load per rack; power_mw is the facility's capacity (IT load x PUE)


def build_data_centers(sampler: Sampler, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """The synthetic data-center layer."""
    rows = []
    for name, name_en, adcode, status, year, racks, pue, named in DATA_CENTERS:
        lon, lat = sampler.sample(rng, adcode, 1, 1.0, 6.0)[0]
        rows.append(
            {
                "name": name,
                "name_en": name_en,
                "status": status,
                "year": year,
                "racks": racks,
                "power_mw": round(racks * KW_PER_RACK / 1000 * pue, 1),
                "pue": pue,
                "synthetic": True,
                "source": DC_NAMED_SOURCE if named else DC_SOURCE,
                "lon": lon,
                "lat": lat,
            }
        )
    table = pd.DataFrame(rows)
    return gpd.GeoDataFrame(
        table.drop(columns=["lon", "lat"]),
        geometry=shapely.points(table[["lon", "lat"]].to_numpy()),
        crs="EPSG:4326",
    )


#: (name, name_en, plan_task, adcode, status, year, budget in 10,000 CNY)
NAMED_PROJECTS: list[tuple[str, str, str, str, str, int, float]] = [
    ("工业大脑", "The industrial brain", "industrial_internet", "350602", "under_construction", 2024, 8000.0),
    ("工业互联网数字技术公共服务平台", "Industrial-internet digital technology public service platform",
     "digital_public_service", "350603", "in_service", 2023, 3000.0),
]  # fmt: skip
STATUS_BY_YEAR = {
    2023: {"in_service": 0.8, "under_construction": 0.2, "planned": 0.0},
    2024: {"in_service": 0.5, "under_construction": 0.4, "planned": 0.1},
    2025: {"in_service": 0.2, "under_construction": 0.5, "planned": 0.3},
}


def read_task_keys() -> list[str]:
    """Task keys of geodata/plan_tasks.csv, in plan order."""
    with (GEODATA / "plan_tasks.csv").open(encoding="utf-8") as fh:
        return [row["key"] for row in csv.DictReader(fh)]


def build_projects(sampler: Sampler, rng: np.random.Generator, adcodes: Sequence[str]) -> gpd.GeoDataFrame:
    """The synthetic smart-city project layer."""
    tasks = read_task_keys()
    if set(tasks) != set(TASK_LABELS):
        raise SystemExit(f"TASK_LABELS and geodata/plan_tasks.csv disagree: {set(tasks) ^ set(TASK_LABELS)}")
    extra = set(rng.choice(tasks, size=15, replace=False).tolist())
    plan = [task for task in tasks for _ in range(3 if task in extra else 2)]
    # Districts: cycle through a shuffled list so all 11 get projects; ocean projects on the coast.
    cycle = [str(a) for a in rng.permutation(list(adcodes))]
    rows = []
    for name, name_en, task, adcode, status, year, budget in NAMED_PROJECTS:
        rows.append((name, name_en, task, adcode, status, year, budget, PROJECT_NAMED_SOURCE))
    for i, task in enumerate(plan, start=1):
        adcode = str(rng.choice(COASTAL)) if task == "smart_ocean" else cycle[(i - 1) % len(cycle)]
        year = int(rng.choice(sorted(STATUS_BY_YEAR)))
        mix = STATUS_BY_YEAR[year]
        status = str(rng.choice(list(mix), p=list(mix.values())))
        budget = float(round(min(30000.0, max(100.0, rng.lognormal(np.log(1500), 0.9))), -1))
        zh, en = TASK_LABELS[task]
        rows.append((f"{zh}项目 {i} (样例)", f"{en} project {i} (sample)", task, adcode, status, year, budget,
                     PROJECT_SOURCE))  # fmt: skip
    lon_lat = []
    for row in rows:
        task, adcode = row[2], row[3]
        near_share = 0.0 if task in RURAL_TASKS else 1.0
        lon_lat.append(sampler.sample(rng, adcode, 1, near_share, 6.0)[0])
    xy = np.array(lon_lat)
    table = pd.DataFrame(rows, columns=["name", "name_en", "plan_task", "adcode", "status", "year", "budget", "source"])
    table["synthetic"] = True
    table = table[["name", "name_en", "plan_task", "status", "year", "budget", "synthetic", "source"]]
    return gpd.GeoDataFrame(table, geometry=shapely.points(xy), crs="EPSG:4326")


# --------------------------------------------------------------------------------------------
# Validation and report
# --------------------------------------------------------------------------------------------


def check_layer(kind: str, gdf: gpd.GeoDataFrame, extra: Sequence[str] = ()) -> list[str]:
    """Problems of ``gdf`` against the registry's spec of ``kind`` (empty list when fine)."""
    spec = get_spec(kind)
    problems = []
    expected = [c.name for c in spec.columns] + list(extra)
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    if sorted(columns) != sorted(expected):
        problems.append(f"{kind}: columns {columns}, expected {expected}")
    if not (gdf.geom_type == "Point").all():
        problems.append(f"{kind}: not all geometries are points")
    for col in spec.columns:
        if col.name not in gdf.columns:
            problems.append(f"{kind}: missing column {col.name}")
            continue
        values = gdf[col.name]
        if values.isna().any():
            problems.append(f"{kind}.{col.name}: {int(values.isna().sum())} missing values")
        if col.allowed and not values.isin(col.allowed).all():
            problems.append(f"{kind}.{col.name}: values {sorted(set(values) - set(col.allowed))} not allowed")
        if col.min is not None and (values < col.min).any():
            problems.append(f"{kind}.{col.name}: values below {col.min}")
        if col.max is not None and (values > col.max).any():
            problems.append(f"{kind}.{col.name}: values above {col.max}")
    if gdf[spec.id_column].duplicated().any():
        problems.append(f"{kind}: duplicate {spec.id_column}")
    if not gdf["synthetic"].eq(True).all():
        problems.append(f"{kind}: a feature is not marked synthetic")
    return problems


def density_table(sites: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, population: pd.Series) -> pd.DataFrame:
    """Cumulative in-service sites per 10,000 residents, by district (rows) and year."""
    joined = gpd.sjoin(sites, districts[["adcode", "name_en", "geometry"]], predicate="within", how="left")
    if joined["adcode"].isna().any() or len(joined) != len(sites):
        raise SystemExit("some 5G sites are not inside exactly one district")
    live = joined[joined["status"] == "in_service"]
    years = sorted(CITY_PATH)
    new = live.groupby(["adcode", "year_in_service"]).size().unstack(fill_value=0)
    cum = new.reindex(index=population.index, columns=years, fill_value=0).cumsum(axis=1)
    table = cum.div(population / 1e4, axis=0)
    names = districts.set_index("adcode")["name_en"].str.replace(r" (District|County)$", "", regex=True)
    table.index = [f"{a} {names[a]}" for a in table.index]
    table.loc["city"] = cum.sum() / (population.sum() / 1e4)
    return table.round(1)


def validate(out_dir: Path, districts: gpd.GeoDataFrame, population: pd.Series) -> pd.DataFrame:
    """Re-read the written files, check them, and return the 5G density table."""
    layers = {kind: load_layer(kind, out_dir / f"{kind}.geojson") for kind in KINDS}
    problems = check_layer("5g_sites", layers["5g_sites"])
    problems += check_layer("data_centers", layers["data_centers"])
    problems += check_layer("smart_projects", layers["smart_projects"])
    projects = layers["smart_projects"]
    if set(projects["plan_task"]) != set(read_task_keys()):
        problems.append("smart_projects: not every plan task has a project")
    if not projects["year"].between(2023, 2025).all():
        problems.append("smart_projects: year outside 2023-2025")
    for kind in ("data_centers", "smart_projects"):
        joined = gpd.sjoin(layers[kind], districts[["adcode", "geometry"]], predicate="within")
        if len(joined) != len(layers[kind]):
            problems.append(f"{kind}: some features are not inside exactly one district")
        if kind == "smart_projects" and joined["adcode"].nunique() != len(districts):
            problems.append("smart_projects: not every district has a project")
    table = density_table(layers["5g_sites"], districts, population)
    if not 29 <= table.loc["city", 2025] <= 31:
        problems.append(f"5g_sites: city-wide 2025 density {table.loc['city', 2025]} not in 29-31")
    for year, target in CITY_PATH.items():
        if abs(table.loc["city", year] - target) > 1.0:
            problems.append(f"5g_sites: city-wide {year} density {table.loc['city', year]}, aimed at {target}")
    if problems:
        raise SystemExit("invalid output:\n- " + "\n- ".join(problems))
    return table


KINDS = ("5g_sites", "data_centers", "smart_projects")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=HERE, help="output folder (default: layers/)")
    args = parser.parse_args(argv)
    out_dir: Path = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)

    # Always build from the shipped geography and the 2020 census, whatever the environment says.
    for var in ("ZZGEO_DATA_DIR", "ZZGEO_POPULATION"):
        os.environ.pop(var, None)
    get_settings.cache_clear()
    districts = load_districts("full")
    population = load_population().set_index("adcode")["population"]
    sampler = Sampler(districts, load_land())

    sites = build_sites(sampler, population, np.random.default_rng([SEED, 1]))
    data_centers = build_data_centers(sampler, np.random.default_rng([SEED, 2]))
    projects = build_projects(sampler, np.random.default_rng([SEED, 3]), list(districts["adcode"]))
    for kind, gdf in zip(KINDS, (sites, data_centers, projects), strict=True):
        to_geojson(gdf, out_dir / f"{kind}.geojson", decimals=6)

    table = validate(out_dir, districts, population)
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        print("In-service 5G sites per 10,000 residents (2020 census population), end of year:")
        print(table.to_string())
    for kind, gdf in zip(KINDS, (sites, data_centers, projects), strict=True):
        path = out_dir / f"{kind}.geojson"
        counts = gdf["status"].value_counts().to_dict()
        print(f"{path}: {len(gdf)} features, {path.stat().st_size / 1e6:.2f} MB, {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
