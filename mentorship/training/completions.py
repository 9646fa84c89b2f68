"""Completion of training (обучение пройдено) and its certificate.

The organiser marks an enrolled person's completion: the date, the hours and the certificate's
number — unique among the certificates the organiser has issued (a number left empty is given
the next free one of the year, «2026-0007») — with the organiser's scanned certificate if it
has one; otherwise the certificate is generated (``certificate.to_docx``). A school records a
course its mentor took elsewhere (the regional institute's further training, a university's
course) with the uploaded certificate. Either way the mentor's status in the school's bank
becomes «completed» (``mentor_status``) and the registry follows.

``of_participant`` gives a mentor's completions for the portfolio; ``latest_by_participant``
the latest of each mentor of a page of the bank, in one query.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from core.errors import DomainError, Problem
from core.extensions import db
from core.uploads import CheckedFile, UploadError, check_upload
from mentorship.people.models import Participant
from mentorship.training import certificate as certificate_document
from mentorship.training import mentor_status
from mentorship.training.courses import KIND_LABELS, require_organiser
from mentorship.training.models import MAX_HOURS, CertificateFile, Course, Enrolment, TrainingCompletion
from tenants import audit
from tenants.models import Organization

MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024
NUMBER = re.compile(r"^[0-9A-Za-zА-Яа-яЁё№/.\- ]{1,40}$")
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class CompletionError(DomainError):
    """A completion refused; the field is what to correct."""

    MESSAGES = {
        "not_enrolled": _l("Only an enrolled person can complete the course."),
        "completed_on_required": _l("Enter the date of completion."),
        "completed_on_future": _l("The date of completion is in the future."),
        "completed_before_start": _l("The course had not started on that date."),
        "hours_range": _l("Hours must be from 1 to %(max)d.", max=MAX_HOURS),
        "number_format": _l("A certificate number has up to 40 characters: letters, digits, spaces and «-», «/», "
                            "«.», «№»."),
        "number_taken": _l("Certificate № %(number)s has already been issued by the organiser."),
        "course_title_required": _l("Enter the course's title."),
        "organiser_required": _l("Enter who organised the course."),
        "not_a_mentor": _l("Choose a mentor of the school's mentor bank."),
        # a certificate refused by core.uploads.check_upload
        "empty": _l("The file is empty."),
        "too_large": _l("The file is larger than 10 MB."),
        "type_not_allowed": _l("Only PDF, JPEG, PNG, DOCX and XLSX files are accepted."),
        "name_mismatch": _l("The file's content does not match its name."),
    }


def check_certificate(filename: str | None, data: bytes) -> CheckedFile:
    """An uploaded certificate checked by content and size (CompletionError otherwise)."""
    try:
        return check_upload(filename or "", data, MAX_CERTIFICATE_BYTES)
    except UploadError as exc:
        raise CompletionError(exc.code, field="certificate") from exc


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _date_and_hours(completed_on: date | None, hours: int | None, today: date,
                    starts_on: date | None = None) -> list[Problem]:
    problems = []
    if completed_on is None:
        problems.append(Problem("completed_on_required", "completed_on"))
    elif completed_on > today:
        problems.append(Problem("completed_on_future", "completed_on"))
    elif starts_on is not None and completed_on < starts_on:
        problems.append(Problem("completed_before_start", "completed_on"))
    if hours is None or not 1 <= hours <= MAX_HOURS:
        problems.append(Problem("hours_range", "hours"))
    return problems


def _number_taken(issuer_id: int, number: str) -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count(TrainingCompletion.id)).where(
        TrainingCompletion.issuer_id == issuer_id, TrainingCompletion.certificate_number == number)))


def next_certificate_number(issuer_id: int, year: int) -> str:
    """The next free number of the year among the organiser's certificates: «2026-0001»…"""
    prefix = f"{year}-"
    used = db.session.scalars(sa.select(TrainingCompletion.certificate_number).where(
        TrainingCompletion.issuer_id == issuer_id, TrainingCompletion.certificate_number.startswith(prefix)))
    numbers = [int(n[len(prefix):]) for n in used if n[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _attach(completion: TrainingCompletion, checked: CheckedFile | None, user) -> None:
    if checked is None:
        return
    completion.certificate = CertificateFile(
        org_id=completion.org_id, filename=checked.filename, content_type=checked.content_type,
        size=len(checked.data), data=checked.data, uploaded_by_id=getattr(user, "id", None))


def _flush_numbered(completion: TrainingCompletion) -> None:
    """Write the completion; a number issued meanwhile by a concurrent completion is refused
    (the unique key of organiser and number)."""
    try:
        with db.session.begin_nested():
            db.session.add(completion)
            db.session.flush()
    except IntegrityError as exc:
        raise CompletionError("number_taken", field="certificate_number",
                              number=completion.certificate_number) from exc


def complete(enrolment: Enrolment, *, completed_on: date | None, hours: int | None, certificate_number: str | None,
             certificate: CheckedFile | None = None, org: Organization, user=None,
             today: date) -> TrainingCompletion:
    """The organiser ``org`` marks ``enrolment`` completed and issues the certificate."""
    course: Course = enrolment.course
    require_organiser(course, org)
    if enrolment.status != "enrolled":
        raise CompletionError("not_enrolled")
    problems = _date_and_hours(completed_on, hours, today, course.starts_on)
    number = _clean(certificate_number)
    if number and not NUMBER.match(number):
        problems.append(Problem("number_format", "certificate_number"))
    elif number and _number_taken(org.id, number):
        problems.append(Problem("number_taken", "certificate_number", {"number": number}))
    if problems:
        raise CompletionError(problems)
    number = number or next_certificate_number(org.id, completed_on.year)
    completion = TrainingCompletion(
        org_id=enrolment.org_id, enrolment_id=enrolment.id, course_id=course.id,
        participant_id=enrolment.participant_id, user_id=enrolment.user_id, issuer_id=org.id,
        course_title=course.title, organiser_name=org.short_name or org.name, completed_on=completed_on,
        hours=hours, certificate_number=number, recorded_by_id=getattr(user, "id", None))
    _attach(completion, certificate, user)
    _flush_numbered(completion)
    enrolment.status = "completed"
    db.session.flush()
    audit.record("training.completed", org=org, obj=course, user=user,
                 details={"enrolment_id": enrolment.id, "completion_id": completion.id, "number": number})
    if enrolment.participant_id is not None:
        mentor_status.sync(enrolment.participant_id, enrolment.org_id, enrolment.org_path)
    return completion


@dataclass
class ExternalData:
    course_title: str = ""
    organiser_name: str = ""
    completed_on: date | None = None
    hours: int | None = None
    certificate_number: str = ""


def record_external(participant: Participant, data: ExternalData, *, certificate: CheckedFile | None = None,
                    org: Organization, user=None, today: date) -> TrainingCompletion:
    """The school records a course its mentor completed elsewhere, with the certificate."""
    if participant.mentor_profile is None or participant.anonymised_at is not None:
        raise CompletionError("not_a_mentor", field="participant_id")
    problems = _date_and_hours(data.completed_on, data.hours, today)
    if not _clean(data.course_title):
        problems.append(Problem("course_title_required", "course_title"))
    if not _clean(data.organiser_name):
        problems.append(Problem("organiser_required", "organiser_name"))
    number = _clean(data.certificate_number)
    if number and not NUMBER.match(number):
        problems.append(Problem("number_format", "certificate_number"))
    if problems:
        raise CompletionError(problems)
    completion = TrainingCompletion(
        org_id=participant.org_id, participant_id=participant.id, course_title=_clean(data.course_title)[:300],
        organiser_name=_clean(data.organiser_name)[:300], completed_on=data.completed_on, hours=data.hours,
        certificate_number=number or "—", recorded_by_id=getattr(user, "id", None))
    _attach(completion, certificate, user)
    db.session.add(completion)
    db.session.flush()
    audit.record("training.external_recorded", org=org, obj=participant, user=user,
                 details={"completion_id": completion.id})
    mentor_status.sync(participant.id, participant.org_id, participant.org_path)
    return completion


# ---------------------------------------------------------------------------- reading


def of_participant(participant_id: int) -> list[TrainingCompletion]:
    """A mentor's completed trainings, the latest first (for the portfolio and the card)."""
    return list(db.session.scalars(
        sa.select(TrainingCompletion).where(TrainingCompletion.participant_id == participant_id)
        .order_by(TrainingCompletion.completed_on.desc(), TrainingCompletion.id.desc())
    ))


def latest_by_participant(participant_ids) -> dict[int, TrainingCompletion]:
    """The latest completion of each of ``participant_ids`` that has one (one query)."""
    ids = list(participant_ids)
    if not ids:
        return {}
    latest: dict[int, TrainingCompletion] = {}
    for completion in db.session.scalars(
        sa.select(TrainingCompletion).where(TrainingCompletion.participant_id.in_(ids))
        .order_by(TrainingCompletion.participant_id, TrainingCompletion.completed_on.desc(),
                  TrainingCompletion.id.desc())
    ):
        latest.setdefault(completion.participant_id, completion)
    return latest


def school_completions(org: Organization) -> sa.Select:
    """The completions of the organisation's own people (its mentors and staff), latest first."""
    return (sa.select(TrainingCompletion).where(TrainingCompletion.org_id == org.id)
            .order_by(TrainingCompletion.completed_on.desc(), TrainingCompletion.id.desc()))


@dataclass(frozen=True)
class CertificateFileOut:
    filename: str
    content_type: str
    data: bytes


def person_name(completion: TrainingCompletion) -> str:
    """Whose certificate: the name as enrolled (an external course: the mentor's, which only
    the school itself can read)."""
    if completion.enrolment is not None:
        return completion.enrolment.display_name
    if completion.participant_id is not None:
        person = db.session.get(Participant, completion.participant_id)
        return person.full_name if person is not None else "—"
    return "—"


def names_of(items) -> dict[int, str]:
    """{completion id: whose} for a page of the organisation's own completions (two queries):
    the name as enrolled, or the mentor's own (the school's records) for a course taken
    elsewhere."""
    items = list(items)
    enrolment_ids = [c.enrolment_id for c in items if c.enrolment_id]
    enrolled = dict(db.session.execute(
        sa.select(Enrolment.id, Enrolment.display_name).where(Enrolment.id.in_(enrolment_ids))
    ).all()) if enrolment_ids else {}
    people_ids = [c.participant_id for c in items if not c.enrolment_id and c.participant_id]
    people = dict(db.session.execute(
        sa.select(Participant.id, Participant.full_name).where(Participant.id.in_(people_ids))
    ).all()) if people_ids else {}
    return {c.id: enrolled.get(c.enrolment_id) if c.enrolment_id else people.get(c.participant_id, "—")
            for c in items}


def open_certificate(completion: TrainingCompletion, *, org: Organization, user=None) -> CertificateFileOut | None:
    """The certificate's file — uploaded, or generated for a course of the system — with its
    opening audited; None when there is none (a course taken elsewhere, nothing uploaded)."""
    if completion.certificate is not None:
        stored = completion.certificate
        out = CertificateFileOut(stored.filename, stored.content_type, stored.data)
    elif completion.issuer_id is not None:
        course = db.session.get(Course, completion.course_id) if completion.course_id else None
        with force_locale("ru"):
            kind = str(KIND_LABELS.get(course.kind, "")) if course is not None else ""
        text = certificate_document.CertificateText(
            organiser=completion.organiser_name, number=completion.certificate_number,
            person=person_name(completion), course_title=completion.course_title, kind=kind.lower() or "курс",
            hours=completion.hours, completed_on=completion.completed_on)
        safe = re.sub(r"[^0-9A-Za-z-]+", "-", completion.certificate_number).strip("-") or str(completion.id)
        out = CertificateFileOut(f"certificate-{safe}.docx", DOCX_MIMETYPE, certificate_document.to_docx(text))
    else:
        return None
    audit.record("training.certificate_opened", org=org, obj=completion, user=user)
    return out
