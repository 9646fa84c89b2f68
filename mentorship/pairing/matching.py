"""Matching runs of a programme (DESIGN §9), on the database side: the mutual preferences
recorded after the group meeting, the candidates gathered from the banks, a run of the solver
(``mentorship.pairing.solver``) stored as draft proposals with their reasons, the curator's edits,
and publishing the draft as mentorships (pairs and groups) through ``create_mentorship``.

Candidates of a programme (its form from the region's catalogue):
* mentors — in the mentor bank, approved, a valid consent, data not erased, the form's mentor
  category; free capacity = capacity − mentees in their active mentorships (a full mentor is
  still a candidate, so a mentee it could have taken is "capacity exhausted", not "no mentor");
* mentees — in the mentee bank, a valid consent, data not erased, the form's mentee category
  (with ОВЗ when the form asks), no active pair in this programme. A mentee with an active pair
  of the same form in another programme (another aim, or last year's programme whose pairs were
  not completed) stays a candidate — programmes of one form may run side by side — but the
  draft says so beside them (``same_form_pairs``), so nobody is paired twice unawares; a
  mentee paired in this programme since the draft was made is marked too (``paired_since``):
  publishing would refuse them.

Preferences steer, they do not decide: a one-sided preference weighs less than the requests a
mentor covers, and the cohort is matched as a whole. Every preference a proposal does not meet
is said on it, with why (``solver.unmet_preferences``).

Publishing is all-or-nothing: every mentor's pair or group is created under the hard rules,
and the first PairRuleError propagates (the caller rolls back). Mentees left unmatched go to
follow-up ("continued search") if they had none, and stay there until matched.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased, joinedload, selectinload

from core.clock import region_today
from core.errors import DomainError
from core.extensions import db
from core.model import utcnow
from mentorship.pairing import rules as pair_rules
from mentorship.pairing import solver as matching
from mentorship.pairing.models import MatchingRun, MatchProposal, Mentorship, MentorshipMentee, Preference, Programme
from mentorship.pairing.pairs import PairRuleError, create_mentorship
from mentorship.people.models import Consent, MenteeProfile, MentorProfile, Participant
from mentorship.region.forms import FormSpec, form_by_code
from tenants import audit

MAX_PREFERENCES = 3  # each side names up to three partners, rank 1–3


class MatchingError(DomainError):
    """A request about preferences or a run that cannot be done."""

    MESSAGES = {
        "unknown_form": _l("The programme's form is not in the region's catalogue."),
        "programme_closed": _l("The programme is closed."),
        "not_draft": _l("Only a draft run can be changed."),
        "not_candidate": _l("This person is not a candidate of the programme."),
        "same_side": _l("Preferred partners are chosen from the other side."),
        "duplicate_partner": _l("Each partner can be named once."),
        "too_many": _l("At most three partners can be named."),
        "nothing_to_publish": _l("The run has no pairs to publish."),
    }

REASON_LABELS = {
    "requests_covered": _l("The mentor's competencies cover the requests: %(kinds)s"),
    "requests_uncovered": _l("Requests the mentor does not cover: %(kinds)s"),
    "mutual_preference": _l("Both named each other after the group meeting"),
    "mentee_preferred": _l("The mentee named this mentor"),
    "mentor_preferred": _l("The mentor named this mentee"),
    "preferred_form": _l("The mentor prefers this form of mentorship"),
    "chosen_by_curator": _l("Chosen by the curator"),
    "no_eligible_mentor": _l("No mentor fits this mentee under the rules of the form"),
    "capacity_exhausted": _l("The mentors who fit have no free places left"),
    "unmatched_by_curator": _l("Left without a mentor by the curator"),
    "mentee_preference_unmet": _l("The mentee named %(name)s (choice %(rank)s), not proposed: %(why)s"),
    "mentor_preference_unmet": _l("%(name)s named this mentee (choice %(rank)s), not proposed: %(why)s"),
}
UNMET_LABELS = {
    matching.NOT_CANDIDATE: _l("not a candidate of the programme now (bank, approval, consent or an active pair)"),
    matching.NO_FREE_PLACE: _l("the mentor has no free place"),
    matching.OTHERS_FIT_BETTER: _l("the mentor's places went to other mentees, so that more mentees get a mentor or "
                                   "the requests are covered better (a preference weighs less than the requests)"),
}
UNMET_CODES = ("mentee_preference_unmet", "mentor_preference_unmet")


def describe(reason, names: dict[int, str] | None = None) -> str:
    """A stored reason (``[code, *args]``) in words; ``names`` (participant id → name) names
    the partners of the preferences not met."""
    from mentorship.pairing.banks import REQUEST_KIND_LABELS

    code, *args = reason
    label = REASON_LABELS.get(code)
    if label is None:
        return str(code)
    if code in ("requests_covered", "requests_uncovered"):
        kinds = ", ".join(str(REQUEST_KIND_LABELS.get(k, k)) for k in (args[0] if args else []))
        return str(label) % {"kinds": kinds}
    if code in UNMET_CODES:
        partner, rank, why = (list(args) + [None, None, None])[:3]
        reason_text = UNMET_LABELS.get(why) or pair_rules.MESSAGES.get(why) or str(why)
        return str(label) % {"name": (names or {}).get(partner, "—"), "rank": rank, "why": str(reason_text)}
    return str(label)


def partner_names(proposals) -> dict[int, str]:
    """Names of the partners the proposals' unmet preferences mention, in one query."""
    ids = {args[0] for p in proposals for code, *args in (p.reasons or []) if code in UNMET_CODES and args}
    return names_of_ids(ids)


def names_of_ids(ids) -> dict[int, str]:
    ids = {i for i in ids if isinstance(i, int)}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Participant.id, Participant.full_name).where(Participant.id.in_(ids))).all())


def _json(reasons) -> list:
    return [[code, *[list(a) if isinstance(a, (list, tuple, set, frozenset)) else a for a in args]]
            for code, *args in reasons]


# --- candidates ----------------------------------------------------------------------------

def programme_form(programme: Programme) -> FormSpec:
    form = form_by_code(programme.org_path, programme.form_code)
    if form is None:
        raise MatchingError("unknown_form")
    return form


def _consented(on: date):
    """Participant has a valid consent on ``on`` (as pair_rules.consented_ids: given, not withdrawn)."""
    return Participant.id.in_(
        sa.select(Consent.participant_id).where(Consent.given_on <= on, Consent.withdrawn_on.is_(None))
    )


def candidate_mentors(form: FormSpec, on: date) -> list[Participant]:
    """Eligible mentors of the form (full ones included), profiles loaded, by name."""
    stmt = (
        sa.select(Participant).join(MentorProfile, MentorProfile.participant_id == Participant.id)
        .where(Participant.in_mentor_bank.is_(True), Participant.category == form.mentor_category,
               Participant.anonymised_at.is_(None), MentorProfile.approved.is_(True), _consented(on))
        .options(joinedload(Participant.mentor_profile))  # joined: selectin would split 1,000s into chunks
        .order_by(Participant.full_name, Participant.id)
    )
    return list(db.session.scalars(stmt))


def paired_mentees(programme: Programme) -> sa.Select:
    """Ids of the mentees with an active pair in ``programme``."""
    return (
        sa.select(MentorshipMentee.participant_id)
        .join(Mentorship, Mentorship.id == MentorshipMentee.mentorship_id)
        .where(Mentorship.status == "active", Mentorship.programme_id == programme.id)
    )


def _run_mentees(run: MatchingRun) -> sa.Select:
    return sa.select(MatchProposal.mentee_id).where(MatchProposal.run_id == run.id)


def paired_since(run: MatchingRun) -> set[int]:
    """The run's mentees who have an active pair in its programme now (made by hand or by
    another run since this draft): publishing would refuse them."""
    return set(db.session.scalars(
        paired_mentees(run.programme).where(MentorshipMentee.participant_id.in_(_run_mentees(run)))
    ))


@dataclass(frozen=True)
class SameFormPair:
    """A mentee's active pair of the run's form in another programme."""

    programme_title: str
    started_on: date


def same_form_pairs(run: MatchingRun) -> dict[int, SameFormPair]:
    """The run's mentees who already have an active pair of the run's form in another
    programme (the latest such pair each), in one query."""
    rows = db.session.execute(
        sa.select(MentorshipMentee.participant_id, Programme.title, Mentorship.started_on)
        .join(Mentorship, Mentorship.id == MentorshipMentee.mentorship_id)
        .join(Programme, Programme.id == Mentorship.programme_id)
        .where(Mentorship.status == "active", Mentorship.form_code == run.programme.form_code,
               Mentorship.programme_id != run.programme_id, MentorshipMentee.participant_id.in_(_run_mentees(run)))
        .order_by(MentorshipMentee.participant_id, Mentorship.started_on, Mentorship.id)
    ).all()
    return {participant_id: SameFormPair(title, started) for participant_id, title, started in rows}


def candidate_mentees(programme: Programme, form: FormSpec, on: date) -> list[Participant]:
    """Eligible mentees of the form with no active pair in ``programme``, open requests loaded."""
    paired = paired_mentees(programme)
    stmt = (
        sa.select(Participant)
        .where(Participant.in_mentee_bank.is_(True), Participant.category == form.mentee_category,
               Participant.anonymised_at.is_(None), _consented(on), Participant.id.not_in(paired))
        # joined, not selectin: a selectin load splits a whole cohort into chunks of 500 ids,
        # so the queries would grow with the bank
        .options(joinedload(Participant.requests), joinedload(Participant.mentee_profile))
        .order_by(Participant.full_name, Participant.id)
    )
    if form.mentee_special_needs:
        stmt = stmt.where(Participant.special_needs.is_(True))
    return list(db.session.scalars(stmt).unique())


@dataclass
class Candidates:
    form: FormSpec
    mentors: list[Participant]
    mentees: list[Participant]
    free: dict[int, int]  # mentor id → free places

    def solver_inputs(self):
        mentors = [
            matching.MentorIn(p.id, p.category, p.birth_date, frozenset(p.mentor_profile.competencies or ()),
                              frozenset(p.mentor_profile.preferred_forms or ()), self.free[p.id])
            for p in self.mentors
        ]
        mentees = [
            matching.MenteeIn(p.id, p.category, p.birth_date, bool(p.special_needs),
                              frozenset(r.kind for r in p.requests if not r.closed))
            for p in self.mentees
        ]
        return mentors, mentees


def gather(programme: Programme, on: date | None = None) -> Candidates:
    on = on or region_today()
    form = programme_form(programme)
    mentors = candidate_mentors(form, on)
    load = pair_rules.active_load(p.id for p in mentors)
    free = {p.id: max(p.mentor_profile.capacity - load.get(p.id, 0), 0) for p in mentors}
    return Candidates(form, mentors, candidate_mentees(programme, form, on), free)


# --- preferences ---------------------------------------------------------------------------

def preferences_of(programme: Programme) -> list[matching.PreferenceIn]:
    rows = db.session.execute(
        sa.select(Preference.from_id, Preference.to_id, Preference.rank).where(Preference.programme_id == programme.id)
    ).all()
    return [matching.PreferenceIn(a, b, r) for a, b, r in rows]


def preferences_query(programme: Programme) -> sa.Select:
    """Recorded preferences of the programme, grouped by who named (by name), first choice first."""
    source = aliased(Participant)
    return (
        sa.select(Preference).join(source, source.id == Preference.from_id)
        .where(Preference.programme_id == programme.id)
        .order_by(source.full_name, Preference.from_id, Preference.rank, Preference.id)
    )


def names_of(preferences) -> dict[int, str]:
    """Names of everyone in ``preferences`` (both sides), in one query."""
    ids = {p.from_id for p in preferences} | {p.to_id for p in preferences}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Participant.id, Participant.full_name).where(Participant.id.in_(ids))).all())


def ranked_partners(programme: Programme, person_id: int) -> list[int]:
    """The partners ``person_id`` named, first choice first."""
    return list(db.session.scalars(
        sa.select(Preference.to_id).where(Preference.programme_id == programme.id, Preference.from_id == person_id)
        .order_by(Preference.rank, Preference.id)
    ))


def set_preferences(programme: Programme, person_id: int, partner_ids: list[int], candidates: Candidates,
                    *, org) -> None:
    """Replace the partners ``person_id`` names (in rank order) with ``partner_ids``: a mentor
    names mentees, a mentee names mentors, both among the programme's candidates."""
    mentor_ids = {p.id for p in candidates.mentors}
    mentee_ids = {p.id for p in candidates.mentees}
    if person_id in mentor_ids:
        other_side = mentee_ids
    elif person_id in mentee_ids:
        other_side = mentor_ids
    else:
        raise MatchingError("not_candidate", field="person_id")
    if len(partner_ids) > MAX_PREFERENCES:
        raise MatchingError("too_many", field="partner_ids")
    if len(set(partner_ids)) != len(partner_ids):
        raise MatchingError("duplicate_partner", field="partner_ids")
    if any(p not in other_side or p == person_id for p in partner_ids):
        raise MatchingError("same_side", field="partner_ids")
    db.session.execute(sa.delete(Preference).where(Preference.programme_id == programme.id,
                                                   Preference.from_id == person_id))
    for rank, partner in enumerate(partner_ids, start=1):
        db.session.add(Preference(org_id=programme.org_id, programme_id=programme.id, from_id=person_id,
                                  to_id=partner, rank=rank))
    db.session.flush()
    audit.record("matching.preferences_recorded", org=org, obj=programme,
                 details={"participant_id": person_id, "partners": list(partner_ids)})


def delete_preference(preference: Preference, *, org) -> None:
    audit.record("matching.preference_deleted", org=org, obj=preference,
                 details={"programme_id": preference.programme_id, "from_id": preference.from_id,
                          "to_id": preference.to_id})
    db.session.delete(preference)
    db.session.flush()


# --- runs ----------------------------------------------------------------------------------

def start_run(programme: Programme, *, org, user=None, on: date | None = None) -> MatchingRun:
    """Score and optimise the programme's whole cohort; store the draft proposals."""
    if programme.status != "active":
        raise MatchingError("programme_closed")
    candidates = gather(programme, on)
    mentors, mentees = candidates.solver_inputs()
    result = matching.solve(candidates.form, mentors, mentees, preferences_of(programme))
    # ``objective`` keeps the run's total score (Σ pair scores): the solver's cardinality and
    # spread terms only order the assignments and mean nothing to the curator.
    run = MatchingRun(
        org_id=programme.org_id, programme_id=programme.id, status="draft", objective=round(result.total_score, 6),
        mentors_count=len(mentors), mentees_count=len(mentees), created_by_id=getattr(user, "id", None),
    )
    for a in result.assignments:
        run.proposals.append(MatchProposal(
            org_id=programme.org_id, mentee_id=a.mentee_id, mentor_id=a.mentor_id, score=round(a.score, 6),
            reasons=_json(a.reasons), unmatched_reason=a.unmatched_reason,
        ))
    db.session.add(run)
    db.session.flush()
    audit.record("matching.run", org=org, obj=run, user=user, details={
        "programme_id": programme.id, "mentors": len(mentors), "mentees": len(mentees), "matched": result.matched,
    })
    return run


def runs_of(programme: Programme) -> list[MatchingRun]:
    return list(db.session.scalars(
        sa.select(MatchingRun).where(MatchingRun.programme_id == programme.id)
        .order_by(MatchingRun.id.desc())
    ))


def run_with_proposals(run_id: int) -> MatchingRun | None:
    """A run with its proposals and their people, in a constant number of queries (the people
    joined to the proposals: a selectin load of 1,000s of them would be split into chunks)."""
    return db.session.scalar(
        sa.select(MatchingRun).where(MatchingRun.id == run_id).options(
            selectinload(MatchingRun.programme),
            selectinload(MatchingRun.proposals).options(joinedload(MatchProposal.mentee),
                                                        joinedload(MatchProposal.mentor)),
        )
    )


@dataclass
class Group:
    """A mentor's draft pair (one mentee) or group (several)."""

    mentor: Participant
    proposals: list[MatchProposal]


def grouped(run: MatchingRun) -> tuple[list[Group], list[MatchProposal]]:
    """The draft groups by mentor (by mentor name) and the unmatched proposals."""
    groups: dict[int, Group] = {}
    unmatched = []
    for proposal in run.proposals:
        if proposal.mentor_id is None:
            unmatched.append(proposal)
        else:
            groups.setdefault(proposal.mentor_id, Group(proposal.mentor, [])).proposals.append(proposal)
    ordered = sorted(groups.values(), key=lambda g: (g.mentor.full_name, g.mentor.id))
    return ordered, sorted(unmatched, key=lambda p: (p.mentee.full_name, p.mentee.id))


def places_taken(run: MatchingRun) -> dict[int, int]:
    """Mentor id → mentees the run proposes for them."""
    return dict(db.session.execute(
        sa.select(MatchProposal.mentor_id, sa.func.count(MatchProposal.id))
        .where(MatchProposal.run_id == run.id, MatchProposal.mentor_id.is_not(None))
        .group_by(MatchProposal.mentor_id)
    ).all())


def require_draft(run: MatchingRun) -> None:
    """Raise MatchingError unless ``run`` is still a draft (a published or discarded run stays)."""
    if run.status != "draft":
        raise MatchingError("not_draft")


def edit_proposal(proposal: MatchProposal, mentor_id: int | None, *, org, user=None,
                  on: date | None = None) -> None:
    """The curator gives the mentee another mentor (or none). The pair must keep every hard
    rule, and the mentor's places — free capacity less the run's other proposals — must hold."""
    run = proposal.run
    require_draft(run)
    programme = run.programme
    if programme.status != "active":
        raise MatchingError("programme_closed")
    if mentor_id is None:
        proposal.mentor_id, proposal.score = None, 0.0
        proposal.reasons, proposal.unmatched_reason = [["unmatched_by_curator"]], "unmatched_by_curator"
    else:
        on = on or region_today()
        form = programme_form(programme)
        mentor = db.session.get(Participant, mentor_id)
        if mentor is None:
            raise MatchingError("not_candidate", field="mentor_id")
        mentee = proposal.mentee
        consented = pair_rules.consented_ids([mentor.id, mentee.id], on)
        problem = pair_rules.mentor_problem(form, mentor, mentor.id in consented)
        if problem:
            raise PairRuleError(problem, mentor, field="mentor_id")
        problem = pair_rules.mentee_problem(form, mentee, mentee.id in consented) or pair_rules.pair_problem(
            mentor, mentee)
        if problem:
            raise PairRuleError(problem, mentee)
        in_run = db.session.scalar(
            sa.select(sa.func.count()).select_from(MatchProposal).where(
                MatchProposal.run_id == run.id, MatchProposal.mentor_id == mentor.id, MatchProposal.id != proposal.id)
        )
        load = pair_rules.active_load([mentor.id]).get(mentor.id, 0)
        if load + in_run + 1 > mentor.mentor_profile.capacity:
            raise PairRuleError("over_capacity", mentor, field="mentor_id")
        mentor_in = matching.MentorIn(mentor.id, mentor.category, mentor.birth_date,
                                      frozenset(mentor.mentor_profile.competencies or ()),
                                      frozenset(mentor.mentor_profile.preferred_forms or ()), 1)
        mentee_in = matching.MenteeIn(mentee.id, mentee.category, mentee.birth_date, bool(mentee.special_needs),
                                      frozenset(r.kind for r in mentee.requests if not r.closed))
        score, reasons = matching.pair_score(form, mentor_in, mentee_in,
                                             matching.PreferenceIndex(preferences_of(programme)))
        proposal.mentor_id, proposal.score = mentor.id, round(score, 6)
        proposal.reasons, proposal.unmatched_reason = [["chosen_by_curator"], *_json(reasons)], None
    proposal.edited = True
    db.session.flush()
    db.session.expire(proposal, ["mentor"])
    audit.record("matching.proposal_edited", org=org, obj=proposal, user=user,
                 details={"run_id": run.id, "mentee_id": proposal.mentee_id, "mentor_id": mentor_id})


def discard_run(run: MatchingRun, *, org, user=None) -> None:
    require_draft(run)
    run.status = "discarded"
    db.session.flush()
    audit.record("matching.discarded", org=org, obj=run, user=user)


def _group_reasons(proposals: list[MatchProposal]) -> list:
    """A group's reasons: each kind once, the covered requests merged."""
    merged: list = []
    covered: set[str] = set()
    for proposal in proposals:
        for code, *args in proposal.reasons or []:
            if code == "requests_covered":
                covered.update(args[0] if args else [])
            elif code != "requests_uncovered" and code not in UNMET_CODES and [code, *args] not in merged:
                merged.append([code, *args])
    return ([["requests_covered", sorted(covered)]] if covered else []) + merged


def publish_run(run: MatchingRun, *, org, user=None, on: date | None = None) -> list[Mentorship]:
    """Create one mentorship per mentor of the draft (a group when it has several mentees),
    starting ``on`` (default today: a school entering September's cohort in October gives
    1 September), under the hard rules of a pair made by hand — consents valid on that day
    included; a PairRuleError leaves the caller to roll everything back. The unmatched mentees
    go to follow-up; the programme's other drafts are discarded."""
    # Lock the run (PostgreSQL): two publications at once are serialised, the second sees it
    # published or discarded and is refused.
    db.session.execute(sa.select(MatchingRun.id).where(MatchingRun.id == run.id).with_for_update())
    db.session.refresh(run, ["status"])
    require_draft(run)
    on = on or region_today()
    groups, unmatched = grouped(run)
    if not groups:
        raise MatchingError("nothing_to_publish")
    created = []
    for group in groups:
        mentees = [p.mentee for p in group.proposals]
        created.append(create_mentorship(
            run.programme, group.mentor, mentees, on, user=user, matching_run_id=run.id,
            reasons=_group_reasons(group.proposals),
        ))
    left = [p.mentee_id for p in unmatched]
    if left:
        db.session.execute(
            sa.update(MenteeProfile).where(MenteeProfile.participant_id.in_(left), MenteeProfile.follow_up == "none")
            .values(follow_up="continued_search").execution_options(synchronize_session="fetch")
        )
    run.status, run.published_at = "published", utcnow()
    db.session.execute(
        sa.update(MatchingRun).where(MatchingRun.programme_id == run.programme_id, MatchingRun.status == "draft",
                                     MatchingRun.id != run.id).values(status="discarded")
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    audit.record("matching.published", org=org, obj=run, user=user, details={
        "programme_id": run.programme_id, "mentorships": [m.id for m in created], "unmatched": left,
    })
    return created
