"""A region's settings, owned by its ministry and readable across the region: roadmap
approval, and the monitoring calendar (two reference dates a year, default 20 June and
20 December; the schools' and the municipal report deadlines; the region's time zone)."""
from __future__ import annotations

import sqlalchemy as sa

from core.extensions import db
from mentorship.region.models import RegionSettings
from tenants import audit
from tenants.models import Organization
from tenants.scoping import region_path


def settings_for(org: Organization) -> RegionSettings:
    """The settings of ``org``'s region (defaults if the ministry has saved none)."""
    ministry_path = region_path(org.path)
    found = db.session.scalar(sa.select(RegionSettings).where(RegionSettings.org_path == ministry_path))
    return found or default_settings()


def default_settings() -> RegionSettings:
    """Unsaved settings with every default filled in (column defaults apply only on insert)."""
    values = {
        column.key: column.default.arg
        for column in RegionSettings.__table__.columns
        if column.default is not None and not callable(column.default.arg)
    }
    return RegionSettings(**values)


def record_change(region: Organization, change: str, obj=None, **details) -> None:
    """Audit a change of the region's configuration (catalogue, indicators, targets, figures)."""
    audit.record("region.settings_changed", org=region, obj=obj, details={"change": change, **details})
