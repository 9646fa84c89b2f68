"""Demo training and registry for the demo school: its municipal body's «Школа наставников»
with a schedule, two of the school's mentors enrolled (one of them completed, with the
certificate), three mentors who agreed to the municipal registry. Called after
``demo.school.load_school_demo`` (``flask demo load``); idempotent."""
from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa

from core.extensions import db
from mentorship.people.models import MentorProfile, Participant
from mentorship.registry.entries import rebuild_school
from mentorship.training import completions, courses, enrolment
from mentorship.training.courses import CourseData, SessionData
from mentorship.training.models import Course, Enrolment
from tenants.context import tenant_scope, unscoped
from tenants.models import Organization

COURSE = "Школа наставников: роль и компетенции наставника"
SESSIONS = (
    (date(2026, 10, 6), "Целевая модель наставничества: формы и роли"),
    (date(2026, 10, 20), "Индивидуальный план развития наставляемого"),
    (date(2026, 11, 10), "Мониторинг и оценка результатов наставничества"),
)


def load_training_demo(school: Organization) -> bool:
    """Fill the demo unless the school's body already has a course; True if it did."""
    with unscoped("demo.training_body"):
        body = db.session.get(Organization, school.parent_id)
        body_id, body_path = body.id, body.path
    with tenant_scope(body_id, body_path):
        body = db.session.get(Organization, body_id)
        if db.session.scalar(sa.select(sa.func.count(Course.id)).where(Course.org_id == body_id)):
            return False
        course = courses.create_course(body, CourseData(
            title=COURSE, kind="school_of_mentors", format="in_person", place="Актовый зал управления образования",
            hours=36, capacity=30, audience="mentors", form_codes=[], starts_on=date(2026, 10, 1),
            ends_on=date(2026, 12, 20), enrolment_open=True,
            description="Программа подготовки наставников образовательных организаций муниципалитета."))
        for held_on, topic in SESSIONS:
            courses.add_session(course, SessionData(held_on=held_on, starts_at=time(15, 0), duration_hours=4,
                                                    topic=topic), org=body)
        course_id = course.id
        db.session.commit()
    with tenant_scope(school.id, school.path):
        school = db.session.get(Organization, school.id)
        mentors = db.session.scalars(
            sa.select(Participant).join(MentorProfile, MentorProfile.participant_id == Participant.id)
            .where(Participant.in_mentor_bank.is_(True)).order_by(Participant.id).limit(4)).all()
        for person in mentors[:3]:
            person.mentor_profile.publish_consent = True
        course = db.session.get(Course, course_id)
        enrolled = [enrolment.enrol_mentor(course, person, org=school, today=date(2026, 11, 1)).id
                    for person in mentors[2:4]]
        rebuild_school(school)
        db.session.commit()
    if enrolled:
        with tenant_scope(body_id, body_path):
            body = db.session.get(Organization, body_id)
            completions.complete(db.session.get(Enrolment, enrolled[0]), completed_on=date(2026, 11, 20), hours=36,
                                 certificate_number=None, org=body, today=date(2026, 11, 22))
            db.session.commit()
    return True
