"""Award orders (приказы «О поощрении участников наставнической деятельности»): the list, a
new order from the school's awards that no order lists yet, an order's page and its Word
document. Orders name people: owner-only, and opening or downloading one is audited (by the
domain). An order is not changed once created."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.pagination import paginate, search_term
from blueprints.recognition import bp
from blueprints.recognition.award_forms import AwardOrderForm
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.pairing.orders import principal_name
from mentorship.recognition.award_orders import (
    DEFAULT_TITLE,
    award_orders_statement,
    create_award_order,
    download_award_order,
    load_award_order,
    open_award_order,
    orderable_awards,
)
from mentorship.recognition.awards import KIND_LABELS
from tenants.access import current_org, school_required

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _org():
    return current_org._get_current_object()


@bp.route("/award-orders")
@school_required
def award_orders():
    search = search_term()
    page = paginate(award_orders_statement(search))
    return render_template("recognition/award_order_list.html", page=page, search=search)


@bp.route("/award-orders/new", methods=["GET", "POST"])
@school_required
def award_order_new():
    org = _org()
    candidates = orderable_awards(org.id)
    form = AwardOrderForm()
    form.awards.choices = [SelectChoice(a.id, str(a.id)) for a in candidates]
    if request.method == "GET":
        form.dated.data = region_today()
        form.title.data = DEFAULT_TITLE
        form.signatory.data = principal_name(org)
        chosen = request.args.getlist("award", type=int)
        form.awards.data = chosen or [a.id for a in candidates]
    if form.validate_on_submit():
        try:
            order = create_award_order(org, dated=form.dated.data, award_ids=form.awards.data, title=form.title.data,
                                       grounds=form.grounds.data, signatory=form.signatory.data, user=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error, fields={"award_ids": "awards"})
            candidates = orderable_awards(org.id)  # the rollback expired the loaded ones
        else:
            flash(_("Award order № %(number)s is created.", number=order.number), "success")
            return redirect(url_for("recognition.award_order_show", order_id=order.id))
    return render_template("recognition/award_order_new.html", form=form, candidates=candidates,
                           chosen=set(form.awards.data or []), kind_labels=KIND_LABELS)


def _order_or_404(order_id: int):
    order = load_award_order(order_id)  # through the tenant scope: another school's is not found
    if order is None:
        abort(404)
    return order


@bp.route("/award-orders/<int:order_id>")
@school_required
def award_order_show(order_id: int):
    order = _order_or_404(order_id)
    rows = open_award_order(order, _org(), user=current_user)
    html = render_template("recognition/award_order_show.html", order=order, items_rows=list(zip(order.awards, rows)))
    db.session.commit()
    return html


@bp.route("/award-orders/<int:order_id>.docx")
@school_required
def award_order_docx(order_id: int):
    order = _order_or_404(order_id)
    data = download_award_order(order, _org(), user=current_user)
    filename = f"prikaz-{order.number}-{order.year}.docx"
    db.session.commit()
    response = Response(data, mimetype=DOCX_TYPE)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=award-order-{order_id}.docx; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
