"""Surveys: questionnaires, campaigns, their audience and triggers, dispatch by e-mail and on
paper, anonymous answers, results published in steps of five.

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

from mentorship.surveys import receivers  # noqa: F401  (connects the area's signal receivers)

__all__ = [
    "answers", "campaigns", "defaults", "dispatch", "links", "models", "questionnaires", "results",
    "sheets", "triggers", "workbook",
]
