"""Requests for an expert's help: asking (an expert, or a bank's keeper), the list of one's
requests, a request's page, and the answers (accept, decline, close) or the withdrawal."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.experts import bp
from blueprints.experts.forms import AcceptForm, AskForm, AskKeeperForm, CloseForm, DeclineForm
from blueprints.pagination import paginate, search_term
from core.errors import DomainError
from core.extensions import db
from mentorship.experts import help_requests
from mentorship.experts.bank import link_invited_account
from mentorship.experts.catalogue import REQUEST_STATUS_LABELS
from mentorship.experts.directory import body_names, keepers_above, visible_expert
from mentorship.experts.models import REQUEST_STATUSES
from tenants.access import current_membership, current_org, membership_required
from tenants.roles import Role


def _org():
    return current_org._get_current_object()


def _user():
    return current_user._get_current_object()


@bp.route("/<int:expert_id>/ask", methods=["GET", "POST"])
@membership_required
def ask(expert_id: int):
    org = _org()
    expert = visible_expert(expert_id, org)
    form = AskForm()
    if form.validate_on_submit():
        try:
            made = help_requests.ask_expert(org, _user(), expert, topic=form.topic.data, text=form.text.data,
                                            preferred_dates=form.preferred_dates.data)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The request has been sent."), "success")
            return redirect(url_for("experts.request_show", request_id=made.id))
    return render_template("experts/ask.html", form=form, expert=expert, names=body_names(org))


@bp.route("/ask", methods=["GET", "POST"])
@membership_required
def ask_keeper():
    org = _org()
    keepers = keepers_above(org)
    if not keepers:
        abort(404)
    names = body_names(org)
    form = AskKeeperForm()
    form.keeper_id.choices = [SelectChoice(i, names.get(i, str(i))) for i in keepers]
    if form.validate_on_submit():
        try:
            made = help_requests.ask_keeper(org, _user(), form.keeper_id.data, topic=form.topic.data,
                                            text=form.text.data, preferred_dates=form.preferred_dates.data)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The request has been sent."), "success")
            return redirect(url_for("experts.request_show", request_id=made.id))
    return render_template("experts/ask.html", form=form, expert=None, names=names)


@bp.route("/requests")
@membership_required
def requests():
    acting = current_membership()
    org = _org()
    if acting.role_enum == Role.EXPERT and link_invited_account(_user(), org) is not None:
        db.session.commit()
    status = request.args.get("status", "")
    status = status if status in REQUEST_STATUSES else ""
    search = search_term()
    page = paginate(help_requests.requests_query(acting, _user(), status=status, search=search))
    args = {k: v for k, v in {"status": status, "q": search}.items() if v}
    return render_template(
        "experts/requests.html", page=page, status=status, search=search, args=args,
        requesters=help_requests.requester_names(page.items), keepers=body_names(org), org=org,
        can_ask_keeper=bool(keepers_above(org)) and acting.role_enum != Role.EXPERT,
        STATUS_LABELS=REQUEST_STATUS_LABELS,
    )


def _view(request_id: int) -> help_requests.RequestAccess:
    return help_requests.access(request_id, current_membership(), _user())


@bp.route("/requests/<int:request_id>")
@membership_required
def request_show(request_id: int):
    view = _view(request_id)
    accept_form = AcceptForm()
    if view.side == "keeper" and view.request.expert_id is None:
        accept_form.expert_id.choices = [SelectChoice("", _("— the keeper itself —"))] + [
            SelectChoice(e.id, e.full_name) for e in db.session.scalars(
                help_requests.active_experts_of(view.request.keeper_org_id))]
    else:
        del accept_form.expert_id
    org = _org()
    return render_template(
        "experts/request_show.html", view=view, item=view.request, keepers=body_names(org),
        requesters=help_requests.requester_names([view.request]),
        expert_name=help_requests.addressed_expert_name(view.request, view.side),
        accept_form=accept_form, decline_form=DeclineForm(), close_form=CloseForm(), form=ConfirmForm(),
        STATUS_LABELS=REQUEST_STATUS_LABELS,
    )


def _answer(request_id: int, form, action, message: str):
    view = _view(request_id)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
        return redirect(url_for("experts.request_show", request_id=request_id))
    try:
        action(view, form)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    else:
        flash(message, "success")
    return redirect(url_for("experts.request_show", request_id=request_id))


@bp.route("/requests/<int:request_id>/accept", methods=["POST"])
@membership_required
def accept(request_id: int):
    form = AcceptForm()
    form.expert_id.choices = []
    return _answer(request_id, form, lambda view, f: help_requests.accept(
        view, current_membership(), _user(), expert_id=f.expert_id.data, comment=f.comment.data),
        _("The request has been accepted."))


@bp.route("/requests/<int:request_id>/decline", methods=["POST"])
@membership_required
def decline(request_id: int):
    return _answer(request_id, DeclineForm(), lambda view, f: help_requests.decline(
        view, current_membership(), _user(), comment=f.comment.data), _("The request has been declined."))


@bp.route("/requests/<int:request_id>/close", methods=["POST"])
@membership_required
def close(request_id: int):
    return _answer(request_id, CloseForm(), lambda view, f: help_requests.close(
        view, current_membership(), _user(), outcome=f.outcome.data), _("The request has been closed."))


@bp.route("/requests/<int:request_id>/withdraw", methods=["POST"])
@membership_required
def withdraw(request_id: int):
    return _answer(request_id, ConfirmForm(), lambda view, f: help_requests.withdraw(
        view, current_membership(), _user()), _("The request has been withdrawn."))
