"""Training of mentors and curators: courses and events, sessions, enrolment, attendance, completion and certificates.

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

from mentorship.training import receivers  # noqa: F401  (connects the area's signal receivers)

__all__ = [
    "attendance", "certificate", "completions", "courses", "enrolment", "mentor_status", "models",
]
