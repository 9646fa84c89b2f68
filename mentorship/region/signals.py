"""What happens to the region's settings, for the areas above that keep something derived
from them (blinker signals, like mentorship/people/signals.py).

A receiver is connected in its area's ``receivers`` module, imported by the area's package, so
it is connected wherever the area is loaded (the app factory loads every area).
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

calendar_changed = _signals.signal("calendar-changed", doc="""
The region's monitoring calendar was changed (reference dates, report deadlines or time zone):
the sender is the ministry's ``Organization``; keyword argument ``settings`` (its
``RegionSettings``, flushed, not yet committed). Sent while acting as the ministry; a receiver
brings what it derived from the calendar (the open reports' deadlines) up to date in the same
transaction.""")
