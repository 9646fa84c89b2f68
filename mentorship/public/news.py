"""News items of an organisation's public page: written as drafts, shown once published.

The text is Markdown, rendered through the safe subset of core/richtext.py; a picture is
re-encoded on upload (core/images.py: EXIF and its GPS position gone, size bounded).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from core.errors import Problem
from core.extensions import db
from core.images import reencode_picture
from core.search import contains
from core.uploads import UploadError
from mentorship.public.errors import PublicError
from mentorship.public.models import NewsItem
from mentorship.public.pages import ensure_page, touch
from tenants import audit
from tenants.models import Organization

MAX_TEXT = 20_000
MAX_PICTURE_MB = 8
PICTURE_CODES = {"type_not_allowed": "picture_type_not_allowed"}


@dataclass(frozen=True)
class NewsFields:
    title: str | None
    text: str | None
    published_on: date | None
    picture_alt: str | None = None
    picture: tuple[str, bytes] | None = None  # (filename, content) of a new picture
    remove_picture: bool = False


def news_query(org_id: int, search: str = "") -> sa.Select:
    """The organisation's news, newest first (drafts included: the editor's list)."""
    stmt = sa.select(NewsItem).where(NewsItem.org_id == org_id).order_by(NewsItem.published_on.desc(),
                                                                         NewsItem.id.desc())
    if search:
        stmt = stmt.where(contains(NewsItem.title, search))
    return stmt


def _check(fields: NewsFields) -> list[Problem]:
    problems = []
    title = (fields.title or "").strip()
    if not title:
        problems.append(Problem("title_required", "title"))
    elif len(title) > 300:
        problems.append(Problem("title_too_long", "title"))
    text = (fields.text or "").strip()
    if not text:
        problems.append(Problem("text_required", "text"))
    elif len(text) > MAX_TEXT:
        problems.append(Problem("text_too_long", "text", {"limit": MAX_TEXT}))
    if fields.published_on is None:
        problems.append(Problem("date_required", "published_on"))
    if len((fields.picture_alt or "").strip()) > 300:
        problems.append(Problem("too_long", "picture_alt", {"limit": 300}))
    return problems


def _picture(fields: NewsFields, problems: list[Problem]):
    if fields.picture is None:
        return None
    filename, data = fields.picture
    try:
        return reencode_picture(filename, data, max_bytes=MAX_PICTURE_MB * 1024 * 1024)
    except UploadError as exc:
        problems.append(Problem(PICTURE_CODES.get(exc.code, exc.code), "picture", {"limit": MAX_PICTURE_MB}))
        return None


def save_news(org: Organization, item: NewsItem | None, fields: NewsFields, user) -> NewsItem:
    """Create (``item`` None) or change a news item; nothing is kept when anything is refused.
    A published item shows the change at once."""
    problems = _check(fields)
    picture = _picture(fields, problems)
    if problems:
        raise PublicError(problems)
    ensure_page(org)
    created = item is None
    if created:
        item = NewsItem(org_id=org.id, created_by_id=getattr(user, "id", None), is_public=False)
        db.session.add(item)
    item.title = fields.title.strip()
    item.text = fields.text.strip()
    item.published_on = fields.published_on
    item.picture_alt = (fields.picture_alt or "").strip() or None
    if picture is not None:
        item.picture, item.picture_type = picture.data, picture.content_type
        item.picture_width, item.picture_height = picture.width, picture.height
    elif fields.remove_picture:
        item.picture = item.picture_type = item.picture_width = item.picture_height = None
    db.session.flush()
    touch(org.id)
    audit.record("public.news_created" if created else "public.news_saved", org=org, obj=item)
    return item


def publish_news(org: Organization, item: NewsItem) -> None:
    item.is_public = True
    db.session.flush()
    touch(org.id)
    audit.record("public.news_published", org=org, obj=item)


def unpublish_news(org: Organization, item: NewsItem) -> None:
    item.is_public = False
    db.session.flush()
    touch(org.id)
    audit.record("public.news_unpublished", org=org, obj=item)


def delete_news(org: Organization, item: NewsItem) -> None:
    audit.record("public.news_deleted", org=org, obj=item, details={"title": item.title})
    db.session.delete(item)
    db.session.flush()
    touch(org.id)


def picture_of(item: NewsItem) -> tuple[bytes, str] | None:
    """The item's picture and its type (one query), or None."""
    if item.picture_type is None:
        return None
    data = db.session.scalar(sa.select(NewsItem.picture).where(NewsItem.id == item.id))
    return (data, item.picture_type) if data else None
