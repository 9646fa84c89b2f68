"""Roadmaps written straight into the database for tests of jobs that read them (reminders):
one stage, activities with deadlines in the seeds' wording, any status and version."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from core.extensions import db
from core.model import utcnow
from mentorship.roadmaps.editing import structured_deadline
from mentorship.roadmaps.models import Roadmap, RoadmapActivity, RoadmapStage
from tenants.context import unscoped

SCHOOL_YEAR_2023 = (date(2023, 8, 1), date(2024, 8, 31))  # «2023 – 2024 учебный год»


def make_roadmap(org_id: int, deadlines: list[str], *, status: str = "approved", done: tuple[int, ...] = (),
                 title: str = "Дорожная карта наставничества", version: int = 1,
                 lineage_id: int | None = None, period: tuple[date, date] = SCHOOL_YEAR_2023) -> SimpleNamespace:
    """A committed roadmap of ``org_id`` with one activity per deadline wording (indexes in
    ``done`` marked done); returns plain ids."""
    with unscoped("tests.make_roadmap"):
        roadmap = Roadmap(org_id=org_id, title=title, period_text="2023 – 2024 учебный год",
                          period_start=period[0], period_end=period[1], status=status, version=version,
                          lineage_id=lineage_id, approved_at=utcnow() if status == "approved" else None)
        stage = RoadmapStage(org_id=org_id, position=0, number="1", title="Организационный этап")
        roadmap.stages.append(stage)
        for i, text in enumerate(deadlines):
            stage.activities.append(RoadmapActivity(
                org_id=org_id, roadmap=roadmap, position=i, number=f"1.{i + 1}", title=f"Мероприятие {i + 1}",
                deadline_text=text, deadline=structured_deadline(text), done_at=utcnow() if i in done else None,
            ))
        db.session.add(roadmap)
        db.session.flush()
        if roadmap.lineage_id is None:
            roadmap.lineage_id = roadmap.id
        ids = SimpleNamespace(id=roadmap.id, lineage_id=roadmap.lineage_id,
                              activities=[a.id for a in stage.activities])
        db.session.commit()
    db.session.remove()
    return ids
