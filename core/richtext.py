"""Text that users write for the public pages (news, best practices): a safe subset of Markdown.

``render_markdown(text)`` turns Markdown into HTML with Python-Markdown, then sanitises the result
with nh3 (ammonia): only paragraphs, emphasis, lists, quotes, headings, code, tables and links
survive; scripts and styles go with their content; every attribute but a link's ``href`` (and a
cell's alignment) goes; links keep only http, https and mailto and get ``rel="noopener noreferrer
nofollow"``. Raw HTML typed into the text is cleaned the same way, so nothing can run on a page.
Headings start at level 3 (the page has its own h1 and h2s). Images are not allowed: pictures are
uploaded separately and re-encoded (core/images.py).
"""
from __future__ import annotations

import html as html_lib
import threading

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": {"href"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
MAX_SOURCE_CHARS = 50_000


def sanitise_html(html: str) -> str:
    """``html`` reduced to the safe subset (see the module's docstring)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_converters = threading.local()  # a Markdown instance is costly to build and not thread-safe


def _to_html(text: str, *, rich: bool) -> str:
    name = "rich" if rich else "plain"
    converter = getattr(_converters, name, None)
    if converter is None:
        if rich:
            converter = markdown.Markdown(
                extensions=["tables", "sane_lists", "toc"],
                extension_configs={"toc": {"baselevel": 3, "anchorlink": False, "permalink": False}},
                output_format="html",
            )
        else:
            converter = markdown.Markdown(output_format="html")
        setattr(_converters, name, converter)
    try:
        return converter.convert(text[:MAX_SOURCE_CHARS])
    finally:
        converter.reset()


def render_markdown(text: str | None) -> Markup:
    """The sanitised HTML of Markdown ``text``, safe to put into a template as it is."""
    if not text:
        return Markup("")
    return Markup(sanitise_html(_to_html(text, rich=True)))  # sanitised just above


def plain_text(text: str | None, limit: int = 300) -> str:
    """The words of Markdown ``text`` without any markup, cut at ``limit`` characters (meta
    descriptions, feed summaries)."""
    if not text:
        return ""
    html = _to_html(text, rich=False)
    words = " ".join(nh3.clean(html, tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT)).split())
    words = html_lib.unescape(words)
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"
