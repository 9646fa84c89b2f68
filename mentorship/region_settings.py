"""A region's settings, owned by its ministry and readable across the region."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
from tenants.models import Organization
from tenants.scoping import RegionWide, region_path


class RegionSettings(RegionWide, TimestampMixin, ReprMixin, db.Model):
    __tablename__ = "region_settings"
    __table_args__ = (sa.UniqueConstraint("org_id", name="org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Municipal roadmaps are approved by the ministry (otherwise the municipal body approves its own).
    municipal_roadmaps_need_approval: Mapped[bool] = mapped_column(default=False)


def settings_for(org: Organization) -> RegionSettings:
    """The settings of ``org``'s region (defaults if the ministry has saved none)."""
    ministry_path = region_path(org.path)
    found = db.session.scalar(sa.select(RegionSettings).where(RegionSettings.org_path == ministry_path))
    return found or RegionSettings(municipal_roadmaps_need_approval=False)
