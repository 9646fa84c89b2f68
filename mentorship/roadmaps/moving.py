"""Deadlines taken over into a new roadmap's period.

A roadmap created from a template, from the region's model roadmap or from an earlier
roadmap takes over their deadlines, written for their own years: the Kirov model roadmap
says «Ноябрь 2020 г.». Copied as they are, a 2026/27 roadmap would be overdue the day it is
approved. So, when deadlines are taken over (and when a draft's period changes):

* a **month-based wording** with a year («Ноябрь 2020 г.», «Ноябрь-декабрь 2020 г.»,
  «февраль 2022, далее ежегодно», the school year «2023-2024») moves by whole years: every
  year in the wording by the same number, the one closest to the shift between the two
  periods that puts the deadline inside the new period («Ноябрь 2026 г.»);
* a wording without a year («сентябрь», «ежегодно в мае», «постоянно») needs no move: its due
  dates are computed inside the roadmap's period anyway;
* a **concrete date** («30.11.2025»), a calendar year or a span of years, and a date the
  author set by hand, is never moved: if it lies outside the new period it is *flagged*
  (``outside``) for the author to confirm or change before submission;
* a moved deadline whose due date has already passed on the day it is taken over is flagged
  too (``passed``): the school adopting the model in December sets its own date for the
  November steps, or confirms that they are late.

The flags live on the stage or activity (``deadline_flag``, ``deadline_moved_from``);
``mentorship.roadmaps.editing`` sets them, clears them on an edit or a confirmation, and
refuses a submission while any is left.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from mentorship.roadmaps.deadlines import Deadline, DeadlineError, Period, parse_deadline

FLAGS = ("outside", "passed")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_MOVABLE = {"month", "range", "recurring", "school_year", "permanent", "as_needed", "per_plan"}
_SEARCH = 10  # how many years either side of the periods' shift are tried


@dataclass(frozen=True)
class Moved:
    """A stage's or activity's deadline after the move."""

    text: str | None
    deadline: dict | None
    flag: str | None = None  # "outside" | "passed" | None
    moved_from: str | None = None  # the wording before the move (None: the wording is unchanged)


def _parts(deadline: Deadline) -> list[Deadline]:
    if deadline.kind == "several":
        return [Deadline.from_json(part) for part in deadline.data["parts"]]
    return [deadline]


def _start_point(deadline: Deadline) -> date | None:
    """The earliest day a wording with a year names (for guessing a template's school year)."""
    d = deadline.data
    if deadline.kind == "date":
        return date.fromisoformat(d["date"])
    if deadline.kind == "month" and d.get("year"):
        return date(d["year"], d["month"], 1)
    if deadline.kind == "range" and d.get("start_year"):
        return date(d["start_year"], d["start_month"], 1)
    if deadline.kind in ("school_year", "years"):
        return date(d["start_year"], 9, 1)
    if deadline.kind == "year":
        return date(d["year"], 1, 1)
    if deadline.kind == "recurring" and d.get("from_year"):
        return date(d["from_year"], d.get("from_month") or 1, 1)
    return None


def anchor_year(period: tuple[date, date] | None, texts: list[str | None]) -> int | None:
    """The year a source's plan starts in: its period's first year, else the school year of
    the earliest dated deadline («Октябрь 2023» → 2023, «январь 2024» → 2023); None if the
    source names no year at all (then nothing needs moving)."""
    if period is not None:
        return period[0].year
    points = []
    for text in texts:
        deadline = _parsed(text)
        if deadline is not None:
            points += [p for p in (_start_point(part) for part in _parts(deadline)) if p]
    if not points:
        return None
    first = min(points)
    return first.year if first.month >= 8 else first.year - 1


def _parsed(text: str | None) -> Deadline | None:
    if not text or not text.strip():
        return None
    try:
        return parse_deadline(text)
    except DeadlineError:
        return None


def _shifted(text: str, years: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(1)) + years), text)


def _inside(deadline: Deadline, target: Period) -> bool:
    dues = deadline.due_dates(target)
    if not deadline.has_due_date:
        return True
    return bool(dues) and all(target.start <= due <= target.end for due in dues)


def _best_shift(text: str, delta: int, target: Period) -> int:
    """The whole number of years, closest to ``delta``, that puts the wording inside
    ``target``; ``delta`` itself if none does (the result is then flagged)."""
    for years in sorted(range(delta - _SEARCH, delta + _SEARCH + 1), key=lambda k: (abs(k - delta), k)):
        moved = _parsed(_shifted(text, years))
        if moved is not None and _inside(moved, target):
            return years
    return delta


def _one_off_dues(deadline: Deadline, target: Period) -> list[date]:
    return [due for part in _parts(deadline) if part.kind != "recurring" for due in part.due_dates(target)]


def move(text: str | None, structured: dict | None, *, delta: int, target: Period, today: date) -> Moved:
    """One item's deadline (``text``: the wording; ``structured``: its stored form, which may
    be a date the author set by hand) taken over from a plan ``delta`` years earlier into
    ``target``, on ``today``."""
    override = structured if structured and structured.get("override") else None
    wording = _parsed(text)
    if wording is None and override is None:
        return Moved(text, structured)  # no deadline, or a wording that has none we can read
    new_text, years = text, 0
    if wording is not None and _YEAR.search(text) and {p.kind for p in _parts(wording)} <= _MOVABLE:
        years = _best_shift(text, delta, target)
        if years:
            new_text = _shifted(text, years)
            wording = _parsed(new_text)
    if override is not None:
        deadline = Deadline.from_json({**override, "text": new_text or override["text"]})
    else:
        deadline = wording
    flag = None
    if not _inside(deadline, target):
        flag = "outside"
    elif years and any(due < today for due in _one_off_dues(deadline, target)):
        flag = "passed"
    return Moved(new_text, deadline.as_json(), flag, text if years else None)
