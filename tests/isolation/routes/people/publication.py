"""Isolation registry for the consent to publication of a participant and a partner's agreement
to be named publicly (people/publication_views)."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"

ROUTES: list = [
    ProtectedRoute("people.publication_consent", "GET", lambda t, o: f"/school/participants/{o['w'].mentor}/publication",
                   S, owner_only=True),
    ProtectedRoute("people.publication_consent_give", "POST",
                   lambda t, o: f"/school/participants/{o['w'].mentor}/publication", S, owner_only=True,
                   form={"given_on": "2026-10-01", "scope_note": "ФИО, фото"}),
    ProtectedRoute("people.publication_consent_withdraw", "POST",
                   lambda t, o: f"/school/participants/{o['w'].mentor}/publication/withdraw", S, owner_only=True,
                   form={"withdrawn_on": "2026-10-01", "reason": "чужой отзыв"}),
    ProtectedRoute("people.enterprise_publication", "POST",
                   lambda t, o: f"/school/enterprises/{o['w'].enterprise}/publication", S, owner_only=True,
                   form={"agreed": "1"}),
]
