"""A school's partner enterprises (предприятия-партнёры): employers' representatives are
linked to one. Not personal data."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import raiseload

from core.errors import DomainError
from core.extensions import db
from core.search import contains
from mentorship.people.models import Enterprise, Participant

_INN = re.compile(r"\d{10}|\d{12}")


class EnterpriseError(DomainError):
    """An enterprise cannot be saved; each problem names its field (name, inn, contact)."""

    MESSAGES = {
        "name_required": _l("Enter the enterprise's name."),
        "name_too_long": _l("The name is longer than 300 characters."),
        "bad_inn": _l("The INN has 10 digits (an organisation) or 12 digits (an individual entrepreneur)."),
        "contact_too_long": _l("The contact is longer than 300 characters."),
    }


def check_enterprise(name: str | None, inn: str | None, contact: str | None) -> list[tuple[str, str]]:
    """Every problem as (field, code): a name is required; an INN, if given, is 10 or 12 digits."""
    problems = []
    name = (name or "").strip()
    if not name:
        problems.append(("name", "name_required"))
    elif len(name) > 300:
        problems.append(("name", "name_too_long"))
    inn = (inn or "").strip()
    if inn and not _INN.fullmatch(inn):
        problems.append(("inn", "bad_inn"))
    if len((contact or "").strip()) > 300:
        problems.append(("contact", "contact_too_long"))
    return problems


def enterprises_query(org_id: int, search: str = "") -> sa.Select:
    """The school's enterprises by name."""
    stmt = (
        sa.select(Enterprise).where(Enterprise.org_id == org_id).options(raiseload("*"))
        .order_by(Enterprise.name, Enterprise.id)
    )
    if search:
        stmt = stmt.where(contains(Enterprise.name, search))
    return stmt


def people_counts(enterprise_ids) -> dict[int, int]:
    """How many participants are linked to each of ``enterprise_ids`` (one query)."""
    ids = list(enterprise_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Participant.enterprise_id, sa.func.count(Participant.id))
        .where(Participant.enterprise_id.in_(ids)).group_by(Participant.enterprise_id)
    ).all()
    return dict(rows)


def save_enterprise(enterprise: Enterprise | None, org_id: int, name: str, inn: str | None,
                    contact: str | None) -> Enterprise:
    """Create (``enterprise`` None) or change a school's enterprise after checking it."""
    problems = check_enterprise(name, inn, contact)
    if problems:
        raise EnterpriseError(problems)
    if enterprise is None:
        enterprise = Enterprise(org_id=org_id)
        db.session.add(enterprise)
    enterprise.name = name.strip()
    enterprise.inn = (inn or "").strip() or None
    enterprise.contact = (contact or "").strip() or None
    db.session.flush()
    return enterprise
