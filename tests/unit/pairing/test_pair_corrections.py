"""Correcting what was entered wrongly: a pair corrected while no order fixes it (start date,
programme and form, mentor, mentees, under the hard rules), a pair entered by mistake voided
(reason, history, audit, freed places, out of the orders), and a back-dated pair whose
people's consents were entered with a later date (the message says so; the paper consent's
real date is recorded, audited)."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from core.extensions import db
from mentorship.pairing.models import Meeting, Mentorship
from mentorship.pairing.orders import DEFAULT_TITLE, create_order, order_rows, orderable_pairs
from mentorship.pairing.pair_queries import PairFilter, pairs_of, pairs_statement
from mentorship.pairing.pairs import (
    PairRuleError,
    check_correctable,
    complete,
    correct_pair,
    create_mentorship,
    event_participant_id,
    void_pair,
)
from mentorship.pairing.rules import active_load, consents_dated_after
from mentorship.people.consents import ConsentError, correct_given_on
from mentorship.people.models import Consent
from tenants.context import tenant_scope
from tenants.models import AuditEvent, Organization
from tests.support.school import make_mentee, make_mentor, make_programme

pytestmark = pytest.mark.backends("sqlite", "postgresql")

MISTYPED = date(2025, 9, 1)  # the year typed wrongly
START = date(2026, 9, 1)
TODAY = date(2026, 11, 22)


@pytest.fixture
def school(ctx, tree):
    org_id = tree.ids["r1m1s1"]
    with tenant_scope(org_id, tree.paths["r1m1s1"]):
        world = SimpleNamespace(
            org=db.session.get(Organization, org_id), org_id=org_id,
            programme=make_programme(org_id, "teacher_pupil", title="Успешный ученик"),
            career=make_programme(org_id, "teacher_pupil", title="Профориентация"),
            sen=make_programme(org_id, "teacher_pupil_sen", title="Особый ребёнок"),
            mentor=make_mentor(org_id, "Иванова Мария Петровна", capacity=2),
            other_mentor=make_mentor(org_id, "Смирнов Павел Олегович", capacity=1),
            mentees=[make_mentee(org_id, f"Ученик {i}") for i in range(3)],
            sen_kid=make_mentee(org_id, "Кузнецов Олег", special_needs=True),
        )
        db.session.commit()  # a refused change rolls back to here
        yield world


def _refused(code, call, *args, **kwargs) -> PairRuleError:
    with pytest.raises(PairRuleError) as info:
        call(*args, **kwargs)
    assert info.value.code == code
    db.session.rollback()
    return info.value


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _pair(school, start=MISTYPED, mentees=None, programme=None, mentor=None) -> Mentorship:
    pair = create_mentorship(programme or school.programme, mentor or school.mentor,
                             mentees if mentees is not None else school.mentees[:1], start)
    db.session.commit()
    return pair


# ---------------------------------------------------------------------------- corrections


def test_a_mistyped_start_date_and_programme_are_corrected_with_history_and_audit(school):
    pair = _pair(school)
    changed = correct_pair(pair, programme=school.career, mentor=school.mentor, mentees=school.mentees[:1],
                           started_on=START, planned_end_on=date(2027, 5, 31), org=school.org)
    db.session.commit()
    assert changed == ["started_on", "planned_end_on", "programme"]
    assert (pair.started_on, pair.programme_id, pair.form_code) == (START, school.career.id, "teacher_pupil")
    assert [e.action for e in pair.events] == ["created", "corrected"]
    assert pair.events[-1].note == "started_on, planned_end_on, programme"
    assert _audit("pair.corrected")[0].details == {"fields": changed}
    # nothing changed: nothing written
    assert correct_pair(pair, programme=school.career, mentor=school.mentor, mentees=school.mentees[:1],
                        started_on=START, planned_end_on=date(2027, 5, 31), org=school.org) == []
    assert len(pair.events) == 2 and len(_audit("pair.corrected")) == 1


def test_the_form_mentor_and_mentees_are_corrected_under_the_hard_rules(school):
    pair = _pair(school, START)
    # the form «учитель – ученик с ОВЗ» takes only a mentee with special needs
    _refused("special_needs_only", correct_pair, pair, programme=school.sen, mentor=school.mentor,
             mentees=school.mentees[:1], started_on=START, org=school.org)
    changed = correct_pair(pair, programme=school.sen, mentor=school.other_mentor, mentees=[school.sen_kid],
                           started_on=START, org=school.org)
    db.session.commit()
    assert changed == ["programme", "form", "mentor", "mentees"]
    assert (pair.form_code, pair.mentor_id) == ("teacher_pupil_sen", school.other_mentor.id)
    assert [m.participant_id for m in pair.members] == [school.sen_kid.id]
    history = [(e.action, event_participant_id(e)) for e in pair.events]
    assert history == [("created", None), ("mentor_replaced", school.other_mentor.id),
                       ("mentee_removed", school.mentees[0].id), ("mentee_added", school.sen_kid.id),
                       ("corrected", None)]
    assert active_load([school.mentor.id, school.other_mentor.id]) == {school.other_mentor.id: 1}


def test_a_correction_keeps_capacity_consents_and_the_meetings(school):
    pair = _pair(school, START)
    _pair(school, START, mentees=school.mentees[1:2], mentor=school.other_mentor)  # Смирнов is full now
    _refused("over_capacity", correct_pair, pair, programme=school.programme, mentor=school.other_mentor,
             mentees=school.mentees[:1], started_on=START, org=school.org)
    # its own place is not counted twice: Иванова (capacity 2) may take a second mentee
    assert correct_pair(pair, programme=school.programme, mentor=school.mentor, mentees=[school.mentees[0],
                        school.mentees[2]], started_on=START, org=school.org) == ["mentees"]
    db.session.add(Meeting(org_id=school.org_id, mentorship_id=pair.id, kind="organisational",
                           held_on=date(2026, 9, 10)))
    db.session.commit()
    error = _refused("meetings_before_start", correct_pair, pair, programme=school.programme, mentor=school.mentor,
                     mentees=[school.mentees[0], school.mentees[2]], started_on=date(2026, 9, 15), org=school.org)
    assert "10.09.2026" in error.message
    _refused("bad_dates", correct_pair, pair, programme=school.programme, mentor=school.mentor,
             mentees=school.mentees[:1], started_on=START, planned_end_on=date(2026, 8, 1), org=school.org)
    _refused("no_mentees", correct_pair, pair, programme=school.programme, mentor=school.mentor, mentees=[],
             started_on=START, org=school.org)


def test_an_ordered_or_finished_pair_is_not_edited(school):
    pair = _pair(school, START)
    order = create_order(school.org, number="15-од", dated=date(2026, 9, 20), title=DEFAULT_TITLE,
                         pair_ids=[pair.id])
    db.session.commit()
    error = _refused("ordered", correct_pair, pair, programme=school.programme, mentor=school.mentor,
                     mentees=school.mentees[:1], started_on=date(2026, 9, 2), org=school.org)
    assert "15-од" in error.message and "20.09.2026" in error.message and order.id
    with pytest.raises(PairRuleError):
        check_correctable(pair)
    done = _pair(school, START, mentees=school.mentees[1:2], mentor=school.other_mentor)
    complete(done, date(2026, 10, 1), "finish")
    db.session.commit()
    _refused("not_active", correct_pair, done, programme=school.programme, mentor=school.other_mentor,
             mentees=school.mentees[1:2], started_on=date(2026, 9, 2), org=school.org)


# ---------------------------------------------------------------------------- voiding


def test_a_pair_entered_by_mistake_is_voided_kept_and_counted_nowhere(school, ctx):
    pair = _pair(school)
    _refused("void_reason_required", void_pair, pair, "  ", org=school.org)
    void_pair(pair, "Год начала введён с ошибкой", org=school.org)
    db.session.commit()
    assert (pair.status, pair.is_voided, pair.void_reason) == ("voided", True, "Год начала введён с ошибкой")
    assert pair.voided_at is not None and pair.ended_on is None
    assert pair.events[-1].action == "voided" and pair.events[-1].note == "Год начала введён с ошибкой"
    assert _audit("pair.voided")[0].details == {"reason": "Год начала введён с ошибкой", "status_before": "active"}
    _refused("already_voided", void_pair, pair, "ещё раз", org=school.org)
    _refused("not_active", correct_pair, pair, programme=school.programme, mentor=school.mentor,
             mentees=school.mentees[:1], started_on=START, org=school.org)
    # the mentor's place is free, no order offers it, the list shows it only when asked
    assert active_load([school.mentor.id]) == {}
    assert orderable_pairs() == []
    listed = lambda **args: [p.id for p in db.session.scalars(pairs_statement(PairFilter.parse(MultiDict(args))))]  # noqa: E731
    assert listed() == [] and listed(status="voided") == [pair.id]
    db.session.expire_all()  # the list's statement loads with raiseload
    assert [p.id for p in pairs_of(school.mentees[0])] == [pair.id]  # the person's history keeps it
    # the mentee may be paired again at once, in the same programme
    assert _pair(school, START).status == "active"


def test_a_voided_pair_stays_in_its_signed_order_marked(school):
    pair = _pair(school, START)
    order = create_order(school.org, number="16-од", dated=date(2026, 9, 20), title=DEFAULT_TITLE,
                         pair_ids=[pair.id])
    db.session.commit()
    assert [row.voided for row in order_rows(order, {})] == [False]
    void_pair(pair, "Пара внесена дважды", org=school.org)
    db.session.commit()
    rows = order_rows(order, {})
    assert [row.voided for row in rows] == [True] and "Иванова Мария Петровна" in rows[0].mentor


# ---------------------------------------------------------------------------- consents


def _consent_on(person, day: date) -> Consent:
    consent = person.consents[0]
    consent.given_on = day
    db.session.commit()
    return consent


def test_a_back_dated_pair_says_the_consent_is_dated_after_its_start(school):
    kid = school.mentees[0]
    consent = _consent_on(kid, TODAY)  # entered through the participant form: today's date
    error = _refused("consent_after_start", create_mentorship, school.programme, school.mentor, [kid], START)
    assert error.who.id == kid.id and error.problems[0].field == "mentees"
    assert "22.11.2026" in error.message and "01.09.2026" in error.message and kid.full_name in error.message
    assert consents_dated_after([kid.id, school.mentor.id], START) == {kid.id: consent}
    assert consents_dated_after([kid.id], TODAY) == {}
    # the mentor's too
    _consent_on(school.mentor, TODAY)
    assert _refused("consent_after_start", create_mentorship, school.programme, school.mentor, [kid],
                    START).problems[0].field == "mentor"


def test_the_paper_consents_real_date_is_recorded_and_audited(school):
    kid = school.mentees[0]
    consent = _consent_on(kid, TODAY)
    for code, day in (("not_earlier", TODAY), ("given_on_future", date(2026, 12, 1)), ("given_on_required", None)):
        with pytest.raises(ConsentError) as info:
            correct_given_on(consent, day, TODAY, org=school.org)
        assert info.value.code == code
        db.session.rollback()
    correct_given_on(consent, date(2026, 8, 30), TODAY, org=school.org)
    db.session.commit()
    assert consent.given_on == date(2026, 8, 30)
    assert _audit("consent.date_corrected")[0].details == {
        "participant_id": kid.id, "from": "2026-11-22", "to": "2026-08-30"}
    assert create_mentorship(school.programme, school.mentor, [kid], START).status == "active"
    consent.withdrawn_on = TODAY
    with pytest.raises(ConsentError) as info:
        correct_given_on(consent, date(2026, 8, 1), TODAY, org=school.org)
    assert info.value.code == "withdrawn_not_corrected"
