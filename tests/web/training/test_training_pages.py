"""Training through the web: a body creates a course with its programme, a school's curator
enrols a mentor (the last place refused with a clear message), the organiser schedules a
session, marks attendance and completion, the certificate downloads, the mentor bank shows
the mentor trained (and filters by it); a course taken elsewhere; who may do what."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import gettext
from markupsafe import escape

from core.extensions import db
from mentorship.people.models import MentorProfile
from mentorship.training.completions import CompletionError
from mentorship.training.courses import CourseError
from mentorship.training.enrolment import CourseFull, EnrolmentError
from mentorship.training.models import Attendance, Course, CourseSession, Enrolment, TrainingCompletion
from tenants.context import tenant_scope, unscoped
from tests.conftest import csrf_token_from
from tests.support.school import make_mentor
from tests.support.training import make_course

pytestmark = pytest.mark.backends("sqlite", "postgresql")

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _t(app, text, **kwargs) -> str:
    """``text`` as the page shows it (default language, HTML-escaped like Jinja does)."""
    with app.test_request_context():
        return str(escape(gettext(text, **kwargs)))


def _err(app, error) -> str:
    """A refusal's message as the page shows it."""
    with app.test_request_context():
        return str(escape(error.message))


def _client(app, login, tree, who):
    client = app.test_client()
    login(client, tree.emails[who])
    return client


def _post(client, url, data=None, page=None, **kwargs):
    token = csrf_token_from(client.get(page or url, follow_redirects=True))
    return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)


def _mentor(app, tree, key, name, status="none") -> int:
    with app.app_context(), tenant_scope(tree.ids[key], tree.paths[key]):
        person = make_mentor(tree.ids[key], name)
        person.mentor_profile.training_status = status
        db.session.commit()
        return person.id


def _course(app, tree, key="r1m1", **fields) -> int:
    with app.app_context(), tenant_scope(tree.ids[key], tree.paths[key]):
        course = make_course(tree.ids[key], fields.pop("title", "Школа наставников"), **fields)
        db.session.commit()
        return course.id


def _count(app, model) -> int:
    with app.app_context(), unscoped("test"):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_body_creates_a_course_with_its_programme(app, tree, login):
    body = _client(app, login, tree, "r1m1.staff")
    bad = _post(body, "/training/new", {"title": "Вебинар", "kind": "webinar", "format": "online", "link": "",
                                        "hours": "2", "capacity": "100", "audience": "mentors"})
    assert bad.status_code == 200
    assert _err(app, CourseError("link_required")) in bad.get_data(as_text=True)
    assert _count(app, Course) == 0
    response = _post(body, "/training/new", {
        "title": "Вебинар «Роль наставника»", "kind": "webinar", "format": "online",
        "link": "https://meet.example.ru/w1", "hours": "2", "capacity": "100", "audience": "mentors",
        "form_codes": ["teacher_pupil"], "starts_on": "2026-12-01", "ends_on": "2026-12-01", "enrolment_open": "y",
        "programme": (io.BytesIO(PDF), "Программа.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    course_id = int(re.search(r"/training/(\d+)$", response.headers["Location"]).group(1))
    page = body.get(f"/training/{course_id}").get_data(as_text=True)
    assert "Вебинар «Роль наставника»" in page and "https://meet.example.ru/w1" in page and "Программа.pdf" in page
    download = body.get(f"/training/{course_id}/programme")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    refused = _post(body, "/training/new", {"title": "x", "kind": "seminar", "format": "in_person", "hours": "2",
                                            "capacity": "5", "audience": "mentors",
                                            "programme": (io.BytesIO(b"MZ\x90\x00binary"), "virus.pdf")},
                    content_type="multipart/form-data")
    assert _err(app, CourseError("type_not_allowed")) in refused.get_data(as_text=True)
    assert _count(app, Course) == 1


def test_who_may_organise_and_who_sees(app, tree, login):
    course_id = _course(app, tree, "r1m1s1", title="Школа наставников школы")
    analyst = _client(app, login, tree, "r1.staff")  # the ministry's analyst reads only
    assert analyst.get("/training/new").status_code == 403
    assert analyst.get(f"/training/{course_id}").status_code == 200  # the line above sees it
    assert analyst.get(f"/training/{course_id}/edit").status_code == 404  # not the organiser
    sibling = _client(app, login, tree, "r1m1s2.admin")
    assert sibling.get(f"/training/{course_id}").status_code == 404
    assert "Школа наставников школы" not in sibling.get("/training/").get_data(as_text=True)
    school = _client(app, login, tree, "r1m1s1.staff")
    listing = school.get("/training/").get_data(as_text=True)
    assert f'data-course="{course_id}"' in listing
    assert school.get("/training/?q=нет такого").get_data(as_text=True).count('id="courses-no-match"') == 1


def test_from_enrolment_to_the_trained_mentor_in_the_bank(app, tree, login):
    course_id = _course(app, tree, "r1m1", capacity=1, title="Школа наставников управления", hours=24)
    mentor = _mentor(app, tree, "r1m1s1", "Смирнова Ольга")
    other = _mentor(app, tree, "r1m1s2", "Соседова Анна")
    curator = _client(app, login, tree, "r1m1s1.staff")
    page = curator.get(f"/training/{course_id}").get_data(as_text=True)
    assert 'id="enrol-mentor"' in page and "Смирнова Ольга" in page
    assert _post(curator, f"/training/{course_id}/enrol-mentor", {"person": str(mentor)},
                 page=f"/training/{course_id}").status_code == 302
    shown = curator.get(f"/training/{course_id}").get_data(as_text=True)
    assert "Смирнова Ольга" in shown and _t(app, "%(left)d left of %(total)d", left=0, total=1) in shown
    assert 'data-training="in_progress"' in curator.get("/school/banks/mentors").get_data(as_text=True)

    neighbour = _client(app, login, tree, "r1m1s2.staff")
    full = _post(neighbour, f"/training/{course_id}/enrol-mentor", {"person": str(other)},
                 page=f"/training/{course_id}")
    assert full.status_code == 400
    assert _err(app, CourseFull("full")) in full.get_data(as_text=True)
    assert "Смирнова Ольга" not in neighbour.get(f"/training/{course_id}").get_data(as_text=True)

    body = _client(app, login, tree, "r1m1.admin")
    assert _post(body, f"/training/{course_id}/sessions", {"held_on": "2026-10-05", "topic": "Введение",
                                                           "starts_at": "15:00", "duration_hours": "2"},
                 page=f"/training/{course_id}").status_code == 302
    with app.app_context(), unscoped("test"):
        session_id = db.session.scalar(sa.select(CourseSession.id))
        enrolment_id = db.session.scalar(sa.select(Enrolment.id))
    url = f"/training/{course_id}/sessions/{session_id}/attendance"
    assert "Смирнова Ольга" in body.get(url).get_data(as_text=True)
    assert _post(body, url, {"present": [str(enrolment_id)]}).status_code == 302
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(Attendance.present)) is True
    complete = f"/training/enrolments/{enrolment_id}/complete"
    assert curator.get(complete).status_code == 404  # only the organiser marks completion
    assert _post(body, complete, {"completed_on": "2026-11-20", "hours": "24", "certificate_number": ""}).status_code \
        == 302
    with app.app_context(), unscoped("test"):
        completion = db.session.scalar(sa.select(TrainingCompletion))
        assert (completion.certificate_number, completion.org_id) == ("2026-0001", tree.ids["r1m1s1"])
        assert db.session.scalar(sa.select(MentorProfile.training_status)
                                 .where(MentorProfile.participant_id == mentor)) == "completed"
    bank = curator.get("/school/banks/mentors?training=completed").get_data(as_text=True)
    assert f'data-participant="{mentor}"' in bank and "Школа наставников управления" in bank
    assert f'data-participant="{mentor}"' not in curator.get("/school/banks/mentors?training=none").get_data(
        as_text=True)
    certificate = curator.get(f"/training/completions/{completion.id}/certificate")
    assert certificate.status_code == 200 and certificate.data[:2] == b"PK"
    assert certificate.headers["Cache-Control"] == "no-store"
    assert neighbour.get(f"/training/completions/{completion.id}/certificate").status_code == 404
    listing = curator.get("/training/completions").get_data(as_text=True)
    assert "Смирнова Ольга" in listing and "2026-0001" in listing


def test_cancel_frees_the_place(app, tree, login):
    course_id = _course(app, tree, "r1m1", capacity=1)
    mentor = _mentor(app, tree, "r1m1s1", "Смирнова Ольга")
    curator = _client(app, login, tree, "r1m1s1.staff")
    _post(curator, f"/training/{course_id}/enrol-mentor", {"person": str(mentor)}, page=f"/training/{course_id}")
    with app.app_context(), unscoped("test"):
        enrolment_id = db.session.scalar(sa.select(Enrolment.id))
    assert _post(curator, f"/training/enrolments/{enrolment_id}/cancel", page=f"/training/{course_id}") \
        .status_code == 302
    assert _t(app, "%(left)d left of %(total)d", left=1, total=1) in curator.get(f"/training/{course_id}").get_data(
        as_text=True)
    again = _post(curator, f"/training/enrolments/{enrolment_id}/cancel", page=f"/training/{course_id}",
                  follow_redirects=True)
    assert _err(app, EnrolmentError("not_enrolled")) in again.get_data(as_text=True)


def test_staff_enrolment_by_e_mail(app, tree, login):
    course_id = _course(app, tree, "r1m1", audience="curators", title="Семинар кураторов")
    body = _client(app, login, tree, "r1m1.admin")
    page = body.get(f"/training/{course_id}").get_data(as_text=True)
    assert 'id="enrol-staff"' in page and 'id="enrol-mentor"' not in page
    unknown = _post(body, f"/training/{course_id}/enrol-staff", {"email": "r2m1s1-staff@test.ru"},
                    page=f"/training/{course_id}")
    assert unknown.status_code == 400
    assert _err(app, EnrolmentError("member_unknown")) in unknown.get_data(as_text=True)
    assert _post(body, f"/training/{course_id}/enrol-staff", {"email": "r1m1s1-staff@test.ru"},
                 page=f"/training/{course_id}").status_code == 302
    with app.app_context(), unscoped("test"):
        item = db.session.scalar(sa.select(Enrolment))
        assert (item.org_id, item.role) == (tree.ids["r1m1s1"], "staff")


def test_a_course_taken_elsewhere(app, tree, login):
    mentor = _mentor(app, tree, "r1m1s1", "Новиков Олег")
    curator = _client(app, login, tree, "r1m1s1.staff")
    url = "/training/completions/external"
    assert "Новиков Олег" in curator.get(url).get_data(as_text=True)
    bad = _post(curator, url, {"participant_id": str(mentor), "course_title": "Курсы ИРО", "organiser_name": "ИРО",
                               "completed_on": "2026-06-01", "hours": "72",
                               "certificate": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 40), "cert.pdf")},
                content_type="multipart/form-data")
    assert _err(app, CompletionError("name_mismatch")) in bad.get_data(as_text=True)
    assert _count(app, TrainingCompletion) == 0
    assert _post(curator, url, {"participant_id": str(mentor), "course_title": "Курсы ИРО", "organiser_name": "ИРО",
                                "completed_on": "2026-06-01", "hours": "72", "certificate_number": "ПК-1",
                                "certificate": (io.BytesIO(PDF), "cert.pdf")},
                 content_type="multipart/form-data").status_code == 302
    with app.app_context(), unscoped("test"):
        completion = db.session.scalar(sa.select(TrainingCompletion))
        assert db.session.scalar(sa.select(MentorProfile.training_status)
                                 .where(MentorProfile.participant_id == mentor)) == "completed"
    download = curator.get(f"/training/completions/{completion.id}/certificate")
    assert download.data == PDF
    body = _client(app, login, tree, "r1m1.admin")
    assert body.get(url).status_code == 404  # a school's page
    assert body.get(f"/training/completions/{completion.id}/certificate").status_code == 200  # seen upward


def test_the_catalogue_loads_in_a_constant_number_of_queries(app, tree, login):
    from tests.support.queries import queries_of_get

    for n in range(3):
        _course(app, tree, "r1m1", title=f"Курс {n}")
    client = _client(app, login, tree, "r1m1s1.staff")
    few = queries_of_get(app, client, "/training/")
    for n in range(12):
        _course(app, tree, "r1", title=f"Курс региона {n}", starts_on=date(2026, 12, 1))
    assert queries_of_get(app, client, "/training/") == few


def test_the_organiser_edits_the_course_and_its_schedule(app, tree, login):
    course_id = _course(app, tree, "r1m1", capacity=3, seats_taken=2)
    body = _client(app, login, tree, "r1m1.admin")
    page = body.get(f"/training/{course_id}/edit").get_data(as_text=True)
    assert 'value="Школа наставников"' in page
    form = {"title": "Школа наставников (весна)", "kind": "school_of_mentors", "format": "in_person", "hours": "36",
            "capacity": "1", "audience": "mentors", "enrolment_open": "y"}
    refused = _post(body, f"/training/{course_id}/edit", form)
    assert _err(app, CourseError("capacity_below_taken", taken=2)) in refused.get_data(as_text=True)
    assert _post(body, f"/training/{course_id}/edit", {**form, "capacity": "5"}).status_code == 302
    assert "Школа наставников (весна)" in body.get(f"/training/{course_id}").get_data(as_text=True)
    mentor = _mentor(app, tree, "r1m1s1", "Смирнова Ольга")
    curator = _client(app, login, tree, "r1m1s1.staff")
    _post(curator, f"/training/{course_id}/enrol-mentor", {"person": str(mentor)}, page=f"/training/{course_id}")
    _post(body, f"/training/{course_id}/sessions", {"held_on": "2026-10-05", "topic": "Введение"},
          page=f"/training/{course_id}")
    with app.app_context(), unscoped("test"):
        session_id = db.session.scalar(sa.select(CourseSession.id))
        enrolment_id = db.session.scalar(sa.select(Enrolment.id))
    _post(body, f"/training/{course_id}/sessions/{session_id}/attendance", {"present": [str(enrolment_id)]})
    assert _count(app, Attendance) == 1
    assert _post(body, f"/training/{course_id}/sessions/{session_id}/delete", page=f"/training/{course_id}") \
        .status_code == 302
    assert _count(app, CourseSession) == _count(app, Attendance) == 0
    assert curator.post(f"/training/{course_id}/sessions/{session_id}/delete").status_code in (400, 404)
