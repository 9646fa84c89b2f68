"""The Alembic migrations build exactly the schema the models describe, and tear it down.

On PostgreSQL (production) and on a SQLite file (the embedded default of ``make run``):
``upgrade`` to head on an empty database, compare the result with the models' metadata
(types included), ``downgrade`` to base and check nothing but Alembic's own table is left.
Tables named ``test_*`` are test-only models (tests/support/models.py) that share the
metadata but have no migration; they are left out of the comparison.
"""
from __future__ import annotations

import logging

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import config
import tests.support.models  # noqa: F401  (registers the test_* tables, so the filter is always exercised)
from core.discovery import import_models
from core.extensions import db
from factory import create_app
from tests.support.paths import PROJECT_ROOT

import_models("tenants", "mentorship")  # every model, found as the app finds them
# Every table of the models except the test-only ones (the check follows the models as they grow).
DOMAIN_TABLES = {name for name in db.metadata.tables if not name.startswith("test_")}
assert {"organizations", "users", "memberships", "roadmaps"} <= DOMAIN_TABLES


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config_ = Config()
    config_.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return ScriptDirectory.from_config(config_).get_current_head()


def _not_test_only(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "table":
        return not (name or "").startswith("test_")
    table = getattr(obj, "table", None)
    return table is None or not table.name.startswith("test_")


@pytest.fixture(autouse=True)
def _keep_logging():
    """migrations/env.py calls logging.config.fileConfig, which disables every logger that
    exists (e.g. ``nastavnik.mail``) and replaces the root handlers; undo that for later tests."""
    root = logging.getLogger()
    saved_root = (root.level, list(root.handlers))
    saved = {
        name: (lg.disabled, lg.level, list(lg.handlers), lg.propagate)
        for name, lg in logging.Logger.manager.loggerDict.items()
        if isinstance(lg, logging.Logger)
    }
    yield
    root.setLevel(saved_root[0])
    root.handlers[:] = saved_root[1]
    for name, lg in logging.Logger.manager.loggerDict.items():
        if not isinstance(lg, logging.Logger):
            continue
        if name in saved:
            lg.disabled, lg.level, handlers, lg.propagate = saved[name]
            lg.handlers[:] = handlers
        else:
            lg.disabled = False


def _schema_diff(conn) -> list:
    context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _not_test_only})
    return compare_metadata(context, db.metadata)


def _collation_drift(conn) -> list:
    """Alembic's compare_type ignores collations; the C collation of the org paths matters
    (subtree scope as an index range), so compare them here."""
    inspector = sa.inspect(conn)
    drift = []
    for table in db.metadata.sorted_tables:
        if table.name.startswith("test_"):
            continue
        reflected = {c["name"]: getattr(c["type"], "collation", None) for c in inspector.get_columns(table.name)}
        for column in table.columns:
            expected = getattr(column.type.dialect_impl(conn.dialect), "collation", None)
            if expected != reflected[column.name]:
                drift.append((table.name, column.name, expected, reflected[column.name]))
    return drift


def _round_trip(url: str) -> None:
    app = create_app(config.TestingConfig(), SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        try:
            assert db.metadata.tables.keys() >= DOMAIN_TABLES | {"test_shared_docs"}
            assert sa.inspect(db.engine).get_table_names() == [], "the database must start empty"

            flask_migrate.upgrade()
            with db.engine.connect() as conn:
                tables = set(sa.inspect(conn).get_table_names())
                assert tables == DOMAIN_TABLES | {"alembic_version"}
                assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [_head()]
                diff = _schema_diff(conn)
                collations = _collation_drift(conn)
            assert diff == [], f"migrations and models disagree: {diff}"
            assert collations == [], f"collations differ (table, column, model, database): {collations}"

            flask_migrate.downgrade(revision="base")
            with db.engine.connect() as conn:
                inspector = sa.inspect(conn)
                assert set(inspector.get_table_names()) <= {"alembic_version"}
                if conn.dialect.name == "postgresql":
                    assert inspector.get_sequence_names() == []
                if inspector.has_table("alembic_version"):
                    assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar() == 0

            # A clean downgrade leaves a database the migrations can build again.
            flask_migrate.upgrade()
            with db.engine.connect() as conn:
                assert set(sa.inspect(conn).get_table_names()) == DOMAIN_TABLES | {"alembic_version"}
                assert _schema_diff(conn) == []
        finally:
            db.session.remove()
            db.engine.dispose()


def test_migrations_match_models_on_postgresql(fresh_pg_url):
    _round_trip(fresh_pg_url)


def test_migrations_match_models_on_sqlite_file(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'migrations.sqlite'}")
