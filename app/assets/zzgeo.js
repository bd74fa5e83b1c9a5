/*
 * zzgeo map functions for dash-leaflet (referenced from Python as {"variable": "zzgeo.<name>"})
 * and clientside callbacks (window.dash_clientside.zzgeo).
 *
 * dash-leaflet calls these with the component's props as the last argument ("context"),
 * so `context.hideout` carries what Python computed. Leaflet treats tooltip strings as
 * HTML: every value that comes from data is passed through esc().
 */
(function () {
    "use strict";

    const EMPTY = {type: "FeatureCollection", features: []};
    const PARTS = ["five_new", "integration", "innovation"];

    function esc(value) {
        if (value === null || value === undefined) {
            return "";
        }
        return String(value).replace(/[&<>"'`=\/]/g, function (c) {
            return {
                "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
                "`": "&#96;", "=": "&#61;", "/": "&#47;"
            }[c];
        });
    }

    function hideoutOf(context) {
        return (context && context.hideout) || {};
    }

    function labelsOf(context) {
        return hideoutOf(context).labels || {};
    }

    function lines(rows) {
        // rows: [[label or null, value], ...] -> escaped HTML
        return rows
            .filter(function (r) { return r[1] !== null && r[1] !== undefined && r[1] !== ""; })
            .map(function (r) {
                return r[0] ? "<span class=\"zz-tip-key\">" + esc(r[0]) + ":</span> " + esc(r[1]) : esc(r[1]);
            })
            .join("<br>");
    }

    function fmt(value, decimals) {
        if (value === null || value === undefined || value === "") {
            return null;
        }
        const n = Number(value);
        if (!isFinite(n)) {
            return null;
        }
        return n.toLocaleString("en-US", {minimumFractionDigits: decimals || 0, maximumFractionDigits: decimals || 0});
    }

    function safeCode(code) {
        return /^[0-9]{6}$/.test(String(code)) ? String(code) : "x";
    }

    // --------------------------------------------------------------- districts

    function districtStyle(feature, context) {
        const h = hideoutOf(context);
        const code = safeCode(feature.properties.adcode);
        const fill = (h.fill || {})[code];
        const under = (h.under || []).indexOf(code) >= 0;
        const selected = h.selected === code;
        const classes = ["zz-district", "zz-d-" + code];
        if (under) {
            classes.push("zz-under");
        }
        if (selected) {
            classes.push("zz-selected");
        }
        return {
            fillColor: fill || "#d9d9d9",
            fillOpacity: h.visible === false ? 0 : (h.dim ? 0.3 : 0.78),
            color: selected ? "#111111" : (under ? "#b2182b" : "#4d4d4d"),
            weight: selected ? 4 : (under ? 2.5 : 1),
            dashArray: under && !selected ? "7 5" : null,
            opacity: 1,
            className: classes.join(" ")
        };
    }

    function districtEach(feature, layer, context) {
        const code = safeCode(feature.properties.adcode);
        layer.bindTooltip(function () {
            const tips = (hideoutOf(context).tips || {})[code];
            const rows = tips && tips.length ? tips : [feature.properties.name_zh + " · " + feature.properties.name_en];
            return rows.map(function (text, i) {
                return i === 0 ? "<strong>" + esc(text) + "</strong>" : esc(text);
            }).join("<br>");
        }, {sticky: true, className: "zz-tip", direction: "top", offset: [0, -8]});
        layer.on("mouseover", function () {
            layer.setStyle({weight: 4, color: "#111111"});
        });
        layer.on("mouseout", function () {
            layer.setStyle(districtStyle(feature, context));
        });
    }

    // --------------------------------------------------------------- 5G sites

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
        const size = n < 100 ? 30 : (n < 1000 ? 36 : 44);
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

    // --------------------------------------------------------------- proposed sites

    function proposedPoint(feature, latlng, context) {
        const options = {
            radius: 7,
            color: "#000000",
            weight: 2,
            dashArray: "3 2",
            fillColor: "#ffd700",
            fillOpacity: 1,
            className: "zz-proposed"
        };
        if (context && context.pane) {
            options.pane = context.pane;
        }
        return L.circleMarker(latlng, options);
    }

    function proposedEach(feature, layer, context) {
        const p = feature.properties || {};
        const labels = labelsOf(context);
        layer.bindTooltip(function () {
            return "<strong>" + esc(labels.proposed) + "</strong><br>" + lines([
                [null, p.site_id],
                [null, (labels.operators || {})[p.operator] || p.operator]
            ]);
        }, {className: "zz-tip"});
    }

    // --------------------------------------------------------------- data centers, projects

    function pointFilter(feature, context) {
        const h = hideoutOf(context);
        if (!h.visible) {
            return false;
        }
        const p = feature.properties || {};
        if (h.year !== undefined && h.year !== null && !(p.y !== null && p.y !== undefined && p.y <= h.year)) {
            return false;
        }
        if (h.statuses && h.statuses.indexOf(p.s) < 0) {
            return false;
        }
        return true;
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

    // --------------------------------------------------------------- hexagons

    // Class of a count: breaks[i-1] <= n < breaks[i] (as app.features.hexes.hex_class).
    function hexClass(n, breaks) {
        let i = 0;
        while (i < breaks.length && n >= breaks[i]) {
            i += 1;
        }
        return i;
    }

    function hexStyle(feature, context) {
        const h = hideoutOf(context);
        if (h.kind === "gaps") {
            const color = h.color || "#d6006f";
            return {
                fillColor: color, fillOpacity: 0.45, color: color, weight: 0.6, opacity: 0.6,
                className: "zz-hex zz-gap"
            };
        }
        const i = hexClass(Number(feature.properties.n) || 0, h.breaks || []);
        return {
            fillColor: (h.colors || [])[i] || "#666666", fillOpacity: 0.82, color: "#ffffff", weight: 0.5,
            opacity: 0.7, className: "zz-hex zz-hex-c" + i
        };
    }

    function hexEach(feature, layer, context) {
        // a click on a hexagon opens the district under it, as a click on the district would
        layer.on("click", function (e) {
            const oe = e.originalEvent;
            if (!oe || !document.elementsFromPoint) {
                return;
            }
            const under = document.elementsFromPoint(oe.clientX, oe.clientY).find(function (el) {
                return el.classList && el.classList.contains("zz-district");
            });
            if (under) {
                under.dispatchEvent(new MouseEvent("click", {
                    bubbles: true, cancelable: true, view: window, clientX: oe.clientX, clientY: oe.clientY
                }));
            }
        });
        layer.bindTooltip(function () {
            const h = hideoutOf(context);
            const tips = h.tips || {};
            if (h.kind === "gaps") {
                return esc(tips.gap || "");
            }
            return esc(String(tips.count || "{n}").replace("{n}", fmt(feature.properties.n, 0)));
        }, {className: "zz-tip", sticky: true});
    }

    window.zzgeo = Object.assign({}, window.zzgeo, {
        esc: esc,
        hexStyle: hexStyle,
        hexEach: hexEach,
        districtStyle: districtStyle,
        districtEach: districtEach,
        sitePoint: sitePoint,
        siteCluster: siteCluster,
        siteEach: siteEach,
        proposedPoint: proposedPoint,
        proposedEach: proposedEach,
        pointFilter: pointFilter,
        dataCenterPoint: dataCenterPoint,
        dataCenterEach: dataCenterEach,
        projectPoint: projectPoint,
        projectEach: projectEach
    });

    // --------------------------------------------------------------- clientside callbacks

    const cache = {};

    function loadJSON(url) {
        if (!cache[url]) {
            cache[url] = fetch(url).then(function (r) {
                if (!r.ok) {
                    throw new Error("could not load " + url + ": " + r.status);
                }
                return r.json();
            }).catch(function (err) {
                delete cache[url];
                throw err;
            });
        }
        return cache[url];
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

    async function filterSites(state, accepted, config) {
        const noUpdate = window.dash_clientside.no_update;
        if (!state || !config || !config.urls) {
            return noUpdate;
        }
        const acceptedFeatures = (accepted && accepted.features) || [];
        // the URL carries the payload's hash: it changes when imports change the layer
        const key = JSON.stringify([state.year, state.operators, state.statuses, state.layers.indexOf("5g_sites") >= 0,
            acceptedFeatures.length, config.urls["5g_sites"] || null]);
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
        const keep = function (p) {
            return p.y !== null && p.y !== undefined && p.y <= year && ops.has(p.o) && statuses.has(p.s);
        };
        const out = features.filter(function (f) { return keep(f.properties); });
        acceptedFeatures.forEach(function (f, i) {
            const q = f.properties || {};
            const feature = {
                type: "Feature",
                geometry: f.geometry,
                properties: {id: 10000000 + i, i: q.site_id, o: q.operator, b: q.band, s: q.status, y: q.year_in_service}
            };
            if (keep(feature.properties)) {
                out.push(feature);
            }
        });
        lastSitesKey = key;
        return {type: "FeatureCollection", features: out};
    }

    function pointHideouts(state, labels) {
        const noUpdate = window.dash_clientside.no_update;
        if (!state) {
            return [noUpdate, noUpdate];
        }
        const key = JSON.stringify([state.year, state.statuses, state.layers, labels && labels.lang]);
        if (key === lastHideoutKey) {
            return [noUpdate, noUpdate];
        }
        lastHideoutKey = key;
        const make = function (kind) {
            return {
                labels: labels || {},
                visible: state.layers.indexOf(kind) >= 0,
                year: state.year,
                statuses: state.statuses
            };
        };
        return [make("data_centers"), make("smart_projects")];
    }

    // What the hexagon overlays show; the server is asked only when this changes.
    let lastHexRequest = JSON.stringify({hexes: []});  // overlays start off: nothing to ask

    function hexRequest(state, accepted, version) {
        const noUpdate = window.dash_clientside.no_update;
        if (!state) {
            return noUpdate;
        }
        const hexes = state.hexes || [];
        const request = hexes.length ? {
            hexes: hexes, res: state.resolution, year: state.year, operators: state.operators,
            statuses: hexes.indexOf("counts") >= 0 ? state.statuses : null, lang: state.lang,
            accepted: hexes.indexOf("counts") >= 0 ? ((accepted && accepted.features) || []).length : 0,
            version: version
        } : {hexes: []};
        const key = JSON.stringify(request);
        if (key === lastHexRequest) {
            return noUpdate;
        }
        lastHexRequest = key;
        return request;
    }

    function loadScript(url) {
        if (!cache[url]) {
            cache[url] = new Promise(function (resolve, reject) {
                const script = document.createElement("script");
                // h3-js is a UMD bundle: make it set window.h3 even if an AMD loader is around
                const define = window.define;
                window.define = undefined;
                script.src = url;
                script.onload = function () { window.define = define; resolve(); };
                script.onerror = function () {
                    window.define = define;
                    delete cache[url];
                    reject(new Error("could not load " + url));
                };
                document.head.appendChild(script);
            });
        }
        return cache[url];
    }

    function hexFeatures(part) {
        const cells = part.cells || [];
        const counts = part.n || [];
        const features = new Array(cells.length);
        for (let i = 0; i < cells.length; i++) {
            features[i] = {
                type: "Feature",
                properties: {n: counts[i] === undefined ? null : counts[i]},
                geometry: {type: "Polygon", coordinates: [window.h3.cellToBoundary(cells[i], true)]}
            };
        }
        return {type: "FeatureCollection", features: features};
    }

    const drawnHexes = {counts: null, gaps: null};

    // HEX_DATA (cell ids, counts, classes) -> data and hideout of the two hexagon layers.
    async function hexLayers(data, config) {
        const noUpdate = window.dash_clientside.no_update;
        const out = [noUpdate, noUpdate, noUpdate, noUpdate];
        if (!data) {
            return out;
        }
        const kinds = ["counts", "gaps"];
        if (kinds.some(function (k) { return data[k] && data[k].cells.length; }) && !window.h3) {
            await loadScript((config && config.h3) || "/assets/vendor/h3-js-4.5.0.umd.js");
        }
        kinds.forEach(function (kind, k) {
            const part = data[kind];
            const key = part ? part.key : null;
            if (key === drawnHexes[kind]) {
                return;
            }
            drawnHexes[kind] = key;
            if (!part) {
                out[2 * k] = EMPTY;
                out[2 * k + 1] = {kind: kind};
                return;
            }
            out[2 * k] = hexFeatures(part);
            out[2 * k + 1] = {
                kind: kind, breaks: part.breaks, colors: part.colors, color: part.color, tips: data.tips || {}
            };
        });
        return out;
    }

    // The legend floats over the map on wide screens and sits below it on phones.
    function legendBelowMap() {
        const box = document.getElementById("legend-box");
        return !!box && window.getComputedStyle(box).position !== "absolute";
    }

    // Resolves when the map shows no zoom or pan animation (Leaflet ignores a new view
    // asked for while it zooms), after at most `wait` ms.
    function mapAtRest(wait) {
        const start = Date.now();
        return new Promise(function (resolve) {
            (function check() {
                const map = document.querySelector("#map.leaflet-container");
                const busy = !map || map.querySelector(".leaflet-zoom-anim, .leaflet-pan-anim")
                    || map.classList.contains("leaflet-zoom-anim");
                if (!busy || Date.now() - start > wait) {
                    resolve();
                } else {
                    setTimeout(check, 40);
                }
            })();
        });
    }

    // VIEW_REQUEST -> the map's viewport: fits get the padding of the layout shown.
    async function fitView(request) {
        const noUpdate = window.dash_clientside.no_update;
        if (!request) {
            return noUpdate;
        }
        if (request.bounds) {
            const phone = legendBelowMap();
            if (request.initial) {
                if (!phone) {
                    return noUpdate;  // the map was fitted with the desktop padding already
                }
                // the page's first fit (desktop padding) is still zooming: refit after it
                await new Promise(function (resolve) { setTimeout(resolve, 60); });
                await mapAtRest(3000);
            }
            return {bounds: request.bounds, options: phone ? request.phoneOptions : request.options};
        }
        return {center: request.center, zoom: request.zoom};
    }

    // ---------------------------------------------------- indicator and colours

    // The query string `search` with the browser-written parameters set to `values`
    // ({ind: ..., pal: ...}; a default value is left out), in the server's order
    // (config.query.order, as app.state.to_query writes it).
    function withParams(search, values, query) {
        const params = new URLSearchParams(search || "");
        Object.keys(values).forEach(function (key) {
            const rule = query.params[key];
            if (!rule || values[key] === rule.default || rule.allowed.indexOf(values[key]) < 0) {
                params.delete(key);
            } else {
                params.set(key, values[key]);
            }
        });
        const keys = query.order.filter(function (k) { return params.has(k); });
        params.forEach(function (_v, k) {
            if (keys.indexOf(k) < 0) {
                keys.push(k);
            }
        });
        const parts = keys.map(function (k) {
            return k + "=" + encodeURIComponent(params.get(k)).replace(/%2C/gi, ",");
        });
        return parts.length ? "?" + parts.join("&") : "";
    }

    let queryRules = null;  // config.query, kept for back/forward

    // The indicator picker and the colour choice: pick the views the server computed for
    // every indicator and scheme (app.features.views.make_views) and show them; write the choice
    // into the URL (a history entry, as the other controls make) and into the language
    // link. No request goes to the server.
    function applyIndicator(indicator, palette, views, langHref, config) {
        const noUpdate = window.dash_clientside.no_update;
        if (!views || !views.hideout || !views.columns) {
            return [noUpdate, noUpdate, noUpdate, noUpdate, noUpdate];
        }
        const query = config && config.query;
        const ind = views.columns[indicator] ? indicator : (query ? query.params.ind.default : indicator);
        const fills = views.hideout.fill[ind] || {};
        const pal = fills[palette] ? palette : (query ? query.params.pal.default : palette);
        const h = views.hideout;
        const hideout = {
            indicator: ind,
            palette: pal,
            fill: fills[pal] || {},
            tips: h.tips[ind] || {},
            under: h.under,
            selected: h.selected,
            dim: h.dim,
            visible: h.visible
        };
        let href = noUpdate;
        if (query) {
            queryRules = query;
            const values = {ind: ind, pal: pal};
            const search = withParams(window.location.search, values, query);
            if (search !== window.location.search) {
                window.history.pushState({}, "", window.location.pathname + search + window.location.hash);
            }
            if (typeof langHref === "string") {
                const link = withParams(langHref.replace(/^[^?]*/, ""), values, query) || "?";
                href = link !== langHref ? link : noUpdate;
            }
        }
        return [hideout, views.legend[ind][pal] || [], views.columns[ind], views.rows[ind], href];
    }

    // Back/forward between entries that differ in the indicator or colours only: Dash's
    // location does not see them (it was not told of applyIndicator's entries), so set the
    // pickers from the URL here.
    window.addEventListener("popstate", function () {
        const dc = window.dash_clientside;
        if (!queryRules || !dc || typeof dc.set_props !== "function") {
            return;
        }
        const params = new URLSearchParams(window.location.search);
        Object.keys(queryRules.params).forEach(function (key) {
            const rule = queryRules.params[key];
            const value = params.get(key);
            const wanted = value !== null && rule.allowed.indexOf(value) >= 0 ? value : rule.default;
            const control = document.getElementById(rule.control);
            if (control) {
                dc.set_props(rule.control, {value: wanted});
            }
        });
    });

    // A map move: its view goes into the current history entry (no new one), so Back
    // undoes the last change of the view's settings rather than every pan (sync_view).
    function replaceUrl(request) {
        const search = request && typeof request.search === "string" ? request.search : null;
        const current = window.location.search === "?" ? "" : window.location.search;
        if (search !== null && search !== current) {
            window.history.replaceState(window.history.state, "", window.location.pathname + search + window.location.hash);
        }
        return window.dash_clientside.no_update;
    }

    // The page's language on <html> (the server sets it too, from ?lang=).
    function setDocumentLang(lang) {
        if (lang && document.documentElement.lang !== lang) {
            document.documentElement.lang = lang;
        }
        return lang || null;
    }

    function proposedData(store) {
        return store && store.features ? store : EMPTY;
    }

    // The import panel: check the size of a dropped file here, so an oversized file is
    // never sent; otherwise ask the server to read it (with the chosen options).
    function importRequest(contents, kind, crs, layer, filename, config) {
        const noUpdate = window.dash_clientside.no_update;
        if (!contents || typeof contents !== "string") {
            return [noUpdate, noUpdate];
        }
        const comma = contents.indexOf(",");
        const b64 = comma >= 0 ? contents.length - comma - 1 : contents.length;
        const size = Math.floor(b64 / 4) * 3;
        const max = config && config.maxBytes;
        if (max && size > max) {
            const text = String(config.tooBig || "")
                .replace("{file}", function () { return String(filename || ""); })
                .replace("{size}", function () { return (size / 1e6).toFixed(1); });
            const message = {namespace: "dash_html_components", type: "P",
                props: {children: text, className: "zz-bad", "data-kind": "error"}};
            return [[message], {clear: true, n: Date.now()}];
        }
        return [noUpdate, {contents: contents, filename: filename, kind: kind, crs: crs, layer: layer, n: Date.now()}];
    }

    // Accessible names: Dash's slider thumb has none; label it with the slider's <label>.
    function labelSliders() {
        document.querySelectorAll(".zz-slider").forEach(function (slider) {
            const label = document.getElementById(slider.id + "-label");
            slider.querySelectorAll("[role=slider]").forEach(function (thumb) {
                if (label && thumb.getAttribute("aria-labelledby") !== label.id) {
                    thumb.setAttribute("aria-labelledby", label.id);
                }
            });
        });
    }
    // The drawing tool's texts (Leaflet.draw ships English only) from data-* of the map box.
    function localize() {
        const wrap = document.getElementById("map-wrap");
        if (!wrap || !window.L || !L.drawLocal) {
            return;
        }
        const title = wrap.getAttribute("data-draw-title");
        const hint = wrap.getAttribute("data-draw-hint");
        if (hint) {
            L.drawLocal.draw.handlers.circlemarker.tooltip.start = hint;
        }
        document.querySelectorAll("a.leaflet-draw-draw-circlemarker").forEach(function (a) {
            if (title && a.getAttribute("title") !== title) {
                a.setAttribute("title", title);
                a.setAttribute("aria-label", title);
            }
        });
    }

    // Buttons with data-scroll-to="<id>" bring that element into view (no URL change).
    document.addEventListener("click", function (event) {
        const button = event.target && event.target.closest && event.target.closest("[data-scroll-to]");
        const target = button && document.getElementById(button.getAttribute("data-scroll-to"));
        if (target) {
            target.scrollIntoView({behavior: "smooth", block: "start"});
        }
    });

    new MutationObserver(function () {
        labelSliders();
        localize();
    }).observe(document.documentElement, {childList: true, subtree: true});

    // ----------------------------------------------------------- lazy libraries

    // dash-ag-grid's bundle (over half of the page's code) is not in the page's first load
    // (app/server.py replaces its <script> tag with the JSON block "zz-lazy-scripts").
    // Until it is loaded, window.dash_ag_grid.AgGrid is this stand-in: it keeps the grid's
    // place (same id and size), loads the bundle once the grid comes into view, then renders
    // the real grid with the same props. The stand-in stays the component Dash renders, so
    // the grid is never mounted twice; getApi/getApiAsync are forwarded once loaded.
    function lazyScripts() {
        const block = document.getElementById("zz-lazy-scripts");
        try {
            return block ? JSON.parse(block.textContent) : {};
        } catch (e) {
            return {};
        }
    }

    const loading = {};

    function loadScript(url) {
        if (!loading[url]) {
            loading[url] = new Promise(function (resolve, reject) {
                const script = document.createElement("script");
                script.src = url;
                script.async = false;
                script.onload = resolve;
                script.onerror = function () {
                    delete loading[url];
                    reject(new Error("could not load " + url));
                };
                document.head.appendChild(script);
            });
        }
        return loading[url];
    }

    function lazyGrid(url) {
        const React = window.React;
        const stub = {};
        let real = null;

        function load() {
            // the bundle sets window.dash_ag_grid; keep the stand-in there instead
            return loadScript(url).then(function () {
                if (window.dash_ag_grid !== stub) {
                    real = window.dash_ag_grid;
                    window.dash_ag_grid = stub;
                    stub.getApi = real.getApi;
                    stub.getApiAsync = real.getApiAsync;
                }
                return real;
            });
        }

        function LazyAgGrid(props) {
            const ref = React.useRef(null);
            const [ready, setReady] = React.useState(real !== null);
            const [failed, setFailed] = React.useState(false);
            React.useEffect(function () {
                if (ready) {
                    return undefined;
                }
                let live = true;
                const start = function () {
                    load().then(
                        function () { if (live) { setReady(true); } },
                        function () { if (live) { setFailed(true); } }
                    );
                };
                const el = ref.current;
                if (!el || !("IntersectionObserver" in window)) {
                    start();
                    return function () { live = false; };
                }
                const seen = new IntersectionObserver(function (entries) {
                    if (entries.some(function (e) { return e.isIntersecting; })) {
                        seen.disconnect();
                        start();
                    }
                });
                seen.observe(el);
                return function () {
                    live = false;
                    seen.disconnect();
                };
            }, [ready]);
            if (ready && real) {
                return React.createElement(real.AgGrid, props);
            }
            const en = (document.documentElement.lang || "").indexOf("en") === 0;
            const text = failed
                ? (en ? "The table could not be loaded: reload the page." : "表格未能载入，请刷新页面。")
                : (en ? "Loading the table…" : "正在载入表格…");
            return React.createElement("div", {
                id: props.id,
                ref: ref,
                className: (props.className || "") + " zz-grid-pending",
                style: props.style,
                "aria-busy": failed ? "false" : "true",
                role: failed ? "alert" : "status"
            }, text);
        }
        LazyAgGrid.dashRenderType = true;
        stub.AgGrid = LazyAgGrid;
        stub.zzLazy = true;
        return stub;
    }

    (function () {
        const urls = lazyScripts();
        if (urls.dash_ag_grid && !window.dash_ag_grid && window.React) {
            window.dash_ag_grid = lazyGrid(urls.dash_ag_grid);
        }
    })();

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        zzgeo: {
            filterSites: filterSites,
            hexRequest: hexRequest,
            hexLayers: hexLayers,
            fitView: fitView,
            applyIndicator: applyIndicator,
            replaceUrl: replaceUrl,
            setDocumentLang: setDocumentLang,
            pointHideouts: pointHideouts,
            proposedData: proposedData,
            importRequest: importRequest
        }
    });
})();
