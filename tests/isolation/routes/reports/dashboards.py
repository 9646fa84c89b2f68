"""Isolation registry for the monitoring dashboards (see __init__.py).

The drill-down takes an organisation id: the current organisation or one below it. The
municipal body's own page is reachable by its coordinator (the positive control, default
insider ``r1m1.admin``); its schools, the other body and the other region get 404. A school's
page likewise: its own admin 200, a sibling school and anyone outside 404 (the body and the
ministry above may drill down to it)."""
from tests.isolation.registry import ProtectedRoute

ROUTES: list = [
    ProtectedRoute("reports.dashboard_org", "GET", lambda t, o: f"/monitoring/dashboard/orgs/{t.ids['r1m1']}",
                   "r1m1"),
    ProtectedRoute("reports.dashboard_org_xlsx", "GET",
                   lambda t, o: f"/monitoring/dashboard/orgs/{t.ids['r1m1']}.xlsx", "r1m1"),
    ProtectedRoute("reports.dashboard_org", "GET", lambda t, o: f"/monitoring/dashboard/orgs/{t.ids['r1m1s1']}",
                   "r1m1s1"),
    ProtectedRoute("reports.dashboard_org_xlsx", "GET",
                   lambda t, o: f"/monitoring/dashboard/orgs/{t.ids['r1m1s1']}.xlsx", "r1m1s1"),
]
