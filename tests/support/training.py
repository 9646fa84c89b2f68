"""Factories for training and the registry, and ``training_world``: a school's «Школа
наставников» with a session, an enrolled mentor, an attendance mark and a completion with
its certificate — for the isolation suite and the view tests. Every object has an owner."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from core.extensions import db
from mentorship.training.models import Attendance, Course, CourseProgramme, CourseSession, Enrolment, TrainingCompletion
from tenants.context import tenant_scope
from tenants.models import Organization
from tests.support.school import make_mentor

TODAY = date(2026, 11, 22)


def make_course(org_id: int, title: str = "Школа наставников", *, capacity: int = 10, hours: int = 36,
                audience: str = "mentors", **fields) -> Course:
    fields.setdefault("kind", "school_of_mentors")
    fields.setdefault("starts_on", date(2026, 10, 1))
    fields.setdefault("ends_on", date(2026, 12, 25))
    course = Course(org_id=org_id, title=title, capacity=capacity, hours=hours, audience=audience, **fields)
    db.session.add(course)
    db.session.flush()
    return course


def org(key: str, tree) -> Organization:
    return db.session.get(Organization, tree.ids[key])


def training_world(tree, key: str = "r1m1s1") -> SimpleNamespace:
    """In school ``key``: a mentor, the school's own course with a
    session, the mentor enrolled and present, and a second mentor's completed enrolment with
    its certificate number."""
    org_id = tree.ids[key]
    with tenant_scope(org_id, tree.paths[key]):
        mentor = make_mentor(org_id, "Орлова Нина Сергеевна")
        done = make_mentor(org_id, "Фёдоров Пётр Ильич")
        course = make_course(org_id, "Школа наставников 2026", seats_taken=2)
        course.programme = CourseProgramme(org_id=org_id, filename="programme.pdf", content_type="application/pdf",
                                           size=9, data=b"%PDF-1.4\n")
        session = CourseSession(org_id=org_id, course_id=course.id, held_on=date(2026, 10, 5), topic="Введение")
        db.session.add(session)
        db.session.flush()
        enrolment = Enrolment(org_id=org_id, course_id=course.id, participant_id=mentor.id, role="mentor",
                              display_name=mentor.full_name)
        finished = Enrolment(org_id=org_id, course_id=course.id, participant_id=done.id, role="mentor",
                             display_name=done.full_name, status="completed")
        db.session.add_all([enrolment, finished])
        db.session.flush()
        db.session.add(Attendance(org_id=org_id, session_id=session.id, enrolment_id=enrolment.id, present=True))
        completion = TrainingCompletion(
            org_id=org_id, enrolment_id=finished.id, course_id=course.id, participant_id=done.id, issuer_id=org_id,
            course_title=course.title, organiser_name="Школа", completed_on=date(2026, 10, 30), hours=36,
            certificate_number="2026-0001")
        db.session.add(completion)
        db.session.commit()
        return SimpleNamespace(mentor=mentor.id, done=done.id, course=course.id, session=session.id,
                               enrolment=enrolment.id, finished=finished.id, completion=completion.id)
