"""Acting as a region's ministry: the ``ministry`` fixture (domain tests), the ``admin`` and
``analyst`` clients (web tests), and helpers to post a form and read rows back."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.extensions import db
from tenants.context import tenant_scope, unscoped
from tenants.models import Organization
from tests.conftest import csrf_token_from


@pytest.fixture
def ministry(ctx, tree):
    """Acting as the ministry of region r1: yields its Organization."""
    with tenant_scope(tree.ids["r1"], tree.paths["r1"]):
        yield db.session.get(Organization, tree.ids["r1"])
    db.session.remove()


def count_rows(model, **where) -> int:
    with unscoped("tests.count"):
        stmt = sa.select(sa.func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return db.session.scalar(stmt)


def signed_in(app, login, tree, who):
    client = app.test_client()
    login(client, tree.emails[who])
    return client


@pytest.fixture
def admin(app, tree, login):
    return signed_in(app, login, tree, "r1.admin")


@pytest.fixture
def analyst(app, tree, login):
    return signed_in(app, login, tree, "r1.staff")


def post_form(client, url, data, page=None):
    """POST ``data`` with the CSRF token of ``page`` (default: the URL itself)."""
    token = csrf_token_from(client.get(page or url))
    return client.post(url, data={**data, "csrf_token": token})


def rows_of(app, model, **where):
    """Rows of ``model`` matching ``where``, read across tenants and detached."""
    with app.app_context(), unscoped("tests.rows"):
        stmt = sa.select(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        rows = db.session.scalars(stmt).all()
        db.session.expunge_all()
        db.session.remove()
        return rows
