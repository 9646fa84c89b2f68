"""Isolation registry: The monitoring's configuration, periods and a school's contingent; URLs from
``o["m"]``, the ``monitoring_world`` of tests/support/monitoring_world.py (shared upward: owner =
the tree key)."""
