"""The mentor and mentee banks (domain): entering a bank under the consent rule, the capacity
rule, removal refused while paired, requests and follow-up, the bank queries and their
filters, the batched iteration and the XLSX export."""
from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from core.extensions import db
from mentorship.pairing import bank_export, banks
from mentorship.pairing.banks import BankError, MenteeData, MenteeFilters, MentorData, MentorFilters
from mentorship.pairing.models import Mentorship
from mentorship.pairing.pairs import create_mentorship
from mentorship.people.models import MenteeRequest, MentorProfile, Participant
from tenants.context import tenant_scope
from tenants.models import AuditEvent, Organization
from tests.support.school import make_mentee, make_mentor, make_participant, make_programme

pytestmark = pytest.mark.backends("sqlite", "postgresql")

S = "r1m1s1"


@pytest.fixture
def school(ctx, tree):
    """Acting as school r1m1s1: yields its Organization."""
    with tenant_scope(tree.ids[S], tree.paths[S]):
        yield db.session.get(Organization, tree.ids[S])


def _actions(org) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.org_id == org.id, AuditEvent.action.startswith("bank.")).order_by(AuditEvent.id)))


def _pair(org, mentor, mentees):
    programme = make_programme(org.id, "teacher_pupil")
    return create_mentorship(programme, mentor, mentees, date(2026, 9, 1))


# ---------------------------------------------------------------------------- the mentor bank


def test_questionnaire_puts_a_consented_teacher_in_the_mentor_bank(school):
    teacher = make_participant(school.id, "Смирнова Ольга", "teacher")
    data = MentorData(competencies=["career", "academic"], subjects=" математика ", preferred_forms=["teacher_pupil"],
                      capacity=3, hours_per_month=8, interview_result="passed", training_status="in_progress",
                      approved=True)
    profile = banks.save_mentor_profile(teacher, data, org=school)
    db.session.commit()
    assert teacher.in_mentor_bank and profile.participant_id == teacher.id
    assert profile.competencies == ["academic", "career"]  # catalogue order
    assert profile.subjects == "математика" and profile.capacity == 3 and profile.approved
    assert _actions(school) == ["bank.mentor_added"]
    banks.save_mentor_profile(teacher, MentorData(capacity=4), org=school)
    db.session.commit()
    assert teacher.mentor_profile.capacity == 4 and teacher.mentor_profile.competencies == []
    assert _actions(school)[-1] == "bank.mentor_updated"
    assert db.session.scalar(sa.select(sa.func.count(MentorProfile.id))) == 1


@pytest.mark.parametrize("case", ["no_consent", "withdrawn", "anonymised"])
def test_no_bank_without_a_valid_consent(school, case):
    person = make_participant(school.id, "Без согласия", "teacher", consent=case != "no_consent")
    if case == "withdrawn":
        person.consents[0].withdrawn_on = date(2025, 1, 10)
    if case == "anonymised":
        person.anonymised_at = datetime(2025, 1, 10, tzinfo=UTC)
    db.session.commit()
    with pytest.raises(BankError) as err:
        banks.save_mentor_profile(person, MentorData(capacity=2), org=school)
    assert err.value.code == ("anonymised" if case == "anonymised" else "no_consent")
    with pytest.raises(BankError):
        banks.save_mentee_profile(person, MenteeData(), org=school)
    db.session.rollback()
    person = db.session.get(Participant, person.id)
    assert not person.in_mentor_bank and not person.in_mentee_bank
    assert person.mentor_profile is None and person.mentee_profile is None
    assert _actions(school) == []


def test_capacity_never_below_the_current_load(school):
    mentor = make_mentor(school.id, "Иванова Мария", capacity=3)
    mentees = [make_mentee(school.id, f"Ученик {i}") for i in range(2)]
    _pair(school, mentor, mentees)
    db.session.commit()
    with pytest.raises(BankError) as err:
        banks.save_mentor_profile(mentor, MentorData(capacity=1), org=school)
    assert err.value.code == "capacity_below_load" and "(2)" in err.value.message
    db.session.rollback()
    assert db.session.get(Participant, mentor.id).mentor_profile.capacity == 3
    banks.save_mentor_profile(mentor, MentorData(capacity=2), org=school)  # equal to the load: fine
    assert mentor.mentor_profile.capacity == 2


@pytest.mark.parametrize("data,code", [
    (MentorData(capacity=0), "capacity_range"),
    (MentorData(capacity=31), "capacity_range"),
    (MentorData(capacity=2, competencies=["magic"]), "bad_choice"),
    (MentorData(capacity=2, preferred_forms=["nope"]), "bad_choice"),
    (MentorData(capacity=2, hours_per_month=500), "bad_hours"),
])
def test_questionnaire_values_are_checked(school, data, code):
    teacher = make_participant(school.id, "Учитель", "teacher")
    with pytest.raises(BankError) as err:
        banks.save_mentor_profile(teacher, data, org=school)
    assert err.value.code == code


def test_removal_from_the_mentor_bank_is_refused_while_mentoring(school):
    mentor = make_mentor(school.id, "Иванова Мария")
    pair = _pair(school, mentor, [make_mentee(school.id, "Петров Илья")])
    db.session.commit()
    with pytest.raises(BankError) as err:
        banks.remove_mentor(mentor, org=school)
    assert err.value.code == "mentor_has_pairs"
    db.session.rollback()
    pair = db.session.get(Mentorship, pair.id)
    pair.status, pair.ended_on = "completed", date(2026, 11, 1)
    mentor = db.session.get(Participant, mentor.id)
    banks.remove_mentor(mentor, org=school)
    db.session.commit()
    assert not mentor.in_mentor_bank and not mentor.mentor_profile.approved  # kept, approval withdrawn
    assert _actions(school)[-1] == "bank.mentor_removed"


def test_employers_can_mentor_but_are_not_mentees(school):
    from mentorship.people.models import Enterprise

    plant = Enterprise(org_id=school.id, name="Завод")
    db.session.add(plant)
    db.session.flush()
    employer = make_participant(school.id, "Работодатель", "employer", enterprise_id=plant.id)
    banks.save_mentor_profile(employer, MentorData(capacity=2), org=school)
    with pytest.raises(BankError) as err:
        banks.save_mentee_profile(employer, MenteeData(), org=school)
    assert err.value.code == "mentee_category"


# ---------------------------------------------------------------------------- the mentee bank


def test_mentee_profile_with_its_first_request_and_follow_up(school):
    pupil = make_participant(school.id, "Ученица", "pupil")
    banks.save_mentee_profile(pupil, MenteeData(interests="шахматы", request_kind="career",
                                                request_source="certification", request_note="9 класс"), org=school)
    db.session.commit()
    assert pupil.in_mentee_bank and pupil.mentee_profile.interests == "шахматы"
    [request] = pupil.requests
    assert (request.kind, request.source, request.note, request.closed) == ("career", "certification", "9 класс", False)
    banks.set_follow_up(pupil, "psych_support", "к психологу", org=school)
    assert pupil.mentee_profile.follow_up == "psych_support"
    second = banks.add_request(pupil, "adaptation", "parents", None, org=school)
    banks.close_request(request, org=school)
    db.session.commit()
    assert request.closed and not second.closed
    with pytest.raises(BankError) as err:
        banks.close_request(request, org=school)
    assert err.value.code == "request_closed"
    assert _actions(school) == ["bank.mentee_added", "bank.request_added", "bank.follow_up_changed",
                                "bank.request_added", "bank.request_closed"]


def test_requests_only_for_mentees_of_the_bank_and_known_codes(school):
    pupil = make_participant(school.id, "Не в банке", "pupil")
    with pytest.raises(BankError) as err:
        banks.add_request(pupil, "academic", "self", None, org=school)
    assert err.value.code == "not_in_mentee_bank"
    mentee = make_mentee(school.id, "В банке")
    with pytest.raises(BankError) as err:
        banks.add_request(mentee, "academic", "the_internet", None, org=school)
    assert err.value.code == "bad_choice"


def test_removal_from_the_mentee_bank_is_refused_while_paired(school):
    mentor = make_mentor(school.id, "Иванова Мария")
    paired = make_mentee(school.id, "Петров Илья")
    spare = make_mentee(school.id, "Сидорова Анна", requests=["career", "academic"])
    _pair(school, mentor, [paired])
    db.session.commit()
    with pytest.raises(BankError) as err:
        banks.remove_mentee(paired, org=school)
    assert err.value.code == "mentee_has_pair"
    db.session.rollback()
    spare = db.session.get(Participant, spare.id)
    banks.remove_mentee(spare, org=school)
    db.session.commit()
    assert not spare.in_mentee_bank and all(r.closed for r in spare.requests)
    assert db.session.get(Participant, paired.id).in_mentee_bank


# ---------------------------------------------------------------------------- queries


def _names(stmt) -> list[str]:
    return [p.full_name for p in db.session.scalars(stmt).unique()]


def test_mentor_bank_search_and_filters(school):
    algebra = make_mentor(school.id, "Анна Алгебраова", competencies=["academic"], capacity=1)
    algebra.mentor_profile.subjects = "алгебра"
    busy = make_mentor(school.id, "Борис Занятой", competencies=["career", "leadership"], capacity=1)
    new = make_mentor(school.id, "Вера Новая", competencies=["projects"], approved=False)
    new.mentor_profile.training_status = "in_progress"
    gone = make_mentor(school.id, "Стёртый Наставник")
    gone.anonymised_at = datetime(2025, 1, 1, tzinfo=UTC)
    make_participant(school.id, "Не в банке", "teacher")
    _pair(school, busy, [make_mentee(school.id, "Ученик")])
    db.session.commit()

    assert _names(banks.mentor_bank_query(MentorFilters())) == ["Анна Алгебраова", "Борис Занятой", "Вера Новая"]
    assert _names(banks.mentor_bank_query(MentorFilters(q="алгебра"))) == ["Анна Алгебраова"]  # by subject
    assert _names(banks.mentor_bank_query(MentorFilters(q="Борис"))) == ["Борис Занятой"]
    assert _names(banks.mentor_bank_query(MentorFilters(q="100%"))) == []  # wildcards are literal
    assert _names(banks.mentor_bank_query(MentorFilters(competency="leadership"))) == ["Борис Занятой"]
    assert _names(banks.mentor_bank_query(MentorFilters(approved="no"))) == ["Вера Новая"]
    assert _names(banks.mentor_bank_query(MentorFilters(training="in_progress"))) == ["Вера Новая"]
    assert _names(banks.mentor_bank_query(MentorFilters(free=True))) == ["Анна Алгебраова", "Вера Новая"]
    assert _names(banks.mentor_bank_query(MentorFilters(category="pupil"))) == []
    people = db.session.scalars(banks.mentor_bank_query(MentorFilters())).unique().all()
    assert banks.mentor_loads(people) == {busy.id: 1}


def test_mentee_bank_search_and_filters(school):
    mentor = make_mentor(school.id, "Наставник", capacity=5)
    paired = make_mentee(school.id, "Анна Парная", requests=["academic"], class_or_position="7Б")
    waiting = make_mentee(school.id, "Борис Ждущий", requests=["career"])
    waiting.mentee_profile.follow_up = "continued_search"
    closed = make_mentee(school.id, "Вера Закрытая", requests=["career"])
    closed.requests[0].closed = True
    _pair(school, mentor, [paired])
    db.session.commit()

    everyone = ["Анна Парная", "Борис Ждущий", "Вера Закрытая"]
    assert _names(banks.mentee_bank_query(MenteeFilters())) == everyone
    assert _names(banks.mentee_bank_query(MenteeFilters(q="7Б"))) == ["Анна Парная"]
    assert _names(banks.mentee_bank_query(MenteeFilters(kind="career"))) == ["Борис Ждущий"]  # open ones only
    assert _names(banks.mentee_bank_query(MenteeFilters(source="class_teacher"))) == ["Анна Парная", "Борис Ждущий"]
    assert _names(banks.mentee_bank_query(MenteeFilters(source="parents"))) == []
    assert _names(banks.mentee_bank_query(MenteeFilters(pair="with"))) == ["Анна Парная"]
    assert _names(banks.mentee_bank_query(MenteeFilters(pair="without"))) == ["Борис Ждущий", "Вера Закрытая"]
    assert _names(banks.mentee_bank_query(MenteeFilters(follow_up="continued_search"))) == ["Борис Ждущий"]
    db.session.expunge_all()
    people = db.session.scalars(banks.mentee_bank_query(MenteeFilters())).unique().all()
    assert [len(p.requests) for p in people] == [1, 1, 0]  # open requests only
    assert banks.paired_ids(people) == {paired.id}


def test_batched_iteration_keeps_order_and_filters(school):
    for i in range(7):
        make_mentor(school.id, f"Наставник {i:02d}", capacity=2, approved=i % 2 == 0)
    db.session.commit()
    rows = list(banks.iter_mentor_bank(MentorFilters(approved="yes"), batch=2))
    assert [p.full_name for p, _ in rows] == [f"Наставник {i:02d}" for i in (0, 2, 4, 6)]
    assert all(load == 0 for _, load in rows)


# ---------------------------------------------------------------------------- export


def test_mentor_export_is_a_workbook_without_formulas(school):
    from openpyxl import load_workbook

    mentor = make_mentor(school.id, "=HYPERLINK(\"http://evil\")", competencies=["career"], capacity=3,
                         preferred_forms=["teacher_pupil"])
    mentor.mentor_profile.subjects = "физика"
    _pair(school, mentor, [make_mentee(school.id, "Ученик")])
    db.session.commit()
    data, count = bank_export.mentor_bank_xlsx(banks.iter_mentor_bank(MentorFilters()),
                                               {"teacher_pupil": "учитель – ученик"})
    assert count == 1
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and len(rows[0]) == len(bank_export.MENTOR_COLUMNS)
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK") and cell.quotePrefix
    row = rows[1]
    assert "физика" in row and "учитель – ученик" in row
    assert row[7:10] == (3, 1, 2)  # capacity, active mentees, free places


def test_mentee_export_lists_open_requests(school):
    from openpyxl import load_workbook

    mentee = make_mentee(school.id, "Петров Илья", requests=["career", "academic"])
    mentee.requests[1].closed = True
    db.session.commit()
    data, count = bank_export.mentee_bank_xlsx(banks.iter_mentee_bank(MenteeFilters()))
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert count == 1 and rows[1][0] == "Петров Илья"
    with force_locale(bank_export.EXPORT_LOCALE):
        expected = f"{banks.REQUEST_KIND_LABELS['career']} ({banks.REQUEST_SOURCE_LABELS['class_teacher']})"
        header = str(bank_export.MENTEE_COLUMNS[0][0])
    assert rows[0][0] == header
    assert rows[1][5] == expected  # the closed request is not there
    assert db.session.scalar(sa.select(sa.func.count(MenteeRequest.id))) == 2
