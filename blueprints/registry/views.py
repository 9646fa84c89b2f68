"""The registry of mentors with its search, filters and XLSX export; mentees as counts; the
training of mentors by organisation (mentorship/registry/)."""
from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from blueprints.pagination import paginate
from blueprints.registry import bp
from blueprints.registry.forms import RegistryFilterForm
from core.extensions import db
from mentorship.pairing.banks import COMPETENCY_LABELS
from mentorship.recognition.awards import KIND_LABELS as AWARD_LABELS
from mentorship.region.forms import CATEGORIES, CATEGORY_LABELS, region_forms
from mentorship.registry import counts, entries, workbook
from mentorship.registry.entries import RegistryFilters
from tenants.access import current_org, membership_required
from tenants.models import Organization

LABELS = {"category": CATEGORY_LABELS, "competency": COMPETENCY_LABELS, "award": AWARD_LABELS}


def _org() -> Organization:
    return current_org._get_current_object()


def _filters() -> tuple[RegistryFilterForm, RegistryFilters, dict[str, str]]:
    org = _org()
    forms = region_forms(org.path, include_retired=True)
    form = RegistryFilterForm(request.args)
    bodies = entries.bodies_of(org) if org.kind == "ministry" else []
    form.body.choices = [SelectChoice(None, str(form.body.label.text))] + [SelectChoice(i, n) for i, n in bodies]
    body = form.body.data if form.body.data in {i for i, _n in bodies} else None
    scope = db.session.get(Organization, body) if body else org
    schools = entries.schools_of(scope) if org.kind != "school" and (org.kind == "municipality" or body) else []
    form.school.choices = [SelectChoice(None, str(form.school.label.text))] + [SelectChoice(i, n) for i, n in schools]
    form.form.choices = [SelectChoice("", str(form.form.label.text))] + [SelectChoice(f.code, f.name) for f in forms]
    form.validate()
    school = form.value("school") if form.value("school") in {i for i, _n in schools} else None
    filters = RegistryFilters(q=(form.value("q") or "").strip(), body=body, school=school,
                              form=form.value("form") or "", competency=form.value("competency") or "",
                              category=form.value("category") or "", trained=form.value("trained") or "")
    return form, filters, {f.code: f.name for f in forms}


@bp.route("/")
@membership_required
def index():
    form, filters, form_names = _filters()
    page = paginate(entries.registry_query(filters, set(form_names), set(COMPETENCY_LABELS)))
    return render_template("registry/index.html", page=page, form=form, args=filters.as_args(),
                           places=entries.places(page.items), form_names=form_names, labels=LABELS, org=_org())


@bp.route("/export.xlsx")
@membership_required
def export():
    _form, filters, _names = _filters()
    data = workbook.export_registry(filters, _org(), user=current_user)
    db.session.commit()
    response = Response(data, mimetype=workbook.XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = "attachment; filename=mentor-registry.xlsx"
    response.headers["Cache-Control"] = "no-store"
    return response


def _viewer() -> tuple[Organization, Organization | None]:
    """The organisation whose subtree the counts cover: the viewer, or for the ministry one of
    its municipal bodies (``?body=``), drilled down to its schools."""
    org = _org()
    body_id = request.args.get("body", type=int)
    if org.kind == "ministry" and body_id:
        body = db.session.get(Organization, body_id)
        if body is not None and body.parent_id == org.id:
            return body, body
    return org, None


@bp.route("/mentees")
@membership_required
def mentees():
    viewer, body = _viewer()
    return render_template("registry/mentees.html", viewer=viewer, body=body, groups=counts.groups(viewer),
                           counts=counts.mentee_counts(viewer), categories=CATEGORIES, labels=LABELS,
                           form_names={f.code: f.name for f in region_forms(viewer.path, include_retired=True)},
                           drill=_org().kind == "ministry" and body is None)


@bp.route("/training")
@membership_required
def training():
    viewer, body = _viewer()
    rows = counts.mentor_counts(viewer)
    total = counts.MentorCounts()
    for item in rows.values():
        for name in ("bank", "trained", "in_training", "in_registry", "trained_in_registry"):
            setattr(total, name, getattr(total, name) + getattr(item, name))
    return render_template("registry/training.html", viewer=viewer, body=body, groups=counts.groups(viewer),
                           counts=rows, total=total, drill=_org().kind == "ministry" and body is None)
