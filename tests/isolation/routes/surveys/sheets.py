"""Isolation registry for the survey sheets pages (see __init__.py): the printed invitation
sheets carry names, so they are the owning school's alone (its municipal body and region too
get 404)."""
from tests.isolation.registry import ProtectedRoute

ROUTES: list = [
    ProtectedRoute("surveys.campaign_sheets", "GET", lambda t, o: f"/surveys/campaigns/{o['s'].campaign}/sheets",
                   "r1m1s1", owner_only=True),
]
