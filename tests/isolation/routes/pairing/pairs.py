"""Isolation registry for this slice of the school's pages (see __init__.py): pairs and groups."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"

ROUTES: list = [
    ProtectedRoute("pairing.pair_show", "GET", lambda t, o: f"/school/pairs/{o['w'].pair}", S, owner_only=True),
    ProtectedRoute("pairing.pair_add_mentee", "POST", lambda t, o: f"/school/pairs/{o['w'].pair}/mentees/add", S,
                   owner_only=True, form={"mentee": "1", "on": "2026-11-01"}),
    ProtectedRoute("pairing.pair_remove_mentee", "POST",
                   lambda t, o: f"/school/pairs/{o['w'].pair}/mentees/{o['w'].member}/remove", S, owner_only=True),
    ProtectedRoute("pairing.pair_complete", "POST", lambda t, o: f"/school/pairs/{o['w'].pair}/complete", S,
                   owner_only=True, form={"on": "2026-11-01", "decision": "finish", "note": "x"}),
    ProtectedRoute("pairing.pair_end", "POST", lambda t, o: f"/school/pairs/{o['w'].pair}/end", S,
                   owner_only=True, form={"on": "2026-11-01", "reason": "moved away"}),
    ProtectedRoute("pairing.pair_edit", "GET", lambda t, o: f"/school/pairs/{o['w'].pair}/edit", S, owner_only=True),
    ProtectedRoute("pairing.pair_edit", "POST", lambda t, o: f"/school/pairs/{o['w'].pair}/edit", S,
                   owner_only=True, form={"programme": "1", "mentor": "1", "mentees": "1", "started_on": "2026-09-01"}),
    ProtectedRoute("pairing.pair_void", "POST", lambda t, o: f"/school/pairs/{o['w'].pair}/void", S,
                   owner_only=True, form={"reason": "чужая пара"}),
]
