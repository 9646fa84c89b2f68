"""The expert bank and requests for an expert's help.

``Expert`` is kept by the ministry or a municipal body (the *keeper*, its owner) and is
``Lineage``: the keeper, the organisations above it and those below it can load the row, never
a sibling's. Who may actually see an expert is narrower (mentorship/experts/directory.py): the
keeper always; everyone else only while the expert has consented to be shown to the region's
users, is active and not erased.

``ExpertRequest`` is owned by the organisation that asks (a school, or a municipal body asking
the ministry's bank) and is ``SharedUpward``: the keeper above sees it, a sibling school never.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
from tenants.scoping import Lineage, SharedUpward

REQUEST_STATUSES = ("new", "accepted", "declined", "closed", "withdrawn")


class Expert(Lineage, TimestampMixin, ReprMixin, db.Model):
    """An expert of the bank: who, what they help with, how to reach them, their consents."""

    __tablename__ = "experts"
    __repr_fields__ = ("id", "kind")
    __table_args__ = (
        sa.CheckConstraint(
            "kind IN ('psychologist', 'methodologist', 'university', 'institute', 'employer', 'other')", name="kind"
        ),
        sa.Index("ix_experts_org_name", "org_id", "full_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[str] = mapped_column(sa.String(20))
    position: Mapped[str | None] = mapped_column(sa.String(200))
    workplace: Mapped[str | None] = mapped_column(sa.String(300))
    # The municipality the expert works in (a municipal keeper's own; optional for the ministry's).
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    areas: Mapped[str] = mapped_column(sa.String(500), default="")  # catalogue codes, comma-separated
    tags: Mapped[str | None] = mapped_column(sa.String(300))  # free tags
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    availability: Mapped[str | None] = mapped_column(sa.Text)
    # 152-FZ: the consent to processing is required to keep the expert at all; the consent to be
    # shown to the region's users is separate, and its withdrawal hides the expert at once.
    processing_consent_on: Mapped[date]
    display_consent: Mapped[bool] = mapped_column(default=False)
    display_consent_on: Mapped[date | None]
    display_withdrawn_on: Mapped[date | None]
    # The expert's account (a membership with the role ``expert`` in the keeper's organisation).
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    invited_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    is_active: Mapped[bool] = mapped_column(default=True)
    erased_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @property
    def is_shown(self) -> bool:
        """Whether users other than the keeper may see the expert."""
        return self.display_consent and self.is_active and self.erased_at is None


class ExpertRequest(SharedUpward, TimestampMixin, ReprMixin, db.Model):
    """An organisation's request for help, to an expert or to the keeper of the bank."""

    __tablename__ = "expert_requests"
    __repr_fields__ = ("id", "status")
    __table_args__ = (
        sa.CheckConstraint("status IN ('new', 'accepted', 'declined', 'closed', 'withdrawn')", name="status"),
        sa.Index("ix_expert_requests_keeper_status", "keeper_org_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    keeper_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="RESTRICT"))
    expert_id: Mapped[int | None] = mapped_column(sa.ForeignKey("experts.id", ondelete="RESTRICT"), index=True)
    topic: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    preferred_dates: Mapped[str | None] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(sa.String(20), default="new")
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    decision_comment: Mapped[str | None] = mapped_column(sa.Text)
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(sa.Text)

    expert: Mapped[Expert | None] = relationship()
