"""Pairing's named signals: what travels up to the areas above when a pair is corrected.

``pair_correcting`` is sent *before* a pair entered wrongly is voided or corrected
(mentorship/pairing/pairs.py ``void_pair``, ``correct_pair``), in the caller's transaction,
with the pair as it still is and ``change``, a ``PairCorrection`` saying what it would
become. A receiver that must forbid the change raises a ``DomainError`` (the monitoring does
when a frozen period counted the pair: mentorship/monitoring/receivers.py); nothing has been
changed yet, and the caller rolls back."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from blinker import Namespace

_signals = Namespace()

pair_correcting = _signals.signal("pair-correcting")


@dataclass(frozen=True)
class PairCorrection:
    """A pair's correction: ``kind`` "void" (entered by mistake) or "edit", and for an edit
    the values the pair would have (a void leaves them as they are)."""

    kind: str
    started_on: date
    form_code: str
    mentor_id: int
    mentee_ids: frozenset[int]

    @property
    def is_void(self) -> bool:
        return self.kind == "void"
