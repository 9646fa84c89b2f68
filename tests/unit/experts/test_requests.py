"""Requests for an expert's help: a school asks, the keeper or the expert answers and closes,
the school follows the status; siblings and other bodies never see a request; each step is
audited, notified and mailed; two answers at once: one wins."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.experts import bank, help_requests
from mentorship.experts.models import Expert, ExpertRequest
from tenants.context import tenant_scope
from tenants.memberships import grant_membership
from tenants.models import AuditEvent, Notification, Organization
from tenants.roles import Role
from tests.support.factories import make_user
from tests.unit.experts.support import TODAY, make_expert, make_request
from tests.unit.library.support import acting_as

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _outbox(app) -> list:
    return app.extensions.get("mail_outbox", [])


def _access(tree, user_key: str, request_id: int):
    with acting_as(tree, user_key) as (membership, user):
        try:
            return help_requests.access(request_id, membership, user).side
        except help_requests.RequestNotFound:
            return None
        finally:
            db.session.rollback()


def test_a_school_asks_an_expert_and_the_keeper_and_the_expert_hear_of_it(ctx, tree):
    expert_id = make_expert(tree)
    request_id = make_request(tree, expert_id)
    with tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):
        made = db.session.get(ExpertRequest, request_id)
        assert made.status == "new" and made.keeper_org_id == tree.ids["r1m1"] and made.org_id == tree.ids["r1m1s1"]
        note = db.session.scalar(sa.select(Notification).where(Notification.recipient_org_id == tree.ids["r1m1"]))
        assert note.text == "Школа 1.1.1: новый запрос на помощь эксперта «Адаптация молодого учителя»"
        assert note.link == f"/experts/requests/{request_id}"
    mails = _outbox(ctx)
    assert sorted(m["To"] for m in mails) == ["r1m1-admin@test.ru", "r1m1-staff@test.ru", "sokolova@iro-region.ru"]
    body = mails[0].get_content()
    assert "Нужна консультация" in body and "октябрь" in body and f"http://nastavnik.test/experts/requests/{request_id}" in body
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "expert_request.created"))
    assert event.object_id == str(request_id) and event.org_id == tree.ids["r1m1s1"]


def test_bad_requests_name_their_fields(ctx, tree):
    expert_id = make_expert(tree)
    with acting_as(tree, "r1m1s1.staff") as (membership, user):
        expert = db.session.get(Expert, expert_id)
        with pytest.raises(help_requests.RequestError) as error:
            help_requests.ask_expert(membership.org, user, expert, topic=" ", text="", preferred_dates="x" * 301)
        assert {(p.field, p.code) for p in error.value.problems} == {
            ("topic", "topic_required"), ("text", "text_required"), ("preferred_dates", "dates_too_long")}
        with pytest.raises(help_requests.RequestError) as error:
            help_requests.ask_keeper(membership.org, user, tree.ids["r1m2"], topic="Тема", text="Текст")
        assert error.value.problems[0].field == "keeper_id"


def test_an_expert_who_withdrew_the_consent_cannot_be_asked(ctx, tree):
    expert_id = make_expert(tree)
    with acting_as(tree, "r1m1s1.staff") as (membership, user):
        expert = db.session.get(Expert, expert_id)
        assert expert is not None
        db.session.rollback()
    with acting_as(tree, "r1m1.admin") as (membership, _user):
        bank.withdraw_display_consent(membership, db.session.get(Expert, expert_id), TODAY)
        db.session.commit()
    with acting_as(tree, "r1m1s1.staff") as (membership, user):
        with pytest.raises(help_requests.RequestError) as error:
            help_requests.ask_expert(membership.org, user, db.session.get(Expert, expert_id), topic="Т", text="Т")
        assert error.value.code == "expert_unavailable"


def test_who_sees_a_request(ctx, tree):
    expert_id = make_expert(tree)
    request_id = make_request(tree, expert_id)
    assert _access(tree, "r1m1s1.admin", request_id) == "requester"
    assert _access(tree, "r1m1.staff", request_id) == "keeper"
    for outsider in ("r1m1s2.admin", "r1m2.admin", "r1.admin", "r2.admin", "r2m1s1.admin"):
        assert _access(tree, outsider, request_id) is None, outsider
    # a request to the ministry's bank is not the municipal body's business
    to_ministry = make_request(tree, None, keeper_key="r1")
    assert _access(tree, "r1.admin", to_ministry) == "keeper"
    assert _access(tree, "r1m1.admin", to_ministry) is None


def test_the_keeper_accepts_naming_an_expert_and_closes_with_the_outcome(ctx, tree):
    expert_id = make_expert(tree)
    request_id = make_request(tree, None)  # to the keeper: no expert yet
    ctx.extensions.pop("mail_outbox", None)
    with acting_as(tree, "r1m1.staff") as (membership, user):
        view = help_requests.access(request_id, membership, user)
        with pytest.raises(help_requests.RequestError) as error:
            help_requests.accept(view, membership, user, expert_id=expert_id + 100)
        assert error.value.problems[0].field == "expert_id"
        help_requests.accept(view, membership, user, expert_id=expert_id, comment="Свяжемся на неделе")
        db.session.commit()
        assert view.request.status == "accepted" and view.request.expert_id == expert_id
        with pytest.raises(help_requests.RequestError) as error:
            help_requests.close(view, membership, user, outcome=" ")
        assert error.value.code == "outcome_required"
        help_requests.close(view, membership, user, outcome="Проведён семинар для 12 педагогов")
        db.session.commit()
    with acting_as(tree, "r1m1s1.admin") as (membership, user):
        view = help_requests.access(request_id, membership, user)
        assert view.request.status == "closed" and view.request.outcome.startswith("Проведён")
        assert help_requests.addressed_expert_name(view.request, view.side) == "Соколова Анна Петровна"
        texts = list(db.session.scalars(sa.select(Notification.text).where(
            Notification.recipient_org_id == tree.ids["r1m1s1"]).order_by(Notification.id)))
        assert texts == ["Управление 1.1: запрос на помощь эксперта «Адаптация молодого учителя» принят",
                         "Управление 1.1: работа по запросу «Адаптация молодого учителя» завершена"]
    mails = _outbox(ctx)
    assert {m["To"] for m in mails} == {"r1m1s1-admin@test.ru", "r1m1s1-staff@test.ru"}
    assert any("Проведён семинар" in m.get_content() for m in mails)
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"expert_request.accepted", "expert_request.closed"} <= actions


def test_a_decline_needs_a_reason_and_a_new_request_can_be_withdrawn(ctx, tree):
    expert_id = make_expert(tree)
    first = make_request(tree, expert_id)
    second = make_request(tree, expert_id, topic="Профориентация")
    with acting_as(tree, "r1m1.admin") as (membership, user):
        view = help_requests.access(first, membership, user)
        with pytest.raises(help_requests.RequestError) as error:
            help_requests.decline(view, membership, user, comment="")
        assert error.value.problems[0].field == "comment"
        help_requests.decline(view, membership, user, comment="Эксперт в отпуске до ноября")
        db.session.commit()
    with acting_as(tree, "r1m1s1.staff") as (membership, user):
        view = help_requests.access(first, membership, user)
        assert view.request.status == "declined" and not view.can_withdraw and not view.can_answer
        view = help_requests.access(second, membership, user)
        help_requests.withdraw(view, membership, user)
        db.session.commit()
        assert view.request.status == "withdrawn"
        with pytest.raises(help_requests.RequestError):
            help_requests.accept(view, membership, user)  # the asker does not answer


def test_two_answers_at_once_one_wins(ctx, tree):
    expert_id = make_expert(tree)
    request_id = make_request(tree, expert_id)
    with acting_as(tree, "r1m1.admin") as (membership, user):
        view = help_requests.access(request_id, membership, user)
        # someone else declined it meanwhile (after this page was loaded)
        db.session.execute(sa.update(ExpertRequest).where(ExpertRequest.id == request_id)
                           .values(status="declined").execution_options(synchronize_session=False))
        with pytest.raises(help_requests.RequestStateError) as error:
            help_requests.accept(view, membership, user)
        assert error.value.code == "changed_meanwhile"


def test_the_expert_signed_in_sees_and_answers_the_requests_to_them(ctx, tree):
    expert_id = make_expert(tree)
    other_id = make_expert(tree, full_name="Другой Эксперт", email="other@iro-region.ru")
    with tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):
        person = make_user("sokolova@iro-region.ru", "Соколова Анна Петровна")
        grant_membership(person, db.session.get(Organization, tree.ids["r1m1"]), Role.EXPERT)
        db.session.get(Expert, expert_id).user_id = person.id
        db.session.commit()
        tree.users["r1m1.expert"] = person
    mine = make_request(tree, expert_id)
    theirs = make_request(tree, other_id, topic="Чужой запрос")
    to_keeper = make_request(tree, None, topic="Запрос управлению")
    with acting_as(tree, "r1m1.expert") as (membership, user):
        listed = [r.id for r in db.session.scalars(help_requests.requests_query(membership, user))]
        assert listed == [mine]
        assert help_requests.open_count(membership, user) == 1
        view = help_requests.access(mine, membership, user)
        assert view.side == "expert" and view.can_answer
        help_requests.accept(view, membership, user, expert_id=other_id)  # an expert does not reassign
        db.session.commit()
        assert view.request.expert_id == expert_id
        for other in (theirs, to_keeper):
            with pytest.raises(help_requests.RequestNotFound):
                help_requests.access(other, membership, user)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "expert_request.accepted"))
    assert event.details["by"] == "expert"


def test_a_hidden_expert_is_not_named_to_the_school(ctx, tree):
    expert_id = make_expert(tree)
    request_id = make_request(tree, expert_id)
    with acting_as(tree, "r1m1.admin") as (membership, _user):
        bank.withdraw_display_consent(membership, db.session.get(Expert, expert_id), TODAY)
        db.session.commit()
    with acting_as(tree, "r1m1s1.admin") as (membership, user):
        view = help_requests.access(request_id, membership, user)
        assert help_requests.addressed_expert_name(view.request, view.side) is None
    with acting_as(tree, "r1m1.admin") as (membership, user):
        view = help_requests.access(request_id, membership, user)
        assert help_requests.addressed_expert_name(view.request, view.side) == "Соколова Анна Петровна"
