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

    Object.assign(Z, {sitePoint, siteCluster, siteEach, pointFilter, dataCenterPoint, dataCenterEach, projectPoint, projectEach, expandPoints});
    Object.assign(window.dash_clientside.zzgeo, {filterSites, pointHideouts});
})();
