"""Pairing: programmes, the banks, matching (solver and runs), pairs and groups, orders,
individual plans, meetings and completion — a school's mentorship work, owner-only."""
from mentorship.pairing import receivers  # noqa: F401  (connects pairing's signal receivers)
