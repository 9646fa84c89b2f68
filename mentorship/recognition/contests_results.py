"""Results: judging is closed once every juror has scored every entry they may judge; the
organiser then sees the scores (each juror's total, the combined score, the places, ties
sharing a place — mentorship/recognition/scoring.py), confirms them and publishes them.

Publication writes one ``ContestResultEntry`` per entry whose mentor's consent to publication
is still valid (read across the schools by id only, ``recognition.contest_publication``): only
those lines are ever public. Until then, nothing about a score leaves the organiser: the
results pages are the organiser's, and a school sees only its entries' state."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from core.errors import Problem
from core.extensions import db
from core.model import utcnow
from mentorship.people.publication import publication_consented_ids
from mentorship.recognition.contests import ContestError, ContestStateError, contest_path, org_names
from mentorship.recognition.contests_jury import conflicts, judged_entries, jurors
from mentorship.recognition.models import (
    Contest,
    ContestJuror,
    ContestNomination,
    ContestNominee,
    ContestResultEntry,
    ContestScore,
)
from mentorship.recognition.scoring import aggregate, places, shown
from tenants import audit
from tenants.context import unscoped
from tenants.models import Organization, User
from tenants.notifications import notify

REVEALED = ("results", "published")


@dataclass
class Standing:
    """One entry's line of the results."""

    nominee: ContestNominee
    school_name: str
    juror_totals: dict[int, int | None]  # juror id → their total (None: not scored / may not judge)
    score: Fraction | None
    place: int | None = None

    @property
    def shown_score(self) -> Decimal | None:
        return shown(self.score)


@dataclass
class NominationResults:
    nomination: ContestNomination
    standings: list[Standing] = field(default_factory=list)


@dataclass
class Gaps:
    """What stops judging from closing: scores not given, entries nobody may judge."""

    missing: int = 0
    unjudgeable: list[ContestNominee] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing or self.unjudgeable)


def _scores(contest: Contest) -> dict[tuple[int, int], dict[int, int]]:
    """(juror, entry) → {criterion: score} of the contest's judged entries."""
    out: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for juror_id, nominee_id, criterion_id, score in db.session.execute(
        sa.select(ContestScore.juror_id, ContestScore.nominee_id, ContestScore.criterion_id, ContestScore.score)
        .where(ContestScore.contest_id == contest.id)
    ):
        out[(juror_id, nominee_id)][criterion_id] = score
    return out


def gaps(contest: Contest) -> Gaps:
    """The scores still missing (each juror × each entry they may judge × each criterion), and
    the entries no juror may judge."""
    members = jurors(contest)
    conflicted = conflicts(contest)
    given = _scores(contest)
    criteria = [c.id for c in contest.criteria]
    result = Gaps()
    for entry in judged_entries(contest):
        judges = [j for j in members if entry.id not in conflicted.get(j.user_id, set())]
        if not judges:
            result.unjudgeable.append(entry)
        for juror in judges:
            scored = given.get((juror.id, entry.id), {})
            result.missing += sum(1 for c in criteria if c not in scored)
    return result


def close_judging(contest: Contest, org: Organization, *, user: User | None = None) -> None:
    """Close judging once every score is given: the results are computed and shown to the
    organiser for confirmation. Audited ("contest.judging_closed")."""
    if contest.status != "judging":
        raise ContestStateError("cannot_close")
    missing = gaps(contest)
    problems = []
    if missing.missing:
        problems.append(("scores_missing", {"missing": missing.missing}))
    for entry in missing.unjudgeable:
        problems.append(("nominee_without_jury", {"name": entry.display_name}))
    if problems:
        raise ContestError([Problem(code, None, params) for code, params in problems])
    contest.status = "results"
    contest.judging_closed_at = utcnow()
    db.session.flush()
    audit.record("contest.judging_closed", org=org, obj=contest, user=user)


def reopen_judging(contest: Contest, org: Organization, *, user: User | None = None) -> None:
    """Back to judging from unconfirmed results (a juror corrects a score). Audited."""
    if contest.status != "results":
        raise ContestStateError("cannot_reopen")
    contest.status = "judging"
    contest.judging_closed_at = None
    db.session.flush()
    audit.record("contest.judging_reopened", org=org, obj=contest, user=user)


def results(contest: Contest) -> tuple[list[ContestJuror], list[NominationResults]]:
    """The jury and the results by nomination (entries by place, ties sharing it) — only once
    judging is closed (ContestStateError "judging_open" before)."""
    if contest.status not in REVEALED:
        raise ContestStateError("judging_open")
    members = jurors(contest)
    conflicted = conflicts(contest)
    given = _scores(contest)
    criteria = [c.id for c in contest.criteria]
    entries = judged_entries(contest)
    schools = org_names(e.org_id for e in entries)
    by_nomination = {n.id: NominationResults(n) for n in contest.nominations}
    for entry in entries:
        totals: dict[int, int | None] = {}
        for juror in members:
            scored = given.get((juror.id, entry.id), {})
            complete = entry.id not in conflicted.get(juror.user_id, set()) and all(c in scored for c in criteria)
            totals[juror.id] = sum(scored[c] for c in criteria) if complete else None
        score = aggregate([t for t in totals.values() if t is not None], contest.aggregation)
        by_nomination[entry.nomination_id].standings.append(
            Standing(entry, schools.get(entry.org_id, ""), totals, score))
    for group in by_nomination.values():
        ranked = places({s.nominee.id: s.score for s in group.standings if s.score is not None})
        for standing in group.standings:
            standing.place = ranked.get(standing.nominee.id)
        group.standings.sort(key=lambda s: (s.place is None, s.place or 0, s.nominee.display_name, s.nominee.id))
    return members, list(by_nomination.values())


def publish(contest: Contest, org: Organization, *, user: User | None = None) -> tuple[int, int]:
    """Confirm and publish the results: one public line per entry whose mentor's consent to
    publication is still valid; the schools that took part are notified. Audited
    ("contest.published"). Returns (lines published, entries left out for want of consent)."""
    if contest.status != "results":
        raise ContestStateError("cannot_publish")
    _jury, groups = results(contest)
    standings = [(group.nomination, s) for group in groups for s in group.standings if s.place is not None]
    with unscoped("recognition.contest_publication"):  # ids in, ids out: whose consent is valid now
        consented = publication_consented_ids(s.nominee.participant_id for _n, s in standings)
    now = utcnow()
    published = 0
    for nomination, standing in standings:
        nominee = standing.nominee
        if nominee.participant_id not in consented:
            continue
        db.session.add(ContestResultEntry(
            org_id=contest.org_id, contest_id=contest.id, nominee_id=nominee.id,
            participant_id=nominee.participant_id, school_id=nominee.org_id, display_name=nominee.display_name,
            school_name=standing.school_name, nomination=nomination.title, nomination_position=nomination.position,
            place=standing.place, score=standing.shown_score, published_at=now, is_public=True,
        ))
        published += 1
    contest.status = "published"
    contest.published_at = now
    contest.confirmed_by_id = getattr(user, "id", None)
    contest.is_public = True
    try:
        db.session.flush()
    except IntegrityError as exc:  # published by someone else a moment ago
        raise ContestStateError("cannot_publish") from exc
    for school_id in sorted({s.nominee.org_id for _n, s in standings}):
        notify(school_id, school_id, "contest.published", f"Опубликованы итоги конкурса «{contest.title}»",
               link=contest_path(contest))
    db.session.flush()
    withheld = len(standings) - published
    audit.record("contest.published", org=org, obj=contest, user=user,
                 details={"published": published, "withheld": withheld})
    return published, withheld


def published_results(contest: Contest) -> list[ContestResultEntry]:
    """The public lines of a contest as any organisation along its line sees them."""
    return list(db.session.scalars(
        sa.select(ContestResultEntry)
        .where(ContestResultEntry.contest_id == contest.id, ContestResultEntry.is_public.is_(True))
        .order_by(ContestResultEntry.nomination_position, ContestResultEntry.place,
                  ContestResultEntry.display_name, ContestResultEntry.id)
    ))
