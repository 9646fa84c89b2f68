"""An organisation's public page: its texts and contacts, publication and withdrawal.

The page is the container of everything the organisation publishes: while it is not published
its address, news, documents, practices and feed are all 404. ``touch`` raises its ``version``
whenever something it shows changes (the page's ETag is built on it), so a visitor's cached copy
is never reused after an edit, a withdrawal or an unpublication.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from core.errors import Problem
from core.extensions import db
from core.model import utcnow
from mentorship.public.errors import PublicError
from mentorship.public.models import BestPractice, NewsItem, PublicDocument, PublicPage
from mentorship.public.programme import snapshot_counts
from tenants import audit
from tenants.models import Organization

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_TEXT = 20_000


@dataclass(frozen=True)
class PageFields:
    """What the admin edits on the page (each None or text)."""

    intro: str | None = None
    programme_text: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    contacts_note: str | None = None


LIMITS = {"intro": MAX_TEXT, "programme_text": MAX_TEXT, "address": 300, "phone": 60, "email": 254,
          "website": 300, "contacts_note": 2000}


def page_of(org: Organization) -> PublicPage | None:
    """The organisation's page (the current tenant is the organisation)."""
    return db.session.scalar(sa.select(PublicPage).where(PublicPage.org_id == org.id))


def ensure_page(org: Organization) -> PublicPage:
    """The organisation's page, created unpublished the first time."""
    page = page_of(org)
    if page is None:
        page = PublicPage(org_id=org.id, version=1, pairs_count=0, mentors_count=0, mentees_count=0, forms=[])
        db.session.add(page)
        db.session.flush()
    return page


def touch(org_id: int) -> None:
    """Something the organisation's page shows changed: raise its version (if it has a page)."""
    page = db.session.scalar(sa.select(PublicPage).where(PublicPage.org_id == org_id))
    if page is not None:
        page.version = (page.version or 1) + 1
        db.session.flush()


def check_fields(fields: PageFields) -> list[tuple[str, str, dict]]:
    problems = []
    for name, limit in LIMITS.items():
        value = getattr(fields, name) or ""
        if len(value) > limit:
            problems.append((name, "too_long", {"limit": limit}))
    email = (fields.email or "").strip()
    if email and not _EMAIL.fullmatch(email):
        problems.append(("email", "bad_email", {}))
    website = (fields.website or "").strip()
    if website and not re.fullmatch(r"https?://\S+", website):
        problems.append(("website", "bad_website", {}))
    return problems


def save_page(org: Organization, fields: PageFields) -> PublicPage:
    """Save the page's texts and contacts (published or not: a published page shows them now)."""
    problems = check_fields(fields)
    if problems:
        raise PublicError([Problem(code, name, params) for name, code, params in problems])
    page = ensure_page(org)
    for name in LIMITS:
        setattr(page, name, (getattr(fields, name) or "").strip() or None)
    page.version = (page.version or 1) + 1
    db.session.flush()
    audit.record("public.page_saved", org=org, obj=page)
    return page


def publish_page(org: Organization, today: date) -> PublicPage:
    """Publish the page (its counts snapshotted now); its published items appear with it."""
    page = ensure_page(org)
    snapshot_counts(page, org, today)
    page.is_public = True
    page.published_at = utcnow()
    page.version = (page.version or 1) + 1
    db.session.flush()
    audit.record("public.page_published", org=org, obj=page)
    return page


def unpublish_page(org: Organization) -> PublicPage:
    """Take the page down: from the next request on, its address and everything under it is 404."""
    page = ensure_page(org)
    page.is_public = False
    page.version = (page.version or 1) + 1
    db.session.flush()
    audit.record("public.page_unpublished", org=org, obj=page)
    return page


def item_counts(org_id: int) -> dict[str, tuple[int, int]]:
    """(published, all) of the organisation's news, documents and practices (three queries)."""
    counts = {}
    for name, model in (("news", NewsItem), ("documents", PublicDocument), ("practices", BestPractice)):
        row = db.session.execute(
            sa.select(sa.func.count(model.id), sa.func.count(model.id).filter(model.is_public.is_(True)))
            .where(model.org_id == org_id)
        ).one()
        counts[name] = (row[1], row[0])
    return counts
