"""Read side of pairs and groups: the filtered list, the card with what it links to, the
people a curator can choose from, and the reasons a pair was matched.

Every statement here goes through the tenant scope (pairs are owner-only); list statements
eager-load what a row shows and ``raiseload`` the rest, so a page issues the same number of
queries whatever the number of pairs."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, raiseload, selectinload

from core.extensions import db
from core.search import contains
from mentorship.pairing import rules as pair_rules
from mentorship.pairing.models import (
    PAIR_STATUSES,
    Mentorship,
    MentorshipEvent,
    MentorshipMentee,
    Order,
    OrderItem,
    Programme,
)
from mentorship.people.models import Consent, MentorProfile, Participant
from mentorship.region.forms import region_forms


@dataclass(frozen=True)
class PairFilter:
    """The list's filters, as read from the query string (unknown values are dropped)."""

    programme_id: int | None = None
    form_code: str | None = None
    status: str | None = None
    search: str = ""

    @classmethod
    def parse(cls, args) -> PairFilter:
        programme_id = args.get("programme", type=int)
        status = args.get("status") or None
        return cls(
            programme_id=programme_id if programme_id and programme_id > 0 else None,
            form_code=(args.get("form") or "").strip()[:40] or None,
            status=status if status in PAIR_STATUSES else None,
            search=(args.get("q") or "").strip()[:100],
        )

    def as_args(self) -> dict:
        """Query-string arguments that reproduce the filter (for the pager's links)."""
        values = {"programme": self.programme_id, "form": self.form_code, "status": self.status, "q": self.search}
        return {k: v for k, v in values.items() if v}


def pairs_statement(flt: PairFilter) -> sa.Select:
    """Pairs and groups matching ``flt``, newest first, with mentor, mentees and programme;
    the voided ones only when the filter asks for them."""
    stmt = (
        sa.select(Mentorship)
        .options(
            joinedload(Mentorship.mentor).raiseload("*"),
            joinedload(Mentorship.programme).raiseload("*"),
            selectinload(Mentorship.members).joinedload(MentorshipMentee.participant).raiseload("*"),
            raiseload("*"),
        )
        .order_by(Mentorship.started_on.desc(), Mentorship.id.desc())
    )
    if flt.programme_id:
        stmt = stmt.where(Mentorship.programme_id == flt.programme_id)
    if flt.form_code:
        stmt = stmt.where(Mentorship.form_code == flt.form_code)
    if flt.status:
        stmt = stmt.where(Mentorship.status == flt.status)
    else:  # voided pairs (entered by mistake) are listed only when asked for
        stmt = stmt.where(Mentorship.counted())
    if flt.search:
        stmt = stmt.where(Mentorship.id.in_(pairs_matching(flt.search)))
    return stmt


def pairs_matching(search: str) -> sa.Select:
    """Ids of the pairs whose mentor or a mentee has ``search`` in their name (erased people
    match nothing)."""
    mentor, mentee = aliased(Participant), aliased(Participant)
    by_mentor = (sa.select(Mentorship.id).join(mentor, mentor.id == Mentorship.mentor_id)
                 .where(contains(mentor.full_name, search), mentor.anonymised_at.is_(None)))
    by_mentee = (sa.select(MentorshipMentee.mentorship_id).join(mentee, mentee.id == MentorshipMentee.participant_id)
                 .where(contains(mentee.full_name, search), mentee.anonymised_at.is_(None)))
    return sa.union(by_mentor, by_mentee)


def form_names(org_path: str) -> dict[str, str]:
    """Form code → name in the region's catalogue (retired forms included): one query."""
    return {form.code: form.name for form in region_forms(org_path, include_retired=True)}


def programmes() -> list[Programme]:
    """The school's programmes (the scope leaves only its own and nothing above)."""
    return list(db.session.scalars(
        sa.select(Programme).options(raiseload("*")).order_by(Programme.school_year.desc(), Programme.title)
    ))


def load_pair(mentorship_id: int) -> Mentorship | None:
    """A pair with what its card shows: members, mentor, programme, history with users."""
    return db.session.scalar(
        sa.select(Mentorship).where(Mentorship.id == mentorship_id).options(
            joinedload(Mentorship.mentor).selectinload(Participant.mentor_profile),
            joinedload(Mentorship.programme),
            selectinload(Mentorship.members).joinedload(MentorshipMentee.participant),
            selectinload(Mentorship.events).joinedload(MentorshipEvent.by_user),
        )
    )


def load_pair_people(mentorship_id: int) -> Mentorship | None:
    """A pair with its programme, mentor and mentees (the pair's plan, meetings, completion)."""
    return db.session.scalar(
        sa.select(Mentorship).where(Mentorship.id == mentorship_id).options(
            joinedload(Mentorship.programme), joinedload(Mentorship.mentor),
            selectinload(Mentorship.members).joinedload(MentorshipMentee.participant),
        )
    )


def orders_of(mentorship: Mentorship) -> list[Order]:
    return list(db.session.scalars(
        sa.select(Order).join(OrderItem, OrderItem.order_id == Order.id)
        .where(OrderItem.mentorship_id == mentorship.id).order_by(Order.dated, Order.id)
    ))


def late_consents(participant_ids, on) -> dict[int, Consent]:
    """Participant id → their consent dated after ``on`` (none valid on it): what a back-dated
    pair's form offers to correct to the paper consent's real date."""
    return pair_rules.consents_dated_after(participant_ids, on)


def people_by_id(ids) -> dict[int, Participant]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(sa.select(Participant).where(Participant.id.in_(ids)))}


def mentor_choices() -> list[Participant]:
    """People of the mentor bank (not erased), by name."""
    return list(db.session.scalars(
        sa.select(Participant).join(MentorProfile, MentorProfile.participant_id == Participant.id)
        .where(Participant.in_mentor_bank.is_(True), Participant.anonymised_at.is_(None))
        .options(raiseload("*")).order_by(Participant.full_name, Participant.id)
    ))


def mentee_choices(exclude_ids=()) -> list[Participant]:
    """People of the mentee bank (not erased), by name."""
    stmt = (sa.select(Participant)
            .where(Participant.in_mentee_bank.is_(True), Participant.anonymised_at.is_(None))
            .options(raiseload("*")).order_by(Participant.full_name, Participant.id))
    if exclude_ids:
        stmt = stmt.where(Participant.id.not_in(list(exclude_ids)))
    return list(db.session.scalars(stmt))


# ---------------------------------------------------------------------------- match reasons

#: Reason codes the matching stores on a pair, and whether the code carries a list argument.
REASON_CODES = ("requests_covered", "mutual_preference", "mentee_preferred", "mentor_preferred", "preferred_form")


def reason_items(reasons) -> list[tuple[str, list]]:
    """``Mentorship.reasons`` as (code, arguments) for the codes known here; entries are
    ``"code"`` or ``["code", arg, …]``; unknown or malformed entries are skipped."""
    items = []
    for entry in reasons or []:
        if isinstance(entry, str):
            code, args = entry, []
        elif isinstance(entry, (list, tuple)) and entry and isinstance(entry[0], str):
            code, args = entry[0], list(entry[1:])
        else:
            continue
        if code in REASON_CODES:
            flat = []
            for arg in args:
                flat.extend(arg if isinstance(arg, (list, tuple)) else [arg])
            items.append((code, [str(a) for a in flat]))
    return items


def pairs_of(person: Participant) -> list:
    """The mentorships ``person`` is in, as mentor or mentee, newest first."""
    options = (selectinload(Mentorship.members).joinedload(MentorshipMentee.participant),
               joinedload(Mentorship.mentor), joinedload(Mentorship.programme))
    as_mentor = db.session.scalars(
        sa.select(Mentorship).where(Mentorship.mentor_id == person.id).options(*options)
    ).unique().all()
    as_mentee = db.session.scalars(
        sa.select(Mentorship).join(MentorshipMentee, MentorshipMentee.mentorship_id == Mentorship.id)
        .where(MentorshipMentee.participant_id == person.id).options(*options)
    ).unique().all()
    pairs = {m.id: m for m in [*as_mentor, *as_mentee]}
    return sorted(pairs.values(), key=lambda m: (m.started_on, m.id), reverse=True)


@dataclass(frozen=True)
class SchoolSummary:
    """A school's mentorship in two figures, for its home page."""

    participants: int  # not anonymised
    active_mentorships: int  # pairs and groups

    @property
    def started(self) -> bool:
        return bool(self.participants or self.active_mentorships)


def school_summary(org_id: int) -> SchoolSummary:
    """How many people and active pairs/groups the school keeps (two counts, whatever the size)."""
    participants = db.session.scalar(sa.select(sa.func.count(Participant.id)).where(
        Participant.org_id == org_id, Participant.anonymised_at.is_(None)))
    active = db.session.scalar(sa.select(sa.func.count(Mentorship.id)).where(
        Mentorship.org_id == org_id, Mentorship.status == "active"))
    return SchoolSummary(participants=participants or 0, active_mentorships=active or 0)
