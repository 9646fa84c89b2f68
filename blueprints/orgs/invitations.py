"""Sending an invitation e-mail (shared by the organisation and super-admin screens)."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from core.links import external_url
from core.mail import queue_mail
from tenants.memberships import invitation_token
from tenants.models import Invitation, Organization
from tenants.roles import ROLE_LABELS, Role


def send_invitation(invitation: Invitation, org: Organization) -> None:
    """Mail the invitation link once the invitation commits (the mail task retries while the
    mail server fails)."""
    link = external_url("auth.invitation", token=invitation_token(invitation))
    body = render_template(
        "auth/email/invitation.txt", invitation=invitation, org=org, link=link,
        role_label=ROLE_LABELS[Role(invitation.role)],
    )
    queue_mail(invitation.email, _("Invitation to Nastavnik: %(org)s", org=org.display_name), body)
