"""The registry's entries: kept by the school (``refresh_entry``, on every ``mentor_changed``),
searched and filtered by the levels above (``registry_query``).

A mentor has an entry while they are in the school's mentor bank, their data are not erased
and their questionnaire records the consent to the municipal registry
(``MentorProfile.publish_consent``). The entry carries what the registry shows: the name,
category and position, subjects and competencies, the forms the mentor works in (chosen in
the questionnaire, or else every form for the mentor's category), the training (the status,
the latest completed course, its date and hours) and the awards.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from core.clock import region_today
from core.extensions import db
from core.search import contains
from mentorship.people.models import MentorProfile, Participant
from mentorship.people.rules import is_minor
from mentorship.recognition.awards import awards_of_participant
from mentorship.region.forms import CATEGORIES, region_forms
from mentorship.registry.models import RegistryEntry
from mentorship.training.completions import latest_by_participant
from tenants.models import Organization

TRAINED_CHOICES = ("yes", "no")


def eligible(participant: Participant) -> bool:
    """Whether the mentor belongs in the registry now (a minor never does: minors' data
    never leave the school)."""
    profile = participant.mentor_profile
    return (profile is not None and bool(profile.publish_consent) and participant.in_mentor_bank
            and participant.anonymised_at is None and not is_minor(participant.birth_date, region_today()))


def mentor_forms(participant: Participant, profile: MentorProfile) -> list[str]:
    forms = region_forms(participant.org_path)
    chosen = set(profile.preferred_forms or [])
    return [f.code for f in forms if (f.code in chosen if chosen else f.mentor_category == participant.category)]


def _awards(participant_id: int) -> list[dict]:
    return [{"kind": a.kind, "title": a.title, "on": a.awarded_on.isoformat(), "by": a.granted_by}
            for a in awards_of_participant(participant_id)]


def refresh_entry(participant: Participant) -> RegistryEntry | None:
    """Write (or remove) the mentor's entry from the school's records; acting as the school."""
    entry = db.session.scalar(sa.select(RegistryEntry).where(RegistryEntry.participant_id == participant.id))
    if not eligible(participant):
        if entry is not None:
            db.session.delete(entry)
            db.session.flush()
        return None
    profile = participant.mentor_profile
    latest = latest_by_participant([participant.id]).get(participant.id)
    awards = _awards(participant.id)
    if entry is None:
        entry = RegistryEntry(org_id=participant.org_id, participant_id=participant.id)
        db.session.add(entry)
    entry.full_name, entry.category = participant.full_name, participant.category
    entry.position, entry.subjects = participant.class_or_position, profile.subjects
    entry.competencies = list(profile.competencies or [])
    entry.forms = mentor_forms(participant, profile)
    entry.trained = profile.training_status == "completed" or latest is not None
    entry.training_title = latest.course_title if latest else None
    entry.trained_on = latest.completed_on if latest else None
    entry.training_hours = latest.hours if latest else None
    entry.awards = awards
    db.session.flush()
    return entry


def remove_entry(participant_id: int) -> bool:
    """Remove the person's entry at once; whether there was one."""
    entry = db.session.scalar(sa.select(RegistryEntry).where(RegistryEntry.participant_id == participant_id))
    if entry is None:
        return False
    db.session.delete(entry)
    db.session.flush()
    return True


def rebuild_school(org: Organization) -> int:
    """Refresh every entry of the school ``org`` (acting as it): after an import, for demo
    data, or to repair. The number of entries afterwards."""
    people = db.session.scalars(
        sa.select(Participant).outerjoin(RegistryEntry, RegistryEntry.participant_id == Participant.id)
        .where(Participant.org_id == org.id,
               sa.or_(Participant.in_mentor_bank.is_(True), RegistryEntry.id.is_not(None)))
        .order_by(Participant.id)
    ).all()
    return sum(1 for person in people if refresh_entry(person) is not None)


# ---------------------------------------------------------------------------- searching


@dataclass(frozen=True)
class RegistryFilters:
    q: str = ""
    body: int | None = None  # a municipal body (the ministry's view)
    school: int | None = None
    form: str = ""
    competency: str = ""
    category: str = ""
    trained: str = ""  # "", "yes", "no"

    def as_args(self) -> dict:
        return {k: v for k, v in (("q", self.q), ("body", self.body), ("school", self.school), ("form", self.form),
                                  ("competency", self.competency), ("category", self.category),
                                  ("trained", self.trained)) if v}


def _json_has(column, code: str):
    """A JSON list column holds ``code`` (codes are plain identifiers, checked by the caller)."""
    return sa.cast(column, sa.String).like(f'%"{code}"%')


def registry_query(f: RegistryFilters, form_codes: set[str], competency_codes: set[str]) -> sa.Select:
    """The entries the viewer's scope holds (its subtree), by school and name. ``form_codes``
    and ``competency_codes``: the codes a filter may name (anything else is ignored)."""
    school = aliased(Organization)
    stmt = sa.select(RegistryEntry).join(school, school.id == RegistryEntry.org_id)
    if f.q:
        stmt = stmt.where(sa.or_(contains(RegistryEntry.full_name, f.q), contains(RegistryEntry.subjects, f.q),
                                 contains(RegistryEntry.position, f.q), contains(RegistryEntry.training_title, f.q)))
    if f.body:
        stmt = stmt.where(school.parent_id == f.body)
    if f.school:
        stmt = stmt.where(RegistryEntry.org_id == f.school)
    if f.form in form_codes:
        stmt = stmt.where(_json_has(RegistryEntry.forms, f.form))
    if f.competency in competency_codes:
        stmt = stmt.where(_json_has(RegistryEntry.competencies, f.competency))
    if f.category in CATEGORIES:
        stmt = stmt.where(RegistryEntry.category == f.category)
    if f.trained in TRAINED_CHOICES:
        stmt = stmt.where(RegistryEntry.trained.is_(f.trained == "yes"))
    return stmt.order_by(school.name, school.id, RegistryEntry.full_name, RegistryEntry.id)


@dataclass(frozen=True)
class Place:
    school: str
    body: str | None


def places(entries) -> dict[int, Place]:
    """{school id: its name and its municipal body's} for a page of entries (one query; all
    in the viewer's subtree, or the viewer itself)."""
    ids = {e.org_id for e in entries}
    if not ids:
        return {}
    parent = aliased(Organization)
    rows = db.session.execute(
        sa.select(Organization.id, sa.func.coalesce(Organization.short_name, Organization.name),
                  Organization.parent_id)
        .where(Organization.id.in_(ids))
    ).all()
    parents = {row[2] for row in rows if row[2]}
    bodies = dict(db.session.execute(
        sa.select(parent.id, sa.func.coalesce(parent.short_name, parent.name)).where(parent.id.in_(parents))
    ).all()) if parents else {}
    return {row[0]: Place(row[1], bodies.get(row[2])) for row in rows}


def schools_of(org: Organization) -> list[tuple[int, str]]:
    """The schools under ``org`` (a body: its schools; the ministry: all of them), for the
    school filter; (id, name)."""
    low, high = org.path, org.path[:-1] + "0"
    return [(row[0], row[1]) for row in db.session.execute(
        sa.select(Organization.id, sa.func.coalesce(Organization.short_name, Organization.name))
        .where(Organization.kind == "school", Organization.path >= low, Organization.path < high)
        .order_by(Organization.name, Organization.id)
    )]


def bodies_of(org: Organization) -> list[tuple[int, str]]:
    """The municipal bodies under ``org`` (the ministry's filter); (id, name)."""
    return [(row[0], row[1]) for row in db.session.execute(
        sa.select(Organization.id, sa.func.coalesce(Organization.short_name, Organization.name))
        .where(Organization.kind == "municipality", Organization.parent_id == org.id)
        .order_by(Organization.name, Organization.id)
    )]
