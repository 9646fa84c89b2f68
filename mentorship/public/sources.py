"""Where a published document's snapshot comes from, and what the editor may choose.

Each source is read through the organisation's own tenant scope and must be its own (a body
does not publish a school's roadmap): the approved versions of its roadmaps, its built
analytical reports, its award orders whose people may all be published.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from slugify import slugify

from core.extensions import db
from mentorship.monitoring.readings import periods_by_id
from mentorship.people.models import Participant
from mentorship.people.publication import publication_consented_ids
from mentorship.public.errors import PublicError, PublicNotFound
from mentorship.recognition.award_orders import download_award_order, load_award_order
from mentorship.recognition.models import AwardOrder
from mentorship.reports.models import AnalyticalReport
from mentorship.roadmaps.export import to_docx as roadmap_docx
from mentorship.roadmaps.models import Roadmap
from tenants.models import Organization

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Source:
    """One thing the editor may publish: its id and how it is named in the choice."""

    id: int
    label: str
    on: date | datetime | None = None


@dataclass(frozen=True)
class SourceSnapshot:
    filename: str
    content_type: str
    data: bytes
    people: tuple[int, ...] = ()


def _filename(stem: str, suffix: str = "docx") -> str:
    return f"{slugify(stem, max_length=60, word_boundary=True) or 'document'}.{suffix}"


# ---------------------------------------------------------------------------- roadmaps

def roadmap_choices(org: Organization) -> list[Source]:
    """The organisation's approved roadmap versions, newest first."""
    rows = db.session.scalars(
        sa.select(Roadmap).where(Roadmap.org_id == org.id, Roadmap.status == "approved")
        .order_by(Roadmap.approved_at.desc(), Roadmap.id.desc())
    ).all()
    return [Source(r.id, f"{r.title} · {r.period_text or ''} · v{r.version}".replace(" ·  ·", " ·"), r.approved_at)
            for r in rows]


def roadmap_snapshot(org: Organization, roadmap_id: int | None) -> SourceSnapshot:
    roadmap = db.session.get(Roadmap, roadmap_id) if roadmap_id else None
    if roadmap is None or roadmap.org_id != org.id:
        raise PublicNotFound("source_not_found", field="roadmap_id")
    if roadmap.status != "approved":
        raise PublicError("roadmap_not_approved", field="roadmap_id")
    return SourceSnapshot(_filename(f"roadmap-v{roadmap.version}-{roadmap.id}"), DOCX,
                          roadmap_docx(roadmap, org.name))


# ---------------------------------------------------------------------------- analytical reports

def analytical_choices(org: Organization) -> list[Source]:
    """The organisation's built analytical reports, newest first (a body's or the ministry's)."""
    rows = db.session.scalars(
        sa.select(AnalyticalReport).where(AnalyticalReport.org_id == org.id, AnalyticalReport.status == "done")
        .order_by(AnalyticalReport.finished_at.desc(), AnalyticalReport.id.desc())
    ).all()
    periods = periods_by_id({r.period_id for r in rows})
    return [Source(r.id, _period_label(periods.get(r.period_id)), r.finished_at) for r in rows]


def _period_label(period) -> str:
    return period.reference_date.strftime("%d.%m.%Y") if period is not None else "—"


def analytical_snapshot(org: Organization, report_id: int | None) -> SourceSnapshot:
    report = db.session.get(AnalyticalReport, report_id) if report_id else None
    if report is None or report.org_id != org.id:
        raise PublicNotFound("source_not_found", field="report_id")
    data = db.session.scalar(sa.select(AnalyticalReport.docx).where(AnalyticalReport.id == report.id))
    if report.status != "done" or not data:
        raise PublicError("report_not_ready", field="report_id")
    period = periods_by_id([report.period_id]).get(report.period_id)
    stem = f"analytical-report-{period.reference_date.isoformat() if period else report.id}"
    return SourceSnapshot(_filename(stem), DOCX, data)


# ---------------------------------------------------------------------------- award orders

def award_order_choices(org: Organization) -> list[Source]:
    """The school's award orders, newest first."""
    rows = db.session.scalars(
        sa.select(AwardOrder).where(AwardOrder.org_id == org.id).order_by(AwardOrder.dated.desc(), AwardOrder.id.desc())
    ).all()
    return [Source(r.id, f"№ {r.number} · {r.dated.strftime('%d.%m.%Y')} · {r.title}", r.dated) for r in rows]


def check_people_consent(participant_ids: list[int], field: str | None = None) -> None:
    """Refuse unless every one of the people may be published now (a valid consent, data not
    erased); the message names those who may not."""
    if not participant_ids:
        return
    allowed = publication_consented_ids(participant_ids)
    missing = [pid for pid in participant_ids if pid not in allowed]
    if missing:
        names = db.session.scalars(sa.select(Participant.full_name).where(Participant.id.in_(missing))
                                   .order_by(Participant.full_name)).all()
        raise PublicError("order_without_consent", field=field, names=", ".join(names) or str(len(missing)))


def check_order(order) -> list[int]:
    """Refuse unless everyone the award order names may be published now: each mentor has a
    valid consent to publication (data not erased), each partner agreed to be named. Returns
    the mentors' participant ids."""
    if not order.awards:
        raise PublicError("order_empty", field="order_id")
    people = [a.participant_id for a in order.awards if a.participant_id is not None]
    refused = sorted({a.participant.full_name for a in order.awards
                      if a.participant_id is not None and a.participant.anonymised_at is not None})
    refused += sorted({a.enterprise.name for a in order.awards
                       if a.enterprise_id is not None and not a.enterprise.publication_agreed})
    if refused:
        raise PublicError("order_without_consent", field="order_id", names=", ".join(refused))
    check_people_consent(people, field="order_id")
    return people


def recheck_award_order(org: Organization, order_id: int | None, people: list[int]) -> None:
    """Before a snapshot of an award order is published (again): the order's people and
    partners checked as they are now (the order itself never changes once created)."""
    order = load_award_order(order_id) if order_id else None
    if order is None or order.org_id != org.id:
        check_people_consent(people)
        return
    check_order(order)


def award_order_snapshot(org: Organization, order_id: int | None) -> SourceSnapshot:
    """The award order as the school's DOCX, only when each mentor in it has a valid consent to
    publication (not erased) and each partner agreed to be named."""
    order = load_award_order(order_id) if order_id else None
    if order is None or order.org_id != org.id:
        raise PublicNotFound("source_not_found", field="order_id")
    people = check_order(order)
    data = download_award_order(order, org)  # the school's own document, its export audited
    return SourceSnapshot(_filename(f"award-order-{order.number}-{order.dated.isoformat()}"), DOCX, data,
                          tuple(sorted(set(people))))
