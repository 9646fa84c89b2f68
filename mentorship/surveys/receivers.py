"""The surveys' part when something happens to people (mentorship/people/signals.py)."""
from __future__ import annotations

from mentorship.people.models import Participant
from mentorship.people.signals import Erasure, person_erased
from mentorship.surveys.dispatch import cancel_for_participant


@person_erased.connect
def cancel_invitations(person: Participant, **_kwargs) -> Erasure:
    """Nobody is asked anything once their consent is withdrawn: open invitations are cancelled."""
    return Erasure(details={"invitations_cancelled": cancel_for_participant(person)})
