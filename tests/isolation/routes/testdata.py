"""Isolation registry: the test-only routes over the test models (tests/support/blueprint.py):
one shared-upward, one owner-only."""
from tests.isolation.registry import ProtectedRoute, S

ROUTES: list[ProtectedRoute] = [
    ProtectedRoute("testdata.shared_doc", "GET", lambda t, o: f"/test/shared/{o['doc']}", S),
    ProtectedRoute("testdata.rename_shared_doc", "POST", lambda t, o: f"/test/shared/{o['doc']}/rename", S),
    ProtectedRoute("testdata.private_note", "GET", lambda t, o: f"/test/private/{o['note']}", S, owner_only=True),
    ProtectedRoute(
        "testdata.edit_private_note", "POST", lambda t, o: f"/test/private/{o['note']}/edit", S, owner_only=True
    ),
]
