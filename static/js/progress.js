/* A long job's progress bar (an import, a monitoring period, an analytical report): polls the
   JSON status URL of the element with data-progress-url and moves its bar; reloads the page
   when the status is one of data-progress-final, or (data-progress-leaves) when it leaves a
   status it was seen in. data-progress-field names the JSON's count ("done" by default).
   (No inline scripts: CSP script-src 'self'.) */
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-progress-url");
  var field = box.getAttribute("data-progress-field") || "done";
  var finals = (box.getAttribute("data-progress-final") || "done failed").split(" ");
  var leaves = box.getAttribute("data-progress-leaves");
  var seen = leaves !== null && box.getAttribute("data-status") === leaves;
  var outer = box.querySelector(".progress");
  var bar = box.querySelector(".progress-bar");
  var label = box.querySelector("[data-progress-label]");
  var delay = 1000;
  // Numbers in the page's language, as the server prints them (core/numbers.py): «45 %», «1 234».
  var language = document.documentElement.lang || "ru";
  var asPercent = new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 0 });
  var asCount = new Intl.NumberFormat(language, { maximumFractionDigits: 0 });

  function show(done, total) {
    var percent = total > 0 ? Math.min(100, Math.floor(done * 100 / total)) : 0;
    bar.style.width = percent + "%";  // CSSOM, allowed by style-src 'self' (no style attribute)
    bar.textContent = asPercent.format(percent / 100);
    outer.setAttribute("aria-valuenow", String(percent));
    // Nothing counted yet (the job is queued): keep the page's "waiting" text rather than «0 / 0».
    if (label && total > 0) { label.textContent = asCount.format(done) + " / " + asCount.format(total); }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (state) {
        show(state[field], state.total);
        if (finals.indexOf(state.status) !== -1 || (seen && state.status !== leaves)) {
          window.location.reload();
          return;
        }
        if (leaves !== null && state.status === leaves) { seen = true; }
        delay = Math.min(delay + 500, 5000);  // a queued job may wait for a worker: poll less often
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  show(Number(box.getAttribute("data-done")) || 0, Number(box.getAttribute("data-total")) || 0);
  window.setTimeout(poll, 500);
}());
