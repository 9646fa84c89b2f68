"""Monitoring models (DESIGN §5): the region's indicators, their yearly targets and reference
figures, and per reference date a period with its frozen snapshots.

* ``Indicator``, ``Target``, ``RegionFigure`` are region reference data: owned by the ministry,
  read across the region (``RegionWide``).
* ``MonitoringPeriod`` is owned by the ministry (``SharedUpward``: its own subtree is the
  region); one per region and reference date.
* ``MetricSnapshot`` is owned by the organisation the figure describes (a school, a municipal
  body or the ministry), so a school sees its own figures and each level sees its subtree's.
  One row per period, organisation and indicator (a unique key: duplicates are impossible).
* ``ContingentRecord`` is a school's own count of pupils and teachers per school year, the
  indicators' denominators (``SharedUpward``).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin, utcnow
from tenants.scoping import RegionWide, SharedUpward

INDICATOR_KINDS = ("standard", "custom")
PERIOD_STATUSES = ("pending", "running", "frozen")
ORG_KINDS = ("school", "municipality", "ministry")


class Indicator(RegionWide, TimestampMixin, ReprMixin, db.Model):
    """A KPI (показатель эффективности): the share numerator fact / denominator fact, in %.

    Facts are named in ``mentorship.monitoring.facts``; the four standard indicators of seed
    001 are defined there too and apply until the ministry saves its own rows."""

    __tablename__ = "indicators"
    __repr_fields__ = ("id", "code")
    __table_args__ = (
        sa.UniqueConstraint("org_id", "code"),
        sa.CheckConstraint("kind IN ('standard', 'custom')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[str] = mapped_column(sa.String(10), default="custom")
    numerator_fact: Mapped[str] = mapped_column(sa.String(40))
    denominator_fact: Mapped[str] = mapped_column(sa.String(40))
    unit: Mapped[str] = mapped_column(sa.String(10), default="%")
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)

    targets: Mapped[list[Target]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="Target.year"
    )


class Target(RegionWide, ReprMixin, db.Model):
    """The target value (целевое значение) of an indicator for a calendar year, in %."""

    __tablename__ = "targets"
    __repr_fields__ = ("id", "indicator_id", "year", "value")
    __table_args__ = (
        sa.UniqueConstraint("indicator_id", "year"),
        sa.CheckConstraint("value >= 0 AND value <= 100", name="value_range"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicators.id", ondelete="CASCADE"))
    year: Mapped[int]
    value: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2, asdecimal=True))

    indicator: Mapped[Indicator] = relationship(back_populates="targets")


class RegionFigure(RegionWide, TimestampMixin, ReprMixin, db.Model):
    """The region's own reference figures for a year (the region-level denominators):
    children aged 10–19 and 15–19 living in the region, young specialists, enterprises.
    A figure left empty falls back to the sum of the schools' contingent."""

    __tablename__ = "region_figures"
    __repr_fields__ = ("id", "year")
    __table_args__ = (
        sa.UniqueConstraint("org_id", "year"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),
        sa.CheckConstraint(
            "(children_10_19 IS NULL OR children_10_19 >= 0) AND (children_15_19 IS NULL OR children_15_19 >= 0)"
            " AND (young_specialists IS NULL OR young_specialists >= 0) AND (enterprises IS NULL OR enterprises >= 0)",
            name="non_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    children_10_19: Mapped[int | None]
    children_15_19: Mapped[int | None]
    young_specialists: Mapped[int | None]
    enterprises: Mapped[int | None]


class MonitoringPeriod(SharedUpward, TimestampMixin, ReprMixin, db.Model):
    """A region's monitoring at one reference date (отчётный период), owned by the ministry.

    ``pending`` → ``running`` (an aggregation is under way; ``done`` of ``total`` steps) →
    ``frozen`` (the snapshots are final). Unfreezing (audited) puts it back to ``pending``."""

    __tablename__ = "monitoring_periods"
    __repr_fields__ = ("id", "reference_date", "status")
    __table_args__ = (
        sa.UniqueConstraint("org_id", "reference_date"),
        sa.CheckConstraint("status IN ('pending', 'running', 'frozen')", name="status"),
        sa.CheckConstraint("done >= 0 AND done <= total", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference_date: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    frozen_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Set when a ministry admin unfroze the period: the daily tick then leaves it to their re-run.
    unfrozen_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # When the figures of a period still ahead were last counted provisionally (not final).
    provisional_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    runs: Mapped[int] = mapped_column(default=0)  # completed aggregations
    last_error: Mapped[str | None] = mapped_column(sa.Text)


class MetricSnapshot(SharedUpward, ReprMixin, db.Model):
    """One indicator's figure for one organisation in one period (numerator, denominator and
    the share in %, empty when the denominator is 0; a share over 100 % is kept as counted)."""

    __tablename__ = "metric_snapshots"
    __repr_fields__ = ("id", "period_id", "indicator_code", "numerator", "denominator")
    __table_args__ = (
        sa.UniqueConstraint("period_id", "org_id", "indicator_code"),
        sa.CheckConstraint("org_kind IN ('school', 'municipality', 'ministry')", name="org_kind"),
        sa.Index("ix_metric_snapshots_period_kind", "period_id", "org_kind", "indicator_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("monitoring_periods.id", ondelete="CASCADE"))
    org_kind: Mapped[str] = mapped_column(sa.String(20))
    indicator_code: Mapped[str] = mapped_column(sa.String(40))
    numerator: Mapped[int]
    denominator: Mapped[int]
    value: Mapped[float | None] = mapped_column(sa.Float)

    period: Mapped[MonitoringPeriod] = relationship()


class ContingentRecord(SharedUpward, ReprMixin, db.Model):
    """The school's figures for a school year — denominators of the indicators. Append-only:
    the latest record of a year is current, the earlier ones are its history."""

    __tablename__ = "contingent_records"
    __repr_fields__ = ("id", "school_year")
    __table_args__ = (
        sa.Index("ix_contingent_org_year", "org_id", "school_year", "id"),
        sa.CheckConstraint(
            "pupils_10_19 >= 0 AND pupils_15_19 >= 0 AND teachers >= 0 AND young_specialists >= 0", name="non_negative"
        ),
        sa.CheckConstraint("pupils_15_19 <= pupils_10_19", name="age_bands"),
        sa.CheckConstraint("young_specialists <= teachers", name="young_specialists"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_year: Mapped[int]
    pupils_10_19: Mapped[int]
    pupils_15_19: Mapped[int]
    teachers: Mapped[int]
    young_specialists: Mapped[int]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    source: Mapped[str] = mapped_column(sa.String(20), default="form")  # form | import

    recorded_by = relationship("User")
