/* A monitoring period's progress bar: polls the period's status URL (JSON {status, done,
   total}) and moves the bar; reloads the page once the period is frozen, or when a run that
   was under way stops (failed). (No inline scripts: CSP script-src 'self'.) */
(function () {
  "use strict";
  var box = document.querySelector("[data-period-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-period-status-url");
  var outer = box.querySelector(".progress");
  var bar = box.querySelector(".progress-bar");
  var label = box.querySelector("[data-period-label]");
  var seenRunning = box.getAttribute("data-status") === "running";
  var delay = 1000;

  function show(done, total) {
    var percent = total > 0 ? Math.min(100, Math.floor(done * 100 / total)) : 0;
    bar.style.width = percent + "%";  // CSSOM, allowed by style-src 'self' (no style attribute)
    bar.textContent = percent + "%";
    outer.setAttribute("aria-valuenow", String(percent));
    if (label) { label.textContent = done + " / " + total; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (state) {
        show(state.done, state.total);
        if (state.status === "frozen" || (seenRunning && state.status !== "running")) {
          window.location.reload();
          return;
        }
        if (state.status === "running") { seenRunning = true; }
        delay = Math.min(delay + 500, 5000);  // a queued run may wait for a worker: poll less often
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  show(Number(box.getAttribute("data-done")) || 0, Number(box.getAttribute("data-total")) || 0);
  window.setTimeout(poll, 500);
}());
