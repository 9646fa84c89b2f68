"""Announcements (/announcements): the ministry and the municipal bodies write them to the
organisations below; every organisation reads what it received (unread marked), the sender's
line sees «read by N of M organisations» and which have not read it."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.pagination import paginate, search_term
from blueprints.region import announcements_bp as bp
from blueprints.region.announcement_forms import AnnouncementForm
from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.extensions import db
from mentorship.region import announcements
from mentorship.region.announcements import RECEIPT_STATES, Audience
from tasks.region import announcement_mail
from tenants.access import current_membership, current_org, membership_required
from tenants.models import Organization


def _org() -> Organization:
    return current_org._get_current_object()


def _common(org: Organization) -> dict:
    return {"can_send": announcements.can_send(current_membership()) and announcements.is_sender_level(org),
            "is_sender_level": announcements.is_sender_level(org),
            "is_recipient_level": org.kind != "ministry",
            "unread": announcements.unread_count(org) if org.kind != "ministry" else 0}


@bp.route("/")
@membership_required
def index():
    """What the organisation received, newest first, the unread marked."""
    org = _org()
    if org.kind == "ministry":  # the top receives nothing
        return redirect(url_for("announcements.sent"))
    search = search_term()
    unread_only = request.args.get("unread") == "1"
    page = paginate(announcements.received(org, search, unread_only=unread_only))
    return render_template("region/announcements.html", page=page, search=search, unread_only=unread_only,
                           receipts=announcements.receipts_of(org, [a.id for a in page.items]),
                           senders=announcements.sender_names(page.items),
                           args={k: v for k, v in (("q", search), ("unread", "1" if unread_only else "")) if v},
                           **_common(org))


@bp.route("/sent")
@membership_required
def sent():
    """What the organisation sent, with how many recipients have read each."""
    org = _org()
    if not announcements.is_sender_level(org):
        abort(404)
    search = search_term()
    page = paginate(announcements.sent_by(org, search))
    counts = announcements.read_counts([a.id for a in page.items])
    return render_template("region/announcements_sent.html", page=page, search=search, counts=counts,
                           **_common(org))


def _upload(field) -> tuple[str, bytes]:
    storage = field.data
    if storage is None or not getattr(storage, "filename", None):
        return "", b""
    return storage.filename, storage.read()


@bp.route("/new", methods=["GET", "POST"])
@membership_required
def new():
    org = _org()
    if not announcements.is_sender_level(org):
        abort(404)
    acting = current_membership()
    if not announcements.can_send(acting):
        abort(403)
    form = AnnouncementForm()
    organisations = announcements.recipient_choices(org)
    body_names = {o.id: o.name for o in organisations if o.kind == "municipality"}
    form.set_choices(announcements.kind_codes(org), organisations, body_names)
    if form.validate_on_submit():
        audience = Audience(mode=form.audience.data, kinds=tuple(form.kinds.data or ()),
                            chosen=tuple(form.chosen.data or ()), with_schools=bool(form.with_schools.data))
        try:
            filename, data = _upload(form.attachment)
            checked = announcements.check_attachment(filename, data) if filename or data else None
            announcement = announcements.send_announcement(
                acting, current_user._get_current_object(), title=form.title.data, text=form.text.data,
                markdown=bool(form.markdown.data), audience=audience, attachment=checked)
            enqueue_on_commit(db.session(), announcement_mail, org.id, announcement.id)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The announcement has been sent. Recipients: %(n)d.", n=announcement.recipients_count), "success")
            return redirect(url_for("announcements.show", announcement_id=announcement.id))
    return render_template("region/announcement_form.html", form=form, has_bodies=bool(body_names), **_common(org))


@bp.route("/<int:announcement_id>")
@membership_required
def show(announcement_id: int):
    org = _org()
    announcement = announcements.visible_announcement(announcement_id, org)
    receipt = announcements.open_announcement(announcement, org, current_user._get_current_object())
    db.session.commit()
    sender_line = announcements.in_sender_line(announcement, org)
    counts = announcements.read_counts([announcement.id])[announcement.id] if sender_line else None
    sender = db.session.get(Organization, announcement.org_id)
    return render_template("region/announcement.html", announcement=announcement, receipt=receipt,
                           sender_line=sender_line, counts=counts, sender=sender,
                           text=announcements.text_html(announcement), **_common(org))


@bp.route("/<int:announcement_id>/attachment")
@membership_required
def attachment(announcement_id: int):
    org = _org()
    announcement = announcements.visible_announcement(announcement_id, org)
    stored = announcements.open_attachment(announcement, org)
    if stored is None:
        abort(404)
    db.session.commit()
    response = Response(stored.data, mimetype=stored.content_type)
    # Always a download, never rendered in the page's origin.
    response.headers["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(stored.filename, safe="")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/<int:announcement_id>/receipts")
@membership_required
def receipts(announcement_id: int):
    """The recipients and whether each has read it (the sender's line only)."""
    org = _org()
    announcement = announcements.visible_announcement(announcement_id, org)
    if not announcements.in_sender_line(announcement, org):
        abort(404)
    state = request.args.get("state", "")
    state = state if state in RECEIPT_STATES else ""
    search = search_term()
    page = paginate(announcements.receipts(announcement, state, search))
    counts = announcements.read_counts([announcement.id])[announcement.id]
    return render_template("region/announcement_receipts.html", announcement=announcement, page=page, state=state,
                           search=search, counts=counts, names=announcements.recipient_names(page.items),
                           args={k: v for k, v in (("q", search), ("state", state)) if v}, **_common(org))
