"""What an anonymous visitor reads: a region's published pages, under ``public_scope``.

The region is found by its slug first (``find_region``: the one labelled ``unscoped`` read,
returning plain values); everything else runs inside ``tenants.context.public_scope`` of that
region, where only ``Publishable`` rows whose ``is_public`` is true (and the region's active
organisations) can be loaded — a draft, another region's page or any personal data simply is not
there. Each page costs a fixed number of queries, however large the region (the benchmark
bench/public_page.py and tests/web/public/test_queries.py hold it to that).

``page_fingerprint`` gives what the page's ETag is built on: the page's version (raised by every
change this area makes) and the identity and time of change of everything else the page shows
(the board of honour, contests, results, the library's items, the directory of pages below).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import load_only

from core.extensions import db
from mentorship.library import public as library_reading
from mentorship.public.models import BestPractice, NewsItem, PublicDocument, PublicPage
from mentorship.recognition import board as board_reading
from mentorship.recognition import contests as contest_reading
from mentorship.recognition.models import ContestResultEntry, ContestRules
from tenants.context import public_scope, unscoped
from tenants.models import Organization
from tenants.roles import OrgKind
from tenants.scoping import region_path, subtree_bounds

LATEST_NEWS = 5


@dataclass(frozen=True)
class Region:
    """A region as the public pages know it (plain values, read before the public scope)."""

    id: int
    path: str
    slug: str
    name: str


@dataclass(frozen=True)
class DirectoryEntry:
    """An organisation with a published page, for the directories of the region and the body."""

    id: int
    kind: str
    name: str
    slug: str
    parent_id: int | None
    version: int
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Totals:
    """The programme in figures added up over published school pages below an organisation."""

    schools: int = 0
    pairs: int = 0
    mentors: int = 0
    mentees: int = 0


@dataclass
class OrgHead:
    """What decides whether a visitor's copy is current (the ETag), loaded before the rest."""

    region: Region
    org: Organization
    page: PublicPage | None
    cards: list = field(default_factory=list)
    contests: list = field(default_factory=list)
    results: dict = field(default_factory=dict)  # contest id → its published results
    rules: set = field(default_factory=set)  # ids of the contests with public rules
    school_results: list = field(default_factory=list)
    library: list = field(default_factory=list)
    directory: list[DirectoryEntry] = field(default_factory=list)
    bodies: list = field(default_factory=list)  # (id, name, slug) of the region's municipal bodies
    totals: Totals | None = None


def find_region(slug: str) -> Region | None:
    """The region whose ministry has ``slug`` (active), as plain values; None if unknown."""
    if not slug or len(slug) > 80:
        return None
    with unscoped("public.region"):
        row = db.session.execute(
            sa.select(Organization.id, Organization.path, Organization.slug, Organization.name,
                      Organization.region_name)
            .where(Organization.slug == slug, Organization.kind == OrgKind.MINISTRY.value,
                   Organization.is_active.is_(True))
        ).first()
    if row is None:
        return None
    return Region(id=row.id, path=row.path, slug=row.slug, name=row.region_name or row.name)


def all_regions() -> list[Region]:
    """Every active region with a slug (robots.txt names their sitemaps)."""
    with unscoped("public.regions"):
        rows = db.session.execute(
            sa.select(Organization.id, Organization.path, Organization.slug, Organization.name,
                      Organization.region_name)
            .where(Organization.kind == OrgKind.MINISTRY.value, Organization.is_active.is_(True),
                   Organization.slug.is_not(None))
            .order_by(Organization.id)
        ).all()
    return [Region(id=r.id, path=r.path, slug=r.slug, name=r.region_name or r.name) for r in rows]


# -- under public_scope(region.path) -------------------------------------------------------------

def organisation(slug: str) -> Organization | None:
    """The region's active organisation with ``slug`` (the scope limits it to the region)."""
    if not slug or len(slug) > 80:
        return None
    return db.session.scalar(sa.select(Organization).where(Organization.slug == slug))


def published_page(org_id: int) -> PublicPage | None:
    return db.session.scalar(sa.select(PublicPage).where(PublicPage.org_id == org_id))


def board_cards(org_id: int) -> list:
    """The school's board of honour: public cards only (published, the mentor consenting)."""
    return board_reading.public_cards(org_id)


def library_items(org_path: str) -> list:
    """The methodological library's items the organisation offered for its public page."""
    return library_reading.public_items(org_path)


def library_file(org_path: str, item_id: int):
    """The latest public version (with its bytes) of a public library item of the organisation
    at ``org_path``, or None."""
    if not any(item.id == item_id for item in library_items(org_path)):
        return None
    return library_reading.public_version(item_id)


def count_library_download(version_id: int) -> None:
    library_reading.record_public_download(version_id)


def head_of(region: Region, org: Organization) -> OrgHead:
    """The page's head: everything its ETag depends on (a fixed number of queries)."""
    head = OrgHead(region=region, org=org, page=published_page(org.id))
    if head.page is None:
        return head
    if org.kind == OrgKind.SCHOOL.value:
        head.cards = board_cards(org.id)
        head.school_results = contest_reading.public_school_results(org.id)
    else:
        head.directory = directory_below(org)
        head.totals = totals_below(org.path)
    contests_of(head, org.path)
    head.library = library_items(org.path)
    return head


def contests_of(head: OrgHead, org_path: str) -> None:
    """The contests organised at ``org_path``, their published results and which have public
    rules — three queries however many contests there are."""
    head.contests = contest_reading.public_contests(org_path)
    ids = [c.id for c in head.contests]
    head.results = {contest_id: [] for contest_id in ids}
    for entry in db.session.scalars(
        sa.select(ContestResultEntry).where(ContestResultEntry.contest_id.in_(ids),
                                            ContestResultEntry.is_public.is_(True))
        .order_by(ContestResultEntry.contest_id, ContestResultEntry.nomination_position, ContestResultEntry.place,
                  ContestResultEntry.display_name, ContestResultEntry.id)
    ):
        head.results[entry.contest_id].append(entry)
    head.rules = set(db.session.scalars(
        sa.select(ContestRules.contest_id).where(ContestRules.contest_id.in_(ids), ContestRules.is_public.is_(True))))


def region_head(region: Region) -> OrgHead | None:
    """The region page's head: the ministry's page if published, the directory of published
    pages and the region's totals; None when nothing of the region is published."""
    ministry = db.session.scalar(sa.select(Organization).where(Organization.id == region.id))
    if ministry is None:
        return None
    head = OrgHead(region=region, org=ministry, page=published_page(ministry.id))
    head.directory = directory_below(ministry)
    if head.page is None and not head.directory:
        return None
    head.bodies = list(db.session.execute(
        sa.select(Organization.id, Organization.name, Organization.short_name, Organization.slug)
        .where(Organization.kind == OrgKind.MUNICIPALITY.value).order_by(Organization.name, Organization.id)
    ).all())
    head.totals = totals_below(ministry.path)
    if head.page is not None:
        contests_of(head, ministry.path)
        head.library = library_items(ministry.path)
    return head


def directory_below(org: Organization) -> list[DirectoryEntry]:
    """Organisations below ``org`` with a published page, by name (one query): the schools of a
    body, or the bodies and schools of the region."""
    low, high = subtree_bounds(org.path)
    rows = db.session.execute(
        sa.select(Organization.id, Organization.kind, Organization.name, Organization.short_name,
                  Organization.slug, Organization.parent_id, PublicPage.version, PublicPage.updated_at)
        .join(PublicPage, PublicPage.org_id == Organization.id)
        .where(Organization.path > low, Organization.path < high, Organization.slug.is_not(None))
        .order_by(Organization.name, Organization.id)
    ).all()
    return [DirectoryEntry(id=r.id, kind=r.kind, name=r.short_name or r.name, slug=r.slug, parent_id=r.parent_id,
                           version=r.version, updated_at=r.updated_at) for r in rows]


def totals_below(path: str) -> Totals:
    """The published school pages' counts added up below ``path`` (one query)."""
    low, high = subtree_bounds(path)
    row = db.session.execute(
        sa.select(sa.func.count(PublicPage.id), sa.func.coalesce(sa.func.sum(PublicPage.pairs_count), 0),
                  sa.func.coalesce(sa.func.sum(PublicPage.mentors_count), 0),
                  sa.func.coalesce(sa.func.sum(PublicPage.mentees_count), 0))
        .join(Organization, Organization.id == PublicPage.org_id)
        .where(PublicPage.org_path >= low, PublicPage.org_path < high,
               Organization.kind == OrgKind.SCHOOL.value)
    ).one()
    return Totals(schools=row[0], pairs=int(row[1]), mentors=int(row[2]), mentees=int(row[3]))


def latest_news(org_id: int, limit: int = LATEST_NEWS) -> list[NewsItem]:
    return list(db.session.scalars(news_statement(org_id).limit(limit)))


def news_statement(org_id: int) -> sa.Select:
    """The organisation's news, newest first (under the public scope: published only)."""
    return (sa.select(NewsItem).where(NewsItem.org_id == org_id)
            .order_by(NewsItem.published_on.desc(), NewsItem.id.desc()))


def news_item(org_id: int, item_id: int) -> NewsItem | None:
    return db.session.scalar(sa.select(NewsItem).where(NewsItem.id == item_id, NewsItem.org_id == org_id))


def news_picture(org_id: int, item_id: int) -> tuple[bytes, str] | None:
    row = db.session.execute(
        sa.select(NewsItem.picture, NewsItem.picture_type).where(NewsItem.id == item_id, NewsItem.org_id == org_id)
    ).first()
    return (row[0], row[1]) if row is not None and row[0] else None


def documents(org_id: int) -> list[PublicDocument]:
    return list(db.session.scalars(
        sa.select(PublicDocument).where(PublicDocument.org_id == org_id)
        .options(load_only(PublicDocument.id, PublicDocument.title, PublicDocument.category, PublicDocument.filename,
                           PublicDocument.content_type, PublicDocument.size, PublicDocument.published_at,
                           PublicDocument.org_id, PublicDocument.updated_at))
        .order_by(PublicDocument.position, PublicDocument.id)
    ))


def practices(org_id: int) -> list[BestPractice]:
    return list(db.session.scalars(
        sa.select(BestPractice).where(BestPractice.org_id == org_id).order_by(BestPractice.position, BestPractice.id)
    ))


def practice(org_id: int, practice_id: int) -> BestPractice | None:
    return db.session.scalar(
        sa.select(BestPractice).where(BestPractice.id == practice_id, BestPractice.org_id == org_id))


def card_photo(org_id: int, card_id: int) -> tuple[bytes, str] | None:
    """A published honour card's photo (only a public card of this school)."""
    return board_reading.public_photo(org_id, card_id)


def contest_rules(org_path: str, contest_id: int):
    """The rules document of a public contest organised at ``org_path``, or None."""
    contest = next((c for c in contest_reading.public_contests(org_path) if c.id == contest_id), None)
    return contest_reading.public_rules(contest.id) if contest is not None else None


def sitemap_entries(region: Region) -> tuple[list[DirectoryEntry], list[tuple[int, int, datetime]]]:
    """The published pages of the region and their published news (org id, item id, changed)."""
    ministry = db.session.scalar(sa.select(Organization).where(Organization.id == region.id))
    pages = directory_below(ministry) if ministry is not None else []
    news = [(r.org_id, r.id, r.updated_at) for r in db.session.execute(
        sa.select(NewsItem.org_id, NewsItem.id, NewsItem.updated_at)
        .join(PublicPage, PublicPage.org_id == NewsItem.org_id)
        .order_by(NewsItem.org_id, NewsItem.id)
    )]
    return pages, news


# -- the ETag ------------------------------------------------------------------------------------

def _stamp(obj) -> str:
    moment = getattr(obj, "updated_at", None) or getattr(obj, "published_at", None)
    return f"{type(obj).__name__}:{obj.id}:{moment.isoformat() if moment else ''}"


def fingerprint(parts: Iterable[object]) -> str:
    """A short strong hash of ``parts`` (their text)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return digest[:32]


def page_fingerprint(head: OrgHead, *extra: object) -> str:
    """The ETag's value for ``head`` (plus ``extra``: the language, the accessibility settings…)."""
    page = head.page
    parts: list[object] = [head.org.id, head.org.slug, head.org.name, head.org.short_name,
                           f"page:{page.id}:{page.version}" if page is not None else "page:none"]
    parts += [_stamp(card) for card in head.cards]
    parts += [_stamp(contest) for contest in head.contests]
    parts += [_stamp(entry) for entries in head.results.values() for entry in entries]
    parts += [_stamp(entry) for entry in head.school_results]
    parts += [f"rules:{contest_id}" for contest_id in sorted(head.rules)]
    parts += [_stamp(item) for item in head.library]
    parts += [f"dir:{e.id}:{e.version}:{e.name}:{e.slug}" for e in head.directory]
    parts += [f"body:{b.id}:{b.name}:{b.slug}" for b in head.bodies]
    if head.totals is not None:
        parts.append(head.totals)
    return fingerprint([*parts, *extra])


def last_modified(head: OrgHead) -> datetime | None:
    """When the page last changed, as far as its parts tell (for Last-Modified)."""
    moments = [head.page.updated_at] if head.page is not None else []
    moments += [e.updated_at for e in head.directory if e.updated_at is not None]
    for obj in [*head.cards, *head.contests, *head.school_results, *head.library,
                *(e for entries in head.results.values() for e in entries)]:
        moment = getattr(obj, "updated_at", None) or getattr(obj, "published_at", None)
        if moment is not None:
            moments.append(moment)
    return max(aware(m) for m in moments) if moments else None


def aware(moment: datetime) -> datetime:
    """``moment`` with its zone (SQLite gives naive UTC datetimes back)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# -- the editor's preview (the organisation's own tenant scope) -----------------------------------

def region_of(org_path: str) -> Region | None:
    """The region an organisation belongs to, as plain values (its slug builds the addresses)."""
    ministry_path = region_path(org_path)
    with unscoped("public.region"):
        row = db.session.execute(
            sa.select(Organization.id, Organization.path, Organization.slug, Organization.name,
                      Organization.region_name).where(Organization.path == ministry_path)
        ).first()
    if row is None:
        return None
    return Region(id=row.id, path=row.path, slug=row.slug or "", name=row.region_name or row.name)


def preview_head(region: Region, org: Organization, page: PublicPage) -> OrgHead:
    """The page's head as its admin previews it: its own page (published or not) and what the
    other areas publish for it; the directory and totals below as visitors see them."""
    head = OrgHead(region=region, org=org, page=page)
    if org.kind == OrgKind.SCHOOL.value:
        head.cards = board_cards(org.id)
        head.school_results = contest_reading.public_school_results(org.id)
    else:
        with public_scope(region.path):
            head.directory = directory_below(org)
            head.totals = totals_below(org.path)
            if org.kind == OrgKind.MINISTRY.value:
                head.bodies = list(db.session.execute(
                    sa.select(Organization.id, Organization.name, Organization.short_name, Organization.slug)
                    .where(Organization.kind == OrgKind.MUNICIPALITY.value)
                    .order_by(Organization.name, Organization.id)
                ).all())
    contests_of(head, org.path)
    head.library = library_items(org.path)
    return head
