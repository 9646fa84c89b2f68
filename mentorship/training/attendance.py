"""Attendance (посещаемость): the organiser marks, session by session, who of the enrolled
attended. A mark belongs to the enrolment's organisation, like the enrolment."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import DomainError
from core.extensions import db
from mentorship.training.courses import require_organiser
from mentorship.training.models import Attendance, Course, CourseSession, Enrolment
from tenants import audit
from tenants.models import Organization


class AttendanceError(DomainError):
    MESSAGES = {
        "unknown_person": _l("Someone marked is not enrolled in the course."),
    }


def enrolled(course: Course) -> list[Enrolment]:
    """Who may be marked: the course's enrolments not cancelled, by name."""
    return list(db.session.scalars(
        sa.select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.status != "cancelled")
        .order_by(Enrolment.display_name, Enrolment.id)
    ))


def marks(session: CourseSession) -> dict[int, bool]:
    """{enrolment id: present} of one session."""
    return dict(db.session.execute(
        sa.select(Attendance.enrolment_id, Attendance.present).where(Attendance.session_id == session.id)
    ).all())


def attended_counts(course: Course) -> dict[int, int]:
    """{enrolment id: sessions attended} over the course's schedule (one query)."""
    return dict(db.session.execute(
        sa.select(Attendance.enrolment_id, sa.func.count(Attendance.id))
        .join(CourseSession, CourseSession.id == Attendance.session_id)
        .where(CourseSession.course_id == course.id, Attendance.present.is_(True))
        .group_by(Attendance.enrolment_id)
    ).all())


def record_attendance(course: Course, session: CourseSession, present_ids, *, org: Organization,
                      user=None) -> int:
    """Mark every enrolled person present (``present_ids``) or absent at ``session``; the
    number present."""
    require_organiser(course, org)
    people = enrolled(course)
    present = {int(i) for i in present_ids}
    if present - {e.id for e in people}:
        raise AttendanceError("unknown_person", field="present")
    existing = {a.enrolment_id: a for a in db.session.scalars(
        sa.select(Attendance).where(Attendance.session_id == session.id))}
    for enrolment in people:
        mark = existing.get(enrolment.id)
        if mark is None:
            mark = Attendance(org_id=enrolment.org_id, session_id=session.id, enrolment_id=enrolment.id)
            db.session.add(mark)
        mark.present = enrolment.id in present
        mark.marked_by_id = getattr(user, "id", None)
    db.session.flush()
    audit.record("training.attendance_recorded", org=org, obj=course, user=user,
                 details={"session_id": session.id, "present": len(present), "enrolled": len(people)})
    return len(present)
