"""Surveys (анкетирование): questionnaire templates, campaigns, invitations and the answers.

Visibility (DESIGN §4):

* templates and campaigns are ``Lineage``: the owner, the organisations above it and the ones
  below it see them (a ministry's campaign reaches every school of the region; a school's own
  questionnaire is not shown to the next school);
* an invitation names a person: ``OwnerOnly`` at the person's school, always;
* a response and its answers are stored *apart* from the invitation, with no key back to it and
  no time finer than the day: who answered is known (the invitation's status, for reminders),
  what they answered is not linked to them. Responses belong to the school (``SharedUpward``)
  so the levels above see them only as aggregates (mentorship/surveys/results.py).
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin, utcnow
from tenants.scoping import Lineage, OwnerOnly, SharedUpward

AUDIENCES = ("mentor", "mentee", "representative", "curator")
QUESTION_KINDS = ("scale", "single", "multiple", "short_text", "long_text")
PURPOSES = ("start", "intermediate", "completion", "programme_quality", "other")
TEMPLATE_STATUSES = ("active", "archived")
TRIGGERS = ("manual", "pair_start", "pair_interval", "pair_completion", "monitoring")
PAIR_TRIGGERS = ("pair_start", "pair_interval", "pair_completion")
CAMPAIGN_STATUSES = ("draft", "open", "closed")
PAIR_STATUS_FILTERS = ("any", "active", "completed", "ended_early")
INVITATION_STATUSES = ("pending", "sending", "sent", "failed", "answered", "cancelled", "expired")
OPEN_INVITATION_STATUSES = ("pending", "sending", "sent", "failed")
CHANNELS = ("email", "paper")
ADDRESS_KINDS = ("self", "representative", "user")
DISPATCH_STATES = ("idle", "running", "done", "failed")

SCALE_MIN, SCALE_MAX = 1, 10
SHORT_TEXT_MAX, LONG_TEXT_MAX = 300, 4000
# Results of a group with fewer respondents than this are not shown or broken down.
MIN_GROUP_SIZE = 5


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SurveyTemplate(Lineage, TimestampMixin, ReprMixin, db.Model):
    """A questionnaire (анкета), one version of it. A version that a campaign has used is never
    edited in place: editing makes the next version of the same ``family``."""

    __tablename__ = "survey_templates"
    __repr_fields__ = ("id", "code", "version")
    __table_args__ = (
        sa.UniqueConstraint("family", "version"),
        sa.CheckConstraint(_in("purpose", PURPOSES), name="purpose"),
        sa.CheckConstraint(_in("status", TEMPLATE_STATUSES), name="status"),
        sa.CheckConstraint("version >= 1", name="version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    family: Mapped[str] = mapped_column(sa.String(32), index=True)  # shared by all versions (uuid hex)
    version: Mapped[int] = mapped_column(default=1)
    is_current: Mapped[bool] = mapped_column(default=True)  # the latest version of its family
    code: Mapped[str | None] = mapped_column(sa.String(40))  # the default templates' codes
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    purpose: Mapped[str] = mapped_column(sa.String(30), default="other")
    audience: Mapped[list] = mapped_column(sa.JSON, default=list)  # roles from AUDIENCES
    status: Mapped[str] = mapped_column(sa.String(10), default="active")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="template", cascade="all, delete-orphan", order_by="SurveyQuestion.position"
    )


class SurveyQuestion(Lineage, ReprMixin, db.Model):
    """One question of a template: a 1–10 scale, single or multiple choice, short or long text."""

    __tablename__ = "survey_questions"
    __repr_fields__ = ("id", "kind", "position")
    __table_args__ = (
        sa.UniqueConstraint("template_id", "position"),
        sa.CheckConstraint(_in("kind", QUESTION_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_templates.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(20))
    text: Mapped[str] = mapped_column(sa.String(1000))
    help_text: Mapped[str | None] = mapped_column(sa.String(1000))
    required: Mapped[bool] = mapped_column(default=True)
    options: Mapped[list] = mapped_column(sa.JSON, default=list)  # choice labels (single/multiple)
    in_index: Mapped[bool] = mapped_column(default=False)  # a scale counted in the satisfaction index

    template: Mapped[SurveyTemplate] = relationship(back_populates="questions")


class SurveyCampaign(Lineage, TimestampMixin, ReprMixin, db.Model):
    """One template sent to an audience between two dates, with reminders.

    ``trigger`` "manual" invites the audience at launch; the pair triggers invite each pair's
    members when the pair starts, every ``interval_days`` while it runs, or when it ends;
    "monitoring" opens a child campaign (``parent_id``, ``wave_date``) at each of the region's
    monitoring reference dates."""

    __tablename__ = "survey_campaigns"
    __repr_fields__ = ("id", "trigger", "status")
    __table_args__ = (
        sa.UniqueConstraint("parent_id", "wave_date"),
        sa.CheckConstraint(_in("trigger", TRIGGERS), name="trigger"),
        sa.CheckConstraint(_in("status", CAMPAIGN_STATUSES), name="status"),
        sa.CheckConstraint(_in("pair_status", PAIR_STATUS_FILTERS), name="pair_status"),
        sa.CheckConstraint(_in("dispatch_state", DISPATCH_STATES), name="dispatch_state"),
        sa.CheckConstraint("closes_on IS NULL OR closes_on >= opens_on", name="dates"),
        sa.CheckConstraint("response_days BETWEEN 1 AND 365", name="response_days"),
        sa.CheckConstraint("interval_days IS NULL OR interval_days BETWEEN 7 AND 730", name="interval_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_templates.id", ondelete="RESTRICT"), index=True)
    trigger: Mapped[str] = mapped_column(sa.String(20), default="manual")
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    # The audience: roles (a subset of the template's audience) …
    roles: Mapped[list] = mapped_column(sa.JSON, default=list)
    # … narrowed to one municipal body or school of the owner's subtree (None: the whole subtree),
    target_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="RESTRICT"))
    form_code: Mapped[str | None] = mapped_column(sa.String(40))
    programme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("programmes.id", ondelete="SET NULL"))
    pair_status: Mapped[str] = mapped_column(sa.String(20), default="any")
    opens_on: Mapped[date]
    closes_on: Mapped[date | None]  # None: an automatic campaign running until closed
    reminder_days: Mapped[list] = mapped_column(sa.JSON, default=list)  # days after sending, e.g. [3, 7]
    response_days: Mapped[int] = mapped_column(default=14)  # a link's life when the campaign has no end
    interval_days: Mapped[int | None]  # pair_interval only
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("survey_campaigns.id", ondelete="CASCADE"))
    wave_date: Mapped[date | None]  # the monitoring reference date of a child campaign
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    launched_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Progress of the dispatch task, committed as it goes (polled by the campaign page).
    dispatch_state: Mapped[str] = mapped_column(sa.String(10), default="idle")
    dispatch_total: Mapped[int] = mapped_column(default=0)
    dispatch_done: Mapped[int] = mapped_column(default=0)
    dispatch_error: Mapped[str | None] = mapped_column(sa.Text)

    template: Mapped[SurveyTemplate] = relationship()
    target_org = relationship("Organization", foreign_keys=[target_org_id])
    parent: Mapped[SurveyCampaign | None] = relationship(remote_side=[id])


class SurveyInvitation(OwnerOnly, ReprMixin, db.Model):
    """One recipient of one campaign (never two: ``recipient_key`` is unique per campaign).

    It names the person, so it stays at the person's school. It records *that* they answered
    (status "answered", no time), never *what*. The address is read at sending time, so a
    changed or erased address is honoured."""

    __tablename__ = "survey_invitations"
    __repr_fields__ = ("id", "campaign_id", "status")
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "recipient_key"),
        sa.UniqueConstraint("short_code"),
        sa.Index("ix_survey_invitations_campaign_status", "campaign_id", "status"),
        sa.CheckConstraint(_in("role", AUDIENCES), name="role"),
        sa.CheckConstraint(_in("status", INVITATION_STATUSES), name="status"),
        sa.CheckConstraint(_in("channel", CHANNELS), name="channel"),
        sa.CheckConstraint(_in("address_kind", ADDRESS_KINDS), name="address_kind"),
        sa.CheckConstraint("participant_id IS NOT NULL OR user_id IS NOT NULL", name="recipient"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_campaigns.id", ondelete="CASCADE"))
    # e.g. "mentee:42" or, for a pair trigger, "mentee:42:m7:start" (see survey_audience.py)
    recipient_key: Mapped[str] = mapped_column(sa.String(80))
    role: Mapped[str] = mapped_column(sa.String(20))
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))  # a curator
    mentorship_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="SET NULL"))
    form_code: Mapped[str | None] = mapped_column(sa.String(40))  # carried to the response for breakdowns
    channel: Mapped[str] = mapped_column(sa.String(10), default="email")
    address_kind: Mapped[str] = mapped_column(sa.String(20), default="self")
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    expires_on: Mapped[date]
    short_code: Mapped[str | None] = mapped_column(sa.String(12))  # printed sheets; given when printed
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))  # "sending" since
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    campaign: Mapped[SurveyCampaign] = relationship()
    participant = relationship("Participant")
    user = relationship("User")


class SurveyResponse(SharedUpward, ReprMixin, db.Model):
    """One filled-in questionnaire, anonymous: no invitation, no person, the day only."""

    __tablename__ = "survey_responses"
    __repr_fields__ = ("id", "campaign_id", "role")
    __table_args__ = (
        sa.Index("ix_survey_responses_campaign_org", "campaign_id", "org_id"),
        sa.CheckConstraint(_in("role", AUDIENCES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_campaigns.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(sa.String(20))
    form_code: Mapped[str | None] = mapped_column(sa.String(40))
    municipal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="SET NULL"))
    submitted_on: Mapped[date]

    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="SurveyAnswer.id"
    )


class SurveyAnswer(SharedUpward, ReprMixin, db.Model):
    """One answer: a scale value, a chosen option's index (one row per option chosen of a
    multiple choice), or a text."""

    __tablename__ = "survey_answers"
    __repr_fields__ = ("id", "question_id", "value")
    __table_args__ = (
        sa.Index("ix_survey_answers_campaign_question", "campaign_id", "question_id", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_campaigns.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_questions.id", ondelete="RESTRICT"))
    value: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(sa.Text)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
    question: Mapped[SurveyQuestion] = relationship()
