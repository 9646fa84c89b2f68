"""Participants, consents and partner enterprises through the web: a person is created only
with a consent, bad input and bad scans save nothing, the card is audited, withdrawal erases,
the list's query count does not grow with its rows."""
from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
import sqlalchemy as sa
from markupsafe import escape

from core.extensions import db
from mentorship.people import consents
from mentorship.people.consents import ConsentError
from mentorship.people.models import Consent, DestructionRecord, Enterprise, Participant
from mentorship.people.rules import MESSAGES as RULE_MESSAGES
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.support.bulk import insert_rows, owner
from tests.support.school import make_mentee

pytestmark = pytest.mark.backends("sqlite", "postgresql")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 32

NEW_PUPIL = {
    "full_name": "Петров Илья Сергеевич", "category": "pupil", "birth_date": "2012-04-01", "class_or_position": "8А",
    "representative_name": "Петрова Ольга", "representative_phone": "+7 911 000-00-00", "enterprise_id": "None",
    "consent_given_by": "representative", "consent_representative_name": "Петрова Ольга",
    "consent_authority_document": "свидетельство о рождении", "consent_given_on": "2026-09-01",
    "consent_purpose": "участие в программе наставничества", "consent_policy_version": "1.0",
}


@pytest.fixture
def curator(app, tree, login):
    client = app.test_client()
    login(client, tree.emails["r1m1s1.staff"])
    return client


def _post(client, url, data, page=None, **kwargs):
    token = csrf_token_from(client.get(page or url, follow_redirects=True))
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


class _message(str):
    """A message as the page shows it in the current locale: escaped (field errors) or raw
    (text a template translates itself); ``in`` accepts either."""

    def __new__(cls, app, lazy):
        with app.test_request_context():
            text = str(lazy)
        made = super().__new__(cls, text)
        made.escaped = str(escape(text))
        return made

    def within(self, body: str) -> bool:
        return str(self) in body or self.escaped in body


def _count(app, model) -> int:
    with app.app_context(), unscoped("test"):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _audit(app, action) -> list:
    with app.app_context(), unscoped("test"):
        return list(db.session.scalars(sa.select(AuditEvent.object_id).where(AuditEvent.action == action)))


def test_a_pupil_is_added_with_the_consent_and_its_scan(app, curator):
    page = curator.get("/school/participants/new").get_data(as_text=True)
    assert 'type="date"' in page and 'value="1.0"' in page  # policy version prefilled
    response = _post(curator, "/school/participants/new",
                     {**NEW_PUPIL, "consent_scan": (BytesIO(PDF), "soglasie.pdf")},
                     content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    person_id = int(re.search(r"/school/participants/(\d+)", response.headers["Location"]).group(1))
    with app.app_context(), unscoped("test"):
        person = db.session.get(Participant, person_id)
        assert (person.full_name, person.birth_year, person.representative_name) == (
            "Петров Илья Сергеевич", 2012, "Петрова Ольга")
        [consent] = person.consents
        assert consent.given_by == "representative" and consent.scan_content_type == "application/pdf"
        consent_id = consent.id
    assert _audit(app, "participant.created") == [str(person_id)]
    card = curator.get(f"/school/participants/{person_id}").get_data(as_text=True)
    assert "Петров Илья Сергеевич" in card and "soglasie.pdf" in card
    scan = curator.get(f"/school/consents/{consent_id}/scan")
    assert scan.status_code == 200 and scan.data == PDF
    assert scan.headers["Content-Disposition"].startswith("attachment;")
    assert _audit(app, "consent.scan_viewed") == [str(consent_id)]


def test_invalid_input_saves_nothing_and_names_the_problem(app, curator):
    response = _post(curator, "/school/participants/new", {**NEW_PUPIL, "representative_name": "",
                                                           "consent_given_by": "participant"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert _message(app, RULE_MESSAGES["representative_required"]).within(body)
    assert _message(app, ConsentError.MESSAGES["representative_consent_required"]).within(body)
    assert _count(app, Participant) == 0 and _count(app, Consent) == 0
    # the form's own checks too
    response = _post(curator, "/school/participants/new", {**NEW_PUPIL, "full_name": "", "email": "not-an-email"})
    assert response.status_code == 200 and _count(app, Participant) == 0


@pytest.mark.parametrize("name,data,code", [
    ("soglasie.pdf", PNG, "scan_mismatch"),
    ("soglasie.txt", b"plain text, not a scan", "scan_type"),
    ("big.pdf", PDF + b"0" * consents.MAX_SCAN_BYTES, "scan_too_large"),
])
def test_a_bad_scan_is_refused_and_nothing_is_saved(app, curator, name, data, code):
    response = _post(curator, "/school/participants/new", {**NEW_PUPIL, "consent_scan": (BytesIO(data), name)},
                     content_type="multipart/form-data")
    assert response.status_code == 200
    assert _message(app, ConsentError.MESSAGES[code]).within(response.get_data(as_text=True))
    assert _count(app, Participant) == 0 and _count(app, Consent) == 0


def _world(app, tree):
    with app.app_context(), tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        person = make_mentee(tree.ids["r1m1s1"], "Сидорова Анна")
        db.session.commit()
        return person.id, person.consents[0].id


def test_viewing_the_card_is_audited_and_editing_is_checked(app, tree, curator):
    person_id, _ = _world(app, tree)
    card = curator.get(f"/school/participants/{person_id}")
    assert card.status_code == 200 and "Сидорова Анна" in card.get_data(as_text=True)
    assert _audit(app, "participant.viewed") == [str(person_id)]
    url = f"/school/participants/{person_id}/edit"
    form = curator.get(url).get_data(as_text=True)
    assert 'value="Сидорова Анна"' in form and 'value="2011-05-01"' in form
    bad = _post(curator, url, {"full_name": "Сидорова Анна", "category": "pupil", "birth_date": "2030-01-01"})
    assert bad.status_code == 200
    assert _message(app, RULE_MESSAGES["birth_date_future"]).within(bad.get_data(as_text=True))
    good = _post(curator, url, {"full_name": "Сидорова Анна Ивановна", "category": "pupil", "birth_date": "2011-05-02",
                                "class_or_position": "9Б", "representative_name": "Сидоров Иван",
                                "representative_phone": "+7 900 1", "enterprise_id": "None"})
    assert good.status_code == 302
    with app.app_context(), unscoped("test"):
        person = db.session.get(Participant, person_id)
        assert (person.full_name, person.class_or_position, person.birth_year) == ("Сидорова Анна Ивановна", "9Б", 2011)
        details = db.session.scalar(sa.select(AuditEvent.details).where(AuditEvent.action == "participant.updated"))
    assert set(details["fields"]) == {"full_name", "birth_date", "class_or_position", "representative_name",
                                      "representative_phone"}
    assert "Сидоров" not in str(details)


def test_a_further_consent_and_a_withdrawal_that_erases(app, tree, curator):
    person_id, first_id = _world(app, tree)
    new_url = f"/school/participants/{person_id}/consents/new"
    fields = {"consent_given_by": "representative", "consent_representative_name": "Сидоров Иван",
              "consent_authority_document": "свидетельство", "consent_given_on": "2026-10-01",
              "consent_purpose": "p", "consent_policy_version": "2.0"}
    bad = _post(curator, new_url, {**fields, "consent_scan": (BytesIO(PNG), "scan.pdf")},
                content_type="multipart/form-data")
    assert bad.status_code == 200 and _count(app, Consent) == 1
    added = _post(curator, new_url, {**fields, "consent_scan": (BytesIO(PNG), "scan.png")},
                  content_type="multipart/form-data")
    assert added.status_code == 302 and _count(app, Consent) == 2
    with app.app_context(), unscoped("test"):
        second_id = db.session.scalar(sa.select(sa.func.max(Consent.id)))
    assert _audit(app, "consent.added") == [str(second_id)]
    card = f"/school/participants/{person_id}"
    assert _post(curator, f"/school/consents/{first_id}/withdraw", {"withdrawn_on": "2026-11-01", "reason": "r"},
                 page=card).status_code == 302
    assert _count(app, DestructionRecord) == 0  # another consent is valid
    # a withdrawal without a reason is refused
    _post(curator, f"/school/consents/{second_id}/withdraw", {"withdrawn_on": "2026-11-01", "reason": ""}, page=card)
    assert _count(app, DestructionRecord) == 0
    assert _post(curator, f"/school/consents/{second_id}/withdraw",
                 {"withdrawn_on": "2026-11-02", "reason": "заявление"}, page=card).status_code == 302
    assert _count(app, DestructionRecord) == 1
    assert _audit(app, "participant.erased") == [str(person_id)]
    page = curator.get(card).get_data(as_text=True)
    assert "Сидорова" not in page and "Сидоров Иван" not in page
    assert curator.get(f"/school/consents/{second_id}/scan").status_code == 404  # the scan is gone
    assert curator.get(f"/school/participants/{person_id}/edit").status_code == 302  # nothing left to edit
    listing = curator.get("/school/participants").get_data(as_text=True)
    assert "Сидорова" not in listing and f"/school/participants/{person_id}" in listing


def test_enterprises_list_create_edit(app, tree, curator):
    from flask_babel import lazy_gettext as _l

    empty = curator.get("/school/enterprises").get_data(as_text=True)
    assert _message(app, _l("No partner enterprises yet.")).within(empty)
    bad = _post(curator, "/school/enterprises/new", {"name": "АО «Завод»", "inn": "12345"})
    assert bad.status_code == 200 and _count(app, Enterprise) == 0
    assert _post(curator, "/school/enterprises/new", {"name": "АО «Завод»", "inn": "7707083893"}).status_code == 302
    with app.app_context(), unscoped("test"):
        enterprise_id = db.session.scalar(sa.select(Enterprise.id))
    listing = curator.get("/school/enterprises?q=завод").get_data(as_text=True)
    assert "7707083893" in listing
    assert _post(curator, f"/school/enterprises/{enterprise_id}/edit",
                 {"name": "АО «Завод» (филиал)", "inn": ""}).status_code == 302
    with app.app_context(), unscoped("test"):
        assert db.session.get(Enterprise, enterprise_id).inn is None
    # the employer's form offers the school's enterprises only
    with app.app_context(), tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):
        db.session.add(Enterprise(org_id=tree.ids["r1m1s2"], name="Чужое ООО"))
        db.session.commit()
    form = curator.get("/school/participants/new").get_data(as_text=True)
    assert "АО «Завод» (филиал)" in form and "Чужое ООО" not in form


def test_the_list_filters_and_keeps_its_query_count(app, tree, curator):
    from flask_babel import lazy_gettext as _l

    empty = _l("No participants yet. Add pupils, teachers, students and employers' representatives "
               "with their consents.")
    assert _message(app, empty).within(curator.get("/school/participants").get_data(as_text=True))

    def fill(n):
        row, start = owner(tree, "r1m1s1"), _count(app, Participant)
        with app.app_context():
            [enterprise] = insert_rows(Enterprise, [{**row, "name": "АО"}])
            people = insert_rows(Participant, [
                {**row, "full_name": f"Участник {start + i:04d}", "category": ("pupil", "teacher", "employer")[i % 3],
                 "birth_year": 2000, "in_mentor_bank": i % 2 == 0, "enterprise_id": enterprise if i % 3 == 2 else None}
                for i in range(n)])
            insert_rows(Consent, [{**row, "participant_id": p, "given_by": "participant", "purpose": "p",
                                   "policy_version": "1", "given_on": date(2026, 1, 1)} for p in people], ids=False)
            db.session.commit()

    def queries(url):
        seen = []

        def count(*args):
            seen.append(args[2])

        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute", count)
            try:
                assert curator.get(url).status_code == 200
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    fill(10)
    small = queries("/school/participants")
    assert small >= 3  # the listener sees the page's queries
    fill(990)
    assert queries("/school/participants") == small
    assert queries("/school/participants?page=3&bank=mentor&category=teacher&q=участник") == small
    page = curator.get("/school/participants?q=УЧАСТНИК 0003").get_data(as_text=True)
    assert "Участник 0003" in page and "Участник 0004" not in page
    teachers = curator.get("/school/participants?category=teacher&bank=none").get_data(as_text=True)
    assert "Участник 0001" in teachers and "Участник 0000" not in teachers and "Участник 0003" not in teachers
    nobody = curator.get("/school/participants?q=никого").get_data(as_text=True)
    assert _message(app, _l("No one matches the search.")).within(nobody)


def test_the_enterprises_keep_their_query_count(app, tree, curator):
    """Partner enterprises with their people counted: 10 or 1,000 of them, the same queries."""
    def fill(n):
        row, start = owner(tree, "r1m1s1"), _count(app, Enterprise)
        with app.app_context():
            firms = insert_rows(Enterprise, [{**row, "name": f"ООО «Партнёр {start + i:04d}»"} for i in range(n)])
            insert_rows(Participant, [{**row, "full_name": f"Представитель {f}", "category": "employer",
                                       "enterprise_id": f} for f in firms for _ in range(2)], ids=False)
            db.session.commit()

    def queries(url):
        seen = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(1)  # noqa: E731
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            response = curator.get(url)
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        assert response.status_code == 200
        return len(seen), response.get_data(as_text=True)

    fill(10)
    small = [queries(url)[0] for url in ("/school/enterprises", "/school/enterprises?q=партнёр")]
    fill(990)
    assert [queries(url)[0] for url in ("/school/enterprises", "/school/enterprises?q=партнёр")] == small
    _, html = queries("/school/enterprises?q=Партнёр 0999")
    assert "Партнёр 0999" in html and "Партнёр 0998" not in html and "<td>2</td>" in html
