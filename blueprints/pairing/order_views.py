"""Orders (приказы «Об утверждении наставнических пар/групп»): the register, a new order,
an order's page and its Word document. Orders list people: owner-only, and opening or
downloading one is audited (by the domain). Orders are immutable once created
(mentorship/pairing/orders.py)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.pagination import paginate, search_term
from blueprints.pairing import bp
from blueprints.pairing.pair_forms import OrderForm
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.pairing.models import Programme
from mentorship.pairing.orders import (
    DEFAULT_TITLE,
    create_order,
    download_order,
    load_order,
    open_order,
    orderable_pairs,
    orders_statement,
    principal_name,
    suggest_number,
)
from mentorship.pairing.pair_queries import form_names, programmes
from mentorship.pairing.pairs import person_name
from tenants.access import current_org, get_or_404, school_required

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.route("/orders")
@school_required
def orders():
    search = search_term()
    page = paginate(orders_statement(search))
    return render_template("pairing/order_list.html", page=page, search=search)


@bp.route("/orders/new", methods=["GET", "POST"])
@school_required
def order_new():
    org = current_org._get_current_object()
    forms = form_names(org.path)
    form = OrderForm()
    form.programme.choices = [SelectChoice("", _("All programmes"))] + [
        SelectChoice(p.id, f"{p.title} ({p.school_year})") for p in programmes()]
    if request.method == "GET":
        form.programme.data = request.args.get("programme", type=int)
    # pair choices follow the programme (the query string on GET, the form on POST)
    programme_id = form.programme.data if request.method == "GET" else request.form.get("programme", type=int)
    candidates = orderable_pairs(programme_id)
    form.pairs.choices = [SelectChoice(p.id, str(p.id)) for p in candidates]
    if request.method == "GET":
        form.number.data = suggest_number()
        form.dated.data = region_today()
        form.title.data = DEFAULT_TITLE
        form.signatory.data = principal_name(org)
        form.pairs.data = [p.id for p in candidates]  # by default the whole programme
    if form.validate_on_submit():
        programme = get_or_404(Programme, form.programme.data) if form.programme.data else None
        try:
            order = create_order(org, number=form.number.data, dated=form.dated.data, title=form.title.data,
                                 programme=programme, signatory=form.signatory.data, pair_ids=form.pairs.data,
                                 user=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error, fields={"pair_ids": "pairs"})
            candidates = orderable_pairs(programme_id)  # the rollback expired the loaded ones
        else:
            flash(_("Order № %(number)s is created.", number=order.number), "success")
            return redirect(url_for("pairing.order_show", order_id=order.id))
    return render_template("pairing/order_new.html", form=form, candidates=candidates, forms=forms,
                           chosen=set(form.pairs.data or []), person_name=person_name)


def _order_or_404(order_id: int):
    order = load_order(order_id)  # through the tenant scope: another school's order is not found
    if order is None:
        abort(404)
    return order


@bp.route("/orders/<int:order_id>")
@school_required
def order_show(order_id: int):
    org = current_org._get_current_object()
    order = _order_or_404(order_id)
    rows = open_order(order, org, user=current_user)
    html = render_template("pairing/order_show.html", order=order, items_rows=list(zip(order.items, rows)))
    db.session.commit()
    return html


@bp.route("/orders/<int:order_id>.docx")
@school_required
def order_docx(order_id: int):
    org = current_org._get_current_object()
    order = _order_or_404(order_id)
    data = download_order(order, org, user=current_user)
    filename = f"prikaz-{order.number}.docx"
    db.session.commit()
    response = Response(data, mimetype=DOCX_TYPE)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=order-{order_id}.docx; filename*=UTF-8''{quote(filename, safe='')}"
    )
    return response
