"""The registry's part when something happens to a mentor (mentorship/people/signals.py): the
entry follows the school's records at once, in the same transaction."""
from __future__ import annotations

from mentorship.people.models import Participant
from mentorship.people.signals import Erasure, mentor_changed, person_erased
from mentorship.registry.entries import refresh_entry, remove_entry


@mentor_changed.connect
def follow_the_mentor(participant: Participant, **_kwargs) -> None:
    """The questionnaire, the bank, the name or the training changed: rewrite the entry, or
    remove it when the consent was withdrawn or the mentor left the bank."""
    refresh_entry(participant)


@person_erased.connect
def remove_the_erased(person: Participant, **_kwargs) -> Erasure | None:
    """The person's data were erased: their entry goes at once."""
    if remove_entry(person.id):
        return Erasure(fields=["registry_entries"])
    return None
