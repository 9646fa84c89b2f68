"""Documents chosen for publication, each kept as a snapshot file.

Where a document comes from:

* an uploaded file — PDF, DOCX or XLSX, checked by content and size (core/uploads.py);
* the organisation's approved roadmap, exported as DOCX (mentorship/roadmaps/export.py) — only
  an approved version, never a draft;
* a body's analytical report (информационно-аналитическая справка), its built DOCX;
* an award order «О поощрении участников наставнической деятельности» — only when every mentor
  in it has a valid consent to publication and every partner agreed to be named; the people are
  remembered (``PublicDocumentPerson``) so that a withdrawal unpublishes it at once
  (mentorship/public/receivers.py).

Pair orders name pupils: they are never offered here.
"""
from __future__ import annotations

import sqlalchemy as sa

from core.errors import Problem
from core.extensions import db
from core.model import utcnow
from core.uploads import UploadError, check_upload
from mentorship.public import sources
from mentorship.public.errors import PublicError, PublicNotFound
from mentorship.public.models import DOCUMENT_CATEGORIES, PublicDocument, PublicDocumentPerson
from mentorship.public.pages import ensure_page, touch
from mentorship.public.sources import SourceSnapshot
from mentorship.recognition.models import Award
from tenants import audit
from tenants.models import Organization

MAX_DOCUMENT_MB = 15
DOCUMENT_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def documents_query(org_id: int) -> sa.Select:
    """The organisation's documents in their order (the editor's list, drafts included)."""
    return (sa.select(PublicDocument).where(PublicDocument.org_id == org_id)
            .order_by(PublicDocument.position, PublicDocument.id))


def _check_title(title: str | None, category: str | None) -> list[Problem]:
    problems = []
    title = (title or "").strip()
    if not title:
        problems.append(Problem("title_required", "title"))
    elif len(title) > 300:
        problems.append(Problem("title_too_long", "title"))
    if category not in DOCUMENT_CATEGORIES:
        problems.append(Problem("category_unknown", "category"))
    return problems


def check_document_file(filename: str, data: bytes):
    """An uploaded document checked by content and size: PDF, DOCX or XLSX only."""
    try:
        checked = check_upload(filename, data, max_bytes=MAX_DOCUMENT_MB * 1024 * 1024)
    except UploadError as exc:
        raise PublicError(exc.code, field="file", limit=MAX_DOCUMENT_MB) from None
    if checked.content_type not in DOCUMENT_TYPES:
        raise PublicError("type_not_allowed", field="file")
    return checked


def _add(org: Organization, *, title: str, category: str, kind: str, source_id: int | None, snapshot: SourceSnapshot,
         user) -> PublicDocument:
    ensure_page(org)
    last = db.session.scalar(sa.select(sa.func.max(PublicDocument.position)).where(PublicDocument.org_id == org.id))
    document = PublicDocument(
        org_id=org.id, title=title.strip(), category=category, kind=kind, source_id=source_id, is_public=False,
        filename=snapshot.filename, content_type=snapshot.content_type, size=len(snapshot.data), data=snapshot.data,
        uploaded_by_id=getattr(user, "id", None), position=(last or 0) + 1,
    )
    db.session.add(document)
    db.session.flush()
    for participant_id in sorted(set(snapshot.people)):
        db.session.add(PublicDocumentPerson(org_id=org.id, document_id=document.id, participant_id=participant_id))
    db.session.flush()
    touch(org.id)
    audit.record("public.document_added", org=org, obj=document, details={"kind": kind, "source_id": source_id})
    return document


def upload_document(org: Organization, *, title: str | None, category: str | None,
                    file: tuple[str, bytes] | None, user) -> PublicDocument:
    """An uploaded file as a draft document; every problem reported at once, nothing kept."""
    problems = _check_title(title, category)
    checked = None
    if file is None or not file[0]:
        problems.append(Problem("file_required", "file"))
    else:
        try:
            checked = check_document_file(*file)
        except PublicError as error:
            problems += error.problems
    if problems:
        raise PublicError(problems)
    return _add(org, title=title, category=category, kind="upload", source_id=None,
                snapshot=SourceSnapshot(checked.filename, checked.content_type, checked.data), user=user)


def add_roadmap(org: Organization, roadmap_id: int | None, *, title: str | None, user) -> PublicDocument:
    """The organisation's approved roadmap as a DOCX snapshot (a draft document)."""
    problems = _check_title(title, "roadmap")
    if problems:
        raise PublicError(problems)
    snapshot = sources.roadmap_snapshot(org, roadmap_id)
    return _add(org, title=title, category="roadmap", kind="roadmap", source_id=roadmap_id, snapshot=snapshot,
                user=user)


def add_analytical(org: Organization, report_id: int | None, *, title: str | None, user) -> PublicDocument:
    """A built analytical report of the organisation (a body) as a DOCX snapshot."""
    problems = _check_title(title, "report")
    if problems:
        raise PublicError(problems)
    snapshot = sources.analytical_snapshot(org, report_id)
    return _add(org, title=title, category="report", kind="analytical", source_id=report_id, snapshot=snapshot,
                user=user)


def add_award_order(org: Organization, order_id: int | None, *, title: str | None, user) -> PublicDocument:
    """An award order as a DOCX snapshot — refused unless every person in it may be published."""
    problems = _check_title(title, "order")
    if problems:
        raise PublicError(problems)
    snapshot = sources.award_order_snapshot(org, order_id)
    return _add(org, title=title, category="order", kind="award_order", source_id=order_id, snapshot=snapshot,
                user=user)


def people_of(document: PublicDocument) -> list[int]:
    return list(db.session.scalars(
        sa.select(PublicDocumentPerson.participant_id).where(PublicDocumentPerson.document_id == document.id)
        .order_by(PublicDocumentPerson.participant_id)
    ))


def publish_document(org: Organization, document: PublicDocument) -> None:
    """Publish it; a document naming people only while each of them still consents."""
    if document.kind == "award_order":
        sources.recheck_award_order(org, document.source_id, people_of(document))
    document.is_public = True
    document.published_at = utcnow()
    db.session.flush()
    touch(org.id)
    audit.record("public.document_published", org=org, obj=document)


def unpublish_document(org: Organization, document: PublicDocument) -> None:
    document.is_public = False
    db.session.flush()
    touch(org.id)
    audit.record("public.document_unpublished", org=org, obj=document)


def rename_document(org: Organization, document: PublicDocument, *, title: str | None,
                    category: str | None) -> None:
    problems = _check_title(title, category)
    if problems:
        raise PublicError(problems)
    document.title, document.category = title.strip(), category
    db.session.flush()
    touch(org.id)
    audit.record("public.document_saved", org=org, obj=document)


def delete_document(org: Organization, document: PublicDocument) -> None:
    audit.record("public.document_deleted", org=org, obj=document, details={"title": document.title})
    db.session.delete(document)
    db.session.flush()
    touch(org.id)


def file_of(org_id: int, document_id: int) -> tuple[PublicDocument, bytes]:
    """The document of ``org_id`` and its bytes (one query each), through the current scope
    (a visitor's: published only). Raises PublicNotFound."""
    document = db.session.scalar(
        sa.select(PublicDocument).where(PublicDocument.id == document_id, PublicDocument.org_id == org_id))
    if document is None:
        raise PublicNotFound("not_found")
    data = db.session.scalar(sa.select(PublicDocument.data).where(PublicDocument.id == document.id))
    if data is None:
        raise PublicNotFound("not_found")
    return document, data


def unpublish_for_partner(enterprise_id: int) -> list[int]:
    """Unpublish every award-order document listing an award to the partner; their ids."""
    orders = set(db.session.scalars(
        sa.select(Award.order_id).where(Award.enterprise_id == enterprise_id, Award.order_id.is_not(None))))
    documents = list(db.session.scalars(
        sa.select(PublicDocument).where(PublicDocument.kind == "award_order", PublicDocument.is_public.is_(True),
                                        PublicDocument.source_id.in_(orders))
    ))
    for document in documents:
        document.is_public = False
    db.session.flush()
    return [d.id for d in documents]


def unpublish_for_person(participant_id: int) -> list[int]:
    """Unpublish every document naming the person (the current tenant's); their ids."""
    documents = list(db.session.scalars(
        sa.select(PublicDocument).join(PublicDocumentPerson, PublicDocumentPerson.document_id == PublicDocument.id)
        .where(PublicDocumentPerson.participant_id == participant_id, PublicDocument.is_public.is_(True))
    ))
    for document in documents:
        document.is_public = False
    db.session.flush()
    return [d.id for d in documents]
