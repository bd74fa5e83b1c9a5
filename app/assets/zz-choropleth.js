/*
 * The district choropleth: style, tooltips, and the indicator and colour pickers (app/features/choropleth.py).
 *
 * The pickers switch between the views the server sent for every indicator and colour scheme
 * (app/features/views.py): no request goes to the server.
 */
(function () {
    "use strict";

    const Z = window.zzgeo;
    const {esc, hideoutOf, safeCode} = Z;

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
            fillOpacity: h.dim ? 0.3 : 0.78,
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
            const props = feature.properties;
            const title = props.name_en && props.name_en !== props.name_zh
                ? props.name_zh + " · " + props.name_en : props.name_zh;
            const rows = tips && tips.length ? tips : [title];
            return rows.map(function (text, i) {
                return i === 0 ? "<strong>" + esc(text) + "</strong>" : esc(text);
            }).join("<br>");
        }, {sticky: true, className: "zz-tip", direction: "top", offset: [0, -8]});
        layer.once("add", function () {
            Z.leafletMap = layer._map;  // the map the print fit moves (zz-print.js)
        });
        layer.on("mouseover", function () {
            layer.setStyle({weight: 4, color: "#111111"});
        });
        layer.on("mouseout", function () {
            layer.setStyle(districtStyle(feature, context));
        });
    }

    // The indicator picker and the colour choice: show the hideout, legend and ranking the
    // server computed for that indicator and scheme (app/features/views.py make_views), and
    // write the choice into the URL (a history entry, as the other controls make) and into
    // the language link. No request goes to the server.
    function applyIndicator(indicator, palette, views, langHref) {
        const noUpdate = window.dash_clientside.no_update;
        const query = Z.config.query;
        if (!views || !views.hideouts || !query) {
            return [noUpdate, noUpdate, noUpdate, noUpdate, noUpdate];
        }
        const ind = views.hideouts[indicator] ? indicator : query.params.ind.default;
        const pal = views.hideouts[ind][palette] ? palette : query.params.pal.default;
        const values = {ind: ind, pal: pal};
        const search = Z.withParams(window.location.search, values, query);
        if (search !== window.location.search) {
            window.history.pushState({}, "", window.location.pathname + search + window.location.hash);
        }
        let href = noUpdate;
        if (typeof langHref === "string") {
            const link = Z.withParams(langHref.replace(/^[^?]*/, ""), values, query) || "?";
            href = link !== langHref ? link : noUpdate;
        }
        return [views.hideouts[ind][pal], views.legend[ind][pal] || [], views.columns[ind], views.rows[ind], href];
    }

    // Back/forward between entries that differ in the indicator or colours only: Dash's
    // location does not see them (it was not told of applyIndicator's entries), so set the
    // pickers from the URL here.
    window.addEventListener("popstate", function () {
        const dc = window.dash_clientside;
        const query = Z.config.query;
        if (!query || !dc || typeof dc.set_props !== "function") {
            return;
        }
        const params = new URLSearchParams(window.location.search);
        Object.keys(query.params).forEach(function (key) {
            const rule = query.params[key];
            const value = params.get(key);
            const wanted = value !== null && rule.allowed.indexOf(value) >= 0 ? value : rule.default;
            if (document.getElementById(rule.control)) {
                dc.set_props(rule.control, {value: wanted});
            }
        });
    });

    // The area level's polygons on the district layer (app/features/level.py): fetched (once per
    // URL) when the view's level changes. The page opens with its level's polygons: the first
    // view state only notes which level that is.
    let shownLevel;
    let wantedLevel;

    async function levelData(state, config) {
        const noUpdate = window.dash_clientside.no_update;
        const level = (state && state.level) || null;
        if (shownLevel === undefined) {
            shownLevel = wantedLevel = level;
            return noUpdate;
        }
        wantedLevel = level;
        const urls = (config && config.urls) || {};
        const url = urls[level ? "areas-" + level : "districts"];
        if (level === shownLevel || !url) {
            return noUpdate;
        }
        const data = await Z.loadJSON(url);
        if (wantedLevel !== level) {  // another level was asked for meanwhile: its answer draws
            return noUpdate;
        }
        shownLevel = level;
        return data;
    }

    Object.assign(Z, {districtStyle, districtEach});
    Object.assign(window.dash_clientside.zzgeo, {applyIndicator, levelData});
})();
