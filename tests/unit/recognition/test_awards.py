"""Awards and incentives — one register (the former incentives are awards now): recording for
a mentor (from a pair too) or a partner enterprise, the granting body (the school, a body
above, free text) and another body's order; refusals save nothing; an award in an order is
frozen; the register searches and filters; publication needs the mentor's consent (a partner:
its agreement). Award orders: numbered per school and year, only awards granted by the school
and in no order, the Word document."""
from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from docx import Document

from core.extensions import db
from mentorship.people import publication
from mentorship.people.models import Enterprise, Participant
from mentorship.recognition import award_orders, awards
from mentorship.recognition.award_orders import AwardOrderError, create_award_order, number_of
from mentorship.recognition.awards import AwardData, AwardError, AwardFrozen, AwardPublicationError
from mentorship.recognition.models import AWARD_KINDS, Award, AwardOrder
from tenants.context import public_scope, tenant_scope
from tenants.models import AuditEvent, Organization
from tests.support.school import make_mentee, make_mentor, problems_of, school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)


@pytest.fixture
def world(ctx, tree):
    w = school_world(tree)
    with tenant_scope(w.org_id, tree.paths["r1m1s1"]):
        w.org = db.session.get(Organization, w.org_id)
        yield w


def _data(w, **changes) -> AwardData:
    values = {"kind": "certificate", "awarded_on": date(2026, 11, 20), "participant_id": w.mentor,
              "granting_org_id": w.org_id, "title": " За вклад в развитие наставничества "}
    return AwardData(**{**values, **changes})


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


def test_labels_cover_every_kind():
    assert set(awards.KIND_LABELS) == set(awards.KIND_RU) == set(AWARD_KINDS)
    # the kinds of the former incentives register are kept, with their meaning
    assert {"thanks", "certificate", "bonus", "nomination", "other"} <= set(AWARD_KINDS)


def test_an_award_of_a_mentor_granted_by_the_school(world, tree):
    award = awards.save_award(None, _data(world, mentorship_id=world.pair), org=world.org, today=TODAY)
    assert (award.participant_id, award.enterprise_id, award.mentorship_id) == (world.mentor, None, world.pair)
    assert (award.title, award.granted_by, award.granting_org_id) == (
        "За вклад в развитие наставничества", "Школа 1.1.1", world.org_id)
    assert award.is_public is False and award.public_name is None
    assert award in award_orders.orderable_awards(world.org_id)
    assert [a.id for a in awards.awards_of_pair(world.pair)] == [award.id]
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "award.recorded")).one()
    assert event.details["participant_id"] == world.mentor


def test_granted_by_a_body_above_with_its_order_or_by_a_body_outside(world, tree):
    municipal = awards.save_award(None, _data(world, granting_org_id=tree.ids["r1m1"], order_number="145-к",
                                              order_date=date(2026, 11, 1)), org=world.org, today=TODAY)
    assert (municipal.granted_by, municipal.order_number) == ("Управление 1.1", "145-к")
    outside = awards.save_award(None, _data(world, kind="diploma", granting_org_id=None,
                                            granted_by="Министерство просвещения РФ"), org=world.org, today=TODAY)
    assert (outside.granted_by, outside.granting_org_id) == ("Министерство просвещения РФ", None)
    assert [b[0] for b in awards.granting_bodies(world.org)] == [world.org_id, tree.ids["r1m1"], tree.ids["r1"]]
    # neither goes into the school's own order
    orderable = {a.id for a in award_orders.orderable_awards(world.org_id)}
    assert municipal.id not in orderable and outside.id not in orderable


def test_a_letter_of_thanks_to_a_partner_enterprise(world):
    award = awards.save_award(None, _data(world, kind="thanks", participant_id=None, enterprise_id=world.enterprise),
                              org=world.org, today=TODAY)
    assert (award.participant_id, award.enterprise_id) == (None, world.enterprise)
    assert [a.enterprise.name for a in db.session.scalars(awards.awards_statement("Завод")).unique()] == [
        "АО «Завод»", "АО «Завод»"]  # the world's letter in its order and this one


@pytest.mark.parametrize("changes,expected", [
    ({"kind": "medal"}, [("kind", "bad_kind")]),
    ({"participant_id": None}, [("participant_id", "recipient_required")]),
    ({"enterprise_id": "E"}, [("participant_id", "bad_recipient")]),
    ({"awarded_on": None}, [("awarded_on", "awarded_on_required")]),
    ({"awarded_on": date(2026, 11, 23)}, [("awarded_on", "in_future")]),
    ({"title": "x" * 301}, [("title", "title_too_long")]),
    ({"granting_org_id": "OTHER"}, [("granting_org_id", "bad_granting_org")]),
    ({"granting_org_id": None}, [("granting_org_id", "granted_by_required")]),
    ({"order_number": "12"}, [("order_date", "order_date_required")]),
    ({"order_date": date(2026, 11, 1)}, [("order_number", "order_number_required")]),
    ({"note": "x" * 2001}, [("note", "note_too_long")]),
    ({"mentorship_id": "OTHER_PAIR"}, [("mentorship_id", "pair_of_another")]),
])
def test_refusals_save_nothing(world, tree, changes, expected):
    changes = dict(changes)
    if changes.get("enterprise_id") == "E":
        changes["enterprise_id"] = world.enterprise
    if changes.get("granting_org_id") == "OTHER":
        changes["granting_org_id"] = tree.ids["r1m2"]  # a body, but not above the school
    if changes.get("mentorship_id") == "OTHER_PAIR":
        other = make_mentor(world.org_id, "Смирнов Олег")
        changes["participant_id"] = other.id
        changes["mentorship_id"] = world.pair
    before = _count(Award)
    with pytest.raises(AwardError) as refused:
        awards.save_award(None, _data(world, **changes), org=world.org, today=TODAY)
    assert problems_of(refused.value) == expected
    assert _count(Award) == before


def test_another_schools_people_are_not_found(world, tree):
    with tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):
        stranger = make_mentor(tree.ids["r1m1s2"], "Чужой Наставник")
        foreign_enterprise = Enterprise(org_id=tree.ids["r1m1s2"], name="Чужое АО")
        db.session.add(foreign_enterprise)
        db.session.flush()
        ids = stranger.id, foreign_enterprise.id
    with pytest.raises(AwardError) as refused:
        awards.save_award(None, _data(world, participant_id=ids[0]), org=world.org, today=TODAY)
    assert problems_of(refused.value) == [("participant_id", "no_such_participant")]
    with pytest.raises(AwardError) as refused:
        awards.save_award(None, _data(world, participant_id=None, enterprise_id=ids[1]), org=world.org, today=TODAY)
    assert problems_of(refused.value) == [("enterprise_id", "no_such_enterprise")]


def test_an_erased_person_gets_no_new_award(world):
    person = db.session.get(Participant, world.mentor)
    person.anonymised_at = datetime.now(UTC)
    db.session.flush()
    with pytest.raises(AwardError) as refused:
        awards.save_award(None, _data(world), org=world.org, today=TODAY)
    assert problems_of(refused.value) == [("participant_id", "erased")]
    # their existing award can still be corrected
    award = awards.load_award(world.award)
    awards.save_award(award, _data(world, kind="gratitude"), org=world.org, today=TODAY)
    assert award.kind == "gratitude"


def test_an_award_in_an_order_is_frozen(world):
    ordered = awards.load_award(world.partner_award)
    with pytest.raises(AwardFrozen):
        awards.save_award(ordered, _data(world, participant_id=None, enterprise_id=world.enterprise),
                          org=world.org, today=TODAY)
    with pytest.raises(AwardFrozen):
        awards.delete_award(ordered, org=world.org)
    free = awards.load_award(world.award)
    awards.delete_award(free, org=world.org)
    assert db.session.get(Award, world.award) is None


def test_the_register_searches_and_filters(world):
    other = make_mentor(world.org_id, "Смирнов Олег")
    awards.save_award(None, _data(world, participant_id=other.id, kind="bonus", title="Премия по итогам года"),
                      org=world.org, today=TODAY)
    every = db.session.scalars(awards.awards_statement()).unique().all()
    assert len(every) == 3
    assert [a.participant.full_name for a in db.session.scalars(awards.awards_statement("Смирнов")).unique()] == [
        "Смирнов Олег"]
    assert [a.kind for a in db.session.scalars(awards.awards_statement("итогам года")).unique()] == ["bonus"]
    assert [a.kind for a in db.session.scalars(awards.awards_statement(kind="bonus")).unique()] == ["bonus"]
    assert [a.id for a in awards.awards_of_participant(world.mentor)] == [world.award]


def test_mentor_choices_are_mentors_not_erased(world):
    names = [p.full_name for p in awards.mentor_choices()]
    assert names == ["Иванова Мария Петровна"]  # mentees are not offered


# ---------------------------------------------------------------------------- publication


def test_publishing_needs_the_consent_and_withdrawal_takes_it_off(world):
    award = awards.load_award(world.award)
    with pytest.raises(AwardPublicationError) as refused:
        awards.set_public(award, True, org=world.org, today=TODAY)
    assert refused.value.code == "no_consent"
    consent = publication.give_publication_consent(award.participant, given_on=TODAY, scope_note="ФИО, награды",
                                                   by_user_id=None, today=TODAY)
    awards.set_public(award, True, org=world.org, today=TODAY)
    assert (award.is_public, award.public_name) == (True, "Иванова Мария Петровна")
    publication.withdraw_publication_consent(consent, withdrawn_on=TODAY, reason="передумала", by_user_id=None,
                                             today=TODAY)
    assert (award.is_public, award.public_name) == (False, None)


def test_a_partner_is_published_only_with_its_agreement(world):
    award = awards.save_award(None, _data(world, kind="thanks", participant_id=None, enterprise_id=world.enterprise),
                              org=world.org, today=TODAY)
    with pytest.raises(AwardPublicationError) as refused:
        awards.set_public(award, True, org=world.org, today=TODAY)
    assert refused.value.code == "not_agreed"
    award.enterprise.publication_agreed = True
    awards.set_public(award, True, org=world.org, today=TODAY)
    assert award.public_name == "АО «Завод»"
    assert awards.unpublish_partner(world.enterprise) == 1
    assert (award.is_public, award.public_name) == (False, None)


def test_public_awards_under_the_public_scope(world, tree):
    award = awards.save_award(None, _data(world, kind="thanks", participant_id=None, enterprise_id=world.enterprise),
                              org=world.org, today=TODAY)
    award.enterprise.publication_agreed = True
    awards.set_public(award, True, org=world.org, today=TODAY)
    db.session.commit()
    with public_scope(tree.paths["r1"]):
        shown = awards.public_awards(world.org_id)
        assert [(a.public_name, a.kind) for a in shown] == [("АО «Завод»", "thanks")]
    with public_scope(tree.paths["r2"]):
        assert awards.public_awards(world.org_id) == []


# ---------------------------------------------------------------------------- award orders


def _school_award(w, person_id=None, **changes):
    return awards.save_award(None, _data(w, participant_id=person_id or w.mentor, **changes), org=w.org, today=TODAY)


def test_orders_are_numbered_per_school_and_year(world, tree):
    first = create_award_order(world.org, dated=date(2026, 11, 21), award_ids=[world.award])
    assert (first.year, first.seq, first.number) == (2026, 2, "2-П")  # the world's order is the 1st of 2026
    second = create_award_order(world.org, dated=date(2026, 12, 1), award_ids=[_school_award(world).id])
    assert second.number == number_of(3)
    next_year = create_award_order(world.org, dated=date(2027, 1, 10), award_ids=[_school_award(world).id])
    assert (next_year.year, next_year.number) == (2027, "1-П")
    # another school counts on its own
    with tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):
        school2 = db.session.get(Organization, tree.ids["r1m1s2"])
        mentor2 = make_mentor(school2.id, "Кузнецова Ольга")
        award2 = awards.save_award(None, _data(world, participant_id=mentor2.id, granting_org_id=school2.id),
                                   org=school2, today=TODAY)
        theirs = create_award_order(school2, dated=date(2026, 11, 21), award_ids=[award2.id])
        assert theirs.number == "1-П"
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "award_order.created")
                               .order_by(AuditEvent.id)).first()
    assert event.details == {"number": "2-П", "year": 2026, "awards": 1}


def test_a_number_taken_at_the_same_moment_moves_to_the_next(world, monkeypatch):
    """Two orders numbered at once: the unique key refuses the second, which takes the next."""
    from mentorship.recognition import award_orders as module

    real = module._next_seq
    calls = []

    def stale(org_id, year):
        calls.append(year)
        return 1 if len(calls) == 1 else real(org_id, year)  # the first guess collides with «1-П»

    monkeypatch.setattr(module, "_next_seq", stale)
    order = create_award_order(world.org, dated=date(2026, 11, 21), award_ids=[world.award])
    assert order.number == "2-П" and len(calls) == 2
    assert _count(AwardOrder) == 2


def test_order_refusals(world, tree):
    municipal = _school_award(world, granting_org_id=tree.ids["r1m1"], order_number="5", order_date=TODAY)
    for kwargs, expected in (
        ({"dated": None}, [("dated", "dated_required")]),
        ({"title": " "}, [("title", "title_required")]),
        ({"award_ids": []}, [("award_ids", "no_awards")]),
        ({"award_ids": [world.partner_award]}, [("award_ids", "award_not_orderable")]),  # already in an order
        ({"award_ids": [municipal.id]}, [("award_ids", "award_not_orderable")]),  # another body's order
        ({"award_ids": [10**6]}, [("award_ids", "award_not_orderable")]),
    ):
        values = {"dated": TODAY, "award_ids": [world.award], **kwargs}
        with pytest.raises(AwardOrderError) as refused:
            create_award_order(world.org, **values)
        assert problems_of(refused.value) == expected, kwargs
    assert _count(AwardOrder) == 1


def test_the_order_document(world):
    second = make_mentor(world.org_id, "Смирнов Олег", class_or_position="учитель физики")
    award2 = _school_award(world, second.id, kind="bonus", title="Премия")
    order = create_award_order(world.org, dated=date(2026, 11, 21), award_ids=[world.award, award2.id],
                               grounds="по итогам 2025/2026 учебного года", signatory="Петрова А. А.")
    loaded = award_orders.load_award_order(order.id)
    rows = award_orders.order_rows(loaded)
    assert [(r.recipient, r.kind) for r in rows] == [("Иванова Мария Петровна", "Благодарственное письмо"),
                                                       ("Смирнов Олег", "Премия")]
    data = award_orders.download_award_order(loaded, world.org)
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "ПРИКАЗ" in text and "№ 2-П" in text and "О поощрении участников наставнической деятельности" in text
    assert "по итогам 2025/2026 учебного года" in text and "Петрова А. А." in text
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[1][1:] == ["Иванова Мария Петровна", "", "Благодарственное письмо", ""]
    assert cells[2][3:] == ["Премия", "Премия"]
    assert cells[2][1:3] == ["Смирнов Олег", "учитель физики"]
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("award_order.%"))).all()
    assert sorted(actions) == ["award_order.created", "award_order.downloaded"]


def test_an_erased_person_is_printed_as_erased(world):
    mentee = make_mentee(world.org_id, "Ученик Тест")
    person = db.session.get(Participant, world.mentor)
    order = create_award_order(world.org, dated=TODAY, award_ids=[world.award])
    person.anonymised_at, person.full_name = datetime.now(UTC), "Персональные данные удалены"
    db.session.flush()
    db.session.expire_all()
    rows = award_orders.order_rows(award_orders.load_award_order(order.id))
    assert rows[0].recipient == "Персональные данные удалены"
    assert mentee.full_name not in [r.recipient for r in rows]
