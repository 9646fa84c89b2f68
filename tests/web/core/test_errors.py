"""One exception tree, one handler (core/errors.py, blueprints/errors.py): a refusal no view
caught is answered with its status and its messages (a 404 with nothing more); a form shows
each problem beside its field, and one about no field as a flash above the form."""
from __future__ import annotations

import pytest
from flask import Blueprint, get_flashed_messages
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from wtforms import StringField

import config
from blueprints.base_form import BaseForm
from core.errors import Conflict, DomainError, NotFound, Problem


class Refused(DomainError):
    MESSAGES = {"too_long": _l("At most %(max)d characters."), "taken": _l("This name is taken.")}


class Missing(NotFound):
    MESSAGES = {"gone": _l("Secret: the object was deleted by school 7.")}


class Changed(Conflict):
    MESSAGES = {"frozen": _l("The period is frozen: unfreeze it first.")}


class NameForm(BaseForm):
    name = StringField()


@pytest.fixture
def refusing_app(extra_app):
    app = extra_app(config.TestingConfig(), SQLALCHEMY_DATABASE_URI="sqlite://", WTF_CSRF_ENABLED=False)
    bp = Blueprint("refusals", __name__)
    errors = {"refused": Refused("too_long", max=5), "missing": Missing("gone"), "changed": Changed("frozen")}

    @bp.route("/refusals/<kind>")
    def refuse(kind):
        raise errors[kind]

    app.register_blueprint(bp)
    return app


def _in_russian(app, error: DomainError) -> str:
    with app.test_request_context("/"), force_locale("ru"):
        return error.message


def test_an_uncaught_refusal_has_its_status_and_its_message(refusing_app):
    client = refusing_app.test_client()
    refused = client.get("/refusals/refused")
    assert refused.status_code == 400
    assert _in_russian(refusing_app, Refused("too_long", max=5)) in refused.get_data(as_text=True)
    changed = client.get("/refusals/changed")
    assert changed.status_code == 409
    assert _in_russian(refusing_app, Changed("frozen")) in changed.get_data(as_text=True)
    missing = client.get("/refusals/missing")
    assert missing.status_code == 404 and "Secret" not in missing.get_data(as_text=True)  # a 404 says no more


def test_problems_go_beside_their_fields_and_the_rest_above_the_form(refusing_app):
    error = Refused([Problem("too_long", "name", {"max": 5}), ("nowhere", "taken")])
    assert error.code == "too_long" and [f for f, _m in error.messages] == ["name", "nowhere"]
    with refusing_app.test_request_context("/", method="POST", data={"name": "x" * 9}), force_locale("en"):
        form = NameForm()
        form.add_errors(error)
        assert [str(e) for e in form.name.errors] == ["At most 5 characters."]
        assert get_flashed_messages(with_categories=True) == [("danger", "This name is taken.")]


def test_a_form_maps_a_service_parameter_to_its_own_field(refusing_app):
    with refusing_app.test_request_context("/", method="POST"):
        form = NameForm()
        form.add_errors(Refused("taken", field="full_name"), fields={"full_name": "name"})
        assert [str(e) for e in form.name.errors] == ["This name is taken."]
