/*
 * The map's point layers: 5G sites (clustered), data centers and smart-city projects (app/features/map.py).
 *
 * The 5G sites come as compact columnar JSON (app/payload.py), expanded once per URL and
 * filtered here when the view's filters change (no server round trip).
 */
(function () {
    "use strict";

    const Z = window.zzgeo;
    const {EMPTY, esc, fmt, labelsOf, lines, hideoutOf, loadJSON} = Z;

    const PARTS = ["five_new", "integration", "innovation"];

    function sitePoint(feature, latlng, context) {
        const labels = labelsOf(context);
        const colors = labels.operatorColors || {};
        const options = {
            radius: 5,
            color: "#ffffff",
            weight: 1,
            fillColor: colors[feature.properties.o] || "#666666",
            fillOpacity: 0.95,
            className: "zz-site"
        };
        if (context && context.pane) {
            options.pane = context.pane;
        }
        return L.circleMarker(latlng, options);
    }

    function siteCluster(feature, latlng, index, context) {
        const n = Number(feature.properties.point_count) || 0;
        const size = n < 100 ? 26 : (n < 1000 ? 32 : 40);
        const grade = n < 100 ? "s" : (n < 1000 ? "m" : "l");
        return L.marker(latlng, {
            icon: L.divIcon({
                html: "<div><span>" + esc(feature.properties.point_count_abbreviated) + "</span></div>",
                className: "zz-cluster zz-cluster-" + grade,
                iconSize: L.point(size, size)
            })
        });
    }

    function siteEach(feature, layer, context) {
        const p = feature.properties || {};
        const labels = labelsOf(context);
        // clusters and sites cover much of the city at its zoom: a click on one opens the district
        // under it too (a cluster then zooms in, as clusters do)
        layer.on("click", Z.clickThrough);
        if (p.cluster) {
            const text = String(labels.cluster || "{n}").replace("{n}", fmt(p.point_count, 0));
            layer.bindTooltip(esc(text), {className: "zz-tip"});
            return;
        }
        layer.bindTooltip(function () {
            return "<strong>" + esc(labels.site) + " " + esc(p.i) + "</strong><br>" + lines([
                [null, (labels.operators || {})[p.o] || p.o],
                [labels.band, p.b],
                [null, ((labels.statuses || {})[p.s] || p.s) + (p.y ? " · " + p.y : "")],
                [labels.source, p.f]
            ]);
        }, {className: "zz-tip"});
    }

    // Data centers and smart-city projects: shown when their layer is on, up to the view's
    // year, with the view's statuses. The hideout carries the layer's kind and the view state
    // (the STATE store), as app/features/map.py make_point_hideout writes it.
    function pointFilter(feature, context) {
        const h = hideoutOf(context);
        const state = h.state || {};
        if ((state.layers || []).indexOf(h.kind) < 0) {
            return false;
        }
        const p = feature.properties || {};
        if (!(p.y !== null && p.y !== undefined && p.y <= state.year)) {
            return false;
        }
        return (state.statuses || []).indexOf(p.s) >= 0;
    }

    function symbol(latlng, className, title) {
        return L.marker(latlng, {
            icon: L.divIcon({className: className, html: "<span class=\"zz-shape\"></span>", iconSize: [16, 16]}),
            keyboard: false,
            title: title || ""
        });
    }

    function nameOf(p, labels) {
        return labels.lang === "en" && p.name_en ? p.name_en : p.name;
    }

    function dataCenterPoint(feature, latlng, context) {
        return symbol(latlng, "zz-sym zz-sym-dc", nameOf(feature.properties || {}, labelsOf(context)));
    }

    function dataCenterEach(feature, layer, context) {
        layer.on("click", Z.clickThrough);
        const p = feature.properties || {};
        const labels = labelsOf(context);
        layer.bindTooltip(function () {
            return "<strong>" + esc(nameOf(p, labels)) + "</strong><br>" + lines([
                [null, labels.dataCenter],
                [null, ((labels.statuses || {})[p.s] || p.s) + (p.y ? " · " + p.y : "")],
                [labels.racks, fmt(p.racks, 0)],
                [labels.power, p.power_mw === null || p.power_mw === undefined ? null : fmt(p.power_mw, 1) + " MW"],
                ["PUE", fmt(p.pue, 2)],
                [labels.source, p.f]
            ]);
        }, {className: "zz-tip"});
    }

    function projectPoint(feature, latlng, context) {
        const p = feature.properties || {};
        const part = PARTS.indexOf(p.part) >= 0 ? p.part : "other";
        return symbol(latlng, "zz-sym zz-sym-" + part, nameOf(p, labelsOf(context)));
    }

    function projectEach(feature, layer, context) {
        layer.on("click", Z.clickThrough);
        const p = feature.properties || {};
        const labels = labelsOf(context);
        layer.bindTooltip(function () {
            return "<strong>" + esc(nameOf(p, labels)) + "</strong><br>" + lines([
                [labels.task, (labels.tasks || {})[p.task] || p.task],
                [labels.part, (labels.parts || {})[p.part] || p.part],
                [null, ((labels.statuses || {})[p.s] || p.s) + (p.y ? " · " + p.y : "")],
                [labels.budget, fmt(p.budget, 0)],
                [labels.source, p.f]
            ]);
        }, {className: "zz-tip"});
    }

    // The compact columnar 5G payload (app/payload.py) as GeoJSON features: the same
    // short properties as before ({id, i, o, b, s, y, f}), built once per URL.
    function expandPoints(data) {
        const n = data.n;
        const scale = data.scale;
        const props = data.props || {};
        const keys = Object.keys(props);
        const columns = keys.map(function (key) {
            const col = props[key];
            if (col.codes) {
                return col.v.map(function (i) { return i >= 0 ? col.codes[i] : null; });
            }
            if (col.prefix !== undefined) {
                const out = new Array(n);
                let number = 0;
                for (let i = 0; i < n; i++) {
                    number += col.d[i];
                    out[i] = col.prefix + String(number).padStart(col.width, "0");
                }
                return out;
            }
            return col.v;
        });
        const features = new Array(n);
        let x = 0;
        let y = 0;
        for (let i = 0; i < n; i++) {
            x += data.x[i];
            y += data.y[i];
            const p = {id: i + 1};
            for (let k = 0; k < keys.length; k++) {
                const value = columns[k][i];
                if (value !== null && value !== undefined) {
                    p[keys[k]] = value;
                }
            }
            features[i] = {type: "Feature", geometry: {type: "Point", coordinates: [x / scale, y / scale]}, properties: p};
        }
        return features;
    }

    const expanded = {};

    function loadPoints(url) {
        if (!expanded[url]) {
            expanded[url] = loadJSON(url).then(function (data) {
                return data.features ? data.features : expandPoints(data);
            }).catch(function (err) {
                delete expanded[url];
                throw err;
            });
        }
        return expanded[url];
    }

    let lastSitesKey = null;

    let lastHideoutKey = null;

    async function filterSites(state, config) {
        const noUpdate = window.dash_clientside.no_update;
        if (!state || !config || !config.urls) {
            return noUpdate;
        }
        // the URL carries the payload's hash: it changes when imports or accepted proposals change the layer
        const key = JSON.stringify([state.year, state.operators, state.statuses, state.layers.indexOf("5g_sites") >= 0,
            config.urls["5g_sites"] || null]);
        if (key === lastSitesKey) {
            return noUpdate;
        }
        if (state.layers.indexOf("5g_sites") < 0 || !config.urls["5g_sites"]) {
            lastSitesKey = key;
            return EMPTY;
        }
        const features = await loadPoints(config.urls["5g_sites"]);
        const ops = new Set(state.operators);
        const statuses = new Set(state.statuses);
        const year = state.year;
        const out = features.filter(function (f) {
            const p = f.properties;
            return p.y !== null && p.y !== undefined && p.y <= year && ops.has(p.o) && statuses.has(p.s);
        });
        lastSitesKey = key;
        return {type: "FeatureCollection", features: out};
    }

    function pointHideouts(state, labels) {
        const noUpdate = window.dash_clientside.no_update;
        if (!state) {
            return [noUpdate, noUpdate];
        }
        // only what pointFilter reads: other changes (a district click) leave the layers alone
        const key = JSON.stringify([state.year, state.statuses, state.layers, labels && labels.lang]);
        if (key === lastHideoutKey) {
            return [noUpdate, noUpdate];
        }
        lastHideoutKey = key;
        return ["data_centers", "smart_projects"].map(function (kind) {
            return {kind: kind, labels: labels || {}, state: state};
        });
    }

    // The map's box changes size when the side bar folds or a dock panel opens: Leaflet must
    // be told (dash-leaflet calls invalidateSize when that prop changes), and when the map showed
    // the city whole, it refits it to the new size. "Whole" holds from the page's first fit (no
    // view in the URL) until the user moves the map or a district is fitted (Z.leaveHome).
    let resizeTimer = null;
    let atHome = !/[?&]c=/.test(window.location.search);
    const watched = new WeakSet();

    function leaveHome() {
        atHome = false;
    }

    function enterHome() {
        atHome = true;
    }

    // Whether the map shows the city whole (its home view, refitted after every resize).
    function isHome() {
        return atHome;
    }

    function watchMapSize() {
        const dc = window.dash_clientside;
        const map = document.getElementById(Z.config.ids.map);
        if (!map || watched.has(map) || !("ResizeObserver" in window) || !dc || !dc.set_props) {
            return;
        }
        watched.add(map);
        ["wheel", "dblclick", "keydown", "touchmove"].forEach(function (name) {
            map.addEventListener(name, leaveHome, {passive: true});
        });
        map.addEventListener("pointermove", function (e) {
            if (e.buttons) {
                leaveHome();  // a drag
            }
        }, {passive: true});
        map.addEventListener("click", function (e) {
            if (e.target && e.target.closest && e.target.closest(".leaflet-control-zoom")) {
                leaveHome();
            }
        });
        let last = null;
        new ResizeObserver(function (entries) {
            const box = entries[entries.length - 1].contentRect;
            const size = Math.round(box.width) + "x" + Math.round(box.height);
            if (last !== null && size !== last) {
                clearTimeout(resizeTimer);
                resizeTimer = setTimeout(function () {
                    dc.set_props(Z.config.ids.map, {invalidateSize: size});
                    // once Leaflet knows the new size
                    if (atHome && Z.config.home && !Z.printing) {  // printing fits its own view (zz-print.js)
                        setTimeout(function () {
                            dc.set_props(Z.config.ids.viewRequest, {data: Object.assign({n: Date.now()}, Z.config.home)});
                        }, 120);
                    }
                }, 80);
            }
            last = size;
        }).observe(map);
    }

    Z.onDomChange(watchMapSize);

    // Leaflet's own controls speak the page's language (texts from Python: config.leaflet).
    function leafletTexts() {
        const lang = (document.documentElement.lang || "").indexOf("en") === 0 ? "en" : "zh";
        return (Z.config.leaflet || {})[lang] || null;
    }

    function setTitle(selector, title) {
        document.querySelectorAll(selector).forEach(function (el) {
            if (title && el.getAttribute("title") !== title) {
                el.setAttribute("title", title);
                el.setAttribute("aria-label", title);
            }
        });
    }

    let drawTexts = null;

    function localizeLeaflet() {
        const texts = leafletTexts();
        if (!texts) {
            return;
        }
        setTitle(".leaflet-control-zoom-in", texts.zoom_in);
        setTitle(".leaflet-control-zoom-out", texts.zoom_out);
        setTitle(".leaflet-control-layers-toggle", texts.layers);
        setTitle("a.leaflet-draw-draw-circlemarker", texts.draw_title);
        document.querySelectorAll(".leaflet-draw-actions a").forEach(function (a) {
            if (a.textContent !== texts.draw_cancel) {
                a.textContent = texts.draw_cancel;
                a.setAttribute("title", texts.draw_cancel_title);
            }
        });
        if (window.L && L.drawLocal && drawTexts !== texts) {
            drawTexts = texts;  // read when drawing starts
            L.drawLocal.draw.handlers.circlemarker.tooltip.start = texts.draw_hint;
            L.drawLocal.draw.toolbar.buttons.circlemarker = texts.draw_title;
            L.drawLocal.draw.toolbar.actions.text = texts.draw_cancel;
            L.drawLocal.draw.toolbar.actions.title = texts.draw_cancel_title;
        }
    }

    Z.onDomChange(localizeLeaflet);

    Object.assign(Z, {leaveHome, enterHome, isHome, sitePoint, siteCluster, siteEach, pointFilter, dataCenterPoint, dataCenterEach, projectPoint, projectEach, expandPoints});
    Object.assign(window.dash_clientside.zzgeo, {filterSites, pointHideouts});
})();
