"""Awards and incentives (поощрения) and the orders that grant them.

One register for every kind of recognition a school keeps: a certificate of honour (почётная
грамота), a gratitude (благодарность), a letter of thanks (благодарственное письмо — to a mentor
or to a partner enterprise), a contest diploma, a bonus, a nomination for an award … The
recipient is either a participant of the school (a mentor) or one of its partner enterprises.
An award granted by the school itself goes into the school's order «О поощрении участников
наставнической деятельности» (``AwardOrder``, numbered per school and year); one granted by a
body above carries that body's order number and date. Owner-only: the school keeps it.

``is_public`` (Publishable) is kept true by the domain only while the award may be shown: the
mentor's publication consent is valid (a partner: ``Enterprise.publication_agreed``);
``public_name`` is the recipient's name as published, kept only while the award is public.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
from mentorship.people.models import Enterprise, Participant
from tenants.scoping import OwnerOnly, Publishable

# The first five were the kinds of the former incentives register (same codes, same meaning).
AWARD_KINDS = ("certificate", "gratitude", "thanks", "diploma", "bonus", "nomination", "other")


class AwardOrder(OwnerOnly, TimestampMixin, ReprMixin, db.Model):
    """Приказ «О поощрении участников наставнической деятельности»: numbered per school and
    calendar year (``seq``), listing the awards it grants. Not changed once created."""

    __tablename__ = "award_orders"
    __repr_fields__ = ("id", "number")
    __table_args__ = (
        sa.UniqueConstraint("org_id", "year", "seq"),
        sa.CheckConstraint("seq >= 1", name="seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(sa.String(40))
    dated: Mapped[date]
    title: Mapped[str] = mapped_column(sa.String(300))
    grounds: Mapped[str | None] = mapped_column(sa.Text)  # «по итогам … учебного года»
    signatory: Mapped[str | None] = mapped_column(sa.String(300))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    awards: Mapped[list[Award]] = relationship(back_populates="order", order_by="Award.id")


class Award(OwnerOnly, Publishable, TimestampMixin, ReprMixin, db.Model):
    """One award or incentive of a mentor or a partner enterprise."""

    __tablename__ = "awards"
    __repr_fields__ = ("id", "kind", "participant_id", "enterprise_id")
    __table_args__ = (
        sa.CheckConstraint(
            "kind IN ('certificate', 'gratitude', 'thanks', 'diploma', 'bonus', 'nomination', 'other')", name="kind"
        ),
        sa.CheckConstraint("(participant_id IS NULL) <> (enterprise_id IS NULL)", name="one_recipient"),
        sa.CheckConstraint("order_id IS NULL OR order_number IS NULL", name="one_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enterprises.id", ondelete="RESTRICT"), index=True)
    mentorship_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str | None] = mapped_column(sa.String(300))  # the wording: «за …», the contest and nomination
    awarded_on: Mapped[date]
    # Who granted it: the school itself or an organisation above (id and its name then), or
    # free text (a body outside the tree).
    granting_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="SET NULL"))
    granted_by: Mapped[str | None] = mapped_column(sa.String(300))
    # The school's own generated order, or another body's order by its number and date.
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("award_orders.id", ondelete="RESTRICT"), index=True)
    order_number: Mapped[str | None] = mapped_column(sa.String(40))
    order_date: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(sa.Text)
    public_name: Mapped[str | None] = mapped_column(sa.String(300))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    participant: Mapped[Participant | None] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()
    order: Mapped[AwardOrder | None] = relationship(back_populates="awards")
