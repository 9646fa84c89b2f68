"""Announcements down the organisation tree (seed 001, item 1.1: informing the organisations).

The ministry (its admin) and a municipal body (its coordinator or specialist) send an
announcement — a title, a text in plain text or safe Markdown (core/richtext.py), an optional
file checked by content (core/uploads.py) — to organisations below it:

* ``all``: every active organisation below the sender (the ministry: municipal bodies and
  schools; a municipal body: its schools);
* ``kinds``: those of the chosen kinds (municipal bodies, schools, colleges, kindergartens);
* ``chosen``: the chosen municipal bodies and schools — a chosen municipal body with its
  schools too, if asked (``with_schools``).

The recipients are fixed when it is sent: one ``AnnouncementReceipt`` per organisation, owned by
it, and one in-app notification each (tenants/notifications.py). The e-mails to each recipient's
staff (a school's principal and curators, a municipal body's coordinator and specialists) are
queued by a task after the commit (``mail_recipients``, tasks/region.py), a batch of receipts at
a time: each batch is *claimed* by a conditional UPDATE (``mailed_at IS NULL``) committed with
the e-mails it queues (core.mail.queue_mail), so a retried or repeated task mails nobody twice.

Reading. The announcement is ``Lineage``: the sender's siblings never see it, and an
organisation below the sender reads it only if it is a recipient (``visible_announcement``:
anything else is a 404, like another tenant's object). The first opening by a member of a
recipient marks its receipt read (and its notification); the sender's line counts the receipts:
«read by N of M organisations», and which have not read it.
"""
from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import aliased, selectinload, undefer

from core.errors import DomainError, NotFound, Problem
from core.extensions import db
from core.links import absolute_url
from core.mail import queue_mail
from core.model import utcnow
from core.richtext import render_markdown
from core.search import contains
from core.uploads import CheckedFile, UploadError, check_upload
from mentorship.region.models import (
    AUDIENCE_MODES,
    Announcement,
    AnnouncementAttachment,
    AnnouncementReceipt,
)
from tenants import audit
from tenants.directory import active_members
from tenants.models import Membership, Notification, Organization, User
from tenants.notifications import notify
from tenants.roles import OrgKind, Role
from tenants.scoping import subtree_bounds

log = logging.getLogger("nastavnik.region.announcements")

SENDER_ROLES = frozenset({Role.MINISTRY_ADMIN, Role.MUNICIPAL_COORDINATOR, Role.MUNICIPAL_SPECIALIST})
# Whom the e-mail goes to in each recipient organisation: its administration and curators.
MAIL_ROLES = {
    OrgKind.SCHOOL.value: (Role.SCHOOL_PRINCIPAL.value, Role.SCHOOL_CURATOR.value),
    OrgKind.MUNICIPALITY.value: (Role.MUNICIPAL_COORDINATOR.value, Role.MUNICIPAL_SPECIALIST.value),
}
NOTIFICATION_KIND = "region.announcement"
MAX_TITLE = 200
MAX_TEXT = 20_000
MAIL_BATCH = 200  # recipient organisations whose e-mails are queued per transaction

# The kinds an audience may name: municipal bodies, and schools by their type.
KIND_LABELS = {
    "municipality": _l("Municipal bodies"),
    "school": _l("General education schools"),
    "college": _l("Colleges"),
    "kindergarten": _l("Kindergartens"),
}
SCHOOL_TYPES = ("school", "college", "kindergarten")
RECEIPT_STATES = ("read", "unread")


class AnnouncementError(DomainError):
    """An announcement that cannot be sent as it is, or an attachment refused."""

    MESSAGES = {
        "not_allowed": _l("You cannot send announcements."),
        "title_required": _l("Give the announcement a title."),
        "title_too_long": _l("The title is too long: at most %(max)d characters."),
        "text_required": _l("Write the text of the announcement."),
        "text_too_long": _l("The text is too long: at most %(max)d characters."),
        "bad_audience": _l("Choose to whom the announcement goes."),
        "kinds_required": _l("Choose at least one kind of organisation."),
        "chosen_required": _l("Choose at least one organisation."),
        "unknown_recipient": _l("Some of the chosen organisations are not below yours."),
        "no_recipients": _l("No active organisation matches the choice: nobody would receive the announcement."),
        # an attachment refused by core.uploads.check_upload
        "empty": _l("The file is empty."),
        "too_large": _l("The file is larger than 10 MB."),
        "type_not_allowed": _l("Only PDF, JPEG, PNG, DOCX and XLSX files are accepted."),
        "name_mismatch": _l("The file's content does not match its name."),
    }


@dataclass(frozen=True)
class Audience:
    """To whom: ``mode`` in AUDIENCE_MODES; ``kinds`` (mode "kinds"); ``chosen`` organisation
    ids and ``with_schools`` (mode "chosen")."""

    mode: str
    kinds: tuple[str, ...] = ()
    chosen: tuple[int, ...] = ()
    with_schools: bool = False


# -- who may send, and to whom --------------------------------------------------------------------

def can_send(acting: Membership | None) -> bool:
    return acting is not None and acting.role_enum in SENDER_ROLES


def is_sender_level(org: Organization) -> bool:
    """The ministry and the municipal bodies send; schools only receive."""
    return org.kind in (OrgKind.MINISTRY.value, OrgKind.MUNICIPALITY.value)


def kind_codes(sender: Organization) -> list[str]:
    """The kinds an audience of ``sender`` may name."""
    if sender.kind == OrgKind.MINISTRY.value:
        return list(KIND_LABELS)
    return list(SCHOOL_TYPES)


def _below(sender: Organization) -> sa.Select:
    """The active municipal bodies and schools below ``sender`` (through the scope)."""
    low, high = subtree_bounds(sender.path)
    return (sa.select(Organization)
            .where(Organization.path > low, Organization.path < high, Organization.is_active.is_(True),
                   Organization.kind.in_((OrgKind.MUNICIPALITY.value, OrgKind.SCHOOL.value))))


@dataclass(frozen=True)
class RecipientChoice:
    id: int
    name: str
    kind: str
    parent_id: int | None


def recipient_choices(sender: Organization) -> list[RecipientChoice]:
    """Every organisation ``sender`` may choose: its municipal bodies first, then the schools
    by name (one query)."""
    rows = db.session.execute(
        _below(sender).with_only_columns(Organization.id, Organization.name, Organization.short_name,
                                         Organization.kind, Organization.parent_id)
        .order_by(Organization.kind.desc(), Organization.name, Organization.id)  # municipality > school
    ).all()
    return [RecipientChoice(r.id, r.short_name or r.name, r.kind, r.parent_id) for r in rows]


def _matches_kind(org: Organization, kinds: set[str]) -> bool:
    if org.kind == OrgKind.MUNICIPALITY.value:
        return "municipality" in kinds
    return (org.school_type or "school") in kinds


def resolve_recipients(sender: Organization, audience: Audience) -> list[Organization]:
    """The active organisations below ``sender`` that ``audience`` names (AnnouncementError
    about the audience's field when it names none, or names an organisation not below)."""
    if audience.mode not in AUDIENCE_MODES:
        raise AnnouncementError("bad_audience", field="audience")
    candidates = db.session.scalars(_below(sender).order_by(Organization.path)).all()
    if audience.mode == "all":
        chosen = candidates
    elif audience.mode == "kinds":
        kinds = set(audience.kinds) & set(kind_codes(sender))
        if not kinds:
            raise AnnouncementError("kinds_required", field="kinds")
        chosen = [org for org in candidates if _matches_kind(org, kinds)]
    else:
        ids = set(audience.chosen)
        if not ids:
            raise AnnouncementError("chosen_required", field="chosen")
        by_id = {org.id: org for org in candidates}
        if not ids <= set(by_id):
            raise AnnouncementError("unknown_recipient", field="chosen")
        if audience.with_schools:
            ids |= {org.id for org in candidates if org.parent_id in ids}
        chosen = [org for org in candidates if org.id in ids]
    if not chosen:
        raise AnnouncementError("no_recipients", field="audience")
    return chosen


# -- sending ---------------------------------------------------------------------------------------

def check_attachment(filename: str | None, data: bytes) -> CheckedFile:
    """The uploaded file checked by content (core.uploads), or AnnouncementError about ``attachment``."""
    try:
        return check_upload(filename or "", data)
    except UploadError as exc:
        raise AnnouncementError(exc.code, field="attachment") from None


def _checked_text(title: str | None, text: str | None) -> tuple[str, str]:
    title, text = (title or "").strip(), (text or "").strip()
    problems = []
    if not title:
        problems.append(Problem("title_required", "title"))
    elif len(title) > MAX_TITLE:
        problems.append(Problem("title_too_long", "title", {"max": MAX_TITLE}))
    if not text:
        problems.append(Problem("text_required", "text"))
    elif len(text) > MAX_TEXT:
        problems.append(Problem("text_too_long", "text", {"max": MAX_TEXT}))
    if problems:
        raise AnnouncementError(problems)
    return title, text


def send_announcement(acting: Membership, user: User, *, title: str, text: str, markdown: bool,
                      audience: Audience, attachment: CheckedFile | None = None) -> Announcement:
    """Send an announcement from the organisation ``acting`` is for: the row, its file, one
    receipt and one in-app notification per recipient, audited. The e-mails are the task's
    (``mail_recipients``), enqueued by the caller to run after the commit."""
    sender = acting.org
    if not can_send(acting) or not is_sender_level(sender):
        raise AnnouncementError("not_allowed")
    title, text = _checked_text(title, text)
    recipients = resolve_recipients(sender, audience)
    announcement = Announcement(
        org_id=sender.id, title=title, body=text, markdown=bool(markdown), audience=audience.mode,
        audience_kinds=",".join(k for k in kind_codes(sender) if k in audience.kinds) if audience.mode == "kinds" else None,
        with_schools=audience.mode == "chosen" and audience.with_schools,
        sent_by_id=user.id, sent_at=utcnow(), recipients_count=len(recipients),
    )
    db.session.add(announcement)
    if attachment is not None:
        announcement.attachment = AnnouncementAttachment(
            org_id=sender.id, filename=attachment.filename, content_type=attachment.content_type,
            size=len(attachment.data), data=attachment.data, uploaded_by_id=user.id)
    db.session.flush()
    link = link_of(announcement.id)
    note = f"Объявление от «{sender.display_name}»: {title}"[:1000]
    db.session.add_all([AnnouncementReceipt(org_id=org.id, announcement_id=announcement.id) for org in recipients])
    for org in recipients:
        notify(org.id, org.id, NOTIFICATION_KIND, note, link=link)
    audit.record("announcement.sent", org=sender, obj=announcement, user=user,
                 details={"title": title, "audience": audience.mode, "recipients": len(recipients),
                          "attachment": attachment.filename if attachment else None})
    db.session.flush()
    return announcement


def link_of(announcement_id: int) -> str:
    """The announcement's page (the notification's and the e-mail's link)."""
    return f"/announcements/{announcement_id}"


# -- reading -----------------------------------------------------------------------------------------

def in_sender_line(announcement: Announcement, org: Organization) -> bool:
    """``org`` sent it, or is above the sender (it counts the receipts)."""
    return announcement.org_path.startswith(org.path)


def receipt_of(announcement_id: int, org: Organization) -> AnnouncementReceipt | None:
    return db.session.scalar(sa.select(AnnouncementReceipt).where(
        AnnouncementReceipt.announcement_id == announcement_id, AnnouncementReceipt.org_id == org.id))


def visible_announcement(announcement_id: int, org: Organization) -> Announcement:
    """The announcement as ``org`` may see it: in the sender's line, or as a recipient;
    NotFound otherwise (an organisation below the sender that did not receive it included)."""
    announcement = db.session.get(Announcement, announcement_id)
    if announcement is None:
        raise NotFound("not_found")
    if not in_sender_line(announcement, org) and receipt_of(announcement.id, org) is None:
        raise NotFound("not_found")
    return announcement


def open_announcement(announcement: Announcement, org: Organization, user: User) -> AnnouncementReceipt | None:
    """A member of ``org`` opens it: a recipient's first opening marks its receipt read, and
    its notification; returns the receipt (None for the sender's line)."""
    receipt = receipt_of(announcement.id, org)
    if receipt is not None and receipt.read_at is None:
        now = utcnow()
        receipt.read_at, receipt.read_by_id = now, user.id
        db.session.execute(
            sa.update(Notification)
            .where(Notification.recipient_org_id == org.id, Notification.kind == NOTIFICATION_KIND,
                   Notification.link == link_of(announcement.id), Notification.read_at.is_(None))
            .values(read_at=now)
        )
        db.session.flush()
    return receipt


def open_attachment(announcement: Announcement, org: Organization) -> AnnouncementAttachment | None:
    """The announcement's file with its content, its download by ``org`` audited (None: no file)."""
    attachment = db.session.scalar(
        sa.select(AnnouncementAttachment).where(AnnouncementAttachment.announcement_id == announcement.id)
        .options(undefer(AnnouncementAttachment.data)))
    if attachment is not None:
        audit.record("announcement.attachment_viewed", org=org, obj=attachment,
                     details={"announcement": announcement.id})
    return attachment


def text_html(announcement: Announcement) -> Markup:
    """The text as HTML: sanitised Markdown, or plain text in paragraphs and lines."""
    if announcement.markdown:
        return render_markdown(announcement.body)
    paragraphs = [p for p in announcement.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return Markup("".join(  # escaped just here
        "<p>" + "<br>".join(html.escape(line) for line in p.strip().split("\n")) + "</p>" for p in paragraphs))


# -- lists --------------------------------------------------------------------------------------------

def received(org: Organization, search: str = "", *, unread_only: bool = False) -> sa.Select:
    """The announcements ``org`` received, newest first (its receipts: ``receipts_of``)."""
    stmt = (sa.select(Announcement)
            .join(AnnouncementReceipt, AnnouncementReceipt.announcement_id == Announcement.id)
            .where(AnnouncementReceipt.org_id == org.id)
            .options(selectinload(Announcement.attachment)))
    if search:
        stmt = stmt.where(sa.or_(contains(Announcement.title, search), contains(Announcement.body, search)))
    if unread_only:
        stmt = stmt.where(AnnouncementReceipt.read_at.is_(None))
    return stmt.order_by(Announcement.sent_at.desc(), Announcement.id.desc())


def receipts_of(org: Organization, announcement_ids: list[int]) -> dict[int, AnnouncementReceipt]:
    """{announcement id: ``org``'s receipt} for a page of announcements (one query)."""
    if not announcement_ids:
        return {}
    return {r.announcement_id: r for r in db.session.scalars(sa.select(AnnouncementReceipt).where(
        AnnouncementReceipt.org_id == org.id, AnnouncementReceipt.announcement_id.in_(announcement_ids)))}


def sender_names(announcement_list: list[Announcement]) -> dict[int, str]:
    """{organisation id: display name} of the senders of a page of announcements (one query)."""
    ids = {a.org_id for a in announcement_list}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Organization.id, Organization.name, Organization.short_name)
                              .where(Organization.id.in_(ids))).all()
    return {r.id: r.short_name or r.name for r in rows}


def unread_count(org: Organization) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(AnnouncementReceipt.id))
        .where(AnnouncementReceipt.org_id == org.id, AnnouncementReceipt.read_at.is_(None))) or 0


def sent_by(org: Organization, search: str = "") -> sa.Select:
    """The announcements ``org`` sent, newest first."""
    stmt = sa.select(Announcement).where(Announcement.org_id == org.id)
    if search:
        stmt = stmt.where(sa.or_(contains(Announcement.title, search), contains(Announcement.body, search)))
    return stmt.order_by(Announcement.sent_at.desc(), Announcement.id.desc())


@dataclass(frozen=True)
class ReadCount:
    read: int
    total: int
    mailed: int

    @property
    def unread(self) -> int:
        return self.total - self.read


def read_counts(announcement_ids: list[int]) -> dict[int, ReadCount]:
    """{announcement id: how many of its recipients read it, of how many} (one query)."""
    if not announcement_ids:
        return {}
    rows = db.session.execute(
        sa.select(AnnouncementReceipt.announcement_id,
                  sa.func.count(AnnouncementReceipt.read_at), sa.func.count(AnnouncementReceipt.id),
                  sa.func.count(AnnouncementReceipt.mailed_at))
        .where(AnnouncementReceipt.announcement_id.in_(announcement_ids))
        .group_by(AnnouncementReceipt.announcement_id)
    ).all()
    counts = {aid: ReadCount(read, total, mailed) for aid, read, total, mailed in rows}
    return {aid: counts.get(aid, ReadCount(0, 0, 0)) for aid in announcement_ids}


def receipts(announcement: Announcement, state: str = "", search: str = "") -> sa.Select:
    """The receipts of the recipients, unread first, by name; ``state`` "read" | "unread"
    narrows them (their organisations: ``recipient_names``)."""
    stmt = (sa.select(AnnouncementReceipt)
            .join(Organization, Organization.id == AnnouncementReceipt.org_id)
            .where(AnnouncementReceipt.announcement_id == announcement.id))
    if state == "read":
        stmt = stmt.where(AnnouncementReceipt.read_at.is_not(None))
    elif state == "unread":
        stmt = stmt.where(AnnouncementReceipt.read_at.is_(None))
    if search:
        stmt = stmt.where(sa.or_(contains(Organization.name, search), contains(Organization.short_name, search)))
    return stmt.order_by(AnnouncementReceipt.read_at.is_not(None), Organization.name, Organization.id)


@dataclass(frozen=True)
class Recipient:
    name: str
    kind: str
    parent_name: str | None


def recipient_names(receipt_list: list[AnnouncementReceipt]) -> dict[int, Recipient]:
    """{organisation id: name, kind and parent's name} for a page of receipts (one query)."""
    ids = {r.org_id for r in receipt_list}
    if not ids:
        return {}
    parent = aliased(Organization)
    rows = db.session.execute(
        sa.select(Organization.id, Organization.name, Organization.kind, parent.name, parent.short_name)
        .outerjoin(parent, parent.id == Organization.parent_id)
        .where(Organization.id.in_(ids))
    ).all()
    return {org_id: Recipient(name, kind, parent_short or parent_name) for org_id, name, kind, parent_name, parent_short
            in rows}


# -- the e-mails (the task's body) ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Claimed:
    org_id: int
    name: str
    kind: str


def _claim(announcement_id: int, size: int, now: datetime) -> list[_Claimed] | None:
    """Up to ``size`` receipts not mailed yet, marked as mailed by one conditional UPDATE
    (empty: a concurrent run took them first; None: none is left)."""
    ids = db.session.scalars(
        sa.select(AnnouncementReceipt.id)
        .where(AnnouncementReceipt.announcement_id == announcement_id, AnnouncementReceipt.mailed_at.is_(None))
        .order_by(AnnouncementReceipt.id).limit(size)
    ).all()
    if not ids:
        return None
    claimed = db.session.scalars(
        sa.update(AnnouncementReceipt)
        .where(AnnouncementReceipt.id.in_(ids), AnnouncementReceipt.mailed_at.is_(None))
        .values(mailed_at=now)
        .returning(AnnouncementReceipt.org_id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return []
    rows = db.session.execute(
        sa.select(Organization.id, Organization.name, Organization.short_name, Organization.kind)
        .where(Organization.id.in_(claimed))
    ).all()
    return [_Claimed(r.id, r.short_name or r.name, r.kind) for r in rows]


def mail_recipients(announcement_id: int, batch_size: int = MAIL_BATCH) -> int:
    """Queue the e-mails of every recipient not mailed yet, acting as the sender: a batch of
    receipts at a time, claimed and committed with the e-mails it queues (sent by the mail task
    after each commit). Returns the number of e-mails queued (0 when run again)."""
    announcement = db.session.get(Announcement, announcement_id)
    if announcement is None:
        db.session.rollback()
        return 0
    subject = " ".join(f"Наставник: объявление — {announcement.title}".split())[:250]
    sender_name = db.session.scalar(
        sa.select(sa.func.coalesce(Organization.short_name, Organization.name))
        .where(Organization.id == announcement.org_id))
    body_for = _mail_body(announcement, sender_name)
    queued = 0
    while True:
        claimed = _claim(announcement_id, max(batch_size, 1), utcnow())
        if claimed is None:
            db.session.commit()
            break
        members = active_members({c.org_id for c in claimed}, [r for roles in MAIL_ROLES.values() for r in roles])
        for c in claimed:
            for member in members.get(c.org_id, []):
                if member.role in MAIL_ROLES.get(c.kind, ()):
                    queue_mail(member.email, subject, body_for(member.name, c.name))
                    queued += 1
        db.session.commit()
    log.info("announcement %s: %d e-mails queued", announcement_id, queued)
    return queued


def _mail_body(announcement: Announcement, sender_name: str):
    link = absolute_url(link_of(announcement.id))
    attachment = announcement.attachment

    def body(name: str, org_name: str) -> str:
        lines = [
            f"Здравствуйте, {name}!",
            "",
            f"«{sender_name}» направил(а) объявление организации «{org_name}»:",
            "",
            announcement.title,
            "",
            announcement.body,
            "",
        ]
        if attachment is not None:
            lines += [f"К объявлению приложен файл «{attachment.filename}»: он доступен на странице объявления.", ""]
        lines += [
            "Объявление в системе «Наставник» (откройте его, чтобы отметить как прочитанное):",
            link,
            "",
            "Это автоматическое сообщение системы «Наставник», отвечать на него не нужно.",
        ]
        return "\n".join(lines)

    return body
