"""Isolation registry for the region configuration (see __init__.py): the forms catalogue and
the indicators of region r1, saved as rows (``o["m"].form``, ``o["m"].indicator``: the first
default form and the first standard indicator). Region-wide reference data: other regions get
404; the region's own municipal bodies and schools are refused by role (tested in
tests/web/monitoring/test_configuration.py)."""
from tests.isolation.registry import ProtectedRoute

R = "r1"

ROUTES: list = [
    ProtectedRoute("region.form_edit", "POST", lambda t, o: f"/monitoring/forms/{o['m'].form}/edit", R,
                   form={"name": "чужое имя", "retired": "y"}),
    ProtectedRoute("monitoring.indicator_edit", "POST",
                   lambda t, o: f"/monitoring/indicators/{o['m'].indicator}/edit", R,
                   form={"name": "чужой показатель", "retired": "y"}),
]
