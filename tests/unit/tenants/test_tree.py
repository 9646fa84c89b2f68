"""The organisation tree's invariants hold whatever code writes it."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.extensions import db
from tenants.context import tenant_scope, unscoped
from tenants.models import Organization
from tenants.roles import OrgKind
from tenants.scoping import ScopeViolation
from tenants.tree import TreeError, create_organization


def _get(key, tree):
    return db.session.get(Organization, tree.ids[key])


@pytest.mark.parametrize(
    "kind,parent_key",
    [(OrgKind.SCHOOL, "r1"), (OrgKind.MUNICIPALITY, "r1m1"), (OrgKind.MINISTRY, "r1"), (OrgKind.SCHOOL, None),
     (OrgKind.SCHOOL, "r1m1s1")],
)
def test_parent_kind_is_enforced(ctx, tree, kind, parent_key):
    with unscoped("test"):
        parent = _get(parent_key, tree) if parent_key else None
        with pytest.raises(TreeError):
            create_organization(kind=kind, name="x", parent=parent)
        db.session.rollback()


def test_path_is_the_parents_path_plus_own_id(ctx, tree):
    with unscoped("test"):
        for key, org in tree.orgs.items():
            org = _get(key, tree)
            expected = f"{org.parent.path if org.parent else '/'}{org.id}/"
            assert org.path == expected
            assert org.ancestor_ids[-1] == org.id


def test_parent_kind_and_path_cannot_change_and_nothing_is_deleted(ctx, tree):
    with unscoped("test"):
        school = _get("r1m1s1", tree)
        school.parent_id = tree.ids["r1m2"]
        with pytest.raises(TreeError):
            db.session.flush()
        db.session.rollback()
        school = _get("r1m1s1", tree)
        school.path = tree.paths["r2"] + "999/"
        with pytest.raises(TreeError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(_get("r1m1s1", tree))
        with pytest.raises(TreeError):
            db.session.flush()
        db.session.rollback()


def test_a_cycle_is_impossible(ctx, tree):
    # The only way to a cycle is re-parenting, which is refused; the kinds also forbid it.
    with unscoped("test"):
        ministry = _get("r1", tree)
        ministry.parent_id = tree.ids["r1m1s1"]
        with pytest.raises(TreeError):
            db.session.flush()
        db.session.rollback()


def test_organisations_are_created_only_inside_the_current_subtree(ctx, tree):
    with tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):
        own = db.session.get(Organization, tree.ids["r1m1"])
        school = create_organization(kind=OrgKind.SCHOOL, name="Новая школа", parent=own, school_type="school")
        assert school.path.startswith(tree.paths["r1m1"])
        db.session.rollback()
    with unscoped("test"):
        foreign = _get("r1m2", tree)
        foreign_id = foreign.id
    db.session.remove()
    with tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):
        db.session.add(Organization(kind="school", name="Чужая", parent_id=foreign_id, path="/pending/x/"))
        with pytest.raises(ScopeViolation):
            db.session.flush()
        db.session.rollback()
    with unscoped("test"):
        assert db.session.scalar(sa.select(Organization).where(Organization.name == "Чужая")) is None
