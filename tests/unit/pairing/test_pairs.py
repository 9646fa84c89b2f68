"""Pairs and groups under the hard rules: create, add and remove a mentee, complete, end early."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.pairing.models import Mentorship, MentorshipEvent, MentorshipMentee
from mentorship.pairing.pairs import (
    PairRuleError,
    add_mentee,
    complete,
    create_mentorship,
    end_early,
    event_participant_id,
    remove_mentee,
)
from tenants.context import tenant_scope
from tests.support.school import make_mentee, make_mentor, make_programme

pytestmark = pytest.mark.backends("sqlite", "postgresql")

START = date(2026, 9, 15)


@pytest.fixture
def school(ctx, tree):
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        org_id = tree.ids["r1m1s1"]
        world = SimpleNamespace(
            org_id=org_id,
            programme=make_programme(org_id, "teacher_pupil"),
            mentor=make_mentor(org_id, "Иванова Мария Петровна", capacity=2),
            mentees=[make_mentee(org_id, f"Ученик {i}") for i in range(4)],
        )
        db.session.commit()  # a refused change rolls back to here
        yield world


def _refused(code, call, *args, **kwargs) -> PairRuleError:
    with pytest.raises(PairRuleError) as info:
        call(*args, **kwargs)
    assert info.value.code == code
    assert code in PairRuleError.MESSAGES
    db.session.rollback()
    return info.value


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_pair_and_a_group_are_created_with_history(school):
    pair = create_mentorship(school.programme, school.mentor, school.mentees[:1], START,
                             planned_end_on=date(2027, 5, 31), reasons=[["mutual_preference"]])
    assert (pair.status, pair.form_code, pair.is_group) == ("active", "teacher_pupil", False)
    assert [e.action for e in pair.events] == ["created"]
    assert pair.reasons == [["mutual_preference"]]
    group = create_mentorship(school.programme, make_mentor(school.org_id, "Петров П. П.", capacity=3),
                              school.mentees[1:3], START)
    db.session.commit()
    assert group.is_group and [m.participant_id for m in group.members] == [p.id for p in school.mentees[1:3]]


def test_capacity_counts_every_active_pair_of_the_mentor(school):
    other = make_programme(school.org_id, "teacher_pupil", title="Вторая программа")
    create_mentorship(school.programme, school.mentor, school.mentees[:1], START)
    create_mentorship(other, school.mentor, school.mentees[1:2], START)  # capacity 2 reached across programmes
    db.session.commit()
    error = _refused("over_capacity", create_mentorship, school.programme, school.mentor, school.mentees[2:3], START)
    assert error.who.id == school.mentor.id
    assert _count(Mentorship) == 2 and _count(MentorshipMentee) == 2  # nothing of the refused pair saved


def test_a_group_larger_than_the_capacity_is_refused(school):
    _refused("over_capacity", create_mentorship, school.programme, school.mentor, school.mentees[:3], START)
    assert _count(Mentorship) == 0


def test_a_completed_pair_frees_the_place_and_the_mentee(school):
    first = create_mentorship(school.programme, school.mentor, school.mentees[:2], START)
    second_mentor = make_mentor(school.org_id, "Сидоров С. С.")
    db.session.commit()
    error = _refused("already_paired", create_mentorship, school.programme, second_mentor, school.mentees[1:2], START)
    assert error.who.id == school.mentees[1].id
    first = db.session.get(Mentorship, first.id)
    complete(first, date(2027, 5, 20), "finish")
    create_mentorship(school.programme, second_mentor, school.mentees[1:2], date(2027, 5, 21))
    create_mentorship(school.programme, school.mentor, school.mentees[2:4], date(2027, 5, 21))
    db.session.commit()
    assert _count(Mentorship) == 3


def test_a_mentee_may_be_paired_in_another_programme(school):
    other = make_programme(school.org_id, "teacher_pupil", title="Профориентация")
    create_mentorship(school.programme, school.mentor, school.mentees[:1], START)
    create_mentorship(other, make_mentor(school.org_id, "Сидоров С. С."), school.mentees[:1], START)
    assert _count(Mentorship) == 2


def test_a_pupil_mentor_must_be_older(school):
    programme = make_programme(school.org_id, "pupil_pupil")
    younger = make_mentor(school.org_id, "Младший Ученик", "pupil", birth_date=date(2012, 1, 1))
    mentee = make_mentee(school.org_id, "Ученик 2011", birth_date=date(2011, 5, 1))
    db.session.commit()
    error = _refused("mentor_not_older", create_mentorship, programme, younger, [mentee], START)
    assert error.who.id == mentee.id
    older = make_mentor(school.org_id, "Старший Ученик", "pupil", birth_date=date(2009, 1, 1))
    assert create_mentorship(programme, older, [mentee], START).status == "active"


def test_the_special_needs_form_takes_only_mentees_with_special_needs(school):
    programme = make_programme(school.org_id, "teacher_pupil_sen")
    db.session.commit()
    _refused("special_needs_only", create_mentorship, programme, school.mentor, school.mentees[:1], START)
    sen = make_mentee(school.org_id, "Ученик с ОВЗ", special_needs=True)
    assert create_mentorship(programme, school.mentor, [sen], START).form_code == "teacher_pupil_sen"


def test_wrong_category_no_consent_and_not_in_bank_are_refused(school):
    pupil_mentor = make_mentor(school.org_id, "Ученик-наставник", "pupil", birth_date=date(2008, 1, 1))
    no_consent = make_mentee(school.org_id, "Без согласия", consent=False)
    unapproved = make_mentor(school.org_id, "Не утверждён", approved=False)
    db.session.commit()
    error = _refused("mentor_category", create_mentorship, school.programme, pupil_mentor, school.mentees[:1], START)
    assert error.who.id == pupil_mentor.id
    error = _refused("no_consent", create_mentorship, school.programme, school.mentor, [no_consent], START)
    assert error.who.id == no_consent.id
    _refused("mentor_not_approved", create_mentorship, school.programme, unapproved, school.mentees[:1], START)
    assert _count(Mentorship) == 0


def test_bad_dates_duplicates_and_a_closed_programme_are_refused(school):
    _refused("bad_dates", create_mentorship, school.programme, school.mentor, school.mentees[:1], START,
             planned_end_on=date(2026, 9, 1))
    _refused("no_mentees", create_mentorship, school.programme, school.mentor, [], START)
    _refused("duplicate_mentee", create_mentorship, school.programme, school.mentor,
             [school.mentees[0], school.mentees[0]], START)
    closed = make_programme(school.org_id, "teacher_pupil", status="closed")
    db.session.commit()
    _refused("programme_closed", create_mentorship, closed, school.mentor, school.mentees[:1], START)


def test_add_and_remove_mentees(school):
    pair = create_mentorship(school.programme, school.mentor, school.mentees[:1], START)
    add_mentee(pair, school.mentees[1], date(2026, 10, 1))
    db.session.commit()
    assert pair.is_group
    _refused("already_member", add_mentee, pair, school.mentees[1], date(2026, 10, 1))
    pair = db.session.get(Mentorship, pair.id)
    error = _refused("over_capacity", add_mentee, pair, school.mentees[2], date(2026, 10, 2))
    assert error.who.id == school.mentor.id
    pair = db.session.get(Mentorship, pair.id)
    assert len(pair.members) == 2
    remove_mentee(pair, pair.members[0].id)
    db.session.commit()
    _refused("last_mentee", remove_mentee, pair, pair.members[0].id)
    pair = db.session.get(Mentorship, pair.id)
    _refused("not_member", remove_mentee, pair, 999_999)
    pair = db.session.get(Mentorship, pair.id)
    assert [e.action for e in pair.events] == ["created", "mentee_added", "mentee_removed"]


def test_history_names_mentees_by_id_never_by_name(school):
    pair = create_mentorship(school.programme, school.mentor, school.mentees[:1], START)
    add_mentee(pair, school.mentees[1], date(2026, 10, 1))
    remove_mentee(pair, pair.members[1].id)
    db.session.commit()
    events = db.session.scalars(sa.select(MentorshipEvent).order_by(MentorshipEvent.id)).all()
    assert [event_participant_id(e) for e in events] == [None, school.mentees[1].id, school.mentees[1].id]
    assert not any("Ученик" in (e.note or "") for e in events)


def test_complete_with_a_decision(school):
    pair = create_mentorship(school.programme, school.mentor, school.mentees[:1], START)
    db.session.commit()
    _refused("bad_decision", complete, pair, date(2027, 5, 1), "maybe")
    pair = db.session.get(Mentorship, pair.id)
    _refused("bad_dates", complete, pair, date(2026, 9, 1), "finish")
    pair = db.session.get(Mentorship, pair.id)
    complete(pair, date(2027, 5, 1), "continue", note="  Новый цикл  ")
    db.session.commit()
    assert (pair.status, pair.ended_on, pair.decision) == ("completed", date(2027, 5, 1), "continue")
    assert pair.events[-1].note == "Новый цикл"
    _refused("not_active", end_early, pair, date(2027, 5, 2), "late")
    pair = db.session.get(Mentorship, pair.id)
    _refused("not_active", add_mentee, pair, school.mentees[1], date(2027, 5, 2))
    pair = db.session.get(Mentorship, pair.id)
    _refused("not_active", remove_mentee, pair, pair.members[0].id)


def test_end_early_needs_a_reason(school):
    pair = create_mentorship(school.programme, school.mentor, school.mentees[:1], START)
    db.session.commit()
    _refused("reason_required", end_early, pair, date(2026, 12, 1), "   ")
    pair = db.session.get(Mentorship, pair.id)
    end_early(pair, date(2026, 12, 1), " Переезд семьи ")
    db.session.commit()
    assert (pair.status, pair.end_reason, pair.ended_on) == ("ended_early", "Переезд семьи", date(2026, 12, 1))
    assert [e.action for e in pair.events] == ["created", "ended_early"]


def test_a_matched_mentee_leaves_the_follow_up(ctx, tree):
    from tenants.context import tenant_scope
    from tests.support.school import make_mentee, make_mentor, make_programme

    org_id = tree.ids["r1m1s1"]
    with tenant_scope(org_id, tree.paths["r1m1s1"]):
        programme = make_programme(org_id)
        mentor = make_mentor(org_id, "Наставник", capacity=3)
        waiting, supported = make_mentee(org_id, "Ждущий"), make_mentee(org_id, "Поддержанный")
        waiting.mentee_profile.follow_up = "continued_search"
        supported.mentee_profile.follow_up = "psych_support"
        pair = create_mentorship(programme, mentor, [waiting], date(2026, 9, 15))
        assert waiting.mentee_profile.follow_up == "none"
        add_mentee(pair, supported, date(2026, 9, 20))
        assert supported.mentee_profile.follow_up == "none"
