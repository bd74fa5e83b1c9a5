/*
 * The ranking grid's code, loaded when the ranking comes into view (app/features/ranking.py).
 *
 * dash-ag-grid's bundle (over half of the page's code) is not in the page's first load
 * (app/server.py leaves its <script> tag out and names it in the config block). Until it is
 * loaded, window.dash_ag_grid.AgGrid is a stand-in: it keeps the grid's place (same id and
 * size), loads the bundle once the grid comes into view, then renders the real grid with the
 * same props. The stand-in stays the component Dash renders, so the grid is never mounted
 * twice; getApi/getApiAsync are forwarded once loaded.
 */
(function () {
    "use strict";

    const Z = window.zzgeo;
    const {loadScript} = Z;

    // A cell as the grid would show it: numbers with the decimals of the column's d3 format
    // (",.1f", ".1f", ","), "—" for none.
    function cellText(column, value) {
        if (value === null || value === undefined || value === "") {
            return "—";
        }
        if (typeof value !== "number") {
            return String(value);
        }
        const formatter = column.valueFormatter && column.valueFormatter.function;
        const match = formatter ? /\.(\d)f/.exec(formatter) : null;
        const decimals = match ? Number(match[1]) : 0;
        const comma = !formatter || formatter.indexOf("',") >= 0;
        return value.toLocaleString("en-US", {
            minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: comma
        });
    }

    // Until the grid's code has loaded (the ranking tab was not opened), the ranking prints as a
    // plain table of the same rows and columns (CSS shows it in print only): printing cannot wait
    // for the bundle to load.
    function printTable(React, props) {
        const columns = (props.columnDefs || []).filter(function (c) { return c.field; });
        const rows = props.rowData || [];
        if (!columns.length || !rows.length) {
            return null;
        }
        const h = React.createElement;
        return h("table", {className: "zz-print-table"},
            h("thead", null, h("tr", null, columns.map(function (c) {
                return h("th", {key: c.field, scope: "col", className: c.type ? "zz-num" : null}, c.headerName || c.field);
            }))),
            h("tbody", null, rows.map(function (row, i) {
                return h("tr", {key: row.adcode || i, className: row.underserved ? "zz-row-under" : null},
                    columns.map(function (c) {
                        return h("td", {key: c.field, className: c.type ? "zz-num" : null}, cellText(c, row[c.field]));
                    }));
            })));
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
            }, React.createElement("span", {className: "zz-grid-pending-text"}, text), printTable(React, props));
        }
        LazyAgGrid.dashRenderType = true;
        stub.AgGrid = LazyAgGrid;
        stub.zzLazy = true;
        return stub;
    }

    (function () {
        const urls = (Z.config && Z.config.lazy) || {};
        if (urls.dash_ag_grid && !window.dash_ag_grid && window.React) {
            window.dash_ag_grid = lazyGrid(urls.dash_ag_grid);
        }
    })();
})();
