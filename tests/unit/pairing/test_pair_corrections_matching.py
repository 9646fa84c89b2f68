"""Matching runs and what was found wrong with them: pairs published with their real start
date (a cohort entered after it started), under the rules of a pair made by hand; a mentee
already paired in the same form in another programme, or paired since the draft, is marked
(regression); a one-sided preference that was not met is said, with why (regression)."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from core.extensions import db
from mentorship.pairing import matching as matching_runs
from mentorship.pairing import solver
from mentorship.pairing.pairs import PairRuleError, create_mentorship
from tenants.context import tenant_scope
from tenants.models import Organization
from tests.support.school import make_mentee, make_mentor, make_programme

pytestmark = pytest.mark.backends("sqlite", "postgresql")

ON = date(2026, 10, 15)  # the run, in October
SEPTEMBER = date(2026, 9, 1)  # when the cohort really started


@pytest.fixture
def school(ctx, tree):
    org_id = tree.ids["r1m1s1"]
    with tenant_scope(org_id, tree.paths["r1m1s1"]):
        w = SimpleNamespace(org=db.session.get(Organization, org_id), org_id=org_id)
        w.programme = make_programme(org_id, "teacher_pupil", title="Успешный ученик")
        w.last_year = make_programme(org_id, "teacher_pupil", title="Прошлогодняя", school_year=2025)
        w.anna = make_mentor(org_id, "Анна Учитель", capacity=1, competencies=["career"])
        w.boris = make_mentor(org_id, "Борис Учитель", capacity=2, competencies=["academic"])
        w.ivan = make_mentee(org_id, "Иван Ученик", requests=["academic"])
        w.petr = make_mentee(org_id, "Пётр Ученик", requests=["career"])
        db.session.commit()
        yield w


# ---------------------------------------------------------------------------- the start date


def test_a_run_is_published_with_the_cohorts_real_start(school):
    run = matching_runs.start_run(school.programme, org=school.org, on=ON)
    created = matching_runs.publish_run(run, org=school.org, on=SEPTEMBER)
    db.session.commit()
    assert created and {pair.started_on for pair in created} == {SEPTEMBER}


def test_a_back_dated_publication_keeps_the_consent_rule_and_says_why(school):
    school.ivan.consents[0].given_on = ON  # entered through the form in October
    db.session.commit()
    run = matching_runs.start_run(school.programme, org=school.org, on=ON)
    with pytest.raises(PairRuleError) as info:
        matching_runs.publish_run(run, org=school.org, on=SEPTEMBER)
    assert info.value.code == "consent_after_start" and "Иван Ученик" in info.value.message
    assert "15.10.2026" in info.value.message and "01.09.2026" in info.value.message
    db.session.rollback()


# ---------------------------------------------------------------------------- regressions


def test_a_mentee_paired_in_the_same_form_elsewhere_or_since_the_draft_is_marked(school):
    """Regression: a mentee with an active pair of the same form was proposed again with no
    word. Programmes of one form may run side by side, so the mentee stays a candidate — the
    draft says where they are paired already; one paired in this programme since the draft
    was made is marked too (publishing would refuse them)."""
    create_mentorship(school.last_year, school.boris, [school.ivan], date(2025, 9, 1))
    db.session.commit()
    run = matching_runs.start_run(school.programme, org=school.org, on=ON)
    db.session.commit()
    assert {p.mentee_id for p in run.proposals} == {school.ivan.id, school.petr.id}
    marked = matching_runs.same_form_pairs(run)
    assert set(marked) == {school.ivan.id}
    assert (marked[school.ivan.id].programme_title, marked[school.ivan.id].started_on) == (
        "Прошлогодняя", date(2025, 9, 1))
    assert matching_runs.paired_since(run) == set()
    create_mentorship(school.programme, school.anna, [school.petr], ON)  # by hand, after the run
    db.session.commit()
    assert matching_runs.paired_since(run) == {school.petr.id}
    with pytest.raises(PairRuleError) as info:
        matching_runs.publish_run(run, org=school.org, on=ON)
    assert info.value.code in ("already_paired", "over_capacity")
    db.session.rollback()


def test_a_one_sided_preference_not_met_is_said_with_why():
    """Regression: Иван named Анна, who covers none of his requests, while Борис covers them
    and Анна covers Пётр's: the whole cohort fits better the other way, and the preference
    was neither met nor mentioned. Now it is mentioned, with why."""
    form = SimpleNamespace(code="teacher_pupil", mentor_category="teacher", mentee_category="pupil",
                           mentee_special_needs=False)
    anna = solver.MentorIn(1, "teacher", competencies=frozenset({"career"}), free_capacity=1)
    boris = solver.MentorIn(2, "teacher", competencies=frozenset({"academic"}), free_capacity=1)
    ivan = solver.MenteeIn(10, "pupil", request_kinds=frozenset({"academic"}))
    petr = solver.MenteeIn(11, "pupil", request_kinds=frozenset({"career"}))
    result = solver.solve(form, [anna, boris], [ivan, petr], [solver.PreferenceIn(10, 1, 1),
                                                                solver.PreferenceIn(2, 11, 2),
                                                                solver.PreferenceIn(10, 99, 2)])
    by_mentee = {a.mentee_id: a for a in result.assignments}
    assert by_mentee[10].mentor_id == 2 and by_mentee[11].mentor_id == 1
    assert ("mentee_preference_unmet", 1, 1, solver.OTHERS_FIT_BETTER) in by_mentee[10].reasons
    assert ("mentee_preference_unmet", 99, 2, solver.NOT_CANDIDATE) in by_mentee[10].reasons
    assert ("mentor_preference_unmet", 2, 2, solver.OTHERS_FIT_BETTER) in by_mentee[11].reasons
    # a met preference is not repeated as unmet
    met = solver.solve(form, [anna, boris], [ivan], [solver.PreferenceIn(10, 2, 1)])
    assert met.assignments[0].reasons == (("requests_covered", ["academic"]), ("mentee_preferred",))
    # full mentor, a broken rule
    full = solver.MentorIn(3, "teacher", free_capacity=0)
    student = solver.MentorIn(4, "student", free_capacity=1)
    notes = solver.unmet_preferences(form, {3: full, 4: student}, ivan, None, solver.PreferenceIndex(
        [solver.PreferenceIn(10, 3, 1), solver.PreferenceIn(10, 4, 2)]))
    assert notes == (("mentee_preference_unmet", 3, 1, solver.NO_FREE_PLACE),
                     ("mentee_preference_unmet", 4, 2, "mentor_category"))


def test_the_unmet_preference_is_stored_and_worded_with_the_partners_name(school):
    candidates = matching_runs.gather(school.programme, ON)
    matching_runs.set_preferences(school.programme, school.ivan.id, [school.anna.id], candidates, org=school.org)
    db.session.commit()
    run = matching_runs.start_run(school.programme, org=school.org, on=ON)
    proposal = next(p for p in run.proposals if p.mentee_id == school.ivan.id)
    assert proposal.mentor_id == school.boris.id
    unmet = next(r for r in proposal.reasons if r[0] == "mentee_preference_unmet")
    assert unmet == ["mentee_preference_unmet", school.anna.id, 1, solver.OTHERS_FIT_BETTER]
    names = matching_runs.partner_names(run.proposals)
    text = matching_runs.describe(unmet, names)
    assert "Анна Учитель" in text and "1" in text
    assert str(matching_runs.UNMET_LABELS[solver.OTHERS_FIT_BETTER]) in text
    # a published pair keeps its reasons, not the draft's notes
    created = matching_runs.publish_run(run, org=school.org, on=ON)
    assert all(r[0] not in matching_runs.UNMET_CODES for pair in created for r in pair.reasons)
