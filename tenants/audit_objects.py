"""What an audit event is about, as a person reads it: «Дорожная карта «…»», not «Roadmap 6».

An event keeps the object's class name and id (``AuditEvent.object_type``, ``object_id``). The
audit log shows the kind of object in words (``OBJECT_LABELS``, one per model) and, where it
is cheap and harmless, its title or name: one query per kind of object on the page, through
the reader's tenant scope (an object the reader may not see, or one deleted since, shows its
kind only). People's names are never shown here: a person is «Участник», whoever reads.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import load_only

from core.extensions import db
from tenants.models import AuditEvent

# Each model's kind in words, by class name (the models of every area: tenants never import
# them, the name is all an event keeps). tests/unit/tenants/test_audit_objects.py checks that
# every mapped model has one.
OBJECT_LABELS = {
    # tenants
    "AuditEvent": _l("Audit event"),
    "Invitation": _l("Invitation"),
    "Membership": _l("Membership"),
    "Notification": _l("Notification"),
    "Organization": _l("Organisation"),
    "User": _l("User"),
    # region
    "MentorshipForm": _l("Form of mentorship"),
    "RegionSettings": _l("Region's settings"),
    "Announcement": _l("Announcement"),
    "AnnouncementAttachment": _l("File of an announcement"),
    "AnnouncementReceipt": _l("Read receipt of an announcement"),
    # roadmaps
    "ActivityComment": _l("Comment on an activity"),
    "ActivityEvidence": _l("Evidence of an activity"),
    "PublishedTemplate": _l("Model roadmap of the region"),
    "Roadmap": _l("Roadmap"),
    "RoadmapActivity": _l("Roadmap activity"),
    "RoadmapReminder": _l("Roadmap reminder"),
    "RoadmapStage": _l("Roadmap stage"),
    "RoadmapTransition": _l("Roadmap step"),
    "StageEvidence": _l("Evidence of a stage"),
    # people
    "Consent": _l("Consent to personal data processing"),
    "DestructionRecord": _l("Record of data destruction"),
    "Enterprise": _l("Partner enterprise"),
    "ImportBatch": _l("Import file"),
    "MenteeProfile": _l("Mentee's profile"),
    "MenteeRequest": _l("Mentee's request"),
    "MentorProfile": _l("Mentor's profile"),
    "Participant": _l("Participant"),
    "PublicationConsent": _l("Consent to publication"),
    # pairing
    "CompletionReview": _l("Completion review"),
    "FeedbackEntry": _l("Feedback"),
    "IndividualPlan": _l("Individual plan"),
    "MatchProposal": _l("Matching proposal"),
    "MatchingRun": _l("Matching run"),
    "Meeting": _l("Meeting"),
    "MeetingGapReminder": _l("Meeting reminder"),
    "Mentorship": _l("Pair or group"),
    "MentorshipEvent": _l("Event of a pair"),
    "MentorshipMentee": _l("Mentee of a group"),
    "Order": _l("Order"),
    "OrderItem": _l("Item of an order"),
    "PlanTask": _l("Task of a plan"),
    "Preference": _l("Preference"),
    "Programme": _l("Programme"),
    "Incentive": _l("Incentive"),
    # surveys
    "SurveyAnswer": _l("Survey answer"),
    "SurveyCampaign": _l("Survey campaign"),
    "SurveyInvitation": _l("Survey invitation"),
    "SurveyQuestion": _l("Survey question"),
    "SurveyResponse": _l("Survey response"),
    "SurveyTemplate": _l("Questionnaire"),
    # monitoring
    "ContingentRecord": _l("Contingent figures"),
    "Indicator": _l("Indicator"),
    "MetricSnapshot": _l("Monitoring figure"),
    "MonitoringPeriod": _l("Monitoring period"),
    "RegionFigure": _l("Region's reference figure"),
    "Target": _l("Target"),
    # reports
    "AnalyticalReport": _l("Analytical report"),
    "Report": _l("Report"),
    "ReportAttachment": _l("Report attachment"),
    "ReportReminder": _l("Report reminder"),
    "ReportTransition": _l("Report step"),
    # experts, library
    "Expert": _l("Expert"),
    "ExpertRequest": _l("Request for an expert"),
    "LibraryItem": _l("Library item"),
    "LibraryVersion": _l("Version of a library item"),
    # training, registry
    "Attendance": _l("Attendance"),
    "CertificateFile": _l("Certificate"),
    "Course": _l("Training course"),
    "CourseProgramme": _l("Course programme"),
    "CourseSession": _l("Course session"),
    "Enrolment": _l("Enrolment"),
    "TrainingCompletion": _l("Training completion"),
    "RegistryEntry": _l("Registry entry"),
    # recognition
    "Award": _l("Award"),
    "AwardOrder": _l("Award order"),
    "HonourCard": _l("Card on the board of honour"),
    "Contest": _l("Contest"),
    "ContestCriterion": _l("Contest criterion"),
    "ContestJuror": _l("Contest juror"),
    "ContestNomination": _l("Contest nomination"),
    "ContestNominee": _l("Contest nominee"),
    "ContestNomineeFile": _l("Nominee's file"),
    "ContestResultEntry": _l("Contest result"),
    "ContestRules": _l("Contest rules"),
    "ContestScore": _l("Contest score"),
    "PortfolioFile": _l("Portfolio file"),
    "PortfolioItem": _l("Portfolio entry"),
    # public pages
    "BestPractice": _l("Best practice"),
    "NewsItem": _l("News item"),
    "PublicDocument": _l("Public document"),
    "PublicDocumentPerson": _l("Person of a public document"),
    "PublicPage": _l("Public page"),
}

# Columns that name a thing (never a person): the first one a model has is shown.
TITLE_COLUMNS = ("title", "name")


def _model_of(class_name: str):
    for mapper in db.Model.registry.mappers:
        if mapper.class_.__name__ == class_name:
            return mapper.class_
    return None


def _title_column(model):
    columns = sa.inspect(model).columns
    for name in TITLE_COLUMNS:
        if name in columns:
            return getattr(model, name)
    return None


def _titles(class_name: str, ids: set[str]) -> dict[str, str]:
    """Titles of the objects of one kind the reader may see (one query)."""
    model = _model_of(class_name)
    column = _title_column(model) if model is not None else None
    numbers = {int(i) for i in ids if i.isdigit()}
    if column is None or not numbers:
        return {}
    rows = db.session.scalars(sa.select(model).options(load_only(column)).where(model.id.in_(numbers)))
    return {str(row.id): getattr(row, column.key) for row in rows if getattr(row, column.key)}


def object_kind(class_name: str | None) -> str:
    """The kind of object in words; «Record» for a class without a label."""
    if not class_name:
        return ""
    label = OBJECT_LABELS.get(class_name)
    return str(label) if label is not None else _("Record")


def describe_objects(events: Iterable[AuditEvent]) -> dict[int, str]:
    """``{event id: «Дорожная карта «…»»}`` for the events that name an object."""
    events = [e for e in events if e.object_type]
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_id:
            wanted[event.object_type].add(event.object_id)
    titles = {kind: _titles(kind, ids) for kind, ids in wanted.items()}
    described = {}
    for event in events:
        kind = object_kind(event.object_type)
        title = titles.get(event.object_type, {}).get(event.object_id or "")
        described[event.id] = _("%(kind)s «%(title)s»", kind=kind, title=title) if title else kind
    return described


def actions_matching(term: str, labels: dict) -> list[str]:
    """The action codes whose label, in the reader's language, contains ``term``."""
    needle = term.casefold()
    return [code for code, label in labels.items() if needle in str(label).casefold()]
