/*
 * Place search (app/features/search.py): the ring around a site that was found.
 */
(function () {
    "use strict";

    const Z = window.zzgeo;
    const {EMPTY} = Z;

    // SEARCH_PICK -> the FOUND layer: a ring at the site (a district's outline shows it already).
    function foundMarker(pick) {
        if (!pick || !pick.center) {
            return EMPTY;
        }
        return {type: "FeatureCollection", features: [{
            type: "Feature",
            properties: {key: pick.key},
            geometry: {type: "Point", coordinates: [pick.center[1], pick.center[0]]}
        }]};
    }

    function foundPoint(feature, latlng) {
        return L.circleMarker(latlng, {
            radius: 14, color: "#d6006f", weight: 3, fill: false, interactive: false, className: "zz-found"
        });
    }

    Object.assign(Z, {foundPoint});
    Object.assign(window.dash_clientside.zzgeo, {foundMarker});
})();
