"""Many rows fast, for the tests that count a list page's queries at 10 and at 1,000 rows.

One Core ``INSERT ... VALUES`` per table (executemany), under ``unscoped``: the tenant guard
refuses ORM bulk writes inside a tenant scope, and 1,000 service calls would be far too slow.
The rows name their owner explicitly (``org_id`` and ``org_path``); the caller opens the app
context and commits.
"""
from __future__ import annotations

import sqlalchemy as sa

from core.extensions import db
from tenants.context import unscoped


def owner(tree, key: str) -> dict:
    """The owner columns of a row of school ``key``."""
    return {"org_id": tree.ids[key], "org_path": tree.paths[key]}


def insert_rows(model, rows: list[dict], *, ids: bool = True) -> list[int]:
    """Insert ``rows`` of ``model`` (every dict with the same keys); with ``ids``, their ids in
    the order given (one multi-row INSERT ... RETURNING), else nothing (a plain executemany,
    quicker on PostgreSQL)."""
    if not rows:
        return []
    with unscoped("tests.bulk"):
        if not ids:
            db.session.execute(sa.insert(model), rows)
            return []
        stmt = sa.insert(model).returning(model.id, sort_by_parameter_order=True)
        return list(db.session.scalars(stmt, rows))
