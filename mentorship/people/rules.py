"""What makes a participant's record valid, shared by the form and the bulk import, and the
facts derived from it (age, minority, young-specialist status) at a given day."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from mentorship.region.forms import CATEGORIES, EMPLOYER, PUPIL, STUDENT, TEACHER

ADULT_AGE = 18
YOUNG_SPECIALIST_YEARS = 3


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_minor(birth_date: date | None, day: date) -> bool:
    return birth_date is not None and age_on(birth_date, day) < ADULT_AGE


def is_young_specialist(category: str, teaching_since: date | None, day: date) -> bool:
    """A teacher with 0–3 full years of teaching experience on ``day``."""
    return (category == TEACHER and teaching_since is not None and teaching_since <= day
            and age_on(teaching_since, day) < YOUNG_SPECIALIST_YEARS + 1)


@dataclass
class ParticipantData:
    """A participant's fields as entered (form) or read (import), before they are saved."""

    full_name: str
    category: str
    birth_date: date | None = None
    class_or_position: str | None = None
    teaching_since: date | None = None
    special_needs: bool = False
    email: str | None = None
    phone: str | None = None
    representative_name: str | None = None
    representative_email: str | None = None
    representative_phone: str | None = None
    enterprise_id: int | None = None
    extra: dict = field(default_factory=dict)


MESSAGES = {
    "name_required": _l("Enter the full name."),
    "name_too_long": _l("The name is longer than 300 characters."),
    "bad_category": _l("Unknown category."),
    "birth_date_required": _l("Pupils and students need a birth date."),
    "birth_date_future": _l("The birth date is in the future."),
    "birth_date_too_old": _l("The birth date is more than 100 years ago."),
    "representative_required": _l("A minor needs a legal representative with a phone or an e-mail."),
    "teaching_since_future": _l("Teaching experience cannot start in the future."),
    "teaching_since_teachers": _l("Teaching experience is recorded for teachers only."),
    "enterprise_required": _l("An employer's representative needs a partner enterprise."),
    "enterprise_employers": _l("Only employers' representatives are linked to an enterprise."),
}


def check_participant(data: ParticipantData, today: date) -> list[tuple[str, str]]:
    """Every problem of ``data`` as (field, message code); empty when it can be saved."""
    problems: list[tuple[str, str]] = []
    name = (data.full_name or "").strip()
    if not name:
        problems.append(("full_name", "name_required"))
    elif len(name) > 300:
        problems.append(("full_name", "name_too_long"))
    if data.category not in CATEGORIES:
        problems.append(("category", "bad_category"))
    if data.birth_date is None:
        if data.category in (PUPIL, STUDENT):
            problems.append(("birth_date", "birth_date_required"))
    elif data.birth_date > today:
        problems.append(("birth_date", "birth_date_future"))
    elif today.year - data.birth_date.year > 100:
        problems.append(("birth_date", "birth_date_too_old"))
    if is_minor(data.birth_date, today) and data.birth_date <= today and not (
        (data.representative_name or "").strip()
        and ((data.representative_phone or "").strip() or (data.representative_email or "").strip())
    ):
        problems.append(("representative_name", "representative_required"))
    if data.teaching_since is not None:
        if data.category != TEACHER:
            problems.append(("teaching_since", "teaching_since_teachers"))
        elif data.teaching_since > today:
            problems.append(("teaching_since", "teaching_since_future"))
    if data.category == EMPLOYER and data.enterprise_id is None:
        problems.append(("enterprise_id", "enterprise_required"))
    if data.category != EMPLOYER and data.enterprise_id is not None:
        problems.append(("enterprise_id", "enterprise_employers"))
    return problems
