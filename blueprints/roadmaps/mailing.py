"""E-mail for roadmap events: the other side of a transition, schools reminded from above."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from core.links import external_url
from core.mail import queue_mail
from mentorship.roadmaps.signals import roadmap_transitioned
from mentorship.roadmaps.workflow import TransitionEvent
from tenants.directory import active_members


def mail_org(org_id: int, subject: str, text: str, roadmap_id: int | None) -> int:
    """Queue ``text`` for every member of ``org_id``, sent by the worker once the current
    transaction commits (retried there if the mail server fails); returns the count."""
    link = external_url("roadmaps.show", roadmap_id=roadmap_id) if roadmap_id else external_url("main.index")
    body = render_template("roadmaps/email/event.txt", text=text, link=link)
    members = active_members([org_id]).get(org_id, [])
    for member in members:
        queue_mail(member.email, subject, body)
    return len(members)


@roadmap_transitioned.connect
def mail_the_other_side(_roadmap, *, event: TransitionEvent) -> None:
    """E-mail the other side of a transition what happened (sent after the commit)."""
    comment = event.transition.comment
    text = f"{event.message}\n«{event.roadmap.title}»" + (f"\n\n{_('Comment:')} {comment}" if comment else "")
    mail_org(event.notify_org_id, _("Nastavnik: %(what)s", what=event.message), text, event.roadmap.id)
