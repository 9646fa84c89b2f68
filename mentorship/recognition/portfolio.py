"""A mentor's portfolio (портфолио наставника), kept by the school.

Gathered from where things are kept — the mentor's awards (awards.py), contest results
(published result lines of the contests), the pairs they led and their mentees' completion
reviews *as counts* (pairing: no mentee is named), completed trainings (the training area) —
plus the entries the school adds by hand (``PortfolioItem``: an achievement, a
publication, a link, a file checked by content).

What is public is chosen entry by entry (``set_item_public``), and only with the mentor's
valid publication consent; a minor is never published. Withdrawing the consent unpublishes
every entry at once (receivers.py). ``public_entries`` serves the public pages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, raiseload, selectinload, undefer

from core.errors import Conflict, DomainError
from core.extensions import db
from core.search import contains
from core.uploads import CheckedFile, UploadError, check_upload
from mentorship.pairing.models import VOIDED, CompletionReview, Mentorship
from mentorship.people.models import MentorProfile, Participant
from mentorship.people.publication import has_publication_consent
from mentorship.people.rules import is_minor
from mentorship.recognition.awards import awards_of_participant
from mentorship.recognition.models import (
    PORTFOLIO_KINDS,
    Award,
    Contest,
    ContestResultEntry,
    PortfolioFile,
    PortfolioItem,
)
from mentorship.training import completions
from tenants import audit
from tenants.models import Organization

KIND_LABELS = {
    "achievement": _l("Achievement"),
    "publication": _l("Publication"),
    "link": _l("Link"),
    "file": _l("File"),
}
MAX_FILE_BYTES = 10 * 1024 * 1024
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


class PortfolioError(DomainError):
    """An entry cannot be saved; each problem names the field of ``ItemData`` (or ``file``)."""

    MESSAGES = {
        "bad_kind": _l("Choose the kind of entry."),
        "title_required": _l("Enter the title."),
        "title_too_long": _l("The title is longer than 300 characters."),
        "description_too_long": _l("The description is longer than 5,000 characters."),
        "url_required": _l("Enter the address of the link."),
        "bad_url": _l("The address must start with http:// or https://."),
        "url_too_long": _l("The address is longer than 500 characters."),
        "in_future": _l("The date is in the future."),
        "file_required": _l("Attach the file."),
        "file_empty": _l("The file is empty."),
        "file_too_large": _l("The file is larger than 10 MB."),
        "file_type": _l("Only PDF, JPEG, PNG, DOCX and XLSX files can be attached."),
        "file_name_mismatch": _l("The file's name does not match its content."),
        "erased": _l("The person's personal data were erased."),
    }


class PortfolioPublicationError(Conflict):
    MESSAGES = {
        "no_consent": _l("The mentor has not given a valid consent to publication."),
        "minor": _l("A minor's name and achievements are never published."),
        "erased": _l("The person's personal data were erased."),
    }


@dataclass(frozen=True)
class ItemData:
    kind: str
    title: str
    description: str | None = None
    url: str | None = None
    happened_on: date | None = None


def check_file(filename: str, data: bytes) -> CheckedFile:
    """An attached file checked by content (PortfolioError on the ``file`` field if refused)."""
    try:
        return check_upload(filename, data, max_bytes=MAX_FILE_BYTES)
    except UploadError as refused:
        code = {"empty": "file_empty", "too_large": "file_too_large", "name_mismatch": "file_name_mismatch"}.get(
            refused.code, "file_type")
        raise PortfolioError(code, field="file") from None


def _check(data: ItemData, today: date, *, has_file: bool) -> list[tuple[str, str]]:
    problems = []
    if data.kind not in PORTFOLIO_KINDS:
        problems.append(("kind", "bad_kind"))
    title = (data.title or "").strip()
    if not title:
        problems.append(("title", "title_required"))
    elif len(title) > 300:
        problems.append(("title", "title_too_long"))
    if len((data.description or "").strip()) > 5000:
        problems.append(("description", "description_too_long"))
    url = (data.url or "").strip()
    if url:
        if len(url) > 500:
            problems.append(("url", "url_too_long"))
        elif not _URL.fullmatch(url):
            problems.append(("url", "bad_url"))
    elif data.kind == "link":
        problems.append(("url", "url_required"))
    if data.happened_on is not None and data.happened_on > today:
        problems.append(("happened_on", "in_future"))
    if data.kind == "file" and not has_file:
        problems.append(("file", "file_required"))
    return problems


def _attach(item: PortfolioItem, file: CheckedFile, user) -> None:
    if item.file is None:
        item.file = PortfolioFile(org_id=item.org_id)
    item.file.filename, item.file.content_type = file.filename, file.content_type
    item.file.size, item.file.data = len(file.data), file.data
    item.file.uploaded_by_id = getattr(user, "id", None)
    item.file.is_public = item.is_public


def _apply(item: PortfolioItem, data: ItemData) -> None:
    item.kind = data.kind
    item.title = data.title.strip()
    item.description = (data.description or "").strip() or None
    item.url = (data.url or "").strip() or None
    item.happened_on = data.happened_on


def add_item(participant: Participant, data: ItemData, *, org: Organization, today: date,
             file: CheckedFile | None = None, user=None) -> PortfolioItem:
    """A new entry of the mentor's portfolio (not public until published); audited."""
    if participant.anonymised_at is not None:
        raise PortfolioError("erased")
    problems = _check(data, today, has_file=file is not None)
    if problems:
        raise PortfolioError(problems)
    item = PortfolioItem(org_id=org.id, participant_id=participant.id, created_by_id=getattr(user, "id", None))
    _apply(item, data)
    db.session.add(item)
    if file is not None:
        _attach(item, file, user)
    db.session.flush()
    audit.record("portfolio.item_added", org=org, obj=item, user=user,
                 details={"participant_id": participant.id, "kind": item.kind})
    return item


def update_item(item: PortfolioItem, data: ItemData, *, org: Organization, today: date,
                file: CheckedFile | None = None, remove_file: bool = False, user=None) -> PortfolioItem:
    """Change an entry (a new file replaces the old one; ``remove_file`` drops it)."""
    keeps_file = file is not None or (item.file is not None and not remove_file)
    problems = _check(data, today, has_file=keeps_file)
    if problems:
        raise PortfolioError(problems)
    _apply(item, data)
    if file is not None:
        _attach(item, file, user)
    elif remove_file and item.file is not None:
        item.file = None
    db.session.flush()
    audit.record("portfolio.item_changed", org=org, obj=item, user=user,
                 details={"participant_id": item.participant_id})
    return item


def delete_item(item: PortfolioItem, *, org: Organization, user=None) -> None:
    audit.record("portfolio.item_deleted", org=org, obj=item, user=user,
                 details={"participant_id": item.participant_id, "kind": item.kind})
    db.session.delete(item)
    db.session.flush()


def publication_refusal(participant: Participant, today: date) -> PortfolioPublicationError | None:
    """Why nothing about ``participant`` may be published now (None: it may)."""
    if participant.anonymised_at is not None:
        return PortfolioPublicationError("erased")
    if is_minor(participant.birth_date, today):
        return PortfolioPublicationError("minor")
    if not has_publication_consent(participant.id):
        return PortfolioPublicationError("no_consent")
    return None


def set_item_public(item: PortfolioItem, public: bool, *, org: Organization, today: date,
                    user=None) -> PortfolioItem:
    """Publish one entry (with its file) or take it off the public pages; audited."""
    if public:
        refusal = publication_refusal(item.participant, today)
        if refusal is not None:
            raise refusal
    item.is_public = public
    if item.file is not None:
        item.file.is_public = public
    db.session.flush()
    audit.record("portfolio.item_published" if public else "portfolio.item_unpublished", org=org, obj=item,
                 user=user, details={"participant_id": item.participant_id})
    return item


# ---------------------------------------------------------------------------- reading


def load_item(item_id: int) -> PortfolioItem | None:
    return db.session.scalar(
        sa.select(PortfolioItem).where(PortfolioItem.id == item_id)
        .options(joinedload(PortfolioItem.participant), joinedload(PortfolioItem.file))
    )


def item_file(item_id: int) -> PortfolioFile | None:
    """An entry's file with its bytes (through the tenant scope)."""
    return db.session.scalar(
        sa.select(PortfolioFile).where(PortfolioFile.item_id == item_id).options(undefer(PortfolioFile.data))
    )


def items_of(participant_id: int) -> list[PortfolioItem]:
    """The mentor's entries, newest first (their files' names, not their bytes)."""
    return list(db.session.scalars(
        sa.select(PortfolioItem).where(PortfolioItem.participant_id == participant_id)
        .options(selectinload(PortfolioItem.file).raiseload("*"), raiseload("*"))
        .order_by(PortfolioItem.happened_on.desc().nulls_last(), PortfolioItem.id.desc())
    ))


@dataclass(frozen=True)
class PairCounts:
    """The mentor's pairs and their mentees' completion reviews, as counts only."""

    led: int = 0
    active: int = 0
    completed: int = 0
    ended_early: int = 0
    reviews: int = 0
    rated: int = 0
    high: int = 0  # ratings 8–10
    middle: int = 0  # 5–7
    low: int = 0  # 1–4
    mean_rating: float | None = None


def pair_counts(participant_id: int) -> PairCounts:
    """Two queries: the pairs by status, and the mentees' reviews of those pairs by rating."""
    by_status = dict(db.session.execute(
        sa.select(Mentorship.status, sa.func.count(Mentorship.id))
        .where(Mentorship.mentor_id == participant_id, Mentorship.status != VOIDED).group_by(Mentorship.status)
    ).all())
    ratings = db.session.execute(
        sa.select(CompletionReview.rating).join(Mentorship, Mentorship.id == CompletionReview.mentorship_id)
        .where(Mentorship.mentor_id == participant_id, Mentorship.status != VOIDED,
               CompletionReview.author_role == "mentee")
    ).scalars().all()
    rated = [r for r in ratings if r is not None]
    return PairCounts(
        led=sum(by_status.values()), active=by_status.get("active", 0), completed=by_status.get("completed", 0),
        ended_early=by_status.get("ended_early", 0), reviews=len(ratings), rated=len(rated),
        high=sum(1 for r in rated if r >= 8), middle=sum(1 for r in rated if 5 <= r <= 7),
        low=sum(1 for r in rated if r <= 4), mean_rating=round(sum(rated) / len(rated), 1) if rated else None,
    )


@dataclass(frozen=True)
class ContestLine:
    contest: str
    nomination: str
    place: int
    score: object
    published_on: date | None


def contest_results_of(participant_id: int) -> list[ContestLine]:
    """The mentor's places in contests whose results were published (the contests' result
    lines, kept by the organisers above and visible to the school along the line)."""
    rows = db.session.execute(
        sa.select(Contest.title, ContestResultEntry.nomination, ContestResultEntry.place, ContestResultEntry.score,
                  ContestResultEntry.published_at)
        .join(Contest, Contest.id == ContestResultEntry.contest_id)
        .where(ContestResultEntry.participant_id == participant_id)
        .order_by(ContestResultEntry.published_at.desc(), ContestResultEntry.id.desc())
    ).all()
    return [ContestLine(title, nomination, place, score, at.date() if at else None)
            for title, nomination, place, score, at in rows]


@dataclass(frozen=True)
class TrainingLine:
    course: str
    organiser: str
    completed_on: date
    hours: int
    certificate_number: str


def trainings_of(participant_id: int) -> list[TrainingLine]:
    """The mentor's completed trainings (the training area's completions), latest first."""
    return [TrainingLine(c.course_title, c.organiser_name, c.completed_on, c.hours, c.certificate_number)
            for c in completions.of_participant(participant_id)]


@dataclass
class Portfolio:
    participant: Participant
    awards: list[Award]
    pairs: PairCounts
    items: list[PortfolioItem]
    consent: bool
    publishable: bool  # nothing refuses publication now (consent, adult, not erased)
    contest_results: list[ContestLine] = field(default_factory=list)
    trainings: list[TrainingLine] = field(default_factory=list)
    public_count: int = field(default=0)


def portfolio_of(participant: Participant, today: date) -> Portfolio:
    """Everything of the mentor's portfolio, in a fixed number of queries."""
    items = items_of(participant.id)
    awards = awards_of_participant(participant.id)
    consent = has_publication_consent(participant.id)
    return Portfolio(
        participant=participant, awards=awards, pairs=pair_counts(participant.id), items=items,
        consent=consent, publishable=publication_refusal(participant, today) is None,
        contest_results=contest_results_of(participant.id), trainings=trainings_of(participant.id),
        public_count=sum(1 for i in items if i.is_public) + sum(1 for a in awards if a.is_public),
    )


def mentors_statement(search: str = "") -> sa.Select:
    """The school's mentors (of the bank, or who led a pair; not erased), by name."""
    stmt = (
        sa.select(Participant)
        .where(Participant.anonymised_at.is_(None),
               sa.or_(Participant.in_mentor_bank.is_(True),
                      Participant.id.in_(sa.select(Mentorship.mentor_id)),
                      Participant.id.in_(sa.select(MentorProfile.participant_id))))
        .options(raiseload("*"))
        .order_by(Participant.full_name, Participant.id)
    )
    if search:
        stmt = stmt.where(contains(Participant.full_name, search))
    return stmt


def counts_of(participant_ids) -> dict[int, tuple[int, int]]:
    """How many awards and portfolio entries each of ``participant_ids`` has (two queries)."""
    ids = list(participant_ids)
    if not ids:
        return {}
    awards = dict(db.session.execute(
        sa.select(Award.participant_id, sa.func.count(Award.id)).where(Award.participant_id.in_(ids))
        .group_by(Award.participant_id)).all())
    items = dict(db.session.execute(
        sa.select(PortfolioItem.participant_id, sa.func.count(PortfolioItem.id))
        .where(PortfolioItem.participant_id.in_(ids)).group_by(PortfolioItem.participant_id)).all())
    return {i: (awards.get(i, 0), items.get(i, 0)) for i in ids}


# ---------------------------------------------------------------------------- public


@dataclass(frozen=True)
class PublicEntry:
    """A published portfolio entry, as plain values (nothing more to load)."""

    id: int
    kind: str
    title: str
    description: str | None
    url: str | None
    happened_on: date | None
    filename: str | None


def public_entries(org_id: int, participant_id: int) -> list[PublicEntry]:
    """The mentor's published entries, newest first — for the public pages (works under a
    ``PublicScope``: reads only the portfolio tables, both Publishable)."""
    items = db.session.scalars(
        sa.select(PortfolioItem)
        .where(PortfolioItem.org_id == org_id, PortfolioItem.participant_id == participant_id,
               PortfolioItem.is_public.is_(True))
        .options(raiseload("*"))
        .order_by(PortfolioItem.happened_on.desc().nulls_last(), PortfolioItem.id.desc())
    ).all()
    names = {}
    if items:
        names = dict(db.session.execute(
            sa.select(PortfolioFile.item_id, PortfolioFile.filename)
            .where(PortfolioFile.item_id.in_([i.id for i in items]), PortfolioFile.is_public.is_(True))
        ).all())
    return [PublicEntry(i.id, i.kind, i.title, i.description, i.url, i.happened_on, names.get(i.id)) for i in items]


def public_file(org_id: int, item_id: int) -> PortfolioFile | None:
    """A published entry's file with its bytes (under a ``PublicScope``), or None."""
    return db.session.scalar(
        sa.select(PortfolioFile)
        .where(PortfolioFile.org_id == org_id, PortfolioFile.item_id == item_id, PortfolioFile.is_public.is_(True))
        .options(undefer(PortfolioFile.data), raiseload("*"))
    )
