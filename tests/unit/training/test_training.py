"""Training (domain): courses and their validation, visibility along the organiser's line,
enrolment of mentors and staff with the capacity rule (and two curators racing for the last
place on PostgreSQL), attendance, completion with certificate numbers unique per organiser,
the mentor's status in the bank, courses taken elsewhere, erasure."""
from __future__ import annotations

import io
import threading
import time
from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.uploads import CheckedFile
from mentorship.people.consents import withdraw_consent
from mentorship.people.models import MentorProfile, Participant
from mentorship.training import attendance, completions, courses, enrolment
from mentorship.training.completions import CompletionError, ExternalData
from mentorship.training.courses import CourseData, CourseError, CourseFilters, SessionData
from mentorship.training.enrolment import CourseFull, EnrolmentError
from mentorship.training.models import Course, CourseSession, Enrolment, TrainingCompletion
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent, Organization, User
from tests.support.school import make_mentor, make_participant, problems_of
from tests.support.training import make_course

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


class As:
    """``with As(tree, "r1m1") as org:`` — act as that organisation (commit on success)."""

    def __init__(self, tree, key):
        self.tree, self.key = tree, key

    def __enter__(self) -> Organization:
        self._scope = tenant_scope(self.tree.ids[self.key], self.tree.paths[self.key])
        self._scope.__enter__()
        return db.session.get(Organization, self.tree.ids[self.key])

    def __exit__(self, *exc):
        if exc[0] is None:
            db.session.commit()
        else:
            db.session.rollback()
        self._scope.__exit__(*exc)
        db.session.remove()


def _user(tree, key):
    return db.session.get(User, tree.users[key].id)


def _mentor(tree, key, name, **fields) -> int:
    with As(tree, key) as org:
        return make_mentor(org.id, name, **fields).id


def _profile_status(tree, key, participant_id) -> str:
    with As(tree, key):
        return db.session.scalar(sa.select(MentorProfile.training_status)
                                 .where(MentorProfile.participant_id == participant_id))


def _course(tree, key="r1m1", **fields) -> int:
    with As(tree, key) as org:
        return make_course(org.id, fields.pop("title", "Семинар для наставников"), **fields).id


def _good(**overrides) -> CourseData:
    data = CourseData(title="Школа наставников", kind="school_of_mentors", format="online",
                      link="https://meet.example.ru/school", hours=36, capacity=20, audience="mentors",
                      form_codes=["teacher_pupil"], starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 20))
    for name, value in overrides.items():
        setattr(data, name, value)
    return data


# ---------------------------------------------------------------------------- courses


def test_a_course_is_created_with_its_programme_and_audited(ctx, tree):
    with As(tree, "r1m1") as body:
        course = courses.create_course(body, _good(), user=_user(tree, "r1m1.admin"),
                                       programme=courses.check_programme("programme.pdf", PDF))
        course_id = course.id
    with As(tree, "r1m1"):
        course = db.session.get(Course, course_id)
        assert (course.title, course.format, course.capacity, course.seats_taken) == ("Школа наставников", "online", 20, 0)
        assert course.programme.filename == "programme.pdf" and course.programme.data == PDF
        assert db.session.scalar(sa.select(AuditEvent.action).where(
            AuditEvent.object_type == "Course", AuditEvent.object_id == str(course_id))) == "training.course_created"


def test_bad_course_data_names_every_field_and_writes_nothing(ctx, tree):
    with As(tree, "r1m1") as body:
        with pytest.raises(CourseError) as err:
            courses.create_course(body, _good(title=" ", link="", hours=0, capacity=0, form_codes=["nope"],
                                              ends_on=date(2026, 11, 1)))
        assert sorted(problems_of(err.value)) == sorted([
            ("title", "title_required"), ("form_codes", "bad_choice"), ("link", "link_required"),
            ("hours", "hours_range"), ("capacity", "capacity_range"), ("ends_on", "dates_order")])
        with pytest.raises(CourseError) as err:
            courses.create_course(body, _good(link="javascript:alert(1)"))
        assert problems_of(err.value) == [("link", "link_bad")]
        with pytest.raises(CourseError) as err:
            courses.check_programme("programme.pdf", b"MZ\x90\x00 not a pdf")
        assert problems_of(err.value) == [("programme", "type_not_allowed")]
    with unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count(Course.id))) == 0


def test_capacity_cannot_fall_below_the_enrolled(ctx, tree):
    course_id = _course(tree, capacity=5, seats_taken=3)
    with As(tree, "r1m1") as body:
        course = db.session.get(Course, course_id)
        data = courses.data_of(course)
        data.capacity = 2
        with pytest.raises(CourseError) as err:
            courses.update_course(course, data, org=body)
        assert problems_of(err.value) == [("capacity", "capacity_below_taken")]


def test_a_course_is_seen_along_its_organisers_line_only(ctx, tree):
    body_course = _course(tree, "r1m1", title="Семинар управления")
    school_course = _course(tree, "r1m1s1", title="Школа наставников школы 1")
    seen = {}
    for key in ("r1", "r1m1", "r1m1s1", "r1m1s2", "r1m2", "r1m2s1", "r2"):
        with As(tree, key) as org:
            query = courses.courses_query(org, CourseFilters(when="all"), TODAY)
            seen[key] = {c.title for c in db.session.scalars(query)}
    assert seen["r1"] == seen["r1m1"] == {"Семинар управления", "Школа наставников школы 1"}
    assert seen["r1m1s1"] == {"Семинар управления", "Школа наставников школы 1"}
    assert seen["r1m1s2"] == {"Семинар управления"}  # a sibling school's course: never
    assert seen["r1m2"] == seen["r1m2s1"] == seen["r2"] == set()
    with As(tree, "r1m1s2"):
        assert db.session.get(Course, school_course) is None
    with As(tree, "r1m1s1"):  # the body above is out of a school's scope, its name is not
        assert courses.organiser_names([tree.ids["r1m1"]]) == {tree.ids["r1m1"]: "Управление 1.1"}
        assert db.session.get(Course, body_course) is not None


def test_only_the_organiser_changes_a_course_and_its_schedule(ctx, tree):
    course_id = _course(tree, "r1m1")
    with As(tree, "r1m1s1") as school:
        course = db.session.get(Course, course_id)
        with pytest.raises(CourseError) as err:
            courses.add_session(course, SessionData(held_on=date(2026, 10, 2), topic="Чужое"), org=school)
        assert err.value.code == "not_organiser"
    with As(tree, "r1m1") as body:
        course = db.session.get(Course, course_id)
        with pytest.raises(CourseError) as err:
            courses.add_session(course, SessionData(held_on=date(2027, 1, 10), topic=" ", duration_hours=30), org=body)
        assert sorted(problems_of(err.value)) == [("duration_hours", "duration_range"), ("held_on", "session_outside"),
                                                  ("topic", "topic_required")]
        courses.add_session(course, SessionData(held_on=date(2026, 10, 2), topic="Роль наставника"), org=body)
    with As(tree, "r1m1s1"):
        assert [s.topic for s in db.session.get(Course, course_id).sessions] == ["Роль наставника"]


def test_the_catalogue_filters(ctx, tree):
    _course(tree, "r1m1", title="Вебинар прошедший", kind="webinar", starts_on=date(2026, 1, 10),
            ends_on=date(2026, 1, 10))
    _course(tree, "r1m1", title="Школа наставников")
    _course(tree, "r1", title="Курсы ИРО", kind="course", starts_on=None, ends_on=None)
    with As(tree, "r1m1") as body:
        def titles(**f):
            return [c.title for c in db.session.scalars(courses.courses_query(body, CourseFilters(**f), TODAY))]
        assert titles() == ["Школа наставников", "Курсы ИРО"]  # dated first, then undated
        assert titles(when="past") == ["Вебинар прошедший"]
        assert titles(when="all", own=True) == ["Вебинар прошедший", "Школа наставников"]
        assert titles(when="all", kind="course") == ["Курсы ИРО"]
        assert titles(when="all", q="ШКОЛА") == ["Школа наставников"]


# ---------------------------------------------------------------------------- enrolment


def test_a_curator_enrols_a_mentor_who_becomes_in_progress(ctx, tree):
    course_id = _course(tree, "r1m1", capacity=3)
    with As(tree, "r1m1s1") as school:
        person = make_mentor(school.id, "Смирнова Ольга")
        person.mentor_profile.training_status = "none"
        mentor = person.id
    with As(tree, "r1m1s1") as school:
        course = db.session.get(Course, course_id)
        item = enrolment.enrol_mentor(course, db.session.get(Participant, mentor), org=school,
                                      user=_user(tree, "r1m1s1.staff"), today=TODAY)
        assert (item.org_id, item.role, item.display_name) == (school.id, "mentor", "Смирнова Ольга")
    assert _profile_status(tree, "r1m1s1", mentor) == "in_progress"
    with As(tree, "r1m1") as body:  # the organiser sees whom the school sent
        course = db.session.get(Course, course_id)
        assert course.seats_taken == 1
        assert [e.display_name for e in db.session.scalars(enrolment.roster_query(course, body))] == ["Смирнова Ольга"]
    with As(tree, "r1m1s2") as sibling:
        course = db.session.get(Course, course_id)
        assert db.session.scalars(enrolment.roster_query(course, sibling)).all() == []
        assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 0
    with As(tree, "r1m1s1") as school:
        course = db.session.get(Course, course_id)
        with pytest.raises(EnrolmentError) as err:
            enrolment.enrol_mentor(course, db.session.get(Participant, mentor), org=school, today=TODAY)
        assert err.value.code == "already_enrolled" and "Смирнова Ольга" in err.value.message


def test_enrolment_rules(ctx, tree):
    course_id = _course(tree, "r1m1", form_codes=["employer_pupil"])
    closed_id = _course(tree, "r1m1", title="Закрыт", enrolment_open=False)
    ended_id = _course(tree, "r1m1", title="Прошёл", starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 2))
    staff_id = _course(tree, "r1m1", title="Для кураторов", audience="curators")
    other_school = _course(tree, "r1m1s2", title="Чужая школа")
    with As(tree, "r1m1s1") as school:
        mentor = make_mentor(school.id, "Учитель", preferred_forms=["teacher_pupil"])
        outsider = make_participant(school.id, "Не наставник", "teacher")

        def refused(course_id, person=mentor):
            with pytest.raises(EnrolmentError) as err:
                enrolment.enrol_mentor(db.session.get(Course, course_id), person, org=school, today=TODAY)
            return err.value.code

        assert refused(course_id) == "form_mismatch"
        assert refused(closed_id) == "closed"
        assert refused(ended_id) == "ended"
        assert refused(staff_id) == "not_for_mentors"
        assert refused(course_id, outsider) == "not_a_mentor"
        assert db.session.get(Course, other_school) is None  # a sibling's course does not exist here
    with As(tree, "r1m1") as body:
        with pytest.raises(EnrolmentError) as err:
            enrolment.enrol_mentor(db.session.get(Course, course_id), None, org=body, today=TODAY)
        assert err.value.code == "only_schools"
    with As(tree, "r1") as ministry:  # above the organiser: the course is seen, not enrolled in
        assert enrolment.enrolment_refusal(db.session.get(Course, course_id), ministry, TODAY).code == "not_in_line"


def test_a_full_course_refuses_and_writes_nothing(ctx, tree):
    course_id = _course(tree, "r1m1", capacity=1)
    first = _mentor(tree, "r1m1s1", "Первая")
    second = _mentor(tree, "r1m1s2", "Вторая")
    with As(tree, "r1m1s1") as school:
        enrolment.enrol_mentor(db.session.get(Course, course_id), db.session.get(Participant, first), org=school,
                               today=TODAY)
    with As(tree, "r1m1s2") as school:
        course = db.session.get(Course, course_id)
        assert course.seats_left == 0
        with pytest.raises(CourseFull) as err:
            enrolment.enrol_mentor(course, db.session.get(Participant, second), org=school, today=TODAY)
        assert err.value.code == "full" and err.value.status == 409
        db.session.rollback()
    with unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 1
        assert db.session.get(Course, course_id).seats_taken == 1


def test_cancelling_frees_the_place_and_the_mentor_is_not_trained_again(ctx, tree):
    course_id = _course(tree, "r1m1", capacity=1)
    mentor = _mentor(tree, "r1m1s1", "Отказник")
    with As(tree, "r1m1s1") as school:
        db.session.scalar(sa.select(MentorProfile).where(MentorProfile.participant_id == mentor)).training_status = "none"
    with As(tree, "r1m1s1") as school:
        item = enrolment.enrol_mentor(db.session.get(Course, course_id), db.session.get(Participant, mentor),
                                      org=school, today=TODAY)
        item_id = item.id
    with As(tree, "r1m1s2") as sibling:
        assert db.session.get(Enrolment, item_id) is None and sibling
    with As(tree, "r1m1") as body:  # the organiser may cancel too
        enrolment.cancel_enrolment(db.session.get(Enrolment, item_id), org=body)
    assert _profile_status(tree, "r1m1s1", mentor) == "none"
    with As(tree, "r1m1s1") as school:
        course = db.session.get(Course, course_id)
        assert course.seats_taken == 0
        with pytest.raises(EnrolmentError) as err:
            enrolment.cancel_enrolment(db.session.get(Enrolment, item_id), org=school)
        assert err.value.code == "not_enrolled"
        again = enrolment.enrol_mentor(course, db.session.get(Participant, mentor), org=school, today=TODAY)
        assert again.id == item_id and again.status == "enrolled"  # the same row, enrolled again


def test_staff_are_enrolled_by_e_mail_into_their_own_organisation(ctx, tree):
    course_id = _course(tree, "r1m1", title="Семинар кураторов", audience="curators")
    with As(tree, "r1m1") as body:
        course = db.session.get(Course, course_id)
        item = enrolment.enrol_staff(course, " R1M1S1-STAFF@test.ru ", org=body, today=TODAY)
        assert (item.org_id, item.user_id, item.role) == (tree.ids["r1m1s1"], tree.users["r1m1s1.staff"].id, "staff")
        for email in ("r1m2s1-staff@test.ru", "nobody@test.ru", ""):  # another body's school, unknown
            with pytest.raises(EnrolmentError) as err:
                enrolment.enrol_staff(course, email, org=body, today=TODAY)
            assert problems_of(err.value) == [("email", "member_unknown")]
    with As(tree, "r1m1s2") as school:  # a school enrols its own staff, not a sibling's
        course = db.session.get(Course, course_id)
        with pytest.raises(EnrolmentError):
            enrolment.enrol_staff(course, "r1m1s1-admin@test.ru", org=school, today=TODAY)
        enrolment.enrol_staff(course, "r1m1s2-admin@test.ru", org=school, today=TODAY)
    with As(tree, "r1m1s1"):
        assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 1


@pytest.mark.backends("postgresql")
def test_two_curators_enrolling_into_the_last_place_at_once(app, tree):
    """Curator A takes the last place and holds the transaction open; curator B of another
    school enrols meanwhile: B's conditional UPDATE waits for A's row lock; A commits; B is
    told the course is full, and nothing of B's is written."""
    with app.app_context():
        course_id = _course(tree, "r1m1", capacity=1)
        a_mentor = _mentor(tree, "r1m1s1", "Первый")
        b_mentor = _mentor(tree, "r1m1s2", "Второй")
    a_done, a_may_commit = threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def curator(key, mentor, *, hold: bool):
        with app.app_context(), tenant_scope(tree.ids[key], tree.paths[key]):
            try:
                school = db.session.get(Organization, tree.ids[key])
                enrolment.enrol_mentor(db.session.get(Course, course_id), db.session.get(Participant, mentor),
                                       org=school, today=TODAY)
                if hold:
                    a_done.set()
                    a_may_commit.wait(10)
                db.session.commit()
                outcome[key] = "enrolled"
            except CourseFull as full:
                db.session.rollback()
                outcome[key] = full.code
            finally:
                a_done.set()
                db.session.remove()

    thread_a = threading.Thread(target=curator, args=("r1m1s1", a_mentor), kwargs={"hold": True})
    thread_a.start()
    assert a_done.wait(10)
    thread_b = threading.Thread(target=curator, args=("r1m1s2", b_mentor), kwargs={"hold": False})
    thread_b.start()
    time.sleep(0.5)  # B reaches the UPDATE and waits for A's lock
    assert "r1m1s2" not in outcome, "B must wait for A's transaction"
    a_may_commit.set()
    thread_a.join(10)
    thread_b.join(10)
    assert outcome == {"r1m1s1": "enrolled", "r1m1s2": "full"}
    with app.app_context(), unscoped("test"):
        assert db.session.get(Course, course_id).seats_taken == 1
        assert db.session.scalars(sa.select(Enrolment.participant_id)).all() == [a_mentor]
    assert _status_of(app, tree, "r1m1s2", b_mentor) == "completed"  # untouched (the factory's status)


def _status_of(app, tree, key, participant_id):
    with app.app_context():
        return _profile_status(tree, key, participant_id)


# ---------------------------------------------------------------------------- attendance and completion


def _enrolled(tree, course_id, key, name) -> tuple[int, int]:
    mentor = _mentor(tree, key, name)
    with As(tree, key) as school:
        item = enrolment.enrol_mentor(db.session.get(Course, course_id), db.session.get(Participant, mentor),
                                      org=school, today=TODAY)
        return mentor, item.id


def test_attendance_is_marked_by_the_organiser(ctx, tree):
    course_id = _course(tree, "r1m1")
    _m1, e1 = _enrolled(tree, course_id, "r1m1s1", "Анна")
    _m2, e2 = _enrolled(tree, course_id, "r1m1s2", "Борис")
    with As(tree, "r1m1") as body:
        course = db.session.get(Course, course_id)
        session = courses.add_session(course, SessionData(held_on=date(2026, 10, 2), topic="Первое занятие"), org=body)
        session_id = session.id
        assert attendance.record_attendance(course, session, [e1], org=body) == 1
        with pytest.raises(attendance.AttendanceError):
            attendance.record_attendance(course, session, [e1, 999999], org=body)
    with As(tree, "r1m1") as body:
        course = db.session.get(Course, course_id)
        session = db.session.get(CourseSession, session_id)
        attendance.record_attendance(course, session, [e1, e2], org=body)
        assert attendance.marks(session) == {e1: True, e2: True}
        assert attendance.attended_counts(course) == {e1: 1, e2: 1}
    with As(tree, "r1m1s1") as school:  # a school sees its own people's marks, not the sibling's
        assert attendance.marks(db.session.get(CourseSession, session_id)) == {e1: True}
        with pytest.raises(CourseError):
            attendance.record_attendance(db.session.get(Course, course_id), db.session.get(CourseSession, session_id),
                                         [e1], org=school)


def test_completion_by_the_body_makes_the_mentor_trained_at_the_school(ctx, tree):
    course_id = _course(tree, "r1m1", hours=24)
    mentor, item_id = _enrolled(tree, course_id, "r1m1s1", "Кузнецова Ирина")
    assert _profile_status(tree, "r1m1s1", mentor) == "completed"  # the factory's mentor was trained already
    with As(tree, "r1m1s1"):
        db.session.scalar(sa.select(MentorProfile).where(MentorProfile.participant_id == mentor)).training_status = \
            "in_progress"
    with As(tree, "r1m1") as body:
        completion = completions.complete(db.session.get(Enrolment, item_id), completed_on=date(2026, 11, 20),
                                          hours=24, certificate_number="", org=body, user=_user(tree, "r1m1.admin"),
                                          today=TODAY)
        assert (completion.org_id, completion.issuer_id, completion.certificate_number) == \
            (tree.ids["r1m1s1"], body.id, "2026-0001")
        assert completion.organiser_name == "Управление 1.1"
    assert _profile_status(tree, "r1m1s1", mentor) == "completed"
    with As(tree, "r1m1s1"):
        done = completions.of_participant(mentor)
        assert [(c.course_title, c.completed_on, c.hours) for c in done] == [("Семинар для наставников",
                                                                             date(2026, 11, 20), 24)]
        assert completions.latest_by_participant([mentor, 999])[mentor].id == done[0].id
        assert db.session.get(Enrolment, item_id).status == "completed"
    with As(tree, "r1m1") as body:
        with pytest.raises(CompletionError) as err:
            completions.complete(db.session.get(Enrolment, item_id), completed_on=TODAY, hours=24,
                                 certificate_number=None, org=body, today=TODAY)
        assert err.value.code == "not_enrolled"


def test_certificate_numbers_are_unique_per_organiser(ctx, tree):
    course_id = _course(tree, "r1m1")
    other_id = _course(tree, "r1m2", title="Семинар другого управления")
    _m1, e1 = _enrolled(tree, course_id, "r1m1s1", "Первый")
    _m2, e2 = _enrolled(tree, course_id, "r1m1s2", "Второй")
    _m3, e3 = _enrolled(tree, other_id, "r1m2s1", "Третий")
    with As(tree, "r1m1") as body:
        completions.complete(db.session.get(Enrolment, e1), completed_on=date(2026, 11, 1), hours=36,
                             certificate_number="№ 15/2026", org=body, today=TODAY)
    with As(tree, "r1m1") as body:
        with pytest.raises(CompletionError) as err:
            completions.complete(db.session.get(Enrolment, e2), completed_on=date(2026, 11, 1), hours=36,
                                 certificate_number="№ 15/2026", org=body, today=TODAY)
        assert problems_of(err.value) == [("certificate_number", "number_taken")]
        with pytest.raises(CompletionError) as err:
            completions.complete(db.session.get(Enrolment, e2), completed_on=date(2026, 12, 1), hours=0,
                                 certificate_number="<script>", org=body, today=TODAY)
        assert sorted(problems_of(err.value)) == [("certificate_number", "number_format"),
                                                  ("completed_on", "completed_on_future"), ("hours", "hours_range")]
        with pytest.raises(CompletionError) as err:
            completions.complete(db.session.get(Enrolment, e2), completed_on=date(2026, 9, 1), hours=36,
                                 certificate_number=None, org=body, today=TODAY)
        assert problems_of(err.value) == [("completed_on", "completed_before_start")]
    with As(tree, "r1m2") as other:  # another organiser may issue the same number
        completions.complete(db.session.get(Enrolment, e3), completed_on=date(2026, 11, 1), hours=36,
                             certificate_number="№ 15/2026", org=other, today=TODAY)
    with As(tree, "r1m1"):
        assert completions.next_certificate_number(tree.ids["r1m1"], 2026) == "2026-0001"


def test_the_unique_key_refuses_a_number_issued_meanwhile(ctx, tree, monkeypatch):
    """Two completions racing for one number: the unique key (organiser, number) refuses the
    second even if its check ran before the first was written."""
    course_id = _course(tree, "r1m1")
    _m1, e1 = _enrolled(tree, course_id, "r1m1s1", "Первый")
    _m2, e2 = _enrolled(tree, course_id, "r1m1s2", "Второй")
    with As(tree, "r1m1") as body:
        completions.complete(db.session.get(Enrolment, e1), completed_on=date(2026, 11, 1), hours=36,
                             certificate_number="7", org=body, today=TODAY)
    with As(tree, "r1m1") as body:
        monkeypatch.setattr(completions, "_number_taken", lambda *_a: False)  # the check saw nothing yet
        with pytest.raises(CompletionError) as err:
            completions.complete(db.session.get(Enrolment, e2), completed_on=date(2026, 11, 1), hours=36,
                                 certificate_number="7", org=body, today=TODAY)
        assert err.value.code == "number_taken"


def test_the_generated_certificate_names_the_person_and_is_audited(ctx, tree):
    from docx import Document

    course_id = _course(tree, "r1m1", title="Школа наставников", hours=72)
    _mentor_id, item_id = _enrolled(tree, course_id, "r1m1s1", "Соколова Вера Андреевна")
    with As(tree, "r1m1") as body:
        completion = completions.complete(db.session.get(Enrolment, item_id), completed_on=date(2026, 11, 20),
                                          hours=72, certificate_number="НС-12", org=body, today=TODAY)
        completion_id = completion.id
    with As(tree, "r1m1s1") as school:  # the school opens its mentor's certificate
        out = completions.open_certificate(db.session.get(TrainingCompletion, completion_id), org=school)
        assert out.filename == "certificate-12.docx" or out.filename.endswith(".docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(out.data)).paragraphs)
    for expected in ("СЕРТИФИКАТ", "№ НС-12", "Соколова Вера Андреевна", "«Школа наставников»", "72 часа",
                     "«20» ноября 2026 г.", "Управление 1.1"):
        assert expected in text
    with unscoped("test"):
        assert db.session.scalar(sa.select(AuditEvent.action).where(
            AuditEvent.action == "training.certificate_opened")) == "training.certificate_opened"


def test_a_course_taken_elsewhere_is_recorded_with_its_certificate(ctx, tree):
    mentor = _mentor(tree, "r1m1s1", "Новиков Олег")
    with As(tree, "r1m1s1") as school:
        db.session.scalar(sa.select(MentorProfile).where(MentorProfile.participant_id == mentor)).training_status = "none"
    with As(tree, "r1m1s1") as school:
        person = db.session.get(Participant, mentor)
        with pytest.raises(CompletionError) as err:
            completions.record_external(person, ExternalData(completed_on=None, hours=None), org=school, today=TODAY)
        assert sorted(problems_of(err.value)) == [("completed_on", "completed_on_required"),
                                                  ("course_title", "course_title_required"), ("hours", "hours_range"),
                                                  ("organiser_name", "organiser_required")]
        with pytest.raises(CompletionError) as err:
            completions.check_certificate("cert.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        assert problems_of(err.value) == [("certificate", "name_mismatch")]
        checked = completions.check_certificate("Удостоверение.pdf", PDF)
        completion = completions.record_external(
            person, ExternalData(course_title="Наставничество в образовании", organiser_name="ИРО",
                                 completed_on=date(2026, 6, 1), hours=72, certificate_number="ПК-0045"),
            certificate=checked, org=school, today=TODAY)
        completion_id = completion.id
    assert _profile_status(tree, "r1m1s1", mentor) == "completed"
    with As(tree, "r1m1") as body:  # the body above reads the certificate (shared upward)
        out = completions.open_certificate(db.session.get(TrainingCompletion, completion_id), org=body)
        assert (out.filename, out.content_type, out.data) == ("Удостоверение.pdf", "application/pdf", PDF)
    with As(tree, "r1m1s2"):
        assert db.session.get(TrainingCompletion, completion_id) is None


def test_erasure_cancels_enrolments_and_forgets_the_name(ctx, tree):
    course_id = _course(tree, "r1m1", capacity=2)
    mentor, item_id = _enrolled(tree, course_id, "r1m1s1", "Удаляемая Анна")
    with As(tree, "r1m1s1") as school:
        person = db.session.get(Participant, mentor)
        completions.record_external(person, ExternalData(course_title="Курс", organiser_name="ИРО",
                                                         completed_on=date(2026, 6, 1), hours=16),
                                    certificate=CheckedFile("c.pdf", "application/pdf", PDF), org=school, today=TODAY)
    with As(tree, "r1m1s1") as school:
        person = db.session.get(Participant, mentor)
        assert withdraw_consent(person.consents[0], date(2026, 11, 1), "отзыв", TODAY, org=school) is True
    with As(tree, "r1m1") as body:
        item = db.session.get(Enrolment, item_id)
        assert (item.status, item.display_name) == ("cancelled", "—")
        assert db.session.get(Course, course_id).seats_taken == 0
        done = db.session.scalars(sa.select(TrainingCompletion)).all()
        assert [(c.hours, c.certificate) for c in done] == [(16, None)]  # a figure, no file naming anyone
        assert body is not None
