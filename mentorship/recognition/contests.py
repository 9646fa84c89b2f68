"""Contests: the organiser's side up to judging (a draft, its announcement, the opening of
judging), who may do what, the lists, and what the public pages may read.

A municipal body or the ministry organises a contest (Lineage: the schools below see it once
announced; a draft is the organiser's alone). The announcement makes it public
(``Publishable``), notifies every active school below and e-mails their principals and
curators. Nominations (contests_nominations.py), the jury and its scores (contests_jury.py) and
the results (contests_results.py) are the other steps. Every step is audited here, by the
service that does it; the caller commits.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload, undefer

from core.errors import Conflict, DomainError, NotFound, Problem
from core.extensions import db
from core.links import absolute_url
from core.mail import queue_mail
from core.model import utcnow
from core.search import contains
from core.uploads import CheckedFile, UploadError, check_upload
from mentorship.recognition.models import (
    AGGREGATIONS,
    MAX_CRITERION_SCORE,
    Contest,
    ContestCriterion,
    ContestJuror,
    ContestNomination,
    ContestNominee,
    ContestResultEntry,
    ContestRules,
)
from tenants import audit
from tenants.context import unscoped
from tenants.directory import active_members
from tenants.models import Membership, Organization, User
from tenants.notifications import notify
from tenants.roles import OrgKind, Role
from tenants.scoping import subtree_bounds

ORGANISER_KINDS = frozenset({OrgKind.MINISTRY.value, OrgKind.MUNICIPALITY.value})
# Who runs an organiser's contests (the ministry's analyst and the experts only read / judge).
MANAGER_ROLES = frozenset({Role.MINISTRY_ADMIN.value, Role.MUNICIPAL_COORDINATOR.value,
                           Role.MUNICIPAL_SPECIALIST.value})
# Who nominates a school's mentors.
NOMINATOR_ROLES = frozenset({Role.SCHOOL_PRINCIPAL.value, Role.SCHOOL_CURATOR.value})
EDITABLE_JURY = frozenset({"draft", "announced", "judging"})
MAX_TEXT = 10_000
MAX_NOMINATIONS = 20
MAX_CRITERIA = 20

STATUS_LABELS = {
    "draft": _l("Draft"),
    "announced": _l("Nominations open"),
    "judging": _l("Judging"),
    "results": _l("Results awaiting confirmation"),
    "published": _l("Results published"),
}
AGGREGATION_LABELS = {
    "sum": _l("Sum of the jurors' scores"),
    "mean": _l("Mean of the jurors' scores"),
}


class ContestError(DomainError):
    """A contest request the rules refuse; each problem names the service's parameter."""

    MESSAGES = {
        "not_organiser": _l("Contests are organised by a municipal body or the ministry."),
        "title_required": _l("Enter the contest's title."),
        "text_too_long": _l("The text is too long (at most %(max)d characters)."),
        "nominations_required": _l("Enter at least one nomination."),
        "too_many_nominations": _l("At most %(max)d nominations."),
        "nomination_repeated": _l("Each nomination must be named only once."),
        "criteria_required": _l("Enter at least one criterion with its maximum score."),
        "too_many_criteria": _l("At most %(max)d criteria."),
        "criterion_title_required": _l("Enter the criterion's title."),
        "max_score_range": _l("The maximum score is a whole number from 1 to %(max)d."),
        "date_required": _l("Enter the date."),
        "dates_order": _l("The dates must follow each other: nominations open, nominations close, judging ends, "
                          "results are announced."),
        "aggregation_unknown": _l("Choose how the jurors' scores are combined."),
        "nominations_over": _l("The nomination period is already over: change the dates first."),
        "no_jury": _l("Appoint the jury first."),
        "no_nominees": _l("No mentor has been nominated yet."),
        # nominations
        "not_a_school": _l("Only schools nominate mentors."),
        "mentor_required": _l("Choose a mentor."),
        "not_a_mentor": _l("Only a mentor of the school's mentor bank can be nominated."),
        "no_publication_consent": _l("The mentor has no valid consent to the publication of their achievements: "
                                     "record it first."),
        "nomination_required": _l("Choose a nomination."),
        "already_nominated": _l("This mentor is already nominated in this nomination."),
        "entry_required": _l("Describe the mentor's achievements."),
        # the jury
        "juror_required": _l("Choose a member of the organisation."),
        "juror_not_member": _l("A juror must be an active member of the organisation."),
        "already_juror": _l("This person is already on the jury."),
        "not_juror": _l("You are not on this contest's jury."),
        "own_school": _l("A juror cannot judge a nominee of their own school."),
        "unknown_nominee": _l("This nominee is not judged in this contest."),
        "score_not_number": _l("Enter a whole number."),
        "score_range": _l("The score is a whole number from 0 to %(max)d."),
        # results
        "scores_missing": _l("Not every juror has scored every nominee: %(missing)d scores are missing."),
        "nominee_without_jury": _l("No juror may judge %(name)s (every juror belongs to their school): appoint "
                                   "another juror."),
        # a file refused by core.uploads.check_upload
        "empty": _l("The file is empty."),
        "too_large": _l("The file is larger than 10 MB."),
        "type_not_allowed": _l("Only PDF, JPEG, PNG, DOCX and XLSX files are accepted."),
        "name_mismatch": _l("The file's content does not match its name."),
    }


class ContestStateError(ContestError, Conflict):
    """The contest's (or the entry's) status does not allow the step."""

    MESSAGES = {
        "not_draft": _l("Only a draft contest can be changed."),
        "cannot_announce": _l("Only a draft contest can be announced."),
        "cannot_start_judging": _l("Judging can start only while nominations are open."),
        "nominations_closed": _l("Nominations are not accepted now."),
        "cannot_withdraw": _l("An entry can be withdrawn only while nominations are open."),
        "already_withdrawn": _l("This entry is already withdrawn."),
        "jury_frozen": _l("The jury can no longer be changed."),
        "scoring_closed": _l("Scores are accepted only while judging is open."),
        "judging_open": _l("The scores are shown once judging is closed."),
        "cannot_close": _l("Judging can be closed only while it is open."),
        "cannot_reopen": _l("Judging can be reopened only before the results are published."),
        "cannot_publish": _l("The results can be published once judging is closed, and only once."),
        "changed_meanwhile": _l("The sheet was saved from another window meanwhile; nothing was saved. Look at it "
                                "again."),
    }


# -- who may do what ---------------------------------------------------------------------------

def can_organise(membership: Membership | None) -> bool:
    """Whether ``membership`` may create contests (a manager of a municipal body or ministry)."""
    return (membership is not None and membership.org.kind in ORGANISER_KINDS
            and membership.role in MANAGER_ROLES)


def can_manage(contest: Contest, membership: Membership | None) -> bool:
    """Whether ``membership`` runs ``contest`` (a manager of its organiser)."""
    return can_organise(membership) and membership.org_id == contest.org_id


def can_nominate(membership: Membership | None) -> bool:
    return (membership is not None and membership.org.kind == OrgKind.SCHOOL.value
            and membership.role in NOMINATOR_ROLES)


def visible_contest(contest_id: int, org: Organization) -> Contest:
    """The contest as ``org`` may see it (through the scope: the organiser's line); a draft is
    the organiser's alone. Raises NotFound (a 404) otherwise."""
    contest = db.session.get(Contest, contest_id)
    if contest is None or (contest.status == "draft" and contest.org_id != org.id):
        raise NotFound("contest")
    return contest


def is_juror(contest: Contest, user_id: int) -> bool:
    return db.session.scalar(sa.select(ContestJuror.id).where(
        ContestJuror.contest_id == contest.id, ContestJuror.user_id == user_id)) is not None


# -- the list ----------------------------------------------------------------------------------

def contests_statement(org: Organization, search: str = "", status: str = "") -> sa.Select:
    """The contests ``org`` sees, newest first: its own (drafts included) and, announced, those
    of the organisers above it (a school's municipal body and ministry) and below it."""
    stmt = (sa.select(Contest)
            .where(sa.or_(Contest.org_id == org.id, Contest.status != "draft"))
            .order_by(Contest.nominations_open_on.desc(), Contest.id.desc()))
    if search:
        stmt = stmt.where(contains(Contest.title, search))
    if status:
        stmt = stmt.where(Contest.status == status)
    return stmt


def org_names(org_ids: Iterable[int]) -> dict[int, str]:
    """Names of organisations (a contest's organiser above the viewer, a nominee's school): an
    organisation's name is not personal data."""
    ids = sorted({i for i in org_ids if i})
    if not ids:
        return {}
    with unscoped("recognition.org_names"):
        rows = db.session.execute(
            sa.select(Organization.id, sa.func.coalesce(Organization.short_name, Organization.name))
            .where(Organization.id.in_(ids))
        ).all()
    return dict(rows)


def load_contest(contest_id: int) -> Contest | None:
    """A contest with its nominations, criteria and rules (through the scope)."""
    return db.session.scalar(
        sa.select(Contest).where(Contest.id == contest_id)
        .options(selectinload(Contest.nominations), selectinload(Contest.criteria), joinedload(Contest.rules))
    )


# -- the draft ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CriterionInput:
    title: str
    max_score: int | None


def check_file(filename: str | None, data: bytes, field: str) -> CheckedFile:
    """An uploaded file checked by content (core.uploads), or ContestError about ``field``."""
    try:
        return check_upload(filename or "", data)
    except UploadError as exc:
        raise ContestError(exc.code, field=field) from None


def _validated(*, title: str, description: str | None, nominations: list[str], criteria: list[CriterionInput],
               aggregation: str, dates: dict[str, date | None]) -> tuple[list[str], list[CriterionInput]]:
    problems: list[Problem] = []
    if not (title or "").strip():
        problems.append(Problem("title_required", "title"))
    elif len(title.strip()) > 300:
        problems.append(Problem("text_too_long", "title", {"max": 300}))
    if description and len(description) > MAX_TEXT:
        problems.append(Problem("text_too_long", "description", {"max": MAX_TEXT}))
    names = [n.strip() for n in nominations if n and n.strip()]
    if not names:
        problems.append(Problem("nominations_required", "nominations"))
    elif len(names) > MAX_NOMINATIONS:
        problems.append(Problem("too_many_nominations", "nominations", {"max": MAX_NOMINATIONS}))
    elif len({n.casefold() for n in names}) != len(names):
        problems.append(Problem("nomination_repeated", "nominations"))
    elif any(len(n) > 300 for n in names):
        problems.append(Problem("text_too_long", "nominations", {"max": 300}))
    filled = [(i, c) for i, c in enumerate(criteria) if (c.title or "").strip() or c.max_score is not None]
    if not filled:
        problems.append(Problem("criteria_required", "criteria"))
    elif len(filled) > MAX_CRITERIA:
        problems.append(Problem("too_many_criteria", "criteria", {"max": MAX_CRITERIA}))
    for index, row in filled:
        if not (row.title or "").strip():
            problems.append(Problem("criterion_title_required", f"criteria-{index}-title"))
        if row.max_score is None or not 1 <= row.max_score <= MAX_CRITERION_SCORE:
            problems.append(Problem("max_score_range", f"criteria-{index}-max_score", {"max": MAX_CRITERION_SCORE}))
    if aggregation not in AGGREGATIONS:
        problems.append(Problem("aggregation_unknown", "aggregation"))
    for name, value in dates.items():
        if value is None:
            problems.append(Problem("date_required", name))
    order = ["nominations_open_on", "nominations_close_on", "judging_until", "results_on"]
    if all(dates.get(n) for n in order):
        for earlier, later in zip(order, order[1:]):
            if dates[earlier] > dates[later]:
                problems.append(Problem("dates_order", later))
                break
    if problems:
        raise ContestError(problems)
    return names, [CriterionInput(c.title.strip()[:300], c.max_score) for _i, c in filled]


def save_draft(org: Organization, contest: Contest | None = None, *, title: str, description: str | None,
               nominations: list[str], criteria: list[CriterionInput], aggregation: str,
               nominations_open_on: date | None, nominations_close_on: date | None, judging_until: date | None,
               results_on: date | None, rules: CheckedFile | None = None, user: User | None = None) -> Contest:
    """Create (``contest`` None) or change a draft contest of ``org``, audited
    ("contest.created" / "contest.updated"). ``rules``, when given, replaces the rules document.
    Raises ContestError (nothing is written); the caller commits."""
    if org.kind not in ORGANISER_KINDS:
        raise ContestError("not_organiser")
    if contest is not None and contest.status != "draft":
        raise ContestStateError("not_draft")
    dates = {"nominations_open_on": nominations_open_on, "nominations_close_on": nominations_close_on,
             "judging_until": judging_until, "results_on": results_on}
    names, rows = _validated(title=title, description=description, nominations=nominations, criteria=criteria,
                             aggregation=aggregation, dates=dates)
    created = contest is None
    if created:
        contest = Contest(org_id=org.id, created_by_id=getattr(user, "id", None))
        db.session.add(contest)
    contest.title = title.strip()
    contest.description = (description or "").strip() or None
    contest.aggregation = aggregation
    for name, value in dates.items():
        setattr(contest, name, value)
    _replace_children(contest, org, names, rows)
    if rules is not None:
        if contest.rules is None:
            contest.rules = ContestRules(org_id=org.id, filename=rules.filename, content_type=rules.content_type,
                                         size=len(rules.data), data=rules.data,
                                         uploaded_by_id=getattr(user, "id", None))
        else:
            contest.rules.filename, contest.rules.content_type = rules.filename, rules.content_type
            contest.rules.size, contest.rules.data = len(rules.data), rules.data
            contest.rules.uploaded_by_id, contest.rules.uploaded_at = getattr(user, "id", None), utcnow()
    db.session.flush()
    audit.record("contest.created" if created else "contest.updated", org=org, obj=contest, user=user,
                 details={"title": contest.title})
    return contest


def _replace_children(contest: Contest, org: Organization, names: list[str], rows: list[CriterionInput]) -> None:
    """Nominations and criteria as entered, reusing the rows already there (a draft has no
    entries or scores pointing at them)."""
    nominations = list(contest.nominations)
    for position, name in enumerate(names):
        if position < len(nominations):
            nominations[position].title, nominations[position].position = name, position
        else:
            contest.nominations.append(ContestNomination(org_id=org.id, title=name, position=position))
    for extra in nominations[len(names):]:
        contest.nominations.remove(extra)
    criteria = list(contest.criteria)
    for position, row in enumerate(rows):
        if position < len(criteria):
            criteria[position].title, criteria[position].max_score = row.title, row.max_score
            criteria[position].position = position
        else:
            contest.criteria.append(ContestCriterion(org_id=org.id, title=row.title, max_score=row.max_score,
                                                     position=position))
    for extra in criteria[len(rows):]:
        contest.criteria.remove(extra)


# -- announcement and judging -------------------------------------------------------------------

def schools_below(org: Organization) -> list[tuple[int, str]]:
    """(id, name) of every active school below the organiser (through the scope)."""
    low, high = subtree_bounds(org.path)
    return [tuple(row) for row in db.session.execute(
        sa.select(Organization.id, sa.func.coalesce(Organization.short_name, Organization.name))
        .where(Organization.kind == OrgKind.SCHOOL.value, Organization.is_active.is_(True),
               Organization.path >= low, Organization.path < high)
        .order_by(Organization.id)
    )]


def contest_path(contest: Contest) -> str:
    return f"/recognition/contests/{contest.id}"


def announce(contest: Contest, org: Organization, *, today: date, user: User | None = None) -> int:
    """Announce a draft: nominations open (from its opening date), the contest and its rules
    become public; every active school below is notified, and its principals and curators
    e-mailed (after the commit). Audited ("contest.announced"). Returns the number of schools."""
    if contest.status != "draft":
        raise ContestStateError("cannot_announce")
    if contest.nominations_close_on < today:
        raise ContestError("nominations_over", field="nominations_close_on")
    contest.status = "announced"
    contest.announced_at = utcnow()
    contest.is_public = True
    if contest.rules is not None:
        contest.rules.is_public = True
    schools = schools_below(org)
    text = (f"{org.display_name} объявляет конкурс «{contest.title}»: выдвижение наставников "
            f"с {contest.nominations_open_on:%d.%m.%Y} по {contest.nominations_close_on:%d.%m.%Y}")
    for school_id, _name in schools:
        notify(school_id, school_id, "contest.announced", text, link=contest_path(contest))
    members = active_members([s for s, _n in schools], [Role.SCHOOL_PRINCIPAL, Role.SCHOOL_CURATOR])
    subject = f"Наставник: конкурс «{contest.title}»"
    link = absolute_url(contest_path(contest))
    for school_id, school_name in schools:
        for member in members.get(school_id, []):
            queue_mail(member.email, subject, _announcement_body(contest, org, school_name, member.name, link))
    db.session.flush()
    audit.record("contest.announced", org=org, obj=contest, user=user, details={"schools": len(schools)})
    return len(schools)


def _announcement_body(contest: Contest, org: Organization, school: str, name: str, link: str) -> str:
    return "\n".join([
        f"Здравствуйте, {name}!",
        "",
        f"{org.name} объявляет конкурс «{contest.title}».",
        f"Образовательные организации, в том числе «{school}», могут выдвинуть наставников "
        f"с {contest.nominations_open_on:%d.%m.%Y} по {contest.nominations_close_on:%d.%m.%Y}.",
        "Выдвигаются наставники, давшие согласие на публикацию сведений о своих достижениях.",
        "",
        "Положение о конкурсе и форма выдвижения:",
        link,
        "",
        "Это автоматическое сообщение системы «Наставник», отвечать на него не нужно.",
    ])


def submitted_count(contest: Contest) -> int:
    return db.session.scalar(sa.select(sa.func.count(ContestNominee.id)).where(
        ContestNominee.contest_id == contest.id, ContestNominee.status == "submitted")) or 0


def start_judging(contest: Contest, org: Organization, *, user: User | None = None) -> None:
    """Close nominations and open judging (a jury and at least one entry needed); the jurors
    are e-mailed. Audited ("contest.judging_started")."""
    if contest.status != "announced":
        raise ContestStateError("cannot_start_judging")
    jurors = list(db.session.scalars(sa.select(ContestJuror).where(ContestJuror.contest_id == contest.id)
                                     .options(joinedload(ContestJuror.user))))
    problems = []
    if not jurors:
        problems.append((None, "no_jury"))
    if not submitted_count(contest):
        problems.append((None, "no_nominees"))
    if problems:
        raise ContestError(problems)
    contest.status = "judging"
    contest.judging_started_at = utcnow()
    link = absolute_url(f"{contest_path(contest)}/scores")
    for juror in jurors:
        if juror.user.is_active:
            queue_mail(juror.user.email, f"Наставник: оценивание конкурса «{contest.title}»", "\n".join([
                f"Здравствуйте, {juror.user.full_name}!",
                "",
                f"Выдвижение на конкурс «{contest.title}» завершено, началось оценивание "
                f"(до {contest.judging_until:%d.%m.%Y}).",
                "Оценочный лист члена жюри:",
                link,
                "",
                "Это автоматическое сообщение системы «Наставник», отвечать на него не нужно.",
            ]))
    db.session.flush()
    audit.record("contest.judging_started", org=org, obj=contest, user=user,
                 details={"nominees": submitted_count(contest), "jurors": len(jurors)})


# -- what the public pages read (under tenants.context.public_scope) ----------------------------

def public_contests(org_path: str) -> list[Contest]:
    """The announced contests of the organisation at ``org_path``, newest first: only the
    contest's own columns may be read under a PublicScope (not its nominations or criteria)."""
    return list(db.session.scalars(
        sa.select(Contest).where(Contest.org_path == org_path, Contest.is_public.is_(True))
        .order_by(Contest.nominations_open_on.desc(), Contest.id.desc())
    ))


def public_results(contest_id: int) -> list[ContestResultEntry]:
    """The published results of a contest, by nomination and place (ties share a place)."""
    return list(db.session.scalars(
        sa.select(ContestResultEntry)
        .where(ContestResultEntry.contest_id == contest_id, ContestResultEntry.is_public.is_(True))
        .order_by(ContestResultEntry.nomination_position, ContestResultEntry.place,
                  ContestResultEntry.display_name, ContestResultEntry.id)
    ))


def public_school_results(school_id: int) -> list[ContestResultEntry]:
    """The published results of a school's mentors in every contest, newest first, each with
    its contest loaded (for the school's public page)."""
    return list(db.session.scalars(
        sa.select(ContestResultEntry)
        .join(Contest, Contest.id == ContestResultEntry.contest_id)
        .where(ContestResultEntry.school_id == school_id, ContestResultEntry.is_public.is_(True),
               Contest.is_public.is_(True))
        .options(joinedload(ContestResultEntry.contest))
        .order_by(ContestResultEntry.published_at.desc(), ContestResultEntry.place, ContestResultEntry.id)
    ))


def public_rules(contest_id: int) -> ContestRules | None:
    """The rules document of a public contest (its bytes loaded), if any."""
    return db.session.scalar(
        sa.select(ContestRules).where(ContestRules.contest_id == contest_id, ContestRules.is_public.is_(True))
        .options(undefer(ContestRules.data))
    )
