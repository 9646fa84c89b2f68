"""The aggregation's statements: one INSERT … SELECT per indicator and level, over a region.

* schools: every school of the region, LEFT JOIN the numerator and denominator facts
  (mentorship/monitoring/facts.py), so a school with nothing counted still gets its row;
* municipal bodies: Σ numerators / Σ denominators of their schools' rows just written;
* the region: Σ of its municipal bodies' rows, the denominator replaced by the region's own
  reference figure when there is one (DESIGN §5). Never a mean of percentages.

The pairs and groups per form (``*_form_rows``) follow the same three levels with one
statement each: the schools' counts GROUP BY school and form, then Σ per municipal body and
form, then Σ per form at the region; numerator = the count, denominator 0, value NULL. Only
forms with at least one pair get a row.

Every statement is an upsert on (period, organisation, indicator) — ``ON CONFLICT DO
UPDATE`` on PostgreSQL and SQLite — so even a statement that met rows of a concurrent run
could not duplicate them. Cross-tenant by nature: called only from mentorship/monitoring/aggregation.py
under ``unscoped("monitoring.aggregate")``.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from mentorship.monitoring.facts import (
    DENOMINATOR_FACTS,
    NUMERATOR_FACTS,
    FactContext,
    IndicatorSpec,
    by_form_codes_only,
    pairs_by_form,
)
from mentorship.monitoring.models import MetricSnapshot
from tenants.models import Organization

S = MetricSnapshot.__table__
O = Organization.__table__
COLUMNS = ("period_id", "org_id", "org_path", "org_kind", "indicator_code", "numerator", "denominator", "value")


def share(numerator, denominator) -> sa.ColumnElement:
    """The share in %, rounded to 2 places; NULL when the denominator is 0."""
    percent = sa.literal_column("100.0") * numerator / sa.func.nullif(denominator, 0)
    return sa.func.round(percent, 2)


def _upsert(dialect: str, select: sa.Select):
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    stmt = insert(S).from_select(list(COLUMNS), select)
    return stmt.on_conflict_do_update(
        index_elements=[S.c.period_id, S.c.org_id, S.c.indicator_code],
        set_={name: stmt.excluded[name] for name in ("org_path", "org_kind", "numerator", "denominator", "value")},
    )


def school_rows(dialect: str, period_id: int, ctx: FactContext, indicator: IndicatorSpec):
    num = NUMERATOR_FACTS[indicator.numerator].query(ctx).subquery("num")
    den = DENOMINATOR_FACTS[indicator.denominator].query(ctx).subquery("den")
    numerator = sa.func.coalesce(num.c.n, 0)
    denominator = sa.func.coalesce(den.c.n, 0)
    low, high = ctx.bounds
    select = (
        sa.select(
            sa.literal(period_id), O.c.id, O.c.path, sa.literal("school"), sa.literal(indicator.code),
            numerator, denominator, share(numerator, denominator),
        )
        .select_from(O)
        .outerjoin(num, num.c.org_id == O.c.id)
        .outerjoin(den, den.c.org_id == O.c.id)
        .where(O.c.kind == "school", O.c.path >= low, O.c.path < high)
    )
    return _upsert(dialect, select)


def municipal_rows(dialect: str, period_id: int, ctx: FactContext, indicator: IndicatorSpec):
    school = O.alias("school")
    numerator = sa.func.coalesce(sa.func.sum(S.c.numerator), 0)
    denominator = sa.func.coalesce(sa.func.sum(S.c.denominator), 0)
    low, high = ctx.bounds
    select = (
        sa.select(
            sa.literal(period_id), O.c.id, O.c.path, sa.literal("municipality"), sa.literal(indicator.code),
            numerator, denominator, share(numerator, denominator),
        )
        .select_from(O)
        .outerjoin(school, school.c.parent_id == O.c.id)
        .outerjoin(S, sa.and_(S.c.org_id == school.c.id, S.c.period_id == period_id,
                              S.c.indicator_code == indicator.code))
        .where(O.c.kind == "municipality", O.c.path >= low, O.c.path < high)
        .group_by(O.c.id, O.c.path)
    )
    return _upsert(dialect, select)


def region_rows(dialect: str, period_id: int, region_id: int, indicator: IndicatorSpec, figure: int | None):
    """``figure``: the region's own reference figure for the denominator, or None."""
    numerator = sa.func.coalesce(sa.func.sum(S.c.numerator), 0)
    denominator = sa.func.coalesce(sa.bindparam("figure", figure, type_=sa.Integer), sa.func.sum(S.c.denominator), 0)
    select = (
        sa.select(
            sa.literal(period_id), O.c.id, O.c.path, sa.literal("ministry"), sa.literal(indicator.code),
            numerator, denominator, share(numerator, denominator),
        )
        .select_from(O)
        .outerjoin(S, sa.and_(S.c.period_id == period_id, S.c.indicator_code == indicator.code,
                              S.c.org_kind == "municipality"))
        .where(O.c.id == region_id)
        .group_by(O.c.id, O.c.path)
    )
    return _upsert(dialect, select)


# -- pairs and groups by form -------------------------------------------------------------

def _count_columns(period_id: int, org, kind: str, code, count) -> list:
    return [sa.literal(period_id), org.c.id, org.c.path, sa.literal(kind), code, count, sa.literal(0),
            sa.cast(sa.null(), sa.Float)]


def school_form_rows(dialect: str, period_id: int, ctx: FactContext):
    counted = pairs_by_form(ctx).subquery("counted")
    low, high = ctx.bounds
    select = (
        sa.select(*_count_columns(period_id, O, "school", counted.c.code, counted.c.n))
        .select_from(O)
        .join(counted, counted.c.org_id == O.c.id)
        .where(O.c.kind == "school", O.c.path >= low, O.c.path < high)
    )
    return _upsert(dialect, select)


def municipal_form_rows(dialect: str, period_id: int, ctx: FactContext):
    school = O.alias("school")
    low, high = ctx.bounds
    select = (
        sa.select(*_count_columns(period_id, O, "municipality", S.c.indicator_code, sa.func.sum(S.c.numerator)))
        .select_from(O)
        .join(school, school.c.parent_id == O.c.id)
        .join(S, sa.and_(S.c.org_id == school.c.id, S.c.period_id == period_id, S.c.org_kind == "school",
                         by_form_codes_only(S.c.indicator_code)))
        .where(O.c.kind == "municipality", O.c.path >= low, O.c.path < high)
        .group_by(O.c.id, O.c.path, S.c.indicator_code)
    )
    return _upsert(dialect, select)


def region_form_rows(dialect: str, period_id: int, region_id: int):
    select = (
        sa.select(*_count_columns(period_id, O, "ministry", S.c.indicator_code, sa.func.sum(S.c.numerator)))
        .select_from(O)
        .join(S, sa.and_(S.c.period_id == period_id, S.c.org_kind == "municipality",
                         by_form_codes_only(S.c.indicator_code)))
        .where(O.c.id == region_id)
        .group_by(O.c.id, O.c.path, S.c.indicator_code)
    )
    return _upsert(dialect, select)
