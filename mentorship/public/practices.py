"""Best practices of an organisation's mentorship, told on its public page in its own words
(safe Markdown). Drafts until published; no author field: a person is named only where their
consent to publication is checked (the board of honour, contest results)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from core.errors import Problem
from core.extensions import db
from core.model import utcnow
from core.search import contains
from mentorship.public.errors import PublicError
from mentorship.public.models import BestPractice
from mentorship.public.pages import ensure_page, touch
from tenants import audit
from tenants.models import Organization

MAX_TEXT = 20_000


@dataclass(frozen=True)
class PracticeFields:
    title: str | None
    summary: str | None
    text: str | None


def practices_query(org_id: int, search: str = "") -> sa.Select:
    stmt = sa.select(BestPractice).where(BestPractice.org_id == org_id).order_by(BestPractice.position,
                                                                                 BestPractice.id)
    if search:
        stmt = stmt.where(contains(BestPractice.title, search))
    return stmt


def _check(fields: PracticeFields) -> list[Problem]:
    problems = []
    title = (fields.title or "").strip()
    if not title:
        problems.append(Problem("title_required", "title"))
    elif len(title) > 300:
        problems.append(Problem("title_too_long", "title"))
    if len((fields.summary or "").strip()) > 500:
        problems.append(Problem("summary_too_long", "summary"))
    text = (fields.text or "").strip()
    if not text:
        problems.append(Problem("text_required", "text"))
    elif len(text) > MAX_TEXT:
        problems.append(Problem("text_too_long", "text", {"limit": MAX_TEXT}))
    return problems


def save_practice(org: Organization, practice: BestPractice | None, fields: PracticeFields) -> BestPractice:
    problems = _check(fields)
    if problems:
        raise PublicError(problems)
    ensure_page(org)
    created = practice is None
    if created:
        last = db.session.scalar(sa.select(sa.func.max(BestPractice.position)).where(BestPractice.org_id == org.id))
        practice = BestPractice(org_id=org.id, is_public=False, position=(last or 0) + 1)
        db.session.add(practice)
    practice.title = fields.title.strip()
    practice.summary = (fields.summary or "").strip() or None
    practice.text = fields.text.strip()
    db.session.flush()
    touch(org.id)
    audit.record("public.practice_created" if created else "public.practice_saved", org=org, obj=practice)
    return practice


def set_practice_public(org: Organization, practice: BestPractice, public: bool) -> None:
    practice.is_public = public
    if public:
        practice.published_at = utcnow()
    db.session.flush()
    touch(org.id)
    audit.record("public.practice_published" if public else "public.practice_unpublished", org=org, obj=practice)


def delete_practice(org: Organization, practice: BestPractice) -> None:
    audit.record("public.practice_deleted", org=org, obj=practice, details={"title": practice.title})
    db.session.delete(practice)
    db.session.flush()
    touch(org.id)
