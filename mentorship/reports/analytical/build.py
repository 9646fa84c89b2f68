"""Building the analytical report (информационно-аналитическая справка) of a period and a
level: the request, and the run that assembles its data (analytical/data.py) and stores its
DOCX (analytical/document.py) and XLSX (analytical/workbook.py).

``build_report`` is the task's work: ``running`` with ``done`` of ``total`` steps, each step's
progress committed on its own (the page polls it), then the DOCX and XLSX stored and
``done``. Exactly once: a report already ``done`` is left alone, and the final write is a
conditional update (``status = 'running'``), so of two runs racing only one stores its
files. A failure marks the report ``failed`` with the message; transient database errors
are raised again for Celery's retry (a failed report may be run again).
"""
from __future__ import annotations

import logging
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError

from core.errors import DomainError
from core.extensions import db
from core.model import utcnow
from mentorship.monitoring.readings import period_of
from mentorship.reports.analytical.data import assemble
from mentorship.reports.analytical.document import to_docx
from mentorship.reports.analytical.workbook import to_xlsx
from mentorship.reports.models import AnalyticalReport
from tenants import audit
from tenants.models import Organization

log = logging.getLogger("nastavnik.analytical")

STEPS = ("indicators", "units", "trend", "satisfaction", "roadmaps", "docx", "xlsx")
RUNNABLE = ("queued", "running", "failed")


class AnalyticalError(DomainError):
    """A report that cannot be built for the period chosen (``period_id``)."""

    MESSAGES = {
        "period_missing": _l("The period does not exist in your region."),
        "not_frozen": _l("The period is not frozen yet: the analytical report is built from frozen figures only."),
    }


# -- the run ------------------------------------------------------------------------------------

R = AnalyticalReport


def _update(report_id: int, *statuses: str):
    return (sa.update(R).where(R.id == report_id, R.status.in_(statuses))
            .execution_options(synchronize_session=False))


def record_progress(report_id: int, **values) -> None:
    """Write a running report's progress (``done=…``) in one short transaction of its own:
    the status page sees it at once."""
    db.session.commit()  # end the reads so far (they wrote nothing)
    db.session.execute(_update(report_id, "running").values(**values))
    db.session.commit()


def _claim(report_id: int) -> str | None:
    """Put the report in ``running`` if it may run; its status otherwise (None: not visible)."""
    status = db.session.scalar(sa.select(AnalyticalReport.status).where(AnalyticalReport.id == report_id))
    if status is None or status not in RUNNABLE:
        db.session.rollback()
        return status or None
    db.session.execute(
        _update(report_id, *RUNNABLE).values(status="running", total=len(STEPS), done=0, error=None)
    )
    db.session.commit()
    return "claimed"


def build_report(report_id: int, today: date) -> str:
    """Build report ``report_id`` as the current tenant (its organisation); returns the status
    it ends in (a report that was not runnable is left as it was)."""

    claimed = _claim(report_id)
    if claimed != "claimed":
        return claimed or "missing"
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        record_progress(report_id, done=done)

    try:
        org_id, period_id = db.session.execute(
            sa.select(AnalyticalReport.org_id, AnalyticalReport.period_id).where(AnalyticalReport.id == report_id)
        ).one()
        org = db.session.get(Organization, org_id)
        period = period_of(org, period_id)
        _require_frozen(period)
        data = assemble(org, period, today, step)
        docx = to_docx(data)
        step()
        xlsx = to_xlsx(data)
        step()
        finished = db.session.execute(
            _update(report_id, "running")
            .values(status="done", docx=docx, xlsx=xlsx, done=len(STEPS), finished_at=utcnow(), error=None)
        )
        if finished.rowcount != 1:  # another run stored its files first
            db.session.rollback()
            return _status(report_id)
        db.session.commit()
        log.info("analytical report %s built (%s bytes docx, %s bytes xlsx)", report_id, len(docx), len(xlsx))
        return "done"
    except Exception as exc:
        db.session.rollback()
        log.exception("analytical report %s failed", report_id)
        _mark_failed(report_id, exc)
        if isinstance(exc, OperationalError):
            raise  # transient: Celery retries, and a failed report may run again
        return "failed"


def _status(report_id: int) -> str:
    return db.session.scalar(sa.select(AnalyticalReport.status).where(AnalyticalReport.id == report_id)) or "missing"


def _require_frozen(period) -> None:
    if period is None:
        raise AnalyticalError("period_missing", field="period_id")
    if not period.frozen:
        raise AnalyticalError("not_frozen", field="period_id")


def failure(report: AnalyticalReport) -> str | None:
    """Why the report failed, as the page says it: a refusal's message, else the error's text."""
    if not report.error:
        return None
    if report.error in AnalyticalError.MESSAGES:
        return AnalyticalError(report.error).message
    return report.error


def _mark_failed(report_id: int, exc: Exception) -> None:
    # a domain refusal keeps its code (the page translates it); anything else its text
    message = exc.code if isinstance(exc, AnalyticalError) else f"{type(exc).__name__}: {exc}"
    try:
        db.session.execute(
            _update(report_id, "queued", "running")
            .values(status="failed", error=(message or "")[:2000], finished_at=utcnow())
        )
        db.session.commit()
    except Exception:  # noqa: BLE001 - the original error matters more
        db.session.rollback()
        log.exception("could not record the failure of analytical report %s", report_id)


# -- the request side -------------------------------------------------------------------------

def request_report(org: Organization, period_id: int | None, user) -> AnalyticalReport:
    """A new report of ``org`` for a frozen period of its region, queued (added and flushed,
    not committed: the caller commits, then the task is sent). Raises AnalyticalError."""
    period = period_of(org, period_id)
    _require_frozen(period)
    report = AnalyticalReport(org_id=org.id, period_id=period.id, status="queued", total=len(STEPS), done=0,
                              created_by_id=getattr(user, "id", None))
    db.session.add(report)
    db.session.flush()
    audit.record("analytical.requested", org=org, obj=report, user=user,
                 details={"reference_date": period.reference_date.isoformat()})
    return report


def pending_report(org: Organization, period_id: int) -> AnalyticalReport | None:
    """A report of ``org`` for the period still queued or running (a second request waits for it)."""
    return db.session.scalar(
        sa.select(AnalyticalReport)
        .where(AnalyticalReport.org_id == org.id, AnalyticalReport.period_id == period_id,
               AnalyticalReport.status.in_(("queued", "running")))
        .limit(1)
    )


def progress_of(report: AnalyticalReport) -> dict:
    return {"status": report.status, "done": report.done, "total": report.total}


def download(report: AnalyticalReport, fmt: str) -> bytes | None:
    """The report's ``fmt`` file (``docx`` or ``xlsx``) once it is built, its download audited
    (for the report's organisation); None while there is none."""
    data = db.session.scalar(sa.select(getattr(AnalyticalReport, fmt)).where(AnalyticalReport.id == report.id))
    if report.status != "done" or not data:
        return None
    owner = db.session.get(Organization, report.org_id)
    audit.record("analytical.downloaded", org=owner, obj=report, details={"format": fmt})
    return data
