"""Which tenant-owned tables a statement touches, and which of them the ORM criteria reach.

``with_loader_criteria`` filters an entity where it is an ORM *entity* of a SELECT (its
columns, ``select_from``, a ``join`` target, a relationship load) or the target of an ORM
UPDATE/DELETE. A tenant table that appears any other way — only in a WHERE clause (an
implicit FROM), inside ``exists()``, as a Core ``Table`` — would run unfiltered; the scoping
hook refuses such statements instead.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql import visitors
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.selectable import Alias, Exists, ScalarSelect, Select, SelectBase, Subquery
from sqlalchemy.sql.util import find_tables


def _base_table(from_clause):
    while isinstance(from_clause, Alias):
        from_clause = from_clause.element
    return from_clause


def _mapper_of(target):
    if target is None:
        return None
    annotated = _annotated_mapper(target)
    if annotated is not None:
        return annotated  # a mapped class or alias, coerced to its annotated table
    prop = getattr(target, "property", None)
    if prop is not None and hasattr(prop, "mapper"):
        return prop.mapper  # a relationship attribute: the join's target
    insp = sa.inspect(target, raiseerr=False)
    return getattr(insp, "mapper", None)


def _annotated_mapper(element):
    entity = getattr(element, "_annotations", {}).get("parententity")
    return getattr(entity, "mapper", None)


def _outside_subqueries(element):
    """``element`` and its parts, not descending into nested SELECTs (e.g. ``exists()``),
    which the criteria of the enclosing statement's entities do not reach."""
    yield element
    for child in element.get_children():
        if isinstance(child, (SelectBase, Exists, ScalarSelect, Subquery)):
            continue
        yield from _outside_subqueries(child)


def referenced_tables(statement, candidates: set) -> set:
    """The tables among ``candidates`` that ``statement`` mentions anywhere."""
    found = find_tables(
        statement, check_columns=True, include_aliases=True, include_joins=True,
        include_selects=True, include_crud=True,
    )
    return {t for t in (_base_table(f) for f in found) if t in candidates}


def entity_tables(statement) -> set:
    """Tables that appear as ORM entities, which ``with_loader_criteria`` reaches."""
    covered = set()

    def add(mapper):
        if mapper is not None:
            covered.update(mapper.tables)

    for element in visitors.iterate(statement):
        if isinstance(element, Select):
            for column in element._raw_columns:
                for part in _outside_subqueries(column):
                    add(_annotated_mapper(part))
            for from_clause in element._from_obj:
                add(_annotated_mapper(from_clause))
            for target, onclause, _from, _flags in element._setup_joins:
                add(_mapper_of(target))
                add(_mapper_of(onclause))
        elif isinstance(element, UpdateBase):
            add(_annotated_mapper(element.table))
    return covered
