"""Printed invitation sheets with a short code and a QR code, for people without e-mail (pupils
whose legal representative has no address either).

The curator prints one sheet per recipient and hands it over; the person types the code on the
public page (/s/) or scans the QR code of the direct link. A code is given the first time a
sheet is printed and then kept, so reprinting gives the same sheets. The recipient's name is
printed (the curator needs it to hand the sheet over): the sheets are the school's alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.links import external_url
from mentorship.surveys.links import answer_url, format_code, new_short_code, normalise_code, qr_svg
from mentorship.surveys.models import OPEN_INVITATION_STATUSES, SurveyCampaign, SurveyInvitation
from tenants import audit
from tenants.context import unscoped
from tenants.models import Organization

CODE_ATTEMPTS = 8


@dataclass(frozen=True)
class Sheet:
    campaign_title: str
    school: str
    role: str
    recipient: str
    code: str  # formatted for print: "ABCDE-FGHJK"
    code_url: str  # the public page where the code is typed
    qr_svg: str  # an SVG of the direct answer link (markup generated here, no user text)
    expires_on: date


def _code_taken(code: str) -> bool:
    # Codes are unique across the whole service: the check must see every school's codes.
    with unscoped("surveys.short_code_unique"):
        return db.session.scalar(
            sa.select(SurveyInvitation.id).where(SurveyInvitation.short_code == code)
        ) is not None


def _fresh_code(taken: set[str]) -> str:
    for _attempt in range(CODE_ATTEMPTS):
        code = new_short_code()
        if code not in taken and not _code_taken(code):
            taken.add(code)
            return code
    raise RuntimeError("could not find a free short code")  # ~48 bits: practically unreachable


def code_page_url() -> str:
    return external_url("survey_public.code")


def paper_invitations(campaign_id: int, org: Organization, today: date) -> list[SurveyInvitation]:
    """The school's paper invitations of the campaign that can still be answered."""
    return list(db.session.scalars(
        sa.select(SurveyInvitation)
        .where(SurveyInvitation.campaign_id == campaign_id, SurveyInvitation.org_id == org.id,
               SurveyInvitation.channel == "paper", SurveyInvitation.status.in_(OPEN_INVITATION_STATUSES),
               SurveyInvitation.expires_on >= today)
        .options(selectinload(SurveyInvitation.participant), selectinload(SurveyInvitation.user))
        .order_by(SurveyInvitation.id)
    ))


def _recipient_name(invitation: SurveyInvitation) -> str:
    if invitation.participant is not None:
        return invitation.participant.full_name
    if invitation.user is not None:
        return invitation.user.full_name
    return ""


def sheets_for(campaign_id: int, org: Organization, today: date | None = None) -> list[Sheet]:
    """One sheet per open paper invitation of ``campaign_id`` at school ``org`` (the current
    tenant), giving a short code to those that have none yet (the caller commits)."""
    if today is None:
        from core.clock import region_today

        today = region_today()
    campaign = db.session.get(SurveyCampaign, campaign_id)
    if campaign is None:
        return []
    invitations = paper_invitations(campaign_id, org, today)
    taken: set[str] = set()
    for invitation in invitations:
        if not invitation.short_code:
            # Conditional: of two curators printing at once, the first code given stays (a
            # printed code is never replaced); the other re-reads it.
            db.session.execute(
                sa.update(SurveyInvitation)
                .where(SurveyInvitation.id == invitation.id, SurveyInvitation.short_code.is_(None))
                .values(short_code=_fresh_code(taken))
                .execution_options(synchronize_session=False)
            )
            db.session.refresh(invitation, ["short_code"])
    code_url = code_page_url()
    return [
        Sheet(campaign_title=campaign.title, school=org.name, role=invitation.role,
              recipient=_recipient_name(invitation), code=format_code(invitation.short_code), code_url=code_url,
              qr_svg=qr_svg(answer_url(invitation.id)), expires_on=invitation.expires_on)
        for invitation in invitations
    ]


def print_sheets(campaign: SurveyCampaign, org: Organization, today: date | None = None,
                 user=None) -> list[Sheet]:
    """The sheets of ``campaign`` at school ``org`` to print (``sheets_for``), audited: they
    carry the recipients' names. The caller commits."""
    sheets = sheets_for(campaign.id, org, today)
    audit.record("survey.sheets_printed", org=org, obj=campaign, user=user, details={"sheets": len(sheets)})
    return sheets


def find_by_code(typed: str) -> int | None:
    """The invitation id a typed short code belongs to, or None (any case, spaces, dashes)."""
    code = normalise_code(typed)
    if not code:
        return None
    # The public code page has no tenant: one narrow, named look-up of the code alone.
    with unscoped("surveys.short_code_lookup"):
        return db.session.scalar(sa.select(SurveyInvitation.id).where(SurveyInvitation.short_code == code))
