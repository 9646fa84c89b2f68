"""Nominations: a school puts forward its mentors (выдвижение) while a contest's nominations are
open, and may withdraw an entry until judging starts.

Only a mentor of the school's bank with a valid consent to publication may be nominated
(mentorship/people/publication.py). The entry copies the mentor's name and position: it is
owned by the school and shared upward, so the organiser and the jury read it without ever
reading the school's people; another school never sees it. Every step is audited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload, undefer

from core.errors import NotFound, Problem
from core.extensions import db
from core.model import utcnow
from core.uploads import CheckedFile
from mentorship.people.models import MentorProfile, Participant
from mentorship.people.publication import has_publication_consent, publication_consented_ids
from mentorship.recognition.contests import MAX_TEXT, ContestError, ContestStateError
from mentorship.recognition.models import Contest, ContestNominee, ContestNomineeFile, ContestResultEntry
from tenants import audit
from tenants.models import Organization, User
from tenants.roles import OrgKind

ENTRY_STATE_LABELS = {
    "submitted": _l("Submitted"),
    "withdrawn": _l("Withdrawn"),
    "judging": _l("Being judged"),
    "results": _l("Results being confirmed"),
    "published": _l("Results published"),
}


def nominations_open(contest: Contest, today: date) -> bool:
    return (contest.status == "announced"
            and contest.nominations_open_on <= today <= contest.nominations_close_on)


def nominable_mentors() -> list[Participant]:
    """The current school's mentors who may be nominated: in the mentor bank (a mentor's
    questionnaire), not erased, with a valid consent to publication; by name."""
    people = list(db.session.scalars(
        sa.select(Participant).join(MentorProfile, MentorProfile.participant_id == Participant.id)
        .where(Participant.anonymised_at.is_(None))
        .order_by(Participant.full_name, Participant.id)
    ))
    consented = publication_consented_ids(p.id for p in people)
    return [p for p in people if p.id in consented]


def nominate(contest: Contest, school: Organization, *, participant_id: int | None, nomination_id: int | None,
             entry_text: str | None, file: CheckedFile | None = None, user: User | None = None,
             today: date) -> ContestNominee:
    """The school's entry of a mentor in one nomination (audited "contest.nominated"). A mentor
    withdrawn earlier from the same nomination is entered again. Raises ContestError (nothing
    written); the caller commits."""
    if school.kind != OrgKind.SCHOOL.value:
        raise ContestError("not_a_school")
    if contest.org_id == school.id or not school.path.startswith(contest.org_path):
        raise NotFound("contest")  # not the organiser's school: the contest is not theirs to enter
    if not nominations_open(contest, today):
        raise ContestStateError("nominations_closed")
    problems: list[Problem] = []
    person = db.session.get(Participant, participant_id) if participant_id else None  # the school's own only
    if person is None:
        problems.append(Problem("mentor_required", "participant_id"))
    elif person.anonymised_at is not None or person.mentor_profile is None:
        problems.append(Problem("not_a_mentor", "participant_id"))
    elif not has_publication_consent(person.id):
        problems.append(Problem("no_publication_consent", "participant_id"))
    nomination = next((n for n in contest.nominations if n.id == nomination_id), None)
    if nomination is None:
        problems.append(Problem("nomination_required", "nomination_id"))
    text = (entry_text or "").strip()
    if not text:
        problems.append(Problem("entry_required", "entry_text"))
    elif len(text) > MAX_TEXT:
        problems.append(Problem("text_too_long", "entry_text", {"max": MAX_TEXT}))
    existing = None
    if person is not None and nomination is not None:
        existing = db.session.scalar(sa.select(ContestNominee).where(
            ContestNominee.contest_id == contest.id, ContestNominee.nomination_id == nomination.id,
            ContestNominee.participant_id == person.id))
        if existing is not None and existing.status == "submitted":
            problems.append(Problem("already_nominated", "participant_id"))
    if problems:
        raise ContestError(problems)
    nominee = existing or ContestNominee(org_id=school.id, contest_id=contest.id, nomination_id=nomination.id,
                                         participant_id=person.id)
    nominee.display_name = person.full_name
    nominee.position = person.class_or_position
    nominee.entry_text = text
    nominee.status = "submitted"
    nominee.withdrawn_at = None
    nominee.submitted_by_id = getattr(user, "id", None)
    if file is not None:
        nominee.file = ContestNomineeFile(org_id=school.id, filename=file.filename, content_type=file.content_type,
                                          size=len(file.data), data=file.data,
                                          uploaded_by_id=getattr(user, "id", None))
    if existing is None:
        db.session.add(nominee)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same mentor entered from another window a moment ago
        raise ContestError("already_nominated", field="participant_id") from exc
    audit.record("contest.nominated", org=school, obj=nominee, user=user,
                 details={"contest_id": contest.id, "nomination_id": nomination.id, "participant_id": person.id})
    return nominee


def withdraw(nominee: ContestNominee, school: Organization, *, user: User | None = None) -> None:
    """The school withdraws its entry while nominations are open (audited)."""
    if nominee.org_id != school.id:
        raise NotFound("nominee")
    if nominee.status == "withdrawn":
        raise ContestStateError("already_withdrawn")
    if nominee.contest.status != "announced":
        raise ContestStateError("cannot_withdraw")
    nominee.status = "withdrawn"
    nominee.withdrawn_at = utcnow()
    db.session.flush()
    audit.record("contest.nomination_withdrawn", org=school, obj=nominee, user=user,
                 details={"contest_id": nominee.contest_id})


def load_nominee(contest: Contest, nominee_id: int) -> ContestNominee | None:
    """An entry of ``contest`` (through the scope: the school's own, or any below the organiser
    for the levels above), with its nomination and file's name."""
    return db.session.scalar(
        sa.select(ContestNominee).where(ContestNominee.id == nominee_id, ContestNominee.contest_id == contest.id)
        .options(joinedload(ContestNominee.nomination), joinedload(ContestNominee.file))
    )


def entries_statement(contest: Contest, *, school_id: int | None = None) -> sa.Select:
    """The contest's entries (a school's own when ``school_id``), by nomination and name."""
    stmt = (sa.select(ContestNominee).where(ContestNominee.contest_id == contest.id)
            .join(ContestNominee.nomination)
            .options(joinedload(ContestNominee.nomination), selectinload(ContestNominee.file))
            .order_by(ContestNominee.status.desc(), ContestNominee.nomination_id, ContestNominee.display_name,
                      ContestNominee.id))
    if school_id is not None:
        stmt = stmt.where(ContestNominee.org_id == school_id)
    return stmt


@dataclass(frozen=True)
class SchoolEntry:
    """One of a school's entries as the school sees it: its state, and once the results are
    published, its published line (None when the mentor is not listed publicly)."""

    nominee: ContestNominee
    state: str  # submitted | withdrawn | judging | results | published
    result: ContestResultEntry | None


def school_entries(contest: Contest, school: Organization) -> list[SchoolEntry]:
    """The school's own entries of ``contest`` with their state (never a score before the
    results are published)."""
    nominees = list(db.session.scalars(entries_statement(contest, school_id=school.id)))
    results: dict[int, ContestResultEntry] = {}
    if contest.status == "published" and nominees:
        results = {r.nominee_id: r for r in db.session.scalars(sa.select(ContestResultEntry).where(
            ContestResultEntry.contest_id == contest.id, ContestResultEntry.is_public.is_(True),
            ContestResultEntry.nominee_id.in_([n.id for n in nominees])))}
    out = []
    for nominee in nominees:
        if nominee.status == "withdrawn":
            state = "withdrawn"
        elif contest.status in ("judging", "results", "published"):
            state = contest.status
        else:
            state = "submitted"
        out.append(SchoolEntry(nominee, state, results.get(nominee.id)))
    return out


def open_entry_file(nominee: ContestNominee, org: Organization, *, user: User | None = None) -> ContestNomineeFile:
    """The entry's file with its bytes, its opening audited ("contest.entry_file_viewed")."""
    if nominee.file is None:
        raise NotFound("file")
    file = db.session.scalar(sa.select(ContestNomineeFile).where(ContestNomineeFile.id == nominee.file.id)
                             .options(undefer(ContestNomineeFile.data)))
    audit.record("contest.entry_file_viewed", org=org, obj=nominee, user=user, details={"file": file.filename})
    return file
