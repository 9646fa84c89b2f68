"""Matching runs against the database: candidates from the banks, preferences, a stored run,
the curator's edits, publishing all-or-nothing, follow-up of the unmatched."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.pairing import matching as matching_runs
from mentorship.pairing.matching import MatchingError
from mentorship.pairing.models import MatchingRun, MatchProposal, Mentorship, Preference
from mentorship.pairing.pairs import PairRuleError, create_mentorship
from mentorship.pairing.rules import pair_problem
from mentorship.people.models import MenteeProfile, Participant
from tenants.context import tenant_scope
from tenants.models import AuditEvent, Organization
from tests.support.school import make_mentee, make_mentor, make_participant, make_programme

pytestmark = pytest.mark.backends("sqlite", "postgresql")

ON = date(2026, 9, 20)


@pytest.fixture
def school(ctx, tree):
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        org_id = tree.ids["r1m1s1"]
        w = SimpleNamespace(org=db.session.get(Organization, org_id), org_id=org_id)
        w.programme = make_programme(org_id, "teacher_pupil")
        w.other_programme = make_programme(org_id, "teacher_pupil", title="Прошлогодняя")
        w.anna = make_mentor(org_id, "Анна Учитель", capacity=2, competencies=["academic", "career"],
                             preferred_forms=["teacher_pupil"])
        w.boris = make_mentor(org_id, "Борис Учитель", capacity=2, competencies=["adaptation"])
        w.unapproved = make_mentor(org_id, "Вера Неутверждённая", approved=False)
        w.pupil_mentor = make_mentor(org_id, "Глеб Старшеклассник", "pupil", birth_date=date(2008, 1, 1))
        w.kids = [make_mentee(org_id, f"Ученик {i}", requests=["academic" if i % 2 else "adaptation"])
                  for i in range(4)]
        w.no_bank = make_participant(org_id, "Дима Вне банка")
        w.teacher_mentee = make_mentee(org_id, "Евгения Молодой педагог", "teacher")
        # Boris already has one mentee in another programme: one free place left.
        w.old_kid = make_mentee(org_id, "Жанна Прошлогодняя")
        create_mentorship(w.other_programme, w.boris, [w.old_kid], date(2025, 9, 1))
        db.session.commit()
        yield w


def _ids(people):
    return [p.id for p in people]


def test_candidates_are_the_eligible_people_with_their_free_places(school):
    c = matching_runs.gather(school.programme, ON)
    assert _ids(c.mentors) == [school.anna.id, school.boris.id]
    assert c.free == {school.anna.id: 2, school.boris.id: 1}
    assert set(_ids(c.mentees)) == set(_ids(school.kids)) | {school.old_kid.id}
    # A withdrawn consent, a pair in this programme, or the form's ОВЗ rule take people out.
    school.kids[0].consents[0].withdrawn_on = ON
    create_mentorship(school.programme, school.anna, [school.kids[1]], ON)
    school.boris.consents[0].withdrawn_on = ON
    db.session.flush()
    c = matching_runs.gather(school.programme, ON)
    assert _ids(c.mentors) == [school.anna.id] and c.free == {school.anna.id: 1}
    assert set(_ids(c.mentees)) == {school.kids[2].id, school.kids[3].id, school.old_kid.id}
    sen = make_programme(school.org_id, "teacher_pupil_sen")
    school.kids[3].special_needs = True
    db.session.flush()
    assert _ids(matching_runs.gather(sen, ON).mentees) == [school.kids[3].id]


def test_a_run_stores_its_proposals_with_reasons_and_is_audited(school):
    mentor_ids = {school.anna.id, school.boris.id}
    run = matching_runs.start_run(school.programme, org=school.org, on=ON)
    db.session.commit()
    assert (run.status, run.mentors_count, run.mentees_count) == ("draft", 2, 5)
    proposals = {p.mentee_id: p for p in run.proposals}
    matched = [p for p in proposals.values() if p.mentor_id]
    assert len(matched) == 3 and {p.mentor_id for p in matched} <= mentor_ids  # 2 + 1 free places
    assert sum(p.mentor_id == school.boris.id for p in matched) == 1
    assert [p.unmatched_reason for p in proposals.values() if not p.mentor_id] == ["capacity_exhausted"] * 2
    # Anna covers "academic" and prefers the form; Boris covers "adaptation".
    for p in matched:
        kind = "academic" if p.mentor_id == school.anna.id else "adaptation"
        assert ["requests_covered", [kind]] in p.reasons
    assert run.objective == pytest.approx(sum(p.score for p in matched))
    assert db.session.scalar(sa.select(AuditEvent.details).where(AuditEvent.action == "matching.run"))["matched"] == 3


def test_preferences_are_validated_and_steer_the_run(school):
    c = matching_runs.gather(school.programme, ON)
    kid = school.kids[0]
    matching_runs.set_preferences(school.programme, kid.id, [school.anna.id, school.boris.id], c, org=school.org)
    matching_runs.set_preferences(school.programme, school.anna.id, [kid.id], c, org=school.org)
    assert matching_runs.ranked_partners(school.programme, kid.id) == [school.anna.id, school.boris.id]
    matching_runs.set_preferences(school.programme, kid.id, [school.anna.id], c, org=school.org)  # replaces
    assert matching_runs.ranked_partners(school.programme, kid.id) == [school.anna.id]
    for code, person, partners in [
        ("same_side", kid.id, [school.kids[1].id]),
        ("duplicate_partner", kid.id, [school.anna.id, school.anna.id]),
        ("too_many", school.anna.id, _ids(school.kids)),
        ("not_candidate", school.unapproved.id, [kid.id]),
        ("same_side", kid.id, [school.unapproved.id]),
    ]:
        with pytest.raises(MatchingError) as info:
            matching_runs.set_preferences(school.programme, person, partners, c, org=school.org)
        assert info.value.code == code
    # Three pupils ask for academic help and Anna has two places: the one who named her, and
    # whom she named, gets one.
    chosen = school.old_kid
    matching_runs.set_preferences(school.programme, chosen.id, [school.anna.id], c, org=school.org)
    matching_runs.set_preferences(school.programme, school.anna.id, [chosen.id, kid.id], c, org=school.org)
    db.session.commit()
    run = matching_runs.start_run(school.programme, org=school.org, on=ON)
    proposal = next(p for p in run.proposals if p.mentee_id == chosen.id)
    assert proposal.mentor_id == school.anna.id and ["mutual_preference"] in proposal.reasons
    assert matching_runs.describe(["mutual_preference"]) == str(matching_runs.REASON_LABELS["mutual_preference"])


def test_publish_creates_pairs_and_groups_and_follows_up_the_unmatched(school):
    school.kids[3].mentee_profile.follow_up = "psych_support"
    stale = matching_runs.start_run(school.programme, org=school.org, on=ON)
    run = matching_runs.start_run(school.programme, org=school.org, on=ON)
    db.session.commit()
    unmatched = {p.mentee_id for p in run.proposals if p.mentor_id is None}
    created = matching_runs.publish_run(run, org=school.org, on=ON)
    db.session.commit()
    by_mentor = {m.mentor_id: m for m in created}
    assert set(by_mentor) == {school.anna.id, school.boris.id}
    assert by_mentor[school.anna.id].is_group and len(by_mentor[school.anna.id].members) == 2
    assert not by_mentor[school.boris.id].is_group
    assert all(m.matching_run_id == run.id and m.reasons and m.status == "active" for m in created)
    assert (run.status, db.session.get(MatchingRun, stale.id).status) == ("published", "discarded")
    follow = dict(db.session.execute(sa.select(MenteeProfile.participant_id, MenteeProfile.follow_up)
                                     .where(MenteeProfile.participant_id.in_(unmatched))).all())
    expected = {pid: ("psych_support" if pid == school.kids[3].id else "continued_search") for pid in unmatched}
    assert follow == expected
    # the mentee bank says why each was left without a mentor
    from mentorship.pairing.banks import unmatched_reasons
    from mentorship.people.models import Participant

    reasons = unmatched_reasons(db.session.scalars(sa.select(Participant)).all())
    assert reasons == {p.mentee_id: p.unmatched_reason for p in run.proposals if p.mentor_id is None}
    assert unmatched and all(reasons.values())
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "matching.published")) == 1
    # A published run is final.
    for call in (lambda: matching_runs.publish_run(run, org=school.org, on=ON),
                 lambda: matching_runs.discard_run(run, org=school.org),
                 lambda: matching_runs.edit_proposal(run.proposals[0], None, org=school.org, on=ON)):
        with pytest.raises(MatchingError) as info:
            call()
        assert info.value.code == "not_draft"


def test_publish_is_all_or_nothing_when_a_rule_breaks_meanwhile(school):
    run = matching_runs.start_run(school.programme, org=school.org, on=ON)
    db.session.commit()
    # Between the run and publishing, a mentee of the last group withdraws the consent.
    last = max(matching_runs.grouped(run)[0], key=lambda g: g.mentor.full_name)
    victim = last.proposals[0].mentee
    victim.consents[0].withdrawn_on = ON
    db.session.commit()
    with pytest.raises(PairRuleError) as info:
        matching_runs.publish_run(run, org=school.org, on=ON)
    assert (info.value.code, info.value.who.id) == ("no_consent", victim.id)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Mentorship)
                             .where(Mentorship.programme_id == school.programme.id)) == 0
    assert db.session.get(MatchingRun, run.id).status == "draft"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MenteeProfile)
                             .where(MenteeProfile.follow_up != "none")) == 0


def test_the_curator_edits_a_proposal_within_the_rules_and_places(school):
    run = matching_runs.start_run(school.programme, org=school.org, on=ON)
    db.session.commit()
    waiting = next(p for p in run.proposals if p.mentor_id is None)
    # Boris's only free place is taken in this run; Anna's two as well.
    for mentor in (school.boris, school.anna):
        with pytest.raises(PairRuleError) as info:
            matching_runs.edit_proposal(waiting, mentor.id, org=school.org, on=ON)
        assert (info.value.code, info.value.who.id) == ("over_capacity", mentor.id)
        db.session.rollback()
    with pytest.raises(PairRuleError) as info:
        matching_runs.edit_proposal(waiting, school.unapproved.id, org=school.org, on=ON)
    assert info.value.code == "mentor_not_approved"
    db.session.rollback()
    # Free one of Anna's places, then give it to the waiting mentee.
    anna_first = next(p for p in run.proposals if p.mentor_id == school.anna.id)
    matching_runs.edit_proposal(anna_first, None, org=school.org, on=ON)
    matching_runs.edit_proposal(waiting, school.anna.id, org=school.org, on=ON)
    db.session.commit()
    assert (anna_first.mentor_id, anna_first.unmatched_reason, anna_first.edited) == (None, "unmatched_by_curator",
                                                                                      True)
    assert waiting.mentor_id == school.anna.id and waiting.edited and waiting.unmatched_reason is None
    assert waiting.reasons[0] == ["chosen_by_curator"]
    assert sum(p.mentor_id == school.anna.id for p in run.proposals) == 2
    matching_runs.discard_run(run, org=school.org)
    db.session.commit()
    assert run.status == "discarded"


def test_a_run_of_a_closed_programme_is_refused(school):
    school.programme.status = "closed"
    with pytest.raises(MatchingError) as info:
        matching_runs.start_run(school.programme, org=school.org, on=ON)
    assert info.value.code == "programme_closed"


def test_pair_rules_use_the_solvers_age_rule(school):
    younger = make_mentee(school.org_id, "Младший", birth_date=date(2009, 1, 1))
    older = make_mentee(school.org_id, "Старший", birth_date=date(2007, 1, 1))
    assert pair_problem(school.pupil_mentor, younger) is None
    assert pair_problem(school.pupil_mentor, older) == "mentor_not_older"
    assert pair_problem(school.anna, older) is None


def test_preferences_list_and_delete(school):
    c = matching_runs.gather(school.programme, ON)
    matching_runs.set_preferences(school.programme, school.kids[0].id, [school.anna.id], c, org=school.org)
    db.session.commit()
    prefs = list(db.session.scalars(matching_runs.preferences_query(school.programme)))
    assert [(p.from_id, p.to_id, p.rank) for p in prefs] == [(school.kids[0].id, school.anna.id, 1)]
    assert matching_runs.names_of(prefs) == {school.kids[0].id: "Ученик 0", school.anna.id: "Анна Учитель"}
    matching_runs.delete_preference(prefs[0], org=school.org)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Preference)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) > 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchProposal)) == 0
