"""Roadmaps (дорожные карты): built-in templates from the seeds and the region's model roadmap,
editing and versions, the approval workflow, execution with evidence, deadline reminders,
oversight from above, exports.

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

__all__ = [
    "builtin", "editing", "execution", "export", "models", "oversight", "published", "reminders",
    "signals", "workflow",
]
