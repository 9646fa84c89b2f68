"""Answering a survey through a personal link or a printed code (no account, no tenant).

The public page knows no organisation. The invitation is found by its signed id under one
named narrow ``unscoped`` look-up; everything after it runs as the invitation's school
(``tenant_scope``), so the usual isolation holds for the rest of the work.

Anonymity by design: a response is written with the school, its municipal body, the role, the
form and the day — nothing else. It carries no invitation id and no time of day; nothing here
logs or audits the link between an invitation and what was answered. The invitation only
learns *that* it was answered (status "answered"), which spends the link.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from core.extensions import db
from mentorship.surveys.links import TokenError, read_link_token
from mentorship.surveys.models import (
    LONG_TEXT_MAX,
    OPEN_INVITATION_STATUSES,
    SCALE_MAX,
    SCALE_MIN,
    SHORT_TEXT_MAX,
    SurveyAnswer,
    SurveyCampaign,
    SurveyInvitation,
    SurveyResponse,
    SurveyTemplate,
)
from tenants.context import tenant_scope, unscoped
from tenants.models import Organization

LINK_STATES = ("ok", "invalid", "expired", "used", "cancelled")
TEXT_LIMITS = {"short_text": SHORT_TEXT_MAX, "long_text": LONG_TEXT_MAX}


@dataclass(frozen=True)
class Question:
    """What the page needs of a question (plain data: usable after the tenant scope ends)."""

    id: int
    number: int
    kind: str
    text: str
    help_text: str | None
    required: bool
    options: tuple[str, ...]

    @property
    def field_name(self) -> str:
        return f"q{self.id}"

    @property
    def first_id(self) -> str:
        """The id of the question's first input (error summaries link to it)."""
        if self.kind == "scale":
            return f"{self.field_name}-{SCALE_MIN}"
        if self.kind in ("single", "multiple"):
            return f"{self.field_name}-0"
        return f"{self.field_name}-input"

    @property
    def max_length(self) -> int | None:
        return TEXT_LIMITS.get(self.kind)


@dataclass(frozen=True)
class LinkState:
    """What a link (or a typed code) leads to: ``state`` is one of LINK_STATES; the rest is
    filled only for a usable link."""

    state: str
    invitation_id: int | None = None
    title: str = ""
    description: str | None = None
    expires_on: date | None = None
    questions: tuple[Question, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.state == "ok"


class AnswerRefused(Exception):
    """The link cannot take an answer (any more): ``state`` says why; nothing was saved."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


def _load_invitation(invitation_id: int) -> SurveyInvitation | None:
    # The one cross-tenant step: the public page has no organisation until it knows the school.
    with unscoped("surveys.answer_link"):
        return db.session.scalar(sa.select(SurveyInvitation).where(SurveyInvitation.id == invitation_id))


def _school_of(invitation: SurveyInvitation) -> tuple[int, str]:
    return invitation.org_id, invitation.org_path


def _invitation_state(invitation: SurveyInvitation, campaign: SurveyCampaign, today: date) -> str:
    if invitation.status == "answered":
        return "used"
    if invitation.status == "cancelled":
        return "cancelled"
    if invitation.status == "expired" or invitation.status not in OPEN_INVITATION_STATUSES:
        return "expired"
    if invitation.expires_on < today:
        return "expired"
    if campaign.status != "open" or campaign.opens_on > today:
        return "expired"
    if campaign.closes_on is not None and campaign.closes_on < today:
        return "expired"
    return "ok"


def resolve_link(token: str, today: date | None = None) -> LinkState:
    """The state of a personal link and, when usable, the questionnaire it opens."""
    today = today or _today()
    try:
        invitation_id = read_link_token(token)
    except TokenError as error:
        return LinkState("expired" if error.reason == "expired" else "invalid")
    return resolve_invitation(invitation_id, today)


def resolve_invitation(invitation_id: int, today: date) -> LinkState:
    invitation = _load_invitation(invitation_id)
    if invitation is None:
        return LinkState("invalid")
    org_id, org_path = _school_of(invitation)
    with tenant_scope(org_id, org_path):
        campaign = db.session.scalar(
            sa.select(SurveyCampaign).where(SurveyCampaign.id == invitation.campaign_id)
            .options(selectinload(SurveyCampaign.template).selectinload(SurveyTemplate.questions))
        )
        if campaign is None:
            return LinkState("invalid")
        state = _invitation_state(invitation, campaign, today)
        if state != "ok":
            return LinkState(state)
        template = campaign.template
        questions = tuple(
            Question(id=q.id, number=n, kind=q.kind, text=q.text, help_text=q.help_text, required=q.required,
                     options=tuple(q.options or ()))
            for n, q in enumerate(template.questions, start=1)
        )
        return LinkState("ok", invitation_id=invitation.id, title=campaign.title or template.title,
                         description=template.description, expires_on=invitation.expires_on, questions=questions)


def _today() -> date:
    from core.clock import region_today

    return region_today()


# --- validation ---------------------------------------------------------------------------

def _int_or_none(raw: str) -> int | None:
    try:
        return int(raw.strip())
    except (ValueError, AttributeError):
        return None


def _check(question, raw: list[str]):
    """(value, error message or None) for one question's submitted strings."""
    number = getattr(question, "number", None) or question.position
    raw = [r for r in raw if r is not None and str(r).strip() != ""]
    kind = question.kind
    if not raw:
        if question.required:
            return None, _("Question %(number)d: an answer is required.", number=number)
        return None, None
    if kind == "scale":
        value = _int_or_none(raw[0]) if len(raw) == 1 else None
        if value is None or not SCALE_MIN <= value <= SCALE_MAX:
            return None, _("Question %(number)d: choose a number from %(min)d to %(max)d.",
                           number=number, min=SCALE_MIN, max=SCALE_MAX)
        return value, None
    options = list(question.options or ())
    if kind == "single":
        value = _int_or_none(raw[0]) if len(raw) == 1 else None
        if value is None or not 0 <= value < len(options):
            return None, _("Question %(number)d: choose one of the offered answers.", number=number)
        return value, None
    if kind == "multiple":
        values = [_int_or_none(r) for r in raw]
        if any(v is None or not 0 <= v < len(options) for v in values) or len(set(values)) != len(values):
            return None, _("Question %(number)d: choose among the offered answers.", number=number)
        return sorted(values), None
    # NUL cannot be stored (PostgreSQL refuses it) and is never typed: dropped.
    text = "\n".join(raw).replace("\r\n", "\n").replace("\x00", "").strip()
    limit = TEXT_LIMITS[kind]
    if len(text) > limit:
        return None, _("Question %(number)d: the answer is too long (%(length)d characters, at most %(max)d).",
                       number=number, length=len(text), max=limit)
    return text, None


def validate(template, formdata) -> tuple[dict[int, object], dict[int, str]]:
    """Check submitted form data against ``template``'s questions (an ORM template or a
    ``LinkState``: anything with ``questions``). Returns ``(values, errors)`` keyed by question
    id: values are ints (scale, single), sorted option indexes (multiple) or text; unanswered
    optional questions are left out. Any error means nothing may be saved."""
    values: dict[int, object] = {}
    errors: dict[int, str] = {}
    for question in template.questions:
        value, error = _check(question, formdata.getlist(f"q{question.id}"))
        if error:
            errors[question.id] = error
        elif value is not None:
            values[question.id] = value
    return values, errors


# --- saving -------------------------------------------------------------------------------

def submit(invitation_id: int, values: dict[int, object], today: date) -> None:
    """Spend the invitation and store the anonymous response, in the caller's transaction
    (the caller commits). Raises ``AnswerRefused`` — nothing written — when the link is used,
    expired or cancelled. Two submissions at once: the conditional UPDATE lets one through."""
    invitation = _load_invitation(invitation_id)
    if invitation is None:
        raise AnswerRefused("invalid")
    org_id, org_path = _school_of(invitation)
    campaign_id, role, form_code = invitation.campaign_id, invitation.role, invitation.form_code
    with tenant_scope(org_id, org_path):
        campaign = db.session.get(SurveyCampaign, campaign_id)
        if campaign is None:
            raise AnswerRefused("invalid")
        if campaign.status != "open" or campaign.opens_on > today or (
                campaign.closes_on is not None and campaign.closes_on < today):
            raise AnswerRefused("expired")
        question_kinds = {q.id: q.kind for q in campaign.template.questions}
        spent = db.session.execute(
            sa.update(SurveyInvitation)
            .where(SurveyInvitation.id == invitation_id,
                   SurveyInvitation.status.in_(OPEN_INVITATION_STATUSES),
                   SurveyInvitation.expires_on >= today)
            .values(status="answered")
            .execution_options(synchronize_session=False)
        ).rowcount
        if spent != 1:
            db.session.expire(invitation)
            raise AnswerRefused(_refusal_state(invitation_id, today))
        school = db.session.get(Organization, org_id)
        response = SurveyResponse(org_id=org_id, campaign_id=campaign_id, role=role, form_code=form_code,
                                  municipal_id=school.parent_id, submitted_on=today)
        for question_id, value in values.items():
            kind = question_kinds.get(question_id)
            if kind is None:
                continue
            if kind == "multiple":
                items = [(option, None) for option in value]
            elif kind in TEXT_LIMITS:
                items = [(None, value)]
            else:
                items = [(value, None)]
            for number, text in items:
                response.answers.append(SurveyAnswer(org_id=org_id, campaign_id=campaign_id,
                                                     question_id=question_id, value=number, text=text))
        db.session.add(response)
        db.session.flush()


def _refusal_state(invitation_id: int, today: date) -> str:
    invitation = _load_invitation(invitation_id)
    if invitation is None:
        return "invalid"
    if invitation.status == "answered":
        return "used"
    if invitation.status == "cancelled":
        return "cancelled"
    return "expired"
