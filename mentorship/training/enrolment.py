"""Enrolment (запись на обучение): a school's curator sends the school's mentors, and any
organisation of the course's line below the organiser (or the organiser itself) sends members
of its staff, curators first of all. The enrolment belongs to the person's organisation.

Places are counted on the course (``Course.seats_taken``) and taken by one conditional UPDATE
— ``seats_taken = seats_taken + 1 WHERE seats_taken < capacity`` — whose row lock makes two
curators enrolling into the last place at once wait for each other: the first gets it, the
second's UPDATE then matches no row and is told the course is full, and nothing of theirs is
written. The counter is the one column of a course that a school below writes, so the UPDATE
runs as labelled cross-tenant work (``unscoped("training.seats")``) on a course the caller has
already loaded through its own scope.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from core.errors import Conflict, DomainError
from core.extensions import db
from core.model import utcnow
from mentorship.people.models import MentorProfile, Participant
from mentorship.region.forms import region_forms
from mentorship.training import mentor_status
from mentorship.training.models import Course, Enrolment
from tenants import audit
from tenants.context import unscoped
from tenants.models import Membership, Organization, User
from tenants.roles import OrgKind

SEATS_LABEL = "training.seats"
STATUS_LABELS = {"enrolled": _l("Enrolled"), "completed": _l("Training completed"), "cancelled": _l("Enrolment cancelled")}


class EnrolmentError(DomainError):
    """An enrolment refused by a rule; the field is what to correct."""

    MESSAGES = {
        "not_in_line": _l("This course is not open to your organisation."),
        "closed": _l("Enrolment in this course is closed."),
        "ended": _l("The course has already ended."),
        "not_for_mentors": _l("The course is for curators and staff, not for mentors."),
        "not_for_staff": _l("The course is for mentors only."),
        "not_a_mentor": _l("Choose a mentor of the school's mentor bank."),
        "only_schools": _l("Mentors are enrolled by their school."),
        "form_mismatch": _l("The course is for other forms of mentorship than the mentor's."),
        "already_enrolled": _l("%(name)s is already enrolled in this course."),
        "member_unknown": _l("No active member with this e-mail works in an organisation that may be enrolled."),
        "not_allowed": _l("Only the organiser or the organisation that enrolled the person can cancel it."),
        "not_enrolled": _l("The enrolment is already cancelled."),
        "completed": _l("The training is completed: the enrolment cannot be cancelled."),
    }


class CourseFull(Conflict, EnrolmentError):
    """No place left: the last one went to someone else (perhaps a moment ago)."""

    MESSAGES = {
        "full": _l("There are no places left on the course: the last one has just been taken. "
                   "Nobody was enrolled."),
    }


# ---------------------------------------------------------------------------- places


def take_seat(course: Course) -> bool:
    """Take one place on ``course`` if one is left (atomic; see the module's docstring)."""
    db.session.flush()
    with unscoped(SEATS_LABEL):
        result = db.session.execute(
            sa.update(Course).where(Course.id == course.id, Course.seats_taken < Course.capacity)
            .values(seats_taken=Course.seats_taken + 1).execution_options(synchronize_session=False)
        )
    db.session.expire(course, ["seats_taken"])
    return result.rowcount == 1


def release_seat(course_id: int) -> None:
    db.session.flush()
    with unscoped(SEATS_LABEL):
        db.session.execute(
            sa.update(Course).where(Course.id == course_id, Course.seats_taken > 0)
            .values(seats_taken=Course.seats_taken - 1).execution_options(synchronize_session=False)
        )
    course = db.session.identity_map.get(sa.inspect(Course).identity_key_from_primary_key((course_id,)))
    if course is not None:
        db.session.expire(course, ["seats_taken"])


# ---------------------------------------------------------------------------- enrolling


def enrolment_refusal(course: Course, org: Organization, today: date) -> EnrolmentError | None:
    """Why ``org`` may not enrol anyone in ``course`` now, or None. Only the organiser and
    the organisations below it enrol (above it, a course is only seen)."""
    if not org.path.startswith(course.org_path):
        return EnrolmentError("not_in_line")
    if not course.enrolment_open:
        return EnrolmentError("closed")
    if course.ends_on is not None and course.ends_on < today:
        return EnrolmentError("ended")
    return None


def _require_open(course: Course, org: Organization, today: date) -> None:
    refusal = enrolment_refusal(course, org, today)
    if refusal is not None:
        raise refusal


def mentor_forms(participant: Participant, org: Organization) -> set[str]:
    """The forms a mentor may work in: those chosen in the questionnaire, or else every form
    of the region whose mentors are of the person's category."""
    profile = participant.mentor_profile
    chosen = set(profile.preferred_forms or []) if profile is not None else set()
    return chosen or {f.code for f in region_forms(org.path) if f.mentor_category == participant.category}


def _existing(course: Course, **person) -> Enrolment | None:
    (name, value), = person.items()
    return db.session.scalar(sa.select(Enrolment).where(Enrolment.course_id == course.id,
                                                        getattr(Enrolment, name) == value))


def _enrol(course: Course, existing: Enrolment | None, owner_id: int, *, user, **fields) -> Enrolment:
    if existing is not None and existing.status != "cancelled":
        raise EnrolmentError("already_enrolled", field="person", name=existing.display_name)
    if not take_seat(course):
        raise CourseFull("full")
    enrolment = existing or Enrolment(org_id=owner_id, course_id=course.id)
    if existing is None:
        db.session.add(enrolment)
    for name, value in fields.items():
        setattr(enrolment, name, value)
    enrolment.status, enrolment.cancelled_at, enrolment.enrolled_at = "enrolled", None, utcnow()
    enrolment.enrolled_by_id = getattr(user, "id", None)
    try:
        db.session.flush()
    except IntegrityError as exc:  # enrolled meanwhile, or by an organisation this one cannot see
        raise EnrolmentError("already_enrolled", field="person", name=enrolment.display_name) from exc
    return enrolment


def enrol_mentor(course: Course, participant: Participant, *, org: Organization, user=None,
                 today: date) -> Enrolment:
    """The school ``org`` sends a mentor of its bank; their status becomes «in progress»."""
    _require_open(course, org, today)
    if org.kind != OrgKind.SCHOOL.value:
        raise EnrolmentError("only_schools", field="person")
    if course.audience == "curators":
        raise EnrolmentError("not_for_mentors", field="person")
    profile = participant.mentor_profile
    if profile is None or not participant.in_mentor_bank or participant.anonymised_at is not None:
        raise EnrolmentError("not_a_mentor", field="person")
    if course.form_codes and not mentor_forms(participant, org) & set(course.form_codes):
        raise EnrolmentError("form_mismatch", field="person")
    enrolment = _enrol(course, _existing(course, participant_id=participant.id), participant.org_id, user=user,
                       participant_id=participant.id, role="mentor", display_name=participant.full_name,
                       position=participant.class_or_position)
    audit.record("training.enrolled", org=org, obj=course, user=user,
                 details={"enrolment_id": enrolment.id, "participant_id": participant.id})
    mentor_status.sync(participant.id, enrolment.org_id, enrolment.org_path)
    return enrolment


def member_by_email(course: Course, email: str) -> Membership | None:
    """An active member, seen through the scope, of an organisation of the course's line at
    or below the organiser, by e-mail."""
    email = (email or "").strip().lower()
    if not email:
        return None
    low, high = course.org_path, course.org_path[:-1] + "0"
    return db.session.scalar(
        sa.select(Membership).join(User, User.id == Membership.user_id)
        .where(sa.func.lower(User.email) == email, Membership.is_active.is_(True), User.is_active.is_(True),
               Membership.org_path >= low, Membership.org_path < high)
        .order_by(Membership.org_path, Membership.id).limit(1)
    )


def enrol_staff(course: Course, email: str, *, org: Organization, user=None, today: date) -> Enrolment:
    """``org`` (the organiser, or an organisation below it) sends a member of staff — one of
    its own or of its subtree — named by e-mail."""
    _require_open(course, org, today)
    if course.audience == "mentors":
        raise EnrolmentError("not_for_staff", field="email")
    membership = member_by_email(course, email)
    if membership is None:
        raise EnrolmentError("member_unknown", field="email")
    person = membership.user
    enrolment = _enrol(course, _existing(course, user_id=person.id), membership.org_id, user=user,
                       user_id=person.id, role="staff", display_name=person.full_name, position=None)
    audit.record("training.enrolled", org=org, obj=course, user=user,
                 details={"enrolment_id": enrolment.id, "user_id": person.id})
    return enrolment


def can_cancel(enrolment: Enrolment, course: Course, org: Organization) -> bool:
    return enrolment.status == "enrolled" and org.id in (enrolment.org_id, course.org_id)


def cancel_enrolment(enrolment: Enrolment, *, org: Organization, user=None) -> None:
    """Cancel an enrolment (by the person's organisation or the organiser): the place is
    freed; a mentor with nothing else open goes back to «not trained»."""
    course = enrolment.course
    if enrolment.status == "completed":
        raise EnrolmentError("completed")
    if enrolment.status == "cancelled":
        raise EnrolmentError("not_enrolled")
    if org.id not in (enrolment.org_id, course.org_id):
        raise EnrolmentError("not_allowed")
    enrolment.status, enrolment.cancelled_at = "cancelled", utcnow()
    release_seat(course.id)
    audit.record("training.enrolment_cancelled", org=org, obj=course, user=user,
                 details={"enrolment_id": enrolment.id})
    if enrolment.participant_id is not None:
        mentor_status.sync(enrolment.participant_id, enrolment.org_id, enrolment.org_path)


# ---------------------------------------------------------------------------- reading


def roster_query(course: Course, org: Organization, *, include_cancelled: bool = False) -> sa.Select:
    """Whom the course has: the organiser sees every enrolment of its line; anyone else only
    the enrolments of its own organisation (a body above a school's course sees counts)."""
    stmt = sa.select(Enrolment).where(Enrolment.course_id == course.id).options(joinedload(Enrolment.completion))
    if course.org_id != org.id:
        stmt = stmt.where(Enrolment.org_id == org.id)
    if not include_cancelled:
        stmt = stmt.where(Enrolment.status != "cancelled")
    return stmt.order_by(Enrolment.display_name, Enrolment.id)


def school_mentors(org: Organization) -> list[Participant]:
    """The school's mentors (of the bank, not erased), by name."""
    return list(db.session.scalars(
        sa.select(Participant).join(MentorProfile, MentorProfile.participant_id == Participant.id)
        .where(Participant.org_id == org.id, Participant.in_mentor_bank.is_(True), Participant.anonymised_at.is_(None))
        .order_by(Participant.full_name, Participant.id)
    ))


def mentor_candidates(course: Course, org: Organization) -> list[Participant]:
    """The school's mentors (of the bank, not erased) not enrolled in ``course`` now."""
    enrolled = sa.select(Enrolment.participant_id).where(
        Enrolment.course_id == course.id, Enrolment.status != "cancelled", Enrolment.participant_id.is_not(None))
    return list(db.session.scalars(
        sa.select(Participant).join(MentorProfile, MentorProfile.participant_id == Participant.id)
        .where(Participant.org_id == org.id, Participant.in_mentor_bank.is_(True), Participant.anonymised_at.is_(None),
               Participant.id.not_in(enrolled))
        .order_by(Participant.full_name, Participant.id)
    ))


def owner_names(enrolments) -> dict[int, str]:
    """Names of the organisations of a roster's people (all in the viewer's subtree)."""
    ids = {e.org_id for e in enrolments}
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Organization.id, sa.func.coalesce(Organization.short_name, Organization.name))
        .where(Organization.id.in_(ids))
    ).all()
    return dict(rows)
