"""The surveys' part when something happens to people (mentorship/people/signals.py)."""
from __future__ import annotations

from mentorship.pairing.models import Mentorship
from mentorship.pairing.signals import PairCorrection, pair_correcting
from mentorship.people.models import Participant
from mentorship.people.signals import Erasure, person_erased
from mentorship.surveys.audience import cancel_for_pair
from mentorship.surveys.dispatch import cancel_for_participant


@person_erased.connect
def cancel_invitations(person: Participant, **_kwargs) -> Erasure:
    """Nobody is asked anything once their consent is withdrawn: open invitations are cancelled."""
    return Erasure(details={"invitations_cancelled": cancel_for_participant(person)})


@pair_correcting.connect
def cancel_pair_invitations(mentorship: Mentorship, *, change: PairCorrection, **_kwargs) -> None:
    """A pair voided as entered by mistake is asked nothing: its open invitations are cancelled
    (rolled back with the rest if the voiding is refused)."""
    if change.is_void:
        cancel_for_pair(mentorship.id)
