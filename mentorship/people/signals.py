"""What happens to people, for the areas above that keep something about them (blinker
signals, as Flask's own and Indico's ``core/signals``).

A receiver is connected in its area's ``receivers`` module, imported by the area's package, so
it is connected wherever the area is loaded (the app factory loads every area).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from blinker import Namespace

_signals = Namespace()

person_erased = _signals.signal("person-erased", doc="""
A participant's personal data were erased (the last consent withdrawn): the sender is the
``Participant``, already anonymised and not yet committed; keyword arguments ``old_name`` (the
name before erasure, to find free text that repeats it), ``on`` (the date processing stopped),
``user`` and ``org``. A receiver erases or stops what its area keeps about the person, in the
same transaction, and returns an ``Erasure`` (or None), which goes into the destruction record
and the audit log.""")

publication_withdrawn = _signals.signal("publication-withdrawn", doc="""
A person may no longer be shown publicly: their publication consent was withdrawn, or their
personal data were erased. The sender is the ``Participant``; keyword arguments
``participant_id`` and ``org_id``. A receiver sets ``is_public`` to false on every row it made
public about the person, in the same transaction (nothing stays on a public page).""")

mentor_changed = _signals.signal("mentor-changed", doc="""
What is known of a mentor outside the school's own records may have changed: the mentor's
questionnaire (forms, competencies, training status, consent to the municipal registry), their
place in the mentor bank, their name or position, a completed training. The sender is the
``Participant``; keyword argument ``org`` (the school, or None). Sent after the change is
flushed, while acting as the school; a receiver refreshes what it derives from the mentor (the
municipal registry's entry) in the same transaction.""")

partner_withdrawn = _signals.signal("partner-withdrawn", doc="""
A partner enterprise withdrew its agreement to be named publicly. The sender is the
``Enterprise``; keyword arguments ``enterprise_id`` and ``org_id``. A receiver takes off the
public pages, in the same transaction, whatever of its area names the partner.""")


@dataclass
class Erasure:
    """What a receiver of ``person_erased`` did: the labels of the fields it erased (for the
    destruction record, акт об уничтожении) and details for the audit entry."""

    fields: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)
