"""Isolation registry for the survey results pages (see __init__.py): the results of the
school's own campaign ``o["s"].campaign`` (owner r1m1s1). Results are aggregates read for the
reader's own subtree, so the levels above may see them (owner_only=False); a sibling school, the
other municipal body and the other region get 404."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"

ROUTES: list = [
    ProtectedRoute("surveys.campaign_results", "GET",
                   lambda t, o: f"/surveys/campaigns/{o['s'].campaign}/results", S),
    ProtectedRoute("surveys.campaign_results_xlsx", "GET",
                   lambda t, o: f"/surveys/campaigns/{o['s'].campaign}/results.xlsx", S),
]
