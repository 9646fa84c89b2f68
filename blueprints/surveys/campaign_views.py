"""Survey campaigns: the list (mine / from above / from below), a new campaign, its page (the
questionnaire, the audience, the counts in my subtree, the dispatch progress), changes of a
draft, launch and close (the owner only), and a school's own invitations of a campaign.

Views are thin: the rules live in mentorship/surveys/campaigns.py (``CampaignError`` →
messages); the audience and the invitations in mentorship/surveys/audience.py."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, raiseload
from wtforms.fields.choices import SelectChoice

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.pagination import paginate, search_term
from blueprints.surveys import bp
from blueprints.surveys.access import can_manage, manage_required, owned_or_404, surveys_required
from blueprints.surveys.campaign_forms import CampaignForm
from core.extensions import db
from mentorship.pairing.models import Programme
from mentorship.people.models import Participant
from mentorship.region.forms import region_forms
from mentorship.surveys.campaigns import (
    INVITATION_STATUS_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    TRIGGER_LABELS,
    CampaignError,
    campaign_counts,
    close_campaign,
    create_campaign,
    describe_audience,
    launch_campaign,
    org_names,
    record_invitations_viewed,
    target_choices_statement,
    update_campaign,
    usable_templates_statement,
)
from mentorship.surveys.models import CAMPAIGN_STATUSES, INVITATION_STATUSES, SurveyCampaign, SurveyInvitation
from tenants.access import current_org, get_or_404, school_required
from tenants.models import User
from tenants.scoping import ancestor_paths, subtree_bounds

WHOSE = ("mine", "above", "below")


def _org():
    return current_org._get_current_object()


# -- the list ------------------------------------------------------------------------------------

def _list_filters() -> dict:
    whose = request.args.get("whose", "")
    status = request.args.get("status", "")
    return {"whose": whose if whose in WHOSE else "", "status": status if status in CAMPAIGN_STATUSES else "",
            "q": search_term()}


@bp.route("/")
@surveys_required
def campaigns():
    org = _org()
    filters = _list_filters()
    stmt = (sa.select(SurveyCampaign)
            .options(joinedload(SurveyCampaign.template), raiseload("*"))
            .order_by(SurveyCampaign.opens_on.desc(), SurveyCampaign.id.desc()))
    low, high = subtree_bounds(org.path)
    if filters["whose"] == "mine":
        stmt = stmt.where(SurveyCampaign.org_id == org.id)
    elif filters["whose"] == "above":
        stmt = stmt.where(SurveyCampaign.org_path.in_(set(ancestor_paths(org.path)) - {org.path}))
    elif filters["whose"] == "below":
        stmt = stmt.where(SurveyCampaign.org_path >= low, SurveyCampaign.org_path < high,
                          SurveyCampaign.org_id != org.id)
    if filters["status"]:
        stmt = stmt.where(SurveyCampaign.status == filters["status"])
    if filters["q"]:
        stmt = stmt.where(SurveyCampaign.title.ilike(f"%{filters['q']}%"))
    page = paginate(stmt)
    owners = org_names(c.org_id for c in page.items)
    args = {k: v for k, v in filters.items() if v}
    return render_template(
        "surveys/campaign_list.html", page=page, owners=owners, filters=filters, args=args,
        can_manage=can_manage(), statuses=STATUS_LABELS, triggers=TRIGGER_LABELS,
    )


# -- new and edit --------------------------------------------------------------------------------

def _fill_choices(form: CampaignForm, org) -> None:
    templates = db.session.scalars(usable_templates_statement(org)).all()
    form.template_id.choices = [SelectChoice(t.id, f"{t.title} (v{t.version})") for t in templates]
    if org.kind == "school":
        form.target_org_id.choices = [SelectChoice("", org.display_name)]
        programmes = db.session.scalars(
            sa.select(Programme).where(Programme.org_id == org.id)
            .order_by(Programme.school_year.desc(), Programme.title)
        ).all()
        form.programme_id.choices = [SelectChoice("", _("Any programme"))] + [
            SelectChoice(p.id, f"{p.title} ({p.school_year}/{(p.school_year + 1) % 100:02d})") for p in programmes]
    else:
        targets = db.session.scalars(target_choices_statement(org)).all()
        form.target_org_id.choices = [SelectChoice("", _("All of %(org)s", org=org.display_name))] + [
            SelectChoice(o.id, ("— " if o.kind == "school" else "") + o.display_name) for o in targets]
        form.programme_id.choices = [SelectChoice("", _("Any programme"))]
    form.form_code.choices = [SelectChoice("", _("Any form"))] + [
        SelectChoice(f.code, f.name) for f in region_forms(org.path)]


@bp.route("/campaigns/new", methods=["GET", "POST"])
@manage_required
def campaign_new():
    org = _org()
    form = CampaignForm()
    _fill_choices(form, org)
    if request.method == "GET" and request.args.get("template", type=int):
        form.template_id.data = request.args.get("template", type=int)
    if form.validate_on_submit():
        try:
            campaign = create_campaign(org, form.data_for_service(), current_user)
            db.session.commit()
        except CampaignError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The campaign is saved as a draft. Check it and launch it."), "success")
            return redirect(url_for("surveys.campaign_show", campaign_id=campaign.id))
    return render_template("surveys/campaign_form.html", form=form, campaign=None,
                           no_templates=not form.template_id.choices, is_school=org.kind == "school")


def _owned(campaign_id: int) -> SurveyCampaign:
    return owned_or_404(db.session.get(SurveyCampaign, campaign_id))


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@manage_required
def campaign_edit(campaign_id: int):
    campaign = _owned(campaign_id)
    if campaign.status != "draft":
        flash(_("Only a draft campaign can be changed."), "warning")
        return redirect(url_for("surveys.campaign_show", campaign_id=campaign.id))
    org = _org()
    form = CampaignForm()
    _fill_choices(form, org)
    if request.method == "GET":
        form.fill_from(campaign)
    elif form.validate_on_submit():
        try:
            update_campaign(campaign, org, form.data_for_service(), current_user)
            db.session.commit()
        except CampaignError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            flash(_("The campaign is saved."), "success")
            return redirect(url_for("surveys.campaign_show", campaign_id=campaign.id))
    return render_template("surveys/campaign_form.html", form=form, campaign=campaign,
                           no_templates=not form.template_id.choices, is_school=org.kind == "school")


# -- the campaign page ---------------------------------------------------------------------------

def _progress(campaign: SurveyCampaign) -> dict:
    # "status" is what static/js/progress.js reads; "state" names the same for other callers.
    return {"status": campaign.dispatch_state, "state": campaign.dispatch_state,
            "done": campaign.dispatch_done, "total": campaign.dispatch_total}


@bp.route("/campaigns/<int:campaign_id>")
@surveys_required
def campaign_show(campaign_id: int):
    campaign = get_or_404(SurveyCampaign, campaign_id)
    org = _org()
    counts = campaign_counts(campaign.id)
    total = sum(counts.values())
    owners = org_names([campaign.org_id])
    is_owner = campaign.org_id == org.id and can_manage()
    follow = campaign.status == "open" and (
        campaign.dispatch_state == "running"
        or (campaign.dispatch_state == "idle" and campaign.trigger == "manual" and campaign.dispatch_total == 0))
    return render_template(
        "surveys/campaign_show.html", campaign=campaign, owner_name=owners.get(campaign.org_id, "—"),
        audience=describe_audience(campaign), counts=counts, total=total, progress=_progress(campaign),
        follow=follow, is_owner=is_owner, is_school=org.kind == "school", action_form=ConfirmForm(),
        statuses=STATUS_LABELS, triggers=TRIGGER_LABELS, invitation_statuses=INVITATION_STATUS_LABELS,
    )


@bp.route("/campaigns/<int:campaign_id>/progress")
@surveys_required
def campaign_progress(campaign_id: int):
    campaign = get_or_404(SurveyCampaign, campaign_id)
    response = jsonify(_progress(campaign))
    response.headers["Cache-Control"] = "no-store"
    return response


def _owner_action(campaign_id: int, action, done_message: str):
    """A confirmed POST of the owner: run ``action(campaign, org, user)``, commit, say so;
    a refusal is flashed and nothing is kept."""
    campaign = _owned(campaign_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action(campaign, _org(), current_user)
        db.session.commit()
    except CampaignError as error:
        db.session.rollback()
        flash_error(error)
    else:
        flash(done_message, "success")
    return redirect(url_for("surveys.campaign_show", campaign_id=campaign_id))


@bp.route("/campaigns/<int:campaign_id>/launch", methods=["POST"])
@manage_required
def campaign_launch(campaign_id: int):
    return _owner_action(campaign_id, launch_campaign,
                         _("The campaign is launched: the invitations are being created and sent."))


@bp.route("/campaigns/<int:campaign_id>/close", methods=["POST"])
@manage_required
def campaign_close(campaign_id: int):
    return _owner_action(campaign_id, close_campaign,
                         _("The campaign is closed: the links not used yet no longer work."))


# -- a school's invitations ----------------------------------------------------------------------

@bp.route("/campaigns/<int:campaign_id>/invitations")
@school_required
def campaign_invitations(campaign_id: int):
    """The school's own invitations of the campaign (OwnerOnly: another school's never show)."""
    campaign = get_or_404(SurveyCampaign, campaign_id)
    org = _org()
    q = search_term()
    status = request.args.get("status", "")
    status = status if status in INVITATION_STATUSES else ""
    stmt = (sa.select(SurveyInvitation)
            .outerjoin(Participant, Participant.id == SurveyInvitation.participant_id)
            .outerjoin(User, User.id == SurveyInvitation.user_id)
            .where(SurveyInvitation.campaign_id == campaign.id)
            .options(joinedload(SurveyInvitation.participant), joinedload(SurveyInvitation.user), raiseload("*"))
            .order_by(sa.func.coalesce(Participant.full_name, User.full_name), SurveyInvitation.id))
    if status:
        stmt = stmt.where(SurveyInvitation.status == status)
    if q:
        pattern = f"%{q}%"
        stmt = stmt.where(sa.or_(sa.and_(Participant.full_name.ilike(pattern), Participant.anonymised_at.is_(None)),
                                 User.full_name.ilike(pattern)))
    page = paginate(stmt)
    record_invitations_viewed(campaign, org, page=page.page, shown=len(page.items), user=current_user)
    args = {k: v for k, v in {"q": q, "status": status}.items() if v}
    html = render_template(
        "surveys/campaign_invitations.html", campaign=campaign, page=page, q=q, status=status, args=args,
        statuses=INVITATION_STATUS_LABELS, roles=ROLE_LABELS, recipient_name=recipient_name,
    )
    db.session.commit()  # the audit record, after the page is built from the loaded rows
    return html


def recipient_name(invitation: SurveyInvitation) -> str:
    """The recipient's name, or that their data were erased."""
    if invitation.user_id is not None and invitation.user is not None:
        return invitation.user.full_name
    person = invitation.participant
    if person is None or person.anonymised_at is not None:
        return _("Personal data erased")
    return person.full_name

