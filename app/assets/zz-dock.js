/*
 * The dock below the map: its tabs open and close the panels (app/features/dock.py).
 *
 * The open tab lives in the DOCK_STATE store; a click on anything with data-dock-open="<tab>"
 * sets it (a tab that is open closes again). No request goes to the server.
 */
(function () {
    "use strict";

    const Z = window.zzgeo;
    let openTab = null;

    function dockState(tab, tabIds) {
        openTab = tab || null;
        return [
            "zz-dock" + (openTab ? " zz-dock-open" : ""),
            tabIds.map(function (id) { return id.index === openTab ? "true" : "false"; }),
            tabIds.map(function (id) { return id.index !== openTab; })
        ];
    }

    document.addEventListener("click", function (event) {
        const button = event.target && event.target.closest && event.target.closest("[data-dock-open]");
        const dc = window.dash_clientside;
        if (!button || !dc || typeof dc.set_props !== "function") {
            return;
        }
        const tab = button.getAttribute("data-dock-open");
        const isTab = button.getAttribute("role") === "tab";
        const next = isTab && openTab === tab ? null : tab;
        dc.set_props(Z.config.ids.dockState, {data: next});
        if (next && !isTab) {
            const dock = document.getElementById(Z.config.ids.dock);
            if (dock) {
                window.requestAnimationFrame(function () { dock.scrollIntoView({block: "nearest"}); });
            }
        }
    });

    Object.assign(window.dash_clientside.zzgeo, {dockState});
})();
