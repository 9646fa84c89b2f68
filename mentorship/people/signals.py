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


@dataclass
class Erasure:
    """What a receiver of ``person_erased`` did: the labels of the fields it erased (for the
    destruction record, акт об уничтожении) and details for the audit entry."""

    fields: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)
