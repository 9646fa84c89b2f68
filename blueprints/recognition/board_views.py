"""The board of honour: the school's cards (published or not), a new card for a mentor, changes
(photo re-encoded without metadata), publication by the principal (the mentor's publication
consent required), deletion, the card's photo, and a preview of the board as the public sees
it (``board.public_cards``)."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.errors import flash_error
from blueprints.pagination import paginate, search_term
from blueprints.recognition import bp
from blueprints.recognition.award_forms import PublishForm
from blueprints.recognition.award_views import is_principal, require_principal
from blueprints.recognition.board_forms import HonourCardForm
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.people.models import Participant
from mentorship.recognition import board as service
from mentorship.recognition.board import CardData
from tenants.access import current_org, school_required


def _org():
    return current_org._get_current_object()


def _card_or_404(card_id: int):
    card = service.load_card(card_id)  # through the tenant scope
    if card is None:
        abort(404)
    return card


def _data(form: HonourCardForm) -> CardData:
    return CardData(display_name=form.display_name.data or "", position=form.position.data,
                    achievements=form.achievements.data, sort_order=form.sort_order.data)


def _photo(form: HonourCardForm):
    upload = form.photo.data
    if not upload or not getattr(upload, "filename", None):
        return None
    return service.check_photo(upload.filename, upload.read())


@bp.route("/board")
@school_required
def board():
    search = search_term()
    page = paginate(service.cards_statement(search))
    return render_template("recognition/board_list.html", page=page, search=search,
                           consented=service.consented(page.items), publish_form=PublishForm(),
                           principal=is_principal())


@bp.route("/board/preview")
@school_required
def board_preview():
    """The board exactly as the public pages show it (only cards that are public)."""
    return render_template("recognition/board_preview.html", cards=service.public_cards(_org().id))


@bp.route("/board/new", methods=["GET", "POST"])
@school_required
def board_card_new():
    org = _org()
    today = region_today()
    form = HonourCardForm()
    form.set_choices(service.card_candidates(today))
    if request.method == "GET":
        person = db.session.get(Participant, request.args.get("participant_id", type=int) or 0)
        if person is not None and any(value == person.id for value, *_rest in form.participant_id.iter_choices()):
            suggested = service.suggested_data(person)
            form.participant_id.data = person.id
            form.display_name.data, form.position.data = suggested.display_name, suggested.position
            form.achievements.data = suggested.achievements
    if form.validate_on_submit():
        person = db.session.get(Participant, form.participant_id.data) if form.participant_id.data else None
        try:
            card = service.create_card(person, _data(form), org=org, today=today, photo=_photo(form),
                                       user=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
            form.set_choices(service.card_candidates(today))
        else:
            flash(_("The card is saved. It is not public until the principal publishes it."), "success")
            return redirect(url_for("recognition.board_card_edit", card_id=card.id))
    return render_template("recognition/board_form.html", form=form, card=None)


@bp.route("/board/<int:card_id>/edit", methods=["GET", "POST"])
@school_required
def board_card_edit(card_id: int):
    card = _card_or_404(card_id)
    form = HonourCardForm(obj=card) if request.method == "GET" else HonourCardForm()
    del form.participant_id
    if form.validate_on_submit():
        try:
            service.update_card(card, _data(form), org=_org(), photo=_photo(form),
                                remove_photo=bool(form.remove_photo.data), user=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
            card = _card_or_404(card_id)
        else:
            flash(_("The card is saved."), "success")
            return redirect(url_for("recognition.board"))
    refusal = service.publication_refusal(card, region_today())
    return render_template("recognition/board_form.html", form=form, card=card, refusal=refusal,
                           publish_form=PublishForm(), principal=is_principal())


@bp.route("/board/<int:card_id>/publish", methods=["POST"])
@school_required
def board_card_publish(card_id: int):
    card = _card_or_404(card_id)
    require_principal()
    form = PublishForm()
    if form.validate_on_submit():
        try:
            if form.wants_public:
                service.publish_card(card, org=_org(), today=region_today(), user=current_user)
            else:
                service.unpublish_card(card, org=_org(), user=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash_error(error)
        else:
            flash(_("The card is on the public board of honour.") if form.wants_public
                  else _("The card is no longer public."), "success")
    return redirect(url_for("recognition.board"))


@bp.route("/board/<int:card_id>/delete", methods=["POST"])
@school_required
def board_card_delete(card_id: int):
    card = _card_or_404(card_id)
    require_principal()
    if PublishForm().validate_on_submit():
        service.delete_card(card, org=_org(), user=current_user)
        db.session.commit()
        flash(_("The card is deleted."), "success")
    return redirect(url_for("recognition.board"))


@bp.route("/board/<int:card_id>/photo")
@school_required
def board_card_photo(card_id: int):
    card = service.card_photo(card_id)
    if card is None or card.photo_data is None:
        abort(404)
    response = Response(card.photo_data, mimetype=card.photo_type)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
