"""Bulk import of participants: an ``ImportBatch`` from upload to the imported rows.

1. ``create_batch`` validates the uploaded file against the school (mentorship/people/imports/reading.py)
   and keeps the batch: *invalid* with every error (the file itself is not kept), or *valid*
   with the file, waiting for the curator's confirmation.
2. ``queue_batch`` (the curator confirms): *queued*; the view enqueues the task after commit.
3. ``run_batch`` (the task): validates the file again against the school as it is now, then
   writes ALL rows in ONE transaction — participant, consent and bank profile per row, added
   and flushed in chunks — so either every row is imported or none is (*failed* with the
   reason). The file is erased once the batch is finished.

Progress while the import transaction is open: on PostgreSQL ``processed`` is written by a
separate short session on its own connection, committed at once, so the status page sees it
while the rows themselves are still uncommitted (the import transaction never locks the
batch's row, so the two never wait for each other). SQLite allows one writer at a time, so
there the progress is written inside the import transaction and shows at the end.

Exactly once: runs of one batch are serialised by a transaction-scoped advisory lock on
PostgreSQL, and the final "done" is a conditional update (``status IN ('queued', 'running')``)
in the import transaction itself: a second run — a retried or duplicated task — finds the
batch done and writes nothing, and if two ever raced, the loser's update matches no row and
its whole transaction is rolled back.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, defer, undefer

from core.errors import DomainError
from core.extensions import db
from core.model import utcnow
from core.search import contains
from mentorship.people.consents import DEFAULT_POLICY_VERSION, DEFAULT_PURPOSE
from mentorship.people.imports.models import ImportBatch
from mentorship.people.imports.reading import (
    MAX_BYTES,
    MAX_ERRORS,
    FormChoice,
    ImportRow,
    SchoolFacts,
    name_key,
    person_key,
    validate,
)
from mentorship.people.models import Consent, Enterprise, MenteeProfile, MentorProfile, Participant
from mentorship.people.signals import mentor_changed
from mentorship.region.forms import region_forms
from tenants import audit
from tenants.models import Organization, User

log = logging.getLogger("nastavnik.imports")

CHUNK_SIZE = 500
RUNNABLE = ("queued", "running")
FINISHED = ("done", "failed")
_LOCK_CLASS = 0x1A7B  # pg_advisory_xact_lock(class, batch id): "participant import"


class ImportBatchError(DomainError):
    """A file or a batch the import refuses (the rows' own errors are the batch's findings)."""

    MESSAGES = {
        "too_large": _l("The file is larger than 10 MB."),
        "not_valid": _l("Only a checked file without errors can be imported."),
    }


def clean_filename(name: str | None) -> str:
    """The upload's own name, without a path or characters that do not print."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    return name[-200:] or "file"


def school_facts(org: Organization, today: date) -> SchoolFacts:
    """The school's partner enterprises by name and the people it already has."""
    enterprises: dict[str, int] = {}
    for enterprise_id, name in db.session.execute(
        sa.select(Enterprise.id, Enterprise.name).where(Enterprise.org_id == org.id).order_by(Enterprise.id)
    ):
        enterprises.setdefault(name_key(name), enterprise_id)
    existing = {
        person_key(name, born) for name, born in db.session.execute(
            sa.select(Participant.full_name, Participant.birth_date)
            .where(Participant.org_id == org.id, Participant.anonymised_at.is_(None))
        )
    }
    forms = [FormChoice(f.code, f.name, f.mentor_category) for f in region_forms(org.path)]
    return SchoolFacts(today=today, enterprises=enterprises, existing=existing, forms=forms)


def create_batch(org: Organization, user: User | None, filename: str, data: bytes, today: date) -> ImportBatch:
    """Check the file and keep the result as a batch (added and flushed, not committed)."""
    if len(data) > MAX_BYTES:
        raise ImportBatchError("too_large", field="data")
    filename = clean_filename(filename)
    result = validate(filename, data, school_facts(org, today))
    batch = ImportBatch(
        org_id=org.id, kind="participants", filename=filename,
        data=data if result.valid else b"",  # an invalid file is not kept: it is personal data
        status="valid" if result.valid else "invalid", total=result.total, processed=0,
        errors=result.errors, created_by_id=getattr(user, "id", None),
    )
    db.session.add(batch)
    db.session.flush()
    audit.record("import.uploaded", org=org, obj=batch, user=user,
                 details={"filename": filename, "status": batch.status, "rows": result.total,
                          "errors": result.error_count})
    return batch


def queue_batch(batch: ImportBatch) -> None:
    """The curator confirms a valid batch: it waits for the worker."""
    # One conditional UPDATE: of two confirmations at once, only one queues the batch (the
    # other would otherwise re-queue it after the first import has finished).
    claimed = db.session.execute(
        sa.update(ImportBatch).where(ImportBatch.id == batch.id, ImportBatch.status == "valid")
        .values(status="queued", processed=0).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise ImportBatchError("not_valid")
    db.session.refresh(batch)


def batch_progress(batch: ImportBatch) -> dict:
    return {"status": batch.status, "processed": batch.processed, "total": batch.total}


# -- the task's work -------------------------------------------------------------------------

class _Failed(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(errors[0]["message"] if errors else "failed")
        self.errors = errors


@dataclass
class RunResult:
    status: str  # done | failed | what the batch already was (nothing done)
    imported: int = 0


def run_batch(batch_id: int, today: date, *, chunk_size: int = CHUNK_SIZE,
              on_chunk: Callable[[int], None] | None = None) -> RunResult:
    """Import a queued batch all-or-nothing, as the current tenant; see the module docstring.
    ``on_chunk(processed)`` is called after each chunk is flushed (tests and benchmarks)."""
    session = db.session
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_CLASS, batch_id)))
    batch = session.scalar(
        sa.select(ImportBatch).where(ImportBatch.id == batch_id)
        .options(undefer(ImportBatch.data)).execution_options(populate_existing=True)
    )
    if batch is None:
        session.rollback()
        raise LookupError(f"import batch {batch_id} is not visible to the current tenant")
    if batch.status not in RUNNABLE:
        status = batch.status
        session.rollback()
        return RunResult(status)
    progress = _SeparateProgress(batch_id) if postgres else _InlineProgress(session, batch)
    try:
        progress(status="running", processed=0)
        org = session.get(Organization, batch.org_id)
        result = validate(batch.filename, batch.data, school_facts(org, today))
        if not result.valid:
            raise _Failed([{"row": None, "column": None, "message": _(
                "The file no longer passes the checks against the school's data; nothing was imported.")},
                *result.errors])
        count = _write_rows(session, org, batch, result.rows, progress, chunk_size, on_chunk)
        finished = session.execute(
            sa.update(ImportBatch)
            .where(ImportBatch.id == batch_id, ImportBatch.status.in_(RUNNABLE))
            .values(status="done", processed=count, total=count, data=b"", errors=[], finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if finished.rowcount != 1:  # another run finished it first: this one writes nothing
            session.rollback()
            return RunResult(_current_status(batch_id))
        user = session.get(User, batch.created_by_id) if batch.created_by_id else None
        audit.record("import.completed", org=org, obj=batch, user=user,
                     details={"count": count, "filename": batch.filename})
        session.commit()
        return RunResult("done", count)
    except Exception as exc:  # noqa: BLE001 - any failure: nothing written, the batch says why
        session.rollback()
        if isinstance(exc, _Failed):
            errors = exc.errors
        else:
            log.exception("import batch %s failed", batch_id)
            errors = [{"row": None, "column": None, "message": _(
                "The import stopped on an internal error (%(kind)s); nothing was imported. Try again later.",
                kind=type(exc).__name__)}]
        _mark_failed(batch_id, errors)
        return RunResult(_current_status(batch_id))


def _write_rows(session: Session, org: Organization, batch: ImportBatch, rows: list[ImportRow], progress,
                chunk_size: int, on_chunk) -> int:
    done = 0
    common = {"org_id": org.id, "org_path": org.path}
    for start in range(0, len(rows), chunk_size):
        chunk = rows[start:start + chunk_size]
        people = [_participant(row, common) for row in chunk]
        session.add_all(people)
        session.flush()  # their ids; linked by id below (cheaper for the unit of work than relationships)
        linked: list = []
        for row, person in zip(chunk, people):
            linked.append(Consent(
                **common, participant_id=person.id, given_by=row.consent_by,
                representative_name=row.data.representative_name if row.consent_by == "representative" else None,
                purpose=DEFAULT_PURPOSE, policy_version=DEFAULT_POLICY_VERSION, given_on=row.consent_on,
                recorded_by_id=batch.created_by_id,
            ))
            if row.bank == "mentor":
                mentor = row.mentor
                linked.append(MentorProfile(
                    **common, participant_id=person.id, capacity=mentor.capacity if mentor else 1,
                    competencies=list(mentor.competencies) if mentor else [],
                    preferred_forms=list(mentor.forms) if mentor else [],
                    approved=bool(mentor and mentor.approved), publish_consent=bool(mentor and mentor.registry),
                ))
            elif row.bank == "mentee":
                linked.append(MenteeProfile(**common, participant_id=person.id))
        session.add_all(linked)
        session.flush()
        for row, person in zip(chunk, people):
            if row.mentor is not None and row.mentor.registry:
                mentor_changed.send(person, org=org)  # the municipal registry's entry, as the questionnaire does
        # Flushed and clean, they are held weakly by the session: memory stays flat per chunk.
        done += len(chunk)
        progress(processed=done)
        if on_chunk is not None:
            on_chunk(done)
    return done


def _participant(row: ImportRow, common: dict) -> Participant:
    d = row.data
    return Participant(
        **common, full_name=d.full_name, category=d.category, birth_date=d.birth_date,
        birth_year=d.birth_date.year if d.birth_date else None, class_or_position=d.class_or_position,
        teaching_since=d.teaching_since, special_needs=d.special_needs, email=d.email, phone=d.phone,
        representative_name=d.representative_name, representative_email=d.representative_email,
        representative_phone=d.representative_phone, enterprise_id=d.enterprise_id,
        in_mentor_bank=row.bank == "mentor", in_mentee_bank=row.bank == "mentee",
    )


class _InlineProgress:
    """SQLite: progress inside the import transaction (one writer at a time)."""

    def __init__(self, session: Session, batch: ImportBatch):
        self.session, self.batch = session, batch

    def __call__(self, **values) -> None:
        for name, value in values.items():
            setattr(self.batch, name, value)
        self.session.flush([self.batch])


class _SeparateProgress:
    """PostgreSQL: progress committed at once by a short session on its own connection
    (same tenant scope, same ORM criteria), visible while the import is uncommitted."""

    def __init__(self, batch_id: int):
        self.batch_id = batch_id

    def __call__(self, **values) -> None:
        with Session(db.engine) as side:
            side.execute(
                sa.update(ImportBatch).where(ImportBatch.id == self.batch_id, ImportBatch.status.in_(RUNNABLE))
                .values(**values).execution_options(synchronize_session=False)
            )
            side.commit()


def _mark_failed(batch_id: int, errors: list[dict]) -> None:
    """In a transaction of its own: the batch failed (unless a concurrent run finished it)."""
    try:
        db.session.execute(
            sa.update(ImportBatch)
            .where(ImportBatch.id == batch_id, ImportBatch.status.in_(RUNNABLE))
            .values(status="failed", errors=errors[:MAX_ERRORS + 1], data=b"", finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    except Exception:  # noqa: BLE001 - e.g. the database went away: the task's log has it
        db.session.rollback()
        log.exception("could not mark import batch %s failed", batch_id)


def _current_status(batch_id: int) -> str:
    status = db.session.scalar(sa.select(ImportBatch.status).where(ImportBatch.id == batch_id))
    db.session.commit()
    return status


def batches_query(org_id: int, search: str = "") -> sa.Select:
    """The school's import history, newest first, by file name (errors and file not loaded)."""
    stmt = (
        sa.select(ImportBatch)
        .where(ImportBatch.org_id == org_id)
        .options(defer(ImportBatch.errors, raiseload=True), defer(ImportBatch.data, raiseload=True))
        .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
    )
    if search:
        stmt = stmt.where(contains(ImportBatch.filename, search))
    return stmt
