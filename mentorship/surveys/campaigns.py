"""Survey campaigns: validation, create / change (a draft) / launch / close, the counts of a
campaign's invitations, and the audience in words.

Lifecycle: draft → open (launched: the dispatch task is queued after the commit) → closed.
Only a draft is changed. Launching a manual campaign whose opening date is still ahead opens it
all the same: its invitations are created at once and sent from ``opens_on`` (the dispatcher
sends nothing of a campaign before it opens). Closing expires every invitation not yet answered
(in every school, by one UPDATE restricted to the campaign). Closing a "monitoring" campaign
stops new waves; the waves already opened run to their own closing dates.

A campaign may use a questionnaire of its owner or of a level above (so everyone who sees the
campaign sees its questionnaire), current and not archived; its audience is a subset of the
questionnaire's audience, narrowed to one municipal body or school of the owner's subtree, one
form of the region's catalogue, one programme (a school's own campaign only), one pair status.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.clock import region_today
from core.enqueue import enqueue_on_commit
from core.errors import DomainError, Problem
from core.extensions import db
from core.model import utcnow
from mentorship.pairing.models import Programme
from mentorship.region.forms import region_forms
from mentorship.surveys.models import (
    AUDIENCES,
    OPEN_INVITATION_STATUSES,
    PAIR_STATUS_FILTERS,
    PAIR_TRIGGERS,
    TRIGGERS,
    SurveyCampaign,
    SurveyInvitation,
    SurveyTemplate,
)
from tenants import audit
from tenants.context import require_tenant_scope, unscoped
from tenants.models import Organization
from tenants.scoping import subtree_bounds

DISPATCH_TASK = "nastavnik.surveys.dispatch"
MAX_REMINDERS = 5
REMINDER_RANGE = (1, 60)
INTERVAL_RANGE = (7, 730)
RESPONSE_RANGE = (1, 365)
TITLE_MAX = 300

ROLE_LABELS = {
    "mentor": _l("Mentors"),
    "mentee": _l("Mentees"),
    "representative": _l("Legal representatives of minor mentees"),
    "curator": _l("Curators"),
}
TRIGGER_LABELS = {
    "manual": _l("Once, at launch"),
    "pair_start": _l("At the start of each pair"),
    "pair_interval": _l("At an interval while a pair runs"),
    "pair_completion": _l("At the completion of each pair"),
    "monitoring": _l("At the region's monitoring dates"),
}
STATUS_LABELS = {"draft": _l("Draft"), "open": _l("Open"), "closed": _l("Closed")}
PAIR_STATUS_LABELS = {
    "any": _l("Any status"),
    "active": _l("Active pairs"),
    "completed": _l("Completed pairs"),
    "ended_early": _l("Pairs ended early"),
}
INVITATION_STATUS_LABELS = {
    "pending": _l("Waiting to be sent"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "failed": _l("Sending failed"),
    "answered": _l("Answered"),
    "cancelled": _l("Cancelled"),
    "expired": _l("Expired"),
}

MESSAGES = {
    "title_required": _l("Give the campaign a title."),
    "title_long": _l("The title is too long (at most %(max)d characters).", max=TITLE_MAX),
    "template_required": _l("Choose a questionnaire."),
    "template_unknown": _l("This questionnaire is not available to your organisation."),
    "template_not_current": _l("A newer version of this questionnaire exists: choose the current one."),
    "template_archived": _l("This questionnaire is archived."),
    "roles_required": _l("Choose at least one group of respondents."),
    "roles_not_in_template": _l("The questionnaire is not meant for: %(roles)s."),
    "target_unknown": _l("Choose a municipal body or school of your own."),
    "target_kind": _l("The audience can be narrowed to a municipal body or a school only."),
    "form_unknown": _l("This form is not in the region's catalogue."),
    "programme_school_only": _l("Only a school's own campaign can be limited to a programme."),
    "programme_unknown": _l("Choose one of your school's programmes."),
    "pair_status_unknown": _l("Choose a pair status."),
    "trigger_unknown": _l("Choose when the questionnaire is sent."),
    "opens_on_required": _l("Give the opening date."),
    "closes_on_required": _l("A campaign sent once needs a closing date."),
    "dates_order": _l("The closing date is before the opening date."),
    "reminders_invalid": _l("Reminder days: whole numbers separated by commas, e.g. «3, 7»."),
    "reminders_range": _l("Reminder days must be from %(min)d to %(max)d.", min=REMINDER_RANGE[0],
                          max=REMINDER_RANGE[1]),
    "reminders_many": _l("At most %(max)d reminders.", max=MAX_REMINDERS),
    "interval_required": _l("Give the interval in days (from %(min)d to %(max)d).", min=INTERVAL_RANGE[0],
                            max=INTERVAL_RANGE[1]),
    "response_days_range": _l("The days to answer must be from %(min)d to %(max)d.", min=RESPONSE_RANGE[0],
                              max=RESPONSE_RANGE[1]),
    "not_draft": _l("Only a draft campaign can be changed or launched."),
    "not_open": _l("Only an open campaign can be closed."),
    "closed_already": _l("The closing date has passed: change it before launching."),
}


class CampaignError(DomainError):
    """A campaign refused: each problem names the ``CampaignData`` field it is about."""

    MESSAGES = MESSAGES


@dataclass
class CampaignData:
    """What a form gives (already typed where the form can; the rest is checked here)."""

    title: str = ""
    template_id: int | None = None
    roles: list[str] = field(default_factory=list)
    target_org_id: int | None = None
    form_code: str | None = None
    programme_id: int | None = None
    pair_status: str = "any"
    trigger: str = "manual"
    interval_days: int | None = None
    opens_on: date | None = None
    closes_on: date | None = None
    reminder_days: str | list | None = ""
    response_days: int | None = 14


# -- validation ----------------------------------------------------------------------------------

def parse_reminder_days(raw) -> list[int]:
    """"3, 7" (or a list) → sorted distinct ints 1–60, at most five; CampaignError otherwise."""
    if raw is None or raw == "":
        return []
    parts = raw if isinstance(raw, (list, tuple)) else [p for p in str(raw).replace(";", ",").split(",")]
    days = set()
    for part in parts:
        text = str(part).strip()
        if not text:
            continue
        try:
            days.add(int(text))
        except ValueError:
            raise CampaignError("reminders_invalid", field="reminder_days") from None
    if any(not REMINDER_RANGE[0] <= d <= REMINDER_RANGE[1] for d in days):
        raise CampaignError("reminders_range", field="reminder_days")
    if len(days) > MAX_REMINDERS:
        raise CampaignError("reminders_many", field="reminder_days")
    return sorted(days)


def usable_templates_statement(owner: Organization) -> sa.Select:
    """Current, active questionnaires of ``owner`` or of a level above it (through the scope)."""
    paths = _line_paths(owner.path)
    return (sa.select(SurveyTemplate)
            .where(SurveyTemplate.org_path.in_(paths), SurveyTemplate.is_current.is_(True),
                   SurveyTemplate.status == "active")
            .order_by(SurveyTemplate.title, SurveyTemplate.id))


def _line_paths(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def target_choices_statement(owner: Organization) -> sa.Select:
    """The municipal bodies and schools a campaign of ``owner`` may be narrowed to."""
    low, high = subtree_bounds(owner.path)
    return (sa.select(Organization)
            .where(Organization.path >= low, Organization.path < high, Organization.id != owner.id,
                   Organization.kind.in_(("municipality", "school")), Organization.is_active.is_(True))
            .order_by(Organization.path))


def validate(owner: Organization, data: CampaignData) -> dict:
    """The checked column values for a campaign of ``owner``; CampaignError with every problem.
    Loads through the current tenant scope (``owner``'s)."""
    problems: list[Problem] = []
    values: dict = {}
    title = (data.title or "").strip()
    if not title:
        problems.append(Problem("title_required", "title"))
    elif len(title) > TITLE_MAX:
        problems.append(Problem("title_long", "title"))
    values["title"] = title

    template = db.session.get(SurveyTemplate, data.template_id) if data.template_id else None
    if data.template_id is None:
        problems.append(Problem("template_required", "template_id"))
    elif template is None or template.org_path not in _line_paths(owner.path):
        problems.append(Problem("template_unknown", "template_id"))
        template = None
    elif template.status != "active":
        problems.append(Problem("template_archived", "template_id"))
    elif not template.is_current:
        problems.append(Problem("template_not_current", "template_id"))
    values["template_id"] = data.template_id

    roles = [r for r in AUDIENCES if r in set(data.roles or [])]
    if not roles or len(roles) != len(set(data.roles or [])):
        problems.append(Problem("roles_required", "roles"))
    elif template is not None:
        missing = [r for r in roles if r not in (template.audience or [])]
        if missing:
            problems.append(Problem("roles_not_in_template", "roles",
                                    {"roles": ", ".join(str(ROLE_LABELS[r]) for r in missing)}))
    values["roles"] = roles

    values["target_org_id"] = None
    if data.target_org_id and data.target_org_id != owner.id:
        target = db.session.get(Organization, data.target_org_id)
        if target is None or not target.path.startswith(owner.path) or target.id == owner.id:
            problems.append(Problem("target_unknown", "target_org_id"))
        elif target.kind not in ("municipality", "school") or owner.kind == "school":
            problems.append(Problem("target_kind", "target_org_id"))
        else:
            values["target_org_id"] = target.id

    form_code = (data.form_code or "").strip() or None
    if form_code and form_code not in {f.code for f in region_forms(owner.path, include_retired=True)}:
        problems.append(Problem("form_unknown", "form_code"))
    values["form_code"] = form_code

    values["programme_id"] = None
    if data.programme_id:
        if owner.kind != "school":
            problems.append(Problem("programme_school_only", "programme_id"))
        else:
            programme = db.session.get(Programme, data.programme_id)
            if programme is None or programme.org_id != owner.id:
                problems.append(Problem("programme_unknown", "programme_id"))
            else:
                values["programme_id"] = programme.id

    if data.pair_status not in PAIR_STATUS_FILTERS:
        problems.append(Problem("pair_status_unknown", "pair_status"))
    values["pair_status"] = data.pair_status or "any"

    if data.trigger not in TRIGGERS:
        problems.append(Problem("trigger_unknown", "trigger"))
    values["trigger"] = data.trigger

    values["interval_days"] = None
    if data.trigger == "pair_interval":
        if data.interval_days is None or not INTERVAL_RANGE[0] <= data.interval_days <= INTERVAL_RANGE[1]:
            problems.append(Problem("interval_required", "interval_days"))
        else:
            values["interval_days"] = data.interval_days

    if data.opens_on is None:
        problems.append(Problem("opens_on_required", "opens_on"))
    if data.trigger == "manual" and data.closes_on is None:
        problems.append(Problem("closes_on_required", "closes_on"))
    if data.opens_on and data.closes_on and data.closes_on < data.opens_on:
        problems.append(Problem("dates_order", "closes_on"))
    values["opens_on"], values["closes_on"] = data.opens_on, data.closes_on

    try:
        values["reminder_days"] = parse_reminder_days(data.reminder_days)
    except CampaignError as exc:
        problems += exc.problems

    if data.response_days is None or not RESPONSE_RANGE[0] <= data.response_days <= RESPONSE_RANGE[1]:
        problems.append(Problem("response_days_range", "response_days"))
    values["response_days"] = data.response_days

    if problems:
        raise CampaignError(problems)
    return values


# -- services ------------------------------------------------------------------------------------

def create_campaign(owner: Organization, data: CampaignData, user=None) -> SurveyCampaign:
    """A new draft campaign of ``owner`` (validated; audited). The caller commits."""
    values = validate(owner, data)
    campaign = SurveyCampaign(org_id=owner.id, status="draft", created_by_id=getattr(user, "id", None), **values)
    db.session.add(campaign)
    db.session.flush()
    audit.record("survey_campaign.created", org=owner, obj=campaign, user=user,
                 details={"trigger": campaign.trigger, "roles": campaign.roles})
    return campaign


def update_campaign(campaign: SurveyCampaign, owner: Organization, data: CampaignData, user=None) -> SurveyCampaign:
    """Change a draft campaign (validated). The caller commits."""
    if campaign.status != "draft":
        raise CampaignError("not_draft")
    values = validate(owner, data)
    for key, value in values.items():
        setattr(campaign, key, value)
    db.session.flush()
    audit.record("survey_campaign.updated", org=owner, obj=campaign, user=user)
    return campaign


def dispatch_task():
    """The dispatch task, by name (tasks/surveys.py registers it): creates the invitations and
    sends them."""
    from celery import current_app as celery_app

    return celery_app.signature(DISPATCH_TASK)


def launch_campaign(campaign: SurveyCampaign, owner: Organization, user=None,
                    today: date | None = None) -> SurveyCampaign:
    """draft → open; the dispatch task is queued to run after the commit. The questionnaire is
    checked again (it may have been archived since the draft was saved), and a draft whose
    closing date has passed is refused (its links would be dead on arrival). The caller commits."""
    if campaign.status != "draft":
        raise CampaignError("not_draft")
    if campaign.closes_on is not None and campaign.closes_on < (today or region_today()):
        raise CampaignError("closed_already", field="closes_on")
    template = campaign.template
    if template is None or template.status != "active":
        raise CampaignError("template_archived", field="template_id")
    campaign.status, campaign.launched_at = "open", utcnow()
    campaign.dispatch_state, campaign.dispatch_done, campaign.dispatch_total = "idle", 0, 0
    campaign.dispatch_error = None
    db.session.flush()
    audit.record("survey_campaign.launched", org=owner, obj=campaign, user=user,
                 details={"opens_on": campaign.opens_on.isoformat()})
    enqueue_on_commit(db.session(), dispatch_task(), campaign.id)
    return campaign


def close_campaign(campaign: SurveyCampaign, owner: Organization, user=None) -> int:
    """open → closed; every invitation of the campaign not answered yet expires (in whichever
    school it is). Returns the number expired. The caller commits."""
    if campaign.status != "open":
        raise CampaignError("not_open")
    campaign.status, campaign.closed_at = "closed", utcnow()
    db.session.flush()
    with unscoped("surveys.close_campaign"):
        result = db.session.execute(
            sa.update(SurveyInvitation)
            .where(SurveyInvitation.campaign_id == campaign.id,
                   SurveyInvitation.status.in_(OPEN_INVITATION_STATUSES))
            .values(status="expired")
            .execution_options(synchronize_session=False)
        )
    expired = result.rowcount or 0
    audit.record("survey_campaign.closed", org=owner, obj=campaign, user=user, details={"expired": expired})
    return expired


# -- reading -------------------------------------------------------------------------------------

def campaign_counts(campaign_id: int) -> dict[str, int]:
    """{status: invitations} of the campaign within the CURRENT organisation's subtree (counts
    only, no names: the invitations themselves stay at their schools)."""
    low, high = subtree_bounds(require_tenant_scope().path)
    with unscoped("surveys.campaign_counts"):
        rows = db.session.execute(
            sa.select(SurveyInvitation.status, sa.func.count(SurveyInvitation.id))
            .where(SurveyInvitation.campaign_id == campaign_id,
                   SurveyInvitation.org_path >= low, SurveyInvitation.org_path < high)
            .group_by(SurveyInvitation.status)
        ).all()
    return {status: count for status, count in rows}


def record_invitations_viewed(campaign: SurveyCampaign, org: Organization, *, page: int, shown: int,
                              user=None) -> None:
    """Audit that a page of the school's invitations of ``campaign`` was shown (the names are
    personal data). The caller commits."""
    audit.record("survey_campaign.invitations_viewed", org=org, obj=campaign, user=user,
                 details={"page": page, "shown": shown})


def org_names(org_ids) -> dict[int, str]:
    """Names of organisations (owners of campaigns seen along the line, the levels above
    included: an organisation's name is not personal data)."""
    ids = sorted({i for i in org_ids if i})
    if not ids:
        return {}
    with unscoped("surveys.org_names"):
        rows = db.session.execute(
            sa.select(Organization.id, sa.func.coalesce(Organization.short_name, Organization.name))
            .where(Organization.id.in_(ids))
        ).all()
    return dict(rows)


def describe_audience(campaign: SurveyCampaign) -> list[tuple[str, str]]:
    """The audience in words: (label, value) pairs for the campaign page."""
    owner_path = None
    names = org_names([campaign.org_id, campaign.target_org_id])
    with unscoped("surveys.describe_audience"):
        owner_path = db.session.scalar(sa.select(Organization.path).where(Organization.id == campaign.org_id))
        programme = (db.session.scalar(sa.select(Programme.title).where(Programme.id == campaign.programme_id))
                     if campaign.programme_id else None)
        forms = {f.code: f.name for f in region_forms(owner_path, include_retired=True)} if owner_path else {}
    items = [(str(_l("Who")), ", ".join(str(ROLE_LABELS.get(r, r)) for r in campaign.roles or []))]
    if campaign.target_org_id:
        items.append((str(_l("Where")), names.get(campaign.target_org_id, "—")))
    else:
        items.append((str(_l("Where")), str(_l("All of %(org)s", org=names.get(campaign.org_id, "—")))))
    items.append((str(_l("Form of mentorship")),
                  forms.get(campaign.form_code, campaign.form_code) if campaign.form_code else str(_l("Any form"))))
    if campaign.programme_id:
        items.append((str(_l("Programme")), programme or "—"))
    items.append((str(_l("Pairs")), str(PAIR_STATUS_LABELS.get(campaign.pair_status, campaign.pair_status))))
    trigger = str(TRIGGER_LABELS.get(campaign.trigger, campaign.trigger))
    if campaign.trigger == "pair_interval" and campaign.interval_days:
        trigger += " " + str(_l("(every %(n)d days)", n=campaign.interval_days))
    items.append((str(_l("When")), trigger))
    return items


def is_automatic(campaign: SurveyCampaign) -> bool:
    return campaign.trigger in PAIR_TRIGGERS or campaign.trigger == "monitoring"
