"""Orders through the web: the register, a new order (suggested number, principal, pairs of
the programme), refusals, the order's page and its DOCX download (audited, owner-only)."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from docx import Document

from core.extensions import db
from mentorship.pairing.models import Mentorship, MentorshipMentee, Order, OrderItem, Programme
from mentorship.pairing.orders import DEFAULT_TITLE, OrderError
from mentorship.pairing.pairs import create_mentorship
from mentorship.people.models import Participant
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.support.bulk import insert_rows, owner
from tests.support.queries import queries_of_get
from tests.support.school import make_mentee, make_mentor, make_programme, school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def world(app, tree):
    with app.app_context():
        world = school_world(tree)
        with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
            programme = db.session.get(Programme, world.programme)
            mentor = db.session.get(Participant, world.mentor)
            spare = db.session.get(Participant, world.spare)
            world.unordered = create_mentorship(programme, mentor, [spare], date(2026, 10, 1)).id
            other = make_programme(world.org_id, "teacher_pupil", title="Другая программа")
            world.other_programme = other.id
            world.other_pair = create_mentorship(other, make_mentor(world.org_id, "Смирнов Павел"),
                                                 [make_mentee(world.org_id, "Кузнецов Олег")], date(2026, 10, 1)).id
            db.session.commit()
        return world


@pytest.fixture
def curator(app, tree, login):
    client = app.test_client()
    login(client, tree.emails["r1m1s1.staff"])
    return client


def _orders(app) -> list[tuple[str, list[int]]]:
    with app.app_context(), unscoped("test"):
        return [(o.number, [i.mentorship_id for i in o.items])
                for o in db.session.scalars(sa.select(Order).order_by(Order.id))]


def _audit(app, action) -> list[AuditEvent]:
    with app.app_context(), unscoped("test"):
        return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def _message(app, code) -> str:
    with app.test_request_context():
        return str(OrderError.MESSAGES[code])


def test_the_register_lists_and_searches_orders(app, tree, world, curator):
    html = curator.get("/school/orders").get_data(as_text=True)
    assert "15-од" in html and DEFAULT_TITLE in html and f"/school/orders/{world.order}.docx" in html
    assert "15-од" in curator.get("/school/orders?q=15").get_data(as_text=True)
    assert "15-од" in curator.get("/school/orders?q=утверждении").get_data(as_text=True)
    html = curator.get("/school/orders?q=zzz").get_data(as_text=True)
    assert "15-од" not in html and 'id="no-orders"' in html


def test_the_new_order_suggests_number_principal_and_the_programmes_pairs(app, tree, world, curator):
    html = curator.get("/school/orders/new").get_data(as_text=True)
    assert 'value="16-од"' in html and f'value="{DEFAULT_TITLE}"' in html
    assert f'value="{tree.users["r1m1s1.admin"].full_name}"' in html
    checked = set(re.findall(r'name="pairs" value="(\d+)"[^>]*checked', html))
    assert checked == {str(world.unordered), str(world.other_pair)}  # the ordered pair is not offered
    html = curator.get(f"/school/orders/new?programme={world.other_programme}").get_data(as_text=True)
    assert set(re.findall(r'name="pairs" value="(\d+)"', html)) == {str(world.other_pair)}


def test_an_order_is_created_for_the_chosen_pairs(app, tree, world, curator):
    page = curator.get(f"/school/orders/new?programme={world.programme}")
    response = curator.post("/school/orders/new", data={
        "number": "16-од", "dated": "2026-10-02", "title": DEFAULT_TITLE, "programme": world.programme,
        "signatory": "Директоров Д. Д.", "pairs": [world.unordered], "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    order_id = int(re.search(r"/school/orders/(\d+)$", response.headers["Location"]).group(1))
    assert _orders(app)[-1] == ("16-од", [world.unordered])
    assert [e.object_id for e in _audit(app, "order.created")] == [str(order_id)]
    html = curator.get(f"/school/orders/{order_id}").get_data(as_text=True)
    assert "Сидорова Анна" in html and "Директоров Д. Д." in html
    assert len(_audit(app, "order.viewed")) == 1


def test_refusals_save_nothing(app, tree, world, curator):
    page = curator.get("/school/orders/new")
    base = {"dated": "2026-10-02", "title": DEFAULT_TITLE, "programme": "", "csrf_token": csrf_token_from(page)}
    before = _orders(app)

    response = curator.post("/school/orders/new", data={**base, "number": "17-од"})  # no pair
    assert response.status_code == 200 and 'id="pairs-errors"' in response.get_data(as_text=True)

    response = curator.post("/school/orders/new", data={**base, "number": "15-од", "pairs": [world.unordered]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and _message(app, "number_taken") in html

    response = curator.post("/school/orders/new", data={**base, "number": "17-од", "pairs": [world.pair]})
    assert response.status_code == 200  # already in order 15-од: not a choice

    response = curator.post("/school/orders/new", data={**base, "number": "17-од", "programme": world.programme,
                                                        "pairs": [world.other_pair]})
    assert response.status_code == 200  # not a pair of the chosen programme
    assert _orders(app) == before and _audit(app, "order.created") == []


def test_the_docx_download(app, tree, world, curator):
    response = curator.get(f"/school/orders/{world.order}.docx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    document = Document(io.BytesIO(response.data))
    texts = [p.text for p in document.paragraphs]
    assert "Школа 1.1.1" in texts and "ПРИКАЗ" in texts and any("№ 15-од" in t for t in texts)
    [table] = document.tables
    assert [c.text for c in table.rows[1].cells] == [
        "1", "Иванова Мария Петровна", "Петров Илья", "учитель – ученик", "Программа teacher_pupil", "с 15.09.2026"]
    [downloaded] = _audit(app, "order.downloaded")
    assert downloaded.object_id == str(world.order) and downloaded.org_id == world.org_id


def test_orders_are_the_schools_alone(app, tree, world, login):
    above = app.test_client()
    login(above, tree.emails["r1m1.admin"])
    assert above.get(f"/school/orders/{world.order}.docx").status_code == 404
    assert above.get("/school/orders").status_code == 404
    assert _audit(app, "order.downloaded") == []


def _add_orders(app, tree, world, start, n):
    """``n`` more pairs, each in an order of its own (numbers ``start``…) and all of them in
    the world's order 15-од as well: the register and the order's page both grow by ``n``."""
    row = owner(tree, "r1m1s1")
    with app.app_context():
        pairs = insert_rows(Mentorship, [
            {**row, "programme_id": world.programme, "form_code": "teacher_pupil", "mentor_id": world.mentor,
             "started_on": date(2026, 10, 1), "status": "active", "reasons": []} for _ in range(n)])
        insert_rows(MentorshipMentee, [{**row, "mentorship_id": p, "participant_id": world.spare} for p in pairs])
        orders = insert_rows(Order, [
            {**row, "number": f"{i}-од", "dated": date(2026, 10, 1), "title": DEFAULT_TITLE,
             "programme_id": world.programme if i % 2 else None} for i in range(start, start + n)])
        insert_rows(OrderItem, [{**row, "order_id": o, "mentorship_id": p, "mentee_ids": [world.spare]}
                                for o, p in zip(orders, pairs)])
        insert_rows(OrderItem, [{**row, "order_id": world.order, "mentorship_id": p, "mentee_ids": [world.spare]}
                                for p in pairs])
        db.session.commit()


def test_the_register_and_an_order_issue_the_same_queries_for_10_and_1000_rows(app, tree, world, curator):
    _add_orders(app, tree, world, 100, 9)
    urls = ["/school/orders", "/school/orders?q=од", f"/school/orders/{world.order}"]
    small = [queries_of_get(app, curator, url) for url in urls]
    _add_orders(app, tree, world, 200, 990)
    assert len(_orders(app)) == 1000
    assert [queries_of_get(app, curator, url) for url in urls] == small
    html = curator.get(f"/school/orders/{world.order}").get_data(as_text=True)
    assert html.count("Сидорова Анна") == 999  # every pair of the order, as the order froze its mentees
