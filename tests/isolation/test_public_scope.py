"""The public pages' scope (tenants.context.public_scope): one region's published rows and its
active organisations are readable; anything else raises, and nothing can be written."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.extensions import db
from tenants.context import TenantScopeError, public_scope, tenant_scope, unscoped
from tenants.models import Organization
from tenants.scoping import ScopeViolation
from tests.support.models import PrivateNote, PublicNotice, SharedDoc

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def notices(ctx, tree):
    ids = {}
    with unscoped("tests.public"):
        for key, public in (("r1m1s1", True), ("r1m1s2", False), ("r2m1s1", True)):
            note = PrivateNote(org_id=tree.ids[key], text=f"pupil of {key}")
            notice = PublicNotice(org_id=tree.ids[key], text=f"notice {key}", is_public=public, note=note)
            db.session.add_all([note, notice])
            db.session.flush()
            ids[key] = notice.id
        db.session.get(Organization, tree.ids["r1m2s2"]).is_active = False
        db.session.commit()
    db.session.remove()
    return ids


def region_of(tree, key="r1"):
    return tree.paths[key]


def test_only_public_rows_of_the_region(tree, notices):
    with public_scope(region_of(tree)):
        texts = sorted(db.session.scalars(sa.select(PublicNotice.text)))
    assert texts == ["notice r1m1s1"]


def test_active_organisations_of_the_region_only(tree, notices):
    with public_scope(region_of(tree)):
        ids = set(db.session.scalars(sa.select(Organization.id)))
    region1 = {tree.ids[k] for k in ("r1", "r1m1", "r1m2", "r1m1s1", "r1m1s2", "r1m2s1")}
    assert ids == region1  # r1m2s2 deactivated, region 2 absent


@pytest.mark.parametrize("model", [PrivateNote, SharedDoc])
def test_other_tenant_models_raise(tree, notices, model):
    with public_scope(region_of(tree)), pytest.raises(TenantScopeError):
        db.session.scalars(sa.select(model)).all()


def test_join_to_a_private_table_raises(tree, notices):
    with public_scope(region_of(tree)), pytest.raises(TenantScopeError):
        db.session.execute(sa.select(PublicNotice.text, PrivateNote.text).join(PrivateNote)).all()


def test_lazy_load_of_a_private_relationship_raises(tree, notices):
    with public_scope(region_of(tree)):
        notice = db.session.get(PublicNotice, notices["r1m1s1"])
        assert notice is not None
        with pytest.raises(TenantScopeError):
            _ = notice.note


def test_unpublished_or_foreign_row_not_found_by_get(tree, notices):
    with public_scope(region_of(tree)):
        assert db.session.get(PublicNotice, notices["r1m1s2"]) is None
        assert db.session.get(PublicNotice, notices["r2m1s1"]) is None


def test_identity_map_does_not_hand_out_an_unpublished_row(tree, notices):
    with tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):
        assert db.session.get(PublicNotice, notices["r1m1s2"]) is not None  # now in the identity map
        with public_scope(region_of(tree)):
            assert db.session.get(PublicNotice, notices["r1m1s2"]) is None


def test_no_writes(tree, notices):
    with public_scope(region_of(tree)):
        notice = db.session.get(PublicNotice, notices["r1m1s1"])
        notice.text = "changed"
        with pytest.raises(ScopeViolation):
            db.session.flush()
        db.session.rollback()
        db.session.add(PublicNotice(org_id=tree.ids["r1m1s1"], text="new", is_public=True))
        with pytest.raises(ScopeViolation):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(ScopeViolation):
            db.session.execute(sa.update(PublicNotice).values(text="x"))


def test_unpublishing_takes_effect_at_once(tree, notices):
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        db.session.get(PublicNotice, notices["r1m1s1"]).is_public = False
        db.session.commit()
    db.session.remove()
    with public_scope(region_of(tree)):
        assert db.session.scalars(sa.select(PublicNotice)).all() == []


def test_public_scope_needs_a_region_path(tree):
    with pytest.raises(ValueError):
        with public_scope(tree.paths["r1m1"]):
            pass
