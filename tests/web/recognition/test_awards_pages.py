"""Awards through the web: the one register (search, filter, pages of a fixed query count), a new
award for a mentor (from a pair's page too) or a partner, refusals that save nothing, an award
in an order frozen, publication by the principal only with consent; award orders (next number
of the year, the school's own awards only, page and DOCX audited); the mentor's card shows the
awards."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from docx import Document

from core.extensions import db
from mentorship.people.models import Participant
from mentorship.people.publication import give_publication_consent
from mentorship.recognition.models import Award, AwardOrder
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.support.bulk import insert_rows, owner
from tests.support.queries import queries_of_get
from tests.support.school import school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    for module in ("award_views", "award_order_views"):
        monkeypatch.setattr(f"blueprints.recognition.{module}.region_today", lambda: TODAY)


@pytest.fixture
def world(app, tree):
    with app.app_context():
        return school_world(tree)


def _client(app, tree, login, who):
    client = app.test_client()
    login(client, tree.emails[who])
    client.post("/auth/language/en", data={"csrf_token": csrf_token_from(client.get("/", follow_redirects=True)),
                                           "next": "/"})
    return client


@pytest.fixture
def curator(app, tree, login):
    return _client(app, tree, login, "r1m1s1.staff")


@pytest.fixture
def principal(app, tree, login):
    return _client(app, tree, login, "r1m1s1.admin")


def _post(client, url, data=None, page=None):
    token = csrf_token_from(client.get(page or url, follow_redirects=True))
    return client.post(url, data={**(data or {}), "csrf_token": token})


def _rows(app, model):
    with app.app_context(), unscoped("tests.rows"):
        rows = db.session.scalars(sa.select(model).order_by(model.id)).all()
        db.session.expunge_all()
    return rows


def _audit(app, action):
    with app.app_context(), unscoped("tests.audit"):
        return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def _text(response) -> str:
    return response.get_data(as_text=True)


AWARD = {"recipient": "mentor", "kind": "certificate", "awarded_on": "2026-11-20", "title": "За наставничество",
         "note": ""}


def test_the_register(app, world, curator):
    html = _text(curator.get("/recognition/awards"))
    assert "Иванова Мария Петровна" in html and "АО «Завод»" in html and "Letter of thanks" in html
    assert "awaiting an order" in html and "№ 1-П" in html
    assert "Иванова" not in _text(curator.get("/recognition/awards?q=Завод"))
    html = _text(curator.get("/recognition/awards?kind=bonus"))
    assert 'id="no-awards"' in html and "No award matches" in html


def test_a_new_award_from_the_pairs_page(app, world, curator):
    page = _text(curator.get(f"/school/pairs/{world.pair}/completion"))
    link = re.search(r'id="award-for-pair" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    form = _text(curator.get(link))
    assert re.search(rf'<option selected value="{world.mentor}">', form)
    response = _post(curator, link, {**AWARD, "participant_id": world.mentor, "mentorship_id": world.pair,
                                     "granting_org_id": world.org_id})
    assert response.status_code == 302 and f"/school/pairs/{world.pair}/completion" in response.headers["Location"]
    award = _rows(app, Award)[-1]
    assert (award.participant_id, award.mentorship_id, award.kind, award.granted_by) == (
        world.mentor, world.pair, "certificate", "Школа 1.1.1")
    assert "За наставничество" in _text(curator.get(f"/school/pairs/{world.pair}/completion"))


def test_a_letter_of_thanks_to_a_partner(app, tree, world, curator):
    form = _text(curator.get("/recognition/awards/new?recipient=enterprise"))
    assert re.search(r'<input checked[^>]*value="enterprise"', form)
    response = _post(curator, "/recognition/awards/new", {
        **AWARD, "recipient": "enterprise", "enterprise_id": world.enterprise, "kind": "thanks",
        "granting_org_id": tree.ids["r1m1"], "order_number": "77-к", "order_date": "2026-11-01"})
    assert response.status_code == 302
    award = _rows(app, Award)[-1]
    assert (award.enterprise_id, award.participant_id, award.granted_by, award.order_number) == (
        world.enterprise, None, "Управление 1.1", "77-к")


@pytest.mark.parametrize("changes,message", [
    ({"awarded_on": "2026-12-01"}, "The date is in the future."),
    ({"order_number": "12"}, "Enter the date of the order."),
    ({"participant_id": ""}, "Choose the mentor or the partner enterprise."),
    ({"granting_org_id": "", "granted_by": ""}, "Choose the granting body or enter its name."),
    ({"kind": "medal"}, "Not a valid choice"),
])
def test_refusals_save_nothing(app, world, curator, changes, message):
    before = len(_rows(app, Award))
    data = {**AWARD, "participant_id": world.mentor, "granting_org_id": world.org_id, **changes}
    response = _post(curator, "/recognition/awards/new", data)
    assert response.status_code == 200 and message in _text(response)
    assert len(_rows(app, Award)) == before


def test_edit_and_delete_while_in_no_order(app, world, curator):
    url = f"/recognition/awards/{world.award}/edit"
    assert re.search(r'<option selected value="thanks">', _text(curator.get(url)))
    response = _post(curator, url, {**AWARD, "participant_id": world.mentor, "granting_org_id": world.org_id,
                                    "kind": "gratitude"})
    assert response.status_code == 302
    assert {a.id: a.kind for a in _rows(app, Award)}[world.award] == "gratitude"
    # an award listed in an order is frozen: its edit page leads to the order
    frozen = curator.get(f"/recognition/awards/{world.partner_award}/edit")
    assert frozen.status_code == 302 and f"/recognition/award-orders/{world.award_order}" in frozen.headers["Location"]
    refused = _post(curator, f"/recognition/awards/{world.partner_award}/delete", page="/recognition/awards")
    assert refused.status_code == 302 and world.partner_award in {a.id for a in _rows(app, Award)}
    _post(curator, f"/recognition/awards/{world.award}/delete", page="/recognition/awards")
    assert world.award not in {a.id for a in _rows(app, Award)}
    assert len(_audit(app, "award.deleted")) == 1


def test_publication_is_the_principals_and_needs_the_consent(app, tree, world, curator, principal):
    url = f"/recognition/awards/{world.award}/publish"
    assert _post(curator, url, {"public": "1"}, page="/recognition/awards").status_code == 403
    response = _post(principal, url, {"public": "1"}, page="/recognition/awards")
    assert response.status_code == 302
    assert "has not given a valid consent to publication" in _text(principal.get("/recognition/awards"))
    with app.app_context(), tenant_scope(world.org_id, tree.paths["r1m1s1"]):
        give_publication_consent(db.session.get(Participant, world.mentor), given_on=TODAY, scope_note="ФИО",
                                 by_user_id=None, today=TODAY)
        db.session.commit()
    _post(principal, url, {"public": "1"}, page="/recognition/awards")
    award = {a.id: a for a in _rows(app, Award)}[world.award]
    assert (award.is_public, award.public_name) == (True, "Иванова Мария Петровна")
    _post(principal, url, {"public": "0"}, page="/recognition/awards")
    assert {a.id: a.is_public for a in _rows(app, Award)}[world.award] is False


def test_award_orders(app, tree, world, curator):
    html = _text(curator.get("/recognition/award-orders/new"))
    assert set(re.findall(r'name="awards" value="(\d+)"', html)) == {str(world.award)}  # the ordered one is not offered
    assert 'value="О поощрении участников наставнической деятельности"' in html
    response = _post(curator, "/recognition/award-orders/new", {
        "dated": "2026-11-21", "title": "О поощрении участников наставнической деятельности",
        "grounds": "по итогам первого полугодия", "signatory": "Директоров Д. Д.", "awards": [world.award]})
    assert response.status_code == 302
    order_id = int(re.search(r"/award-orders/(\d+)$", response.headers["Location"]).group(1))
    order = {o.id: o for o in _rows(app, AwardOrder)}[order_id]
    assert (order.number, order.year) == ("2-П", 2026)
    html = _text(curator.get(f"/recognition/award-orders/{order_id}"))
    assert "Иванова Мария Петровна" in html and "2-П" in html and "Директоров Д. Д." in html
    docx = curator.get(f"/recognition/award-orders/{order_id}.docx")
    assert docx.status_code == 200 and docx.headers["Content-Disposition"].startswith("attachment;")
    assert "№ 2-П" in "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert len(_audit(app, "award_order.viewed")) == 1 and len(_audit(app, "award_order.downloaded")) == 1
    html = _text(curator.get("/recognition/award-orders"))
    assert "2-П" in html and "1-П" in html
    assert "2-П" not in _text(curator.get("/recognition/award-orders?q=1-П"))
    # nothing left to order: an empty state, and no order without awards
    html = _text(curator.get("/recognition/award-orders/new"))
    assert 'id="no-candidates"' in html
    refused = _post(curator, "/recognition/award-orders/new", {"dated": "2026-11-21", "title": "x"})
    assert refused.status_code == 200 and 'id="awards-errors"' in _text(refused)
    assert len(_rows(app, AwardOrder)) == 2


def test_the_mentors_card_shows_the_awards(app, world, curator):
    html = _text(curator.get(f"/school/participants/{world.mentor}/mentor-profile"))
    assert 'id="mentor-awards"' in html and "Letter of thanks" in html
    assert f"/recognition/mentors/{world.mentor}/portfolio" in html


def test_the_register_and_orders_keep_a_fixed_number_of_queries(app, tree, world, curator):
    def grow(n, first):
        row = owner(tree, "r1m1s1")
        with app.app_context():
            people = insert_rows(Participant, [{**row, "full_name": f"Наставник {i}", "category": "teacher",
                                                "in_mentor_bank": True} for i in range(n)])
            orders = insert_rows(AwardOrder, [{**row, "year": 2025, "seq": first + i,
                                               "number": f"{i}-X", "dated": date(2025, 5, 1), "title": "О поощрении"}
                                              for i in range(n)])
            insert_rows(Award, [{**row, "participant_id": p, "kind": "bonus", "awarded_on": date(2025, 5, 1),
                                 "order_id": o, "is_public": False} for p, o in zip(people, orders)])
            db.session.commit()

    grow(10, 1)
    urls = ["/recognition/awards", "/recognition/award-orders", "/recognition/portfolios"]
    small = [queries_of_get(app, curator, url) for url in urls]
    grow(300, 100)
    assert [queries_of_get(app, curator, url) for url in urls] == small
    assert "page=2" in _text(curator.get("/recognition/awards"))


def test_a_partners_agreement_to_be_named(app, tree, world, curator, principal):
    edit = f"/school/enterprises/{world.enterprise}/edit"
    assert "not agreed" in _text(curator.get(edit))
    award = f"/recognition/awards/{world.partner_award}/publish"
    _post(principal, award, {"public": "1"}, page="/recognition/awards")
    assert "has not agreed to be named publicly" in _text(principal.get("/recognition/awards"))
    assert _post(curator, f"/school/enterprises/{world.enterprise}/publication", {"agreed": "1"},
                 page=edit).status_code == 302
    assert "agreement to be named publicly is recorded" in _text(curator.get(edit))
    _post(principal, award, {"public": "1"}, page="/recognition/awards")
    assert {a.id: a.public_name for a in _rows(app, Award)}[world.partner_award] == "АО «Завод»"
    _post(curator, f"/school/enterprises/{world.enterprise}/publication", {"agreed": "0"}, page=edit)
    assert "1 of its awards were taken off the public pages" in _text(curator.get(edit))
    assert {a.id: a.is_public for a in _rows(app, Award)}[world.partner_award] is False
    assert [e.details for e in _audit(app, "enterprise.publication_withdrawn")] == [{"awards_unpublished": 1}]
