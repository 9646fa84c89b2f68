"""Isolation registry for this slice (see __init__.py): the analytical report of region r1
(``o["m"].analytical``, done, with both files)."""
from tests.isolation.registry import ProtectedRoute

R = "r1"

ROUTES: list = [
    ProtectedRoute("reports.analytical_show", "GET", lambda t, o: f"/reports/analytical/{o['m'].analytical}", R),
    ProtectedRoute("reports.analytical_status", "GET",
                   lambda t, o: f"/reports/analytical/{o['m'].analytical}/status", R),
    ProtectedRoute("reports.analytical_docx", "GET",
                   lambda t, o: f"/reports/analytical/{o['m'].analytical}.docx", R),
    ProtectedRoute("reports.analytical_xlsx", "GET",
                   lambda t, o: f"/reports/analytical/{o['m'].analytical}.xlsx", R),
]
# reports.analytical_new (POST /reports/analytical/new) takes no id in its path: the period comes in
# the form, and another region's period is refused there — tests/web/reports/test_analytical_report.py.
