"""The region's model roadmap (типовая дорожная карта): when the ministry approves its
roadmap, a snapshot is published region-wide, and municipal bodies and schools create their
roadmaps from it as from a built-in template."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.model import ReprMixin, utcnow
from mentorship.roadmap_models import Roadmap
from mentorship.roadmap_templates import RoadmapTemplate, parse_template
from tenants.models import Organization
from tenants.roles import OrgKind
from tenants.scoping import RegionWide


class PublishedTemplate(RegionWide, ReprMixin, db.Model):
    __tablename__ = "published_roadmap_templates"
    __table_args__ = (sa.UniqueConstraint("source_roadmap_id", name="source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_roadmap_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roadmaps.id", ondelete="SET NULL"))
    lineage_id: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    data: Mapped[dict] = mapped_column(sa.JSON)  # the seed_roadmaps/FORMAT.md structure
    published_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    @property
    def key(self) -> str:
        return f"published-{self.id}"

    def as_template(self) -> RoadmapTemplate:
        return parse_template(self.data, origin=self.key)


def _item(item) -> dict:
    out = {"title": item.title}
    for name, value in (("number", item.number), ("content", item.content), ("key_result", item.key_result),
                        ("deadline", item.deadline_text), ("responsible", item.responsible)):
        if value:
            out[name] = value
    if item.documents:
        out["documents"] = list(item.documents)
    return out


def snapshot(roadmap: Roadmap, owner: Organization) -> dict:
    return {
        "key": f"roadmap-{roadmap.id}", "source": f"roadmap {roadmap.id} v{roadmap.version}",
        "level": "region", "title": roadmap.title, "organization": owner.name, "period": roadmap.period_text,
        "columns": ["stage", "activity", "content", "key_result", "deadline", "responsible", "documents"],
        "stages": [{**_item(stage), "activities": [_item(a) for a in stage.activities]} for stage in roadmap.stages],
    }


class PublishError(ValueError):
    pass


def publish_as_model(roadmap: Roadmap, owner: Organization) -> PublishedTemplate:
    """The ministry publishes one of its approved roadmaps as the region's model roadmap
    (типовая дорожная карта); a later publication of the same lineage replaces it."""
    if OrgKind(owner.kind) != OrgKind.MINISTRY or roadmap.org_id != owner.id:
        raise PublishError("not_ministry")
    if roadmap.status != "approved":
        raise PublishError("not_approved")
    db.session.execute(sa.delete(PublishedTemplate).where(PublishedTemplate.lineage_id == roadmap.lineage_id))
    published = PublishedTemplate(org_id=owner.id, source_roadmap_id=roadmap.id, lineage_id=roadmap.lineage_id,
                                  title=roadmap.title, data=snapshot(roadmap, owner))
    db.session.add(published)
    return published


def region_templates() -> list[PublishedTemplate]:
    """The model roadmaps published in the current organisation's region."""
    return list(db.session.scalars(sa.select(PublishedTemplate).order_by(PublishedTemplate.published_at.desc())))
