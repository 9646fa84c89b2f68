"""Completion: feedback entries, one completion review per mentor or mentee (a second refused).
(The mentor's awards and incentives are recognition's: tests/unit/recognition/test_awards.py.)"""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.pairing import completion
from mentorship.pairing.completion import CompletionError
from mentorship.pairing.models import CompletionReview, FeedbackEntry, Mentorship
from tenants.context import tenant_scope
from tests.support.school import school_world

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

