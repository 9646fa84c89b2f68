"""Checks the browser tests share: axe-core's serious and critical violations, no sideways
scroll, and screenshots kept under a predictable folder for the reviewer (and CI's artefacts).

axe-core is vendored in ``static/vendor/axe-core/`` (from the npm registry). It is evaluated in
the page through the DevTools protocol, which the page's Content-Security-Policy does not
govern, so the app's policy stays as strict as in production.

Screenshots go to ``test-artifacts/screenshots/<test>/<page>-<width>.png`` at the project root
(ignored by git; CI keeps the folder as an artefact). ``SCREENSHOTS_DIR`` in the environment
puts them elsewhere."""
from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from tests.support.paths import PROJECT_ROOT

AXE_SCRIPT = PROJECT_ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS_DIR = Path(os.environ.get("SCREENSHOTS_DIR") or PROJECT_ROOT / "test-artifacts" / "screenshots")
BLOCKING_IMPACTS = ("serious", "critical")
# The widths every page must fit: the common office screens and a phone.
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

_RUN_AXE = """async (impacts) => {
  const result = await window.axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations"],
  });
  return result.violations
    .filter((v) => impacts.includes(v.impact))
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary)}));
}"""


@cache
def axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict]:
    """axe-core's violations of the page as it is now, of the given impacts (serious and
    critical by default): ``[{"id", "impact", "help", "nodes": ["selector :: summary", ...]}]``."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {axe_source()}\n}}")
    return page.evaluate(_RUN_AXE, list(impacts))


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']} {violation['id']}: {violation['help']}")
        lines.extend(f"    {node}" for node in violation["nodes"])
    return "\n".join(lines)


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def widest_elements(page, limit: int = 5) -> list[str]:
    """The elements reaching furthest past the window's right edge, to say what overflows."""
    return page.evaluate("""(limit) => {
      const width = window.innerWidth;
      const found = [];
      const clipped = (el) => {  // inside a box that scrolls or clips sideways: not the page's width
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(p).overflowX)) return true;
        }
        return false;
      };
      for (const el of document.querySelectorAll("body *")) {
        const right = el.getBoundingClientRect().right;
        if (right > width + 1 && !clipped(el)) {
          const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
            (el.classList.length ? "." + [...el.classList].join(".") : "");
          found.push([right, name]);
        }
      }
      found.sort((a, b) => b[0] - a[0]);
      return found.slice(0, limit).map(([right, name]) => `${name} (right edge ${Math.round(right)} px)`);
    }""", limit)


def assert_no_sideways_scroll(page, what: str = "") -> None:
    """``document.documentElement.scrollWidth <= window.innerWidth``."""
    overflow = sideways_overflow(page)
    assert overflow <= 0, (f"{what or page.url} scrolls sideways by {overflow} px at "
                           f"{page.viewport_size['width']} px: {widest_elements(page)}")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "page"


def screenshot_path(test_name: str, page_name: str, width: int) -> Path:
    """``test-artifacts/screenshots/<test>/<page>-<width>.png``."""
    return SCREENSHOTS_DIR / slug(test_name) / f"{slug(page_name)}-{width}.png"


def fresh_screenshots(test_name: str) -> Path:
    """Empty the test's screenshot folder, so that it holds this run's pages only."""
    folder = SCREENSHOTS_DIR / slug(test_name)
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def save_screenshot(page, test_name: str, page_name: str) -> Path:
    """The whole page as the browser shows it at its current width."""
    path = screenshot_path(test_name, page_name, page.viewport_size["width"])
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


@contextmanager
def serving(app) -> Iterator[str]:
    """``app`` on a free loopback port, from a background thread; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)  # port 0: the OS picks a free one
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


_FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name"), text: (el.innerText || el.value || "").trim().slice(0, 40),
          outline: style.outlineStyle !== "none" ? parseFloat(style.outlineWidth) : 0,
          shadow: style.boxShadow !== "none", width: box.width, height: box.height};
}"""


def focused(page) -> dict | None:
    """What has the keyboard focus, with its focus ring: ``{"tag", "id", "name", "text",
    "outline" (px), "shadow", "width", "height"}`` (None: nothing but the page)."""
    return page.evaluate(_FOCUS_RING)


_RING_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const style = getComputedStyle(el);
  return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
}"""


def assert_focus_visible(page, wait_ms: int = 1000) -> dict:
    """The focused element is on screen and ringed (an outline of 2 px or more). Waits a moment
    for the ring: a date field takes the focus into its segments a little after the key press."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_RING_SHOWN, timeout=wait_ms)
    except PlaywrightTimeout:
        pass  # reported below, with what has the focus
    element = focused(page)
    assert element is not None, "the focus is lost (on the page itself)"
    assert element["width"] > 0 and element["height"] > 0, f"the focused element is not shown: {element}"
    assert element["outline"] >= 2, f"no visible focus ring: {element}"
    return element


def tab_to(page, selector: str, *, limit: int = 80, backwards: bool = False) -> dict:
    """Press Tab (Shift+Tab) until the element matching ``selector`` has the focus (at once if it
    has it already, e.g. autofocus), checking the focus ring at every stop; returns the focused
    element. Past the last element the focus leaves the page for the browser and comes back."""
    matches = "(s) => document.activeElement.matches(s)"
    if page.evaluate(matches, selector):
        return assert_focus_visible(page)
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if focused(page) is None:  # between the end of the tab order and its start
            continue
        element = assert_focus_visible(page)
        if page.evaluate(matches, selector):
            return element
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab (last: {focused(page)})")
