"""Completion: feedback entries, one completion review per mentor or mentee (a second refused),
incentives recorded for the pair's mentor, and the school's register."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.pairing import completion
from mentorship.pairing.completion import CompletionError
from mentorship.pairing.models import CompletionReview, FeedbackEntry, Incentive, Mentorship
from tenants.context import tenant_scope
from tests.support.school import make_mentor, school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)


@pytest.fixture
def world(ctx, tree):
    w = school_world(tree)
    with tenant_scope(w.org_id, tree.paths["r1m1s1"]):
        yield w


def _pair(w) -> Mentorship:
    return db.session.get(Mentorship, w.pair)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


def test_feedback(world):
    pair = _pair(world)
    entry = completion.add_feedback(pair, author_role="curator", written_on=TODAY, rating=None, text=" Хорошо ",
                                    today=TODAY)
    assert (entry.author_role, entry.text, entry.rating) == ("curator", "Хорошо", None)
    for kwargs, code in (
        ({"author_role": "parent"}, "bad_role"),
        ({"text": "   "}, "text_required"),
        ({"rating": 11}, "bad_rating"),
        ({"rating": 0}, "bad_rating"),
        ({"written_on": date(2026, 9, 1)}, "before_start"),
        ({"written_on": date(2026, 11, 23)}, "in_future"),
    ):
        values = {"author_role": "mentee", "written_on": TODAY, "rating": 5, "text": "Текст", **kwargs}
        with pytest.raises(CompletionError) as refused:
            completion.add_feedback(pair, today=TODAY, **values)
        assert refused.value.code == code
    assert [f.text for f in completion.feedback_of(pair)] == ["Полезно", "Хорошо"]
    assert _count(FeedbackEntry) == 2


def test_one_review_per_person_the_second_refused(world):
    pair = _pair(world)
    # school_world holds the mentor's review already.
    with pytest.raises(CompletionError) as refused:
        completion.add_review(pair, participant_id=world.mentor, written_on=TODAY, text="Ещё раз", today=TODAY)
    assert refused.value.code == "already_reviewed"
    review = completion.add_review(pair, participant_id=world.mentee, written_on=TODAY, rating=9, text="Спасибо",
                                   today=TODAY)
    assert review.author_role == "mentee"
    with pytest.raises(CompletionError) as refused:
        completion.add_review(pair, participant_id=world.mentee, written_on=TODAY, text="Снова", today=TODAY)
    assert refused.value.code == "already_reviewed"
    assert [(r.role, r.reviewed) for r in completion.reviewers(pair)] == [("mentor", True), ("mentee", True)]
    assert _count(CompletionReview) == 2
    assert [r.author_role for r in completion.reviews_of(pair)] == ["mentor", "mentee"]


def test_a_review_by_someone_outside_the_pair_is_refused(world):
    pair = _pair(world)
    with pytest.raises(CompletionError) as refused:
        completion.add_review(pair, participant_id=world.spare, written_on=TODAY, text="Я не в паре", today=TODAY)
    assert refused.value.code == "not_participant"
    assert _count(CompletionReview) == 1


def test_the_unique_key_backs_the_check(world, monkeypatch):
    """Two reviews arriving at once: the check passes for both, the unique key refuses one."""
    pair = _pair(world)
    real_scalar = db.session.scalar
    monkeypatch.setattr(db.session, "scalar", lambda stmt, *a, **k: None
                        if "completion_reviews" in str(stmt) else real_scalar(stmt, *a, **k))
    with pytest.raises(CompletionError) as refused:
        completion.add_review(pair, participant_id=world.mentor, written_on=TODAY, text="Дубль", today=TODAY)
    assert refused.value.code == "already_reviewed"
    monkeypatch.undo()
    assert _count(CompletionReview) == 1  # the savepoint rolled back only the duplicate


def test_incentives_go_to_the_mentor_and_the_register(world, tree):
    pair = _pair(world)
    incentive = completion.add_incentive(pair, kind="certificate", awarded_on=TODAY, note=" Грамота ", today=TODAY)
    assert (incentive.participant_id, incentive.mentorship_id, incentive.note) == (world.mentor, pair.id, "Грамота")
    for kind, on, code in (("medal", TODAY, "bad_kind"), ("thanks", date(2027, 1, 1), "in_future")):
        with pytest.raises(CompletionError) as refused:
            completion.add_incentive(pair, kind=kind, awarded_on=on, note=None, today=TODAY)
        assert refused.value.code == code
    assert [i.kind for i in completion.incentives_of(pair)] == ["certificate"]  # the world's one has no pair

    other = make_mentor(world.org_id, "Смирнов Олег")
    db.session.add(Incentive(org_id=world.org_id, participant_id=other.id, kind="bonus", awarded_on=date(2026, 5, 1)))
    db.session.flush()
    register = db.session.scalars(completion.incentives_stmt(world.org_id)).all()
    assert [(i.kind, i.participant.full_name) for i in register] == [
        ("certificate", "Иванова Мария Петровна"), ("thanks", "Иванова Мария Петровна"), ("bonus", "Смирнов Олег")]
    found = db.session.scalars(completion.incentives_stmt(world.org_id, "Смирнов")).all()
    assert [i.kind for i in found] == ["bonus"]
    assert _count(Incentive) == 3
