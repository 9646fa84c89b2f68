"""Organisations (the tenants), users, memberships, invitations and the audit log."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.model import ReprMixin, TimestampMixin, utcnow
from tenants.roles import OrgKind, Role
from tenants.scoping import PathString, SharedUpward, SubtreeVisible


class Organization(SubtreeVisible, TimestampMixin, ReprMixin, db.Model):
    """A tenant: the ministry of a region, a municipal body, or a school."""

    __tablename__ = "organizations"
    __repr_fields__ = ("id", "kind", "path")
    __table_args__ = (
        sa.CheckConstraint("kind IN ('ministry', 'municipality', 'school')", name="kind"),
        sa.CheckConstraint(
            "(kind = 'ministry') = (parent_id IS NULL)", name="root_is_ministry"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    school_type: Mapped[str | None] = mapped_column(sa.String(20))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(300))
    short_name: Mapped[str | None] = mapped_column(sa.String(120))
    region_name: Mapped[str | None] = mapped_column(sa.String(120))
    inn: Mapped[str | None] = mapped_column(sa.String(12))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    # is_active comes from SubtreeVisible.
    # The stable address of its public pages (/p/<region slug>/<slug>/): latin, from the name.
    slug: Mapped[str | None] = mapped_column(sa.String(80), unique=True)

    parent: Mapped[Organization | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organization]] = relationship(back_populates="parent")

    @property
    def org_kind(self) -> OrgKind:
        return OrgKind(self.kind)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class User(TimestampMixin, ReprMixin, db.Model):
    """A person who signs in. Not tenant-owned: roles come from memberships."""

    __tablename__ = "users"
    __repr_fields__ = ("id", "email")

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    is_superadmin: Mapped[bool] = mapped_column(default=False)
    # Bumped on logout and password change: older session cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    locale: Mapped[str | None] = mapped_column(sa.String(5))

    # Flask-Login protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class Membership(SharedUpward, TimestampMixin, ReprMixin, db.Model):
    """A user's role in one organisation (owned by that organisation)."""

    __tablename__ = "memberships"
    __repr_fields__ = ("id", "user_id", "role")
    __table_args__ = (sa.UniqueConstraint("user_id", "org_id", name="user_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(40))
    is_active: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    org: Mapped[Organization] = relationship(foreign_keys="Membership.org_id", lazy="joined", innerjoin=True)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


class Invitation(SharedUpward, TimestampMixin, ReprMixin, db.Model):
    """An e-mailed offer of a role in an organisation; single use."""

    __tablename__ = "invitations"
    __repr_fields__ = ("id", "email", "role")

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    full_name: Mapped[str | None] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(40))
    nonce: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    org: Mapped[Organization] = relationship(foreign_keys="Invitation.org_id")
    invited_by: Mapped[User | None] = relationship()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        expires = self.expires_at if self.expires_at.tzinfo else self.expires_at.replace(tzinfo=utcnow().tzinfo)
        if expires < utcnow():
            return "expired"
        return "pending"


class AuditEvent(ReprMixin, db.Model):
    """Who did what, when and from where.

    Deliberately not tenant-scoped: events are written where there is no tenant yet (a
    failed login). Reads go through ``tenants.audit.events_for``, which limits them to the
    subtree of an organisation that was itself loaded through the tenant scope.
    """

    __tablename__ = "audit_events"
    __repr_fields__ = ("id", "action")

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="SET NULL"))
    org_path: Mapped[str | None] = mapped_column(PathString, index=True)
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(80))
    object_id: Mapped[str | None] = mapped_column(sa.String(80))
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    user: Mapped[User | None] = relationship()


class Notification(SharedUpward, ReprMixin, db.Model):
    __tablename__ = "notifications"
    __repr_fields__ = ("id", "kind")

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    text: Mapped[str] = mapped_column(sa.Text)
    link: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
