"""Isolation registry for this slice of the school's pages (see __init__.py): matching runs."""
from tests.isolation.routes import ProtectedRoute

S = "r1m1s1"

ROUTES: list = [
    ProtectedRoute("school.matching_start", "POST", lambda t, o: f"/school/programmes/{o['w'].programme}/matching",
                   S, owner_only=True),
    ProtectedRoute("school.matching_show", "GET", lambda t, o: f"/school/matching/{o['w'].run}", S, owner_only=True),
    ProtectedRoute("school.proposal_edit", "GET", lambda t, o: f"/school/matching/proposals/{o['w'].proposal}/edit",
                   S, owner_only=True),
    ProtectedRoute("school.proposal_edit", "POST", lambda t, o: f"/school/matching/proposals/{o['w'].proposal}/edit",
                   S, owner_only=True, form={"mentor": ""}),
    ProtectedRoute("school.matching_discard", "POST", lambda t, o: f"/school/matching/{o['w'].run}/discard", S,
                   owner_only=True),
    ProtectedRoute("school.matching_publish", "POST", lambda t, o: f"/school/matching/{o['w'].run}/publish", S,
                   owner_only=True),
]
