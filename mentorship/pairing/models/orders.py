"""Orders (приказы «Об утверждении наставнических пар/групп»): a school's numbered, dated
documents fixing pairs and groups, each keeping its pairs as they were ordered."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
from mentorship.pairing.models.pairs import Mentorship
from mentorship.pairing.models.programmes import Programme
from tenants.scoping import OwnerOnly


class Order(OwnerOnly, TimestampMixin, ReprMixin, db.Model):
    """Приказ «Об утверждении наставнических пар/групп»: numbered and dated, per school."""

    __tablename__ = "orders"
    __repr_fields__ = ("id", "number")
    __table_args__ = (sa.UniqueConstraint("org_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(40))
    dated: Mapped[date]
    title: Mapped[str] = mapped_column(sa.String(300))
    programme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("programmes.id", ondelete="SET NULL"))
    signatory: Mapped[str | None] = mapped_column(sa.String(300))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    programme: Mapped[Programme | None] = relationship()
    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderItem.id"
    )


class OrderItem(OwnerOnly, ReprMixin, db.Model):
    __tablename__ = "order_items"
    __table_args__ = (sa.UniqueConstraint("order_id", "mentorship_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    mentorship_id: Mapped[int] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="RESTRICT"), index=True)
    # The pair as ordered: a group's later members or a new planned end do not rewrite a signed
    # order. Ids, not names, so a person's erasure reaches the order too.
    mentee_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    planned_end_on: Mapped[date | None]

    order: Mapped[Order] = relationship(back_populates="items")
    mentorship: Mapped[Mentorship] = relationship()
