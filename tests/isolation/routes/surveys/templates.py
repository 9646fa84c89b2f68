"""Isolation registry for the survey templates pages (see __init__.py).

The school's own questionnaire (owner r1m1s1) is seen along its line only: another school, body
or region gets 404 for every page and action, copy included. The region's questionnaire (owner
r1) is seen by all of region r1, so here it is registered for the other region, which must get
404 for everything; that r1's own schools cannot manage it is tested in
tests/web/surveys/test_questionnaires.py."""
from tests.isolation.registry import ProtectedRoute

S, R = "r1m1s1", "r1"

EDIT_FORM = {
    "title": "Чужая анкета", "purpose": "other", "audience": "mentor",
    "questions-0-text": "Вопрос", "questions-0-kind": "scale", "questions-0-required": "y",
}


def _routes(owner: str, key: str) -> list:
    def url(suffix=""):
        return lambda t, o: f"/surveys/templates/{getattr(o['s'], key)}{suffix}"

    return [
        ProtectedRoute("surveys.template_show", "GET", url(), owner),
        ProtectedRoute("surveys.template_edit", "GET", url("/edit"), owner),
        ProtectedRoute("surveys.template_edit", "POST", url("/edit"), owner, form=EDIT_FORM),
        ProtectedRoute("surveys.template_archive", "POST", url("/archive"), owner, form={"archived": "1"}),
        ProtectedRoute("surveys.template_copy", "POST", url("/copy"), owner),
    ]


ROUTES: list = _routes(S, "school_template") + _routes(R, "region_template")
