"""Base-model helpers: timestamps and a readable repr."""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class ReprMixin:
    __repr_fields__: tuple[str, ...] = ("id",)

    def __repr__(self) -> str:
        fields = list(self.__repr_fields__)
        if hasattr(self, "org_id") and "org_id" not in fields:
            fields.append("org_id")
        inner = ", ".join(f"{f}={getattr(self, f, None)!r}" for f in fields)
        return f"<{type(self).__name__} {inner}>"
