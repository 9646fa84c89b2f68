"""Roadmap deadlines: the seeds' wording parsed into structured data, and due dates from it.

Forms (case-insensitive; «г.», «года», «гг.» and a trailing full stop are ignored):

* a date ............ «30.11.2023», «30 ноября 2023 г.», «до 30 ноября 2023»
* a month ........... «Ноябрь 2020 г.», «ноябрь» (the year from the roadmap's period)
* a range ........... «Ноябрь-декабрь 2020 г.», «Август–сентябрь», «сентябрь 2023 – май 2024»
* a school year ..... «2023–2024», «2023-2024 учебный год»; a year: «2022»; years: «2022 – 2024 гг.»
* recurring ......... «ежегодно», «ежегодно, не позднее 30 ноября», «ежегодно 20 декабря, 20 июня»,
                      «ежегодно, август», «ежегодно в мае», «февраль 2022, далее ежегодно»
* no due date ....... «постоянно», «в течение года», «по мере необходимости»,
                      «в соответствии с планом ИРО» (any «в соответствии с …»)

``parse_deadline`` returns a ``Deadline`` (kind + JSON-able data + the original wording,
which is what the UI shows) or raises ``DeadlineError`` with a Russian message. Due dates
are computed against the roadmap's period (``Period``), so "overdue" is a comparison.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
# nominative, genitive («до 30 ноября») and prepositional («ежегодно в мае»)
_MONTH_RE = (r"(январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?|сентябр[ьяе]"
             r"|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])")
_DASH = r"\s*[-‐‑‒–—]\s*"
_YEAR = r"(20\d{2})"


class DeadlineError(ValueError):
    """The wording is not a deadline Nastavnik understands, or is impossible; the message
    explains why, in Russian.

    A parser's error, not a ``core.errors.DomainError``: the services that take a wording
    from a user turn it into ``RoadmapError`` (``bad_deadline``, ``bad_period``) about the
    field, with this message as its ``detail``; the readers of stored wordings (reminders,
    ``period_of``) treat it as «no due date»."""


def _month(word: str) -> int:
    word = word.lower()
    for stem, number in sorted(MONTHS.items(), key=lambda item: -len(item[0])):
        if word.startswith(stem):
            return number
    raise DeadlineError(f"«{word}» — не название месяца")


def _checked_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DeadlineError(f"такой даты нет: {day:02d}.{month:02d}.{year}") from None


def _check_day(month: int, day: int) -> None:
    # 29 February exists in some years; any other impossible day is an error.
    if not 1 <= day <= (29 if month == 2 else calendar.monthrange(2023, month)[1]):
        raise DeadlineError(f"такого дня нет: {day} {_GENITIVE[month]}")


_GENITIVE = {1: "января", 2: "февраля", 3: "марта", 4: "апреля", 5: "мая", 6: "июня", 7: "июля",
             8: "августа", 9: "сентября", 10: "октября", 11: "ноября", 12: "декабря"}


@dataclass(frozen=True)
class Period:
    """The span a roadmap covers; months without a year fall inside it.

    ``since`` is the day the plan came into force (its first approval), if it has: an
    occurrence of a recurring deadline («ежегодно, август») before it was never due — a
    school approving its plan in September has not missed the August of a plan that did not
    exist yet. One-off deadlines are not cut: the author is warned about those in the draft."""

    start: date
    end: date
    since: date | None = None

    @classmethod
    def school_year(cls, first_year: int) -> Period:
        # From the August before (preparation: «Август» in the seeds) to the August after.
        return cls(date(first_year, 8, 1), date(first_year + 1, 8, 31))

    def year_of_month(self, month: int) -> int:
        """The year in which ``month`` falls within this period (its first occurrence)."""
        for year in range(self.start.year, self.end.year + 1):
            if self.start <= _month_end(year, month) and date(year, month, 1) <= self.end:
                return year
        return self.start.year


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Deadline:
    kind: str  # date|month|range|school_year|year|years|recurring|permanent|as_needed|per_plan|several
    text: str
    data: dict = field(default_factory=dict)

    @property
    def has_due_date(self) -> bool:
        if self.kind == "several":
            return any(Deadline.from_json(part).has_due_date for part in self.data["parts"])
        return self.kind not in {"permanent", "as_needed", "per_plan"}

    def as_json(self) -> dict:
        return {"kind": self.kind, "text": self.text, **self.data}

    @classmethod
    def from_json(cls, value: dict) -> Deadline:
        data = {k: v for k, v in value.items() if k not in {"kind", "text"}}
        return cls(kind=value["kind"], text=value["text"], data=data)

    def due_dates(self, period: Period) -> list[date]:
        """Every date by which this is due within ``period`` (empty: no due date)."""
        d = self.data
        if self.kind == "date":
            return [date.fromisoformat(d["date"])]
        if self.kind == "month":
            year = d.get("year") or period.year_of_month(d["month"])
            return [_month_end(year, d["month"])]
        if self.kind == "range":
            start_year = d.get("start_year") or period.year_of_month(d["start_month"])
            end_year = d.get("end_year") or (
                start_year if d["end_month"] >= d["start_month"] else start_year + 1  # «ноябрь – февраль»
            )
            if d.get("end_day"):
                return [_checked_date(end_year, d["end_month"], d["end_day"])]
            return [_month_end(end_year, d["end_month"])]
        if self.kind == "school_year":
            return [date(d["start_year"] + 1, 8, 31)]
        if self.kind == "year":
            return [date(d["year"], 12, 31)]
        if self.kind == "years":
            return [date(d["end_year"], 12, 31)]
        if self.kind == "recurring":
            return self._recurring_dates(period)
        if self.kind == "several":
            return sorted({due for part in d["parts"] for due in Deadline.from_json(part).due_dates(period)})
        return []

    def _recurring_dates(self, period: Period) -> list[date]:
        d = self.data
        first = date(d["from_year"], d.get("from_month") or 1, 1) if d.get("from_year") else period.start
        out = []
        for year in range(period.start.year, period.end.year + 1):
            candidates = []
            for item in d.get("dates", []):
                day = min(item["day"], calendar.monthrange(year, item["month"])[1])
                candidates.append(date(year, item["month"], day))
            for month in d.get("months", []):
                candidates.append(_month_end(year, month))
            if not candidates and not d.get("dates") and not d.get("months"):
                candidates.append(date(year, 12, 31))  # «ежегодно»: by the end of each year
            out.extend(c for c in candidates if period.start <= c <= period.end and c >= first
                       and (period.since is None or c >= period.since))
        return sorted(out)

    def next_due(self, period: Period, today: date) -> date | None:
        return next((due for due in self.due_dates(period) if due >= today), None)

    def overdue_since(self, period: Period, today: date) -> date | None:
        """The latest due date already passed, if any (for an activity not yet done)."""
        passed = [due for due in self.due_dates(period) if due < today]
        return passed[-1] if passed else None


def _clean(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\s+", " ", text).strip().lower()
    text = re.sub(r"(?<=\d)\s*(г\.|гг\.|года|год|г)(?=\s|$|,|\.)", "", text)
    return text.strip(" .;")


_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("permanent", re.compile(r"^(постоянно|в течение( всего)?( учебного| календарного)? (года|периода)|весь период)$")),
    ("as_needed", re.compile(r"^по мере (необходимости|потребности)$")),
    ("per_plan", re.compile(r"^(в соответствии с|согласно) .+$")),
    ("date_numeric", re.compile(rf"^(?:до |не позднее )?(\d{{1,2}})\.(\d{{1,2}})\.{_YEAR}$")),
    ("date_words", re.compile(rf"^(?:до |не позднее )?(\d{{1,2}}) {_MONTH_RE} {_YEAR}$")),
    ("school_year", re.compile(rf"^{_YEAR}{_DASH}{_YEAR}( учебн\w+(?: год)?| годы| гг\.?)?$")),
    ("year", re.compile(rf"^{_YEAR}$")),
    ("month", re.compile(rf"^(?:в )?{_MONTH_RE}(?: {_YEAR})?$")),
    ("range", re.compile(rf"^{_MONTH_RE}(?: {_YEAR})?{_DASH}{_MONTH_RE}(?: {_YEAR})?$")),
    ("then_yearly", re.compile(rf"^{_MONTH_RE} {_YEAR},? далее ежегодно$")),
    ("yearly", re.compile(r"^ежегодно(?:[,:]?\s*(.*))?$")),
]


def _yearly(rest: str, text: str) -> Deadline:
    rest = (rest or "").strip()
    if not rest:
        return Deadline("recurring", text, {})
    not_later = bool(re.match(r"^(не позднее|до)\s", rest))
    rest = re.sub(r"^(не позднее|до)\s+", "", rest)
    dates, months = [], []
    for part in re.split(r"\s*(?:,|;| и )\s*", rest):
        if not part:
            continue
        match = re.fullmatch(rf"(\d{{1,2}}) {_MONTH_RE}", part)
        if match:
            day, month = int(match.group(1)), _month(match.group(2))
            _check_day(month, day)
            dates.append({"month": month, "day": day})
            continue
        match = re.fullmatch(rf"(?:в )?{_MONTH_RE}", part)
        if match:
            months.append(_month(match.group(1)))
            continue
        raise DeadlineError(f"не удалось разобрать «{part}» в «{text}»")
    return Deadline("recurring", text, {"dates": dates, "months": months, "not_later": not_later})


# Where one cell holds several deadlines: «январь 2022, далее ежегодно февраль 2022, далее ежегодно».
_SEVERAL = re.compile(
    rf"(?<=ежегодно)\s+(?=(?:{_MONTH_RE[1:-1]})\s+20\d\d)|\s*\n\s*|\s*<p>\s*", re.IGNORECASE
)


def parse_deadline(text: str) -> Deadline:
    """Parse a deadline as the seeds write it; DeadlineError with a Russian message if not."""
    original = (text or "").strip()
    if not original:
        raise DeadlineError("срок не указан")
    parts = [p for p in (re.sub(r"<[^>]+>", " ", x).strip() for x in _SEVERAL.split(original)) if p]
    if len(parts) > 1:
        several = [_parse_one(part) for part in parts]
        return Deadline("several", original, {"parts": [d.as_json() for d in several]})
    return _parse_one(original)


def _parse_one(original: str) -> Deadline:
    cleaned = _clean(original)
    for kind, pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        g = match.groups()
        if kind in {"permanent", "as_needed"}:
            return Deadline(kind, original)
        if kind == "per_plan":
            return Deadline("per_plan", original, {"plan": cleaned})
        if kind == "date_numeric":
            return Deadline("date", original, {"date": _checked_date(int(g[2]), int(g[1]), int(g[0])).isoformat()})
        if kind == "date_words":
            return Deadline("date", original, {"date": _checked_date(int(g[2]), _month(g[1]), int(g[0])).isoformat()})
        if kind == "school_year":
            first, second, suffix = int(g[0]), int(g[1]), (g[2] or "").strip()
            if second <= first:
                raise DeadlineError(f"срок «{original}» заканчивается раньше, чем начинается")
            if suffix.startswith("учебн") and second != first + 1:
                raise DeadlineError(f"учебный год «{original}»: второй год должен следовать за первым")
            if second == first + 1 and not suffix.startswith("год") and not suffix.startswith("гг"):
                return Deadline("school_year", original, {"start_year": first})
            return Deadline("years", original, {"start_year": first, "end_year": second})
        if kind == "year":
            return Deadline("year", original, {"year": int(g[0])})
        if kind == "month":
            return Deadline("month", original, {"month": _month(g[0]), "year": int(g[1]) if g[1] else None})
        if kind == "range":
            return _range(original, _month(g[0]), g[1], _month(g[2]), g[3])
        if kind == "then_yearly":
            month, year = _month(g[0]), int(g[1])
            return Deadline("recurring", original, {"dates": [], "months": [month], "from_year": year,
                                                    "from_month": month, "not_later": False})
        if kind == "yearly":
            return _yearly(g[0], original)
    raise DeadlineError(
        f"не удалось разобрать срок «{original}». Примеры: «30.11.2023», «ноябрь 2023», «август – сентябрь», "
        "«2023–2024», «ежегодно, не позднее 30 ноября», «постоянно», «по мере необходимости»"
    )


def _range(original: str, start_month: int, start_year, end_month: int, end_year) -> Deadline:
    start_year = int(start_year) if start_year else None
    end_year = int(end_year) if end_year else None
    if start_year and not end_year:
        end_year = start_year if end_month >= start_month else start_year + 1  # «ноябрь 2023 – февраль»
    if end_year and not start_year:
        start_year = end_year if start_month <= end_month else end_year - 1
    if start_year and (end_year, end_month) < (start_year, start_month):
        raise DeadlineError(f"срок «{original}» заканчивается раньше, чем начинается")
    if start_year is None and start_month == end_month:
        raise DeadlineError(f"срок «{original}»: начало и конец совпадают")
    return Deadline("range", original, {"start_month": start_month, "start_year": start_year,
                                        "end_month": end_month, "end_year": end_year})
