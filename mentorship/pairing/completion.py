"""Completion of a mentorship: intermediate feedback and completion reviews (отзыв о результатах
наставничества) by the mentor and each mentee — one per person. The decision itself (continue
in a new cycle or finish) is ``mentorships.complete``; this module only records what leads to
it. The mentor's awards and incentives (поощрения) are kept by recognition (awards.py), which
reads the pairs from here — pairing knows nothing of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, raiseload

from core.errors import DomainError
from core.extensions import db
from mentorship.pairing.models import AUTHOR_ROLES, CompletionReview, FeedbackEntry, Mentorship
from mentorship.people.models import Participant

AUTHOR_LABELS = {"mentor": _l("Mentor"), "mentee": _l("Mentee"), "curator": _l("Curator")}


class CompletionError(DomainError):
    """A record was refused; each problem names the field of the service to correct."""

    MESSAGES = {
        "bad_role": _l("Choose who gives the feedback."),
        "text_required": _l("Write the text."),
        "bad_rating": _l("The rating must be 1 to 10."),
        "before_start": _l("The date is before the pair's start."),
        "in_future": _l("The date is in the future."),
        "not_participant": _l("Only the pair's mentor or one of its mentees can write a completion review."),
        "already_reviewed": _l("This person has already written a completion review for the pair."),
    }


def _check(mentorship: Mentorship, written_on: date, today: date, rating: int | None, text: str | None) -> str:
    """The text of a written record (feedback, review) once its date, rating and text pass."""
    if written_on < mentorship.started_on:
        raise CompletionError("before_start", field="written_on")
    if written_on > today:
        raise CompletionError("in_future", field="written_on")
    if rating is not None and not 1 <= rating <= 10:
        raise CompletionError("bad_rating", field="rating")
    text = (text or "").strip()
    if not text:
        raise CompletionError("text_required", field="text")
    return text


def add_feedback(mentorship: Mentorship, *, author_role: str, written_on: date, text: str,
                 rating: int | None = None, today: date) -> FeedbackEntry:
    """An intermediate feedback entry from the mentor, a mentee or the curator."""
    if author_role not in AUTHOR_ROLES:
        raise CompletionError("bad_role", field="author_role")
    entry = FeedbackEntry(org_id=mentorship.org_id, mentorship_id=mentorship.id, author_role=author_role,
                          written_on=written_on, rating=rating,
                          text=_check(mentorship, written_on, today, rating, text))
    db.session.add(entry)
    db.session.flush()
    return entry


@dataclass(frozen=True)
class Reviewer:
    participant: Participant
    role: str  # mentor | mentee
    reviewed: bool


def reviewers(mentorship: Mentorship) -> list[Reviewer]:
    """Who may write a completion review, the mentor first, and whether they have (the pair's
    mentor and members must be loaded; one query for the reviews)."""
    done = set(db.session.scalars(
        sa.select(CompletionReview.participant_id).where(CompletionReview.mentorship_id == mentorship.id)
    ))
    people = [(mentorship.mentor, "mentor")] + [(m.participant, "mentee") for m in mentorship.members]
    return [Reviewer(p, role, p.id in done) for p, role in people]


def add_review(mentorship: Mentorship, *, participant_id: int, written_on: date, text: str,
               rating: int | None = None, today: date) -> CompletionReview:
    """The completion review of the mentor or a mentee; a second one by the same person is
    refused (checked first, and by the unique key should two arrive at once)."""
    if participant_id == mentorship.mentor_id:
        role = "mentor"
    elif participant_id in {m.participant_id for m in mentorship.members}:
        role = "mentee"
    else:
        raise CompletionError("not_participant", field="participant_id")
    text = _check(mentorship, written_on, today, rating, text)
    exists = db.session.scalar(sa.select(CompletionReview.id).where(
        CompletionReview.mentorship_id == mentorship.id, CompletionReview.participant_id == participant_id))
    if exists is not None:
        raise CompletionError("already_reviewed", field="participant_id")
    review = CompletionReview(org_id=mentorship.org_id, mentorship_id=mentorship.id, participant_id=participant_id,
                              author_role=role, written_on=written_on, rating=rating, text=text)
    try:
        with db.session.begin_nested():
            db.session.add(review)
    except IntegrityError:
        raise CompletionError("already_reviewed", field="participant_id") from None
    return review


def feedback_of(mentorship: Mentorship) -> list[FeedbackEntry]:
    return list(db.session.scalars(
        sa.select(FeedbackEntry).where(FeedbackEntry.mentorship_id == mentorship.id)
        .order_by(FeedbackEntry.written_on, FeedbackEntry.id).options(raiseload("*"))
    ))


def reviews_of(mentorship: Mentorship) -> list[CompletionReview]:
    return list(db.session.scalars(
        sa.select(CompletionReview).where(CompletionReview.mentorship_id == mentorship.id)
        .order_by(CompletionReview.author_role.desc(), CompletionReview.id)
        .options(joinedload(CompletionReview.participant), raiseload("*"))
    ))
