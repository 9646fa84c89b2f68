"""The library's categories and statuses, and the file types it accepts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.uploads import ALLOWED_TYPES

CATEGORY_LABELS = {
    "regulation": _l("Regulations"),
    "template": _l("Model documents and templates"),
    "recommendation": _l("Methodological recommendations"),
    "presentation": _l("Presentations"),
    "practice": _l("Best practices"),
}
CATEGORIES = tuple(CATEGORY_LABELS)
PRACTICE = "practice"  # the one category a school contributes (moderated one level up)

STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Under review"),
    "returned": _l("Returned for revision"),
    "published": _l("Published"),
    "archived": _l("Withdrawn"),
}
STATUSES = tuple(STATUS_LABELS)

# Who sees a published item: the organisations below its publisher (and above it), or the
# whole region (a school's best practice once its municipal body has approved it).
AUDIENCES = ("below", "region")

# Documents, tables and presentations, checked by content (core/uploads.py); up to 20 MB.
LIBRARY_TYPES = {
    **ALLOWED_TYPES,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {"pptx"},
}
MAX_FILE_BYTES = 20 * 1024 * 1024
