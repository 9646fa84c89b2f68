"""The hard rules of a mentorship (DESIGN §9), shared by matching and by manual pairing:
the form's categories, consent, a pupil mentor older than the mentee, mentor capacity.

Each rule answers with a reason code (or None); MESSAGES words it for the curator (the errors
that refuse a pair or a bank entry, PairRuleError and BankError, carry these codes)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.extensions import db
from mentorship.pairing.solver import age_problem
from mentorship.people.models import Consent, Participant
from mentorship.region.forms import FormSpec

MESSAGES = {
    "no_consent": _l("There is no valid consent to personal-data processing."),
    "anonymised": _l("The person's data was erased after the consent was withdrawn."),
    "mentor_category": _l("This person's category does not fit the mentors of this form."),
    "mentee_category": _l("This person's category does not fit the mentees of this form."),
    "special_needs_only": _l("This form is for mentees with special needs (ОВЗ)."),
    "not_in_mentor_bank": _l("The mentor is not in the mentor bank."),
    "not_in_mentee_bank": _l("The mentee is not in the mentee bank."),
    "mentor_not_approved": _l("The mentor is not approved for the programme."),
    "mentor_not_older": _l("A pupil or student mentor must be older than the mentee."),
    "over_capacity": _l("The mentor has no free place: capacity is reached."),
    "same_person": _l("A person cannot mentor themselves."),
    "already_paired": _l("The mentee already has an active pair in this programme."),
    "consent_after_start": _l("The consent to personal-data processing is dated %(given)s, after the pair's "
                              "start (%(start)s). If the paper consent was signed earlier, record its real date."),
}


def day(value: date) -> str:
    """A date as the messages and documents print it: dd.mm.yyyy."""
    return value.strftime("%d.%m.%Y")


def consented_ids(participant_ids, on: date) -> set[int]:
    """Those of ``participant_ids`` with a consent given on or before ``on``, not withdrawn."""
    ids = list(participant_ids)
    if not ids:
        return set()
    return set(db.session.scalars(
        sa.select(Consent.participant_id).where(
            Consent.participant_id.in_(ids), Consent.given_on <= on, Consent.withdrawn_on.is_(None)
        )
    ))


def consents_dated_after(participant_ids, on: date) -> dict[int, Consent]:
    """For each of ``participant_ids`` without a consent valid on ``on`` but with a valid
    (not withdrawn) consent given later — typically entered through the participant form,
    which fills the consent date with today, for a pair that started before — that consent
    (the earliest such). A back-dated pair then asks for the paper consent's real date."""
    ids = set(participant_ids)
    if not ids:
        return {}
    missing = ids - consented_ids(ids, on)
    if not missing:
        return {}
    later = db.session.scalars(
        sa.select(Consent).where(Consent.participant_id.in_(missing), Consent.given_on > on,
                                 Consent.withdrawn_on.is_(None))
        .order_by(Consent.participant_id, Consent.given_on, Consent.id)
    )
    found: dict[int, Consent] = {}
    for consent in later:
        found.setdefault(consent.participant_id, consent)
    return found


def mentor_problem(form: FormSpec, mentor: Participant, consented: bool) -> str | None:
    if mentor.anonymised_at is not None:
        return "anonymised"
    if not consented:
        return "no_consent"
    if mentor.category != form.mentor_category:
        return "mentor_category"
    if not mentor.in_mentor_bank or mentor.mentor_profile is None:
        return "not_in_mentor_bank"
    if not mentor.mentor_profile.approved:
        return "mentor_not_approved"
    return None


def mentee_problem(form: FormSpec, mentee: Participant, consented: bool) -> str | None:
    if mentee.anonymised_at is not None:
        return "anonymised"
    if not consented:
        return "no_consent"
    if mentee.category != form.mentee_category:
        return "mentee_category"
    if form.mentee_special_needs and not mentee.special_needs:
        return "special_needs_only"
    if not mentee.in_mentee_bank:
        return "not_in_mentee_bank"
    return None


def pair_problem(mentor: Participant, mentee: Participant) -> str | None:
    """Rules about the two together (beyond each one's eligibility)."""
    if mentor.id is not None and mentor.id == mentee.id:
        return "same_person"
    # The pure rule is the solver's own (mentorship.pairing.solver), so both always agree.
    return age_problem(mentor.category, mentor.birth_date, mentee.category, mentee.birth_date)


def active_load(mentor_ids) -> dict[int, int]:
    """Number of mentees each mentor has in active mentorships."""
    from mentorship.pairing.models import Mentorship, MentorshipMentee

    ids = list(mentor_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Mentorship.mentor_id, sa.func.count(MentorshipMentee.id))
        .join(MentorshipMentee, MentorshipMentee.mentorship_id == Mentorship.id)
        .where(Mentorship.mentor_id.in_(ids), Mentorship.status == "active")
        .group_by(Mentorship.mentor_id)
    ).all()
    return {mentor_id: count for mentor_id, count in rows}
