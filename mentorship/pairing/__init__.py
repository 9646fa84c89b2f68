"""Pairing: programmes, the banks, matching (solver and runs), pairs and groups, orders,
individual plans, meetings and completion — a school's mentorship work, owner-only.

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

from mentorship.pairing import receivers  # noqa: F401  (connects the area's signal receivers)

__all__ = [
    "bank_export", "banks", "completion", "matching", "meeting_reminders", "meetings", "models",
    "order_document", "orders", "pair_queries", "pairs", "plans", "programmes", "signals",
]
