"""Search boxes: a case-insensitive "contains" test with the user's ``%`` and ``_`` taken
literally. ILIKE on PostgreSQL; on SQLite SQLAlchemy renders lower() LIKE lower(), and
core/sqlite.py registers a Unicode lower(), so Cyrillic matches case-insensitively too."""
from __future__ import annotations

ESCAPE = "\\"


def like_escaped(term: str) -> str:
    """``term`` with LIKE's wildcards (and the escape character) escaped."""
    return term.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def contains(column, term: str):
    """``column`` contains ``term``, ignoring case."""
    return column.ilike(f"%{like_escaped(term)}%", escape=ESCAPE)
