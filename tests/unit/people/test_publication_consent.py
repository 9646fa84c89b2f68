"""The consent to publication: its own purpose, withdrawable; withdrawal and erasure tell the
areas to unpublish at once (the ``publication_withdrawn`` signal)."""
from __future__ import annotations

from datetime import date

import pytest

from core.extensions import db
from mentorship.people import publication
from mentorship.people.consents import erase_personal_data
from mentorship.people.models import Participant
from mentorship.people.signals import publication_withdrawn
from tenants.context import tenant_scope
from tests.support.school import school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")
TODAY = date(2026, 12, 3)


@pytest.fixture
def world(ctx, tree):
    return school_world(tree)


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    publication_withdrawn.connect(receiver)
    yield calls
    publication_withdrawn.disconnect(receiver)


def as_school(tree):
    return tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"])


def a_mentor(world) -> Participant:
    return db.session.get(Participant, world.mentor)


def test_give_and_withdraw(tree, world, received):
    with as_school(tree):
        mentor = a_mentor(world)
        consent = publication.give_publication_consent(mentor, given_on=TODAY, scope_note="ФИО, фото",
                                                       by_user_id=None, today=TODAY)
        assert publication.has_publication_consent(mentor.id)
        assert publication.publication_consented_ids([mentor.id, 10**6]) == {mentor.id}
        with pytest.raises(publication.PublicationConsentError) as again:
            publication.give_publication_consent(mentor, given_on=TODAY, scope_note="x", by_user_id=None, today=TODAY)
        assert again.value.code == "already_given"
        publication.withdraw_publication_consent(consent, withdrawn_on=TODAY, reason="передумал",
                                                 by_user_id=None, today=TODAY)
        assert not publication.has_publication_consent(mentor.id)
    assert received == [{"participant_id": mentor.id, "org_id": tree.ids["r1m1s1"]}]


def test_bad_input_names_each_field(tree, world):
    with as_school(tree):
        mentor = a_mentor(world)
        with pytest.raises(publication.PublicationConsentError) as refused:
            publication.give_publication_consent(mentor, given_on=date(2027, 1, 1), scope_note=" ",
                                                 by_user_id=None, today=TODAY)
        assert {(p.field, p.code) for p in refused.value.problems} == {
            ("given_on", "given_on_future"), ("scope_note", "scope_required")}
        assert not publication.has_publication_consent(mentor.id)


def test_a_minor_is_never_published(tree, world):
    with as_school(tree):
        pupil = db.session.get(Participant, world.mentee)
        with pytest.raises(publication.PublicationConsentError) as refused:
            publication.give_publication_consent(pupil, given_on=TODAY, scope_note="ФИО", by_user_id=None, today=TODAY)
        assert refused.value.code == "minor"


def test_erasure_ends_the_publication_consent(tree, world, received):
    with as_school(tree):
        mentor = a_mentor(world)
        publication.give_publication_consent(mentor, given_on=date(2026, 9, 1), scope_note="ФИО",
                                             by_user_id=None, today=TODAY)
        erase_personal_data(mentor, "отзыв согласия", TODAY)
        assert not publication.has_publication_consent(mentor.id)
        assert publication.consents_of(mentor.id)[0].withdrawn_on == TODAY
    assert [call["participant_id"] for call in received] == [mentor.id]
