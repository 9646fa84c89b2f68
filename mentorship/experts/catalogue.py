"""The fixed catalogue of the expert bank: kinds of experts and areas of expertise.

Codes are stored; labels are shown (translated). An expert also has free tags for anything the
catalogue does not name.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Who the expert is (seed 002 item 1.9: psychologists, staff of the regional institute ИРО,
# university teachers, business representatives).
KIND_LABELS = {
    "psychologist": _l("Psychologist"),
    "methodologist": _l("Methodologist"),
    "university": _l("University teacher"),
    "institute": _l("Staff of the institute of education development"),
    "employer": _l("Employers' representative"),
    "other": _l("Other specialist"),
}
KINDS = tuple(KIND_LABELS)

# What an expert can help with.
AREA_LABELS = {
    "psychology": _l("Psychological and pedagogical support"),
    "methodology": _l("Methodological support of mentorship"),
    "young_teachers": _l("Adaptation of young teachers"),
    "career": _l("Career guidance and professional self-determination"),
    "inclusion": _l("Inclusive education, pupils with special needs"),
    "gifted": _l("Work with gifted children"),
    "at_risk": _l("Pupils at risk, low achievement"),
    "digital": _l("Digital skills and online formats"),
    "legal": _l("Regulations and documents of mentorship"),
    "evaluation": _l("Monitoring and evaluation of mentorship"),
    "employers": _l("Partnership with employers"),
    "mediation": _l("Conflict prevention and mediation"),
}
AREAS = tuple(AREA_LABELS)

REQUEST_STATUS_LABELS = {
    "new": _l("New"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "closed": _l("Closed"),
    "withdrawn": _l("Withdrawn"),
}


def join_codes(codes) -> str:
    """Catalogue codes as stored: in catalogue order, comma-separated, unknown ones dropped."""
    chosen = set(codes or ())
    return ",".join(code for code in AREAS if code in chosen)


def split_codes(stored: str | None) -> list[str]:
    return [code for code in (stored or "").split(",") if code]


def area_labels(stored: str | None) -> list[str]:
    """The labels of the stored area codes, in catalogue order."""
    return [str(AREA_LABELS[code]) for code in split_codes(stored) if code in AREA_LABELS]
