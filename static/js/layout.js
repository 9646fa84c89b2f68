/* Wide tables scroll sideways inside their .table-responsive box. A box that does scroll gets a
   tab stop, the region role and a name (the table's caption, else the heading before it), so a
   keyboard user can reach and scroll it (WCAG 2.1.1); a box that fits stays out of the tab
   order. Checked again when the window is resized. (No inline scripts: CSP script-src 'self'.) */
(function () {
  "use strict";
  var MARK = "data-scroll-region";

  function nameOf(box) {
    var table = box.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    if (table && table.getAttribute("aria-label")) { return table.getAttribute("aria-label"); }
    for (var node = box; node && node !== document.body; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        var heading = /^H[1-6]$/.test(prev.tagName) ? prev : prev.querySelector("h1, h2, h3, h4, h5, h6");
        if (heading && heading.textContent.trim()) { return heading.textContent.trim(); }
      }
    }
    var title = document.querySelector("main h1");
    return title ? title.textContent.trim() : document.title;
  }

  function update() {
    var boxes = document.querySelectorAll(".table-responsive");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var named = !box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby");
        if (named) { box.setAttribute("aria-label", nameOf(box)); }
        box.setAttribute(MARK, named ? "named" : "");
      } else if (!scrolls && box.hasAttribute(MARK)) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        if (box.getAttribute(MARK) === "named") { box.removeAttribute("aria-label"); }
        box.removeAttribute(MARK);
      }
    }
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(update, 150);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
}());
