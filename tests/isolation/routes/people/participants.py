"""Isolation registry for this slice of the school's pages (see __init__.py): participants."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"

_PERSON = {"full_name": "Чужой Человек", "category": "teacher"}

ROUTES: list = [
    ProtectedRoute("people.participant_show", "GET", lambda t, o: f"/school/participants/{o['w'].mentee}", S,
                   owner_only=True),
    ProtectedRoute("people.participant_edit", "GET", lambda t, o: f"/school/participants/{o['w'].mentor}/edit", S,
                   owner_only=True),
    ProtectedRoute("people.participant_edit", "POST", lambda t, o: f"/school/participants/{o['w'].mentor}/edit", S,
                   owner_only=True, form=_PERSON),
    ProtectedRoute("people.consent_new", "GET",
                   lambda t, o: f"/school/participants/{o['w'].mentor}/consents/new", S, owner_only=True),
    ProtectedRoute("people.consent_new", "POST",
                   lambda t, o: f"/school/participants/{o['w'].mentor}/consents/new", S, owner_only=True,
                   form={"consent_given_by": "participant", "consent_given_on": "2026-01-10",
                         "consent_purpose": "чужое согласие", "consent_policy_version": "1.0"}),
]
