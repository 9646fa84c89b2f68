"""Roadmaps of the current organisation: list, create, view, edit, versions, compare."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.errors import flash_error
from blueprints.roadmaps import bp
from blueprints.roadmaps.forms import CommentForm, ItemForm, NewRoadmapForm, RegionSettingsForm, RoadmapForm
from blueprints.roadmaps.helpers import (
    STATUS_LABELS,
    TRANSITION_LABELS,
    activity_of,
    owner_of,
    roadmap_or_404,
    run_change,
    stage_of,
    transition_note,
)
from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from mentorship.roadmaps import workflow
from mentorship.roadmaps.builtin import builtin_templates
from mentorship.roadmaps.editing import (
    add_activity,
    add_stage,
    check_period,
    compare,
    confirm_deadline,
    create_from_previous,
    create_from_template,
    delete_activity,
    delete_draft,
    delete_stage,
    due_dates,
    flagged_deadlines,
    is_current_approved,
    overdue_activities,
    overdue_steps,
    progress,
    set_due_on,
    start_new_version,
    update_item,
    update_roadmap,
)
from mentorship.roadmaps.export import export_roadmap
from mentorship.roadmaps.models import PublishedTemplate, Roadmap
from mentorship.roadmaps.published import publish_as_model, region_templates
from tenants.access import current_membership, current_org, get_or_404, membership_required
from tenants.models import Organization
from tenants.roles import OrgKind

LEVEL_OF_KIND = {OrgKind.MINISTRY: "region", OrgKind.MUNICIPALITY: "municipality", OrgKind.SCHOOL: "school"}


@bp.app_context_processor
def _labels():
    return {"ROADMAP_STATUS": STATUS_LABELS, "TRANSITION_LABELS": TRANSITION_LABELS,
            "transition_note": transition_note}


@bp.route("/")
@membership_required
def index():
    org = current_org
    roadmaps = db.session.scalars(
        sa.select(Roadmap).where(Roadmap.org_id == org.id).order_by(Roadmap.lineage_id.desc(), Roadmap.version.desc())
    ).all()
    latest = {}
    for roadmap in roadmaps:
        latest.setdefault(roadmap.lineage_id, roadmap)
    return render_template("roadmaps/index.html", org=org, roadmaps=list(latest.values()),
                           can_create=current_membership().role_enum in workflow.EDITOR_ROLES)


@bp.route("/new", methods=["GET", "POST"])
@membership_required
def new():
    org = current_org
    if current_membership().role_enum not in workflow.EDITOR_ROLES:
        abort(403)
    level = LEVEL_OF_KIND[OrgKind(org.kind)]
    templates = sorted(builtin_templates().values(), key=lambda t: (t.level != level, t.title))
    own = db.session.scalars(sa.select(Roadmap).where(Roadmap.org_id == org.id).order_by(Roadmap.id.desc())).all()
    published = region_templates()
    form = NewRoadmapForm()
    form.source.choices = (
        [SelectChoice(f"published:{p.id}", _("Region's model roadmap: %(title)s", title=p.title[:120]))
         for p in published]
        + [SelectChoice(f"template:{t.key}", _("Template: %(title)s", title=t.title[:120])) for t in templates]
        + [SelectChoice(f"copy:{r.id}", _("Copy of: %(title)s (%(period)s, version %(v)d)", title=r.title[:80],
                                          period=r.period_text or "—", v=r.version)) for r in own]
    )
    if form.validate_on_submit():
        try:
            roadmap = _create(org, form.source.data, form.period_text.data or None)
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            db.session.commit()
            flash(_("The roadmap has been created. Check it, edit it, then submit it."), "success")
            _warn_flagged(roadmap)
            return redirect(url_for("roadmaps.show", roadmap_id=roadmap.id))
    return render_template("roadmaps/new.html", form=form, org=org)


def _warn_flagged(roadmap: Roadmap) -> None:
    flagged = flagged_deadlines(roadmap)
    if flagged:
        flash(_("Deadlines taken over that lie outside the roadmap's period or have already passed: %(n)d. "
                "Change them or keep them as they are before submitting.", n=len(flagged)), "warning")


def _create(org: Organization, source: str, period_text: str | None) -> Roadmap:
    """A new roadmap of ``org`` from the chosen ``source`` («kind:key»)."""
    if period_text:
        check_period(period_text)
    kind, _sep, key = source.partition(":")
    today = region_today()
    if kind == "template":
        return create_from_template(org, current_user, builtin_templates()[key], period_text, today=today)
    if kind == "published":
        model = get_or_404(PublishedTemplate, key)
        return create_from_template(org, current_user, model.as_template(), period_text, today=today)
    return create_from_previous(org, current_user, get_or_404(Roadmap, key), period_text, today=today)


@bp.route("/<int:roadmap_id>")
@membership_required
def show(roadmap_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    owner = owner_of(roadmap)
    membership = current_membership()
    total, per_stage = progress(roadmap)
    versions = db.session.scalars(
        sa.select(Roadmap).where(Roadmap.lineage_id == roadmap.lineage_id).order_by(Roadmap.version)
    ).all()
    today = region_today()
    executing = is_current_approved(roadmap)
    return render_template(
        "roadmaps/show.html", roadmap=roadmap, owner=owner, total=total, per_stage=per_stage,
        overdue=overdue_activities(roadmap, today) if executing else {},
        overdue_steps=overdue_steps(roadmap, today) if executing else {},
        due=due_dates(roadmap, today), today=today, flagged=flagged_deadlines(roadmap) if roadmap.editable else [],
        executing=executing,
        can_publish=OrgKind(owner.kind) == OrgKind.MINISTRY and roadmap.status == "approved"
        and membership.org_id == owner.id and membership.role_enum.value == "ministry_admin",
        comments=workflow.comments_by_activity(roadmap), versions=versions,
        can_edit=workflow.can_edit(membership, roadmap), can_review=workflow.can_review(membership, roadmap, owner),
        needs_review=workflow.reviewer_org_id(owner) is not None, form=CommentForm(),
    )


@bp.route("/<int:roadmap_id>/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@membership_required
def edit_activity(roadmap_id: int, activity_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    activity = activity_of(roadmap, activity_id)
    if not workflow.can_edit(current_membership(), roadmap):
        abort(403)
    form = _item_form(activity)
    if form.validate_on_submit():
        done = _save_item(form, roadmap, lambda values: update_item(activity, values) or activity)
        if done is not None:
            return done
    return render_template("roadmaps/edit_item.html", form=form, roadmap=roadmap, activity=activity,
                           item=activity, due=due_dates(roadmap, region_today()).activities.get(activity.id, []))


@bp.route("/<int:roadmap_id>/stages/<int:stage_id>/activities/new", methods=["GET", "POST"])
@membership_required
def new_activity(roadmap_id: int, stage_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    stage = stage_of(roadmap, stage_id)
    if not workflow.can_edit(current_membership(), roadmap):
        abort(403)
    form = ItemForm()
    if form.validate_on_submit():
        done = _save_item(form, roadmap, lambda values: add_activity(stage, values))
        if done is not None:
            return done
    return render_template("roadmaps/edit_item.html", form=form, roadmap=roadmap, activity=None, stage=stage)


@bp.route("/<int:roadmap_id>/activities/<int:activity_id>/delete", methods=["POST"])
@membership_required
def remove_activity(roadmap_id: int, activity_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    activity = activity_of(roadmap, activity_id)
    if not workflow.can_edit(current_membership(), roadmap) or not CommentForm().validate_on_submit():
        abort(403)
    return run_change(lambda: delete_activity(activity), _("The activity has been deleted."), roadmap.id)


@bp.route("/<int:roadmap_id>/submit", methods=["POST"])
@membership_required
def submit(roadmap_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    form = CommentForm()
    if not form.validate_on_submit():
        abort(400)
    return run_change(
        lambda: workflow.submit(roadmap, owner_of(roadmap), current_membership(), current_user, form.comment.data),
        _("The roadmap has been submitted for approval."), roadmap.id,
    )


@bp.route("/<int:roadmap_id>/new-version", methods=["POST"])
@membership_required
def new_version(roadmap_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    if not workflow.can_edit(current_membership(), roadmap) or not CommentForm().validate_on_submit():
        abort(403)
    try:
        new = start_new_version(roadmap, current_user, current_org)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("roadmaps.show", roadmap_id=roadmap.id))
    flash(_("Version %(v)d has been started: it needs approval again.", v=new.version), "success")
    return redirect(url_for("roadmaps.show", roadmap_id=new.id))


@bp.route("/<int:roadmap_id>/compare")
@membership_required
def compare_versions(roadmap_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    other = roadmap_or_404(request.args.get("with", type=int) or 0)
    if other.lineage_id != roadmap.lineage_id and other.org_id != roadmap.org_id:
        abort(404)
    left, right = sorted([roadmap, other], key=lambda r: (r.lineage_id, r.version))
    fields = [("content", _("Content")), ("key_result", _("Key result")), ("deadline_text", _("Deadline")),
              ("responsible", _("Responsible")), ("documents", _("Documents"))]
    return render_template("roadmaps/compare.html", left=left, right=right, rows=compare(left, right),
                           FIELD_LABELS=fields)


def _item_form(item) -> ItemForm:
    """The edit form for a stage or an activity; documents are edited one per line."""
    form = ItemForm(obj=item)
    if request.method == "GET":
        form.documents.data = "\n".join(item.documents or [])
        form.due_on.data = set_due_on(item)
    return form


def _save_item(form: ItemForm, roadmap: Roadmap, save):
    """Run ``save(values)`` (returns the activity saved, or None for a stage) and answer with a
    redirect; None when it is refused (the form shows why), so the page re-renders."""
    try:
        item = save(_item_values(form))
    except DomainError as error:
        db.session.rollback()
        form.add_errors(error)
        return None
    db.session.commit()
    flash(_("Saved."), "success")
    anchor = f"a{item.id}" if item is not None else None
    return redirect(url_for("roadmaps.show", roadmap_id=roadmap.id, _anchor=anchor))


def _item_values(form: ItemForm) -> dict:
    raw = form.documents.data or ""
    if isinstance(raw, list):  # not posted: the item's own list (ItemForm(obj=item)), kept as it is
        raw = "\n".join(raw)
    documents = [line.strip() for line in raw.splitlines() if line.strip()]
    return {
        "number": form.number.data or None, "title": form.title.data, "content": form.content.data or None,
        "key_result": form.key_result.data or None, "deadline_text": form.deadline_text.data or None,
        "due_on": form.due_on.data, "responsible": form.responsible.data or None, "documents": documents,
    }


EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@bp.route("/<int:roadmap_id>/export.<fmt>")
@membership_required
def export(roadmap_id: int, fmt: str):
    from flask import Response

    if fmt not in EXPORT_TYPES:
        abort(404)
    roadmap = roadmap_or_404(roadmap_id)
    data = export_roadmap(roadmap, owner_of(roadmap), fmt, current_org._get_current_object(), today=region_today())
    db.session.commit()
    response = Response(data, mimetype=EXPORT_TYPES[fmt])
    response.headers["Content-Disposition"] = f"attachment; filename=roadmap-{roadmap.id}-v{roadmap.version}.{fmt}"
    return response


@bp.route("/<int:roadmap_id>/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@membership_required
def edit_stage(roadmap_id: int, stage_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    stage = stage_of(roadmap, stage_id)
    if not workflow.can_edit(current_membership(), roadmap):
        abort(403)
    form = _item_form(stage)
    if form.validate_on_submit():
        done = _save_item(form, roadmap, lambda values: update_item(stage, values) or None)
        if done is not None:
            return done
    return render_template("roadmaps/edit_item.html", form=form, roadmap=roadmap, activity=None, stage=stage,
                           editing_stage=True, item=stage,
                           due=due_dates(roadmap, region_today()).stages.get(stage.id, []))


@bp.route("/<int:roadmap_id>/deadlines/confirm", methods=["POST"])
@membership_required
def confirm_deadlines(roadmap_id: int):
    """The author keeps a flagged deadline taken over (``item``: «stage-<id>» or «activity-<id>»)."""
    roadmap = roadmap_or_404(roadmap_id)
    if not workflow.can_edit(current_membership(), roadmap) or not CommentForm().validate_on_submit():
        abort(403)
    kind, _sep, item_id = (request.form.get("item") or "").partition("-")
    if kind not in ("stage", "activity") or not item_id.isdigit():
        abort(400)
    item = (stage_of if kind == "stage" else activity_of)(roadmap, int(item_id))
    anchor = f"{'s' if kind == 'stage' else 'a'}{item.id}"
    return run_change(lambda: confirm_deadline(item, current_org._get_current_object()),
                      _("The deadline is kept as it is."), roadmap.id,
                      to=url_for("roadmaps.show", roadmap_id=roadmap.id, _anchor=anchor))


@bp.route("/settings", methods=["GET", "POST"])
@membership_required
def region_settings():
    from mentorship.region.settings import settings_for

    org = current_org._get_current_object()
    if OrgKind(org.kind) != OrgKind.MINISTRY or current_membership().role_enum.value != "ministry_admin":
        abort(403)
    form = RegionSettingsForm(obj=settings_for(org))
    if form.validate_on_submit():
        workflow.set_municipal_approval(org, form.municipal_roadmaps_need_approval.data)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("roadmaps.region_settings"))
    return render_template("roadmaps/settings.html", form=form, org=org)


@bp.route("/<int:roadmap_id>/publish", methods=["POST"])
@membership_required
def publish(roadmap_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    if not CommentForm().validate_on_submit():
        abort(400)
    membership = current_membership()
    if membership.org_id != roadmap.org_id or membership.role_enum.value != "ministry_admin":
        abort(403)
    try:
        publish_as_model(roadmap, owner_of(roadmap))
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("roadmaps.show", roadmap_id=roadmap.id))
    db.session.commit()
    flash(_("Published as the region's model roadmap: municipal bodies and schools can create theirs from it."), "success")
    return redirect(url_for("roadmaps.show", roadmap_id=roadmap.id))


@bp.route("/<int:roadmap_id>/edit", methods=["GET", "POST"])
@membership_required
def edit_roadmap(roadmap_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    if not workflow.can_edit(current_membership(), roadmap):
        abort(403)
    form = RoadmapForm(obj=roadmap)
    if form.validate_on_submit():
        try:
            update_roadmap(roadmap, form.title.data, form.period_text.data or None, preamble=form.preamble.data,
                           footnote=form.footnote.data, today=region_today())
        except DomainError as error:
            db.session.rollback()
            form.add_errors(error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            _warn_flagged(roadmap)
            return redirect(url_for("roadmaps.show", roadmap_id=roadmap.id))
    return render_template("roadmaps/edit_roadmap.html", form=form, roadmap=roadmap,
                           delete_form=CommentForm(), can_delete=roadmap.status == "draft")


@bp.route("/<int:roadmap_id>/delete", methods=["POST"])
@membership_required
def delete_roadmap(roadmap_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    if not workflow.can_edit(current_membership(), roadmap) or not CommentForm().validate_on_submit():
        abort(403)
    try:
        delete_draft(roadmap, current_org._get_current_object())
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("roadmaps.show", roadmap_id=roadmap_id))
    flash(_("The draft has been deleted."), "success")
    return redirect(url_for("roadmaps.index"))


@bp.route("/<int:roadmap_id>/stages/new", methods=["GET", "POST"])
@membership_required
def new_stage(roadmap_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    if not workflow.can_edit(current_membership(), roadmap):
        abort(403)
    form = ItemForm()
    if form.validate_on_submit():
        done = _save_item(form, roadmap, lambda values: add_stage(roadmap, values) and None)
        if done is not None:
            return done
    return render_template("roadmaps/edit_item.html", form=form, roadmap=roadmap, activity=None, stage=None,
                           editing_stage=True)


@bp.route("/<int:roadmap_id>/stages/<int:stage_id>/delete", methods=["POST"])
@membership_required
def remove_stage(roadmap_id: int, stage_id: int):
    roadmap = roadmap_or_404(roadmap_id)
    stage = stage_of(roadmap, stage_id)
    if not workflow.can_edit(current_membership(), roadmap) or not CommentForm().validate_on_submit():
        abort(403)
    return run_change(lambda: delete_stage(stage), _("The stage has been deleted."), roadmap.id)
