"""The programme in brief: how many pairs and groups are active, in which forms, with how many
mentors and mentees — counts only, never a name. A school's counts are read from its own pairs
(under its tenant scope) and copied onto its public page when it is published and every night
after (tasks/public.py); a body's and the region's page add up their schools' published counts
when they are read (mentorship/public/reading.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from core.extensions import db
from mentorship.pairing.models import Mentorship, MentorshipMentee
from mentorship.public.models import PublicPage
from mentorship.region.forms import region_forms
from tenants.context import unscoped
from tenants.models import Organization
from tenants.roles import OrgKind


@dataclass(frozen=True)
class ProgrammeCounts:
    pairs: int = 0
    mentors: int = 0
    mentees: int = 0
    forms: list[dict] = field(default_factory=list)  # [{"code", "name", "pairs"}], catalogue order


def school_counts(org: Organization) -> ProgrammeCounts:
    """The school's active pairs and groups by form, its mentors and mentees in them (three
    queries; the current tenant is the school)."""
    active = sa.and_(Mentorship.org_id == org.id, Mentorship.status == "active")
    by_form = dict(db.session.execute(
        sa.select(Mentorship.form_code, sa.func.count(Mentorship.id)).where(active).group_by(Mentorship.form_code)
    ).all())
    mentors = db.session.scalar(sa.select(sa.func.count(sa.distinct(Mentorship.mentor_id))).where(active)) or 0
    mentees = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(MentorshipMentee.participant_id)))
        .join(Mentorship, Mentorship.id == MentorshipMentee.mentorship_id).where(active)
    ) or 0
    names = {spec.code: spec.name for spec in region_forms(org.path, include_retired=True)}
    forms = [{"code": code, "name": names[code], "pairs": by_form[code]} for code in names if by_form.get(code)]
    forms += [{"code": code, "name": code, "pairs": n} for code, n in sorted(by_form.items()) if code not in names]
    return ProgrammeCounts(pairs=sum(by_form.values()), mentors=mentors, mentees=mentees, forms=forms)


def snapshot_counts(page: PublicPage, org: Organization, today: date) -> bool:
    """Copy the school's current counts onto its page; True if they changed (the page's version
    then goes up). A body's or the ministry's page keeps none of its own."""
    if org.kind != OrgKind.SCHOOL.value:
        return False
    counts = school_counts(org)
    changed = (page.pairs_count, page.mentors_count, page.mentees_count, page.forms or []) != (
        counts.pairs, counts.mentors, counts.mentees, counts.forms)
    page.pairs_count, page.mentors_count, page.mentees_count = counts.pairs, counts.mentors, counts.mentees
    page.forms = counts.forms
    page.counts_on = today
    if changed:
        page.version = (page.version or 1) + 1
    return changed


def published_school_pages() -> list[tuple[int, str]]:
    """(org id, path) of every school whose page is published (the nightly refresh's list)."""
    with unscoped("public.refresh_counts"):
        return [(row.org_id, row.org_path) for row in db.session.execute(
            sa.select(PublicPage.org_id, PublicPage.org_path)
            .join(Organization, Organization.id == PublicPage.org_id)
            .where(PublicPage.is_public.is_(True), Organization.kind == OrgKind.SCHOOL.value,
                   Organization.is_active.is_(True))
            .order_by(PublicPage.org_id)
        )]


def refresh_counts(org_id: int, today: date) -> bool:
    """Re-snapshot the counts of the school's published page (the current tenant is the school);
    True if they changed."""
    page = db.session.scalar(sa.select(PublicPage).where(PublicPage.org_id == org_id, PublicPage.is_public.is_(True)))
    org = db.session.get(Organization, org_id)
    if page is None or org is None:
        return False
    return snapshot_counts(page, org, today)
