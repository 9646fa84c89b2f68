"""Isolation registry of the monitoring, reports and dashboard pages, one module per slice.
URLs are built from ``o["m"]``, the ``monitoring_world`` of tests/support/monitoring_world.py
(ids: m.period, m.school_report (school r1m1s1), m.municipal_report (body r1m1), m.analytical
(region r1) …). These objects are shared upward: owner_only=False, owner = the tree key."""
from tests.isolation.monitoring_routes import analytical, config, dashboards, periods, reports

ROUTES = [route for module in (config, periods, dashboards, reports, analytical) for route in module.ROUTES]
