"""The board of honour (доска почёта): the school's cards of its best mentors.

The school prepares a card (the name as shown, the position, a photo, achievements in short),
and its principal publishes it. A card is public (``is_public``) only while it is published AND
the mentor's publication consent is valid: publishing checks the consent, and withdrawing it
unpublishes at once (receivers.py). A minor never gets a card. Photos are re-encoded
(``core.images.reencode_picture``): no EXIF location or camera data reaches a public page.

``public_cards(org_id)`` and ``public_photo`` serve the public pages: they read only this
table, so they work under a ``PublicScope``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, raiseload, undefer

from core.errors import Conflict, DomainError
from core.extensions import db
from core.images import CheckedPicture, reencode_picture
from core.model import utcnow
from core.search import contains
from core.uploads import UploadError
from mentorship.people.models import Participant
from mentorship.people.publication import has_publication_consent, publication_consented_ids
from mentorship.people.rules import is_minor
from mentorship.recognition.awards import KIND_RU, mentor_choices
from mentorship.recognition.models import Award, HonourCard
from tenants import audit
from tenants.models import Organization

MAX_PHOTO_BYTES = 8 * 1024 * 1024
PHOTO_SIDE = 800
NAME_MAX, POSITION_MAX, ACHIEVEMENTS_MAX = 200, 200, 1500


class BoardError(DomainError):
    """A card cannot be saved; each problem names the field of ``CardData`` (or ``photo``)."""

    MESSAGES = {
        "no_such_participant": _l("There is no such mentor at the school."),
        "erased": _l("The person's personal data were erased."),
        "minor": _l("A minor's name and achievements are never published."),
        "has_card": _l("This mentor already has a card on the board of honour."),
        "name_required": _l("Enter the name as it is to be shown."),
        "name_too_long": _l("The name is longer than 200 characters."),
        "position_too_long": _l("The position is longer than 200 characters."),
        "achievements_too_long": _l("The achievements are longer than 1,500 characters."),
        "bad_order": _l("The place in the order must be 0 to 999."),
        "photo_empty": _l("The photo is empty."),
        "photo_too_large": _l("The photo is larger than 8 MB."),
        "photo_type": _l("The photo must be a JPEG, PNG or WebP picture."),
        "photo_name_mismatch": _l("The photo's name does not match its content."),
        "photo_unreadable": _l("The photo cannot be read."),
    }


class BoardPublicationError(Conflict):
    MESSAGES = {
        "no_consent": _l("The mentor has not given a valid consent to publication."),
        "minor": _l("A minor's name and achievements are never published."),
        "erased": _l("The person's personal data were erased."),
    }


@dataclass(frozen=True)
class CardData:
    display_name: str
    position: str | None = None
    achievements: str | None = None
    sort_order: int | None = 0


def check_photo(filename: str, data: bytes) -> CheckedPicture:
    """The photo checked by content and re-encoded without its metadata (BoardError on the
    ``photo`` field if refused)."""
    try:
        return reencode_picture(filename, data, max_bytes=MAX_PHOTO_BYTES, max_side=PHOTO_SIDE)
    except UploadError as refused:
        code = {"empty": "photo_empty", "too_large": "photo_too_large", "name_mismatch": "photo_name_mismatch",
                "unreadable": "photo_unreadable"}.get(refused.code, "photo_type")
        raise BoardError(code, field="photo") from None


def _check(data: CardData) -> list[tuple[str, str]]:
    problems = []
    name = (data.display_name or "").strip()
    if not name:
        problems.append(("display_name", "name_required"))
    elif len(name) > NAME_MAX:
        problems.append(("display_name", "name_too_long"))
    if len((data.position or "").strip()) > POSITION_MAX:
        problems.append(("position", "position_too_long"))
    if len((data.achievements or "").strip()) > ACHIEVEMENTS_MAX:
        problems.append(("achievements", "achievements_too_long"))
    if data.sort_order is not None and not 0 <= data.sort_order <= 999:
        problems.append(("sort_order", "bad_order"))
    return problems


def _person_refusal(person: Participant, today: date) -> str | None:
    if person.anonymised_at is not None:
        return "erased"
    if is_minor(person.birth_date, today):
        return "minor"
    return None


def suggested_data(person: Participant) -> CardData:
    """What a new card starts from: the name, the position, and the awards in short."""
    awards = db.session.scalars(
        sa.select(Award).where(Award.participant_id == person.id).options(raiseload("*"))
        .order_by(Award.awarded_on.desc(), Award.id.desc()).limit(5)
    ).all()
    lines = [f"{KIND_RU[a.kind]}{' — ' + a.title if a.title else ''} ({a.awarded_on.year})" for a in awards]
    return CardData(display_name=person.full_name, position=person.class_or_position,
                    achievements="\n".join(lines) or None)


def _apply(card: HonourCard, data: CardData, photo: CheckedPicture | None, remove_photo: bool) -> None:
    card.display_name = data.display_name.strip()
    card.position = (data.position or "").strip() or None
    card.achievements = (data.achievements or "").strip() or None
    card.sort_order = data.sort_order or 0
    if photo is not None:
        card.photo_data, card.photo_type, card.photo_size = photo.data, photo.content_type, len(photo.data)
    elif remove_photo:
        card.photo_data = card.photo_type = card.photo_size = None


def create_card(person: Participant | None, data: CardData, *, org: Organization, today: date,
                photo: CheckedPicture | None = None, user=None) -> HonourCard:
    """A new card (not public until published) for a mentor of the school; audited."""
    if person is None:
        raise BoardError("no_such_participant", field="participant_id")
    refusal = _person_refusal(person, today)
    if refusal:
        raise BoardError(refusal, field="participant_id")
    problems = _check(data)
    if db.session.scalar(sa.select(HonourCard.id).where(HonourCard.participant_id == person.id)) is not None:
        problems.insert(0, ("participant_id", "has_card"))
    if problems:
        raise BoardError(problems)
    card = HonourCard(org_id=org.id, participant_id=person.id, created_by_id=getattr(user, "id", None))
    _apply(card, data, photo, False)
    db.session.add(card)
    db.session.flush()
    audit.record("honour_card.created", org=org, obj=card, user=user, details={"participant_id": person.id})
    return card


def update_card(card: HonourCard, data: CardData, *, org: Organization, photo: CheckedPicture | None = None,
                remove_photo: bool = False, user=None) -> HonourCard:
    """Change a card; a published one stays published (the consent covers the new text too)."""
    problems = _check(data)
    if problems:
        raise BoardError(problems)
    _apply(card, data, photo, remove_photo)
    db.session.flush()
    audit.record("honour_card.changed", org=org, obj=card, user=user, details={"participant_id": card.participant_id})
    return card


def publication_refusal(card: HonourCard, today: date) -> BoardPublicationError | None:
    refusal = _person_refusal(card.participant, today)
    if refusal:
        return BoardPublicationError(refusal)
    if not has_publication_consent(card.participant_id):
        return BoardPublicationError("no_consent")
    return None


def publish_card(card: HonourCard, *, org: Organization, today: date, user=None) -> HonourCard:
    """Put the card on the public board; refused without a valid publication consent."""
    refusal = publication_refusal(card, today)
    if refusal is not None:
        raise refusal
    card.is_public, card.published_at = True, utcnow()
    db.session.flush()
    audit.record("honour_card.published", org=org, obj=card, user=user, details={"participant_id": card.participant_id})
    return card


def unpublish_card(card: HonourCard, *, org: Organization, user=None) -> HonourCard:
    card.is_public, card.published_at = False, None
    db.session.flush()
    audit.record("honour_card.unpublished", org=org, obj=card, user=user,
                 details={"participant_id": card.participant_id})
    return card


def delete_card(card: HonourCard, *, org: Organization, user=None) -> None:
    audit.record("honour_card.deleted", org=org, obj=card, user=user, details={"participant_id": card.participant_id})
    db.session.delete(card)
    db.session.flush()


# ---------------------------------------------------------------------------- reading


def load_card(card_id: int) -> HonourCard | None:
    return db.session.scalar(
        sa.select(HonourCard).where(HonourCard.id == card_id).options(joinedload(HonourCard.participant))
    )


def cards_statement(search: str = "") -> sa.Select:
    """The school's cards in the board's order (published or not)."""
    stmt = (sa.select(HonourCard).options(raiseload("*"))
            .order_by(HonourCard.sort_order, HonourCard.display_name, HonourCard.id))
    if search:
        stmt = stmt.where(contains(HonourCard.display_name, search))
    return stmt


def consented(cards) -> set[int]:
    """The participants of ``cards`` with a valid publication consent (one query)."""
    return publication_consented_ids({c.participant_id for c in cards})


def card_candidates(today: date) -> list[Participant]:
    """Mentors who may get a card: no card yet, adults, not erased (by name)."""
    taken = set(db.session.scalars(sa.select(HonourCard.participant_id)))
    return [p for p in mentor_choices() if p.id not in taken and not is_minor(p.birth_date, today)]


def card_photo(card_id: int) -> HonourCard | None:
    """A card with its photo's bytes (through the tenant scope: the school's preview)."""
    return db.session.scalar(
        sa.select(HonourCard).where(HonourCard.id == card_id).options(undefer(HonourCard.photo_data), raiseload("*"))
    )


def public_cards(org_id: int) -> list[HonourCard]:
    """The school's board of honour as the public sees it, in order — only cards that are
    public (published and consented). Works under a ``PublicScope``: it reads only this
    table; the photos are not loaded (``public_photo``; ``photo_type`` says there is one)."""
    return list(db.session.scalars(
        sa.select(HonourCard).where(HonourCard.org_id == org_id, HonourCard.is_public.is_(True))
        .options(raiseload("*"))
        .order_by(HonourCard.sort_order, HonourCard.display_name, HonourCard.id)
    ))


def public_photo(org_id: int, card_id: int) -> tuple[bytes, str] | None:
    """A public card's photo (bytes, content type), or None — under a ``PublicScope`` too."""
    row = db.session.execute(
        sa.select(HonourCard.photo_data, HonourCard.photo_type)
        .where(HonourCard.id == card_id, HonourCard.org_id == org_id, HonourCard.is_public.is_(True),
               HonourCard.photo_type.is_not(None))
    ).first()
    return (row[0], row[1]) if row is not None and row[0] is not None else None
