"""Awards and incentives (поощрения): the school's one register of them — грамоты,
благодарности, благодарственные письма (to mentors and to partner enterprises), contest
diplomas, bonuses, nominations — each with its recipient, granting body, date and order.

An award granted by the school itself waits for the school's order «О поощрении участников
наставнической деятельности» (award_orders.py); once an order lists it, it is not changed or
deleted (a signed document stays as it was). One granted by a body above (or outside the tree)
carries that body's order number and date instead.

Publishing an award (``set_public``) needs the mentor's publication consent (a partner: its
agreement, ``Enterprise.publication_agreed``); a minor is never published. The published
name is kept on the row (``public_name``) only while it is public, so the public pages never
read the people tables. Withdrawing the consent unpublishes at once (receivers.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, raiseload

from core.errors import Conflict, DomainError
from core.extensions import db
from core.search import contains
from mentorship.pairing.models import VOIDED, Mentorship
from mentorship.people.models import Enterprise, MentorProfile, Participant
from mentorship.people.publication import has_publication_consent
from mentorship.people.rules import is_minor
from mentorship.people.signals import partner_withdrawn
from mentorship.recognition.models import AWARD_KINDS, Award
from tenants import audit
from tenants.context import unscoped
from tenants.models import Organization

KIND_LABELS = {
    "certificate": _l("Certificate of honour"),
    "gratitude": _l("Gratitude"),
    "thanks": _l("Letter of thanks"),
    "diploma": _l("Contest diploma"),
    "bonus": _l("Bonus"),
    "nomination": _l("Nomination for an award"),
    "other": _l("Other incentive"),
}
# The order is the school's official paper: always in Russian, whatever the interface language.
KIND_RU = {
    "certificate": "Почётная грамота",
    "gratitude": "Благодарность",
    "thanks": "Благодарственное письмо",
    "diploma": "Диплом конкурса",
    "bonus": "Премия",
    "nomination": "Представление к награде",
    "other": "Поощрение",
}

RECIPIENT_KINDS = ("mentor", "enterprise")
TITLE_MAX, GRANTED_BY_MAX, NUMBER_MAX, NOTE_MAX = 300, 300, 40, 2000


class AwardError(DomainError):
    """An award cannot be recorded, changed, deleted or published; each problem names the
    field of ``AwardData`` to correct."""

    MESSAGES = {
        "bad_kind": _l("Choose the kind of award."),
        "recipient_required": _l("Choose the mentor or the partner enterprise."),
        "bad_recipient": _l("Choose either a mentor or a partner enterprise, not both."),
        "no_such_participant": _l("There is no such mentor at the school."),
        "no_such_enterprise": _l("There is no such partner enterprise at the school."),
        "erased": _l("The person's personal data were erased: no new award can be recorded for them."),
        "pair_of_another": _l("The pair is not this mentor's."),
        "awarded_on_required": _l("Enter the date of the award."),
        "in_future": _l("The date is in the future."),
        "title_too_long": _l("The wording is longer than 300 characters."),
        "granted_by_too_long": _l("The granting body's name is longer than 300 characters."),
        "bad_granting_org": _l("Choose the school or an organisation above it."),
        "granted_by_required": _l("Choose the granting body or enter its name."),
        "number_too_long": _l("The order number is longer than 40 characters."),
        "order_date_required": _l("Enter the date of the order."),
        "order_number_required": _l("Enter the number of the order."),
        "note_too_long": _l("The note is longer than 2,000 characters."),
    }


class AwardFrozen(Conflict):
    MESSAGES = {"in_order": _l("The award is listed in an order and can no longer be changed.")}


class AwardPublicationError(Conflict):
    MESSAGES = {
        "no_consent": _l("The mentor has not given a valid consent to publication."),
        "minor": _l("A minor's name and achievements are never published."),
        "erased": _l("The person's personal data were erased."),
        "not_agreed": _l("The partner enterprise has not agreed to be named publicly."),
    }


@dataclass(frozen=True)
class AwardData:
    """What the award form sends (the recipient is a participant or an enterprise)."""

    kind: str
    awarded_on: date | None
    participant_id: int | None = None
    enterprise_id: int | None = None
    mentorship_id: int | None = None
    title: str | None = None
    granting_org_id: int | None = None
    granted_by: str | None = None
    order_number: str | None = None
    order_date: date | None = None
    note: str | None = None


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


# ---------------------------------------------------------------------------- choices


def granting_bodies(org: Organization) -> list[tuple[int, str]]:
    """The school and the organisations above it, the school first: (id, name). The names of
    the levels above are read across the scope (an organisation's name is not personal data)."""
    ids = list(reversed(org.ancestor_ids))  # the school, its municipal body, the ministry
    with unscoped("recognition.granting_bodies"):
        names = dict(db.session.execute(
            sa.select(Organization.id, Organization.name).where(Organization.id.in_(ids))
        ).all())
    return [(i, names[i]) for i in ids if i in names]


def mentor_choices() -> list[Participant]:
    """Who may receive an award as a mentor: people of the mentor bank or who have led a pair,
    not erased, by name."""
    led = sa.select(Mentorship.mentor_id)
    profiled = sa.select(MentorProfile.participant_id)
    return list(db.session.scalars(
        sa.select(Participant)
        .where(Participant.anonymised_at.is_(None),
               sa.or_(Participant.in_mentor_bank.is_(True), Participant.id.in_(led), Participant.id.in_(profiled)))
        .options(raiseload("*")).order_by(Participant.full_name, Participant.id)
    ))


def enterprise_choices() -> list[Enterprise]:
    return list(db.session.scalars(
        sa.select(Enterprise).options(raiseload("*")).order_by(Enterprise.name, Enterprise.id)
    ))


def mentor_pairs(participant_id: int) -> list[Mentorship]:
    """The pairs and groups the mentor leads or led, newest first (for "for which pair")."""
    return list(db.session.scalars(
        sa.select(Mentorship).where(Mentorship.mentor_id == participant_id, Mentorship.status != VOIDED)
        .options(joinedload(Mentorship.programme), raiseload("*"))
        .order_by(Mentorship.started_on.desc(), Mentorship.id.desc())
    ))


# ---------------------------------------------------------------------------- recording


def _check(data: AwardData, org: Organization, today: date, *, new: bool) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if data.kind not in AWARD_KINDS:
        problems.append(("kind", "bad_kind"))
    if data.participant_id and data.enterprise_id:
        problems.append(("participant_id", "bad_recipient"))
    elif not data.participant_id and not data.enterprise_id:
        problems.append(("participant_id", "recipient_required"))
    elif data.participant_id:
        person = db.session.get(Participant, data.participant_id)  # through the scope
        if person is None:
            problems.append(("participant_id", "no_such_participant"))
        elif new and person.anonymised_at is not None:
            problems.append(("participant_id", "erased"))
        elif data.mentorship_id:
            pair = db.session.get(Mentorship, data.mentorship_id)
            if pair is None or pair.mentor_id != person.id:
                problems.append(("mentorship_id", "pair_of_another"))
    elif db.session.get(Enterprise, data.enterprise_id) is None:
        problems.append(("enterprise_id", "no_such_enterprise"))
    if data.awarded_on is None:
        problems.append(("awarded_on", "awarded_on_required"))
    elif data.awarded_on > today:
        problems.append(("awarded_on", "in_future"))
    if len(_clean(data.title) or "") > TITLE_MAX:
        problems.append(("title", "title_too_long"))
    if len(_clean(data.granted_by) or "") > GRANTED_BY_MAX:
        problems.append(("granted_by", "granted_by_too_long"))
    if data.granting_org_id is not None and data.granting_org_id not in org.ancestor_ids:
        problems.append(("granting_org_id", "bad_granting_org"))
    elif data.granting_org_id is None and not _clean(data.granted_by):
        problems.append(("granting_org_id", "granted_by_required"))
    number = _clean(data.order_number)
    if len(number or "") > NUMBER_MAX:
        problems.append(("order_number", "number_too_long"))
    if number and data.order_date is None:
        problems.append(("order_date", "order_date_required"))
    elif data.order_date is not None and not number:
        problems.append(("order_number", "order_number_required"))
    if len(_clean(data.note) or "") > NOTE_MAX:
        problems.append(("note", "note_too_long"))
    return problems


def _granted_by(data: AwardData, org: Organization) -> str | None:
    """The granting body's name: the chosen organisation's (as it is now), or the free text."""
    if data.granting_org_id is not None:
        return dict(granting_bodies(org)).get(data.granting_org_id)
    return _clean(data.granted_by)


def save_award(award: Award | None, data: AwardData, *, org: Organization, today: date, user=None) -> Award:
    """Record a new award (``award`` None) or change one not yet listed in an order; audited
    ("award.recorded" / "award.changed"). Raises AwardError / AwardFrozen."""
    if award is not None and award.order_id is not None:
        raise AwardFrozen("in_order")
    problems = _check(data, org, today, new=award is None or award.participant_id != data.participant_id)
    if problems:
        raise AwardError(problems)
    new = award is None
    if new:
        award = Award(org_id=org.id, created_by_id=getattr(user, "id", None))
        db.session.add(award)
    recipient_changed = (award.participant_id, award.enterprise_id) != (data.participant_id, data.enterprise_id)
    award.kind = data.kind
    award.participant_id = data.participant_id or None
    award.enterprise_id = None if data.participant_id else data.enterprise_id
    award.mentorship_id = data.mentorship_id if data.participant_id else None
    award.title = _clean(data.title)
    award.awarded_on = data.awarded_on
    award.granting_org_id = data.granting_org_id
    award.granted_by = _granted_by(data, org)
    award.order_number = _clean(data.order_number)
    award.order_date = data.order_date if award.order_number else None
    award.note = _clean(data.note)
    if recipient_changed and not new:
        award.is_public, award.public_name = False, None  # a public award of someone else: publish again
    db.session.flush()
    audit.record("award.recorded" if new else "award.changed", org=org, obj=award, user=user,
                 details={"kind": award.kind, "participant_id": award.participant_id,
                          "enterprise_id": award.enterprise_id})
    return award


def delete_award(award: Award, *, org: Organization, user=None) -> None:
    """Delete an award recorded by mistake, while no order lists it (audited)."""
    if award.order_id is not None:
        raise AwardFrozen("in_order")
    audit.record("award.deleted", org=org, obj=award, user=user,
                 details={"kind": award.kind, "participant_id": award.participant_id,
                          "enterprise_id": award.enterprise_id})
    db.session.delete(award)
    db.session.flush()


def publication_refusal(award: Award, today: date) -> AwardPublicationError | None:
    """Why the award may not be published now (None: it may)."""
    if award.participant_id is not None:
        person = award.participant
        if person.anonymised_at is not None:
            return AwardPublicationError("erased")
        if is_minor(person.birth_date, today):
            return AwardPublicationError("minor")
        if not has_publication_consent(person.id):
            return AwardPublicationError("no_consent")
        return None
    if not award.enterprise.publication_agreed:
        return AwardPublicationError("not_agreed")
    return None


def set_public(award: Award, public: bool, *, org: Organization, today: date, user=None) -> Award:
    """Publish the award (its recipient's name kept as published) or take it off the public
    pages (audited). Publishing is refused without the consent (a partner: its agreement)."""
    if public:
        refusal = publication_refusal(award, today)
        if refusal is not None:
            raise refusal
        award.public_name = award.participant.full_name if award.participant_id else award.enterprise.name
    else:
        award.public_name = None
    award.is_public = public
    db.session.flush()
    audit.record("award.published" if public else "award.unpublished", org=org, obj=award, user=user)
    return award


def set_partner_agreement(enterprise: Enterprise, agreed: bool, *, org: Organization, user=None) -> int:
    """Record whether the partner agreed to be named on the public pages; withdrawing the
    agreement takes its awards off them at once (how many). Audited."""
    enterprise.publication_agreed = agreed
    unpublished = 0 if agreed else unpublish_partner(enterprise.id)
    if not agreed:
        partner_withdrawn.send(enterprise, enterprise_id=enterprise.id, org_id=org.id)
    db.session.flush()
    audit.record("enterprise.publication_agreed" if agreed else "enterprise.publication_withdrawn", org=org,
                 obj=enterprise, user=user, details={"awards_unpublished": unpublished})
    return unpublished


def unpublish_partner(enterprise_id: int) -> int:
    """The partner withdrew its agreement: its awards leave the public pages (how many)."""
    awards = db.session.scalars(sa.select(Award).where(Award.enterprise_id == enterprise_id,
                                                       Award.is_public.is_(True))).all()
    for award in awards:
        award.is_public, award.public_name = False, None
    db.session.flush()
    return len(awards)


# ---------------------------------------------------------------------------- reading


def load_award(award_id: int) -> Award | None:
    """An award with its recipient and order, through the tenant scope."""
    return db.session.scalar(
        sa.select(Award).where(Award.id == award_id)
        .options(joinedload(Award.participant), joinedload(Award.enterprise), joinedload(Award.order))
    )


def awards_statement(search: str = "", kind: str = "") -> sa.Select:
    """The school's register, newest first; ``search`` matches the mentor's or the enterprise's
    name, the wording or the granting body; ``kind`` filters by kind."""
    stmt = (
        sa.select(Award)
        .outerjoin(Participant, Participant.id == Award.participant_id)
        .outerjoin(Enterprise, Enterprise.id == Award.enterprise_id)
        .options(joinedload(Award.participant).raiseload("*"), joinedload(Award.enterprise).raiseload("*"),
                 joinedload(Award.order).raiseload("*"), raiseload("*"))
        .order_by(Award.awarded_on.desc(), Award.id.desc())
    )
    if kind in AWARD_KINDS:
        stmt = stmt.where(Award.kind == kind)
    if search:
        stmt = stmt.where(sa.or_(contains(Participant.full_name, search), contains(Enterprise.name, search),
                                 contains(Award.title, search), contains(Award.granted_by, search)))
    return stmt


def awards_of_participant(participant_id: int) -> list[Award]:
    """A mentor's awards, newest first (the card and the portfolio)."""
    return list(db.session.scalars(
        sa.select(Award).where(Award.participant_id == participant_id)
        .options(joinedload(Award.order).raiseload("*"), raiseload("*"))
        .order_by(Award.awarded_on.desc(), Award.id.desc())
    ))


def awards_of_pair(mentorship_id: int) -> list[Award]:
    """The awards recorded for a pair's mentor for that pair, oldest first."""
    return list(db.session.scalars(
        sa.select(Award).where(Award.mentorship_id == mentorship_id)
        .options(joinedload(Award.order).raiseload("*"), raiseload("*"))
        .order_by(Award.awarded_on, Award.id)
    ))


def public_awards(org_id: int) -> list[Award]:
    """The school's published awards, newest first — for the public pages (works under a
    ``PublicScope``: reads only this table; the recipient is ``public_name``)."""
    return list(db.session.scalars(
        sa.select(Award).where(Award.org_id == org_id, Award.is_public.is_(True))
        .options(raiseload("*")).order_by(Award.awarded_on.desc(), Award.id.desc())
    ))
