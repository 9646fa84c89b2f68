"""E-mail for roadmap events: the other side of a transition, schools reminded from above."""
from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from blueprints.links import external_url
from core.enqueue import enqueue_on_commit
from core.extensions import db
from tasks import mail as mail_task
from tenants.context import unscoped
from tenants.models import Membership, User


def member_emails(org_id: int) -> list[str]:
    """Addresses of the active members of ``org_id`` — possibly an organisation above the
    current one (a school's roadmap notifies its municipal body), hence the named hatch."""
    with unscoped("roadmaps.recipients_of_a_notification"):
        return list(db.session.scalars(
            sa.select(User.email).join(Membership, Membership.user_id == User.id)
            .where(Membership.org_id == org_id, Membership.is_active.is_(True), User.is_active.is_(True))
            .order_by(User.email)
        ))


def mail_org(org_id: int, subject: str, text: str, roadmap_id: int | None) -> int:
    """Queue ``text`` for every member of ``org_id``, sent by the worker once the current
    transaction commits (retried there if the mail server fails); returns the count."""
    link = external_url("roadmaps.show", roadmap_id=roadmap_id) if roadmap_id else external_url("main.index")
    body = render_template("roadmaps/email/event.txt", text=text, link=link)
    addresses = member_emails(org_id)
    for address in addresses:
        enqueue_on_commit(db.session(), mail_task.send, address, subject, body)
    return len(addresses)
