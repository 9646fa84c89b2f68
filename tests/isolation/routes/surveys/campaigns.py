"""Isolation registry for the survey campaigns pages (see __init__.py).

``s.campaign`` (open) belongs to school r1m1s1: its page, progress and invitations; the
invitations name people, so the levels above are outsiders too (owner_only). Management
(edit, launch, close) is the owner's alone: besides s.campaign, it is registered over the
municipal body's draft ``s.municipal_campaign``, which its school r1m1s1 can see but must
not manage."""
from tests.isolation.registry import ProtectedRoute

S, M = "r1m1s1", "r1m1"


def _school(path=""):
    return lambda t, o: f"/surveys/campaigns/{o['s'].campaign}{path}"


def _municipal(path=""):
    return lambda t, o: f"/surveys/campaigns/{o['s'].municipal_campaign}{path}"


EDIT_FORM = {"title": "Чужая кампания", "roles": "mentor", "opens_on": "2026-11-01", "closes_on": "2026-12-01",
             "trigger": "manual", "pair_status": "any", "response_days": "14", "reminder_days": "3"}

ROUTES = [
    ProtectedRoute("surveys.campaign_show", "GET", _school(), S),
    ProtectedRoute("surveys.campaign_progress", "GET", _school("/progress"), S),
    ProtectedRoute("surveys.campaign_invitations", "GET", _school("/invitations"), S, owner_only=True),
    ProtectedRoute("surveys.campaign_edit", "POST", _school("/edit"), S, form=EDIT_FORM),
    ProtectedRoute("surveys.campaign_launch", "POST", _school("/launch"), S),
    ProtectedRoute("surveys.campaign_close", "POST", _school("/close"), S),
    # the municipal body's draft: the edit page (GET: 200 for its coordinator), its changes and launch
    ProtectedRoute("surveys.campaign_edit", "GET", _municipal("/edit"), M),
    ProtectedRoute("surveys.campaign_edit", "POST", _municipal("/edit"), M, form=EDIT_FORM),
    ProtectedRoute("surveys.campaign_launch", "POST", _municipal("/launch"), M),
    ProtectedRoute("surveys.campaign_close", "POST", _municipal("/close"), M),
]
