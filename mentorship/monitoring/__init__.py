"""The monitoring: indicators and their targets, the region's reference figures, periods and
the daily ticks, the set-based aggregation into frozen snapshots, a school's contingent, and
the plain values every level reads (``readings``).

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

from mentorship.monitoring import receivers  # noqa: F401  (connects the area's signal receivers)

__all__ = [
    "aggregation", "contingent", "facts", "figures", "indicators", "models", "periods", "readings",
    "targets",
]
