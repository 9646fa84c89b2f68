"""Counting the SQL statements a page or a call costs (constant-query tests: 10 rows vs many)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from core.extensions import db


@contextmanager
def counting_queries(engine) -> Iterator[list[str]]:
    """The statements run on ``engine`` inside the block, appended as they run."""
    statements: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def queries_and_page(app, client, url: str) -> tuple[int, str]:
    """How many statements a GET of ``url`` runs, and the page (asserting a 200)."""
    with app.app_context():
        engine = db.engine
    with counting_queries(engine) as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements), response.get_data(as_text=True)


def queries_of_get(app, client, url: str) -> int:
    """How many statements a GET of ``url`` runs (asserting a 200)."""
    return queries_and_page(app, client, url)[0]
