"""The school dashboard's figures on a small known world, and their constant query count."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from core.extensions import db
from mentorship.monitoring.contingent import Figures, record_contingent
from mentorship.pairing.models import IndividualPlan, Meeting, PlanTask
from mentorship.pairing.pairs import complete, create_mentorship
from mentorship.people.models import Consent
from mentorship.reports.school_dashboard import school_dashboard
from tenants.context import tenant_scope
from tenants.models import Organization
from tests.support.school import make_mentee, make_mentor, make_participant, make_programme

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)


def _scope(tree, key="r1m1s1"):
    return tenant_scope(tree.ids[key], tree.paths[key])


def _small_world(tree, key="r1m1s1"):
    """teacher_pupil: T1 with A (a pair) and T1 with B, C (a group); pupil_pupil: P with D;
    a completed pair T2–E; F (in follow-up) and G without a pair; meetings; a late task."""
    org_id = tree.ids[key]
    with _scope(tree, key):
        tp = make_programme(org_id, "teacher_pupil")
        pp = make_programme(org_id, "pupil_pupil")
        t1 = make_mentor(org_id, "Учитель Один", capacity=3)
        t2 = make_mentor(org_id, "Учитель Два")
        p = make_mentor(org_id, "Старший Ученик", "pupil", birth_date=date(2009, 1, 10))
        a, b, c, d, e, f, g = (make_mentee(org_id, f"Ученик {n}", birth_date=date(2012, 2, i + 1))
                               for i, n in enumerate("ABCDEFG"))
        f.mentee_profile.follow_up = "psych_support"
        adult = make_mentee(org_id, "Взрослый Ученик", birth_date=date(2005, 1, 1))  # 21: outside 10–19
        pair = create_mentorship(tp, t1, [a], date(2026, 9, 15))
        create_mentorship(tp, t1, [b, c], date(2026, 9, 15))
        create_mentorship(pp, p, [d], date(2026, 9, 20))
        done = create_mentorship(tp, t2, [e], date(2026, 1, 15))
        complete(done, date(2026, 5, 30), "finish")
        old = create_mentorship(tp, t2, [adult], date(2025, 1, 15))
        complete(old, date(2025, 5, 30), "finish")  # ended last year: not in this year's coverage
        for held in (date(2026, 11, 2), date(2026, 11, 20), date(2026, 10, 30)):
            db.session.add(Meeting(org_id=org_id, mentorship_id=pair.id, kind="regular", held_on=held))
        plan = IndividualPlan(org_id=org_id, mentorship_id=pair.id)
        plan.tasks.append(PlanTask(org_id=org_id, title="Диагностика", due_on=date(2026, 10, 1)))
        db.session.add(plan)
        gone = make_participant(org_id, "Отозвавший Согласие", "teacher")
        gone.consents[0].withdrawn_on = date(2026, 10, 1)
        earlier = make_participant(org_id, "Отозвавший Давно", "teacher")
        earlier.consents[0].withdrawn_on = date(2026, 3, 1)  # the previous school year
        org = db.session.get(Organization, org_id)
        record_contingent(org, Figures(2026, 400, 150, 40, 5))
        record_contingent(org, Figures(2026, 200, 80, 40, 5))  # the latest record counts
        db.session.commit()


def _board(tree, key="r1m1s1", today=TODAY):
    with _scope(tree, key):
        return school_dashboard(db.session.get(Organization, tree.ids[key]), today)


def test_figures_of_a_known_school(ctx, tree):
    _small_world(tree)
    _small_world(tree, "r1m1s2")  # another school's pairs never count
    board = _board(tree)
    assert board.has_programmes and board.school_year == 2026
    by_code = {f.code: f for f in board.forms}
    assert [f.code for f in board.forms] == ["pupil_pupil", "teacher_pupil"]  # catalogue order
    assert by_code["teacher_pupil"].name == "учитель – ученик"
    assert (by_code["teacher_pupil"].pairs, by_code["teacher_pupil"].groups) == (1, 1)
    assert (by_code["teacher_pupil"].mentors, by_code["teacher_pupil"].mentees) == (1, 3)
    assert (by_code["pupil_pupil"].pairs, by_code["pupil_pupil"].groups) == (1, 0)
    assert (by_code["pupil_pupil"].mentors, by_code["pupil_pupil"].mentees) == (1, 1)
    assert (board.active_pairs, board.active_groups, board.mentors, board.mentees) == (2, 1, 2, 4)
    assert (board.unpaired_mentees, board.in_follow_up) == (4, 1)  # E, F, G and the adult; F in follow-up
    assert board.meetings_this_month == 2
    assert board.plans_behind == 1
    assert board.consents_withdrawn == 1
    assert board.contingent.pupils_10_19 == 200
    assert board.mentees_10_19 == 5  # A, B, C, D and E (its pair was active this year)
    assert board.coverage_percent == 2.5


def test_a_new_school_has_an_empty_board(ctx, tree):
    board = _board(tree, "r1m2s1")
    assert not board.has_programmes and board.forms == []
    assert (board.active_pairs, board.mentors, board.unpaired_mentees, board.meetings_this_month) == (0, 0, 0, 0)
    assert board.contingent is None and board.coverage_percent is None


def _many_pairs(tree, n: int, key="r1m1s2"):
    """``n`` active pairs written in bulk (the factories' rule checks are too slow for 1,000):
    each mentee a pupil of 14 with a withdrawn consent; a meeting this month for every pair."""
    from mentorship.pairing.models import Mentorship, MentorshipMentee, Programme
    from mentorship.people.models import MenteeProfile, Participant
    from tests.support.bulk import insert_rows, owner

    row = owner(tree, key)
    [programme] = insert_rows(Programme, [{**row, "title": "Программа", "form_code": "teacher_pupil",
                                          "school_year": 2026}])
    people = insert_rows(Participant, [
        {**row, "full_name": f"{('Наставник', 'Наставляемый')[k]} {i}", "category": ("teacher", "pupil")[k],
         "birth_date": (None, date(2012, 1, 1))[k], "in_mentor_bank": k == 0, "in_mentee_bank": k == 1}
        for i in range(n) for k in (0, 1)])
    mentors, mentees = people[::2], people[1::2]
    pairs = insert_rows(Mentorship, [
        {**row, "programme_id": programme, "form_code": "teacher_pupil", "mentor_id": m,
         "started_on": date(2026, 9, 1), "status": "active", "reasons": []} for m in mentors])
    insert_rows(MentorshipMentee, [{**row, "mentorship_id": p, "participant_id": m}
                                   for p, m in zip(pairs, mentees)], ids=False)
    insert_rows(MenteeProfile, [{**row, "participant_id": m} for m in mentees], ids=False)
    insert_rows(Consent, [{**row, "participant_id": m, "given_by": "representative", "purpose": "x",
                           "policy_version": "1", "given_on": date(2024, 9, 1), "withdrawn_on": date(2026, 10, 1)}
                          for m in mentees], ids=False)
    insert_rows(Meeting, [{**row, "mentorship_id": p, "kind": "regular", "held_on": date(2026, 11, 3)}
                          for p in pairs], ids=False)
    db.session.commit()


def _count_queries(tree, key):
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        board = _board(tree, key)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements), board


def test_the_number_of_queries_does_not_grow_with_the_pairs(ctx, tree):
    _many_pairs(tree, 10, "r1m1s2")
    _many_pairs(tree, 1000, "r1m2s1")
    small, board_small = _count_queries(tree, "r1m1s2")
    large, board_large = _count_queries(tree, "r1m2s1")
    assert (board_small.active_pairs, board_large.active_pairs) == (10, 1000)
    assert (board_small.meetings_this_month, board_large.meetings_this_month) == (10, 1000)
    assert board_large.consents_withdrawn == 1000 and board_large.mentees_10_19 == 1000
    assert small == large <= 14, (small, large)
