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

    // The printed map shows the view's whole: the district (or area) selected, else the city,
    // fitted to the printed map's box (not the screen's centre and zoom, which cut the city on
    // the sheet); the screen's view comes back after printing. Leaflet moves without animation,
    // at once: the sheet is laid out right after the print events. `beforeprint` gives the map
    // its printed size on the screen first (class zz-printing; some browsers apply the print
    // media only after it); matchMedia("print") refits in the print layout itself (Chromium,
    // and print emulation).
    let saved = null;

    function printBounds(map) {
        let all = null;
        let chosen = null;
        map.eachLayer(function (layer) {
            const path = layer._path;
            if (!path || !path.classList.contains("zz-district") || !layer.getBounds) {
                return;
            }
            const bounds = layer.getBounds();
            all = all ? all.extend(bounds) : bounds.pad(0);
            if (path.classList.contains("zz-selected")) {
                chosen = bounds;
            }
        });
        return chosen || all;
    }

    function fitForPrint() {
        const map = Z.leafletMap;
        if (!map || !map._loaded) {
            return;
        }
        if (!saved) {
            saved = {center: map.getCenter(), zoom: map.getZoom()};
        }
        Z.printing = true;
        map.invalidateSize({pan: false});
        const bounds = printBounds(map);
        if (!bounds || !bounds.isValid()) {
            return;
        }
        const legend = byId("legendBox");
        const box = byId("mapCaption");
        const left = legend && legend.offsetParent ? legend.offsetWidth + 16 : 10;
        const top = box && box.offsetParent ? box.offsetTop + box.offsetHeight + 8 : 10;
        map.fitBounds(bounds, {animate: false, paddingTopLeft: [left, top], paddingBottomRight: [10, 10]});
    }

    function restoreAfterPrint() {
        document.documentElement.classList.remove("zz-printing");
        const map = Z.leafletMap;
        Z.printing = false;
        if (!saved || !map) {
            saved = null;
            return;
        }
        const view = saved;
        saved = null;
        map.invalidateSize({pan: false});
        map.setView(view.center, view.zoom, {animate: false});
    }

    window.addEventListener("beforeprint", function () {
        document.documentElement.classList.add("zz-printing");
        caption();
        fitGrid();
        fitForPrint();
    });
    window.addEventListener("afterprint", function () {
        setTimeout(restoreAfterPrint, 0);  // once the screen's layout is back
    });
    if (window.matchMedia) {
        const print = window.matchMedia("print");
        const onPrintMedia = function (event) {
            if (event.matches) {
                caption();
                fitForPrint();
            } else {
                restoreAfterPrint();
            }
        };
        if (print.addEventListener) {
            print.addEventListener("change", onPrintMedia);
        } else if (print.addListener) {
            print.addListener(onPrintMedia);
        }
    }

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
