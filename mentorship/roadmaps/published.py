"""The region's model roadmap (типовая дорожная карта): when the ministry approves its
roadmap, a snapshot is published region-wide, and municipal bodies and schools create their
roadmaps from it as from a built-in template."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import Conflict
from core.extensions import db
from mentorship.roadmaps.models import PublishedTemplate, Roadmap
from tenants import audit
from tenants.models import Organization
from tenants.roles import OrgKind


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
        # the dates its deadlines were written for: a roadmap created from it moves them into its own period
        "period_start": roadmap.period_start.isoformat(), "period_end": roadmap.period_end.isoformat(),
        **{name: value for name, value in (("preamble", roadmap.preamble), ("footnote", roadmap.footnote)) if value},
        "columns": ["stage", "activity", "content", "key_result", "deadline", "responsible", "documents"],
        "stages": [{**_item(stage), "activities": [_item(a) for a in stage.activities]} for stage in roadmap.stages],
    }


class PublishError(Conflict):
    """The roadmap cannot be published as the region's model roadmap."""

    MESSAGES = {
        "not_ministry": _l("You cannot do this with this roadmap."),
        "not_approved": _l("Only an approved roadmap can be changed into a new version or executed."),
    }


def publish_as_model(roadmap: Roadmap, owner: Organization) -> PublishedTemplate:
    """The ministry publishes one of its approved roadmaps as the region's model roadmap
    (типовая дорожная карта); a later publication of the same lineage replaces it. Audited."""
    if OrgKind(owner.kind) != OrgKind.MINISTRY or roadmap.org_id != owner.id:
        raise PublishError("not_ministry")
    if roadmap.status != "approved":
        raise PublishError("not_approved")
    db.session.execute(sa.delete(PublishedTemplate).where(PublishedTemplate.lineage_id == roadmap.lineage_id))
    published = PublishedTemplate(org_id=owner.id, source_roadmap_id=roadmap.id, lineage_id=roadmap.lineage_id,
                                  title=roadmap.title, data=snapshot(roadmap, owner))
    db.session.add(published)
    audit.record("roadmap.published", org=owner, obj=roadmap)
    db.session.flush()
    return published


def region_templates() -> list[PublishedTemplate]:
    """The model roadmaps published in the current organisation's region."""
    return list(db.session.scalars(sa.select(PublishedTemplate).order_by(PublishedTemplate.published_at.desc())))
