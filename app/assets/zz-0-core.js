/*
 * zzgeo in the browser: shared helpers (this file loads first; the features' files add to
 * window.zzgeo and window.dash_clientside.zzgeo).
 *
 * dash-leaflet calls the map functions (referenced from Python as {"variable": "zzgeo.<name>"})
 * with the component's props as the last argument ("context"), so `context.hideout` carries what
 * Python computed. Leaflet treats tooltip strings as HTML: every value that comes from data is
 * passed through esc().
 */
(function () {
    "use strict";

    const EMPTY = {type: "FeatureCollection", features: []};

    // What Python tells the browser (app/server.py writes it into the page's head): component
    // ids, the query string's rules, the URLs of libraries loaded on demand.
    function readConfig() {
        const block = document.getElementById("zz-config");
        try {
            return block ? JSON.parse(block.textContent) : {};
        } catch (e) {
            return {};
        }
    }

    const config = readConfig();

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

    // A district's adcode or an area's key (app.state.KEY_PATTERN): safe in a CSS class.
    function safeCode(code) {
        return /^[A-Za-z0-9_-]{1,40}$/.test(String(code)) ? String(code) : "x";
    }

    // Load a script once (by URL). An AMD loader on the page would capture a UMD bundle
    // (h3-js, dash-ag-grid's) instead of letting it set its global: hide `define` meanwhile.
    const loading = {};

    function loadScript(url) {
        if (!loading[url]) {
            loading[url] = new Promise(function (resolve, reject) {
                const script = document.createElement("script");
                const define = window.define;
                window.define = undefined;
                script.src = url;
                script.async = false;
                script.onload = function () {
                    window.define = define;
                    resolve();
                };
                script.onerror = function () {
                    window.define = define;
                    delete loading[url];
                    reject(new Error("could not load " + url));
                };
                document.head.appendChild(script);
            });
        }
        return loading[url];
    }

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

    // A click on something drawn over the districts (hexagons, site clusters, markers) also opens
    // the district under the pointer, as a click on the district itself would.
    // The district layer's clickData is set as Leaflet would set it (its adcode is in the path's class).
    function clickThrough(e) {
        const oe = e && e.originalEvent;
        const dc = window.dash_clientside;
        if (!oe || !document.elementsFromPoint || !dc || typeof dc.set_props !== "function") {
            return;
        }
        const under = document.elementsFromPoint(oe.clientX, oe.clientY).find(function (el) {
            return el.classList && el.classList.contains("zz-district");
        });
        const code = under && Array.from(under.classList).map(function (c) {
            return /^zz-d-([A-Za-z0-9_-]{1,40})$/.exec(c);
        }).filter(Boolean)[0];
        if (code) {
            dc.set_props(config.ids.districts, {clickData: {properties: {adcode: code[1]}, at: Date.now()}});
        }
    }

    // The index of the pattern-matching button that triggered a clientside callback (null when the
    // callback ran because the buttons were drawn, not clicked).
    function clickedIndex() {
        const trigger = ((window.dash_clientside.callback_context || {}).triggered || [])[0];
        if (!trigger || !trigger.value) {
            return null;
        }
        try {
            return JSON.parse(trigger.prop_id.slice(0, trigger.prop_id.lastIndexOf("."))).index;
        } catch (e) {
            return null;
        }
    }

    // [pending store, displayed, message] of a confirm dialog asked by a pattern-matching button:
    // `fill(index)` gives what replaces `placeholder` in the dialog's first message (its template).
    const templates = {};

    function confirmFor(name, message, placeholder, fill) {
        const index = clickedIndex();
        if (index === null) {
            return [window.dash_clientside.no_update, false, window.dash_clientside.no_update];
        }
        const template = templates[name] || (templates[name] = message);
        const value = String(fill(index));
        return [index, true, String(template).replace(placeholder, function () { return value; })];
    }

    // Features that touch what Dash renders (labels, titles) register here; they run after
    // every change of the page.
    const domHooks = [];

    function onDomChange(hook) {
        domHooks.push(hook);
    }

    new MutationObserver(function () {
        domHooks.forEach(function (hook) { hook(); });
    }).observe(document.documentElement, {childList: true, subtree: true});

    // Buttons with data-scroll-to="<id>" bring that element into view (no URL change).
    document.addEventListener("click", function (event) {
        const button = event.target && event.target.closest && event.target.closest("[data-scroll-to]");
        const target = button && document.getElementById(button.getAttribute("data-scroll-to"));
        if (target) {
            target.scrollIntoView({behavior: "smooth", block: "start"});
        }
    });

    window.zzgeo = Object.assign({}, window.zzgeo, {
        config: config,
        EMPTY: EMPTY,
        esc: esc,
        hideoutOf: hideoutOf,
        labelsOf: labelsOf,
        lines: lines,
        fmt: fmt,
        safeCode: safeCode,
        loadScript: loadScript,
        loadJSON: loadJSON,
        clickThrough: clickThrough,
        confirmFor: confirmFor,
        onDomChange: onDomChange
    });
    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.zzgeo = Object.assign({}, window.dash_clientside.zzgeo);
})();
