/*
 * The import panel (app/features/import_panel.py).
 *
 * The size of a dropped file is checked here, so an oversized file is never sent.
 */
(function () {
    "use strict";

    const Z = window.zzgeo;
    const {} = Z;

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
    Object.assign(window.dash_clientside.zzgeo, {importRequest});
})();
