"""Library items: making and changing them, their file versions, downloads, publication by a
body, withdrawal, deletion of a draft. (A school's best practice is published by review:
mentorship/library/review.py.) Every change is audited and re-indexes the item for search;
nothing is committed here (the caller commits)."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from core.errors import Conflict, DomainError
from core.extensions import db
from core.model import utcnow
from core.uploads import CheckedFile, UploadError, check_upload
from mentorship.library.access import can_create, can_edit, is_school
from mentorship.library.catalogue import CATEGORIES, LIBRARY_TYPES, MAX_FILE_BYTES, PRACTICE
from mentorship.library.models import LibraryItem, LibraryVersion
from mentorship.library.search import refresh_document
from mentorship.region.forms import region_forms
from tenants import audit
from tenants.models import Membership, Organization, User


class LibraryError(DomainError):
    """An item or a file that cannot be saved; each problem names its field."""

    MESSAGES = {
        "not_allowed": _l("You cannot do this with this material."),
        "category": _l("Choose a category."),
        "practice_only": _l("A school contributes best practices: the other categories are published by the "
                            "ministry and municipal bodies."),
        "title_required": _l("Give a title."),
        "title_too_long": _l("The title is longer than 300 characters."),
        "description_too_long": _l("The description is longer than 10,000 characters."),
        "keywords_too_long": _l("The keywords are longer than 300 characters."),
        "note_too_long": _l("The note is longer than 300 characters."),
        "form": _l("Choose forms of mentorship from the region's catalogue."),
        "file_required": _l("Choose a file."),
        # a file refused by core.uploads.check_upload
        "empty": _l("The file is empty."),
        "too_large": _l("The file is larger than 20 MB."),
        "type_not_allowed": _l("Only PDF, DOCX, XLSX, PPTX, JPEG and PNG files are accepted."),
        "name_mismatch": _l("The file's content does not match its name."),
    }


class LibraryStateError(LibraryError, Conflict):
    """The item's state does not allow the change."""

    MESSAGES = {
        "not_draft": _l("Only a draft that was never published can be deleted."),
        "not_publishable": _l("The material is already published."),
        "not_published": _l("The material is not published."),
        "changed_meanwhile": _l("The material was changed by someone else meanwhile; nothing was saved. "
                                "Look at it again."),
    }


@dataclass
class ItemData:
    """What the form gives about an item."""

    category: str
    title: str
    description: str | None = None
    form_codes: list[str] = field(default_factory=list)
    keywords: str | None = None


def check_file(filename: str | None, data: bytes) -> CheckedFile:
    """The uploaded file checked by content and size, or ``LibraryError`` about ``file``."""
    if not filename and not data:
        raise LibraryError("file_required", field="file")
    try:
        return check_upload(filename or "", data, max_bytes=MAX_FILE_BYTES, allowed=LIBRARY_TYPES)
    except UploadError as exc:
        raise LibraryError(exc.code, field="file") from None


def form_names(org_path: str) -> dict[str, str]:
    """The region's forms of mentorship (retired ones too: old items keep them), code → name."""
    return {form.code: form.name for form in region_forms(org_path, include_retired=True)}


def _clean(data: ItemData, org: Organization, kept_codes: set[str]) -> tuple[list[tuple[str, str]], dict]:
    problems: list[tuple[str, str]] = []
    if data.category not in CATEGORIES:
        problems.append(("category", "category"))
    elif is_school(org) and data.category != PRACTICE:
        problems.append(("category", "practice_only"))
    title = " ".join((data.title or "").split())
    if not title:
        problems.append(("title", "title_required"))
    elif len(title) > 300:
        problems.append(("title", "title_too_long"))
    description = (data.description or "").strip() or None
    if description and len(description) > 10000:
        problems.append(("description", "description_too_long"))
    keywords = " ".join((data.keywords or "").split()) or None
    if keywords and len(keywords) > 300:
        problems.append(("keywords", "keywords_too_long"))
    current = {form.code for form in region_forms(org.path)} | kept_codes
    codes = [code for code in dict.fromkeys(data.form_codes or ()) if code]
    if any(code not in current for code in codes):
        problems.append(("form_codes", "form"))
    return problems, {"category": data.category, "title": title, "description": description,
                      "form_codes": ",".join(codes), "keywords": keywords}


def codes_of(item: LibraryItem) -> list[str]:
    return [code for code in (item.form_codes or "").split(",") if code]


def reindex(item: LibraryItem) -> None:
    names = form_names(item.org_path or "")
    refresh_document(item, [names.get(code, code) for code in codes_of(item)])


def sync_public(item: LibraryItem) -> None:
    """``is_public`` on the item and its versions: published *and* offered for the public pages."""
    public = item.status == "published" and item.public_requested
    item.is_public = public
    for version in item.versions:
        version.is_public = public


def create_item(acting: Membership, user: User, data: ItemData, filename: str | None, file_bytes: bytes, *,
                note: str | None = None, publish: bool = False, public: bool = False) -> LibraryItem:
    """A new item of the acting organisation with its first file (checked by content and
    size), as a draft — or published at once by a body, with ``publish``. Every problem of the
    description and of the file is reported together; nothing is saved on any."""
    if not can_create(acting):
        raise LibraryError("not_allowed")
    org = acting.org
    problems, values = _clean(data, org, set())
    checked = None
    try:
        checked = check_file(filename, file_bytes)
    except LibraryError as error:
        problems += [(p.field, p.code) for p in error.problems]
    note = " ".join((note or "").split()) or None
    if note and len(note) > 300:
        problems.append(("note", "note_too_long"))
    if problems:
        raise LibraryError(problems)
    item = LibraryItem(org_id=org.id, source_name=org.name, status="draft", audience="below",
                       created_by_id=user.id, public_requested=bool(public), **values)
    db.session.add(item)
    item.versions.append(_version(item, 1, checked, note, user))
    db.session.flush()
    reindex(item)
    audit.record("library.created", org=org, obj=item, details={"category": item.category})
    if publish and not is_school(org):
        publish_item(acting, item)
    sync_public(item)
    db.session.flush()
    return item


def update_item(acting: Membership, item: LibraryItem, data: ItemData) -> LibraryItem:
    """Change an item's description (its owner; a school's practice while draft or returned)."""
    if not can_edit(acting, item):
        raise LibraryError("not_allowed")
    problems, values = _clean(data, acting.org, set(codes_of(item)))
    if problems:
        raise LibraryError(problems)
    changed = sorted(name for name, value in values.items() if getattr(item, name) != value)
    for name, value in values.items():
        setattr(item, name, value)
    reindex(item)
    db.session.flush()
    if changed:
        audit.record("library.updated", org=acting.org, obj=item, details={"fields": changed})
    return item


def _version(item: LibraryItem, number: int, checked: CheckedFile, note: str | None, user: User) -> LibraryVersion:
    return LibraryVersion(org_id=item.org_id, number=number, note=note, filename=checked.filename,
                          content_type=checked.content_type, size=len(checked.data), data=checked.data,
                          uploaded_by_id=user.id, is_public=item.is_public)


def add_version(acting: Membership, user: User, item: LibraryItem, filename: str | None, file_bytes: bytes,
                note: str | None = None) -> LibraryVersion:
    """A new file for the item (checked by content and size): the next version. Earlier
    versions stay, with their links."""
    if not can_edit(acting, item):
        raise LibraryError("not_allowed")
    note = " ".join((note or "").split()) or None
    if note and len(note) > 300:
        raise LibraryError("note_too_long", field="note")
    checked = check_file(filename, file_bytes)
    number = (db.session.scalar(sa.select(sa.func.max(LibraryVersion.number))
                                .where(LibraryVersion.item_id == item.id)) or 0) + 1
    version = _version(item, number, checked, note, user)
    try:
        with db.session.begin_nested():
            item.versions.append(version)
            db.session.flush()
    except IntegrityError:  # someone else added that number meanwhile
        raise LibraryStateError("changed_meanwhile") from None
    audit.record("library.version_added", org=acting.org, obj=item, details={"version": number})
    return version


def record_download(version_id: int, item_id: int) -> None:
    """Count a download of a version and of its item, each by one atomic UPDATE (concurrent
    downloads never lose a count)."""
    for model, ident in ((LibraryVersion, version_id), (LibraryItem, item_id)):
        db.session.execute(
            sa.update(model).where(model.id == ident).values(download_count=model.download_count + 1)
            .execution_options(synchronize_session=False)
        )


def publish_item(acting: Membership, item: LibraryItem) -> LibraryItem:
    """A body publishes its item to every organisation below it (a draft, or withdrawn before)."""
    if not can_edit(acting, item) or is_school(acting.org):
        raise LibraryError("not_allowed")
    if item.status == "published":
        raise LibraryStateError("not_publishable")
    item.status = "published"
    item.audience = "below"
    item.published_at = utcnow()
    sync_public(item)
    db.session.flush()
    audit.record("library.published", org=acting.org, obj=item, details={"public": item.is_public})
    return item


def withdraw_item(acting: Membership, item: LibraryItem, *, by_reviewer: bool = False) -> LibraryItem:
    """Take a published item out of the library (kept, shown to its owner and those above)."""
    if item.status != "published":
        raise LibraryStateError("not_published")
    if not by_reviewer and (acting.org_id != item.org_id or not can_create(acting)):
        raise LibraryError("not_allowed")
    item.status = "archived"
    sync_public(item)
    db.session.flush()
    audit.record("library.archived", org=acting.org, obj=item, details={"by_reviewer": by_reviewer})
    return item


def delete_draft(acting: Membership, item: LibraryItem) -> None:
    """Delete a draft that was never published, with its files."""
    if acting.org_id != item.org_id or not can_create(acting):
        raise LibraryError("not_allowed")
    if item.status not in ("draft", "returned") or item.published_at is not None:
        raise LibraryStateError("not_draft")
    audit.record("library.deleted", org=acting.org, obj=item, details={"title": item.title})
    db.session.delete(item)
    db.session.flush()
