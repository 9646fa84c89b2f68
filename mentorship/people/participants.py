"""A school's people (участники): listing and searching them, creating one together with a
consent, changing one, and the pairs a person is in.

Validation is participant_rules.check_participant (shared with the bulk import) plus, for a
new person, consents.check_consent: nothing is written unless both pass. Creating, changing
and opening a person's card are audited here.
"""
from __future__ import annotations

from dataclasses import fields as dataclass_fields
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, raiseload, selectinload

from core.errors import DomainError
from core.extensions import db
from core.search import contains
from mentorship.people import rules as participant_rules
from mentorship.people.consents import ConsentData, ConsentError, build_consent, check_consent
from mentorship.people.models import Enterprise, Participant
from mentorship.people.rules import ParticipantData, check_participant
from mentorship.people.signals import mentor_changed
from mentorship.region.forms import CATEGORIES
from tenants import audit
from tenants.models import Organization

BANK_FILTERS = ("mentor", "mentee", "none")
# Fields of ParticipantData stored on Participant as they are.
_FIELDS = tuple(f.name for f in dataclass_fields(ParticipantData) if f.name != "extra")


class ParticipantError(DomainError):
    """The record cannot be saved; each problem names its field of ``ParticipantData`` or,
    for a new person's consent, "consent_" and the field of ``ConsentData``."""

    MESSAGES = {
        **ConsentError.MESSAGES,  # the consent given with a new person (its "anonymised" never applies)
        **participant_rules.MESSAGES,
        "anonymised": _l("The person's data was erased after the consent was withdrawn: "
                         "the record cannot be changed."),
        "enterprise_unknown": _l("Choose one of the school's partner enterprises."),
    }


def participants_query(org_id: int, search: str = "", category: str = "", bank: str = "") -> sa.Select:
    """The school's participants for the list page, by name; consents and enterprise loaded
    up front (nothing else may load lazily: the page's query count stays constant)."""
    stmt = (
        sa.select(Participant)
        .where(Participant.org_id == org_id)
        .options(selectinload(Participant.consents), joinedload(Participant.enterprise), raiseload("*"))
        .order_by(Participant.anonymised_at.is_not(None), Participant.full_name, Participant.id)
    )
    if search:
        stmt = stmt.where(contains(Participant.full_name, search))
    if category in CATEGORIES:
        stmt = stmt.where(Participant.category == category)
    if bank == "mentor":
        stmt = stmt.where(Participant.in_mentor_bank.is_(True))
    elif bank == "mentee":
        stmt = stmt.where(Participant.in_mentee_bank.is_(True))
    elif bank == "none":
        stmt = stmt.where(Participant.in_mentor_bank.is_(False), Participant.in_mentee_bank.is_(False))
    return stmt


def school_enterprises(org_id: int) -> list[Enterprise]:
    return list(db.session.scalars(
        sa.select(Enterprise).where(Enterprise.org_id == org_id).order_by(Enterprise.name, Enterprise.id)
    ))


def _problems(data: ParticipantData, org_id: int, today: date) -> list[tuple[str, str]]:
    problems = check_participant(data, today)
    if data.enterprise_id is not None:
        # Only the school's own partner enterprises (the id could be posted by hand).
        enterprise = db.session.get(Enterprise, data.enterprise_id)
        if enterprise is None or enterprise.org_id != org_id:
            problems.append(("enterprise_id", "enterprise_unknown"))
    return problems


def _apply(person: Participant, data: ParticipantData) -> list[str]:
    """Copy ``data`` onto ``person``; the names of the fields that changed."""
    changed = []
    for name in _FIELDS:
        value = getattr(data, name)
        if isinstance(value, str):
            value = value.strip() or None
        if name == "full_name":
            value = value or ""
        if name == "special_needs":
            value = bool(value)
        if getattr(person, name) != value:
            changed.append(name)
            setattr(person, name, value)
    # The birth year follows the birth date (it alone survives anonymisation).
    person.birth_year = person.birth_date.year if person.birth_date else None
    return changed


def check_new_participant(org, data: ParticipantData, consent: ConsentData, today: date) -> None:
    """Raise ParticipantError naming every problem of a new participant and their consent
    (the consent's fields as "consent_…")."""
    problems = _problems(data, org.id, today)
    problems += [(f"consent_{field}", code) for field, code in check_consent(consent, data.birth_date, today)]
    if problems:
        raise ParticipantError(problems)


def create_participant(org, data: ParticipantData, consent: ConsentData, today: date, user=None) -> Participant:
    """A new participant of school ``org`` with their consent, both checked first."""
    check_new_participant(org, data, consent, today)
    person = Participant(org_id=org.id, full_name="", category=data.category)
    _apply(person, data)
    db.session.add(person)
    db.session.flush()
    record = build_consent(person, consent, user)
    db.session.flush()
    audit.record("participant.created", org=org, obj=person, user=user, details={"consent_id": record.id})
    return person


def refuse_if_erased(person: Participant) -> None:
    """Raise ParticipantError when ``person``'s data were erased: the record cannot change."""
    if person.anonymised_at is not None:
        raise ParticipantError("anonymised")


def open_card(person: Participant, user=None, org=None) -> Participant:
    """``person``'s card is opened: whoever sees their personal data is audited
    ("participant.viewed")."""
    audit.record("participant.viewed", org=org if org is not None else db.session.get(Organization, person.org_id),
                 obj=person, user=user)
    return person


def update_participant(person: Participant, data: ParticipantData, today: date, user=None, org=None) -> list[str]:
    """Change ``person``; the names of the changed fields (audited, never their values)."""
    refuse_if_erased(person)
    problems = _problems(data, person.org_id, today)
    if problems:
        raise ParticipantError(problems)
    changed = _apply(person, data)
    if changed:
        audit.record("participant.updated", org=org, obj=person, user=user, details={"fields": changed})
    db.session.flush()
    if changed and person.in_mentor_bank:
        mentor_changed.send(person, org=org)  # the name or position in the municipal registry
    return changed


def data_of(person: Participant) -> ParticipantData:
    """The record's fields, e.g. to fill the edit form."""
    return ParticipantData(**{name: getattr(person, name) for name in _FIELDS})


