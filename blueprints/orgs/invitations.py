"""Sending an invitation e-mail (shared by the organisation and super-admin screens)."""
from __future__ import annotations

from flask import current_app, render_template

from blueprints.links import external_url
from flask_babel import gettext as _

from core.mail import MailError, send_mail
from tenants.memberships import invitation_token
from tenants.models import Invitation, Organization
from tenants.roles import ROLE_LABELS, Role


def send_invitation(invitation: Invitation, org: Organization) -> bool:
    """Mail the invitation link; False if the mail server refused (the invitation stays)."""
    link = external_url("auth.invitation", token=invitation_token(invitation))
    body = render_template(
        "auth/email/invitation.txt", invitation=invitation, org=org, link=link,
        role_label=ROLE_LABELS[Role(invitation.role)],
    )
    try:
        send_mail(invitation.email, _("Invitation to Nastavnik: %(org)s", org=org.display_name), body)
    except MailError:
        current_app.logger.exception("invitation mail failed")
        return False
    return True
