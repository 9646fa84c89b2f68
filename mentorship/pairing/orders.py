"""Orders (приказы «Об утверждении наставнических пар/групп»): a school's numbered, dated
orders fixing active pairs and groups, and the rows of the order's table.

Orders are immutable once created (no edit, no delete): a document that was signed stays as
it was. A pair appears in one order; a later change of the pair (a mentee added, the pair
ended) is a matter for a later order, not a rewrite of the old one. A pair voided as entered
by mistake is never offered for an order; in an order signed before, its row stays as signed
and the order's page marks it voided. Orders list people:
creating, opening and downloading one are audited here."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, raiseload, selectinload

from core.errors import DomainError
from core.extensions import db
from core.search import contains
from mentorship.pairing.models import VOIDED, Mentorship, MentorshipMentee, Order, OrderItem, Programme
from mentorship.pairing.order_document import to_docx
from mentorship.pairing.pair_queries import form_names
from mentorship.people.models import Participant
from tenants import audit
from tenants.directory import active_members
from tenants.models import Organization
from tenants.roles import Role

DEFAULT_TITLE = "Об утверждении наставнических пар/групп"
ERASED_RU = "Персональные данные удалены"  # in the document, which is always in Russian


class OrderError(DomainError):
    """An order that cannot be created; each problem names the field of ``create_order``."""

    MESSAGES = {
        "number_required": _l("Enter the order's number."),
        "number_taken": _l("An order with this number already exists."),
        "title_required": _l("Enter the order's title."),
        "no_pairs": _l("Choose at least one pair or group."),
        "pair_not_active": _l("Only active pairs and groups can be put in an order."),
        "pair_ordered": _l("A chosen pair is already in another order."),
        "pair_programme": _l("A chosen pair belongs to another programme."),
    }


def _with_people(stmt: sa.Select) -> sa.Select:
    # No raiseload here: the same objects may be changed next in the request (put in an order).
    return stmt.options(
        joinedload(Mentorship.mentor),
        joinedload(Mentorship.programme),
        selectinload(Mentorship.members).joinedload(MentorshipMentee.participant),
    )


def orderable_pairs(programme_id: int | None = None) -> list[Mentorship]:
    """Active pairs and groups that no order lists yet (of one programme, if given)."""
    stmt = (
        sa.select(Mentorship)
        .where(Mentorship.status == "active",
               Mentorship.id.not_in(sa.select(OrderItem.mentorship_id)))
        .order_by(Mentorship.started_on, Mentorship.id)
    )
    if programme_id:
        stmt = stmt.where(Mentorship.programme_id == programme_id)
    return list(db.session.scalars(_with_people(stmt)))


_NUMBER = re.compile(r"^(\D*?)(\d+)(.*)$")


def suggest_number() -> str:
    """The next number after the school's latest order: «15-од» → «16-од»; «1» when none."""
    numbers = set(db.session.scalars(sa.select(Order.number)))
    latest = db.session.scalar(sa.select(Order.number).order_by(Order.dated.desc(), Order.id.desc()).limit(1))
    prefix, value, suffix = "", len(numbers), ""
    if latest is not None:
        match = _NUMBER.match(latest)
        if match:
            prefix, value, suffix = match.group(1), int(match.group(2)), match.group(3)
    candidate = f"{prefix}{value + 1}{suffix}"
    while candidate in numbers:
        value += 1
        candidate = f"{prefix}{value + 1}{suffix}"
    return candidate


def principal_name(org: Organization) -> str | None:
    """The name of the school's (active) principal: the order's default signatory."""
    principals = active_members([org.id], [Role.SCHOOL_PRINCIPAL]).get(org.id, [])
    return principals[0].name if principals else None


def create_order(org: Organization, *, number: str, dated: date, title: str, pair_ids, user=None,
                 programme: Programme | None = None, signatory: str | None = None) -> Order:
    """A new order of ``org`` listing the pairs ``pair_ids`` (active, in no order yet, of
    ``programme`` when one is given), audited ("order.created"). Raises OrderError; the
    caller rolls back."""
    number = (number or "").strip()
    title = (title or "").strip()
    if not number:
        raise OrderError("number_required", field="number")
    if not title:
        raise OrderError("title_required", field="title")
    ids = sorted({int(i) for i in pair_ids or []})
    if not ids:
        raise OrderError("no_pairs", field="pair_ids")
    if db.session.scalar(sa.select(Order.id).where(Order.number == number)) is not None:
        raise OrderError("number_taken", field="number")
    pairs = list(db.session.scalars(
        sa.select(Mentorship).where(Mentorship.id.in_(ids)).order_by(Mentorship.id).with_for_update()
    ))
    if len(pairs) != len(ids) or any(p.status != "active" for p in pairs):
        raise OrderError("pair_not_active", field="pair_ids")  # ids outside the school are simply not found
    if programme is not None and any(p.programme_id != programme.id for p in pairs):
        raise OrderError("pair_programme", field="pair_ids")
    if db.session.scalar(sa.select(OrderItem.id).where(OrderItem.mentorship_id.in_(ids)).limit(1)) is not None:
        raise OrderError("pair_ordered", field="pair_ids")
    order = Order(org_id=org.id, number=number, dated=dated, title=title,
                  programme_id=programme.id if programme is not None else None,
                  signatory=(signatory or "").strip() or None, created_by_id=getattr(user, "id", None))
    for pair in pairs:
        order.items.append(OrderItem(org_id=org.id, mentorship=pair, planned_end_on=pair.planned_end_on,
                                     mentee_ids=[m.participant_id for m in pair.members]))
    db.session.add(order)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same number saved by someone else a moment ago
        raise OrderError("number_taken", field="number") from exc
    audit.record("order.created", org=org, obj=order, user=user, details={"number": order.number,
                                                                         "pairs": len(order.items)})
    return order


def orders_statement(search: str = "") -> sa.Select:
    """The school's order register, newest first; ``search`` matches number or title."""
    stmt = (sa.select(Order)
            .options(joinedload(Order.programme).raiseload("*"), selectinload(Order.items).raiseload("*"),
                     raiseload("*"))
            .order_by(Order.dated.desc(), Order.id.desc()))
    if search:
        stmt = stmt.where(sa.or_(contains(Order.number, search), contains(Order.title, search)))
    return stmt


def load_order(order_id: int) -> Order | None:
    """An order with its pairs, their mentors and programmes (through the tenant scope), in a
    fixed number of queries however many pairs it lists. The mentees are not loaded here: the
    order froze them on its items (``order_rows`` reads them in one query)."""
    return db.session.scalar(
        sa.select(Order).where(Order.id == order_id).options(
            joinedload(Order.programme),
            selectinload(Order.items).joinedload(OrderItem.mentorship).options(
                joinedload(Mentorship.mentor), joinedload(Mentorship.programme),
            ),
        )
    )


# ---------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class OrderRow:
    """One line of the order's table, in Russian, ready for the document."""

    number: int
    mentor: str
    mentees: tuple[str, ...]
    form: str
    programme: str
    term: str
    voided: bool = False  # the pair was voided since (entered by mistake): the page says so


def _person(participant) -> str:
    return ERASED_RU if participant.anonymised_at is not None else participant.full_name


def _term(item: OrderItem) -> str:
    start = f"с {item.mentorship.started_on:%d.%m.%Y}"
    return f"{start} по {item.planned_end_on:%d.%m.%Y}" if item.planned_end_on else start


def order_rows(order: Order, form_names: dict[str, str]) -> list[OrderRow]:
    """The order's pairs as they were ordered (mentor, mentees, form, programme, term): the
    mentees and the planned end frozen on the order's items, the names as they are now."""
    ids = {i for item in order.items for i in item.mentee_ids}
    people = {p.id: p for p in db.session.scalars(sa.select(Participant).where(Participant.id.in_(ids)))} if ids else {}
    rows = []
    for number, item in enumerate(order.items, start=1):
        pair = item.mentorship
        rows.append(OrderRow(
            number=number,
            mentor=_person(pair.mentor),
            mentees=tuple(_person(people[i]) for i in item.mentee_ids if i in people),
            form=form_names.get(pair.form_code, pair.form_code),
            programme=pair.programme.title,
            term=_term(item),
            voided=pair.status == VOIDED,
        ))
    return rows


def open_order(order: Order, org: Organization, user=None) -> list[OrderRow]:
    """The rows of ``order``'s table for its page; opening an order (it names people) is
    audited ("order.viewed")."""
    rows = order_rows(order, form_names(org.path))
    audit.record("order.viewed", org=org, obj=order, user=user)
    return rows


def download_order(order: Order, org: Organization, user=None) -> bytes:
    """``order`` as the school's Word document (``order_document.to_docx``); the download is
    audited ("order.downloaded")."""
    data = to_docx(order, org.name, order_rows(order, form_names(org.path)))
    audit.record("order.downloaded", org=org, obj=order, user=user, details={"format": "docx"})
    return data
