"""The public pages' part when a person may no longer be shown (mentorship/people/signals.py).

Withdrawing a consent to publication (or erasing the person) unpublishes, in the same
transaction, every document of this area that names them, and raises the version of the
organisation's page, so that no cached copy (ETag) of any page or feed outlives the withdrawal.
The board of honour and contest results are unpublished by their own area's receivers."""
from __future__ import annotations

from core.extensions import db
from mentorship.people.signals import partner_withdrawn, publication_withdrawn
from mentorship.public.documents import unpublish_for_partner, unpublish_for_person
from mentorship.public.pages import touch
from tenants import audit
from tenants.models import Organization


@publication_withdrawn.connect
def unpublish_documents_naming(_sender, *, participant_id: int, org_id: int, **_kwargs) -> list[int]:
    """Unpublish the documents naming the person; the page's version goes up in any case."""
    unpublished = unpublish_for_person(participant_id)
    touch(org_id)
    if unpublished:
        audit.record("public.documents_withdrawn", org=db.session.get(Organization, org_id),
                     details={"participant_id": participant_id, "documents": unpublished})
    return unpublished


@partner_withdrawn.connect
def unpublish_documents_naming_partner(_sender, *, enterprise_id: int, org_id: int, **_kwargs) -> list[int]:
    """A partner withdrew its agreement: the award orders naming it leave the public pages."""
    unpublished = unpublish_for_partner(enterprise_id)
    touch(org_id)
    if unpublished:
        audit.record("public.documents_withdrawn", org=db.session.get(Organization, org_id),
                     details={"enterprise_id": enterprise_id, "documents": unpublished})
    return unpublished
