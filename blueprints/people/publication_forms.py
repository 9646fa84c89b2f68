"""Forms of the consent to publication (согласие на публикацию) page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from blueprints.base_form import BaseForm, required


def _max(n):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


class PublicationConsentForm(BaseForm):
    given_on = DateField(_l("Date the consent was given"), validators=[required()], format="%Y-%m-%d",
                         render_kw={"type": "date"})
    scope_note = TextAreaField(_l("What may be published"), validators=[required(), _max(2000)],
                               description=_l("In the words of the signed consent."))


class PublicationWithdrawForm(BaseForm):
    withdrawn_on = DateField(_l("Date of withdrawal"), validators=[required()], format="%Y-%m-%d",
                             render_kw={"type": "date"}, id="publication-withdrawn-on")
    reason = TextAreaField(_l("Reason"), validators=[Optional(), _max(2000)], id="publication-reason")


class PartnerAgreementForm(BaseForm):
    """A partner enterprise agrees (``agreed`` = 1) or no longer agrees (0) to be named publicly."""

    agreed = HiddenField(default="1")
