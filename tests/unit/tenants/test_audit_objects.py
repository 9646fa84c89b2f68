"""The audit log speaks people's language: every action and every kind of object has a label,
an object is named by its title where the reader may see it (never by a class name and an
id), and a person is never named there."""
from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from core.extensions import db
from tenants import audit
from tenants.audit_objects import OBJECT_LABELS, actions_matching, describe_objects, object_kind
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent, Organization
from tests.support.paths import PROJECT_ROOT
from tests.support.school import make_participant

pytestmark = pytest.mark.backends("sqlite", "postgresql")

RECORDED = re.compile(r"""audit\.record\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""")


def test_every_model_has_a_kind_in_words(ctx):
    models = {mapper.class_.__name__ for mapper in db.Model.registry.mappers
              if not mapper.class_.__module__.startswith("tests.")}
    assert sorted(models - OBJECT_LABELS.keys()) == []


def test_every_recorded_action_has_a_label():
    found = set()
    for package in ("mentorship", "tenants", "blueprints", "tasks"):
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            found |= {(m.group(1), str(path.relative_to(PROJECT_ROOT))) for m in RECORDED.finditer(path.read_text())}
    assert found, "the pattern finds the calls"
    assert sorted(f"{action} ({where})" for action, where in found if action not in audit.ACTION_LABELS) == []


def _event(action: str, org: Organization, obj) -> AuditEvent:
    return audit.record(action, org=org, obj=obj)


def test_objects_are_named_by_kind_and_title_never_by_class_and_id(ctx, tree):
    with unscoped("tests.audit_objects"):
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        person = make_participant(school.id, "Петров Илья")
        events = [_event("organization.created", school, school), _event("participant.viewed", school, person),
                  audit.record("login.success")]
        events.append(AuditEvent(action="x", object_type="Roadmap", object_id="999999"))  # deleted since
        events.append(AuditEvent(action="x", object_type="Unheard", object_id="1"))
        db.session.add_all(events[-2:])
        db.session.commit()
        ids = [e.id for e in events]
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]), force_locale("en"):
        described = describe_objects(db.session.get(AuditEvent, i) for i in ids)
    assert described[ids[0]] == "Organisation «Школа 1.1.1»"
    assert described[ids[1]] == "Participant"  # a person is never named in the log
    assert ids[2] not in described  # no object
    assert described[ids[3]] == "Roadmap"  # gone: its kind only
    assert described[ids[4]] == "Record"
    assert not any(re.search(r"\d", text) for text in described.values() if "«" not in text)


def test_an_object_the_reader_may_not_see_shows_its_kind_only(ctx, tree):
    with unscoped("tests.audit_objects"):
        other = db.session.get(Organization, tree.ids["r2m1s1"])
        event = _event("organization.created", other, other)
        db.session.commit()
        event_id = event.id
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]), force_locale("en"):
        assert describe_objects([db.session.get(AuditEvent, event_id)]) == {event_id: "Organisation"}


def test_the_search_matches_the_labels_in_the_readers_language(ctx):
    with force_locale("en"):
        assert "login.success" in actions_matching("signed in", audit.ACTION_LABELS)
        assert object_kind("AnalyticalReport") == "Analytical report" and object_kind(None) == ""


def test_the_log_page_shows_labels_and_objects_not_codes(app, tree, login):
    client = app.test_client()
    login(client, tree.emails["r1m1s1.admin"])
    page = client.get(f"/org/{tree.ids['r1m1s1']}/audit").get_data(as_text=True)
    body = page.split("<tbody>", 1)[1]
    assert "login.success" not in body and "membership.created" not in body and "Membership " not in body
    found = client.get(f"/org/{tree.ids['r1m1s1']}/audit?q=" + str(audit.ACTION_LABELS["login.success"]))
    assert found.status_code == 200
