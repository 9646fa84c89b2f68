"""Questionnaire templates (анкеты): validation, creation, versions, archive, copies.

A version that a campaign references is never edited in place: ``revise_template`` then makes
the next version of the same family (the old one stays as it was, with its questions, and is
no longer current). A template is managed by its owner only; others along the line may copy it
into their own organisation (a school adapts a region questionnaire) — a new family.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import DomainError, Problem
from core.extensions import db
from mentorship.surveys.models import (
    AUDIENCES,
    PURPOSES,
    QUESTION_KINDS,
    SurveyCampaign,
    SurveyQuestion,
    SurveyTemplate,
)
from tenants import audit
from tenants.context import unscoped
from tenants.scoping import ancestor_paths, subtree_bounds

TITLE_MAX, QUESTION_MAX, HELP_MAX, OPTION_MAX = 300, 1000, 1000, 200
MAX_QUESTIONS, MIN_OPTIONS, MAX_OPTIONS = 50, 2, 20
CHOICE_KINDS = ("single", "multiple")

AUDIENCE_LABELS = {
    "mentor": _l("Mentors"),
    "mentee": _l("Mentees"),
    "representative": _l("Legal representatives"),
    "curator": _l("Curators"),
}
PURPOSE_LABELS = {
    "start": _l("Start of a mentorship"),
    "intermediate": _l("Intermediate feedback"),
    "completion": _l("Satisfaction at completion"),
    "programme_quality": _l("Quality of the programme"),
    "other": _l("Other"),
}
KIND_LABELS = {
    "scale": _l("Scale 1–10"),
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "short_text": _l("Short text"),
    "long_text": _l("Long text"),
}
STATUS_LABELS = {"active": _l("Active"), "archived": _l("Archived")}

MESSAGES = {
    "title_required": _l("Enter the questionnaire's title."),
    "title_too_long": _l("The title is longer than 300 characters."),
    "audience_required": _l("Choose at least one audience."),
    "bad_audience": _l("Unknown audience."),
    "bad_purpose": _l("Choose the purpose of the questionnaire."),
    "no_questions": _l("Add at least one question."),
    "too_many_questions": _l("A questionnaire has at most 50 questions."),
    "text_required": _l("Enter the question's text."),
    "text_too_long": _l("The question is longer than 1000 characters."),
    "help_too_long": _l("The hint is longer than 1000 characters."),
    "bad_kind": _l("Choose the kind of the question."),
    "too_few_options": _l("A choice question needs at least two options, one per line."),
    "too_many_options": _l("A choice question has at most 20 options."),
    "option_too_long": _l("An option is longer than 200 characters."),
    "duplicate_options": _l("The options must differ from each other."),
    "options_not_allowed": _l("Only choice questions have options."),
    "in_index_not_scale": _l("Only a 1–10 scale can count in the satisfaction index."),
    "not_current": _l("Only the latest version of a questionnaire can be edited."),
}


class TemplateError(DomainError):
    """Input a template cannot be saved with. Each problem's field is a field of
    ``TemplateData`` or, for a question, ``question_field(index, name)``."""

    MESSAGES = MESSAGES


def question_field(index: int, name: str) -> str:
    """The field of a problem about ``name`` of ``data.questions[index]``: "questions.<index>.<name>"."""
    return f"questions.{index}.{name}"


@dataclass
class QuestionData:
    text: str
    kind: str
    options: list[str] = field(default_factory=list)
    help_text: str | None = None
    required: bool = True
    in_index: bool = False


@dataclass
class TemplateData:
    title: str
    purpose: str
    audience: list[str]
    questions: list[QuestionData]
    description: str | None = None


def validate(data: TemplateData) -> list[Problem]:
    """Every problem of ``data`` (empty: it may be saved)."""
    problems: list[Problem] = []
    title = (data.title or "").strip()
    if not title:
        problems.append(Problem("title_required", "title"))
    elif len(title) > TITLE_MAX:
        problems.append(Problem("title_too_long", "title"))
    if not data.audience:
        problems.append(Problem("audience_required", "audience"))
    elif any(a not in AUDIENCES for a in data.audience):
        problems.append(Problem("bad_audience", "audience"))
    if data.purpose not in PURPOSES:
        problems.append(Problem("bad_purpose", "purpose"))
    if not data.questions:
        problems.append(Problem("no_questions", "questions"))
    elif len(data.questions) > MAX_QUESTIONS:
        problems.append(Problem("too_many_questions", "questions"))
    for index, question in enumerate(data.questions[:MAX_QUESTIONS]):
        problems += [Problem(code, question_field(index, name)) for name, code in _question_problems(question)]
    return problems


def _question_problems(q: QuestionData) -> list[tuple[str, str]]:
    problems = []
    text = (q.text or "").strip()
    if not text:
        problems.append(("text", "text_required"))
    elif len(text) > QUESTION_MAX:
        problems.append(("text", "text_too_long"))
    if q.help_text and len(q.help_text) > HELP_MAX:
        problems.append(("help_text", "help_too_long"))
    if q.kind not in QUESTION_KINDS:
        problems.append(("kind", "bad_kind"))
        return problems
    options = [o.strip() for o in q.options if o and o.strip()]
    if q.kind in CHOICE_KINDS:
        if len(options) < MIN_OPTIONS:
            problems.append(("options", "too_few_options"))
        elif len(options) > MAX_OPTIONS:
            problems.append(("options", "too_many_options"))
        elif any(len(o) > OPTION_MAX for o in options):
            problems.append(("options", "option_too_long"))
        elif len({o.casefold() for o in options}) != len(options):
            problems.append(("options", "duplicate_options"))
    elif options:
        problems.append(("options", "options_not_allowed"))
    if q.in_index and q.kind != "scale":
        problems.append(("in_index", "in_index_not_scale"))
    return problems


def _check(data: TemplateData) -> None:
    problems = validate(data)
    if problems:
        raise TemplateError(problems)


def ensure_current(template: SurveyTemplate) -> None:
    """Refuse (TemplateError "not_current") to edit a version that is no longer the latest."""
    if template is None or not template.is_current:
        raise TemplateError("not_current")


def _fill(template: SurveyTemplate, data: TemplateData) -> None:
    """Set the fields and the questions of ``template`` from valid ``data``. Questions are
    updated position by position (no delete-and-insert under the unique position key)."""
    template.title = data.title.strip()
    template.description = (data.description or "").strip() or None
    template.purpose = data.purpose
    template.audience = [a for a in AUDIENCES if a in data.audience]
    existing = list(template.questions)
    for position, q in enumerate(data.questions, start=1):
        if position <= len(existing):
            question = existing[position - 1]
        else:
            question = SurveyQuestion(org_id=template.org_id, position=position)
            template.questions.append(question)
        question.kind = q.kind
        question.text = q.text.strip()
        question.help_text = (q.help_text or "").strip() or None
        question.required = bool(q.required)
        question.options = [o.strip() for o in q.options if o and o.strip()] if q.kind in CHOICE_KINDS else []
        question.in_index = bool(q.in_index) and q.kind == "scale"
    for question in existing[len(data.questions):]:
        template.questions.remove(question)


def in_use(template: SurveyTemplate) -> bool:
    """Whether a campaign references this version (from the owner's scope every such campaign
    is visible: campaigns come from the template's line)."""
    return campaign_count(template) > 0


def campaign_count(template: SurveyTemplate) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(SurveyCampaign.id)).where(SurveyCampaign.template_id == template.id)
    ) or 0


def create_template(org, user, data: TemplateData) -> SurveyTemplate:
    """A new questionnaire (a new family, version 1) owned by ``org``."""
    _check(data)
    template = SurveyTemplate(org_id=org.id, family=uuid.uuid4().hex, version=1, is_current=True,
                              created_by_id=getattr(user, "id", None), questions=[])
    _fill(template, data)
    db.session.add(template)
    db.session.flush()
    audit.record("survey_template.created", org=org, obj=template, user=user,
                 details={"family": template.family, "version": 1})
    return template


def revise_template(template: SurveyTemplate, user, data: TemplateData) -> SurveyTemplate:
    """Save ``data`` into ``template`` if no campaign uses it; else make the next version of
    its family (returned) and leave this one unchanged but no longer current."""
    _check(data)
    # Lock the row: a campaign created meanwhile references it with a key lock (PostgreSQL),
    # so "unused" holds until the commit; a concurrent revision sees is_current change.
    locked = db.session.scalar(
        sa.select(SurveyTemplate).where(SurveyTemplate.id == template.id)
        .with_for_update().execution_options(populate_existing=True)
    )
    ensure_current(locked)
    org = template_owner(template)
    if not in_use(template):
        _fill(template, data)
        db.session.flush()
        audit.record("survey_template.revised", org=org, obj=template, user=user,
                     details={"family": template.family, "version": template.version, "in_place": True})
        return template
    latest = db.session.scalar(
        sa.select(sa.func.max(SurveyTemplate.version)).where(SurveyTemplate.family == template.family)
    ) or template.version
    template.is_current = False
    new = SurveyTemplate(org_id=template.org_id, family=template.family, version=latest + 1, is_current=True,
                         code=template.code, status=template.status, created_by_id=getattr(user, "id", None),
                         questions=[])
    _fill(new, data)
    db.session.add(new)
    db.session.flush()
    audit.record("survey_template.revised", org=org, obj=new, user=user,
                 details={"family": new.family, "version": new.version, "previous": template.id})
    return new


def set_archived(template: SurveyTemplate, archived: bool, user=None) -> SurveyTemplate:
    """Archive (no longer offered for new campaigns) or restore a template version."""
    template.status = "archived" if archived else "active"
    db.session.flush()
    audit.record("survey_template.archived" if archived else "survey_template.restored",
                 org=template_owner(template), obj=template, user=user)
    return template


def copy_template(template: SurveyTemplate, org, user) -> SurveyTemplate:
    """A copy of ``template`` (seen along the line) owned by ``org``: a new family, version 1,
    with the same questions; the default code is not carried over."""
    data = data_of(template)
    copy = SurveyTemplate(org_id=org.id, family=uuid.uuid4().hex, version=1, is_current=True,
                          created_by_id=getattr(user, "id", None), questions=[])
    _fill(copy, data)
    db.session.add(copy)
    db.session.flush()
    audit.record("survey_template.copied", org=org, obj=copy, user=user,
                 details={"source": template.id, "family": copy.family})
    return copy


def template_owner(template: SurveyTemplate):
    """The owner organisation (managing happens in the owner's scope, where it is visible)."""
    from tenants.models import Organization

    return db.session.get(Organization, template.org_id)


def data_of(template: SurveyTemplate) -> TemplateData:
    """The template as editable data (to fill the edit form)."""
    return TemplateData(
        title=template.title, description=template.description, purpose=template.purpose,
        audience=list(template.audience or []),
        questions=[QuestionData(text=q.text, kind=q.kind, options=list(q.options or []), help_text=q.help_text,
                                required=q.required, in_index=q.in_index) for q in template.questions],
    )


def versions_of(template: SurveyTemplate) -> list[SurveyTemplate]:
    """Every version of the template's family that the scope shows, newest first."""
    return list(db.session.scalars(
        sa.select(SurveyTemplate).where(SurveyTemplate.family == template.family)
        .order_by(SurveyTemplate.version.desc())
    ))


OWNER_FILTERS = ("mine", "above", "below")


def templates_query(org, *, search: str = "", purpose: str = "", audience: str = "", owner: str = "",
                    all_versions: bool = False) -> sa.Select:
    """The templates ``org`` sees along its line (the scope does that), filtered; current
    versions only unless ``all_versions``. ``owner``: "mine", "above" (the levels above),
    "below" (the organisations under ``org``)."""
    stmt = sa.select(SurveyTemplate).order_by(SurveyTemplate.title, SurveyTemplate.family,
                                              SurveyTemplate.version.desc())
    if not all_versions:
        stmt = stmt.where(SurveyTemplate.is_current.is_(True))
    if search:
        stmt = stmt.where(SurveyTemplate.title.ilike(f"%{search}%"))
    if purpose in PURPOSES:
        stmt = stmt.where(SurveyTemplate.purpose == purpose)
    if audience in AUDIENCES:
        # The JSON list as text: '["mentee", "mentor"]' on both SQLite and PostgreSQL.
        stmt = stmt.where(sa.cast(SurveyTemplate.audience, sa.String).like(f'%"{audience}"%'))
    if owner == "mine":
        stmt = stmt.where(SurveyTemplate.org_id == org.id)
    elif owner == "above":
        stmt = stmt.where(SurveyTemplate.org_path != org.path, SurveyTemplate.org_path.in_(ancestor_paths(org.path)))
    elif owner == "below":
        low, high = subtree_bounds(org.path)
        stmt = stmt.where(SurveyTemplate.org_path > low, SurveyTemplate.org_path < high)
    return stmt


def owners_of(templates) -> dict[int, tuple[str, str]]:
    """{org id: (name, kind)} of the templates' owners. The levels above are outside the
    scope of the organisation tree, so their names are read explicitly, by id, and only the
    names of owners of templates the scope has already shown."""
    from tenants.models import Organization

    ids = {t.org_id for t in templates}
    if not ids:
        return {}
    with unscoped("surveys.template_owner_names"):
        rows = db.session.execute(
            sa.select(Organization.id, Organization.short_name, Organization.name, Organization.kind)
            .where(Organization.id.in_(ids))
        ).all()
    return {row.id: (row.short_name or row.name, row.kind) for row in rows}
