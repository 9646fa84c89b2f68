"""Consents to personal-data processing (152-FZ): giving one, its scan, and withdrawal.

Nobody enters a school's records or banks without a consent. A minor's consent is given by a
legal representative, whose authority was checked. Withdrawing the last valid consent stops
all processing: the person's personal data are erased (``erase_personal_data``) and the
``person_erased`` signal tells the areas that keep something about them (pairing ends the
active pairs, the surveys cancel pending invitations). Pairs and past figures stay, anonymous.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import undefer

from core.errors import DomainError
from core.extensions import db
from core.model import utcnow
from core.uploads import CheckedFile, UploadError, check_upload
from mentorship.people.models import Consent, DestructionRecord, Participant
from mentorship.people.publication import end_on_erasure
from mentorship.people.rules import is_minor
from mentorship.people.signals import person_erased
from tenants import audit
from tenants.models import Organization

GIVEN_BY = ("participant", "representative")
GIVEN_BY_LABELS = {
    "participant": _l("The participant"),
    "representative": _l("The legal representative"),
}
DEFAULT_PURPOSE = "Участие в программе наставничества: формирование баз наставников и наставляемых, " \
                  "закрепление наставнических пар и групп, мониторинг и отчётность."
DEFAULT_POLICY_VERSION = "1.0"
SCAN_TYPES = ("application/pdf", "image/jpeg", "image/png")
MAX_SCAN_BYTES = 5 * 1024 * 1024
ERASED_NAME = "—"  # what an erased person's name becomes: nothing that identifies them

class ConsentError(DomainError):
    """A consent cannot be recorded or withdrawn; each problem names the field of
    ``ConsentData`` (or of the withdrawal: ``withdrawn_on``, ``reason``) to correct."""

    MESSAGES = {
        "bad_given_by": _l("Say who gave the consent."),
        "representative_consent_required": _l("A minor's consent is given by the legal representative."),
        "representative_name_required": _l("Enter the legal representative's full name."),
        "authority_required": _l("Say how the representative's authority was checked."),
        "given_on_required": _l("Enter the date the consent was given."),
        "given_on_future": _l("The consent date is in the future."),
        "purpose_required": _l("Enter the purpose of processing."),
        "policy_version_required": _l("Enter the version of the personal-data policy."),
        "scan_empty": _l("The file is empty."),
        "scan_too_large": _l("The scan is larger than 5 MB."),
        "scan_type": _l("A scan must be a PDF, JPEG or PNG file."),
        "scan_mismatch": _l("The file's content does not match its name."),
        "already_withdrawn": _l("This consent is already withdrawn."),
        "withdrawn_on_required": _l("Enter the date of withdrawal."),
        "withdrawn_before_given": _l("A consent cannot be withdrawn before it was given."),
        "withdrawn_on_future": _l("The withdrawal date is in the future."),
        "reason_required": _l("Give the reason of the withdrawal."),
        "anonymised": _l("The person's data was erased after the consent was withdrawn."),
        "withdrawn_not_corrected": _l("A withdrawn consent is not corrected."),
        "not_earlier": _l("Only an earlier date can be recorded: the date the paper consent was really signed "
                          "(%(given)s is recorded now)."),
    }


@dataclass
class ConsentData:
    """A consent as entered, before it is saved."""

    given_by: str
    given_on: date | None
    purpose: str = DEFAULT_PURPOSE
    policy_version: str = DEFAULT_POLICY_VERSION
    representative_name: str | None = None
    authority_document: str | None = None
    scan: CheckedFile | None = None


def check_scan(filename: str, data: bytes) -> CheckedFile:
    """The scan if it is a PDF, JPEG or PNG by content, named as such, within the size limit."""
    try:
        checked = check_upload(filename or "", data, max_bytes=MAX_SCAN_BYTES)
    except UploadError as exc:
        code = {"empty": "scan_empty", "too_large": "scan_too_large", "name_mismatch": "scan_mismatch"}.get(
            exc.code, "scan_type")
        raise ConsentError(code, field="scan") from None
    if checked.content_type not in SCAN_TYPES:
        raise ConsentError("scan_type", field="scan")
    return checked


def check_consent(data: ConsentData, birth_date: date | None, today: date) -> list[tuple[str, str]]:
    """Every problem of ``data`` for a person born on ``birth_date``, as (field, code)."""
    problems: list[tuple[str, str]] = []
    if data.given_by not in GIVEN_BY:
        problems.append(("given_by", "bad_given_by"))
    elif data.given_by == "participant" and is_minor(birth_date, today):
        problems.append(("given_by", "representative_consent_required"))
    if data.given_by == "representative":
        if not (data.representative_name or "").strip():
            problems.append(("representative_name", "representative_name_required"))
        if not (data.authority_document or "").strip():
            problems.append(("authority_document", "authority_required"))
    if data.given_on is None:
        problems.append(("given_on", "given_on_required"))
    elif data.given_on > today:
        problems.append(("given_on", "given_on_future"))
    if not (data.purpose or "").strip():
        problems.append(("purpose", "purpose_required"))
    if not (data.policy_version or "").strip():
        problems.append(("policy_version", "policy_version_required"))
    return problems


def build_consent(person: Participant, data: ConsentData, user=None) -> Consent:
    """A Consent row for ``person`` (checked by the caller), added to the session."""
    representative = data.given_by == "representative"
    consent = Consent(
        org_id=person.org_id, given_by=data.given_by,
        representative_name=(data.representative_name or "").strip() or None if representative else None,
        authority_document=(data.authority_document or "").strip() or None if representative else None,
        purpose=data.purpose.strip(), policy_version=data.policy_version.strip(), given_on=data.given_on,
        recorded_by_id=getattr(user, "id", None),
    )
    if data.scan is not None:
        consent.scan_filename = data.scan.filename
        consent.scan_content_type = data.scan.content_type
        consent.scan_size = len(data.scan.data)
        consent.scan_data = data.scan.data
    consent.participant = person
    db.session.add(consent)
    return consent


def refuse_if_erased(person: Participant) -> None:
    """Raise ConsentError when ``person``'s data were erased: nothing more is recorded of them."""
    if person.anonymised_at is not None:
        raise ConsentError("anonymised")


def add_consent(person: Participant, data: ConsentData, today: date, user=None, org=None) -> Consent:
    """Record a further consent of an existing participant (audited: "consent.added")."""
    refuse_if_erased(person)
    problems = check_consent(data, person.birth_date, today)
    if problems:
        raise ConsentError(problems)
    consent = build_consent(person, data, user)
    db.session.flush()
    audit.record("consent.added", org=org if org is not None else _owner(person), obj=consent, user=user,
                 details={"participant_id": person.id})
    return consent


def correct_given_on(consent: Consent, given_on: date | None, today: date, user=None, org=None) -> Consent:
    """Record the real, earlier date of a paper consent entered with a later one (the
    participant form fills today's date; a pair that started before needs the real date).
    Only a valid consent, only an earlier date, never in the future; audited
    ("consent.date_corrected", both dates)."""
    refuse_if_erased(consent.participant)
    if consent.withdrawn_on is not None:
        raise ConsentError("withdrawn_not_corrected", field="given_on")
    if given_on is None:
        raise ConsentError("given_on_required", field="given_on")
    if given_on > today:
        raise ConsentError("given_on_future", field="given_on")
    if given_on >= consent.given_on:
        raise ConsentError("not_earlier", field="given_on", given=consent.given_on.strftime("%d.%m.%Y"))
    previous = consent.given_on
    consent.given_on = given_on
    db.session.flush()
    audit.record("consent.date_corrected", org=org if org is not None else _owner(consent), obj=consent, user=user,
                 details={"participant_id": consent.participant_id, "from": previous.isoformat(),
                          "to": given_on.isoformat()})
    return consent


def open_scan(consent_id: int, user=None, org=None) -> Consent | None:
    """The consent ``consent_id`` with its scan loaded, to be downloaded — None when there is
    no such consent (through the tenant scope: another school's is not found) or no scan.
    Whoever opens a scan of personal data is audited ("consent.scan_viewed")."""
    consent = db.session.scalar(
        sa.select(Consent).where(Consent.id == consent_id).options(undefer(Consent.scan_data))
    )
    if consent is None or consent.scan_data is None:
        return None
    audit.record("consent.scan_viewed", org=org if org is not None else _owner(consent), obj=consent, user=user,
                 details={"participant_id": consent.participant_id})
    return consent


def consent_status(person: Participant) -> str:
    """valid | withdrawn | none, from the (loaded) consents of ``person``."""
    if not person.consents:
        return "none"
    if any(c.withdrawn_on is None for c in person.consents):
        return "valid"
    return "withdrawn"


def has_valid_consent(person: Participant) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count(Consent.id)).where(Consent.participant_id == person.id, Consent.withdrawn_on.is_(None))
    ) > 0


def withdraw_consent(consent: Consent, on: date | None, reason: str, today: date, user=None,
                     org=None) -> bool:
    """Mark ``consent`` withdrawn on ``on``. If the person is left without a valid consent,
    their personal data are erased and processing stops; returns whether that happened."""
    problems = []
    if consent.withdrawn_on is not None:
        problems.append(("withdrawn_on", "already_withdrawn"))
    elif on is None:
        problems.append(("withdrawn_on", "withdrawn_on_required"))
    elif on > today:
        problems.append(("withdrawn_on", "withdrawn_on_future"))
    elif on < consent.given_on:
        problems.append(("withdrawn_on", "withdrawn_before_given"))
    if not (reason or "").strip():
        problems.append(("reason", "reason_required"))
    if problems:
        raise ConsentError(problems)
    consent.withdrawn_on, consent.withdrawal_reason = on, reason.strip()
    person = consent.participant
    org = org if org is not None else _owner(person)
    audit.record("consent.withdrawn", org=org, obj=consent, user=user, details={"participant_id": person.id})
    db.session.flush()
    if has_valid_consent(person):
        return False
    erase_personal_data(person, f"consent withdrawn on {on.isoformat()}", on, user=user, org=org)
    return True


def _owner(record) -> Organization:
    """The school that keeps ``record`` (a participant or a consent)."""
    return db.session.get(Organization, record.org_id)


def erase_personal_data(person: Participant, reason: str, on: date, user=None, org=None) -> DestructionRecord:
    """Erase what identifies ``person`` (акт об уничтожении ПДн); keep the birth year (the age
    band past indicators were counted in), the category, the teaching-experience start (the
    young-specialist count). The areas above do their part on ``person_erased`` (pairing ends
    the active pairs and scrubs their history and reviews; the surveys cancel invitations)."""
    org = org if org is not None else _owner(person)
    old_name = person.full_name
    erased: list[str] = []

    def clear(obj, name: str, value=None, label: str | None = None) -> None:
        if getattr(obj, name) not in (None, value, "", []):
            erased.append(label or name)
        setattr(obj, name, value)

    if person.birth_date is not None and person.birth_year is None:
        person.birth_year = person.birth_date.year
    clear(person, "full_name", ERASED_NAME)
    for name in ("birth_date", "class_or_position", "email", "phone", "representative_name",
                 "representative_email", "representative_phone"):
        clear(person, name)
    person.in_mentor_bank = person.in_mentee_bank = False
    person.anonymised_at = utcnow()
    if person.mentor_profile is not None:
        profile = person.mentor_profile
        clear(profile, "subjects", label="mentor_profile.subjects")
        clear(profile, "interests", label="mentor_profile.interests")
        profile.approved = profile.publish_consent = False
    if person.mentee_profile is not None:
        clear(person.mentee_profile, "interests", label="mentee_profile.interests")
        clear(person.mentee_profile, "follow_up_note", label="mentee_profile.follow_up_note")
    for request in person.requests:
        clear(request, "note", label="requests.note")
    for consent in db.session.scalars(
        sa.select(Consent).where(Consent.participant_id == person.id).options(undefer(Consent.scan_data))
    ):
        clear(consent, "representative_name", label="consents.representative_name")
        clear(consent, "authority_document", label="consents.authority_document")
        if consent.scan_data is not None or consent.scan_filename:
            erased.append("consents.scan")
        consent.scan_data = consent.scan_filename = consent.scan_content_type = consent.scan_size = None
    end_on_erasure(person, on)
    done = [result for _receiver, result in person_erased.send(person, old_name=old_name, on=on, user=user, org=org)
            if result is not None]
    details: dict = {}
    for erasure in done:
        erased.extend(erasure.fields)
        details.update(erasure.details)
    fields = sorted(set(erased))
    record = DestructionRecord(org_id=person.org_id, participant_id=person.id, by_user_id=getattr(user, "id", None),
                               fields=", ".join(fields), reason=reason)
    db.session.add(record)
    audit.record("participant.erased", org=org, obj=person, user=user, details={"fields": fields, **details})
    db.session.flush()
    return record
