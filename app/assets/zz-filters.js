/*
 * The side bar's controls (app/features/filters.py).
 *
 * Dash's slider thumb has no accessible name: it takes the slider's <label>.
 */
(function () {
    "use strict";

    const Z = window.zzgeo;
    const {} = Z;

    // Accessible names: Dash's slider thumb has none; label it with the slider's <label>.
    function labelSliders() {
        document.querySelectorAll(".zz-slider").forEach(function (slider) {
            const label = document.getElementById(slider.id + "-label");
            slider.querySelectorAll("[role=slider]").forEach(function (thumb) {
                if (label && thumb.getAttribute("aria-labelledby") !== label.id) {
                    thumb.setAttribute("aria-labelledby", label.id);
                }
            });
        });
    }

    Z.onDomChange(labelSliders);

    // The side bar folds to a narrow rail (the map takes the width) and unfolds again.
    function sidebarToggle(n, hideLabel, showLabel) {
        const folded = n % 2 === 1;
        return ["zz-main" + (folded ? " zz-sidebar-folded" : ""), folded ? "false" : "true", folded ? showLabel : hideLabel];
    }
    Object.assign(window.dash_clientside.zzgeo, {sidebarToggle});
})();
