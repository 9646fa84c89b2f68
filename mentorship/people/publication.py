"""Consent to publication (согласие на публикацию): a mentor's name, photo and achievements may
appear on the public pages, the board of honour and contest results only while it is valid.

It is a purpose of its own, apart from the consent to processing (consents.py): given by the
person (an adult: a pupil or a minor is never published), withdrawable at any time.
Withdrawing it — or erasing the person — sends ``publication_withdrawn``: each area that made
something public about the person unpublishes it in the same transaction.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import DomainError
from core.extensions import db
from mentorship.people.models import Participant, PublicationConsent
from mentorship.people.rules import is_minor
from mentorship.people.signals import publication_withdrawn
from mentorship.region.forms import PUPIL
from tenants import audit

DEFAULT_SCOPE_NOTE = "Фамилия, имя, отчество, должность, фотография, сведения о достижениях и наградах " \
                     "в наставнической деятельности — на официальном сайте и публичных страницах организации."


class PublicationConsentError(DomainError):
    """A publication consent cannot be recorded or withdrawn."""

    MESSAGES = {
        "anonymised": _l("The person's data was erased after the consent was withdrawn."),
        "minor": _l("A minor's name and achievements are never published."),
        "no_processing_consent": _l("Record the consent to processing first."),
        "already_given": _l("A valid consent to publication is already recorded."),
        "given_on_required": _l("Enter the date the consent was given."),
        "given_on_future": _l("The consent date is in the future."),
        "scope_required": _l("Say what may be published."),
        "already_withdrawn": _l("This consent is already withdrawn."),
        "withdrawn_on_required": _l("Enter the date of withdrawal."),
        "withdrawn_before_given": _l("A consent cannot be withdrawn before it was given."),
        "withdrawn_on_future": _l("The withdrawal date is in the future."),
    }


def valid_consent(participant_id: int) -> PublicationConsent | None:
    """The person's valid publication consent, if any (the current tenant's own)."""
    return db.session.scalar(
        sa.select(PublicationConsent)
        .where(PublicationConsent.participant_id == participant_id, PublicationConsent.withdrawn_on.is_(None))
        .order_by(PublicationConsent.given_on.desc(), PublicationConsent.id.desc()).limit(1)
    )


def has_publication_consent(participant_id: int) -> bool:
    return valid_consent(participant_id) is not None


def publication_consented_ids(ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` may be published now (one query)."""
    ids = list(ids)
    if not ids:
        return set()
    return set(db.session.scalars(
        sa.select(PublicationConsent.participant_id).distinct()
        .where(PublicationConsent.participant_id.in_(ids), PublicationConsent.withdrawn_on.is_(None))
    ))


def consents_of(participant_id: int) -> list[PublicationConsent]:
    return list(db.session.scalars(
        sa.select(PublicationConsent).where(PublicationConsent.participant_id == participant_id)
        .order_by(PublicationConsent.given_on.desc(), PublicationConsent.id.desc())
    ))


def give_publication_consent(participant: Participant, *, given_on: date | None, scope_note: str,
                             by_user_id: int | None, today: date) -> PublicationConsent:
    problems: list[tuple[str, str]] = []
    if participant.anonymised_at is not None:
        raise PublicationConsentError("anonymised")
    if participant.category == PUPIL or is_minor(participant.birth_date, today):
        raise PublicationConsentError("minor")
    if not any(c.withdrawn_on is None for c in participant.consents):
        raise PublicationConsentError("no_processing_consent")
    if valid_consent(participant.id) is not None:
        raise PublicationConsentError("already_given")
    if given_on is None:
        problems.append(("given_on", "given_on_required"))
    elif given_on > today:
        problems.append(("given_on", "given_on_future"))
    if not (scope_note or "").strip():
        problems.append(("scope_note", "scope_required"))
    if problems:
        raise PublicationConsentError(problems)
    consent = PublicationConsent(org_id=participant.org_id, participant_id=participant.id, given_on=given_on,
                                 scope_note=scope_note.strip(), recorded_by_id=by_user_id)
    db.session.add(consent)
    db.session.flush()
    audit.record("publication_consent.given", obj=consent, details={"participant_id": participant.id})
    return consent


def withdraw_publication_consent(consent: PublicationConsent, *, withdrawn_on: date | None, reason: str | None,
                                 by_user_id: int | None, today: date) -> None:
    """Withdraw it; everything public about the person is unpublished in this transaction."""
    if consent.withdrawn_on is not None:
        raise PublicationConsentError("already_withdrawn")
    if withdrawn_on is None:
        raise PublicationConsentError("withdrawn_on_required", field="withdrawn_on")
    if withdrawn_on < consent.given_on:
        raise PublicationConsentError("withdrawn_before_given", field="withdrawn_on")
    if withdrawn_on > today:
        raise PublicationConsentError("withdrawn_on_future", field="withdrawn_on")
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_reason = (reason or "").strip() or None
    db.session.flush()
    audit.record("publication_consent.withdrawn", obj=consent, details={"participant_id": consent.participant_id})
    if valid_consent(consent.participant_id) is None:
        unpublish_person(consent.participant)


def unpublish_person(participant: Participant) -> None:
    """Tell every area to take the person off the public pages now (same transaction)."""
    publication_withdrawn.send(participant, participant_id=participant.id, org_id=participant.org_id)
    db.session.flush()


def end_on_erasure(participant: Participant, on: date) -> None:
    """The person's data are being erased: their publication consents end the same day."""
    for consent in consents_of(participant.id):
        if consent.withdrawn_on is None:
            consent.withdrawn_on = max(on, consent.given_on)
            consent.withdrawal_reason = "Персональные данные уничтожены"
    unpublish_person(participant)
