"""The jury: the organiser appoints members of its own organisation (any role, the experts of
its expert bank included), and each juror scores each entry against each criterion.

Rules kept here: a juror never judges an entry of a school where they also hold a membership
(a conflict of interest, read from the memberships); a score is a whole number from 0 to the
criterion's maximum; a juror's sheet shows their own scores only, and nobody sees a score's
value before judging closes (the organiser sees how many are given, not what). Scores are owned
by the organiser (``SharedUpward``): no school ever reads one. Every step is audited."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from core.errors import NotFound, Problem
from core.extensions import db
from core.links import absolute_url
from core.mail import queue_mail
from mentorship.recognition.contests import EDITABLE_JURY, ContestError, ContestStateError, contest_path
from mentorship.recognition.models import (
    Contest,
    ContestCriterion,
    ContestJuror,
    ContestNomination,
    ContestNominee,
    ContestScore,
)
from tenants import audit
from tenants.directory import Member, active_members
from tenants.models import Membership, Organization, User
from tenants.notifications import notify


def jurors(contest: Contest) -> list[ContestJuror]:
    """The contest's jury, by name."""
    return list(db.session.scalars(
        sa.select(ContestJuror).join(User, User.id == ContestJuror.user_id)
        .where(ContestJuror.contest_id == contest.id)
        .options(joinedload(ContestJuror.user))
        .order_by(User.full_name, ContestJuror.id)
    ))


def juror_of(contest: Contest, user_id: int) -> ContestJuror | None:
    return db.session.scalar(sa.select(ContestJuror).where(ContestJuror.contest_id == contest.id,
                                                           ContestJuror.user_id == user_id))


def candidates(contest: Contest) -> list[Member]:
    """Active members of the organiser not yet on the jury (whatever their role)."""
    taken = {j.user_id for j in jurors(contest)}
    return [m for m in active_members([contest.org_id]).get(contest.org_id, []) if m.user_id not in taken]


def appoint(contest: Contest, org: Organization, *, user_id: int | None, by: User | None = None) -> ContestJuror:
    """Put an active member of the organiser on the jury: the organisation is notified and the
    juror e-mailed (after the commit); audited ("contest.juror_appointed")."""
    if contest.status not in EDITABLE_JURY:
        raise ContestStateError("jury_frozen")
    if not user_id:
        raise ContestError("juror_required", field="user_id")
    if juror_of(contest, user_id) is not None:
        raise ContestError("already_juror", field="user_id")
    member = next((m for m in active_members([contest.org_id]).get(contest.org_id, []) if m.user_id == user_id),
                  None)
    if member is None:
        raise ContestError("juror_not_member", field="user_id")
    juror = ContestJuror(org_id=contest.org_id, contest_id=contest.id, user_id=user_id,
                         appointed_by_id=getattr(by, "id", None))
    db.session.add(juror)
    db.session.flush()
    notify(contest.org_id, contest.org_id, "contest.juror_appointed",
           f"{member.name} включён(а) в жюри конкурса «{contest.title}»", link=f"{contest_path(contest)}/scores")
    queue_mail(member.email, f"Наставник: вы в жюри конкурса «{contest.title}»", "\n".join([
        f"Здравствуйте, {member.name}!",
        "",
        f"{org.name} включает вас в жюри конкурса «{contest.title}».",
        f"Оценивание — после окончания выдвижения ({contest.nominations_close_on:%d.%m.%Y}), "
        f"до {contest.judging_until:%d.%m.%Y}. Вы оцениваете каждого участника по каждому критерию; "
        "участников из организаций, где вы работаете, вы не оцениваете.",
        "",
        "Оценочный лист:",
        absolute_url(f"{contest_path(contest)}/scores"),
        "",
        "Это автоматическое сообщение системы «Наставник», отвечать на него не нужно.",
    ]))
    audit.record("contest.juror_appointed", org=org, obj=contest, user=by,
                 details={"juror_user_id": user_id, "juror_id": juror.id})
    return juror


def remove(contest: Contest, juror: ContestJuror, org: Organization, *, by: User | None = None) -> None:
    """Take a juror off the jury, with their scores (while judging is still open)."""
    if contest.status not in EDITABLE_JURY:
        raise ContestStateError("jury_frozen")
    if juror.contest_id != contest.id:
        raise NotFound("juror")
    removed = db.session.execute(sa.delete(ContestScore).where(ContestScore.juror_id == juror.id)).rowcount
    user_id = juror.user_id
    db.session.delete(juror)
    db.session.flush()
    audit.record("contest.juror_removed", org=org, obj=contest, user=by,
                 details={"juror_user_id": user_id, "scores_removed": removed})


# -- conflicts of interest and the sheet ------------------------------------------------------

def conflicts(contest: Contest) -> dict[int, set[int]]:
    """For each juror (user id), the entries they may not judge: those of a school where the
    user also holds a membership (active or not). One query."""
    rows = db.session.execute(
        sa.select(ContestJuror.user_id, ContestNominee.id)
        .select_from(ContestJuror)
        .join(Membership, Membership.user_id == ContestJuror.user_id)
        .join(ContestNominee, ContestNominee.org_id == Membership.org_id)
        .where(ContestJuror.contest_id == contest.id, ContestNominee.contest_id == contest.id)
    ).all()
    out: dict[int, set[int]] = defaultdict(set)
    for user_id, nominee_id in rows:
        out[user_id].add(nominee_id)
    return out


def judged_entries(contest: Contest) -> list[ContestNominee]:
    """The entries being judged (not withdrawn), by nomination and name."""
    return list(db.session.scalars(
        sa.select(ContestNominee).join(ContestNomination, ContestNomination.id == ContestNominee.nomination_id)
        .where(ContestNominee.contest_id == contest.id, ContestNominee.status == "submitted")
        .options(joinedload(ContestNominee.nomination), joinedload(ContestNominee.file))
        .order_by(ContestNomination.position, ContestNominee.display_name, ContestNominee.id)
    ))


@dataclass
class Sheet:
    """A juror's scoring sheet: the entries, those they may not judge, and their own scores."""

    juror: ContestJuror
    entries: list[ContestNominee]
    criteria: list[ContestCriterion]
    conflicted: set[int]
    scores: dict[tuple[int, int], int] = field(default_factory=dict)  # (nominee, criterion) → score

    def complete(self, nominee_id: int) -> bool:
        return all((nominee_id, c.id) in self.scores for c in self.criteria)

    def total(self, nominee_id: int) -> int | None:
        return sum(self.scores[(nominee_id, c.id)] for c in self.criteria) if self.complete(nominee_id) else None

    @property
    def remaining(self) -> int:
        return sum(1 for e in self.entries if e.id not in self.conflicted and not self.complete(e.id))


def sheet(contest: Contest, user_id: int) -> Sheet:
    """The sheet of juror ``user_id`` (ContestError "not_juror" if they are not on the jury):
    their own scores only — another juror's never appear here."""
    juror = juror_of(contest, user_id)
    if juror is None:
        raise ContestError("not_juror")
    scores = {(s.nominee_id, s.criterion_id): s.score for s in db.session.scalars(
        sa.select(ContestScore).where(ContestScore.contest_id == contest.id, ContestScore.juror_id == juror.id))}
    return Sheet(juror=juror, entries=judged_entries(contest), criteria=list(contest.criteria),
                 conflicted=conflicts(contest).get(user_id, set()), scores=scores)


def score_field(nominee_id: int, criterion_id: int) -> str:
    """The name of a score's input on the sheet (and of the problem about it)."""
    return f"score-{nominee_id}-{criterion_id}"


def save_scores(contest: Contest, org: Organization, *, user: User, raw: dict[tuple[int, int], str | None]) -> Sheet:
    """Save a juror's sheet while judging is open: ``raw`` maps (entry, criterion) to what was
    typed; an empty value leaves (or makes) that score unset. All or nothing: any value that is
    not a whole number from 0 to the criterion's maximum, or any entry the juror may not judge,
    refuses the whole sheet. Audited ("contest.scores_saved": counts, never values)."""
    if contest.status != "judging":
        raise ContestStateError("scoring_closed")
    current = sheet(contest, user.id)
    entries = {e.id for e in current.entries}
    criteria = {c.id: c for c in current.criteria}
    problems: list[Problem] = []
    wanted: dict[tuple[int, int], int | None] = {}
    for (nominee_id, criterion_id), value in raw.items():
        name = score_field(nominee_id, criterion_id)
        text = (value or "").strip()
        if nominee_id not in entries or criterion_id not in criteria:
            problems.append(Problem("unknown_nominee", name))
            continue
        if nominee_id in current.conflicted:
            if text:
                problems.append(Problem("own_school", name))
            continue
        if not text:
            wanted[(nominee_id, criterion_id)] = None
            continue
        try:
            score = int(text)
        except ValueError:
            problems.append(Problem("score_not_number", name))
            continue
        maximum = criteria[criterion_id].max_score
        if not 0 <= score <= maximum:
            problems.append(Problem("score_range", name, {"max": maximum}))
            continue
        wanted[(nominee_id, criterion_id)] = score
    if problems:
        raise ContestError(problems)
    existing = {(s.nominee_id, s.criterion_id): s for s in db.session.scalars(
        sa.select(ContestScore).where(ContestScore.juror_id == current.juror.id))}
    changed = 0
    for key, score in wanted.items():
        row = existing.get(key)
        if score is None:
            if row is not None:
                db.session.delete(row)
                changed += 1
        elif row is None:
            db.session.add(ContestScore(org_id=contest.org_id, contest_id=contest.id, juror_id=current.juror.id,
                                        nominee_id=key[0], criterion_id=key[1], score=score))
            changed += 1
        elif row.score != score:
            row.score = score
            changed += 1
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same sheet saved from another window a moment ago
        raise ContestStateError("changed_meanwhile") from exc
    audit.record("contest.scores_saved", org=org, obj=contest, user=user,
                 details={"juror_id": current.juror.id, "changed": changed})
    return sheet(contest, user.id)


# -- the organiser's view while judging: counts, never values ----------------------------------

@dataclass(frozen=True)
class JurorProgress:
    juror: ContestJuror
    given: int  # scores given
    expected: int  # entries they may judge × criteria


def progress(contest: Contest) -> list[JurorProgress]:
    """How far each juror is (counts only: no score's value is read)."""
    members = jurors(contest)
    entries = [e.id for e in judged_entries(contest)]
    conflicted = conflicts(contest)
    counts = dict(db.session.execute(
        sa.select(ContestScore.juror_id, sa.func.count(ContestScore.id))
        .join(ContestNominee, ContestNominee.id == ContestScore.nominee_id)
        .where(ContestScore.contest_id == contest.id, ContestNominee.status == "submitted")
        .group_by(ContestScore.juror_id)
    ).all())
    criteria = len(contest.criteria)
    return [JurorProgress(j, counts.get(j.id, 0),
                          criteria * sum(1 for e in entries if e not in conflicted.get(j.user_id, set())))
            for j in members]
