/*
 * Time (app/features/time.py): play through the years, pause, step back and forward.
 *
 * Each step sets the year slider, as a user would; the server answers with the views of
 * that year. Playing from the last year starts again at the first.
 */
(function () {
    "use strict";

    const Z = window.zzgeo;

    function yearPlay(_play, _back, _next, _tick, year, first, last, paused, playLabel, pauseLabel) {
        const trigger = ((window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "").split(".")[0];
        const ids = Z.config.ids;
        const noUpdate = window.dash_clientside.no_update;
        const answer = function (value, playing) {
            return [value, !playing, playing ? "true" : "false", playing ? pauseLabel : playLabel];
        };
        if (trigger === ids.playTimer) {
            if (paused) {
                return [noUpdate, noUpdate, noUpdate, noUpdate];
            }
            const next = Math.min(year + 1, last);
            return answer(next, next < last);
        }
        if (trigger === ids.yearBack) {
            return answer(Math.max(year - 1, first), false);
        }
        if (trigger === ids.yearNext) {
            return answer(Math.min(year + 1, last), false);
        }
        // the play button: pause while playing; otherwise play (from the first year at the end)
        if (!paused) {
            return answer(noUpdate, false);
        }
        return answer(year >= last ? first : noUpdate, true);
    }

    // The "Over time" tab's view: the view state while the tab is open, else nothing (no request).
    function timeView(state, tab) {
        return tab === "time" && state ? state : window.dash_clientside.no_update;
    }

    Object.assign(window.dash_clientside.zzgeo, {yearPlay, timeView});
})();
