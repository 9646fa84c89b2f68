"""Orders on pairs and groups: numbering, what may be put in an order, the Word document."""
from __future__ import annotations

import io
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from docx import Document

from core.documents import russian_date
from core.extensions import db
from mentorship.pairing.models import Order, OrderItem
from mentorship.pairing.order_document import to_docx
from mentorship.pairing.orders import (
    DEFAULT_TITLE,
    OrderError,
    create_order,
    load_order,
    order_rows,
    orderable_pairs,
    principal_name,
    suggest_number,
)
from mentorship.pairing.pair_queries import form_names
from mentorship.pairing.pairs import complete, create_mentorship
from tenants.context import tenant_scope
from tenants.models import Organization
from tests.support.school import make_mentee, make_mentor, make_programme

pytestmark = pytest.mark.backends("sqlite", "postgresql")

START = date(2026, 9, 15)


@pytest.fixture
def school(ctx, tree):
    org_id = tree.ids["r1m1s1"]
    with tenant_scope(org_id, tree.paths["r1m1s1"]):
        org = db.session.get(Organization, org_id)
        programme = make_programme(org_id, "teacher_pupil", title="Успешный ученик")
        other = make_programme(org_id, "teacher_pupil_sen", title="Особый ребёнок")
        mentor = make_mentor(org_id, "Иванова Мария Петровна", capacity=3)
        mentees = [make_mentee(org_id, name) for name in ("Петров Илья", "Сидорова Анна")]
        sen = make_mentee(org_id, "Кузнецов Олег", special_needs=True)
        group = create_mentorship(programme, mentor, mentees, START, planned_end_on=date(2027, 5, 31))
        single = create_mentorship(other, make_mentor(org_id, "Смирнов Павел"), [sen], START)
        db.session.commit()
        yield SimpleNamespace(org=org, org_id=org_id, programme=programme, other=other, group=group, single=single,
                              mentor=mentor, mentees=mentees, sen=sen)


def _order(school, number="15-од", pairs=None, **kwargs) -> Order:
    ids = [p.id for p in (pairs if pairs is not None else [school.group, school.single])]
    return create_order(school.org, number=number, dated=date(2026, 9, 20), title=DEFAULT_TITLE, pair_ids=ids,
                        **kwargs)


def _refused(code, school, **kwargs):
    with pytest.raises(OrderError) as info:
        _order(school, **kwargs)
    assert info.value.code == code
    db.session.rollback()


def test_suggested_numbers_follow_the_latest_order(school):
    assert suggest_number() == "1"
    _order(school, number="15-од", pairs=[school.group])
    db.session.commit()
    assert suggest_number() == "16-од"
    _order(school, number="16-од", pairs=[school.single])
    db.session.commit()
    assert suggest_number() == "17-од"


def test_the_number_is_unique_in_the_school(school, tree):
    _order(school, number="15-од", pairs=[school.group])
    db.session.commit()
    _refused("number_taken", school, number="15-од", pairs=[school.single])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Order)) == 1
    _order(school, number="15-од/2", pairs=[school.single])
    db.session.commit()


def test_another_school_may_use_the_same_number(school, tree):
    _order(school, number="15-од", pairs=[school.group])
    db.session.commit()
    other_id = tree.ids["r1m1s2"]
    with tenant_scope(other_id, tree.paths["r1m1s2"]):
        org = db.session.get(Organization, other_id)
        programme = make_programme(other_id)
        pair = create_mentorship(programme, make_mentor(other_id, "Другой Наставник"),
                                 [make_mentee(other_id, "Другой Ученик")], START)
        order = create_order(org, number="15-од", dated=date(2026, 9, 20), title=DEFAULT_TITLE, pair_ids=[pair.id])
        db.session.commit()
        assert order.number == "15-од"


def test_what_an_order_may_list(school, tree):
    _refused("no_pairs", school, pairs=[])
    _refused("pair_programme", school, programme=school.programme)
    _order(school, pairs=[school.group], programme=school.programme)
    db.session.commit()
    _refused("pair_ordered", school, number="16-од", pairs=[school.group])
    assert [p.id for p in orderable_pairs()] == [school.single.id]
    assert orderable_pairs(school.programme.id) == []
    complete(school.single, date(2027, 5, 1), "finish")
    db.session.commit()
    _refused("pair_not_active", school, number="17-од", pairs=[school.single])
    assert orderable_pairs() == []


def test_another_schools_pair_cannot_be_put_in_an_order(school, tree):
    other_id = tree.ids["r1m1s2"]
    with tenant_scope(other_id, tree.paths["r1m1s2"]):
        programme = make_programme(other_id)
        foreign = create_mentorship(programme, make_mentor(other_id, "Чужой Наставник"),
                                    [make_mentee(other_id, "Чужой Ученик")], START)
        db.session.commit()
        foreign_id = foreign.id
    with pytest.raises(OrderError) as info:
        create_order(school.org, number="1", dated=date(2026, 9, 20), title=DEFAULT_TITLE,
                     pair_ids=[school.group.id, foreign_id])
    assert info.value.code == "pair_not_active"  # not found through the scope
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrderItem)) == 0


def test_the_principal_signs_by_default(school, tree):
    assert principal_name(school.org) == tree.users["r1m1s1.admin"].full_name


def _docx_text(data: bytes):
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


def test_the_document_has_the_order_and_a_row_per_pair(school):
    order = _order(school, signatory="Директоров Д. Д.")
    db.session.commit()
    order = load_order(order.id)
    rows = order_rows(order, form_names(school.org.path))
    paragraphs, tables = _docx_text(to_docx(order, school.org.name, rows))
    assert paragraphs[0] == school.org.name
    assert "ПРИКАЗ" in paragraphs
    assert f"{russian_date(date(2026, 9, 20))}\t№ 15-од" in paragraphs
    assert "«20» сентября 2026 г." in russian_date(date(2026, 9, 20))
    assert DEFAULT_TITLE in paragraphs
    assert any("Р-145" in p and "ПРИКАЗЫВАЮ" not in p for p in paragraphs)
    assert "ПРИКАЗЫВАЮ:" in paragraphs
    assert "1. Утвердить наставнические пары/группы:" in paragraphs
    assert "2. Контроль за исполнением приказа оставляю за собой." in paragraphs
    assert any(p.startswith("Директор\t") and p.endswith("Директоров Д. Д.") for p in paragraphs)
    [table] = tables
    assert table[0] == ["№", "Наставник", "Наставляемый(е)", "Форма наставничества", "Программа", "Срок"]
    assert table[1] == ["1", "Иванова Мария Петровна", "Петров Илья\nСидорова Анна", "учитель – ученик",
                        "Успешный ученик", "с 15.09.2026 по 31.05.2027"]
    assert table[2] == ["2", "Смирнов Павел", "Кузнецов Олег", "учитель – ученик с ОВЗ", "Особый ребёнок",
                        "с 15.09.2026"]


def test_erased_people_are_not_named_in_the_document(school):
    order = _order(school, pairs=[school.group])
    db.session.commit()
    school.mentees[0].full_name = "—"
    school.mentees[0].anonymised_at = datetime(2026, 10, 1, tzinfo=UTC)
    db.session.commit()
    order = load_order(order.id)
    _, [table] = _docx_text(to_docx(order, school.org.name, order_rows(order, form_names(school.org.path))))
    assert table[1][2] == "Персональные данные удалены\nСидорова Анна"


def test_an_order_keeps_the_pairs_as_they_were_ordered(school):
    from mentorship.pairing.pairs import add_mentee, remove_mentee

    order = _order(school)
    db.session.commit()
    before = order_rows(load_order(order.id), form_names(school.org.path))
    # later the group changes: a mentee leaves, another joins, the planned end moves
    remove_mentee(school.group, school.group.members[1].id)
    add_mentee(school.group, make_mentee(school.org_id, "Новикова Дарья"), date(2026, 10, 1))
    school.group.planned_end_on = date(2027, 6, 30)
    db.session.commit()
    db.session.expire_all()
    after = order_rows(load_order(order.id), form_names(school.org.path))
    assert after == before
    assert before[0].mentees == ("Петров Илья", "Сидорова Анна")
    assert before[0].term.endswith("по 31.05.2027")
