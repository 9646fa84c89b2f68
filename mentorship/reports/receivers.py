"""Reports' part when the region's calendar changes (mentorship/region/signals.py)."""
from __future__ import annotations

from mentorship.region.models import RegionSettings
from mentorship.region.signals import calendar_changed
from mentorship.reports.deadlines import redate_open_reports
from tenants.models import Organization


@calendar_changed.connect
def redate_reports(region: Organization, *, settings: RegionSettings, **_kwargs) -> int:
    """The reports not submitted yet take the deadlines of the changed calendar."""
    return redate_open_reports(region, settings)
