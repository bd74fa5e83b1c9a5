/*
 * Full screen and print: the map keeps its legend, title and year.
 *
 * Leaflet's full-screen button would put only the map's own box in full screen, leaving the
 * legend (a sibling over the map) and the page's title behind. Its click is taken here (in the
 * capture phase, before Leaflet sees it) and the map's wrapper (map, legend box, caption) goes
 * full screen instead; Leaflet resizes with the window. The caption over the map (title,
 * indicator, year) is written from the page whenever full screen or printing starts and while
 * the legend or the year changes; CSS shows it only in full screen and in print.
 */
(function () {
    "use strict";

    const Z = window.zzgeo || {};
    const ids = (Z.config && Z.config.ids) || {};

    function byId(key) {
        return ids[key] ? document.getElementById(ids[key]) : null;
    }

    function yearOf() {
        const handle = byId("year") && byId("year").querySelector("[aria-valuenow]");
        if (handle) {
            return handle.getAttribute("aria-valuenow");
        }
        const match = /[?&]year=(\d{4})/.exec(window.location.search);
        return match ? match[1] : "";
    }

    function caption() {
        const box = byId("mapCaption");
        if (!box) {
            return;
        }
        const title = byId("title") ? byId("title").textContent.trim() : "";
        const legend = byId("legendBody") && byId("legendBody").querySelector(".zz-legend-title");
        const parts = [title, legend ? legend.textContent.trim() : "", yearOf()].filter(Boolean);
        const zh = document.documentElement.lang !== "en";
        const text = parts.length === 3 ? parts[0] + " · " + parts[1] + " · " + parts[2] + (zh ? " 年" : "")
            : parts.join(" · ");
        if (box.textContent !== text) {
            box.textContent = text;
        }
    }

    function fullscreenElement() {
        return document.fullscreenElement || document.webkitFullscreenElement || null;
    }

    document.addEventListener("click", function (event) {
        const button = event.target && event.target.closest && event.target.closest(".leaflet-control-zoom-fullscreen");
        const wrap = byId("mapWrap");
        if (!button || !wrap || !(wrap.requestFullscreen || wrap.webkitRequestFullscreen)) {
            return;  // no Fullscreen API: Leaflet's own (pseudo) full screen
        }
        event.preventDefault();
        event.stopPropagation();
        caption();
        if (fullscreenElement()) {
            (document.exitFullscreen || document.webkitExitFullscreen).call(document);
        } else {
            (wrap.requestFullscreen || wrap.webkitRequestFullscreen).call(wrap);
        }
    }, true);

    function onChange() {
        const on = fullscreenElement() === byId("mapWrap");
        const wrap = byId("mapWrap");
        if (wrap) {
            wrap.classList.toggle("zz-fullscreen", on);
        }
        caption();
        window.dispatchEvent(new Event("resize"));  // Leaflet fits its new box
    }

    document.addEventListener("fullscreenchange", onChange);
    document.addEventListener("webkitfullscreenchange", onChange);
    // the ranking fits the sheet: every column in the page's width while printing
    function fitGrid() {
        try {
            const api = window.dash_ag_grid && window.dash_ag_grid.getApi && window.dash_ag_grid.getApi(ids.grid);
            if (api) {
                api.sizeColumnsToFit();
            }
        } catch (e) {
            // the grid is not built yet: it prints as it shows
        }
    }

    window.addEventListener("beforeprint", function () {
        caption();
        fitGrid();
        window.dispatchEvent(new Event("resize"));  // Leaflet fills the printed map's box
    });
    window.addEventListener("afterprint", function () {
        window.dispatchEvent(new Event("resize"));
    });

    // the caption follows the legend and the year (they change while playing the years)
    let watched = null;
    const observer = new MutationObserver(caption);
    function watch() {
        const legend = byId("legendBody");
        if (legend && legend !== watched) {
            watched = legend;
            observer.observe(legend, {childList: true, subtree: true, characterData: true});
            const year = byId("year");
            if (year) {
                observer.observe(year, {attributes: true, subtree: true, attributeFilter: ["aria-valuenow"]});
            }
            caption();
        }
    }
    setInterval(watch, 1000);  // the page is rebuilt when its language changes
})();
