"""Award orders (приказы «О поощрении участников наставнической деятельности»): the school's
orders granting the awards it gives itself, numbered per school and calendar year («3-П» is
the third of its year), stored with the awards they list, and printed as a Word document
(award_document.py).

An order lists awards granted by the school that no order lists yet and that carry no order
of another body. Once created it is not changed: its awards are frozen too (awards.py refuses
to change or delete them). Orders name people: creating, opening and downloading one are
audited here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, raiseload, selectinload

from core.errors import DomainError
from core.extensions import db
from core.search import contains
from mentorship.pairing.orders import ERASED_RU
from mentorship.recognition.award_document import to_docx
from mentorship.recognition.awards import KIND_RU
from mentorship.recognition.models import Award, AwardOrder
from tenants import audit
from tenants.models import Organization

DEFAULT_TITLE = "О поощрении участников наставнической деятельности"
PARTNER_RU = "организация-партнёр"
_ATTEMPTS = 5  # numbers taken by someone else a moment ago: try the next one


class AwardOrderError(DomainError):
    """An award order that cannot be created; each problem names the field of ``create_award_order``."""

    MESSAGES = {
        "dated_required": _l("Enter the order's date."),
        "title_required": _l("Enter the order's title."),
        "title_too_long": _l("The title is longer than 300 characters."),
        "grounds_too_long": _l("The grounds are longer than 2,000 characters."),
        "signatory_too_long": _l("The signatory's name is longer than 300 characters."),
        "no_awards": _l("Choose at least one award."),
        "award_not_orderable": _l("A chosen award is already in an order, or was granted by another body."),
        "number_busy": _l("Another order is being numbered at this moment: try again."),
    }


def number_of(seq: int) -> str:
    """The printed number of the year's ``seq``-th award order."""
    return f"{seq}-П"


def _orderable(org_id: int):
    return sa.and_(Award.order_id.is_(None), Award.order_number.is_(None), Award.granting_org_id == org_id)


def orderable_awards(org_id: int) -> list[Award]:
    """Awards granted by the school that no order lists yet (oldest first), with recipients."""
    return list(db.session.scalars(
        sa.select(Award).where(_orderable(org_id))
        .options(joinedload(Award.participant), joinedload(Award.enterprise))
        .order_by(Award.awarded_on, Award.id)
    ))


def _next_seq(org_id: int, year: int) -> int:
    latest = db.session.scalar(
        sa.select(sa.func.max(AwardOrder.seq)).where(AwardOrder.org_id == org_id, AwardOrder.year == year))
    return (latest or 0) + 1


def create_award_order(org: Organization, *, dated: date | None, award_ids, title: str = DEFAULT_TITLE,
                       grounds: str | None = None, signatory: str | None = None, user=None) -> AwardOrder:
    """A new award order of ``org`` listing ``award_ids``, numbered next in its year; audited
    ("award_order.created"). Raises AwardOrderError; the caller rolls back."""
    title = (title or "").strip()
    grounds = (grounds or "").strip() or None
    signatory = (signatory or "").strip() or None
    problems: list[tuple[str, str]] = []
    if dated is None:
        problems.append(("dated", "dated_required"))
    if not title:
        problems.append(("title", "title_required"))
    elif len(title) > 300:
        problems.append(("title", "title_too_long"))
    if len(grounds or "") > 2000:
        problems.append(("grounds", "grounds_too_long"))
    if len(signatory or "") > 300:
        problems.append(("signatory", "signatory_too_long"))
    ids = sorted({int(i) for i in award_ids or []})
    if not ids:
        problems.append(("award_ids", "no_awards"))
    if problems:
        raise AwardOrderError(problems)
    awards = list(db.session.scalars(
        sa.select(Award).where(Award.id.in_(ids), _orderable(org.id)).order_by(Award.id).with_for_update()
    ))
    if len(awards) != len(ids):  # another school's ids are simply not found
        raise AwardOrderError("award_not_orderable", field="award_ids")
    order = None
    for _attempt in range(_ATTEMPTS):
        seq = _next_seq(org.id, dated.year)
        candidate = AwardOrder(org_id=org.id, year=dated.year, seq=seq, number=number_of(seq), dated=dated,
                               title=title, grounds=grounds, signatory=signatory,
                               created_by_id=getattr(user, "id", None))
        try:
            with db.session.begin_nested():
                db.session.add(candidate)
        except IntegrityError:
            continue
        order = candidate
        break
    if order is None:
        raise AwardOrderError("number_busy", field="dated")
    for award in awards:
        award.order = order
    db.session.flush()
    audit.record("award_order.created", org=org, obj=order, user=user,
                 details={"number": order.number, "year": order.year, "awards": len(awards)})
    return order


def award_orders_statement(search: str = "") -> sa.Select:
    """The school's award orders, newest first; ``search`` matches the number, title or grounds."""
    stmt = (sa.select(AwardOrder)
            .options(selectinload(AwardOrder.awards).raiseload("*"), raiseload("*"))
            .order_by(AwardOrder.dated.desc(), AwardOrder.id.desc()))
    if search:
        stmt = stmt.where(sa.or_(contains(AwardOrder.number, search), contains(AwardOrder.title, search),
                                 contains(AwardOrder.grounds, search)))
    return stmt


def load_award_order(order_id: int) -> AwardOrder | None:
    """An order with its awards and their recipients (through the tenant scope), in a fixed
    number of queries however many awards it lists."""
    return db.session.scalar(
        sa.select(AwardOrder).where(AwardOrder.id == order_id).options(
            selectinload(AwardOrder.awards).options(joinedload(Award.participant), joinedload(Award.enterprise)),
        )
    )


@dataclass(frozen=True)
class AwardOrderRow:
    """One line of the order's table, in Russian, ready for the document."""

    number: int
    recipient: str
    position: str
    kind: str
    wording: str


def order_rows(order: AwardOrder) -> list[AwardOrderRow]:
    """The order's awards as lines of its table; the names as they are now (an erased person
    is printed as such)."""
    rows = []
    for number, award in enumerate(order.awards, start=1):
        if award.participant_id is not None:
            person = award.participant
            erased = person.anonymised_at is not None
            recipient = ERASED_RU if erased else person.full_name
            position = "" if erased else (person.class_or_position or "")
        else:
            recipient, position = award.enterprise.name, PARTNER_RU
        rows.append(AwardOrderRow(number=number, recipient=recipient, position=position, kind=KIND_RU[award.kind],
                                  wording=award.title or ""))
    return rows


def open_award_order(order: AwardOrder, org: Organization, user=None) -> list[AwardOrderRow]:
    """The rows of the order's table for its page; opening it (it names people) is audited."""
    rows = order_rows(order)
    audit.record("award_order.viewed", org=org, obj=order, user=user)
    return rows


def download_award_order(order: AwardOrder, org: Organization, user=None) -> bytes:
    """The order as the school's Word document; the download is audited."""
    data = to_docx(order, org.name, order_rows(order))
    audit.record("award_order.downloaded", org=org, obj=order, user=user, details={"format": "docx"})
    return data
