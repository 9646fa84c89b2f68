"""The municipal registry (domain): an entry follows the mentor's questionnaire, consent, bank,
name and training at once; it is seen upward, never by a sibling school; minors never enter
it; search and filters; counts of mentors and mentees per organisation (counts only); the
XLSX export with its audit event."""
from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.pairing import banks
from mentorship.pairing.banks import MentorData
from mentorship.pairing.pairs import create_mentorship
from mentorship.people import participants
from mentorship.people.consents import withdraw_consent
from mentorship.people.models import Participant
from mentorship.registry import counts, entries, workbook
from mentorship.registry.entries import RegistryFilters
from mentorship.registry.models import RegistryEntry
from mentorship.training import completions, enrolment
from mentorship.training.models import Course, Enrolment
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent, Organization
from tests.support.school import make_mentee, make_participant, make_programme
from tests.support.training import make_course

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)
FORMS = {"teacher_pupil", "teacher_teacher", "teacher_pupil_sen", "pupil_pupil", "student_pupil"}


class As:
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


def _questionnaire(**overrides) -> MentorData:
    data = MentorData(competencies=["academic", "career"], subjects="математика", preferred_forms=["teacher_pupil"],
                      capacity=2, interview_result="passed", training_status="none", approved=True,
                      publish_consent=True)
    for name, value in overrides.items():
        setattr(data, name, value)
    return data


def _add_mentor(tree, key, name, **overrides) -> int:
    with As(tree, key) as school:
        person = make_participant(school.id, name, "teacher", class_or_position="учитель математики",
                                  birth_date=date(1980, 3, 3))
        banks.save_mentor_profile(person, _questionnaire(**overrides), org=school)
        return person.id


def _names(key, tree, **filters) -> list[str]:
    with As(tree, key):
        return [e.full_name for e in db.session.scalars(
            entries.registry_query(RegistryFilters(**filters), FORMS, {"academic", "career", "leadership"}))]


def test_a_consenting_mentor_enters_the_registry_seen_upward_only(ctx, tree):
    mentor = _add_mentor(tree, "r1m1s1", "Иванова Мария")
    _add_mentor(tree, "r1m1s1", "Без согласия", publish_consent=False)
    with As(tree, "r1m1s1"):
        entry = db.session.scalar(sa.select(RegistryEntry))
        assert (entry.participant_id, entry.full_name, entry.category, entry.position) == \
            (mentor, "Иванова Мария", "teacher", "учитель математики")
        assert (entry.competencies, entry.forms, entry.subjects, entry.trained) == \
            (["academic", "career"], ["teacher_pupil"], "математика", False)
    assert _names("r1m1", tree) == _names("r1", tree) == ["Иванова Мария"]
    assert _names("r1m1s2", tree) == _names("r1m2", tree) == _names("r2", tree) == []


def test_the_entry_follows_the_questionnaire_and_leaves_at_once(ctx, tree):
    mentor = _add_mentor(tree, "r1m1s1", "Петрова Анна", preferred_forms=[])
    with As(tree, "r1m1s1"):  # no form chosen: every form of the mentor's category
        assert set(db.session.scalar(sa.select(RegistryEntry.forms))) == {"teacher_teacher", "teacher_pupil",
                                                                          "teacher_pupil_sen"}
    with As(tree, "r1m1s1") as school:
        person = db.session.get(Participant, mentor)
        data = participants.data_of(person)
        data.full_name = "Петрова-Сидорова Анна"
        participants.update_participant(person, data, TODAY, org=school)
    assert _names("r1m1", tree) == ["Петрова-Сидорова Анна"]
    with As(tree, "r1m1s1") as school:  # the consent withdrawn in the questionnaire
        banks.save_mentor_profile(db.session.get(Participant, mentor), _questionnaire(publish_consent=False),
                                  org=school)
    assert _names("r1m1", tree) == []
    with As(tree, "r1m1s1") as school:
        banks.save_mentor_profile(db.session.get(Participant, mentor), _questionnaire(), org=school)
    assert _names("r1m1", tree) == ["Петрова-Сидорова Анна"]
    with As(tree, "r1m1s1") as school:  # out of the bank
        banks.remove_mentor(db.session.get(Participant, mentor), org=school)
    assert _names("r1m1", tree) == []


def test_erasure_removes_the_entry_in_the_same_transaction(ctx, tree):
    mentor = _add_mentor(tree, "r1m1s1", "Удаляемый Олег")
    with As(tree, "r1m1s1") as school:
        person = db.session.get(Participant, mentor)
        assert withdraw_consent(person.consents[0], date(2026, 11, 1), "отзыв", TODAY, org=school)
        assert db.session.scalar(sa.select(sa.func.count(RegistryEntry.id))) == 0
    assert _names("r1m1", tree) == []
    with unscoped("test"):
        assert "registry_entries" in db.session.scalar(sa.text("SELECT fields FROM destruction_records"))


def test_a_minor_mentor_never_enters_the_registry(ctx, tree):
    with As(tree, "r1m1s1") as school:
        pupil = make_participant(school.id, "Школьник Наставник", "pupil", birth_date=date(2010, 1, 1))
        banks.save_mentor_profile(pupil, _questionnaire(preferred_forms=["pupil_pupil"]), org=school)
    assert _names("r1m1", tree) == []


def test_a_completed_training_shows_in_the_entry(ctx, tree):
    mentor = _add_mentor(tree, "r1m1s1", "Обучаемая Вера")
    with As(tree, "r1m1") as body:
        course_id = make_course(body.id, "Школа наставников муниципалитета", hours=36).id
    with As(tree, "r1m1s1") as school:
        item = enrolment.enrol_mentor(db.session.get(Course, course_id), db.session.get(Participant, mentor),
                                      org=school, today=TODAY)
        item_id = item.id
    with As(tree, "r1m1"):
        entry = db.session.scalar(sa.select(RegistryEntry))
        assert (entry.trained, entry.training_title) == (False, None)
    with As(tree, "r1m1") as body:  # the organiser marks the completion: the school's entry follows
        completions.complete(db.session.get(Enrolment, item_id), completed_on=date(2026, 11, 20), hours=36,
                             certificate_number=None, org=body, today=TODAY)
    with As(tree, "r1m1"):
        entry = db.session.scalar(sa.select(RegistryEntry))
        assert (entry.trained, entry.training_title, entry.trained_on, entry.training_hours) == \
            (True, "Школа наставников муниципалитета", date(2026, 11, 20), 36)
    assert _names("r1", tree, trained="yes") == ["Обучаемая Вера"]
    assert _names("r1", tree, trained="no") == []


def test_search_and_filters(ctx, tree):
    _add_mentor(tree, "r1m1s1", "Алексеева Ольга", competencies=["leadership"], subjects="история")
    _add_mentor(tree, "r1m1s2", "Борисов Игорь", preferred_forms=["teacher_teacher"])
    _add_mentor(tree, "r1m2s1", "Васильева Нина")
    assert _names("r1", tree) == ["Алексеева Ольга", "Борисов Игорь", "Васильева Нина"]  # by school, then name
    assert _names("r1", tree, q="ИСТОР") == ["Алексеева Ольга"]
    assert _names("r1", tree, competency="leadership") == ["Алексеева Ольга"]
    assert _names("r1", tree, form="teacher_teacher") == ["Борисов Игорь"]
    assert _names("r1", tree, form="unknown") == _names("r1", tree)  # an unknown code is ignored
    assert _names("r1", tree, body=tree.ids["r1m2"]) == ["Васильева Нина"]
    assert _names("r1m1", tree, school=tree.ids["r1m1s2"]) == ["Борисов Игорь"]
    assert _names("r1m1", tree, category="pupil") == []
    with As(tree, "r1") as ministry:
        assert [name for _id, name in entries.bodies_of(ministry)] == ["Управление 1.1", "Управление 1.2"]
        assert len(entries.schools_of(ministry)) == 4
        page = db.session.scalars(entries.registry_query(RegistryFilters(), FORMS, set())).all()
        where = entries.places(page)
        assert {(p.school, p.body) for p in where.values()} == {("Школа 1.1.1", "Управление 1.1"),
                                                                ("Школа 1.1.2", "Управление 1.1"),
                                                                ("Школа 1.2.1", "Управление 1.2")}


def test_counts_per_organisation_below_the_viewer(ctx, tree):
    _add_mentor(tree, "r1m1s1", "Наставник 1")
    _add_mentor(tree, "r1m1s1", "Наставник 2", training_status="completed", publish_consent=False)
    _add_mentor(tree, "r1m1s2", "Наставник 3", training_status="in_progress")
    with As(tree, "r1m1s1") as school:
        mentor = db.session.scalar(sa.select(Participant).where(Participant.full_name == "Наставник 1"))
        programme = make_programme(school.id, "teacher_pupil")
        pupils = [make_mentee(school.id, f"Ученик {n}") for n in range(3)]
        make_mentee(school.id, "Студент", "student")
        create_mentorship(programme, mentor, pupils[:2], date(2026, 9, 1))
    with As(tree, "r1m1") as body:
        mentors = counts.mentor_counts(body)
        s1, s2 = tree.ids["r1m1s1"], tree.ids["r1m1s2"]
        assert (mentors[s1].bank, mentors[s1].trained, mentors[s1].in_registry, mentors[s1].trained_share) == \
            (2, 1, 1, 50.0)
        assert (mentors[s2].bank, mentors[s2].in_training, mentors[s2].in_registry) == (1, 1, 1)
        mentees = counts.mentee_counts(body)
        assert mentees[s1].in_bank == {"pupil": 3, "student": 1}
        assert mentees[s1].paired == {"pupil": 2} and mentees[s1].by_form == {"teacher_pupil": {"pupil": 2}}
        assert s2 not in mentees
        assert [g for g, _n in counts.groups(body)] == [s1, s2]
    with As(tree, "r1") as ministry:  # the region by municipal body
        mentors = counts.mentor_counts(ministry)
        assert set(mentors) == {tree.ids["r1m1"]} and mentors[tree.ids["r1m1"]].bank == 3
        assert counts.mentee_counts(ministry)[tree.ids["r1m1"]].paired_total == 2
        body = db.session.get(Organization, tree.ids["r1m2"])
        assert counts.mentor_counts(body) == {}


def test_the_export_is_a_workbook_and_is_audited(ctx, tree):
    from openpyxl import load_workbook

    _add_mentor(tree, "r1m1s1", "=HYPERLINK(\"x\")", subjects="+7 физика")
    _add_mentor(tree, "r1m1s2", "Борисов Игорь")
    with As(tree, "r1m1") as body:
        data = workbook.export_registry(RegistryFilters(school=tree.ids["r1m1s1"]), body)
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[0]) == 13
    assert len(rows) == 2 and rows[1][0] == "=HYPERLINK(\"x\")" and rows[1][1] == "Школа 1.1.1"
    assert sheet.cell(2, 1).data_type == "s"
    with unscoped("test"):
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "registry.exported"))
        assert event.details["rows"] == 1 and event.org_id == tree.ids["r1m1"]


def test_rebuild_writes_the_entries_of_a_school(ctx, tree):
    mentor = _add_mentor(tree, "r1m1s1", "Восстановленная")
    with As(tree, "r1m1s1") as school:
        db.session.execute(sa.delete(RegistryEntry))
        assert entries.rebuild_school(school) == 1
        assert db.session.scalar(sa.select(RegistryEntry.participant_id)) == mentor
