"""Reports up the hierarchy and their deadlines, the dashboards of every level, and the
analytical report (data, build, DOCX and XLSX).

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

from mentorship.reports import receivers  # noqa: F401  (connects the area's signal receivers)

__all__ = [
    "analytical", "dashboard_export", "dashboards", "deadlines", "models", "school_dashboard",
    "workflow",
]
