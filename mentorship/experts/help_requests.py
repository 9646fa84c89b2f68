"""Requests for an expert's help: an organisation asks an expert of a bank above it (or the
bank's keeper); the keeper or the expert accepts or declines it, and closes it with an outcome;
the asking organisation follows its status and may withdraw it while it is new.

    new ──accept──▶ accepted ──close──▶ closed
     │ └─decline──▶ declined
     └──withdraw──▶ withdrawn

Each step is audited, notifies the other side in the app and mails it (``core.mail.queue_mail``,
sent once the caller commits). A step is an atomic conditional UPDATE, so two people answering
the same request at once cannot both succeed.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import Conflict, DomainError, NotFound
from core.extensions import db
from core.links import external_url
from core.mail import queue_mail
from core.model import utcnow
from core.search import contains
from mentorship.experts import messages
from mentorship.experts.bank import KEEPER_ROLES
from mentorship.experts.directory import body_names, can_ask, keepers_above
from mentorship.experts.models import Expert, ExpertRequest
from tenants import audit
from tenants.directory import active_members
from tenants.models import Membership, Organization, User
from tenants.notifications import notify
from tenants.roles import Role

NOTIFICATION_KIND = "experts.request"
OPEN_STATUSES = ("new", "accepted")


class RequestError(DomainError):
    """A request for help that cannot be made or answered; each problem names its field."""

    MESSAGES = {
        "not_allowed": _l("You cannot do this with this request."),
        "topic_required": _l("Give the topic of the request."),
        "topic_too_long": _l("The topic is longer than 200 characters."),
        "text_required": _l("Describe what help is needed."),
        "text_too_long": _l("The description is longer than 5,000 characters."),
        "dates_too_long": _l("The preferred dates are longer than 300 characters."),
        "expert_unavailable": _l("This expert cannot be asked for help now."),
        "keeper": _l("Choose whom to ask."),
        "expert": _l("Choose an expert of your bank."),
        "comment_required": _l("Say why the request is declined."),
        "outcome_required": _l("Describe the outcome of the help."),
        "too_long": _l("The text is longer than 5,000 characters."),
    }


class RequestStateError(RequestError, Conflict):
    """The request has moved on meanwhile."""

    MESSAGES = {
        "changed_meanwhile": _l("The request has already been answered or changed meanwhile; nothing was saved. "
                                "Look at it again."),
    }


class RequestNotFound(NotFound):
    MESSAGES = {"not_found": _l("There is no such request.")}


@dataclass(frozen=True)
class RequestAccess:
    """A request as one organisation's member may see it, and as whom."""

    request: ExpertRequest
    side: str  # "requester" | "keeper" | "expert"
    can_answer: bool  # accept, decline, close
    can_withdraw: bool


# -- asking -------------------------------------------------------------------------------------

def _check_text(topic: str | None, text: str | None, dates: str | None) -> tuple[str, str, str | None]:
    problems = []
    topic = " ".join((topic or "").split())
    text = (text or "").strip()
    dates = " ".join((dates or "").split()) or None
    if not topic:
        problems.append(("topic", "topic_required"))
    elif len(topic) > 200:
        problems.append(("topic", "topic_too_long"))
    if not text:
        problems.append(("text", "text_required"))
    elif len(text) > 5000:
        problems.append(("text", "text_too_long"))
    if dates and len(dates) > 300:
        problems.append(("preferred_dates", "dates_too_long"))
    if problems:
        raise RequestError(problems)
    return topic, text, dates


def _create(org: Organization, user: User, keeper_id: int, expert: Expert | None, topic, text, dates) -> ExpertRequest:
    topic, text, dates = _check_text(topic, text, dates)
    request = ExpertRequest(org_id=org.id, keeper_org_id=keeper_id, expert_id=expert.id if expert else None,
                            topic=topic, text=text, preferred_dates=dates, requested_by_id=user.id, status="new")
    db.session.add(request)
    db.session.flush()
    audit.record("expert_request.created", org=org, obj=request,
                 details={"keeper_org_id": keeper_id, "expert_id": request.expert_id})
    _tell_keeper(request, "created", requester=org.name, keeper=body_names(org).get(keeper_id, ""),
                 expert=expert)
    return request


def ask_expert(org: Organization, user: User, expert: Expert, *, topic: str, text: str,
               preferred_dates: str | None = None) -> ExpertRequest:
    """``org`` (below the expert's keeper) asks a shown expert for help."""
    if not can_ask(org, expert):
        raise RequestError("expert_unavailable")
    return _create(org, user, expert.org_id, expert, topic, text, preferred_dates)


def ask_keeper(org: Organization, user: User, keeper_id: int | None, *, topic: str, text: str,
               preferred_dates: str | None = None) -> ExpertRequest:
    """``org`` asks a body above it to find an expert (no expert chosen)."""
    if keeper_id not in keepers_above(org):
        raise RequestError("keeper", field="keeper_id")
    return _create(org, user, keeper_id, None, topic, text, preferred_dates)


# -- reading ------------------------------------------------------------------------------------

def _is_expert_of(request: ExpertRequest, user: User) -> bool:
    return request.expert is not None and request.expert.user_id == user.id


def access(request_id: int, acting: Membership, user: User) -> RequestAccess:
    """The request, if the acting member may see it: the asking organisation, the keeper's
    staff, or the expert it is addressed to (signed in with the role ``expert``). Anyone else —
    a sibling school, another body, an ancestor that is not the keeper — gets a 404."""
    request = db.session.get(ExpertRequest, request_id)
    if request is None:
        raise RequestNotFound("not_found")
    role = acting.role_enum
    if request.org_id == acting.org_id:
        return RequestAccess(request, "requester", False, request.status == "new" and role != Role.EXPERT)
    if request.keeper_org_id == acting.org_id:
        if role == Role.EXPERT:
            if _is_expert_of(request, user):
                return RequestAccess(request, "expert", True, False)
        else:
            return RequestAccess(request, "keeper", role in KEEPER_ROLES, False)
    raise RequestNotFound("not_found")


def requests_query(acting: Membership, user: User, *, status: str = "", search: str = "") -> sa.Select:
    """The requests the acting member deals with, newest first: the ones its organisation
    made, plus (for a keeper) the ones addressed to its bank, or (for an expert) to them."""
    org_id = acting.org_id
    if acting.role_enum == Role.EXPERT:
        stmt = sa.select(ExpertRequest).join(Expert, Expert.id == ExpertRequest.expert_id).where(
            ExpertRequest.keeper_org_id == org_id, Expert.user_id == user.id)
    else:
        stmt = sa.select(ExpertRequest).where(
            sa.or_(ExpertRequest.org_id == org_id, ExpertRequest.keeper_org_id == org_id))
    if status:
        stmt = stmt.where(ExpertRequest.status == status)
    if search:
        stmt = stmt.where(contains(ExpertRequest.topic, search))
    return stmt.order_by(ExpertRequest.created_at.desc(), ExpertRequest.id.desc())


def requester_names(requests: list[ExpertRequest]) -> dict[int, str]:
    """The asking organisations' names (the keeper's subtree, or the asker itself), one query."""
    ids = {r.org_id for r in requests}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Organization.id, Organization.name).where(Organization.id.in_(ids))).all()
    return dict(rows)


def addressed_expert_name(request: ExpertRequest, side: str) -> str | None:
    """The expert's name as this side may see it: the keeper's side always; the asking side
    only while the expert is still shown (a withdrawn display consent hides them at once)."""
    expert = request.expert
    if expert is None:
        return None
    if side != "requester" or expert.is_shown:
        return expert.full_name
    return None


def open_count(acting: Membership, user: User) -> int:
    """New requests waiting for the acting keeper or expert."""
    stmt = requests_query(acting, user, status="new").where(ExpertRequest.org_id != acting.org_id)
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0


# -- answering ----------------------------------------------------------------------------------

def _move(request: ExpertRequest, from_statuses: tuple[str, ...], **values) -> None:
    """Change the request only if it is still in one of ``from_statuses`` (one UPDATE)."""
    db.session.flush()
    result = db.session.execute(
        sa.update(ExpertRequest)
        .where(ExpertRequest.id == request.id, ExpertRequest.status.in_(from_statuses))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.expire(request)
        raise RequestStateError("changed_meanwhile")
    db.session.refresh(request)


def _require_answerer(view: RequestAccess) -> None:
    if not view.can_answer:
        raise RequestError("not_allowed")


def _long_text(value: str | None, field: str, required_code: str | None) -> str | None:
    value = (value or "").strip() or None
    if value is None and required_code:
        raise RequestError(required_code, field=field)
    if value and len(value) > 5000:
        raise RequestError("too_long", field=field)
    return value


def accept(view: RequestAccess, acting: Membership, user: User, *, expert_id: int | None = None,
           comment: str | None = None) -> ExpertRequest:
    """The keeper or the expert takes the request on; the keeper may name the expert of its
    bank who will help (a request to the keeper has none yet)."""
    _require_answerer(view)
    request = view.request
    comment = _long_text(comment, "comment", None)
    values = {"status": "accepted", "decided_by_id": user.id, "decided_at": utcnow(), "decision_comment": comment}
    if expert_id and view.side == "keeper":
        expert = db.session.scalar(sa.select(Expert).where(
            Expert.id == expert_id, Expert.org_id == acting.org_id, Expert.is_active.is_(True),
            Expert.erased_at.is_(None)))
        if expert is None:
            raise RequestError("expert", field="expert_id")
        values["expert_id"] = expert.id
    _move(request, ("new",), **values)
    _answered(request, acting, "accepted", comment)
    return request


def decline(view: RequestAccess, acting: Membership, user: User, *, comment: str | None) -> ExpertRequest:
    """The keeper or the expert cannot help; the reason is required."""
    _require_answerer(view)
    comment = _long_text(comment, "comment", "comment_required")
    _move(view.request, ("new",), status="declined", decided_by_id=user.id, decided_at=utcnow(),
          decision_comment=comment)
    _answered(view.request, acting, "declined", comment)
    return view.request


def close(view: RequestAccess, acting: Membership, user: User, *, outcome: str | None) -> ExpertRequest:
    """The help is over: the outcome is recorded and the request closed."""
    _require_answerer(view)
    outcome = _long_text(outcome, "outcome", "outcome_required")
    _move(view.request, ("accepted",), status="closed", closed_at=utcnow(), outcome=outcome)
    _answered(view.request, acting, "closed", outcome)
    return view.request


def withdraw(view: RequestAccess, acting: Membership, user: User) -> ExpertRequest:
    """The asking organisation no longer needs the help (while nobody has answered)."""
    if not view.can_withdraw:
        raise RequestError("not_allowed")
    request = view.request
    _move(request, ("new",), status="withdrawn", closed_at=utcnow())
    org = acting.org
    audit.record("expert_request.withdrawn", org=org, obj=request)
    _tell_keeper(request, "withdrawn", requester=org.name, keeper=body_names(org).get(request.keeper_org_id, ""),
                 expert=request.expert)
    return request


def _answered(request: ExpertRequest, acting: Membership, event: str, comment: str | None) -> None:
    keeper = acting.org
    audit.record(f"expert_request.{event}", org=keeper, obj=request,
                 details={"expert_id": request.expert_id, "by": "expert" if acting.role_enum == Role.EXPERT
                          else "keeper"})
    requester = db.session.get(Organization, request.org_id)
    headline = messages.event_text(event, requester=requester.name if requester else "", keeper=keeper.name,
                                   topic=request.topic)
    link_path = f"/experts/requests/{request.id}"
    notify(request.org_id, request.org_id, NOTIFICATION_KIND, headline, link=link_path)
    expert = request.expert
    body = messages.mail_body(
        headline, expert=expert.full_name if expert is not None and expert.is_shown else None, dates=None,
        text=None, comment=comment, comment_label="Результат" if event == "closed" else "Комментарий",
        link=external_url("experts.request_show", request_id=request.id))
    for member in _requester_members(request.org_id):
        queue_mail(member, "Наставник: " + headline, body)


def _requester_members(org_id: int) -> list[str]:
    members = active_members([org_id]).get(org_id, [])
    return sorted({m.email for m in members if m.role != Role.EXPERT.value})


def _tell_keeper(request: ExpertRequest, event: str, *, requester: str, keeper: str, expert: Expert | None) -> None:
    """Notify the keeper in the app; mail its managers and the expert the request is for."""
    headline = messages.event_text(event, requester=requester, keeper=keeper, topic=request.topic)
    link_path = f"/experts/requests/{request.id}"
    notify(request.keeper_org_id, request.org_id, NOTIFICATION_KIND, headline, link=link_path)
    body = messages.mail_body(
        headline, expert=expert.full_name if expert is not None else None, dates=request.preferred_dates,
        text=request.text if event == "created" else None, comment=None, comment_label="",
        link=external_url("experts.request_show", request_id=request.id))
    members = active_members([request.keeper_org_id], [r.value for r in KEEPER_ROLES]).get(request.keeper_org_id, [])
    recipients = {m.email for m in members}
    if expert is not None and expert.erased_at is None:
        account = None
        if expert.user_id is not None:
            account = next((m.email for m in active_members([request.keeper_org_id], [Role.EXPERT.value])
                            .get(request.keeper_org_id, []) if m.user_id == expert.user_id), None)
        if account or expert.email:
            recipients.add(account or expert.email)
    for email in sorted(recipients):
        queue_mail(email, "Наставник: " + headline, body)


def active_experts_of(keeper_org_id: int) -> sa.Select:
    """The keeper's active experts, shown to others or not (whom it may name when accepting)."""
    return (sa.select(Expert).where(Expert.org_id == keeper_org_id, Expert.is_active.is_(True),
                                    Expert.erased_at.is_(None))
            .order_by(Expert.full_name, Expert.id))


__all__ = ["RequestAccess", "RequestError", "RequestNotFound", "RequestStateError", "accept", "access",
           "addressed_expert_name", "ask_expert", "ask_keeper", "close", "decline", "open_count",
           "requester_names", "requests_query", "active_experts_of", "withdraw"]
