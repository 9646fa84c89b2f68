"""The municipal (and regional) registry of mentors who consented to it, and mentees as counts only.

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

from mentorship.registry import receivers  # noqa: F401  (connects the area's signal receivers)

__all__ = ["counts", "entries", "models", "workbook"]
