"""Helpers for the browser tests: the app in one Playwright page, by component id.

Kept out of ``conftest.py`` so test modules can import them (``from zzbrowser import ...``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Download, Locator, Page, Request, expect

CHROMIUM = os.environ.get("ZZGEO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
TILE_HOSTS = ("tile.openstreetmap.org", "tianditu.gov.cn", "basemaps.cartocdn.com")
PHONE = {"width": 390, "height": 844}
DISTRICT_COUNT = 11


def _is_tile(url: str) -> bool:
    return any(host in url for host in TILE_HOSTS)


def watch(page: Page, errors: list[str]) -> None:
    """Abort tile requests and collect console errors (tile failures excluded) into ``errors``."""
    page.route(lambda url: _is_tile(url), lambda route: route.abort())

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error" and not _is_tile(msg.location.get("url", "")):
            errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot (full page by default) under artifacts/screenshots/ and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


# ---------------------------------------------------------------------------------------
# page helpers

# Screen points inside a district path that the pointer actually reaches (not covered by
# markers, the legend or anything else), sampled on an n×n grid over its bounding box.
_DISTRICT_POINTS_JS = """
([code, n]) => {
    const path = document.querySelector('path.zz-d-' + code);
    if (!path) return [];
    const bb = path.getBBox();
    const m = path.getScreenCTM();
    const out = [];
    for (let i = 1; i < n; i++) {
        for (let j = 1; j < n; j++) {
            const x = bb.x + bb.width * i / n, y = bb.y + bb.height * j / n;
            if (!path.isPointInFill(new DOMPoint(x, y))) continue;
            const sx = m.a * x + m.c * y + m.e, sy = m.b * x + m.d * y + m.f;
            if (document.elementFromPoint(sx, sy) === path) out.push([sx, sy]);
        }
    }
    return out;
}
"""

# Share of all districts' interior sample points that lie under ``selector`` (e.g. the legend).
_COVERED_SHARE_JS = """
([selector, n]) => {
    const cover = document.querySelector(selector);
    let inside = 0, covered = 0;
    for (const path of document.querySelectorAll('path.zz-district')) {
        const bb = path.getBBox();
        const m = path.getScreenCTM();
        for (let i = 1; i < n; i++) {
            for (let j = 1; j < n; j++) {
                const x = bb.x + bb.width * i / n, y = bb.y + bb.height * j / n;
                if (!path.isPointInFill(new DOMPoint(x, y))) continue;
                const sx = m.a * x + m.c * y + m.e, sy = m.b * x + m.d * y + m.f;
                if (sx < 0 || sy < 0 || sx >= innerWidth || sy >= innerHeight) continue;
                inside += 1;
                const hit = document.elementFromPoint(sx, sy);
                if (cover && hit && cover.contains(hit)) covered += 1;
            }
        }
    }
    return inside ? covered / inside : 0;
}
"""

# True once the map shows no zoom/pan animation and neither its transform nor its size has changed
# for 300 ms (a refit after a resize starts a little after the resize).
_MAP_IDLE_JS = """
() => {
    const map = document.querySelector('#map.leaflet-container');
    if (!map) return false;
    const pane = map.querySelector('.leaflet-map-pane');
    const animating = map.classList.contains('leaflet-zoom-anim')
        || map.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim');
    const now = (pane ? pane.style.transform : '') + '|' + map.clientWidth + 'x' + map.clientHeight;
    const t = performance.now();
    if (window.__zzIdle !== now || animating) {
        window.__zzIdle = now;
        window.__zzIdleSince = t;
        return false;
    }
    return t - window.__zzIdleSince >= 300;
}
"""

# True once location.href has stayed the same for `quiet` ms.
_URL_STABLE_JS = """
(quiet) => {
    const t = performance.now();
    if (window.__zzHref !== location.href) {
        window.__zzHref = location.href;
        window.__zzHrefSince = t;
        return false;
    }
    return t - window.__zzHrefSince >= quiet;
}
"""

_FILLS_JS = """
() => Object.fromEntries([...document.querySelectorAll('path.zz-district')].map(p => {
    const code = [...p.classList].find(c => /^zz-d-[0-9]{6}$/.test(c)).slice(5);
    return [code, p.getAttribute('fill')];
}))
"""


@dataclass(frozen=True)
class AreasApp:
    """The app on a workspace holding one imported area layer: its URL, the level's key (the
    URL's ``lvl``) and its areas' names by key."""

    url: str
    key: str
    names: dict[str, str]


class DashCalls(list[dict]):
    """The Dash callback requests a page sends (``/_dash-update-component``), as posted.

    ``not_from_map()``: those not triggered by the map reporting its own view (a late
    ``center``/``zoom`` after a fit settles is not a reaction to what a test did).
    """

    MAP_PROPS = frozenset({"map.center", "map.zoom", "map.bounds"})

    def __init__(self, page: Page) -> None:
        super().__init__()
        page.on("request", self._on_request)

    def _on_request(self, request: Request) -> None:
        if "/_dash-update-component" not in request.url:
            return
        try:
            body = json.loads(request.post_data or "{}")
        except ValueError:
            body = {}
        self.append({"output": body.get("output", ""), "changed": tuple(body.get("changedPropIds") or ())})

    def not_from_map(self) -> list[dict]:
        return [c for c in self if not c["changed"] or not set(c["changed"]) <= self.MAP_PROPS]


class ZzPage:
    """The zzgeo app in one Playwright page: navigation, controls and read-outs by id."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    # -- navigation

    def open(self, query: str = "", *, areas: int = DISTRICT_COUNT) -> ZzPage:
        """Load ``/<query>`` and wait until the districts (``areas`` polygons on an area level),
        cards and legend are drawn."""
        response = self.page.goto(f"{self.base_url}/{query}")
        assert response is not None
        assert response.ok, f"{response.status} for {query!r}"
        self.wait_ready(areas=areas)
        return self

    def wait_ready(self, *, areas: int = DISTRICT_COUNT) -> None:
        """The districts (or ``areas`` polygons), cards and legend are drawn, the layer counts
        filled and the map at rest."""
        expect(self.page.locator("path.zz-district")).to_have_count(areas)
        expect(self.page.locator("#card-sites")).to_have_attribute("data-value", re.compile(r"^\d+$"))
        expect(self.page.locator("#legend .zz-legend-content")).to_have_count(1)
        expect(self.page.locator('#layer-toggles [id*=\'"index":"5g_sites"\']')).to_have_text(re.compile(r"\d"))
        self.wait_map_idle()

    def wait_map_idle(self) -> None:
        """No zoom or pan animation on the map, for two frames in a row (positions then hold)."""
        self.page.wait_for_function(_MAP_IDLE_JS, polling="raf")

    def wait_url_stable(self, quiet_ms: int = 500) -> str:
        """The page's URL once it has not changed for ``quiet_ms`` (map moves rewrite it late)."""
        self.page.wait_for_function(_URL_STABLE_JS, arg=quiet_ms, polling=50)
        return self.page.url

    def open_tab(self, tab: str) -> Locator:
        """Open a tab of the dock below the map (ranking, time, whatif, import, export); its panel."""
        button = self.page.locator(f"#dock [role=tab][data-dock-open='{tab}']")
        if button.get_attribute("aria-selected") != "true":
            button.click()
        expect(button).to_have_attribute("aria-selected", "true")
        panel = self.page.locator(f"#dock .zz-dock-panel[data-tab='{tab}']")
        expect(panel).to_be_visible()
        self.wait_map_idle()
        return panel

    def close_dock(self) -> None:
        """Close the dock's open tab (the map takes the height again)."""
        selected = self.page.locator("#dock [role=tab][aria-selected='true']")
        if selected.count():
            selected.click()
        expect(self.page.locator("#dock")).not_to_have_class(re.compile(r"zz-dock-open"))
        self.wait_map_idle()

    def show_ranking(self, rows: int = DISTRICT_COUNT) -> None:
        """Open the ranking tab (its grid code loads then) and wait for its 11 rows (or ``rows``)."""
        self.open_tab("ranking")
        expect(self.page.locator("#ranking-grid .ag-center-cols-container .ag-row")).to_have_count(rows)

    # -- controls

    def choose(self, dropdown_id: str, value: str) -> None:
        """Pick ``value`` in a dcc.Dropdown (Dash 4: a button opening a list of options)."""
        self.page.click(f"#{dropdown_id}")
        option = self.page.locator(".dash-dropdown-option").filter(has=self.page.locator(f"input[value='{value}']"))
        option.click()
        expect(self.page.locator(f"#{dropdown_id}")).to_have_attribute("aria-expanded", "false")

    def option(self, checklist_id: str, value: str) -> Locator:
        """The option (a label) of ``value`` in a dcc.Checklist / RadioItems."""
        return self.page.locator(f"#{checklist_id} label").filter(has=self.page.locator(f"input[value='{value}']"))

    def checkbox(self, checklist_id: str, value: str) -> Locator:
        return self.page.locator(f"#{checklist_id} input[value='{value}']")

    def toggle(self, checklist_id: str, value: str) -> None:
        """Click one option of a checklist and wait for its checked state to flip."""
        box = self.checkbox(checklist_id, value)
        was = box.is_checked()
        self.option(checklist_id, value).click()
        expect(box).to_be_checked(checked=not was)

    def slider_thumb(self) -> Locator:
        return self.page.locator("#year-slider [role=slider]")

    def set_year(self, year: int) -> None:
        """Move the year slider with the keyboard (arrow keys, one year per press)."""
        thumb = self.slider_thumb()
        now = int(thumb.get_attribute("aria-valuenow") or 0)
        thumb.focus()
        key = "ArrowLeft" if year < now else "ArrowRight"
        for _ in range(abs(year - now)):
            thumb.press(key)
        expect(thumb).to_have_attribute("aria-valuenow", str(year))

    # -- read-outs

    def card(self, card_id: str, attr: str = "data-value") -> str:
        return self.page.locator(f"#{card_id}").get_attribute(attr) or ""

    def fills(self) -> dict[str, str]:
        """adcode -> fill colour of each district path."""
        fills: dict[str, str] = self.page.evaluate(_FILLS_JS)
        return fills

    def layer_count(self, kind: str) -> int:
        """The count shown beside a layer toggle, e.g. `` (15,166)`` -> 15166."""
        locator = self.page.locator(f'#layer-toggles [id*=\'"index":"{kind}"\']')
        expect(locator).to_have_text(re.compile(r"\d"))
        return int(re.sub(r"\D", "", locator.inner_text()))

    def markers(self, css: str) -> Locator:
        """Markers in the map's marker pane (not the inline symbols beside the toggles).

        ``css`` may list several selectors, comma-separated.
        """
        return self.page.locator(", ".join(f"#map .leaflet-marker-pane {part.strip()}" for part in css.split(",")))

    def district_points(self, code: str, n: int = 30) -> list[list[float]]:
        points: list[list[float]] = self.page.evaluate(_DISTRICT_POINTS_JS, [code, n])
        return points

    def covered_share(self, selector: str, n: int = 24) -> float:
        share: float = self.page.evaluate(_COVERED_SHARE_JS, [selector, n])
        return share

    def hover_district(self, code: str, name: str) -> str:
        """Move the pointer onto a reachable point of a district; return its tooltip's text.

        ``name`` (a name of the district) picks its tooltip among any others still open. Site
        markers drawn after the point was chosen may cover it: then the pointer leaves and comes
        back to a point reachable now (a few times, each waiting for the tooltip).
        """
        tip = self.page.locator(".leaflet-tooltip.zz-tip").filter(has_text=name)
        for _ in range(4):
            points = self.district_points(code)
            assert points, f"no point of district {code} is reachable by the pointer (covered by markers?)"
            x, y = points[len(points) // 2]
            self.page.mouse.move(x, y)
            self.page.mouse.move(x + 1, y + 1)
            try:
                expect(tip).to_be_visible(timeout=4_000)
                return tip.inner_text()
            except AssertionError:
                self.page.mouse.move(1, 1)
                self.wait_map_idle()
        expect(tip).to_be_visible()
        return tip.inner_text()

    def download(self, click: Callable[[], None]) -> Download:
        with self.page.expect_download() as info:
            click()
        return info.value

    def no_error_banner(self) -> None:
        expect(self.page.locator("#error-banner")).to_have_text("")

    def no_horizontal_overflow(self) -> None:
        sizes = self.page.evaluate(
            "() => [document.documentElement.scrollWidth, document.body.scrollWidth,"
            " document.documentElement.clientWidth]"
        )
        assert max(sizes[:2]) <= sizes[2], f"page is wider than the viewport: scrollWidth {sizes[:2]} > {sizes[2]}"
