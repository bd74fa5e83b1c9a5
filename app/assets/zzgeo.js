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
            fillOpacity: h.visible === false ? 0 : 0.78,
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

    window.zzgeo = Object.assign({}, window.zzgeo, {
        esc: esc,
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
        const base = await loadJSON(config.urls["5g_sites"]);
        const ops = new Set(state.operators);
        const statuses = new Set(state.statuses);
        const year = state.year;
        const keep = function (p) {
            return p.y !== null && p.y !== undefined && p.y <= year && ops.has(p.o) && statuses.has(p.s);
        };
        const out = base.features.filter(function (f) { return keep(f.properties); });
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
    // The page's language (set on #page by the server) for the whole document, and the
    // drawing tool's texts (Leaflet.draw ships English only) from data-* of the map box.
    function localize() {
        const page = document.getElementById("page");
        if (page && page.lang && document.documentElement.lang !== page.lang) {
            document.documentElement.lang = page.lang;
        }
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

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        zzgeo: {
            filterSites: filterSites,
            pointHideouts: pointHideouts,
            proposedData: proposedData,
            importRequest: importRequest
        }
    });
})();
