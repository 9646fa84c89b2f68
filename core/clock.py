"""Dates in the region's time zone (the service runs in UTC; deadlines are local dates)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def region_today() -> date:
    """Today's date in the region's time zone (beat's, Europe/Moscow by default)."""
    return datetime.now(ZoneInfo(current_app.config["CELERY"]["timezone"])).date()
