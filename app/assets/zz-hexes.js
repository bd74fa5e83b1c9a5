/*
 * Hexagon overlays: site counts and coverage gaps per H3 cell (app/features/hexes.py).
 *
 * The server sends cell ids and counts; h3-js (loaded when an overlay is first shown) draws
 * the hexagons.
 */
(function () {
    "use strict";

    const Z = window.zzgeo;
    const {EMPTY, esc, fmt, hideoutOf, loadScript} = Z;

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
        layer.on("click", Z.clickThrough);
        layer.bindTooltip(function () {
            const h = hideoutOf(context);
            const tips = h.tips || {};
            if (h.kind === "gaps") {
                return esc(tips.gap || "");
            }
            const n = Number(feature.properties.n);
            const template = n === 1 && tips.count_one ? tips.count_one : tips.count;
            return esc(String(template || "{n}").replace("{n}", fmt(n, 0)));
        }, {className: "zz-tip", sticky: true});
    }

    // What the hexagon overlays show; the server is asked only when this changes.
    let lastHexRequest = JSON.stringify({hexes: []});  // overlays start off: nothing to ask

    // Proposals change the gaps overlay (they count as in-service sites): their count and positions.
    function proposalsKey(proposals) {
        const features = (proposals && proposals.features) || [];
        let sum = 0;
        features.forEach(function (f) {
            const c = (f.geometry && f.geometry.coordinates) || [0, 0];
            sum += c[0] * 7 + c[1];
        });
        return features.length + ":" + sum.toFixed(6);
    }

    function hexRequest(state, version, proposals) {
        const noUpdate = window.dash_clientside.no_update;
        if (!state) {
            return noUpdate;
        }
        const hexes = state.hexes || [];
        const request = hexes.length ? {
            hexes: hexes, res: state.resolution, year: state.year, operators: state.operators,
            statuses: hexes.indexOf("counts") >= 0 ? state.statuses : null, lang: state.lang,
            proposals: hexes.indexOf("gaps") >= 0 ? proposalsKey(proposals) : null,
            version: version
        } : {hexes: []};
        const key = JSON.stringify(request);
        if (key === lastHexRequest) {
            return noUpdate;
        }
        lastHexRequest = key;
        return request;
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
    async function hexLayers(data) {
        const noUpdate = window.dash_clientside.no_update;
        const out = [noUpdate, noUpdate, noUpdate, noUpdate];
        if (!data) {
            return out;
        }
        const kinds = ["counts", "gaps"];
        if (kinds.some(function (k) { return data[k] && data[k].cells.length; }) && !window.h3) {
            await loadScript(Z.config.h3);
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

    Object.assign(Z, {hexStyle, hexEach});
    Object.assign(window.dash_clientside.zzgeo, {hexRequest, hexLayers});
})();
