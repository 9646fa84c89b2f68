"""The region's own data: the catalogue of mentorship forms, the region's settings and the
monitoring calendar (reference dates and each one's report deadlines), owned by the ministry and
read across the region; and the announcements the ministry and the municipal bodies send to the
organisations below them, with their read receipts.

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

__all__ = [
    "announcements", "calendar", "forms", "models", "settings", "signals",
]
