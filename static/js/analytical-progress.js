/* The analytical report's progress bar: polls the report's status URL and moves the bar;
   reloads the page when the report is ready or has failed. (No inline scripts: CSP script-src 'self'.) */
(function () {
  "use strict";
  var box = document.querySelector("[data-analytical-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-analytical-status-url");
  var outer = box.querySelector(".progress");
  var bar = box.querySelector(".progress-bar");
  var label = box.querySelector("[data-analytical-label]");

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
        if (state.status === "done" || state.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  show(Number(box.getAttribute("data-done")) || 0, Number(box.getAttribute("data-total")) || 0);
  window.setTimeout(poll, 500);
}());
