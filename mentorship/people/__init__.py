"""A school's people: participants and the rules of their records, consents (152-FZ) and
erasure, partner enterprises, bulk imports. Owner-only personal data; what the areas above
must do when a person is erased travels as ``signals.person_erased``.

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

__all__ = [
    "consents", "enterprises", "imports", "models", "participants", "publication", "rules", "signals",
]
