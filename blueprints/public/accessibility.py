"""The version for the visually impaired (версия для слабовидящих, ГОСТ Р 52872-2019).

A visitor's settings live in one cookie (no server session): font size in three steps, the
colour scheme (black on white, white on black, dark blue on light blue), images on or off, and
letter spacing in three steps. The server renders them as classes on ``<html>``, so they hold on
the next page without any JavaScript; a toggle link on every public page switches the version on
and off, and a panel on every page changes each setting.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from flask import Request

COOKIE = "nastavnik_a11y"
COOKIE_PATH = "/p"
COOKIE_MAX_AGE = 365 * 24 * 3600
SIZES = ("1", "2", "3")
SCHEMES = ("bw", "wb", "blue")  # black on white, white on black, dark blue on light blue
SPACINGS = ("1", "2", "3")


@dataclass(frozen=True)
class Prefs:
    """The visitor's settings; ``on`` False is the ordinary version."""

    on: bool = False
    size: str = "2"
    scheme: str = "bw"
    images: bool = True
    spacing: str = "1"

    @property
    def cookie_value(self) -> str:
        return f"{self.size}.{self.scheme}.{'i' if self.images else 'n'}.{self.spacing}" if self.on else ""

    @property
    def html_class(self) -> str:
        """The classes of ``<html>`` (public.css styles them)."""
        if not self.on:
            return ""
        classes = ["a11y", f"a11y-size-{self.size}", f"a11y-scheme-{self.scheme}", f"a11y-spacing-{self.spacing}"]
        if not self.images:
            classes.append("a11y-no-images")
        return " ".join(classes)

    @property
    def key(self) -> str:
        """What the page's ETag varies on."""
        return self.cookie_value or "off"


OFF = Prefs()


def parse(value: str | None) -> Prefs:
    """The settings of the cookie's ``value``; anything malformed is the ordinary version."""
    parts = (value or "").split(".")
    if len(parts) != 4:
        return OFF
    size, scheme, images, spacing = parts
    if size not in SIZES or scheme not in SCHEMES or images not in ("i", "n") or spacing not in SPACINGS:
        return OFF
    return Prefs(on=True, size=size, scheme=scheme, images=images == "i", spacing=spacing)


def of_request(request: Request) -> Prefs:
    return parse(request.cookies.get(COOKIE))


def changed(prefs: Prefs, args) -> Prefs:
    """``prefs`` with the changes asked for in the toggle link's query ``args``."""
    if args.get("off"):
        return OFF
    new = prefs if prefs.on else Prefs(on=True)
    if args.get("size") in SIZES:
        new = replace(new, size=args["size"])
    if args.get("scheme") in SCHEMES:
        new = replace(new, scheme=args["scheme"])
    if args.get("images") in ("on", "off"):
        new = replace(new, images=args["images"] == "on")
    if args.get("spacing") in SPACINGS:
        new = replace(new, spacing=args["spacing"])
    return new
