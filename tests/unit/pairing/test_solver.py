"""The pure matching solver: hard rules, reasons, unmatched reasons, and optimality against
brute force on small random instances (hypothesis)."""
from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorship.pairing.solver import (
    AGE_RULE_CATEGORIES,
    DEFAULT_WEIGHTS,
    MenteeIn,
    MentorIn,
    PreferenceIn,
    PreferenceIndex,
    Weights,
    age_problem,
    objective_of,
    pair_problem,
    pair_score,
    score_matrices,
    solve,
)
from mentorship.region.forms import DEFAULT_FORMS, PUPIL, STUDENT

FORMS = {f.code: f for f in DEFAULT_FORMS}
TEACHER_PUPIL, PUPIL_PUPIL, SEN = FORMS["teacher_pupil"], FORMS["pupil_pupil"], FORMS["teacher_pupil_sen"]


def teacher(id_, capacity=1, competencies=("academic",), forms=()):
    return MentorIn(id_, "teacher", date(1980, 1, 1), frozenset(competencies), frozenset(forms), capacity)


def pupil(id_, born=date(2012, 1, 1), requests=("academic",), special_needs=False):
    return MenteeIn(id_, "pupil", born, special_needs, frozenset(requests))


def chosen(result):
    return {a.mentee_id: a.mentor_id for a in result.assignments}


def test_the_age_rule_is_about_pupils_and_students():
    assert AGE_RULE_CATEGORIES == {PUPIL, STUDENT}
    assert age_problem("pupil", date(2008, 1, 1), "pupil", date(2010, 1, 1)) is None
    assert age_problem("pupil", date(2010, 1, 1), "pupil", date(2010, 1, 1)) == "mentor_not_older"
    assert age_problem("student", None, "pupil", date(2010, 1, 1)) == "mentor_not_older"
    assert age_problem("teacher", date(2010, 1, 1), "pupil", date(2008, 1, 1)) is None


def test_capacity_is_never_exceeded_and_the_rest_say_why():
    mentees = [pupil(10 + i) for i in range(5)]
    result = solve(TEACHER_PUPIL, [teacher(1, capacity=2), teacher(2, capacity=1)], mentees)
    loads = {1: 0, 2: 0}
    for a in result.assignments:
        if a.mentor_id:
            loads[a.mentor_id] += 1
    assert loads == {1: 2, 2: 1} and result.matched == 3
    unmatched = [a for a in result.assignments if a.mentor_id is None]
    assert [a.unmatched_reason for a in unmatched] == ["capacity_exhausted"] * 2


def test_a_full_mentor_still_counts_as_eligible_for_the_reason():
    result = solve(TEACHER_PUPIL, [teacher(1, capacity=0)], [pupil(10)])
    assert result.assignments[0].mentor_id is None
    assert result.assignments[0].reasons == (("capacity_exhausted",),)


def test_a_pupil_mentor_must_be_older_than_the_mentee():
    mentors = [MentorIn(1, "pupil", date(2013, 1, 1)), MentorIn(2, "pupil", None), MentorIn(3, "pupil", date(2009, 1, 1))]
    older, younger = pupil(10, born=date(2010, 6, 1)), pupil(11, born=date(2008, 1, 1))
    result = solve(PUPIL_PUPIL, mentors, [older, younger])
    assert chosen(result) == {10: 3, 11: None}
    assert result.assignments[1].unmatched_reason == "no_eligible_mentor"


def test_categories_and_special_needs():
    mentors = [teacher(1, capacity=3), MentorIn(2, "student", date(2005, 1, 1), free_capacity=3)]
    mentees = [pupil(10, special_needs=True), pupil(11), MenteeIn(12, "teacher")]
    assert chosen(solve(SEN, mentors, mentees)) == {10: 1, 11: None, 12: None}
    assert chosen(solve(TEACHER_PUPIL, mentors, mentees)) == {10: 1, 11: 1, 12: None}
    assert pair_problem(SEN, mentors[0], mentees[1]) == "special_needs_only"
    assert pair_problem(SEN, mentors[1], mentees[0]) == "mentor_category"
    assert pair_problem(TEACHER_PUPIL, mentors[0], mentees[2]) == "mentee_category"


def test_nobody_mentors_themselves():
    me = MentorIn(7, "pupil", date(2008, 1, 1), free_capacity=1)
    result = solve(PUPIL_PUPIL, [me], [pupil(7, born=date(2009, 1, 1))])
    assert result.matched == 0 and result.assignments[0].unmatched_reason == "no_eligible_mentor"


def test_reasons_name_the_requests_the_preferences_and_the_form():
    mentor = teacher(1, competencies=("academic", "career"), forms=("teacher_pupil",))
    mentee = pupil(10, requests=("academic", "adaptation"))
    prefs = PreferenceIndex([PreferenceIn(10, 1, 1), PreferenceIn(1, 10, 2)])
    score, reasons = pair_score(TEACHER_PUPIL, mentor, mentee, prefs)
    assert reasons == (("requests_covered", ["academic"]), ("requests_uncovered", ["adaptation"]),
                       ("mutual_preference",), ("preferred_form",))
    w = DEFAULT_WEIGHTS
    assert score == pytest.approx(w.requests / 2 + w.preference * (1 + 1 / 2) + w.mutual + w.preferred_form)
    assert pair_score(TEACHER_PUPIL, mentor, mentee, PreferenceIndex([PreferenceIn(10, 1, 1)]))[1][2] == (
        "mentee_preferred",)
    assert pair_score(TEACHER_PUPIL, mentor, mentee, PreferenceIndex([PreferenceIn(1, 10, 3)]))[1][2] == (
        "mentor_preferred",)


def test_mutual_beats_one_sided_beats_none_and_rank_matters():
    mentor, mentee = teacher(1), pupil(10)

    def score(*prefs):
        return pair_score(TEACHER_PUPIL, mentor, mentee, PreferenceIndex(prefs))[0]

    mutual = score(PreferenceIn(10, 1, 3), PreferenceIn(1, 10, 3))
    first_choice = score(PreferenceIn(10, 1, 1))
    third_choice = score(PreferenceIn(10, 1, 3))
    assert mutual > first_choice > third_choice > score()


def test_preferences_steer_the_whole_cohort():
    mentors = [teacher(1), teacher(2)]
    mentees = [pupil(10), pupil(11)]
    prefs = [PreferenceIn(10, 2, 1), PreferenceIn(2, 10, 1), PreferenceIn(11, 1, 2)]
    result = solve(TEACHER_PUPIL, mentors, mentees, prefs)
    assert chosen(result) == {10: 2, 11: 1}
    assert ("mutual_preference",) in result.assignments[0].reasons
    assert ("mentee_preferred",) in result.assignments[1].reasons


def test_cardinality_comes_before_quality():
    # X would rather have A (named first, requests covered: the best pair of all), but Y can
    # only have A (B is younger than Y): quality alone would match one mentee, the solver two.
    a = MentorIn(1, "student", date(2005, 1, 1), frozenset({"academic"}), frozenset(), 1)
    b = MentorIn(2, "student", date(2011, 1, 1), frozenset(), frozenset(), 1)
    x = MenteeIn(10, "pupil", date(2012, 1, 1), False, frozenset({"academic"}))
    y = MenteeIn(11, "pupil", date(2010, 1, 1), False, frozenset({"academic"}))
    prefs = [PreferenceIn(10, 1, 1)]
    result = solve(FORMS["student_pupil"], [a, b], [x, y], prefs)
    assert chosen(result) == {10: 2, 11: 1} and result.matched == 2
    index = PreferenceIndex(prefs)
    assert pair_score(FORMS["student_pupil"], a, x, index)[0] > (
        pair_score(FORMS["student_pupil"], a, y, index)[0] + pair_score(FORMS["student_pupil"], b, x, index)[0])


def test_ties_spread_mentees_over_mentors_and_are_deterministic():
    mentors = [teacher(1, capacity=2), teacher(2, capacity=2)]
    mentees = [pupil(10), pupil(11)]
    first = solve(TEACHER_PUPIL, mentors, mentees)
    assert sorted(chosen(first).values()) == [1, 2]
    assert all(solve(TEACHER_PUPIL, mentors, mentees) == first for _ in range(3))


def test_empty_inputs():
    assert solve(TEACHER_PUPIL, [], []).matched == 0
    result = solve(TEACHER_PUPIL, [], [pupil(10)])
    assert result.assignments[0].unmatched_reason == "no_eligible_mentor"
    assert solve(TEACHER_PUPIL, [teacher(1)], []).assignments == ()


# --- property tests: the solver against brute force ----------------------------------------

KINDS = ("academic", "career", "adaptation")
BIRTHS = (None, date(2006, 1, 1), date(2007, 1, 1), date(2009, 6, 1), date(2011, 3, 1), date(2013, 9, 1))


@st.composite
def instances(draw):
    """Mostly people the form fits (so mentees compete for places), some who do not."""
    form = draw(st.sampled_from([PUPIL_PUPIL, TEACHER_PUPIL, SEN, FORMS["student_pupil"]]))
    mentor_category = st.sampled_from([form.mentor_category] * 4 + ["pupil", "teacher"])
    mentee_category = st.sampled_from([form.mentee_category] * 4 + ["student", "teacher"])
    mentor_ids = draw(st.lists(st.integers(1, 9), min_size=0, max_size=4, unique=True))
    mentee_ids = draw(st.lists(st.integers(1, 12), min_size=0, max_size=6, unique=True))
    subset = st.frozensets(st.sampled_from(KINDS), max_size=3)
    mentors = [MentorIn(i, draw(mentor_category), draw(st.sampled_from(BIRTHS)), draw(subset),
                        draw(st.frozensets(st.sampled_from([form.code, "other"]), max_size=1)),
                        draw(st.integers(0, 2))) for i in mentor_ids]
    mentees = [MenteeIn(i, draw(mentee_category), draw(st.sampled_from(BIRTHS)),
                        draw(st.sampled_from([True, True, False])), draw(subset)) for i in mentee_ids]
    people = sorted(set(mentor_ids) | set(mentee_ids))
    prefs = draw(st.lists(st.builds(PreferenceIn, st.sampled_from(people), st.sampled_from(people),
                                    st.integers(1, 3)), max_size=12)) if people else []
    return form, mentors, mentees, [p for p in prefs if p.from_id != p.to_id]


def _brute_force(form, mentors, mentees, prefs, weights):
    """The best objective and the largest number of pairs over every feasible assignment."""
    options = [[None] + [m.id for m in mentors if pair_problem(form, m, e) is None] for e in mentees]
    capacity = {m.id: m.free_capacity for m in mentors}
    best, most = None, 0
    for combo in itertools.product(*options):
        used = [c for c in combo if c is not None]
        if any(used.count(m) > capacity[m] for m in set(used)):
            continue
        value = objective_of(form, mentors, mentees, prefs, dict(zip([e.id for e in mentees], combo)), weights)
        best = value if best is None else max(best, value)
        most = max(most, len(used))
    return best, most


weights = st.one_of(st.just(DEFAULT_WEIGHTS), st.builds(
    Weights, st.floats(0, 100), st.floats(0, 50), st.floats(0, 50), st.floats(0, 20), st.floats(0.001, 1)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), weights)
def test_the_solver_is_optimal_and_matches_as_many_as_possible(instance, weights):
    form, mentors, mentees, prefs = instance
    result = solve(form, mentors, mentees, prefs, weights)
    best, most = _brute_force(form, mentors, mentees, prefs, weights)
    assert result.objective == pytest.approx(best, abs=1e-6)
    assert result.matched == most
    # What it proposes is itself feasible, and its stated objective is that assignment's.
    assert objective_of(form, mentors, mentees, prefs, chosen(result), weights) == pytest.approx(
        result.objective, abs=1e-6)
    for a in result.assignments:
        if a.mentor_id is None:
            eligible = any(pair_problem(form, m, e) is None for m in mentors for e in mentees if e.id == a.mentee_id)
            assert a.unmatched_reason == ("capacity_exhausted" if eligible else "no_eligible_mentor")


@settings(max_examples=100, deadline=None)
@given(instances())
def test_the_vectorised_matrices_agree_with_the_pair_functions(instance):
    form, mentors, mentees, prefs = instance
    feasible, score = score_matrices(form, mentors, mentees, prefs)
    index = PreferenceIndex(prefs)
    for i, e in enumerate(mentees):
        for j, m in enumerate(mentors):
            assert feasible[i, j] == (pair_problem(form, m, e) is None)
            assert score[i, j] == pytest.approx(pair_score(form, m, e, index)[0])
