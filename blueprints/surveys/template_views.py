"""Questionnaires (анкеты): the list along the line, the editor, a template's page with its
versions, archive and copy. Seeing: anyone along the line; managing: the owner only."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import raiseload

from blueprints.auth.forms import ConfirmForm
from blueprints.pagination import paginate, search_term
from blueprints.surveys import bp
from blueprints.surveys.access import can_manage, manage_required, owned_or_404, surveys_required
from blueprints.surveys.template_forms import (
    BLANK_ROWS_EDIT,
    BLANK_ROWS_NEW,
    MORE_ROWS,
    ArchiveForm,
    TemplateForm,
)
from core.extensions import db
from mentorship.surveys import questionnaires as service
from mentorship.surveys.defaults import ensure_default_templates
from mentorship.surveys.models import SurveyTemplate
from tenants.access import current_org, get_or_404
from tenants.roles import KIND_LABELS as LEVEL_LABELS


def _org():
    return current_org._get_current_object()


def _labels() -> dict:
    return {"audience_labels": service.AUDIENCE_LABELS, "purpose_labels": service.PURPOSE_LABELS,
            "kind_labels": service.KIND_LABELS, "status_labels": service.STATUS_LABELS,
            "level_labels": LEVEL_LABELS}


@bp.route("/templates")
@surveys_required
def templates():
    org = _org()
    if org.kind == "ministry" and ensure_default_templates(org):
        db.session.commit()
    filters = {
        "q": search_term(),
        "purpose": request.args.get("purpose", ""),
        "audience": request.args.get("audience", ""),
        "owner": request.args.get("owner", ""),
        "all": "1" if request.args.get("all") == "1" else "",
    }
    stmt = service.templates_query(org, search=filters["q"], purpose=filters["purpose"],
                                   audience=filters["audience"], owner=filters["owner"],
                                   all_versions=bool(filters["all"]))
    page = paginate(stmt.options(raiseload("*")))
    return render_template("surveys/template_list.html", page=page, filters=filters,
                           args={k: v for k, v in filters.items() if v}, owners=service.owners_of(page.items),
                           org=org, can_manage=can_manage(), owner_filters=service.OWNER_FILTERS, **_labels())


def _editor(form: TemplateForm, template: SurveyTemplate | None, save):
    """The shared POST handling of the new and edit pages: more rows, or validate and save."""
    if form.more.data:
        form.add_blank_rows(MORE_ROWS)
        return None
    form.validate()  # CSRF, and the fields' own errors lists
    if form.csrf_token.errors:
        abort(400)
    try:
        saved = save(form.data_for_service())
    except service.TemplateError as error:
        db.session.rollback()
        form.add_errors(error)
        if not form.questions.entries:
            form.add_blank_rows(BLANK_ROWS_EDIT)
        return None
    db.session.commit()
    return saved


def _render_form(form, template, status=200):
    used = service.campaign_count(template) if template is not None else 0
    return render_template("surveys/template_form.html", form=form, template=template, used=used,
                           **_labels()), status


@bp.route("/templates/new", methods=["GET", "POST"])
@manage_required
def template_new():
    form = TemplateForm()
    if request.method == "GET":
        form.purpose.data = "other"
        form.add_blank_rows(BLANK_ROWS_NEW)
        return _render_form(form, None)
    org = _org()
    template = _editor(form, None, lambda data: service.create_template(org, current_user, data))
    if template is None:
        return _render_form(form, None)
    flash(_("The questionnaire has been created."), "success")
    return redirect(url_for("surveys.template_show", template_id=template.id))


@bp.route("/templates/<int:template_id>")
@surveys_required
def template_show(template_id: int):
    template = get_or_404(SurveyTemplate, template_id)
    versions = service.versions_of(template)
    owner = service.owners_of([template]).get(template.org_id)
    return render_template(
        "surveys/template_show.html", template=template, versions=versions, owner=owner,
        used=service.campaign_count(template), manage=can_manage() and template.org_id == _org().id,
        can_copy=can_manage(), archive_form=ArchiveForm(), copy_form=ConfirmForm(), **_labels(),
    )


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@surveys_required
def template_edit(template_id: int):
    template = owned_or_404(get_or_404(SurveyTemplate, template_id))
    try:
        service.ensure_current(template)
    except service.TemplateError as error:
        flash(error.message, "warning")
        return redirect(url_for("surveys.template_show", template_id=template.id))
    form = TemplateForm()
    if request.method == "GET":
        form.fill(service.data_of(template))
        form.add_blank_rows(BLANK_ROWS_EDIT)
        return _render_form(form, template)
    saved = _editor(form, template, lambda data: service.revise_template(template, current_user, data))
    if saved is None:
        return _render_form(form, template)
    if saved.id != template.id:
        flash(_("The questionnaire is used by campaigns, so version %(n)d has been made.", n=saved.version),
              "success")
    else:
        flash(_("The questionnaire has been saved."), "success")
    return redirect(url_for("surveys.template_show", template_id=saved.id))


@bp.route("/templates/<int:template_id>/archive", methods=["POST"])
@surveys_required
def template_archive(template_id: int):
    template = owned_or_404(get_or_404(SurveyTemplate, template_id))
    form = ArchiveForm()
    if not form.validate_on_submit() or form.archived.data not in ("0", "1"):
        abort(400)
    archived = form.archived.data == "1"
    service.set_archived(template, archived, current_user)
    db.session.commit()
    flash(_("The questionnaire has been archived.") if archived else _("The questionnaire has been restored."),
          "success")
    return redirect(url_for("surveys.template_show", template_id=template.id))


@bp.route("/templates/<int:template_id>/copy", methods=["POST"])
@manage_required
def template_copy(template_id: int):
    template = get_or_404(SurveyTemplate, template_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    copy = service.copy_template(template, _org(), current_user)
    db.session.commit()
    flash(_("The questionnaire has been copied to your organisation; edit the copy as you need."), "success")
    return redirect(url_for("surveys.template_show", template_id=copy.id))


__all__ = ["template_archive", "template_copy", "template_edit", "template_new", "template_show", "templates"]
