"""The region's own data: the catalogue of mentorship forms, the region's settings and the
monitoring calendar, owned by the ministry and read across the region.

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

__all__ = [
    "calendar", "forms", "models", "settings",
]
