"""The expert bank: a keeper adds experts (with the consent to processing), the region's users
below search them by area and municipality, only consented experts are shown to anyone but the
keeper, a withdrawal hides at once, erasure, accounts."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.experts import bank
from mentorship.experts.directory import (
    ExpertFilters,
    ExpertNotFound,
    body_names,
    can_ask,
    expert_choices,
    experts_query,
    keepers_above,
    municipality_choices,
    visible_expert,
)
from mentorship.experts.models import Expert
from tenants.context import tenant_scope
from tenants.memberships import grant_membership
from tenants.models import AuditEvent, Invitation, Organization, User
from tenants.roles import Role
from tests.support.factories import make_user
from tests.unit.experts.support import TODAY, expert_data, make_expert
from tests.unit.library.support import acting_as

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _names(tree, org_key: str, **filters) -> list[str]:
    with tenant_scope(tree.ids[org_key], tree.paths[org_key]):
        org = db.session.get(Organization, tree.ids[org_key])
        names = [e.full_name for e in db.session.scalars(experts_query(org, ExpertFilters(**filters)))]
        db.session.rollback()
        return names


def _sees(tree, org_key: str, expert_id: int) -> bool:
    with tenant_scope(tree.ids[org_key], tree.paths[org_key]):
        try:
            visible_expert(expert_id, db.session.get(Organization, tree.ids[org_key]))
        except ExpertNotFound:
            return False
        finally:
            db.session.rollback()
        return True


def test_an_expert_is_added_with_the_consent_to_processing(ctx, tree):
    expert_id = make_expert(tree, tags="медиация,  конфликты")
    with tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):
        expert = db.session.get(Expert, expert_id)
        assert expert.areas == "psychology,young_teachers" and expert.municipality_id == tree.ids["r1m1"]
        assert expert.tags == "медиация, конфликты" and expert.is_shown
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "expert.created"))
    assert event.object_id == str(expert_id) and "Соколова" not in str(event.details)


def test_bad_input_names_every_field_and_saves_nothing(ctx, tree):
    with acting_as(tree, "r1m1.admin") as (membership, _user):
        with pytest.raises(bank.ExpertError) as error:
            bank.create_expert(membership, expert_data(full_name=" ", kind="wizard", areas=["nope"], email="",
                                                       phone="", processing_consent_on=None), TODAY)
        assert {(p.field, p.code) for p in error.value.problems} == {
            ("full_name", "name_required"), ("kind", "kind"), ("areas", "areas_required"),
            ("email", "contact_required"), ("processing_consent_on", "consent_required")}
        with pytest.raises(bank.ExpertError) as error:
            bank.create_expert(membership, expert_data(email="not-an-address",
                                                       processing_consent_on=date(2027, 1, 1)), TODAY)
        assert {p.code for p in error.value.problems} == {"bad_email", "future_date"}
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(Expert.id))) == 0


def test_only_the_ministry_and_municipal_bodies_keep_a_bank(ctx, tree):
    for who in ("r1m1s1.admin", "r1.staff", "r1m1s1.staff"):  # a school, the ministry's analyst
        with acting_as(tree, who) as (membership, _user):
            with pytest.raises(bank.ExpertError) as error:
                bank.create_expert(membership, expert_data(), TODAY)
            assert error.value.code == "not_allowed"
    with acting_as(tree, "r1m1.staff") as (membership, _user):  # the municipal specialist may
        assert bank.create_expert(membership, expert_data(), TODAY).id


def test_the_ministry_places_its_expert_in_one_of_its_municipalities(ctx, tree):
    with acting_as(tree, "r1.admin") as (membership, _user):
        with pytest.raises(bank.ExpertError) as error:
            bank.create_expert(membership, expert_data(municipality_id=tree.ids["r2m1"]), TODAY)
        assert error.value.problems[0].field == "municipality_id"
        db.session.rollback()
    expert_id = make_expert(tree, "r1.admin", municipality_id=tree.ids["r1m2"])
    assert _names(tree, "r1m1s1", municipality_id=tree.ids["r1m2"]) == ["Соколова Анна Петровна"]
    assert _names(tree, "r1m1s1", municipality_id=tree.ids["r1m1"]) == []
    assert _sees(tree, "r1m1s1", expert_id)


def test_users_below_the_keeper_search_by_area_and_municipality(ctx, tree):
    make_expert(tree, "r1m1.admin", full_name="Иванов Пётр", kind="methodologist", areas=["methodology"])
    make_expert(tree, "r1m1.admin", full_name="Петрова Ольга", areas=["career"], workplace="ООО «Завод»",
                kind="employer")
    make_expert(tree, "r1.admin", full_name="Сидоров Олег", areas=["methodology", "evaluation"], kind="university")
    make_expert(tree, "r1m2.admin", full_name="Кузнецова Мария", areas=["methodology"])
    make_expert(tree, "r1m1.admin", full_name="Скрытый Эксперт", areas=["methodology"], display_consent=False)

    assert _names(tree, "r1m1s1") == ["Иванов Пётр", "Петрова Ольга", "Сидоров Олег"]
    assert _names(tree, "r1m1s1", area="methodology") == ["Иванов Пётр", "Сидоров Олег"]
    assert _names(tree, "r1m1s1", area="methodology", municipality_id=tree.ids["r1m1"]) == ["Иванов Пётр"]
    assert _names(tree, "r1m1s1", search="завод") == ["Петрова Ольга"]
    assert _names(tree, "r1m1s1", kind="university") == ["Сидоров Олег"]
    assert _names(tree, "r1m2s1") == ["Кузнецова Мария", "Сидоров Олег"]  # never the sibling body's bank
    # the keeper sees its own bank whole; the ministry above sees only shown experts
    assert "Скрытый Эксперт" in _names(tree, "r1m1", only_own=True)
    assert _names(tree, "r1", area="methodology") == ["Иванов Пётр", "Кузнецова Мария", "Сидоров Олег"]
    assert _names(tree, "r2m1s1") == []


def test_withdrawing_the_display_consent_hides_the_expert_at_once(ctx, tree):
    expert_id = make_expert(tree)
    assert _sees(tree, "r1m1s1", expert_id) and _sees(tree, "r1", expert_id)
    with acting_as(tree, "r1m1.admin") as (membership, _user):
        bank.withdraw_display_consent(membership, db.session.get(Expert, expert_id), TODAY)
        db.session.commit()
    assert not _sees(tree, "r1m1s1", expert_id) and not _sees(tree, "r1", expert_id)
    assert _names(tree, "r1m1s1") == [] and _sees(tree, "r1m1", expert_id)
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        assert expert_choices(db.session.get(Organization, tree.ids["r1m1s1"])) == []
    with acting_as(tree, "r1m1.admin") as (membership, _user):
        expert = db.session.get(Expert, expert_id)
        with pytest.raises(bank.ExpertStateError):
            bank.withdraw_display_consent(membership, expert, TODAY)
        bank.give_display_consent(membership, expert, TODAY, TODAY)
        db.session.commit()
    assert _sees(tree, "r1m1s1", expert_id)
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["expert.display_consent_withdrawn", "expert.display_consent_given"]


def test_an_archived_expert_is_hidden_and_can_come_back(ctx, tree):
    expert_id = make_expert(tree)
    with acting_as(tree, "r1m1.admin") as (membership, _user):
        bank.set_active(membership, db.session.get(Expert, expert_id), False)
        db.session.commit()
    assert not _sees(tree, "r1m1s2", expert_id)
    with acting_as(tree, "r1m1.admin") as (membership, _user):
        bank.set_active(membership, db.session.get(Expert, expert_id), True)
        db.session.commit()
    assert _sees(tree, "r1m1s2", expert_id)


def test_withdrawing_the_consent_to_processing_erases_the_personal_data(ctx, tree):
    expert_id = make_expert(tree)
    with acting_as(tree, "r1m1.admin") as (membership, _user):
        expert = db.session.get(Expert, expert_id)
        bank.erase_expert(membership, expert, TODAY)
        db.session.commit()
        assert expert.full_name == bank.ERASED_NAME and expert.email is None and expert.phone is None
        assert expert.workplace is None and expert.erased_at is not None and not expert.display_consent
        with pytest.raises(bank.ExpertStateError) as error:
            bank.update_expert(membership, expert, expert_data(), TODAY)
        assert error.value.code == "erased"
    assert not _sees(tree, "r1m1s1", expert_id)
    assert _names(tree, "r1m1") == []  # the keeper's search leaves erased stubs out
    assert _names(tree, "r1m1", only_own=True) == [bank.ERASED_NAME]


def test_an_edit_is_audited_by_field_name(ctx, tree):
    expert_id = make_expert(tree)
    with acting_as(tree, "r1m1.staff") as (membership, _user):
        bank.update_expert(membership, db.session.get(Expert, expert_id),
                           expert_data(phone="+7 911 111-11-11", areas=["mediation"]), TODAY)
        db.session.commit()
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "expert.updated"))
    assert event.details == {"fields": ["areas", "phone"]}


def test_an_expert_gets_an_account_by_invitation_and_is_linked(ctx, tree):
    expert_id = make_expert(tree)
    with acting_as(tree, "r1m1.admin") as (membership, user):
        expert = db.session.get(Expert, expert_id)
        invitation = bank.invite_account(membership, expert, user)
        db.session.commit()
        assert invitation.role == Role.EXPERT.value and invitation.email == "sokolova@iro-region.ru"
        assert expert.invited_at is not None
    # the invitation is accepted: the person holds the role expert in the keeper's organisation
    with tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):
        person = make_user("sokolova@iro-region.ru", "Соколова Анна Петровна")
        grant_membership(person, db.session.get(Organization, tree.ids["r1m1"]), Role.EXPERT)
        db.session.commit()
        person_id = person.id
    with acting_as(tree, "r1m1.admin") as (membership, _user):
        linked = bank.link_invited_account(db.session.get(User, person_id), membership.org)
        db.session.commit()
        assert linked.id == expert_id and linked.user_id == person_id
        assert bank.account_choices(membership.org) == [(person_id, "Соколова Анна Петровна <sokolova@iro-region.ru>")]
        other = bank.create_expert(membership, expert_data(full_name="Другой", email="other@iro-region.ru"), TODAY)
        with pytest.raises(bank.ExpertError) as error:
            bank.update_expert(membership, other, expert_data(full_name="Другой", user_id=person_id), TODAY)
        assert error.value.code == "account_taken"
        with pytest.raises(bank.ExpertError) as error:
            bank.update_expert(membership, other, expert_data(full_name="Другой", user_id=tree.users["r1m1.staff"].id),
                               TODAY)
        assert error.value.code == "account"
        assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 1


def test_names_of_the_bodies_and_whom_to_ask(ctx, tree):
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        names = body_names(school)
        assert names == {tree.ids["r1"]: "Министерство 1", tree.ids["r1m1"]: "Управление 1.1",
                         tree.ids["r1m2"]: "Управление 1.2"}
        assert municipality_choices(school) == [(tree.ids["r1m1"], "Управление 1.1"),
                                                (tree.ids["r1m2"], "Управление 1.2")]
        assert keepers_above(school) == [tree.ids["r1m1"], tree.ids["r1"]]
        assert db.session.get(Organization, tree.ids["r1m1"]) is None  # nothing leaked into the session


def test_who_may_ask_an_expert(ctx, tree):
    expert_id = make_expert(tree)
    for key, allowed in (("r1m1s1", True), ("r1m1", False), ("r1", False)):
        with tenant_scope(tree.ids[key], tree.paths[key]):
            org = db.session.get(Organization, tree.ids[key])
            assert can_ask(org, db.session.get(Expert, expert_id)) is allowed, key
            db.session.rollback()
