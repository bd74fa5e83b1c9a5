/*
 * The import panel (app/features/import_jobs.py, imports_list.py, history.py).
 *
 * The size of a dropped file is checked here, so an oversized file is never sent. The
 * browser's own random id (kept in its local storage) goes with each upload: a job is its
 * owner's, and the server caps the import jobs running at once per owner (app/upload.py:
 * user_of). Removing an import and reverting a change ask first.
 */
(function () {
    "use strict";

    const Z = window.zzgeo;

    // A random id for this browser: 24 URL-safe characters (crypto.getRandomValues works on
    // plain http too, unlike crypto.randomUUID).
    function newBrowserId() {
        const bytes = new Uint8Array(18);
        window.crypto.getRandomValues(bytes);
        return btoa(String.fromCharCode.apply(null, bytes))
            .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }

    // The import panel: check the size of a dropped file here, so an oversized file is
    // never sent; otherwise ask the server to read it (with the chosen options).
    function importRequest(contents, kind, crs, layer, encoding, keep, filename, config, user) {
        const noUpdate = window.dash_clientside.no_update;
        if (!contents || typeof contents !== "string") {
            return [noUpdate, noUpdate, noUpdate];
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
            return [[message], {clear: true, n: Date.now()}, noUpdate];
        }
        const id = typeof user === "string" && user ? user : newBrowserId();
        const request = {
            contents: contents, filename: filename, kind: kind, crs: crs, layer: layer,
            encoding: encoding, keep: Array.isArray(keep) && keep.indexOf("keep") >= 0, user: id, n: Date.now()
        };
        return [noUpdate, request, id === user ? noUpdate : id];
    }

    // A Remove button of the list of imports: ask first, naming the file (its row says it).
    function confirmRemove(_clicks, message) {
        return Z.confirmFor("import", message, "{file}", function (entry) {
            const cell = document.querySelector('tr[data-entry="' + CSS.escape(String(entry)) + '"] .zz-import-file');
            return cell ? cell.textContent : entry;
        });
    }

    // A Revert button of the history (admins): ask first, naming the change.
    function confirmRevert(_clicks, message) {
        return Z.confirmFor("revert", message, "{seq}", function (seq) { return seq; });
    }

    // The import tab's history is asked for each time that tab opens (not when another one does).
    function importOpened(tab) {
        return tab === "import" ? tab : window.dash_clientside.no_update;
    }

    Object.assign(window.dash_clientside.zzgeo, {importRequest, confirmRemove, confirmRevert, importOpened});
})();
