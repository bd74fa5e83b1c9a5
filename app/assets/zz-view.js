/*
 * The view: map fits, the URL, the page's language (app/features/view.py).
 *
 * Map fits get the padding of the layout shown; map moves rewrite the current history entry.
 */
(function () {
    "use strict";

    const Z = window.zzgeo;
    const {} = Z;

    // The legend floats over the map on wide screens and sits below it on phones.
    function legendBelowMap() {
        const box = document.getElementById(Z.config.ids.legendBox);
        return !!box && window.getComputedStyle(box).position !== "absolute";
    }

    // Resolves when the map shows no zoom or pan animation (Leaflet ignores a new view
    // asked for while it zooms), after at most `wait` ms.
    function mapAtRest(wait) {
        const start = Date.now();
        return new Promise(function (resolve) {
            (function check() {
                const map = document.querySelector("#" + Z.config.ids.map + ".leaflet-container");
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
            if (request.home && !request.initial) {
                await mapAtRest(3000);  // Leaflet drops a fit asked for while it still animates the last
            }
            if (request.home && Z.enterHome) {
                Z.enterHome();
            } else if (Z.leaveHome) {
                Z.leaveHome();  // a district's fit: no longer the city whole
            }
            const fit = {bounds: request.bounds, options: phone ? request.phoneOptions : request.options};
            return request.transition ? Object.assign(fit, {transition: request.transition}) : fit;
        }
        if (Z.leaveHome) {
            Z.leaveHome();
        }
        const view = {center: request.center, zoom: request.zoom};
        return request.transition ? Object.assign(view, {transition: request.transition}) : view;
    }

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

    // A map move: its view goes into the current history entry (no new one), so Back
    // undoes the last change of the view's settings rather than every pan (sync_view).
    // While the map shows the city whole (Z.isHome), the URL holds no view of it: a resize reports a
    // view of the old fit at the new size just before the refit (on a busy machine, its answer can
    // come last), and the home view is the one without c= and z= anyway.
    function withoutView(search) {
        const kept = search.replace(/^\?/, "").split("&").filter(function (part) {
            return part && !/^(c|z)=/.test(part);
        });
        return kept.length ? "?" + kept.join("&") : "";
    }

    function replaceUrl(request) {
        let search = request && typeof request.search === "string" ? request.search : null;
        if (search !== null && Z.isHome && Z.isHome()) {
            search = withoutView(search);
        }
        const current = window.location.search === "?" ? "" : window.location.search;
        if (search !== null && search !== current) {
            window.history.replaceState(window.history.state, "", window.location.pathname + search + window.location.hash);
            // the location component keeps the href it read as it mounted: were it left so, its next
            // update would push that old address back (its search lags on purpose: see sync_view)
            const dc = window.dash_clientside;
            if (typeof dc.set_props === "function") {
                dc.set_props(Z.config.ids.url, {href: window.location.href});
            }
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

    Object.assign(Z, {withParams});
    // The data's version the page shows; every VERSION_POLL_MS (while the page is visible) the page
    // asks the server for its version, and a newer one (a colleague imported, accepted or reverted
    // something) refreshes what depends on the data, as the page's own change would.
    let shown = null;

    function noteVersion(version) {
        shown = version || null;
        return version || null;
    }

    async function checkVersion() {
        const dc = window.dash_clientside;
        if (document.hidden || !shown || !Z.config.versionUrl || !dc || typeof dc.set_props !== "function") {
            return;
        }
        try {
            const answer = await fetch(Z.config.versionUrl, {cache: "no-store", credentials: "same-origin"});
            const body = answer.ok ? await answer.json() : null;
            if (body && body.version && body.version !== shown) {
                shown = body.version;
                dc.set_props(Z.config.ids.dataVersion, {data: body.version});
            }
        } catch (e) {
            // offline for a moment: the next check tries again
        }
    }

    if (Z.config.versionPollMs) {
        setInterval(checkVersion, Z.config.versionPollMs);
        document.addEventListener("visibilitychange", function () {
            if (!document.hidden) {
                checkVersion();
            }
        });
    }

    Object.assign(window.dash_clientside.zzgeo, {noteVersion, fitView, replaceUrl, setDocumentLang});
})();
