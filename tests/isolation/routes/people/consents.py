"""Isolation registry for this slice of the school's pages (see __init__.py): consents."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"
ROUTES: list = [
    ProtectedRoute("people.consent_scan", "GET", lambda t, o: f"/school/consents/{o['w'].consent}/scan", S,
                   owner_only=True),
    ProtectedRoute("people.consent_withdraw", "POST", lambda t, o: f"/school/consents/{o['w'].consent}/withdraw", S,
                   owner_only=True, form={"withdrawn_on": "2026-11-01", "reason": "чужой отзыв"}),
    ProtectedRoute("people.consent_date", "GET", lambda t, o: f"/school/consents/{o['w'].consent}/date", S,
                   owner_only=True),
    ProtectedRoute("people.consent_date", "POST", lambda t, o: f"/school/consents/{o['w'].consent}/date", S,
                   owner_only=True, form={"given_on": "2024-08-01"}),
]
