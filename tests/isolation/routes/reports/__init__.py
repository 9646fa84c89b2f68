"""Isolation registry: Reports, the analytical report and the dashboards; URLs from ``o["m"]``
(tests/support/monitoring_world.py)."""
