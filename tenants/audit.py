"""The audit log: who, when, what, from where."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload

from core.extensions import db
from tenants.models import AuditEvent, Organization
from tenants.scoping import subtree_bounds

ACTION_LABELS = {
    "login.success": _l("Signed in"),
    "login.failed": _l("Failed sign-in"),
    "logout": _l("Signed out"),
    "password.reset_requested": _l("Asked for a password reset"),
    "password.reset": _l("Reset the password"),
    "invitation.created": _l("Invited a user"),
    "invitation.revoked": _l("Revoked an invitation"),
    "membership.created": _l("Joined the organisation"),
    "membership.enabled": _l("Enabled a member"),
    "membership.disabled": _l("Disabled a member"),
    "membership.role_changed": _l("Changed a member's role"),
    "organization.created": _l("Created an organisation"),
    "region.created": _l("Created a region"),
    "region.settings_changed": _l("Changed the region's settings"),
    "announcement.sent": _l("Sent an announcement"),
    "announcement.attachment_viewed": _l("Downloaded the file of an announcement"),
    "roadmap.submit": _l("Submitted a roadmap"),
    "roadmap.return": _l("Returned a roadmap"),
    "roadmap.approve": _l("Approved a roadmap"),
    "roadmap.activity_done": _l("Marked an activity done"),
    "roadmap.activity_reopened": _l("Reopened an activity"),
    "roadmap.evidence_viewed": _l("Opened evidence"),
    "roadmap.exported": _l("Exported a roadmap"),
    "roadmap.published": _l("Published the region's model roadmap"),
    "roadmap.deleted": _l("Deleted a draft roadmap"),
    "roadmap.evidence_removed": _l("Removed an evidence file"),
    "roadmap.bulk_reminder": _l("Reminded schools about roadmaps"),
    "roadmap.stage_done": _l("Marked a roadmap stage done"),
    "roadmap.stage_reopened": _l("Reopened a roadmap stage"),
    "roadmap.deadline_confirmed": _l("Confirmed a roadmap deadline taken over"),
    "participant.created": _l("Added a participant"),
    "participant.updated": _l("Changed a participant's data"),
    "participant.viewed": _l("Opened a participant's card"),
    "participant.erased": _l("Erased a participant's personal data"),
    "consent.added": _l("Recorded a consent"),
    "consent.withdrawn": _l("Recorded a consent withdrawal"),
    "consent.scan_viewed": _l("Opened a consent scan"),
    "consent.date_corrected": _l("Recorded the real date of a paper consent"),
    "publication_consent.given": _l("Recorded a consent to publication"),
    "publication_consent.withdrawn": _l("Recorded a withdrawal of the consent to publication"),
    "bank.exported": _l("Exported a bank"),
    "bank.mentor_added": _l("Added to the mentor bank"),
    "bank.mentor_removed": _l("Removed from the mentor bank"),
    "bank.mentee_added": _l("Added to the mentee bank"),
    "bank.mentee_removed": _l("Removed from the mentee bank"),
    "bank.request_added": _l("Added a mentee's request"),
    "bank.request_closed": _l("Closed a mentee's request"),
    "bank.follow_up_changed": _l("Changed a mentee's follow-up"),
    "import.uploaded": _l("Uploaded an import file"),
    "import.completed": _l("Imported participants"),
    "programme.created": _l("Created a programme"),
    "programme.updated": _l("Changed a programme"),
    "matching.run": _l("Ran matching"),
    "matching.published": _l("Published matched pairs"),
    "matching.discarded": _l("Discarded a matching run"),
    "matching.proposal_edited": _l("Changed a matching proposal"),
    "matching.preferences_recorded": _l("Recorded preferences"),
    "matching.preference_deleted": _l("Deleted a preference"),
    "pair.created": _l("Created a pair or group"),
    "pair.viewed": _l("Opened a pair's card"),
    "pair.mentee_added": _l("Added a mentee to a group"),
    "pair.mentee_removed": _l("Removed a mentee from a group"),
    "pair.completed": _l("Completed a mentorship"),
    "pair.ended_early": _l("Ended a mentorship early"),
    "pair.corrected": _l("Corrected a pair entered wrongly"),
    "pair.voided": _l("Voided a pair entered by mistake"),
    "order.created": _l("Created an order"),
    "order.viewed": _l("Opened an order"),
    "order.downloaded": _l("Downloaded an order"),
    "contingent.recorded": _l("Recorded contingent figures"),
    "report.submit": _l("Submitted a report"),
    "report.accept": _l("Accepted a report"),
    "report.return": _l("Returned a report"),
    "report.attachment_viewed": _l("Opened a report's attachment"),
    "analytical.requested": _l("Requested an analytical report"),
    "analytical.downloaded": _l("Downloaded an analytical report"),
    "dashboard.exported": _l("Exported a dashboard"),
    "monitoring.unfrozen": _l("Unfroze a monitoring period"),
    "monitoring.rerun": _l("Re-ran a monitoring period"),
    "survey.results_exported": _l("Exported survey results"),
    "survey_campaign.created": _l("Created a survey campaign"),
    "survey_campaign.updated": _l("Changed a survey campaign"),
    "survey_campaign.launched": _l("Launched a survey campaign"),
    "survey_campaign.closed": _l("Closed a survey campaign"),
    "survey_campaign.invitations_viewed": _l("Opened the list of survey invitations"),
    "survey.sheets_printed": _l("Printed survey invitation sheets"),
    "survey_template.created": _l("Created a questionnaire"),
    "survey_template.revised": _l("Changed a questionnaire"),
    "survey_template.archived": _l("Archived a questionnaire"),
    "survey_template.restored": _l("Restored a questionnaire"),
    "survey_template.copied": _l("Copied a questionnaire"),
    # the expert bank and requests for an expert's help
    "expert.created": _l("Added an expert to the bank"),
    "expert.updated": _l("Changed an expert's data"),
    "expert.display_consent_given": _l("Recorded an expert's consent to be shown"),
    "expert.display_consent_withdrawn": _l("Recorded the withdrawal of an expert's consent to be shown"),
    "expert.archived": _l("Took an expert out of the bank"),
    "expert.restored": _l("Brought an expert back to the bank"),
    "expert.erased": _l("Erased an expert's personal data"),
    "expert.invited": _l("Invited an expert to sign in"),
    "expert.account_linked": _l("Linked an expert's account"),
    "expert_request.created": _l("Asked for an expert's help"),
    "expert_request.accepted": _l("Accepted a request for an expert's help"),
    "expert_request.declined": _l("Declined a request for an expert's help"),
    "expert_request.closed": _l("Closed a request for an expert's help"),
    "expert_request.withdrawn": _l("Withdrew a request for an expert's help"),
    # the methodological library
    "library.created": _l("Added a material to the library"),
    "library.updated": _l("Changed a library material"),
    "library.version_added": _l("Uploaded a new version of a library material"),
    "library.published": _l("Published a library material"),
    "library.archived": _l("Withdrew a library material"),
    "library.deleted": _l("Deleted a draft library material"),
    "library.submitted": _l("Submitted a best practice for review"),
    "library.approved": _l("Approved a best practice"),
    "library.returned": _l("Returned a best practice for revision"),
    "library.public_changed": _l("Changed whether a library material is on the public pages"),
    # recognition: contests
    "contest.created": _l("Created a contest"),
    "contest.updated": _l("Changed a draft contest"),
    "contest.announced": _l("Announced a contest"),
    "contest.judging_started": _l("Started the judging of a contest"),
    "contest.nominated": _l("Nominated a mentor for a contest"),
    "contest.nomination_withdrawn": _l("Withdrew a contest entry"),
    "contest.entry_file_viewed": _l("Opened a contest entry's file"),
    "contest.juror_appointed": _l("Appointed a juror"),
    "contest.juror_removed": _l("Removed a juror"),
    "contest.scores_saved": _l("Saved contest scores"),
    "contest.judging_closed": _l("Closed the judging of a contest"),
    "contest.judging_reopened": _l("Reopened the judging of a contest"),
    "contest.published": _l("Published the results of a contest"),
    "contest.results_unpublished": _l("Unpublished a mentor's contest results"),
    "training.course_created": _l("Created a course or event"),
    "training.course_updated": _l("Changed a course or event"),
    "training.session_added": _l("Added a session to a course"),
    "training.session_removed": _l("Removed a session of a course"),
    "training.enrolled": _l("Enrolled a person in a course"),
    "training.enrolment_cancelled": _l("Cancelled an enrolment in a course"),
    "training.attendance_recorded": _l("Recorded attendance of a session"),
    "training.completed": _l("Marked a training completed"),
    "training.external_recorded": _l("Recorded a training taken elsewhere"),
    "training.certificate_opened": _l("Opened a training certificate"),
    "registry.exported": _l("Exported the registry of mentors"),
    # recognition: awards, award orders, portfolios, the board of honour
    "award.recorded": _l("Recorded an award"),
    "award.changed": _l("Changed an award"),
    "award.deleted": _l("Deleted an award"),
    "award.published": _l("Published an award"),
    "award.unpublished": _l("Unpublished an award"),
    "award_order.created": _l("Created an award order"),
    "award_order.viewed": _l("Opened an award order"),
    "award_order.downloaded": _l("Downloaded an award order"),
    "portfolio.item_added": _l("Added a portfolio entry"),
    "portfolio.item_changed": _l("Changed a portfolio entry"),
    "portfolio.item_deleted": _l("Deleted a portfolio entry"),
    "portfolio.item_published": _l("Published a portfolio entry"),
    "portfolio.item_unpublished": _l("Unpublished a portfolio entry"),
    "honour_card.created": _l("Created a card on the board of honour"),
    "honour_card.changed": _l("Changed a card on the board of honour"),
    "honour_card.deleted": _l("Deleted a card on the board of honour"),
    "honour_card.published": _l("Published a card on the board of honour"),
    "honour_card.unpublished": _l("Unpublished a card on the board of honour"),
    "enterprise.publication_agreed": _l("Recorded a partner's agreement to be named publicly"),
    "enterprise.publication_withdrawn": _l("Recorded the withdrawal of a partner's agreement to be named publicly"),
    # the public pages (mentorship/public)
    "public.page_saved": _l("Changed the public page"),
    "public.page_published": _l("Published the public page"),
    "public.page_unpublished": _l("Took the public page down"),
    "public.news_created": _l("Wrote a news item"),
    "public.news_saved": _l("Changed a news item"),
    "public.news_published": _l("Published a news item"),
    "public.news_unpublished": _l("Took a news item down"),
    "public.news_deleted": _l("Deleted a news item"),
    "public.document_added": _l("Added a document for publication"),
    "public.document_saved": _l("Changed a published document's title"),
    "public.document_published": _l("Published a document"),
    "public.document_unpublished": _l("Took a document down"),
    "public.document_deleted": _l("Deleted a document for publication"),
    "public.documents_withdrawn": _l("Took documents down after a consent was withdrawn"),
    "public.practice_created": _l("Wrote a best practice"),
    "public.practice_saved": _l("Changed a best practice"),
    "public.practice_published": _l("Published a best practice"),
    "public.practice_unpublished": _l("Took a best practice down"),
    "public.practice_deleted": _l("Deleted a best practice"),
}


def record(
    action: str,
    *,
    org: Organization | None = None,
    obj: Any = None,
    user=None,
    details: dict | None = None,
) -> AuditEvent:
    """Add an audit event to the session; it commits with the change it describes."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    event = AuditEvent(
        action=action,
        user_id=getattr(user, "id", None),
        org_id=org.id if org is not None else None,
        org_path=org.path if org is not None else None,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(obj.id) if obj is not None and getattr(obj, "id", None) is not None else None,
        details=details or {},
    )
    if has_request_context():
        event.ip = request.remote_addr
        event.user_agent = (request.user_agent.string or "")[:300]
    db.session.add(event)
    return event


def events_for(org: Organization, *, search: str | None = None, actions: list[str] | None = None) -> sa.Select:
    """Events of ``org`` and its subtree, newest first (``org`` came through the scope);
    ``search`` matches the action's code, or one of ``actions`` (the codes whose label matches)."""
    low, high = subtree_bounds(org.path)
    stmt = (
        sa.select(AuditEvent)
        .where(AuditEvent.org_path >= low, AuditEvent.org_path < high)
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if search:
        matches = AuditEvent.action.ilike(f"%{search}%")
        stmt = stmt.where(sa.or_(matches, AuditEvent.action.in_(actions)) if actions else matches)
    return stmt
