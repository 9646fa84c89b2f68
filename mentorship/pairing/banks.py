"""The school's two banks: the mentor bank (банк наставников) with its questionnaire (анкета),
and the mentee bank (банк наставляемых) with requests (запросы) and follow-up.

A person enters a bank only with a valid consent to personal-data processing and while their
data is not erased; a mentor's capacity is never set below the mentees they already have;
nobody leaves a bank while in an active pair. Every change is audited.

The list queries here (``mentor_bank_query``, ``mentee_bank_query``) load a page in a constant
number of statements: the profile by join, open requests by one select-in, and the load or
active pairs of the page's people by one query each (``mentor_loads``, ``paired_ids``).
``iter_mentor_bank``/``iter_mentee_bank`` feed the XLSX export in batches.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, raiseload, selectinload

from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from core.search import contains
from mentorship.pairing import rules as pair_rules
from mentorship.pairing.models import Mentorship, MentorshipMentee
from mentorship.people.models import (
    FOLLOW_UPS,
    INTERVIEW_RESULTS,
    REQUEST_KINDS,
    REQUEST_SOURCES,
    TRAINING_STATUSES,
    MenteeProfile,
    MenteeRequest,
    MentorProfile,
    Participant,
)
from mentorship.people.signals import mentor_changed
from mentorship.region.forms import region_forms
from tenants import audit

MIN_CAPACITY, MAX_CAPACITY = 1, 30
EXPORT_BATCH = 500

REQUEST_KIND_LABELS = {
    "academic": _l("Academic results"),
    "adaptation": _l("Adaptation"),
    "career": _l("Career guidance"),
    "methodology": _l("Methodological help"),
    "special_needs": _l("Support of pupils with special needs"),
    "projects": _l("Project work"),
    "leadership": _l("Leadership"),
    "other": _l("Other"),
}
# A mentor's competencies are the request kinds they can meet.
COMPETENCY_LABELS = REQUEST_KIND_LABELS
REQUEST_SOURCE_LABELS = {
    "self": _l("The mentee themself"),
    "class_teacher": _l("Class teacher"),
    "psychologist": _l("Psychologist"),
    "social_pedagogue": _l("Social pedagogue"),
    "parents": _l("Parents"),
    "certification": _l("Certification recommendations"),
}
FOLLOW_UP_LABELS = {
    "none": _l("No follow-up"),
    "psych_support": _l("Psychological support"),
    "continued_search": _l("Continued search"),
}
INTERVIEW_LABELS = {
    "pending": _l("Interview pending"),
    "passed": _l("Interview passed"),
    "failed": _l("Interview not passed"),
}
TRAINING_LABELS = {
    "none": _l("Not trained"),
    "in_progress": _l("In the school of mentors"),
    "completed": _l("Completed the school of mentors"),
}
assert set(REQUEST_KIND_LABELS) == set(REQUEST_KINDS) and set(REQUEST_SOURCE_LABELS) == set(REQUEST_SOURCES)
assert set(FOLLOW_UP_LABELS) == set(FOLLOW_UPS) and set(INTERVIEW_LABELS) == set(INTERVIEW_RESULTS)
assert set(TRAINING_LABELS) == set(TRAINING_STATUSES)


class BankError(DomainError):
    """A bank change refused by a rule."""

    MESSAGES = {
        "no_consent": pair_rules.MESSAGES["no_consent"],
        "anonymised": pair_rules.MESSAGES["anonymised"],
        "mentor_category": _l("No form of mentorship of the region has mentors of this category."),
        "mentee_category": _l("No form of mentorship of the region has mentees of this category."),
        "capacity_range": _l("The capacity must be from 1 to 30 mentees."),
        "capacity_below_load": _l("The capacity cannot be less than the mentees the mentor already has (%(load)d)."),
        "bad_choice": _l("An unknown value was chosen."),
        "bad_hours": _l("Hours per month must be from 0 to 200."),
        "mentor_has_pairs": _l("The mentor has active pairs or groups: complete or end them first."),
        "mentee_has_pair": _l("The mentee is in an active pair or group: complete or end it first."),
        "not_in_mentor_bank": pair_rules.MESSAGES["not_in_mentor_bank"],
        "not_in_mentee_bank": pair_rules.MESSAGES["not_in_mentee_bank"],
        "request_closed": _l("The request is already closed."),
    }


# ---------------------------------------------------------------------------- entering a bank


@dataclass
class MentorData:
    """The questionnaire (анкета наставника) as entered."""

    competencies: list[str] = field(default_factory=list)
    subjects: str | None = None
    interests: str | None = None
    preferred_forms: list[str] = field(default_factory=list)
    capacity: int = 1
    hours_per_month: int | None = None
    interview_result: str = "pending"
    training_status: str = "none"
    approved: bool = False
    publish_consent: bool = False


@dataclass
class MenteeData:
    interests: str | None = None
    follow_up: str = "none"
    follow_up_note: str | None = None
    # an optional first request, added with the profile
    request_kind: str | None = None
    request_source: str | None = None
    request_note: str | None = None


def entry_refusal(participant: Participant, on: date | None = None) -> BankError | None:
    """Why ``participant`` may not be in a bank now (data erased, no valid consent), or None."""
    if participant.anonymised_at is not None:
        return BankError("anonymised")
    if participant.id not in pair_rules.consented_ids([participant.id], on or region_today()):
        return BankError("no_consent")
    return None


def _require_entry(participant: Participant, on: date | None) -> None:
    refusal = entry_refusal(participant, on)
    if refusal is not None:
        raise refusal


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def active_mentee_ids(participant_ids) -> set[int]:
    """Those of ``participant_ids`` who are mentees of an active pair or group."""
    ids = list(participant_ids)
    if not ids:
        return set()
    return set(db.session.scalars(
        sa.select(MentorshipMentee.participant_id)
        .join(Mentorship, Mentorship.id == MentorshipMentee.mentorship_id)
        .where(MentorshipMentee.participant_id.in_(ids), Mentorship.status == "active")
    ))


def save_mentor_profile(participant: Participant, data: MentorData, *, org, on: date | None = None) -> MentorProfile:
    """Create or update the questionnaire and put ``participant`` in the mentor bank."""
    _require_entry(participant, on)
    forms = region_forms(org.path)
    if participant.category not in {f.mentor_category for f in forms}:
        raise BankError("mentor_category")
    unknown = {
        "competencies": set(data.competencies) - set(REQUEST_KINDS),
        "preferred_forms": set(data.preferred_forms) - {f.code for f in forms},
        "interview_result": data.interview_result not in INTERVIEW_RESULTS,
        "training_status": data.training_status not in TRAINING_STATUSES,
    }
    for name, bad in unknown.items():
        if bad:
            raise BankError("bad_choice", field=name)
    if data.capacity is None or not MIN_CAPACITY <= data.capacity <= MAX_CAPACITY:
        raise BankError("capacity_range", field="capacity")
    if data.hours_per_month is not None and not 0 <= data.hours_per_month <= 200:
        raise BankError("bad_hours", field="hours_per_month")
    load = pair_rules.active_load([participant.id]).get(participant.id, 0)
    if data.capacity < load:
        raise BankError("capacity_below_load", field="capacity", load=load)

    profile = participant.mentor_profile
    created = profile is None
    if created:
        profile = MentorProfile(org_id=participant.org_id, participant_id=participant.id)
        participant.mentor_profile = profile
    profile.competencies = [k for k in REQUEST_KINDS if k in set(data.competencies)]
    profile.subjects = _clean(data.subjects)
    profile.interests = _clean(data.interests)
    profile.preferred_forms = [f.code for f in forms if f.code in set(data.preferred_forms)]
    profile.capacity = data.capacity
    profile.hours_per_month = data.hours_per_month
    profile.interview_result = data.interview_result
    profile.training_status = data.training_status
    profile.approved = bool(data.approved)
    profile.publish_consent = bool(data.publish_consent)
    added = not participant.in_mentor_bank
    participant.in_mentor_bank = True
    db.session.flush()
    audit.record("bank.mentor_added" if added else "bank.mentor_updated", org=org, obj=participant,
                 details={"capacity": profile.capacity, "approved": profile.approved})
    mentor_changed.send(participant, org=org)  # the municipal registry's entry follows
    return profile


def remove_mentor(participant: Participant, *, org) -> None:
    """Take ``participant`` out of the mentor bank (refused while they mentor an active pair).
    The questionnaire is kept for a later return; the approval is withdrawn."""
    if not participant.in_mentor_bank:
        raise BankError("not_in_mentor_bank")
    if db.session.scalar(sa.select(sa.func.count(Mentorship.id)).where(
            Mentorship.mentor_id == participant.id, Mentorship.status == "active")):
        raise BankError("mentor_has_pairs")
    participant.in_mentor_bank = False
    if participant.mentor_profile is not None:
        participant.mentor_profile.approved = False
    audit.record("bank.mentor_removed", org=org, obj=participant)
    db.session.flush()
    mentor_changed.send(participant, org=org)


def save_mentee_profile(participant: Participant, data: MenteeData, *, org, on: date | None = None) -> MenteeProfile:
    """Create or update the mentee's profile (and follow-up), put them in the mentee bank,
    and add the first request if one is given."""
    _require_entry(participant, on)
    forms = region_forms(org.path)
    if participant.category not in {f.mentee_category for f in forms}:
        raise BankError("mentee_category")
    if data.follow_up not in FOLLOW_UPS:
        raise BankError("bad_choice", field="follow_up")
    if data.request_kind and data.request_kind not in REQUEST_KINDS:
        raise BankError("bad_choice", field="request_kind")
    if data.request_kind and data.request_source not in REQUEST_SOURCES:
        raise BankError("bad_choice", field="request_source")
    profile = participant.mentee_profile
    if profile is None:
        profile = MenteeProfile(org_id=participant.org_id, participant_id=participant.id)
        participant.mentee_profile = profile
    profile.interests = _clean(data.interests)
    profile.follow_up = data.follow_up
    profile.follow_up_note = _clean(data.follow_up_note)
    added = not participant.in_mentee_bank
    participant.in_mentee_bank = True
    db.session.flush()
    audit.record("bank.mentee_added" if added else "bank.mentee_updated", org=org, obj=participant,
                 details={"follow_up": profile.follow_up})
    if data.request_kind:
        add_request(participant, data.request_kind, data.request_source, data.request_note, org=org, on=on)
    return profile


def set_follow_up(participant: Participant, follow_up: str, note: str | None, *, org) -> None:
    """Record how a mentee left without a partner is followed up (psychological support,
    continued search) — matching and the curator both use this."""
    if not participant.in_mentee_bank or participant.mentee_profile is None:
        raise BankError("not_in_mentee_bank")
    if follow_up not in FOLLOW_UPS:
        raise BankError("bad_choice", field="follow_up")
    participant.mentee_profile.follow_up = follow_up
    participant.mentee_profile.follow_up_note = _clean(note)
    audit.record("bank.follow_up_changed", org=org, obj=participant, details={"follow_up": follow_up})
    db.session.flush()


def remove_mentee(participant: Participant, *, org) -> None:
    """Take ``participant`` out of the mentee bank (refused while in an active pair); their
    open requests are closed, the profile is kept for a later return."""
    if not participant.in_mentee_bank:
        raise BankError("not_in_mentee_bank")
    if active_mentee_ids([participant.id]):
        raise BankError("mentee_has_pair")
    participant.in_mentee_bank = False
    for request in participant.requests:
        request.closed = True
    audit.record("bank.mentee_removed", org=org, obj=participant)
    db.session.flush()


def add_request(participant: Participant, kind: str, source: str, note: str | None, *, org,
                on: date | None = None) -> MenteeRequest:
    """A new request (запрос) of a mentee of the bank, with where it came from."""
    _require_entry(participant, on)
    if not participant.in_mentee_bank:
        raise BankError("not_in_mentee_bank")
    if kind not in REQUEST_KINDS:
        raise BankError("bad_choice", field="kind")
    if source not in REQUEST_SOURCES:
        raise BankError("bad_choice", field="source")
    request = MenteeRequest(org_id=participant.org_id, participant_id=participant.id, kind=kind, source=source,
                            note=_clean(note))
    db.session.add(request)
    db.session.flush()
    audit.record("bank.request_added", org=org, obj=participant, details={"request_id": request.id, "kind": kind})
    return request


def close_request(request: MenteeRequest, *, org) -> None:
    if request.closed:
        raise BankError("request_closed")
    request.closed = True
    audit.record("bank.request_closed", org=org, obj=request, details={"participant_id": request.participant_id})
    db.session.flush()


# ---------------------------------------------------------------------------- bank queries


@dataclass(frozen=True)
class MentorFilters:
    q: str = ""
    category: str = ""
    competency: str = ""
    approved: str = ""  # "", "yes", "no"
    training: str = ""
    free: bool = False  # only mentors with a free place

    def as_args(self) -> dict:
        """The filters as query-string arguments (for links: pages, export)."""
        return {k: v for k, v in (("q", self.q), ("category", self.category), ("competency", self.competency),
                                  ("approved", self.approved), ("training", self.training),
                                  ("free", "y" if self.free else "")) if v}


@dataclass(frozen=True)
class MenteeFilters:
    q: str = ""
    category: str = ""
    kind: str = ""
    source: str = ""
    pair: str = ""  # "", "with", "without"
    follow_up: str = ""

    def as_args(self) -> dict:
        return {k: v for k, v in (("q", self.q), ("category", self.category), ("kind", self.kind),
                                  ("source", self.source), ("pair", self.pair), ("follow_up", self.follow_up)) if v}


def _json_has(column, code: str):
    """A JSON list column holds ``code`` (codes are plain identifiers, checked by the caller)."""
    return sa.cast(column, sa.String).like(f'%"{code}"%')


def _load_subquery():
    return (
        sa.select(Mentorship.mentor_id.label("mentor_id"), sa.func.count(MentorshipMentee.id).label("load"))
        .join(MentorshipMentee, MentorshipMentee.mentorship_id == Mentorship.id)
        .where(Mentorship.status == "active")
        .group_by(Mentorship.mentor_id)
        .subquery()
    )


def _active_mentees_subquery():
    return (
        sa.select(MentorshipMentee.participant_id)
        .join(Mentorship, Mentorship.id == MentorshipMentee.mentorship_id)
        .where(Mentorship.status == "active")
    )


_MENTOR_LOAD = (contains_eager(Participant.mentor_profile), raiseload("*"))
_MENTEE_LOAD = (
    contains_eager(Participant.mentee_profile),
    selectinload(Participant.requests.and_(MenteeRequest.closed.is_(False))).raiseload("*"),
    raiseload("*"),
)


def mentor_bank_query(f: MentorFilters) -> sa.Select:
    """Mentors of the bank (not erased) with their questionnaire, by name."""
    return _mentor_bank(f).options(*_MENTOR_LOAD)


def _mentor_bank(f: MentorFilters, entity=Participant) -> sa.Select:
    stmt = (
        sa.select(entity)
        .join(Participant.mentor_profile)
        .where(Participant.in_mentor_bank.is_(True), Participant.anonymised_at.is_(None))
    )
    if f.q:
        stmt = stmt.where(sa.or_(contains(Participant.full_name, f.q), contains(MentorProfile.subjects, f.q)))
    if f.category:
        stmt = stmt.where(Participant.category == f.category)
    if f.competency in REQUEST_KINDS:
        stmt = stmt.where(_json_has(MentorProfile.competencies, f.competency))
    if f.approved in ("yes", "no"):
        stmt = stmt.where(MentorProfile.approved.is_(f.approved == "yes"))
    if f.training:
        stmt = stmt.where(MentorProfile.training_status == f.training)
    if f.free:
        load = _load_subquery()
        stmt = stmt.outerjoin(load, load.c.mentor_id == Participant.id).where(
            MentorProfile.capacity > sa.func.coalesce(load.c.load, 0))
    return stmt.order_by(Participant.full_name, Participant.id)


def mentor_loads(participants) -> dict[int, int]:
    """Active mentees of each of ``participants`` (one query)."""
    return pair_rules.active_load(p.id for p in participants)


def mentee_bank_query(f: MenteeFilters) -> sa.Select:
    """Mentees of the bank (not erased) with their profile and open requests, by name."""
    return _mentee_bank(f).options(*_MENTEE_LOAD)


def _mentee_bank(f: MenteeFilters, entity=Participant) -> sa.Select:
    stmt = (
        sa.select(entity)
        .outerjoin(Participant.mentee_profile)
        .where(Participant.in_mentee_bank.is_(True), Participant.anonymised_at.is_(None))
    )
    if f.q:
        stmt = stmt.where(sa.or_(contains(Participant.full_name, f.q),
                                 contains(Participant.class_or_position, f.q)))
    if f.category:
        stmt = stmt.where(Participant.category == f.category)
    if f.kind or f.source:
        requests = sa.select(MenteeRequest.participant_id).where(MenteeRequest.closed.is_(False))
        if f.kind:
            requests = requests.where(MenteeRequest.kind == f.kind)
        if f.source:
            requests = requests.where(MenteeRequest.source == f.source)
        stmt = stmt.where(Participant.id.in_(requests))
    if f.pair == "with":
        stmt = stmt.where(Participant.id.in_(_active_mentees_subquery()))
    elif f.pair == "without":
        stmt = stmt.where(Participant.id.not_in(_active_mentees_subquery()))
    if f.follow_up:
        stmt = stmt.where(sa.func.coalesce(MenteeProfile.follow_up, "none") == f.follow_up)
    return stmt.order_by(Participant.full_name, Participant.id)


def paired_ids(participants) -> set[int]:
    """Those of ``participants`` in an active pair or group (one query)."""
    return active_mentee_ids(p.id for p in participants)


def unmatched_reasons(participants) -> dict[int, str]:
    """Why each of ``participants`` was left without a mentor by the latest published
    matching run that considered them (one query; mentees matched since are left out)."""
    from mentorship.pairing.models import MatchingRun, MatchProposal

    ids = [p.id for p in participants]
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(MatchProposal.mentee_id, MatchProposal.mentor_id, MatchProposal.unmatched_reason)
        .join(MatchingRun, MatchingRun.id == MatchProposal.run_id)
        .where(MatchProposal.mentee_id.in_(ids), MatchingRun.status == "published")
        .order_by(MatchProposal.mentee_id, MatchingRun.id.desc())
    ).all()
    latest: dict[int, str | None] = {}
    for mentee_id, mentor_id, reason in rows:
        latest.setdefault(mentee_id, reason if mentor_id is None else None)
    return {k: v for k, v in latest.items() if v}


def _batches(query, options: tuple, batch: int) -> Iterator[list[Participant]]:
    """The rows of ``query(entity)`` in batches: its ids first (one light query), then each
    batch by id, let go of once written, so memory stays flat however large the bank."""
    ids = list(db.session.scalars(query(Participant.id)))
    stmt = query(Participant)
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        rows = db.session.scalars(stmt.where(Participant.id.in_(chunk)).options(*options)).unique().all()
        yield rows
        for row in rows:
            state = sa.inspect(row)
            related = [state.dict.get(name) for name in ("mentor_profile", "mentee_profile")]
            related += state.dict.get("requests") or []
            for obj in [row, *related]:
                if obj is not None and obj in db.session:
                    db.session.expunge(obj)


def iter_mentor_bank(f: MentorFilters, batch: int = EXPORT_BATCH) -> Iterator[tuple[Participant, int]]:
    """Every mentor of the filtered bank with their active load, in the list's order."""
    for rows in _batches(lambda entity: _mentor_bank(f, entity), _MENTOR_LOAD, batch):
        loads = mentor_loads(rows)
        for person in rows:
            yield person, loads.get(person.id, 0)


def iter_mentee_bank(f: MenteeFilters, batch: int = EXPORT_BATCH) -> Iterator[tuple[Participant, bool]]:
    """Every mentee of the filtered bank with whether they are in an active pair."""
    for rows in _batches(lambda entity: _mentee_bank(f, entity), _MENTEE_LOAD, batch):
        paired = paired_ids(rows)
        for person in rows:
            yield person, person.id in paired
