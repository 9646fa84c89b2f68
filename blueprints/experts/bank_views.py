"""The expert bank: the search (every signed-in member), the keeper's pages (new, edit,
consents, account, archive, erasure) and an expert's card."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.experts import bp
from blueprints.experts.forms import ConsentDateForm, ExpertForm, NewExpertForm, optional_id
from blueprints.orgs.invitations import send_invitation
from blueprints.pagination import paginate, search_term
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.experts import bank
from mentorship.experts.catalogue import AREA_LABELS, AREAS, KIND_LABELS, KINDS, area_labels, split_codes
from mentorship.experts.directory import (
    ExpertFilters,
    body_names,
    can_ask,
    experts_query,
    is_keeper_kind,
    municipality_choices,
    own_expert,
    visible_expert,
)
from mentorship.experts.models import Expert
from tenants.access import current_membership, current_org, membership_required
from tenants.roles import OrgKind


def _org():
    return current_org._get_current_object()


def _filters(own: bool) -> ExpertFilters:
    area = request.args.get("area", "")
    kind = request.args.get("kind", "")
    return ExpertFilters(search=search_term(), area=area if area in AREAS else "",
                         municipality_id=optional_id(request.args.get("municipality")),
                         kind=kind if kind in KINDS else "", only_own=own)


def _args(filters: ExpertFilters) -> dict:
    args = {"q": filters.search, "area": filters.area, "municipality": filters.municipality_id or "",
            "kind": filters.kind}
    if filters.only_own:
        args["own"] = "1"
    return {k: v for k, v in args.items() if v}


@bp.route("/")
@membership_required
def index():
    """The bank as this organisation may see it; a keeper may narrow it to its own bank."""
    org = _org()
    keeper = is_keeper_kind(org)
    filters = _filters(own=keeper and request.args.get("own") == "1")
    page = paginate(experts_query(org, filters))
    return render_template(
        "experts/index.html", page=page, filters=filters, args=_args(filters), keeper=keeper,
        can_manage=bank.can_manage(current_membership()), names=body_names(org),
        municipalities=municipality_choices(org), area_labels=area_labels, AREA_LABELS=AREA_LABELS,
        KIND_LABELS=KIND_LABELS,
    )


def _set_choices(form: ExpertForm, org) -> None:
    if org.kind == OrgKind.MINISTRY.value:
        form.municipality_id.choices = [SelectChoice("", _("— the whole region —"))] + [
            SelectChoice(i, name) for i, name in municipality_choices(org)]
    else:
        del form.municipality_id
    form.user_id.choices = [SelectChoice("", _("— no account —"))] + [
        SelectChoice(i, label) for i, label in bank.account_choices(org)]


def _data(form: ExpertForm) -> bank.ExpertData:
    data = bank.ExpertData(
        full_name=form.full_name.data, kind=form.kind.data, areas=form.areas.data or [],
        position=form.position.data, workplace=form.workplace.data,
        municipality_id=form.municipality_id.data if "municipality_id" in form else None,
        tags=form.tags.data, email=form.email.data, phone=form.phone.data, availability=form.availability.data,
        user_id=form.user_id.data,
    )
    if isinstance(form, NewExpertForm):
        data.processing_consent_on = form.processing_consent_on.data
        data.display_consent = form.display_consent.data
        data.display_consent_on = form.display_consent_on.data
    return data


def _require_manager():
    if not bank.can_manage(current_membership()):
        abort(404 if not is_keeper_kind(_org()) else 403)


@bp.route("/new", methods=["GET", "POST"])
@membership_required
def new():
    _require_manager()
    org = _org()
    form = NewExpertForm()
    _set_choices(form, org)
    if request.method == "GET":
        form.processing_consent_on.data = region_today()
    if form.validate_on_submit():
        try:
            expert = bank.create_expert(current_membership(), _data(form), region_today())
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The expert has been added to the bank."), "success")
            return redirect(url_for("experts.show", expert_id=expert.id))
    return render_template("experts/form.html", form=form, expert=None)


@bp.route("/<int:expert_id>")
@membership_required
def show(expert_id: int):
    org = _org()
    expert = visible_expert(expert_id, org)
    keeper_view = expert.org_id == org.id
    return render_template(
        "experts/show.html", expert=expert, keeper_view=keeper_view, can_manage=keeper_view
        and bank.can_manage(current_membership()), can_ask=can_ask(org, expert), names=body_names(org),
        areas=area_labels(expert.areas), KIND_LABELS=KIND_LABELS, form=ConfirmForm(), date_form=ConsentDateForm(),
        today=region_today(),
    )


def _own(expert_id: int) -> Expert:
    """An expert of the acting keeper's own bank, for a manager; 404 for anyone else."""
    expert = own_expert(expert_id, _org())
    _require_manager()
    return expert


@bp.route("/<int:expert_id>/edit", methods=["GET", "POST"])
@membership_required
def edit(expert_id: int):
    expert = _own(expert_id)
    org = _org()
    form = ExpertForm(obj=expert)
    _set_choices(form, org)
    if request.method == "GET":
        form.areas.data = split_codes(expert.areas)
    if form.validate_on_submit():
        try:
            bank.update_expert(current_membership(), expert, _data(form), region_today())
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The expert's data have been saved."), "success")
            return redirect(url_for("experts.show", expert_id=expert.id))
    return render_template("experts/form.html", form=form, expert=expert)


def _dated_action(expert_id: int, action, message: str):
    expert = _own(expert_id)
    form = ConsentDateForm()
    if not form.validate_on_submit():
        flash(_("Give the date."), "danger")
        return redirect(url_for("experts.show", expert_id=expert.id))
    try:
        action(expert, form.on.data)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    else:
        flash(message, "success")
    return redirect(url_for("experts.show", expert_id=expert.id))


@bp.route("/<int:expert_id>/display-consent", methods=["POST"])
@membership_required
def give_display(expert_id: int):
    return _dated_action(
        expert_id, lambda expert, on: bank.give_display_consent(current_membership(), expert, on, region_today()),
        _("The consent has been recorded: the expert is shown to the region's users."))


@bp.route("/<int:expert_id>/display-consent/withdraw", methods=["POST"])
@membership_required
def withdraw_display(expert_id: int):
    return _dated_action(
        expert_id, lambda expert, on: bank.withdraw_display_consent(current_membership(), expert, on),
        _("The withdrawal has been recorded: the expert is no longer shown to anyone outside the bank's keeper."))


@bp.route("/<int:expert_id>/erase", methods=["POST"])
@membership_required
def erase(expert_id: int):
    return _dated_action(
        expert_id, lambda expert, on: bank.erase_expert(current_membership(), expert, on),
        _("The consent to processing has been withdrawn: the expert's personal data have been erased."))


@bp.route("/<int:expert_id>/active", methods=["POST"])
@membership_required
def set_active(expert_id: int):
    expert = _own(expert_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    try:
        bank.set_active(current_membership(), expert, active)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    else:
        flash(_("The expert is back in the bank.") if active else _("The expert has been taken out of the bank."),
              "success")
    return redirect(url_for("experts.show", expert_id=expert.id))


@bp.route("/<int:expert_id>/invite", methods=["POST"])
@membership_required
def invite(expert_id: int):
    expert = _own(expert_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    org = _org()
    try:
        invitation = bank.invite_account(current_membership(), expert, current_user._get_current_object())
        if invitation is not None:
            send_invitation(invitation, org)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    else:
        if invitation is None:
            flash(_("The expert's account has been linked."), "success")
        else:
            flash(_("An invitation has been sent to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("experts.show", expert_id=expert.id))
