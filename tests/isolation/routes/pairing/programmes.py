"""Isolation registry for this slice of the school's pages (see __init__.py): programmes and
the preferences recorded after the group meeting."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"

ROUTES: list = [
    ProtectedRoute("pairing.programme_show", "GET", lambda t, o: f"/school/programmes/{o['w'].programme}", S,
                   owner_only=True),
    ProtectedRoute("pairing.programme_edit", "GET", lambda t, o: f"/school/programmes/{o['w'].programme}/edit", S,
                   owner_only=True),
    ProtectedRoute("pairing.programme_edit", "POST", lambda t, o: f"/school/programmes/{o['w'].programme}/edit", S,
                   owner_only=True, form={"title": "чужая программа", "form_code": "teacher_pupil",
                                          "school_year": "2026", "meeting_gap_weeks": "4", "status": "active"}),
    ProtectedRoute("pairing.preferences", "GET", lambda t, o: f"/school/programmes/{o['w'].programme}/preferences", S,
                   owner_only=True),
    ProtectedRoute("pairing.preferences", "POST",
                   lambda t, o: f"/school/programmes/{o['w'].programme}/preferences?person={o['w'].spare}", S,
                   owner_only=True, form={"partner_1": ""}),
    ProtectedRoute("pairing.preference_delete", "POST",
                   lambda t, o: f"/school/preferences/{o['w'].preference}/delete", S, owner_only=True),
]
