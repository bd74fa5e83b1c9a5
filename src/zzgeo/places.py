"""Finding places by name: districts (Chinese, English or pinyin name, code) and sites by id.

>>> index = PlaceIndex(load_districts("display"), sites)     # doctest: +SKIP
>>> [p.name_en for p in index.search("Pinghe")]               # doctest: +SKIP
['Pinghe County']
>>> index.search("平和")[0].key                               # doctest: +SKIP
'350628'

A district matches on its Chinese name with or without its suffix (平和县, 平和), its
English name (Pinghe County, Pinghe), its pinyin (pinghexian, pinghe; every reading of a
character with several, so 长泰 matches both changtai and zhangtai) and its code; case,
spaces and punctuation do not matter. A site matches on its id: the whole id first, then ids
that start with the text. Exact matches come first, then prefixes, then names that contain
the text. Pinyin comes from :mod:`pypinyin`.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from pypinyin import Style, pinyin

__all__ = ["Place", "PlaceIndex", "name_keys", "normalize"]

#: administrative suffixes dropped for the short form of a name
_SUFFIXES_ZH = ("自治县", "街道", "县", "区", "市", "镇", "乡")
_SUFFIXES_EN = (" county", " district", " city", " town", " township", " subdistrict")
#: at most this many pinyin spellings per name (characters with several readings multiply them)
_MAX_READINGS = 16
_PUNCTUATION = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Place:
    """A place found by :meth:`PlaceIndex.search`.

    ``bounds`` is ``(south, west, north, east)`` in degrees (WGS-84); for a site it is the
    point itself. ``district`` is the adcode of the district a site lies in (None outside).
    """

    kind: str  # "district" or "site"
    key: str  # the district's adcode or the site's id
    name_zh: str
    name_en: str
    bounds: tuple[float, float, float, float]
    district: str | None = None

    def name(self, lang: str) -> str:
        """The name in ``lang`` ("zh" or "en"; the other when that one is empty)."""
        return (self.name_en or self.name_zh) if lang == "en" else (self.name_zh or self.name_en)


def normalize(text: str) -> str:
    """``text`` folded for matching: NFKC, case-folded, without spaces and punctuation."""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", str(text)).casefold())


def _short(name: str, suffixes: Sequence[str]) -> str:
    lowered = name.casefold()
    for suffix in suffixes:
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            return name[: len(name) - len(suffix)]
    return name


def _readings(name: str) -> list[str]:
    """Toneless pinyin spellings of a Chinese name (every reading of polyphonic characters)."""
    syllables = pinyin(name, style=Style.NORMAL, heteronym=True, errors="ignore")
    if not syllables:
        return []
    spellings = ("".join(parts) for parts in itertools.product(*syllables))
    return list(itertools.islice(spellings, _MAX_READINGS))


def name_keys(name_zh: str, name_en: str = "", code: str = "") -> set[str]:
    """Every normalized form a place's names can be searched by (see the module docstring)."""
    keys = set()
    for zh in filter(None, {name_zh, _short(name_zh, _SUFFIXES_ZH)}):
        keys.add(normalize(zh))
        keys.update(normalize(r) for r in _readings(zh))
    for en in filter(None, {name_en, _short(name_en, _SUFFIXES_EN)}):
        keys.add(normalize(en))
    if code:
        keys.add(normalize(code))
    return {k for k in keys if k}


class PlaceIndex:
    """Districts (by name) and sites (by id) to search; built once per loaded data.

    Parameters
    ----------
    districts : geopandas.GeoDataFrame
        ``adcode``, ``name_zh``, ``name_en`` and polygons in EPSG:4326.
    sites : geopandas.GeoDataFrame, optional
        Points in EPSG:4326 with a ``site_id`` column (and ``district_adcode`` when known).
    """

    def __init__(self, districts: gpd.GeoDataFrame, sites: gpd.GeoDataFrame | None = None) -> None:
        self._districts: list[tuple[Place, set[str]]] = []
        for row, geom in zip(districts.to_dict("records"), districts.geometry, strict=True):
            xmin, ymin, xmax, ymax = geom.bounds
            place = Place(
                "district", str(row["adcode"]), str(row["name_zh"]), str(row["name_en"]), (ymin, xmin, ymax, xmax)
            )
            self._districts.append((place, name_keys(place.name_zh, place.name_en, place.key)))
        self._ids: list[str] = []
        self._rows: np.ndarray = np.zeros(0, dtype=np.int64)
        self._sites = sites
        if sites is not None and len(sites) and "site_id" in sites.columns:
            keys = sites["site_id"].astype("str").str.normalize("NFKC").str.casefold()
            keys = keys.str.replace(_PUNCTUATION.pattern, "", regex=True).to_numpy(dtype=object)
            order = np.argsort(keys, kind="stable")
            self._ids = [str(k) for k in keys[order]]
            self._rows = order

    def search(self, query: str, limit: int = 8) -> list[Place]:
        """Places matching ``query``, best first (at most ``limit``); [] for an empty query."""
        text = normalize(query or "")
        if not text:
            return []
        ranked: list[tuple[int, int, Place]] = []
        for order, (place, keys) in enumerate(self._districts):
            rank = min((r for key in keys if (r := _rank(text, key)) is not None), default=None)
            if rank is not None:
                ranked.append((rank, order, place))
        ranked.sort(key=lambda item: (item[0], item[1]))
        out = [place for _, _, place in ranked]
        return (out + self._site_matches(text, limit - len(out)))[:limit]

    def _site_matches(self, text: str, limit: int) -> list[Place]:
        if limit <= 0 or not self._ids:
            return []
        start = bisect.bisect_left(self._ids, text)
        rows = []
        for i in range(start, min(start + limit, len(self._ids))):
            if not self._ids[i].startswith(text):
                break
            rows.append(int(self._rows[i]))
        return [self._site(row) for row in rows]

    def _site(self, row: int) -> Place:
        assert self._sites is not None
        record = self._sites.iloc[row]
        x, y = float(shapely.get_x(record.geometry)), float(shapely.get_y(record.geometry))
        district = record.get("district_adcode")
        code = None if district is None or district != district else str(district)
        site_id = str(record["site_id"])
        return Place("site", site_id, site_id, site_id, (y, x, y, x), district=code)


def _rank(text: str, key: str) -> int | None:
    """0 for the same key, 1 when ``key`` starts with ``text``, 2 when it contains it, else None."""
    if key == text:
        return 0
    if key.startswith(text):
        return 1
    if len(text) >= 2 and text in key:
        return 2
    return None
