"""Pairing's part when something happens to people (mentorship/people/signals.py)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from core.extensions import db
from mentorship.pairing.models import CompletionReview, Mentorship, MentorshipEvent, MentorshipMentee
from mentorship.pairing.pairs import stop_early
from mentorship.people.consents import ERASED_NAME as ERASED_TEXT
from mentorship.people.models import Participant
from mentorship.people.signals import Erasure, person_erased

WITHDRAWAL_PAIR_REASON = "consent withdrawn"


def _pair_ids(person: Participant) -> set[int]:
    ids = set(db.session.scalars(sa.select(Mentorship.id).where(Mentorship.mentor_id == person.id)))
    ids |= set(db.session.scalars(
        sa.select(MentorshipMentee.mentorship_id).where(MentorshipMentee.participant_id == person.id)))
    return ids


@person_erased.connect
def end_pairs_and_erase_history(person: Participant, *, old_name: str | None, on: date, user=None,
                                **_kwargs) -> Erasure:
    """End the person's active pairs early (from ``on``); erase the pairs' history notes that
    name them and the text of their completion reviews (the rating, a figure, stays)."""
    erasure = Erasure()
    pair_ids = _pair_ids(person)
    if pair_ids and old_name:
        for event in db.session.scalars(
            sa.select(MentorshipEvent).where(MentorshipEvent.mentorship_id.in_(pair_ids),
                                             MentorshipEvent.note == old_name)
        ):
            event.note = ERASED_TEXT
            erasure.fields.append("mentorship_events.note")
    if pair_ids and old_name:
        # A voided pair's reason is free text: it may name the person (events keep it too).
        for pair in db.session.scalars(sa.select(Mentorship).where(Mentorship.id.in_(pair_ids),
                                                                   Mentorship.void_reason.is_not(None))):
            if old_name in pair.void_reason:
                pair.void_reason = ERASED_TEXT
                erasure.fields.append("mentorships.void_reason")
        for event in db.session.scalars(
            sa.select(MentorshipEvent).where(MentorshipEvent.mentorship_id.in_(pair_ids),
                                             MentorshipEvent.action == "voided")
        ):
            if event.note and old_name in event.note:
                event.note = ERASED_TEXT
                erasure.fields.append("mentorship_events.note")
    for review in db.session.scalars(sa.select(CompletionReview).where(CompletionReview.participant_id == person.id)):
        if review.text != ERASED_TEXT:
            review.text = ERASED_TEXT
            erasure.fields.append("completion_reviews.text")
    ended = []
    if pair_ids:
        for pair in db.session.scalars(
            sa.select(Mentorship).where(Mentorship.id.in_(pair_ids), Mentorship.status == "active")
            .order_by(Mentorship.id)
        ):
            stop_early(pair, max(on, pair.started_on), WITHDRAWAL_PAIR_REASON, user)
            ended.append(pair.id)
    erasure.details["pairs_ended"] = ended
    return erasure
