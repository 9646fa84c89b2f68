/* The participants import's progress bar: polls the batch's status URL and moves the bar;
   reloads the page when the import has finished. (No inline scripts: CSP script-src 'self'.) */
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-import-status-url");
  var outer = box.querySelector(".progress");
  var bar = box.querySelector(".progress-bar");
  var label = box.querySelector("[data-import-label]");

  function show(processed, total) {
    var percent = total > 0 ? Math.min(100, Math.floor(processed * 100 / total)) : 0;
    bar.style.width = percent + "%";  // CSSOM, allowed by style-src 'self' (no style attribute)
    bar.textContent = percent + "%";
    outer.setAttribute("aria-valuenow", String(percent));
    if (label) { label.textContent = processed + " / " + total; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (state) {
        show(state.processed, state.total);
        if (state.status === "done" || state.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  show(Number(box.getAttribute("data-processed")) || 0, Number(box.getAttribute("data-total")) || 0);
  window.setTimeout(poll, 500);
}());
