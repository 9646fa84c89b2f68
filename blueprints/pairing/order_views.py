"""Orders (приказы «Об утверждении наставнических пар/групп»): the register, a new order,
an order's page and its Word document. Orders list people: owner-only, and opening or
downloading one is audited. Orders are immutable once created (mentorship/pairing/orders.py)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.pagination import paginate, search_term
from blueprints.pairing import bp
from blueprints.pairing.pair_forms import OrderForm
from blueprints.pairing.pair_views import person_name
from core.clock import region_today
from core.extensions import db
from mentorship.pairing.models import Programme
from mentorship.pairing.order_document import to_docx
from mentorship.pairing.orders import (
    DEFAULT_TITLE,
    MESSAGES,
    OrderError,
    create_order,
    load_order,
    order_rows,
    orderable_pairs,
    orders_statement,
    principal_name,
    suggest_number,
)
from mentorship.pairing.pair_queries import form_names, programmes
from tenants import audit
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
    form.programme.choices = [("", _("All programmes"))] + [(p.id, f"{p.title} ({p.school_year})")
                                                           for p in programmes()]
    if request.method == "GET":
        form.programme.data = request.args.get("programme", type=int)
    # pair choices follow the programme (the query string on GET, the form on POST)
    programme_id = form.programme.data if request.method == "GET" else request.form.get("programme", type=int)
    candidates = orderable_pairs(programme_id)
    form.pairs.choices = [(p.id, str(p.id)) for p in candidates]
    if request.method == "GET":
        form.number.data = suggest_number()
        form.dated.data = region_today()
        form.title.data = DEFAULT_TITLE
        form.signatory.data = principal_name(org)
        form.pairs.data = [p.id for p in candidates]  # by default the whole programme
    error = None
    if form.validate_on_submit():
        programme = get_or_404(Programme, form.programme.data) if form.programme.data else None
        try:
            order = create_order(org, number=form.number.data, dated=form.dated.data, title=form.title.data,
                                 programme=programme, signatory=form.signatory.data, pair_ids=form.pairs.data,
                                 user=current_user)
            audit.record("order.created", org=org, obj=order, details={"number": order.number,
                                                                       "pairs": len(order.items)})
            db.session.commit()
        except OrderError as exc:
            db.session.rollback()
            if exc.code == "number_taken":
                form.number.errors = [*form.number.errors, str(MESSAGES[exc.code])]
            else:
                error = str(MESSAGES[exc.code])
            candidates = orderable_pairs(programme_id)  # the rollback expired the loaded ones
        else:
            flash(_("Order № %(number)s is created.", number=order.number), "success")
            return redirect(url_for("pairing.order_show", order_id=order.id))
    return render_template("pairing/order_new.html", form=form, candidates=candidates, forms=forms, error=error,
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
    rows = order_rows(order, form_names(org.path))
    html = render_template("pairing/order_show.html", order=order, items_rows=list(zip(order.items, rows)))
    audit.record("order.viewed", org=org, obj=order)
    db.session.commit()
    return html


@bp.route("/orders/<int:order_id>.docx")
@school_required
def order_docx(order_id: int):
    org = current_org._get_current_object()
    order = _order_or_404(order_id)
    data = to_docx(order, org.name, order_rows(order, form_names(org.path)))
    filename = f"prikaz-{order.number}.docx"
    audit.record("order.downloaded", org=org, obj=order, details={"format": "docx"})
    db.session.commit()
    response = Response(data, mimetype=DOCX_TYPE)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=order-{order_id}.docx; filename*=UTF-8''{quote(filename, safe='')}"
    )
    return response
