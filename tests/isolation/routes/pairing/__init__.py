"""Isolation registry: A school's mentorship work (owner-only); URLs from ``o["w"]``, the
``school_world`` of tests/support/school.py."""
