"""A test blueprint serving the test-only models, so the HTTP isolation suite covers both
kinds of scoping (shared upward and owner-only) through real requests."""
from __future__ import annotations

from flask import Blueprint

from core.extensions import db
from tenants.access import get_or_404, membership_required
from tests.support.models import PrivateNote, SharedDoc

bp = Blueprint("testdata", __name__)


@bp.route("/shared/<int:doc_id>")
@membership_required
def shared_doc(doc_id: int):
    return {"title": get_or_404(SharedDoc, doc_id).title}


@bp.route("/shared/<int:doc_id>/rename", methods=["POST"])
@membership_required
def rename_shared_doc(doc_id: int):
    doc = get_or_404(SharedDoc, doc_id)
    doc.title = "renamed"
    db.session.commit()
    return {"title": doc.title}


@bp.route("/private/<int:note_id>")
@membership_required
def private_note(note_id: int):
    return {"text": get_or_404(PrivateNote, note_id).text}


@bp.route("/private/<int:note_id>/edit", methods=["POST"])
@membership_required
def edit_private_note(note_id: int):
    note = get_or_404(PrivateNote, note_id)
    note.text = "edited"
    db.session.commit()
    return {"text": note.text}


@bp.route("/boom")
def boom():
    """An unhandled error, for the 500-page test."""
    raise RuntimeError("secret internal detail")
