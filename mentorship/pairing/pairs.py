"""Creating and changing mentorships (pairs and groups) under the hard rules, with history.

Matching publishes through ``create_mentorship`` too, so a published draft obeys the same
rules as a pair the curator makes by hand.

Every change appends a ``MentorshipEvent``. Events about a mentee name them by participant id
(``note = "participant:<id>"``), never by name: a withdrawn consent erases the person's name
from ``participants`` and the history must not keep a copy (``event_participant_id`` reads it).

Changes lock the rows of the people concerned (``SELECT … FOR UPDATE`` on PostgreSQL), so
two curators pairing the same mentor or mentee at once are serialised and the second one
sees the first one's pair when it checks capacity and "already paired".

A pair made by hand (``create_pair``) and every change of a pair are audited here.

Correcting what was entered wrongly: while no order fixes a pair, ``correct_pair`` changes its
start date, programme (and so its form), mentor and mentees under the same hard rules; once an
order lists it, the change is made as in real life, by a new order. ``void_pair`` voids a pair
entered by mistake (аннулирована): kept in the history with the reason, counted nowhere. Both
send ``pair_correcting`` first (mentorship/pairing/signals.py), so the monitoring can refuse a
correction of what a frozen period counted."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from core.errors import DomainError, Problem
from core.extensions import db
from core.model import utcnow
from mentorship.pairing import rules as pair_rules
from mentorship.pairing.models import (
    VOIDED,
    Meeting,
    Mentorship,
    MentorshipEvent,
    MentorshipMentee,
    Order,
    OrderItem,
    Programme,
)
from mentorship.pairing.signals import PairCorrection, pair_correcting
from mentorship.people.models import Participant
from mentorship.region.forms import form_by_code
from tenants import audit
from tenants.models import Organization


def person_name(participant: Participant | None) -> str | LazyString:
    """A participant's name, or that it was erased (consent withdrawn; translated when shown)."""
    if participant is None:
        return "—"
    if participant.anonymised_at is not None:
        return _l("Personal data erased")
    return participant.full_name


class PairRuleError(DomainError):
    """A change would break a hard rule (a code of pair_rules.MESSAGES, or of the pairs' own
    below); ``who`` is the participant concerned, named at the start of the message."""

    MESSAGES = {
        **pair_rules.MESSAGES,
        "unknown_form": _l("The programme's form is not in the region's catalogue."),
        "no_mentees": _l("Choose at least one mentee."),
        "bad_dates": _l("The end date is before the start date."),
        "not_active": _l("Only an active pair can be changed."),
        "already_member": _l("This mentee is already in the group."),
        "not_member": _l("This mentee is not in the group."),
        "last_mentee": _l("A pair needs at least one mentee: end it instead."),
        "bad_decision": _l("Choose whether the mentorship continues in a new cycle."),
        "reason_required": _l("Give the reason the pair ends early."),
        "duplicate_mentee": _l("The same mentee is chosen twice."),
        "programme_closed": _l("The programme is closed: no new pairs."),
        "ordered": _l("The pair is fixed by order № %(number)s of %(dated)s and cannot be edited: issue a new "
                      "order (end this pair, create the right one and put it in the new order)."),
        "meetings_before_start": _l("The pair has meetings before the new start date (the first on %(first)s)."),
        "already_voided": _l("The pair is already voided."),
        "void_reason_required": _l("Give the reason the pair is voided (what was entered by mistake)."),
    }

    def __init__(self, code: str, who: Participant | None = None, field: str | None = None, **params):
        # The name is read now: a rollback would expire it before the message is shown.
        super().__init__(code, field=field, **params, **({} if who is None else {"who": person_name(who)}))
        self.who = who

    def message_of(self, problem: Problem) -> str:
        text = super().message_of(problem)
        who = problem.params.get("who")
        return f"{who}: {text}" if who is not None else text


PARTICIPANT_NOTE = "participant:"


def _event(mentorship: Mentorship, action: str, user=None, note: str | None = None) -> None:
    mentorship.events.append(MentorshipEvent(
        org_id=mentorship.org_id, action=action, note=note, by_user_id=getattr(user, "id", None)
    ))


def event_participant_id(event: MentorshipEvent) -> int | None:
    """The participant a mentee_added / mentee_removed event is about (None for other events)."""
    note = event.note or ""
    if note.startswith(PARTICIPANT_NOTE) and note[len(PARTICIPANT_NOTE):].isdigit():
        return int(note[len(PARTICIPANT_NOTE):])
    return None


def _lock_people(people: list[Participant]) -> None:
    """Serialise concurrent changes involving the same people (a no-op on SQLite)."""
    ids = sorted({p.id for p in people if p.id is not None})
    if ids:
        db.session.execute(sa.select(Participant.id).where(Participant.id.in_(ids)).order_by(Participant.id)
                           .with_for_update())


def _end_follow_up(mentee: Participant) -> None:
    """A matched mentee leaves the follow-up of the unmatched (psychological support,
    continued search): it lasts until they have a partner."""
    if mentee.mentee_profile is not None and mentee.mentee_profile.follow_up != "none":
        mentee.mentee_profile.follow_up = "none"


def check_members(programme: Programme, mentor: Participant, mentees: list[Participant], on: date,
                  exclude: Mentorship | None = None) -> None:
    """Raise PairRuleError for the first hard rule that ``mentor`` with ``mentees`` breaks."""
    form = form_by_code(programme.org_path, programme.form_code)
    if form is None:
        raise PairRuleError("unknown_form", field="programme")
    consented = pair_rules.consented_ids([mentor.id, *(m.id for m in mentees)], on)
    problem = pair_rules.mentor_problem(form, mentor, mentor.id in consented)
    if problem:
        raise _rule_error(problem, mentor, "mentor", on)
    for mentee in mentees:
        problem = pair_rules.mentee_problem(form, mentee, mentee.id in consented) or pair_rules.pair_problem(
            mentor, mentee
        )
        if problem:
            raise _rule_error(problem, mentee, "mentees", on)
    # One active pair per mentee in a programme (another programme of the same form, with
    # other aims, may pair them too: the matching page says so beside such a mentee).
    already = db.session.scalars(
        sa.select(MentorshipMentee.participant_id)
        .join(Mentorship, Mentorship.id == MentorshipMentee.mentorship_id)
        .where(
            Mentorship.programme_id == programme.id, Mentorship.status == "active",
            MentorshipMentee.participant_id.in_([m.id for m in mentees]),
            *([Mentorship.id != exclude.id] if exclude is not None and exclude.id else []),
        )
    ).first()
    if already is not None:
        raise PairRuleError("already_paired", next(m for m in mentees if m.id == already), field="mentees")
    load = pair_rules.active_load([mentor.id]).get(mentor.id, 0)
    if exclude is not None and exclude.status == "active" and exclude.mentor_id == mentor.id:
        load -= len(exclude.members)
    if load + len(mentees) > mentor.mentor_profile.capacity:
        raise PairRuleError("over_capacity", mentor, field="mentor")


def _rule_error(problem: str, who: Participant, field: str, on: date) -> PairRuleError:
    """The error of a broken rule; "no consent" says so precisely when the person's consent
    exists but is dated after ``on`` (entered with today's date for a back-dated pair)."""
    if problem == "no_consent":
        later = pair_rules.consents_dated_after([who.id], on).get(who.id)
        if later is not None:
            return PairRuleError("consent_after_start", who, field=field, given=pair_rules.day(later.given_on),
                                 start=pair_rules.day(on))
    return PairRuleError(problem, who, field=field)


def create_mentorship(programme: Programme, mentor: Participant, mentees: list[Participant], started_on: date,
                      *, user=None, reasons: list | None = None, matching_run_id: int | None = None,
                      planned_end_on: date | None = None) -> Mentorship:
    """A new active pair (one mentee) or group (several), after every hard rule is checked."""
    if not mentees:
        raise PairRuleError("no_mentees", field="mentees")
    if len({m.id for m in mentees}) != len(mentees):
        raise PairRuleError("duplicate_mentee", field="mentees")
    if planned_end_on is not None and planned_end_on < started_on:
        raise PairRuleError("bad_dates", field="planned_end_on")
    if programme.status != "active":
        raise PairRuleError("programme_closed", field="programme")
    _lock_people([mentor, *mentees])
    check_members(programme, mentor, mentees, started_on)
    mentorship = Mentorship(
        org_id=programme.org_id, programme_id=programme.id, form_code=programme.form_code, mentor_id=mentor.id,
        started_on=started_on, planned_end_on=planned_end_on, reasons=list(reasons or []),
        matching_run_id=matching_run_id, status="active",
    )
    mentorship.programme = programme
    mentorship.mentor = mentor
    for mentee in mentees:
        mentorship.members.append(MentorshipMentee(org_id=programme.org_id, participant=mentee))
        _end_follow_up(mentee)
    _event(mentorship, "created", user)
    db.session.add(mentorship)
    db.session.flush()
    return mentorship


def create_pair(programme: Programme, mentor: Participant, mentees: list[Participant], started_on: date, *,
                user=None, org: Organization | None = None, planned_end_on: date | None = None) -> Mentorship:
    """A pair or group the curator makes by hand (``create_mentorship``), audited
    ("pair.created")."""
    mentorship = create_mentorship(programme, mentor, mentees, started_on, user=user, planned_end_on=planned_end_on)
    _audit("pair.created", mentorship, user, org, {"mentees": len(mentees)})
    return mentorship


def open_card(mentorship: Mentorship, user=None, org: Organization | None = None) -> Mentorship:
    """The pair's card is opened: it names the people, so whoever sees it is audited
    ("pair.viewed")."""
    _audit("pair.viewed", mentorship, user, org)
    return mentorship


def _audit(action: str, mentorship: Mentorship, user, org: Organization | None, details: dict | None = None) -> None:
    owner = org if org is not None else db.session.get(Organization, mentorship.org_id)
    audit.record(action, org=owner, obj=mentorship, user=user, details=details)


def add_mentee(mentorship: Mentorship, mentee: Participant, on: date, user=None,
               org: Organization | None = None) -> None:
    """Turn a pair into a group (or grow a group), under the same hard rules."""
    if mentorship.status != "active":
        raise PairRuleError("not_active")
    current = [m.participant for m in mentorship.members]
    if mentee in current:
        raise PairRuleError("already_member", mentee, field="mentee")
    _lock_people([mentorship.mentor, mentee])
    check_members(mentorship.programme, mentorship.mentor, current + [mentee], on, exclude=mentorship)
    mentorship.members.append(MentorshipMentee(org_id=mentorship.org_id, participant=mentee))
    _end_follow_up(mentee)
    _event(mentorship, "mentee_added", user, f"{PARTICIPANT_NOTE}{mentee.id}")
    db.session.flush()
    _audit("pair.mentee_added", mentorship, user, org, {"participant_id": mentee.id})


def remove_mentee(mentorship: Mentorship, member_id: int, user=None, org: Organization | None = None) -> None:
    """Take a mentee out of an active group (the last one cannot leave: end the pair)."""
    if mentorship.status != "active":
        raise PairRuleError("not_active")
    member = next((m for m in mentorship.members if m.id == member_id), None)
    if member is None:
        raise PairRuleError("not_member", field="member_id")
    if len(mentorship.members) == 1:
        raise PairRuleError("last_mentee")
    participant_id = member.participant_id
    mentorship.members.remove(member)
    _event(mentorship, "mentee_removed", user, f"{PARTICIPANT_NOTE}{participant_id}")
    db.session.flush()
    _audit("pair.mentee_removed", mentorship, user, org, {"participant_id": participant_id})


def complete(mentorship: Mentorship, on: date, decision: str, user=None, note: str | None = None,
             org: Organization | None = None) -> None:
    """The cycle is over: completed, with the decision to continue in a new cycle or finish."""
    if mentorship.status != "active":
        raise PairRuleError("not_active")
    if on < mentorship.started_on:
        raise PairRuleError("bad_dates", field="on")
    if decision not in ("continue", "finish"):
        raise PairRuleError("bad_decision", field="decision")
    mentorship.status, mentorship.ended_on, mentorship.decision = "completed", on, decision
    _event(mentorship, "completed", user, (note or "").strip() or None)
    db.session.flush()
    _audit("pair.completed", mentorship, user, org, {"decision": decision})


def end_early(mentorship: Mentorship, on: date, reason: str, user=None, org: Organization | None = None) -> None:
    """The curator stops the pair before its time; the reason is required and kept. Audited."""
    stop_early(mentorship, on, reason, user)
    _audit("pair.ended_early", mentorship, user, org)


def stop_early(mentorship: Mentorship, on: date, reason: str, user=None) -> None:
    """End the pair early without an audit record of its own: for a change recorded as a
    whole by its caller (a person's erasure lists the pairs it ended)."""
    if mentorship.status != "active":
        raise PairRuleError("not_active")
    if not (reason or "").strip():
        raise PairRuleError("reason_required", field="reason")
    if on < mentorship.started_on:
        raise PairRuleError("bad_dates", field="on")
    mentorship.status, mentorship.ended_on, mentorship.end_reason = "ended_early", on, reason.strip()
    _event(mentorship, "ended_early", user, reason.strip())
    db.session.flush()


# ---------------------------------------------------------------------------- corrections


def order_fixing(mentorship: Mentorship) -> Order | None:
    """The (first) order that lists the pair, if any: it fixes the pair as it was ordered."""
    return db.session.scalar(
        sa.select(Order).join(OrderItem, OrderItem.order_id == Order.id)
        .where(OrderItem.mentorship_id == mentorship.id).order_by(Order.dated, Order.id).limit(1)
    )


def check_correctable(mentorship: Mentorship) -> None:
    """Raise PairRuleError unless the pair may be corrected: active, and no order fixes it
    (the message names the order: a change is then made by a new order)."""
    if mentorship.status != "active":
        raise PairRuleError("not_active")
    order = order_fixing(mentorship)
    if order is not None:
        raise PairRuleError("ordered", number=order.number, dated=pair_rules.day(order.dated))


def _correction(mentorship: Mentorship, kind: str, **values) -> PairCorrection:
    return PairCorrection(
        kind=kind, started_on=values.get("started_on", mentorship.started_on),
        form_code=values.get("form_code", mentorship.form_code), mentor_id=values.get("mentor_id", mentorship.mentor_id),
        mentee_ids=frozenset(values.get("mentee_ids", [m.participant_id for m in mentorship.members])),
    )


def correct_pair(mentorship: Mentorship, *, programme: Programme, mentor: Participant, mentees: list[Participant],
                 started_on: date, planned_end_on: date | None = None, user=None,
                 org: Organization | None = None) -> list[str]:
    """Correct what was entered wrongly in an active pair no order fixes yet: its start date,
    planned end, programme (and with it the form), mentor and mentees, under the same hard
    rules as a new pair. Returns the names of the fields changed (none: nothing is written).
    History: "corrected" with the fields, and who joined or left; audited ("pair.corrected")."""
    check_correctable(mentorship)
    if not mentees:
        raise PairRuleError("no_mentees", field="mentees")
    if len({m.id for m in mentees}) != len(mentees):
        raise PairRuleError("duplicate_mentee", field="mentees")
    if planned_end_on is not None and planned_end_on < started_on:
        raise PairRuleError("bad_dates", field="planned_end_on")
    if programme.id != mentorship.programme_id and programme.status != "active":
        raise PairRuleError("programme_closed", field="programme")
    before = {m.participant_id for m in mentorship.members}
    after = {m.id for m in mentees}
    changed = [name for name, differs in (
        ("started_on", started_on != mentorship.started_on),
        ("planned_end_on", planned_end_on != mentorship.planned_end_on),
        ("programme", programme.id != mentorship.programme_id),
        ("form", programme.form_code != mentorship.form_code),
        ("mentor", mentor.id != mentorship.mentor_id),
        ("mentees", after != before),
    ) if differs]
    if not changed:
        return []
    if started_on > mentorship.started_on:
        first = db.session.scalar(sa.select(sa.func.min(Meeting.held_on)).where(Meeting.mentorship_id == mentorship.id))
        if first is not None and first < started_on:
            raise PairRuleError("meetings_before_start", field="started_on", first=pair_rules.day(first))
    _lock_people([mentorship.mentor, mentor, *mentees])
    check_members(programme, mentor, mentees, started_on, exclude=mentorship)
    pair_correcting.send(mentorship, change=_correction(
        mentorship, "edit", started_on=started_on, form_code=programme.form_code, mentor_id=mentor.id,
        mentee_ids=after))
    mentorship.started_on, mentorship.planned_end_on = started_on, planned_end_on
    mentorship.programme_id, mentorship.form_code = programme.id, programme.form_code
    mentorship.programme = programme
    if mentor.id != mentorship.mentor_id:
        mentorship.mentor_id = mentor.id
        mentorship.mentor = mentor
        _event(mentorship, "mentor_replaced", user, f"{PARTICIPANT_NOTE}{mentor.id}")
    for member in [m for m in mentorship.members if m.participant_id not in after]:
        mentorship.members.remove(member)
        _event(mentorship, "mentee_removed", user, f"{PARTICIPANT_NOTE}{member.participant_id}")
    for mentee in mentees:
        if mentee.id not in before:
            mentorship.members.append(MentorshipMentee(org_id=mentorship.org_id, participant=mentee))
            _end_follow_up(mentee)
            _event(mentorship, "mentee_added", user, f"{PARTICIPANT_NOTE}{mentee.id}")
    _event(mentorship, "corrected", user, ", ".join(changed))
    db.session.flush()
    _audit("pair.corrected", mentorship, user, org, {"fields": changed})
    return changed


def void_pair(mentorship: Mentorship, reason: str, user=None, org: Organization | None = None) -> None:
    """Void a pair entered by mistake (аннулирована): kept with its history, the reason, when and
    by whom, and counted nowhere — no figure, survey audience or order counts it again. Any
    pair may be voided (an ordered one stays in its signed order, marked voided) unless an
    area above refuses (the monitoring, when a frozen period counted it). Audited
    ("pair.voided")."""
    if mentorship.status == VOIDED:
        raise PairRuleError("already_voided")
    reason = (reason or "").strip()
    if not reason:
        raise PairRuleError("void_reason_required", field="reason")
    pair_correcting.send(mentorship, change=_correction(mentorship, "void"))
    previous = mentorship.status
    mentorship.status, mentorship.voided_at, mentorship.void_reason = VOIDED, utcnow(), reason
    mentorship.voided_by_id = getattr(user, "id", None)
    _event(mentorship, "voided", user, reason)
    db.session.flush()
    _audit("pair.voided", mentorship, user, org, {"reason": reason, "status_before": previous})
