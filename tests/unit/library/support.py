"""Helpers for the library's tests (unit, web, isolation): files, acting as a member, items."""
from __future__ import annotations

import io
import zipfile
from contextlib import contextmanager

import sqlalchemy as sa

from core.extensions import db
from mentorship.library import items, review
from tenants.context import tenant_scope
from tenants.models import Membership, User

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 32


def pptx() -> bytes:
    """A minimal PowerPoint file (enough for detection by content)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p/>")
    return buffer.getvalue()


def org_key(user_key: str) -> str:
    return user_key.split(".")[0]


@contextmanager
def acting_as(tree, user_key: str):
    """(membership, user) of ``user_key`` (e.g. "r1m1.admin"), inside its organisation's scope."""
    key = org_key(user_key)
    with tenant_scope(tree.ids[key], tree.paths[key]):
        user = db.session.get(User, tree.users[user_key].id)
        membership = db.session.scalar(sa.select(Membership).where(
            Membership.user_id == user.id, Membership.org_id == tree.ids[key]))
        yield membership, user


def make_item(tree, user_key: str, *, title: str = "Положение о наставничестве", category: str = "template",
              description: str | None = None, forms: tuple[str, ...] = (), keywords: str | None = None,
              publish: bool = True, public: bool = False, data: bytes = PDF, filename: str = "doc.pdf") -> int:
    """An item made (and committed) by ``user_key``'s organisation; returns its id."""
    with acting_as(tree, user_key) as (membership, user):
        item = items.create_item(
            membership, user, items.ItemData(category=category, title=title, description=description,
                                             form_codes=list(forms), keywords=keywords),
            filename, data, publish=publish, public=public)
        db.session.commit()
        return item.id


def make_practice(tree, user_key: str = "r1m1s1.staff", *, title: str = "Наставничество в 5-х классах",
                  submit: bool = True, approve: bool = False, public: bool = False, **kw) -> int:
    """A school's best practice, submitted (and approved by its municipal body) if asked."""
    item_id = make_item(tree, user_key, title=title, category="practice", publish=False, **kw)
    if submit:
        from mentorship.library.models import LibraryItem

        with acting_as(tree, user_key) as (membership, _user):
            review.submit(membership, db.session.get(LibraryItem, item_id), public=public)
            db.session.commit()
        if approve:
            reviewer = org_key(user_key)[:-2] + ".admin"  # the school's municipal body: r1m1s1 → r1m1
            with acting_as(tree, reviewer) as (membership, user):
                review.approve(membership, user, db.session.get(LibraryItem, item_id))
                db.session.commit()
    return item_id
