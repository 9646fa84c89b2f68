"""The announcements' objects for the isolation suite: one sent by municipal body r1m1 to its
school r1m1s1 only (with a file) — r1m1's sibling school r1m1s2 is below the sender but no
recipient."""
from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa

from core.extensions import db
from mentorship.region.announcements import Audience, check_attachment, send_announcement
from tenants.context import tenant_scope
from tenants.models import Membership, User

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def announcement_world(tree, sender: str = "r1m1", recipient: str = "r1m1s1") -> SimpleNamespace:
    with tenant_scope(tree.ids[sender], tree.paths[sender]):
        user = db.session.get(User, tree.users[f"{sender}.admin"].id)
        membership = db.session.scalar(sa.select(Membership).where(
            Membership.org_id == tree.ids[sender], Membership.user_id == user.id))
        announcement = send_announcement(
            membership, user, title="Совещание", text="Текст объявления", markdown=False,
            audience=Audience("chosen", chosen=(tree.ids[recipient],)),
            attachment=check_attachment("plan.pdf", PDF))
        db.session.commit()
        announcement_id = announcement.id
        db.session.remove()
    return SimpleNamespace(announcement=announcement_id)
