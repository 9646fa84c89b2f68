"""The board of honour: a card per mentor (never a minor), its photo re-encoded with the EXIF
(location, camera) stripped, publication only with the mentor's consent, ``public_cards``
under the public scope; withdrawing the consent unpublishes the card, the portfolio entries
and the awards at once — in the same transaction, before any commit."""
from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from PIL import Image

from core.extensions import db
from mentorship.people import publication
from mentorship.people.consents import erase_personal_data
from mentorship.people.models import Participant
from mentorship.recognition import awards, board, portfolio
from mentorship.recognition.board import BoardError, BoardPublicationError, CardData
from mentorship.recognition.models import Award, HonourCard, PortfolioFile, PortfolioItem
from tenants.context import TenantScopeError, public_scope, tenant_scope
from tenants.models import Organization
from tests.support.school import make_mentee, make_mentor, problems_of, school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)


@pytest.fixture
def world(ctx, tree):
    w = school_world(tree)
    with tenant_scope(w.org_id, tree.paths["r1m1s1"]):
        w.org = db.session.get(Organization, w.org_id)
        w.person = db.session.get(Participant, w.mentor)
        w.region = tree.paths["r1"]
        yield w


def _consent(person):
    return publication.give_publication_consent(person, given_on=TODAY, scope_note="ФИО, фото, достижения",
                                                by_user_id=None, today=TODAY)


def photo_with_exif(size=(2400, 1600), fmt="JPEG") -> bytes:
    """A photo carrying a camera maker, a serial number and a GPS position in its EXIF."""
    image = Image.new("RGB", size, (120, 160, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamMaker"  # Make
    exif[0xA431] = "SERIAL-123456"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (55.0, 45.0, 21.0), "E", (37.0, 37.0, 4.0)
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def test_the_photo_is_reencoded_without_exif():
    raw = photo_with_exif()
    assert b"SecretCamMaker" in raw and Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)
    checked = board.check_photo("me.jpg", raw)
    assert checked.content_type == "image/jpeg"
    assert b"SecretCamMaker" not in checked.data and b"SERIAL-123456" not in checked.data
    reopened = Image.open(io.BytesIO(checked.data))
    assert dict(reopened.getexif()) == {} and not reopened.getexif().get_ifd(0x8825)
    assert max(reopened.size) == board.PHOTO_SIDE  # downscaled


@pytest.mark.parametrize("name,data,code", [
    ("me.jpg", b"", "photo_empty"),
    ("me.jpg", b"not a picture at all", "photo_unreadable"),
    ("me.png", None, "photo_name_mismatch"),
    ("me.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
               b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;", "photo_type"),
])
def test_bad_photos_are_refused(name, data, code):
    with pytest.raises(BoardError) as refused:
        board.check_photo(name, photo_with_exif((20, 20)) if data is None else data)
    assert problems_of(refused.value) == [("photo", code)]


def test_a_card_per_mentor_never_a_minor(world):
    with pytest.raises(BoardError) as refused:  # the world's mentor has a card already
        board.create_card(world.person, CardData("Иванова М. П."), org=world.org, today=TODAY)
    assert problems_of(refused.value) == [("participant_id", "has_card")]
    pupil = make_mentee(world.org_id, "Юный Наставник")
    with pytest.raises(BoardError) as refused:
        board.create_card(pupil, CardData("Юный"), org=world.org, today=TODAY)
    assert refused.value.code == "minor"
    other = make_mentor(world.org_id, "Смирнов Олег", class_or_position="учитель физики")
    suggested = board.suggested_data(other)
    assert (suggested.display_name, suggested.position) == ("Смирнов Олег", "учитель физики")
    with pytest.raises(BoardError) as refused:
        board.create_card(other, CardData(" ", achievements="x" * 1501, sort_order=1000), org=world.org, today=TODAY)
    assert problems_of(refused.value) == [("display_name", "name_required"), ("achievements", "achievements_too_long"),
                                          ("sort_order", "bad_order")]
    card = board.create_card(other, suggested, org=world.org, today=TODAY,
                             photo=board.check_photo("p.jpg", photo_with_exif((300, 400))))
    assert card.is_public is False and card.photo_type == "image/jpeg"
    assert [p.full_name for p in board.card_candidates(TODAY)] == []  # both mentors have cards; pupils never


def test_publishing_needs_the_consent(world):
    card = board.load_card(world.honour_card)
    with pytest.raises(BoardPublicationError) as refused:
        board.publish_card(card, org=world.org, today=TODAY)
    assert refused.value.code == "no_consent"
    _consent(world.person)
    board.publish_card(card, org=world.org, today=TODAY)
    assert card.is_public and card.published_at is not None
    board.unpublish_card(card, org=world.org)
    assert (card.is_public, card.published_at) == (False, None)


def test_public_cards_under_the_public_scope(world, tree):
    _consent(world.person)
    board.publish_card(board.load_card(world.honour_card), org=world.org, today=TODAY)
    other = make_mentor(world.org_id, "Смирнов Олег")
    board.create_card(other, CardData("Смирнов О."), org=world.org, today=TODAY)  # not published
    db.session.commit()
    with public_scope(tree.paths["r1"]):
        cards = board.public_cards(world.org_id)
        assert [c.display_name for c in cards] == ["Иванова Мария Петровна"]
        photo, content_type = board.public_photo(world.org_id, cards[0].id)
        assert content_type == "image/png" and photo.startswith(b"\x89PNG")
        with pytest.raises(TenantScopeError):  # nothing but Publishable rows: the participants are out of reach
            db.session.scalars(sa.select(Participant)).all()
    with public_scope(tree.paths["r2"]):
        assert board.public_cards(world.org_id) == []


def _publish_everything(world):
    consent = _consent(world.person)
    board.publish_card(board.load_card(world.honour_card), org=world.org, today=TODAY)
    portfolio.set_item_public(portfolio.load_item(world.portfolio_item), True, org=world.org, today=TODAY)
    awards.set_public(awards.load_award(world.award), True, org=world.org, today=TODAY)
    db.session.commit()
    return consent


def _public_rows(world):
    return {
        "cards": db.session.scalar(sa.select(sa.func.count(HonourCard.id)).where(HonourCard.is_public.is_(True))),
        "items": db.session.scalar(sa.select(sa.func.count(PortfolioItem.id)).where(PortfolioItem.is_public.is_(True))),
        "files": db.session.scalar(sa.select(sa.func.count(PortfolioFile.id)).where(PortfolioFile.is_public.is_(True))),
        "awards": db.session.scalar(sa.select(sa.func.count(Award.id)).where(Award.is_public.is_(True))),
    }


def test_withdrawal_unpublishes_everything_at_once(world):
    consent = _publish_everything(world)
    assert _public_rows(world) == {"cards": 1, "items": 1, "files": 1, "awards": 1}
    publication.withdraw_publication_consent(consent, withdrawn_on=TODAY, reason="отозвала", by_user_id=None,
                                             today=TODAY)
    # same transaction, nothing committed yet: already gone
    assert _public_rows(world) == {"cards": 0, "items": 0, "files": 0, "awards": 0}
    assert db.session.get(Award, world.award).public_name is None
    db.session.commit()
    with public_scope(world.region):
        assert board.public_cards(world.org_id) == []
        assert portfolio.public_entries(world.org_id, world.mentor) == []
        assert awards.public_awards(world.org_id) == []


def test_a_rollback_of_the_withdrawal_keeps_everything_as_it_was(world):
    """Withdrawal and unpublishing are one transaction: both happen, or neither."""
    consent = _publish_everything(world)
    publication.withdraw_publication_consent(consent, withdrawn_on=TODAY, reason="x", by_user_id=None, today=TODAY)
    db.session.rollback()
    assert _public_rows(world) == {"cards": 1, "items": 1, "files": 1, "awards": 1}


def test_erasure_removes_the_card_and_unpublishes(world):
    _publish_everything(world)
    erase_personal_data(world.person, "consent withdrawn", TODAY)
    assert db.session.get(HonourCard, world.honour_card) is None
    assert _public_rows(world) == {"cards": 0, "items": 0, "files": 0, "awards": 0}
    award = db.session.get(Award, world.award)
    assert award is not None and award.public_name is None  # the award stays, as a record of its order
