"""Oversight: the roadmap state of every school of a municipal body, and of every municipal
body of a region — a few set-based queries per page, never one per school."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from core.extensions import db
from mentorship.roadmaps.deadlines import Deadline
from mentorship.roadmaps.models import Roadmap, RoadmapActivity, RoadmapStage
from tenants import audit, directory
from tenants.models import Organization
from tenants.notifications import notify

STATES = ("missing", "draft", "submitted", "returned", "approved")


@dataclass
class OrgRoadmapState:
    org: Organization
    state: str = "missing"
    roadmap_id: int | None = None
    version: int | None = None
    done: int = 0
    total: int = 0
    overdue: int = 0
    has_approved: bool = False  # some version of its current roadmap is approved (in force)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _approved_lineages(org_ids: list[int]) -> set[int]:
    return set(db.session.scalars(
        sa.select(Roadmap.lineage_id).where(Roadmap.org_id.in_(org_ids), Roadmap.status == "approved").distinct()
    )) if org_ids else set()


def _latest_roadmaps(org_ids: list[int]) -> dict[int, Roadmap]:
    """The most recent roadmap (newest lineage, highest version) of each organisation."""
    if not org_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Roadmap).where(Roadmap.org_id.in_(org_ids)).order_by(Roadmap.org_id, Roadmap.lineage_id, Roadmap.version)
    ).all()
    latest: dict[int, Roadmap] = {}
    for roadmap in rows:  # ordered, so the last one wins
        latest[roadmap.org_id] = roadmap
    return latest


def school_states(schools: list[Organization], today: date) -> list[OrgRoadmapState]:
    latest = _latest_roadmaps([s.id for s in schools])
    approved_lineages = _approved_lineages([s.id for s in schools])
    roadmap_ids = [r.id for r in latest.values()]
    activities = db.session.execute(
        sa.select(RoadmapActivity.roadmap_id, RoadmapActivity.stage_id, RoadmapActivity.deadline,
                  RoadmapActivity.done_at)
        .where(RoadmapActivity.roadmap_id.in_(roadmap_ids))
    ).all() if roadmap_ids else []
    # a stage without activities is a step of its own, counted as one
    with_activities = {row.stage_id for row in activities}
    steps = [row for row in db.session.execute(
        sa.select(RoadmapStage.id, RoadmapStage.roadmap_id, RoadmapStage.deadline, RoadmapStage.done_at)
        .where(RoadmapStage.roadmap_id.in_(roadmap_ids))
    ).all() if row.id not in with_activities] if roadmap_ids else []
    by_roadmap: dict[int, list] = {}
    for row in (*activities, *steps):
        by_roadmap.setdefault(row.roadmap_id, []).append(row)
    out = []
    for school in schools:
        state = OrgRoadmapState(school)
        roadmap = latest.get(school.id)
        if roadmap is not None:
            state.state, state.roadmap_id, state.version = roadmap.status, roadmap.id, roadmap.version
            state.has_approved = roadmap.lineage_id in approved_lineages
            period = roadmap.period
            for row in by_roadmap.get(roadmap.id, []):
                state.total += 1
                if row.done_at:
                    state.done += 1
                elif (roadmap.status == "approved" and row.deadline
                      and Deadline.from_json(row.deadline).overdue_since(period, today)):
                    state.overdue += 1
        out.append(state)
    return out


@dataclass
class MunicipalSummary:
    org: Organization
    schools: int = 0
    by_state: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    done: int = 0
    total: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def municipal_summaries(municipalities: list[Organization], today: date) -> list[MunicipalSummary]:
    """Per municipal body: its schools by roadmap state, their progress and overdue activities
    (the same figures as the municipal table, summed; a fixed number of queries)."""
    ids = [m.id for m in municipalities]
    if not ids:
        return []
    summaries = {m.id: MunicipalSummary(m) for m in municipalities}
    schools = list(db.session.scalars(
        sa.select(Organization).where(Organization.parent_id.in_(ids), Organization.is_active.is_(True))
    ))
    for state in school_states(schools, today):
        summary = summaries[state.org.parent_id]
        summary.schools += 1
        summary.by_state[state.state] += 1
        summary.done += state.done
        summary.total += state.total
        summary.overdue += state.overdue
    return [summaries[i] for i in ids]


def remind_late_schools(body: Organization, today: date, text: str) -> list[OrgRoadmapState]:
    """Notify ``text`` to every active school of the municipal ``body`` whose roadmap is late:
    none yet, or a draft or returned one with no approved version in force (a school revising
    an approved roadmap is not late); audited. Returns their states (the caller e-mails them)."""
    schools = db.session.scalars(directory.children_of(body, active_only=True)).all()
    late = [s for s in school_states(schools, today)
            if s.state == "missing" or (s.state in ("draft", "returned") and not s.has_approved)]
    for state in late:
        notify(state.org.id, state.org.id, "roadmap.remind", text, link="/roadmaps/")
    audit.record("roadmap.bulk_reminder", org=body, details={"schools": [s.org.id for s in late]})
    db.session.flush()
    return late
