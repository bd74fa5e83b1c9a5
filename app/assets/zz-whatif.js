/*
 * What-if proposals on the map (app/features/whatif.py).
 *
 * Proposed sites are drawn larger, yellow with a dashed black outline: never like real sites.
 */
(function () {
    "use strict";

    const Z = window.zzgeo;
    const {EMPTY, esc, labelsOf, lines} = Z;

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
        layer.on("click", Z.clickThrough);
        const p = feature.properties || {};
        const labels = labelsOf(context);
        layer.bindTooltip(function () {
            return "<strong>" + esc(labels.proposed) + "</strong><br>" + lines([
                [null, p.site_id],
                [null, (labels.operators || {})[p.operator] || p.operator]
            ]);
        }, {className: "zz-tip"});
    }

    function proposedData(store) {
        return store && store.features ? store : EMPTY;
    }

    // The drawing tool's texts (Leaflet.draw ships English only) from data-* of the map box.


    Object.assign(Z, {proposedPoint, proposedEach});
    // "Clear proposals" asks first (a confirm dialog naming how many); with none, nothing happens.
    function confirmClear(_n, proposals, message) {
        const n = ((proposals && proposals.features) || []).length;
        if (!n) {
            return [false, window.dash_clientside.no_update];
        }
        const template = confirmClear.template || (confirmClear.template = message);
        return [true, String(template).replace("{n}", String(n))];
    }

    // A Remove button of the accepted planned sites: ask first, naming how many (its row says).
    function confirmBatch(_clicks, message) {
        return Z.confirmFor("batch", message, "{n}", function (batch) {
            const cell = document.querySelector('tr[data-batch="' + CSS.escape(String(batch)) + '"] td.zz-num');
            return cell ? cell.textContent : "";
        });
    }

    // The drawing tool reports its (empty) layer as it mounts, on every page load: only a change
    // from or to drawn points goes on to the server (what_if in app/features/whatif.py).
    let drawnBefore = 0;
    function drawnChange(geojson) {
        const n = geojson && geojson.features ? geojson.features.length : 0;
        if (n === 0 && drawnBefore === 0) {
            return window.dash_clientside.no_update;
        }
        drawnBefore = n;
        return geojson;
    }

    Object.assign(window.dash_clientside.zzgeo, {proposedData, confirmClear, confirmBatch, drawnChange});
})();
