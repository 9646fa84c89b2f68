"""Participants: the rules' problems as the form shows them, creation only together with a
valid consent, edits audited by field name, the list's search and filters, enterprises."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.people.consents import ConsentData
from mentorship.people.enterprises import EnterpriseError, check_enterprise, save_enterprise
from mentorship.people.models import Consent, Enterprise, Participant
from mentorship.people.participants import (
    ParticipantError,
    create_participant,
    data_of,
    participants_query,
    update_participant,
)
from mentorship.people.rules import ParticipantData
from tenants.context import tenant_scope
from tenants.models import AuditEvent, Organization
from tests.support.school import TODAY, make_mentee, make_mentor, make_participant, problems_of

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def org(ctx, tree):
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        yield db.session.get(Organization, tree.ids["r1m1s1"])


def _pupil(**kw) -> ParticipantData:
    return ParticipantData(**{"full_name": "Петров Илья", "category": "pupil", "birth_date": date(2012, 4, 1),
                              "class_or_position": "8А", "representative_name": "Петрова Ольга",
                              "representative_phone": "+7 911 000-00-00", **kw})


def _rep_consent(**kw) -> ConsentData:
    return ConsentData(**{"given_by": "representative", "given_on": date(2026, 9, 1),
                          "representative_name": "Петрова Ольга", "authority_document": "свидетельство", **kw})


def test_a_participant_is_created_with_the_consent(org):
    person = create_participant(org, _pupil(), _rep_consent(), TODAY)
    db.session.commit()
    db.session.expire_all()
    person = db.session.get(Participant, person.id)
    assert person.birth_year == 2012 and person.class_or_position == "8А" and person.org_id == org.id
    [consent] = person.consents
    assert consent.given_by == "representative" and consent.authority_document == "свидетельство"
    assert consent.policy_version == "1.0" and consent.purpose  # defaults
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "participant.created"))
    assert event.object_id == str(person.id) and "Петров" not in str(event.details)


def test_nothing_is_saved_when_the_person_or_the_consent_is_invalid(org):
    with pytest.raises(ParticipantError) as err:
        create_participant(org, _pupil(representative_name=None, birth_date=date(2027, 1, 1)),
                           ConsentData(given_by="participant", given_on=None), TODAY)
    assert ("birth_date", "birth_date_future") in problems_of(err.value)
    assert ("consent_given_on", "given_on_required") in problems_of(err.value)
    # a minor: the representative is required, both on the record and on the consent
    with pytest.raises(ParticipantError) as err:
        create_participant(org, _pupil(representative_name=None), ConsentData("participant", date(2026, 9, 1)), TODAY)
    assert set(problems_of(err.value)) == {("representative_name", "representative_required"),
                                           ("consent_given_by", "representative_consent_required")}
    for _field, code in problems_of(err.value):
        assert code in ParticipantError.MESSAGES
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Consent.id))) == 0


def test_employers_need_one_of_the_schools_enterprises(org, tree):
    mine = Enterprise(org_id=org.id, name="АО «Завод»")
    db.session.add(mine)
    db.session.flush()
    employer = ParticipantData(full_name="Кузнецов Пётр", category="employer", class_or_position="инженер")
    adult = ConsentData("participant", date(2026, 9, 1))
    with pytest.raises(ParticipantError) as err:
        create_participant(org, employer, adult, TODAY)
    assert problems_of(err.value) == [("enterprise_id", "enterprise_required")]
    with tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):
        theirs = Enterprise(org_id=tree.ids["r1m1s2"], name="Чужое")
        db.session.add(theirs)
        db.session.flush()
        theirs_id = theirs.id
    employer.enterprise_id = theirs_id
    with pytest.raises(ParticipantError) as err:
        create_participant(org, employer, adult, TODAY)
    assert problems_of(err.value) == [("enterprise_id", "enterprise_unknown")]
    employer.enterprise_id = mine.id
    assert create_participant(org, employer, adult, TODAY).enterprise.name == "АО «Завод»"


def test_edits_are_audited_by_field_name_and_keep_the_birth_year_in_step(org):
    person = make_participant(org.id, "Смирнова Анна", "teacher", birth_date=date(1990, 2, 3))
    db.session.commit()
    data = data_of(person)
    data.birth_date, data.phone = date(1991, 2, 3), "+7 900 123-45-67"
    assert sorted(update_participant(person, data, TODAY, org=org)) == ["birth_date", "phone"]
    db.session.commit()
    assert person.birth_year == 1991
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "participant.updated"))
    assert event.details == {"fields": ["birth_date", "phone"]}
    assert update_participant(person, data_of(person), TODAY, org=org) == []  # no change, no event
    data = data_of(person)
    data.full_name = ""
    with pytest.raises(ParticipantError) as err:
        update_participant(person, data, TODAY, org=org)
    assert problems_of(err.value) == [("full_name", "name_required")]


def test_search_ignores_case_in_cyrillic_and_filters_by_category_and_bank(org):
    make_mentor(org.id, "Иванова Мария Петровна")
    make_mentee(org.id, "Петров Илья")
    make_participant(org.id, "Смирнов Олег", "teacher")
    make_participant(org.id, "100%_процент", "teacher")
    db.session.commit()

    def names(**kw):
        return [p.full_name for p in db.session.scalars(participants_query(org.id, **kw))]

    assert names(search="иванова") == ["Иванова Мария Петровна"]
    assert names(search="ПЕТРОВ") == ["Иванова Мария Петровна", "Петров Илья"]
    assert names(search="%_") == ["100%_процент"]  # wildcards are literal
    assert names(category="pupil") == ["Петров Илья"]
    assert names(bank="mentor") == ["Иванова Мария Петровна"]
    assert names(bank="mentee") == ["Петров Илья"]
    assert names(bank="none") == ["100%_процент", "Смирнов Олег"]


def test_enterprise_name_required_and_inn_of_10_or_12_digits(org):
    assert check_enterprise("", None, None) == [("name", "name_required")]
    assert check_enterprise("АО", "7707083893", None) == []
    assert check_enterprise("ИП", "500100732259", None) == []
    for bad in ("123", "77070838931", "77O7083893"):
        assert check_enterprise("АО", bad, None) == [("inn", "bad_inn")], bad
    with pytest.raises(EnterpriseError):
        save_enterprise(None, org.id, "АО", "12345", None)
    saved = save_enterprise(None, org.id, "  АО «Завод»  ", "", " ")
    assert (saved.name, saved.inn, saved.contact) == ("АО «Завод»", None, None)
