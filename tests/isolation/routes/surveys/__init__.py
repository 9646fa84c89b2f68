"""Isolation registry: Questionnaires and campaigns (Lineage), printed sheets, results; URLs from
``o["s"]``, the ``survey_world`` of tests/support/surveys.py."""
