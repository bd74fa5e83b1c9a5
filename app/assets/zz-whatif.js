/*
 * What-if proposals on the map and the drawing tool's texts (app/features/whatif.py).
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
    function localize() {
        const wrap = document.getElementById(Z.config.ids.mapWrap);
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

    Z.onDomChange(localize);

    Object.assign(Z, {proposedPoint, proposedEach});
    Object.assign(window.dash_clientside.zzgeo, {proposedData});
})();
