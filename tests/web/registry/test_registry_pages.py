"""The registry through the web: the municipal body and the ministry see the consenting mentors
of their schools (a school only its own), search and filter them, export the XLSX (audited);
mentees appear as counts only; the training of mentors by organisation; pages whose query
count does not grow with the registry."""
from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.pairing import banks
from mentorship.pairing.banks import MentorData
from mentorship.pairing.pairs import create_mentorship
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent, Organization
from tests.support.queries import queries_of_get
from tests.support.school import make_mentee, make_participant, make_programme

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _client(app, login, tree, who):
    client = app.test_client()
    login(client, tree.emails[who])
    return client


def _mentor(app, tree, key, name, *, consent=True, status="none", **fields) -> int:
    with app.app_context(), tenant_scope(tree.ids[key], tree.paths[key]):
        school = db.session.get(Organization, tree.ids[key])
        person = make_participant(school.id, name, "teacher", birth_date=date(1985, 5, 5))
        banks.save_mentor_profile(person, MentorData(
            competencies=fields.get("competencies", ["academic"]), subjects=fields.get("subjects"),
            preferred_forms=["teacher_pupil"], capacity=3, training_status=status, publish_consent=consent, approved=True),
            org=school)
        db.session.commit()
        return person.id


def test_the_body_sees_its_schools_consenting_mentors(app, tree, login):
    _mentor(app, tree, "r1m1s1", "Иванова Мария", subjects="математика", status="completed")
    _mentor(app, tree, "r1m1s1", "Скрытный Иван", consent=False)
    _mentor(app, tree, "r1m1s2", "Петрова Анна", subjects="физика")
    _mentor(app, tree, "r1m2s1", "Чужая Нина")
    body = _client(app, login, tree, "r1m1.admin")
    page = body.get("/registry/").get_data(as_text=True)
    assert "Иванова Мария" in page and "Петрова Анна" in page
    assert "Скрытный Иван" not in page and "Чужая Нина" not in page
    assert "Школа 1.1.1" in page
    searched = body.get("/registry/?q=физ").get_data(as_text=True)
    assert "Петрова Анна" in searched and "Иванова Мария" not in searched
    trained = body.get("/registry/?trained=yes").get_data(as_text=True)
    assert "Иванова Мария" in trained and "Петрова Анна" not in trained
    by_school = body.get(f"/registry/?school={tree.ids['r1m1s2']}").get_data(as_text=True)
    assert "Петрова Анна" in by_school and "Иванова Мария" not in by_school
    assert 'id="registry-no-match"' in body.get("/registry/?q=никого").get_data(as_text=True)

    school = _client(app, login, tree, "r1m1s2.admin")  # a school sees what it shares, nothing of a sibling
    own = school.get("/registry/").get_data(as_text=True)
    assert "Петрова Анна" in own and "Иванова Мария" not in own

    ministry = _client(app, login, tree, "r1.staff")
    region = ministry.get("/registry/").get_data(as_text=True)
    assert all(name in region for name in ("Иванова Мария", "Петрова Анна", "Чужая Нина"))
    one_body = ministry.get(f"/registry/?body={tree.ids['r1m2']}").get_data(as_text=True)
    assert "Чужая Нина" in one_body and "Иванова Мария" not in one_body
    assert "Чужая Нина" not in _client(app, login, tree, "r2.admin").get("/registry/").get_data(as_text=True)


def test_the_export_is_audited(app, tree, login):
    from openpyxl import load_workbook

    _mentor(app, tree, "r1m1s1", "Иванова Мария")
    _mentor(app, tree, "r1m1s2", "Петрова Анна")
    body = _client(app, login, tree, "r1m1.admin")
    response = body.get(f"/registry/export.xlsx?school={tree.ids['r1m1s1']}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Иванова Мария"]
    with app.app_context(), unscoped("test"):
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "registry.exported"))
        assert event.details == {"rows": 1, "filters": {"school": tree.ids["r1m1s1"]}}


def test_mentees_are_counts_only(app, tree, login):
    mentor = _mentor(app, tree, "r1m1s1", "Иванова Мария")
    with app.app_context(), tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        from mentorship.people.models import Participant

        programme = make_programme(tree.ids["r1m1s1"], "teacher_pupil")
        pupils = [make_mentee(tree.ids["r1m1s1"], f"Ученик Тайный {n}") for n in range(3)]
        create_mentorship(programme, db.session.get(Participant, mentor), pupils[:2], date(2026, 9, 1))
        db.session.commit()
    body = _client(app, login, tree, "r1m1.admin")
    page = body.get("/registry/mentees").get_data(as_text=True)
    assert "Ученик Тайный" not in page
    row = page.split(f'data-org="{tree.ids["r1m1s1"]}" data-form="teacher_pupil"')[1].split("</tr>")[0]
    assert ">2<" in row.replace(" ", "")
    ministry = _client(app, login, tree, "r1.admin")
    region = ministry.get("/registry/mentees").get_data(as_text=True)
    assert f'data-org="{tree.ids["r1m1"]}"' in region and "Школа 1.1.1" not in region
    drilled = ministry.get(f"/registry/mentees?body={tree.ids['r1m1']}").get_data(as_text=True)
    assert "Школа 1.1.1" in drilled
    assert "Школа 2.1.1" not in ministry.get(f"/registry/mentees?body={tree.ids['r2m1']}").get_data(as_text=True)


def test_training_by_organisation(app, tree, login):
    _mentor(app, tree, "r1m1s1", "Иванова Мария", status="completed")
    _mentor(app, tree, "r1m1s1", "Скрытный Иван", consent=False, status="completed")
    _mentor(app, tree, "r1m1s1", "Новичок Пётр")
    body = _client(app, login, tree, "r1m1.admin")
    page = body.get("/registry/training").get_data(as_text=True)
    assert "Скрытный Иван" not in page  # counts, no names
    row = page.split(f'data-org="{tree.ids["r1m1s1"]}"')[1].split("</tr>")[0]
    cells = [c.split(">")[-1] for c in row.split("</td>")[:-1]]
    assert cells[:3] == ["3", "2", "66.7"]


def test_registry_pages_in_a_constant_number_of_queries(app, tree, login):
    for n in range(2):
        _mentor(app, tree, "r1m1s1", f"Наставник {n}")
    body = _client(app, login, tree, "r1m1.admin")
    few = [queries_of_get(app, body, url) for url in ("/registry/", "/registry/training", "/registry/mentees")]
    for n in range(8):
        _mentor(app, tree, "r1m1s2", f"Ещё наставник {n}")
    assert [queries_of_get(app, body, url) for url in ("/registry/", "/registry/training", "/registry/mentees")] \
        == few
