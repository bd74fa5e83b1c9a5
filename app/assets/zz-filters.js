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
})();
