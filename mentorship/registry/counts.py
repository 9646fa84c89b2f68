"""Counts for the registry's pages: mentors (in the banks, trained, in training, in the
registry) and mentees (in the banks, in active pairs and groups by form and category), per
organisation directly below the viewer — a municipal body sees its schools, the ministry its
municipal bodies (or one body's schools).

The banks and pairs are the schools' owner-only records: the levels above never read them
row by row. These are counts only, computed in a few set-based statements over the viewer's
subtree as named cross-tenant work (``unscoped("registry.counts")``), like the survey
campaign's counts, and returned as plain values. No name, no id of a person leaves here.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from core.extensions import db
from mentorship.pairing.models import Mentorship, MentorshipMentee
from mentorship.people.models import MentorProfile, Participant
from mentorship.registry.models import RegistryEntry
from tenants.context import unscoped
from tenants.models import Organization
from tenants.scoping import subtree_bounds

LABEL = "registry.counts"
P = Participant.__table__
MP = MentorProfile.__table__
M = Mentorship.__table__
MM = MentorshipMentee.__table__


def group_of(path: str, viewer_path: str) -> int:
    """The id of the organisation directly below the viewer that ``path`` lies in (the
    viewer itself for a school)."""
    depth = len(viewer_path.strip("/").split("/"))
    parts = path.strip("/").split("/")
    return int(parts[min(depth, len(parts) - 1)])


def groups(viewer: Organization) -> list[tuple[int, str]]:
    """The rows of the tables: the organisations directly below the viewer (a school: itself),
    by name; (id, name)."""
    if viewer.kind == "school":
        return [(viewer.id, viewer.short_name or viewer.name)]
    return [(row[0], row[1]) for row in db.session.execute(
        sa.select(Organization.id, sa.func.coalesce(Organization.short_name, Organization.name))
        .where(Organization.parent_id == viewer.id).order_by(Organization.name, Organization.id)
    )]


@dataclass
class MentorCounts:
    bank: int = 0
    trained: int = 0
    in_training: int = 0
    in_registry: int = 0
    trained_in_registry: int = 0

    @property
    def trained_share(self) -> float | None:
        return round(100.0 * self.trained / self.bank, 1) if self.bank else None


def mentor_counts(viewer: Organization) -> dict[int, MentorCounts]:
    """{organisation below the viewer: its mentors' counts}."""
    low, high = subtree_bounds(viewer.path)
    out: dict[int, MentorCounts] = defaultdict(MentorCounts)
    completed = sa.func.sum(sa.case((MP.c.training_status == "completed", 1), else_=0))
    in_progress = sa.func.sum(sa.case((MP.c.training_status == "in_progress", 1), else_=0))
    with unscoped(LABEL):
        rows = db.session.execute(
            sa.select(P.c.org_path, sa.func.count(), completed, in_progress)
            .select_from(P.join(MP, MP.c.participant_id == P.c.id))
            .where(P.c.org_path >= low, P.c.org_path < high, P.c.in_mentor_bank.is_(True),
                   P.c.anonymised_at.is_(None))
            .group_by(P.c.org_path)
        ).all()
    for path, bank, trained, training in rows:
        counts = out[group_of(path, viewer.path)]
        counts.bank += bank
        counts.trained += int(trained or 0)
        counts.in_training += int(training or 0)
    # The registry's own entries are the viewer's to read (shared upward).
    for path, entries, trained in db.session.execute(
        sa.select(RegistryEntry.org_path, sa.func.count(RegistryEntry.id),
                  sa.func.sum(sa.case((RegistryEntry.trained.is_(True), 1), else_=0)))
        .where(RegistryEntry.org_path >= low, RegistryEntry.org_path < high)
        .group_by(RegistryEntry.org_path)
    ).all():
        counts = out[group_of(path, viewer.path)]
        counts.in_registry += entries
        counts.trained_in_registry += int(trained or 0)
    return dict(out)


@dataclass
class MenteeCounts:
    in_bank: dict[str, int] = field(default_factory=dict)  # category → mentees in the bank
    paired: dict[str, int] = field(default_factory=dict)  # category → mentees in active pairs
    by_form: dict[str, dict[str, int]] = field(default_factory=dict)  # form → category → mentees

    @property
    def in_bank_total(self) -> int:
        return sum(self.in_bank.values())

    @property
    def paired_total(self) -> int:
        return sum(self.paired.values())


def _add(target: dict, key: str, n: int) -> None:
    target[key] = target.get(key, 0) + int(n)


def mentee_counts(viewer: Organization) -> dict[int, MenteeCounts]:
    """{organisation below the viewer: its mentees' counts} — in the bank by category, in
    active pairs and groups by category, and by form and category (a mentee in two forms'
    groups counts in each form, once in the totals)."""
    low, high = subtree_bounds(viewer.path)
    out: dict[int, MenteeCounts] = defaultdict(MenteeCounts)
    active = sa.and_(M.c.status == "active", M.c.org_path >= low, M.c.org_path < high)
    people = MM.join(M, M.c.id == MM.c.mentorship_id).join(P, P.c.id == MM.c.participant_id)
    with unscoped(LABEL):
        bank = db.session.execute(
            sa.select(P.c.org_path, P.c.category, sa.func.count())
            .where(P.c.org_path >= low, P.c.org_path < high, P.c.in_mentee_bank.is_(True),
                   P.c.anonymised_at.is_(None))
            .group_by(P.c.org_path, P.c.category)
        ).all()
        paired = db.session.execute(
            sa.select(M.c.org_path, P.c.category, sa.func.count(sa.distinct(MM.c.participant_id)))
            .select_from(people).where(active).group_by(M.c.org_path, P.c.category)
        ).all()
        by_form = db.session.execute(
            sa.select(M.c.org_path, M.c.form_code, P.c.category, sa.func.count(sa.distinct(MM.c.participant_id)))
            .select_from(people).where(active).group_by(M.c.org_path, M.c.form_code, P.c.category)
        ).all()
    for path, category, n in bank:
        _add(out[group_of(path, viewer.path)].in_bank, category, n)
    for path, category, n in paired:
        _add(out[group_of(path, viewer.path)].paired, category, n)
    for path, form_code, category, n in by_form:
        _add(out[group_of(path, viewer.path)].by_form.setdefault(form_code, {}), category, n)
    return dict(out)
