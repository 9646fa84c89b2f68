"""Recognition's part when something happens to people (mentorship/people/signals.py).

Each slice of the area keeps its own receiver function here (connected when the area is
loaded: the package's ``__init__`` imports this module)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from core.extensions import db
from mentorship.people.consents import ERASED_NAME as ERASED_TEXT
from mentorship.people.models import Participant
from mentorship.people.signals import Erasure, person_erased, publication_withdrawn
from mentorship.recognition.models import Award, ContestNominee, ContestResultEntry, HonourCard, PortfolioFile, PortfolioItem
from tenants import audit
from tenants.context import unscoped
from tenants.models import Organization

# ---------------------------------------------------------------------------- awards, portfolio, board


@publication_withdrawn.connect
def unpublish_awards_portfolio_and_board(sender=None, *, participant_id: int, org_id: int | None = None,
                                         **_kwargs) -> None:
    """The person may no longer be shown: their card, portfolio entries (and files) and awards
    leave the public pages in this transaction — nothing waits for a later job."""
    for card in db.session.scalars(sa.select(HonourCard).where(HonourCard.participant_id == participant_id,
                                                               HonourCard.is_public.is_(True))):
        card.is_public, card.published_at = False, None
    items = db.session.scalars(sa.select(PortfolioItem).where(PortfolioItem.participant_id == participant_id)).all()
    for item in items:
        item.is_public = False
    if items:
        for file in db.session.scalars(sa.select(PortfolioFile).where(
                PortfolioFile.item_id.in_([i.id for i in items]), PortfolioFile.is_public.is_(True))):
            file.is_public = False
    for award in db.session.scalars(sa.select(Award).where(Award.participant_id == participant_id,
                                                           Award.is_public.is_(True))):
        award.is_public, award.public_name = False, None
    db.session.flush()


@person_erased.connect
def erase_card_and_portfolio(person: Participant, *, on: date | None = None, **_kwargs) -> Erasure:
    """The person's data are erased: their board card (name, photo) and their portfolio entries
    (texts and files about them) are deleted; their awards stay, as records of the orders that
    granted them (the orders print the person as erased)."""
    erasure = Erasure()
    cards = db.session.scalars(sa.select(HonourCard).where(HonourCard.participant_id == person.id)).all()
    for card in cards:
        db.session.delete(card)
    if cards:
        erasure.fields.append("honour_cards")
    items = db.session.scalars(sa.select(PortfolioItem).where(PortfolioItem.participant_id == person.id)).all()
    for item in items:
        db.session.delete(item)
    if items:
        erasure.fields.append("portfolio_items")
    for award in db.session.scalars(sa.select(Award).where(Award.participant_id == person.id,
                                                           Award.public_name.is_not(None))):
        award.is_public, award.public_name = False, None
    erasure.details["portfolio_items_deleted"] = len(items)
    return erasure


# ---------------------------------------------------------------------------- contests (H1)

ERASED_ENTRY_TEXT = "Персональные данные удалены"


def _contest_result_lines(participant_id: int, school_id: int | None):
    """The published result lines of the person (owned by the contests' organisers, above the
    school: changed by id under a labelled unscoped, never read into the school's session)."""
    stmt = sa.update(ContestResultEntry).where(ContestResultEntry.participant_id == participant_id)
    if school_id is not None:
        stmt = stmt.where(ContestResultEntry.school_id == school_id)
    return stmt


@publication_withdrawn.connect
def unpublish_contest_results(sender=None, *, participant_id: int, org_id: int | None = None, **_kwargs) -> None:
    """The person may no longer be shown: their lines in published contest results leave the
    public pages (and every results page) in this transaction. Audited when a line changed."""
    with unscoped("recognition.contest_results_withdrawn"):
        changed = db.session.execute(
            _contest_result_lines(participant_id, org_id).where(ContestResultEntry.is_public.is_(True))
            .values(is_public=False)
        ).rowcount
    if changed:
        org = db.session.get(Organization, org_id) if org_id is not None else None
        audit.record("contest.results_unpublished", org=org,
                     details={"participant_id": participant_id, "lines": changed})


@person_erased.connect
def erase_contest_entries(person: Participant, **_kwargs) -> Erasure:
    """The person's data are erased: their contest entries lose the name, position, text and
    file (the entry and its scores stay, anonymous, so past results still add up), and their
    result lines lose the name (already unpublished by ``publication_withdrawn``)."""
    erasure = Erasure()
    entries = db.session.scalars(sa.select(ContestNominee).where(ContestNominee.participant_id == person.id)).all()
    for entry in entries:
        entry.display_name, entry.position, entry.entry_text = ERASED_TEXT, None, ERASED_ENTRY_TEXT
        if entry.file is not None:
            entry.file = None
    if entries:
        erasure.fields.append("contest_nominees")
    with unscoped("recognition.contest_results_erased"):
        lines = db.session.execute(
            _contest_result_lines(person.id, person.org_id).values(display_name=ERASED_TEXT, is_public=False)
        ).rowcount
    if lines:
        erasure.fields.append("contest_result_entries.display_name")
    erasure.details["contest_entries_erased"] = len(entries)
    return erasure
