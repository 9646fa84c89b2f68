"""Isolation registry of the survey pages, one module per slice. URLs are built from ``o["s"]``,
the ``survey_world`` of tests/support/surveys.py (ids: s.campaign and s.school_template owned by
school r1m1s1; s.municipal_campaign by body r1m1; s.region_campaign and s.region_template by
region r1). Templates and campaigns are ``Lineage``: the levels above and below the owner see
them; managing them is the owner's alone (404 for anyone else)."""
from tests.isolation.surveys_routes import campaigns, results, sheets, templates

ROUTES = [route for module in (templates, campaigns, sheets, results) for route in module.ROUTES]
