"""Isolation registry: A school's people (owner-only: personal data is the school's alone); URLs from
``o["w"]``, the ``school_world`` of tests/support/school.py."""
