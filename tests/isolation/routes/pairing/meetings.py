"""Isolation registry for this slice of the school's pages (see __init__.py): meetings."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"
MEETING = {"kind": "regular", "held_on": "2026-10-01", "duration_minutes": "45", "format": "online",
           "topic": "Чужая встреча"}

ROUTES: list = [
    ProtectedRoute("pairing.meetings", "GET", lambda t, o: f"/school/pairs/{o['w'].pair}/meetings", S, owner_only=True),
    ProtectedRoute("pairing.meeting_new", "POST", lambda t, o: f"/school/pairs/{o['w'].pair}/meetings/new", S,
                   owner_only=True, form=MEETING),
    ProtectedRoute("pairing.meeting_edit", "GET", lambda t, o: f"/school/meetings/{o['w'].meeting}/edit", S,
                   owner_only=True),
    ProtectedRoute("pairing.meeting_edit", "POST", lambda t, o: f"/school/meetings/{o['w'].meeting}/edit", S,
                   owner_only=True, form=MEETING),
    ProtectedRoute("pairing.meeting_delete", "POST", lambda t, o: f"/school/meetings/{o['w'].meeting}/delete", S,
                   owner_only=True),
]
