"""Isolation registry for this slice of the school's pages (see __init__.py): matching runs."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"

ROUTES: list = [
    ProtectedRoute("pairing.matching_start", "POST", lambda t, o: f"/school/programmes/{o['w'].programme}/matching",
                   S, owner_only=True),
    ProtectedRoute("pairing.matching_show", "GET", lambda t, o: f"/school/matching/{o['w'].run}", S, owner_only=True),
    ProtectedRoute("pairing.proposal_edit", "GET", lambda t, o: f"/school/matching/proposals/{o['w'].proposal}/edit",
                   S, owner_only=True),
    ProtectedRoute("pairing.proposal_edit", "POST", lambda t, o: f"/school/matching/proposals/{o['w'].proposal}/edit",
                   S, owner_only=True, form={"mentor": ""}),
    ProtectedRoute("pairing.matching_discard", "POST", lambda t, o: f"/school/matching/{o['w'].run}/discard", S,
                   owner_only=True),
    ProtectedRoute("pairing.matching_publish", "POST", lambda t, o: f"/school/matching/{o['w'].run}/publish", S,
                   owner_only=True),
]
