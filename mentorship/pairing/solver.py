"""The matching solver (DESIGN §9): a programme's whole cohort at once, never greedy.

Pure: plain dataclasses in, a ``MatchResult`` out — no database, no Flask, so the benchmark
and the property tests run it bare. ``matching_runs`` gathers the candidates from the
database and stores the result; ``pair_rules`` uses the same age rule (``age_problem``).

Hard rules (a pair outside them is never proposed): the mentor's category is the form's
mentor category; the mentee's is the form's mentee category, with special needs (ОВЗ) when
the form asks for it; nobody mentors themselves; a pupil or student mentor of a pupil or
student is strictly older (both birth dates known); a mentor takes at most ``free_capacity``
mentees; a mentee gets at most one mentor.

Objective, maximised over every assignment that respects the hard rules::

    Σ_matched pairs (cardinality_bonus + score(pair))  +  Σ_mentors Σ_{s < load} spread(s)

* ``score(pair)`` (the quality, ≥ 0) = ``requests`` × the share of the mentee's request kinds
  the mentor's competencies cover + ``preference`` × (1/rank for each side that named the
  other) + ``mutual`` when both did + ``preferred_form`` when the mentor lists the
  programme's form among the preferred ones.
* ``spread(s) = spread / (s + 1)`` for a mentor's (s+1)-th mentee: a small deterministic
  tie-breaker that, between otherwise equal assignments, spreads mentees over more mentors
  instead of filling one mentor's group first.
* ``cardinality_bonus`` is larger than the quality and spread any assignment can total, so
  the optimum matches as many mentees as possible (maximum cardinality) and, among those,
  has the best quality: the order is lexicographic, not a trade-off. (An assignment of k
  pairs totals at most k·(max score + spread); one more pair is worth more than that.)

Solved exactly with ``scipy.optimize.linear_sum_assignment`` on a mentees × mentor-places
matrix: each mentor contributes one column per free place (at most as many as the mentees it
may take), place s worth ``bonus + score + spread(s)``; an infeasible pair is worth 0 — the
same as leaving the mentee unmatched — and a mentee the solver puts there *is* unmatched, so
no infeasible pair can ever be proposed and no dummy columns are needed.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy as np

# The categories the age rule concerns (forms_catalogue.PUPIL and STUDENT; kept here so the
# solver imports nothing of the application).
AGE_RULE_CATEGORIES = frozenset({"pupil", "student"})

NO_ELIGIBLE_MENTOR = "no_eligible_mentor"
CAPACITY_EXHAUSTED = "capacity_exhausted"


class FormRule(Protocol):
    """What the solver needs of a form (``forms_catalogue.FormSpec`` fits)."""

    code: str
    mentor_category: str
    mentee_category: str
    mentee_special_needs: bool


@dataclass(frozen=True)
class MentorIn:
    id: int
    category: str
    birth_date: date | None = None
    competencies: frozenset[str] = frozenset()
    preferred_forms: frozenset[str] = frozenset()  # form codes; empty: no preference
    free_capacity: int = 1  # capacity minus the mentees the mentor already has


@dataclass(frozen=True)
class MenteeIn:
    id: int
    category: str
    birth_date: date | None = None
    special_needs: bool = False
    request_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PreferenceIn:
    """``from_id`` names ``to_id`` as a preferred partner; rank 1 is the first choice."""

    from_id: int
    to_id: int
    rank: int = 1


@dataclass(frozen=True)
class Weights:
    requests: float = 10.0
    preference: float = 3.0
    mutual: float = 3.0
    preferred_form: float = 2.0
    spread: float = 0.1

    @property
    def max_score(self) -> float:
        return self.requests + 2 * self.preference + self.mutual + self.preferred_form


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Assignment:
    """A mentee's outcome: the mentor (or None), the pair's score, and why.

    ``reasons`` are tuples ``(code, *args)``: ("requests_covered", [kinds]),
    ("requests_uncovered", [kinds]), ("mutual_preference",), ("mentee_preferred",),
    ("mentor_preferred",), ("preferred_form",); for an unmatched mentee
    ("no_eligible_mentor",) or ("capacity_exhausted",) first. Then the preferences that were
    not met (``unmet_preferences``): ("mentee_preference_unmet", mentor id, rank, why) — the
    mentee named another mentor — and ("mentor_preference_unmet", mentor id, rank, why) — a
    mentor named this mentee and got others."""

    mentee_id: int
    mentor_id: int | None
    score: float
    reasons: tuple = ()

    @property
    def unmatched_reason(self) -> str | None:
        return self.reasons[0][0] if self.mentor_id is None and self.reasons else None


@dataclass(frozen=True)
class MatchResult:
    assignments: tuple[Assignment, ...]  # one per mentee, in the order given
    objective: float  # the maximised value, cardinality bonus and spread included
    total_score: float  # Σ score of the matched pairs (the quality part)
    matched: int
    cardinality_bonus: float
    by_mentor: dict[int, list[int]] = field(default_factory=dict)  # mentor id → mentee ids


# --- hard rules ----------------------------------------------------------------------------

def age_problem(mentor_category: str, mentor_birth: date | None, mentee_category: str,
                mentee_birth: date | None) -> str | None:
    """A pupil or student mentor of a pupil or student must be strictly older (born earlier);
    unknown birth dates fail the rule."""
    if mentor_category in AGE_RULE_CATEGORIES and mentee_category in AGE_RULE_CATEGORIES:
        if mentor_birth is None or mentee_birth is None or mentor_birth >= mentee_birth:
            return "mentor_not_older"
    return None


def mentor_fits(form: FormRule, mentor: MentorIn) -> bool:
    return mentor.category == form.mentor_category


def mentee_fits(form: FormRule, mentee: MenteeIn) -> bool:
    return mentee.category == form.mentee_category and (mentee.special_needs or not form.mentee_special_needs)


def pair_problem(form: FormRule, mentor: MentorIn, mentee: MenteeIn) -> str | None:
    """The first hard rule (capacity aside) the pair breaks, as a pair_rules.MESSAGES code."""
    if not mentor_fits(form, mentor):
        return "mentor_category"
    if mentee.category != form.mentee_category:
        return "mentee_category"
    if form.mentee_special_needs and not mentee.special_needs:
        return "special_needs_only"
    if mentor.id == mentee.id:
        return "same_person"
    return age_problem(mentor.category, mentor.birth_date, mentee.category, mentee.birth_date)


# --- score ---------------------------------------------------------------------------------

class PreferenceIndex:
    """Ranks by (from, to); a pair named twice keeps its best rank."""

    def __init__(self, preferences: Iterable[PreferenceIn] = ()):
        self._rank: dict[tuple[int, int], int] = {}
        for p in preferences:
            key = (p.from_id, p.to_id)
            if p.rank >= 1 and (key not in self._rank or p.rank < self._rank[key]):
                self._rank[key] = p.rank

    def rank(self, from_id: int, to_id: int) -> int | None:
        return self._rank.get((from_id, to_id))

    def items(self):
        return self._rank.items()

    def about(self, person_id: int) -> list[tuple[int, int, int]]:
        """(from, to, rank) of every preference naming ``person_id`` or named by them, best
        rank first (an index built once)."""
        if not hasattr(self, "_about"):
            self._about: dict[int, list[tuple[int, int, int]]] = {}
            for (source, target), rank in sorted(self._rank.items(), key=lambda item: (item[1], item[0])):
                self._about.setdefault(source, []).append((source, target, rank))
                self._about.setdefault(target, []).append((source, target, rank))
        return self._about.get(person_id, [])


def _rank_weight(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def pair_score(form: FormRule, mentor: MentorIn, mentee: MenteeIn, prefs: PreferenceIndex,
               weights: Weights = DEFAULT_WEIGHTS) -> tuple[float, tuple]:
    """The quality score of one pair and its reasons (hard rules are not checked here)."""
    reasons: list[tuple] = []
    score = 0.0
    kinds = mentee.request_kinds
    covered = sorted(kinds & mentor.competencies)
    if kinds:
        score += weights.requests * len(covered) / len(kinds)
    if covered:
        reasons.append(("requests_covered", covered))
    uncovered = sorted(kinds - mentor.competencies)
    if uncovered:
        reasons.append(("requests_uncovered", uncovered))
    by_mentee, by_mentor = prefs.rank(mentee.id, mentor.id), prefs.rank(mentor.id, mentee.id)
    score += weights.preference * (_rank_weight(by_mentee) + _rank_weight(by_mentor))
    if by_mentee and by_mentor:
        score += weights.mutual
        reasons.append(("mutual_preference",))
    elif by_mentee:
        reasons.append(("mentee_preferred",))
    elif by_mentor:
        reasons.append(("mentor_preferred",))
    if form.code in mentor.preferred_forms:
        score += weights.preferred_form
        reasons.append(("preferred_form",))
    return score, tuple(reasons)


def spread_bonus(load: int, weights: Weights = DEFAULT_WEIGHTS) -> float:
    """The tie-breaker's total for a mentor with ``load`` mentees from this run."""
    return sum(weights.spread / (s + 1) for s in range(load))


def cardinality_bonus(n_mentees: int, total_places: int, weights: Weights = DEFAULT_WEIGHTS) -> float:
    """Worth more than all the quality and spread that min(n_mentees, places) pairs can total."""
    return (weights.max_score + weights.spread) * (min(n_mentees, total_places) + 1)


# --- preferences not met ---------------------------------------------------------------------

NOT_CANDIDATE = "not_candidate"  # the partner is not a candidate of the run (bank, approval, consent, a pair)
NO_FREE_PLACE = "no_free_place"  # the mentor has no free place left
OTHERS_FIT_BETTER = "others_fit_better"  # the places went to other mentees for a better whole


def unmet_preferences(form: FormRule, mentors: dict[int, MentorIn], mentee: MenteeIn, mentor_id: int | None,
                      prefs: PreferenceIndex) -> tuple:
    """Why each preference about ``mentee`` that the assignment (``mentor_id``) does not meet
    was not met, so that a one-sided preference never disappears silently: the partner was not
    a candidate, the pair breaks a hard rule (its code), the mentor had no free place, or the
    places went to others (more mentees matched, or a better total score). A preference
    weighs less than the requests the mentor covers: it steers, it does not decide."""
    def why(partner_id: int) -> str:
        partner = mentors.get(partner_id)
        if partner is None:
            return NOT_CANDIDATE
        problem = pair_problem(form, partner, mentee)
        if problem:
            return problem
        if partner.free_capacity <= 0:
            return NO_FREE_PLACE
        return OTHERS_FIT_BETTER

    notes = []
    for source, target, rank in prefs.about(mentee.id):
        if source == mentee.id and target != mentor_id:
            notes.append(("mentee_preference_unmet", target, rank, why(target)))
        elif target == mentee.id and source != mentor_id:
            notes.append(("mentor_preference_unmet", source, rank, why(source)))
    return tuple(notes)


# --- matrices (vectorised: 2,000 × 500 in milliseconds) ------------------------------------

def _ordinals(dates) -> np.ndarray:
    return np.array([d.toordinal() if d is not None else np.nan for d in dates], dtype=float)


def score_matrices(form: FormRule, mentors: list[MentorIn], mentees: list[MenteeIn],
                   preferences: Iterable[PreferenceIn] = (), weights: Weights = DEFAULT_WEIGHTS):
    """``(feasible, score)``: mentees × mentors arrays, the hard rules (capacity aside) and
    ``pair_score`` for every pair at once."""
    n, m = len(mentees), len(mentors)
    mentor_ok = np.array([mentor_fits(form, x) for x in mentors], dtype=bool).reshape(m)
    mentee_ok = np.array([mentee_fits(form, x) for x in mentees], dtype=bool).reshape(n)
    feasible = mentee_ok[:, None] & mentor_ok[None, :]
    mentor_ids = np.array([x.id for x in mentors], dtype=np.int64).reshape(m)
    mentee_ids = np.array([x.id for x in mentees], dtype=np.int64).reshape(n)
    feasible &= mentee_ids[:, None] != mentor_ids[None, :]
    mentor_young = np.array([x.category in AGE_RULE_CATEGORIES for x in mentors], dtype=bool).reshape(m)
    mentee_young = np.array([x.category in AGE_RULE_CATEGORIES for x in mentees], dtype=bool).reshape(n)
    with np.errstate(invalid="ignore"):
        older = _ordinals([x.birth_date for x in mentors]).reshape(m)[None, :] < _ordinals(
            [x.birth_date for x in mentees]).reshape(n)[:, None]  # NaN (unknown) compares False
    feasible &= ~(mentee_young[:, None] & mentor_young[None, :]) | older

    kinds = sorted({k for x in mentees for k in x.request_kinds})
    column = {k: i for i, k in enumerate(kinds)}
    requests = np.zeros((n, len(kinds)))
    for i, x in enumerate(mentees):
        for k in x.request_kinds:
            requests[i, column[k]] = 1.0
    competencies = np.zeros((m, len(kinds)))
    for j, x in enumerate(mentors):
        for k in x.competencies:
            if k in column:
                competencies[j, column[k]] = 1.0
    asked = requests.sum(axis=1)
    covered = requests @ competencies.T
    score = weights.requests * np.divide(covered, asked[:, None], out=np.zeros((n, m)), where=asked[:, None] > 0)

    row = {x.id: i for i, x in enumerate(mentees)}
    col = {x.id: j for j, x in enumerate(mentors)}
    by_mentee, by_mentor = np.zeros((n, m)), np.zeros((n, m))
    for (a, b), rank in PreferenceIndex(preferences).items():
        if a in row and b in col:
            by_mentee[row[a], col[b]] = _rank_weight(rank)
        if a in col and b in row:
            by_mentor[row[b], col[a]] = _rank_weight(rank)
    score += weights.preference * (by_mentee + by_mentor)
    score += weights.mutual * ((by_mentee > 0) & (by_mentor > 0))
    form_pref = np.array([form.code in x.preferred_forms for x in mentors], dtype=float).reshape(m)
    score += weights.preferred_form * form_pref[None, :]
    return feasible, score


# --- the solver ----------------------------------------------------------------------------

def solve(form: FormRule, mentors: list[MentorIn], mentees: list[MenteeIn],
          preferences: Iterable[PreferenceIn] = (), weights: Weights = DEFAULT_WEIGHTS) -> MatchResult:
    """The optimal assignment of ``mentees`` to ``mentors`` (see the module docstring)."""
    from scipy.optimize import linear_sum_assignment

    preferences = list(preferences)
    prefs = PreferenceIndex(preferences)
    feasible, score = score_matrices(form, mentors, mentees, preferences, weights)
    n = len(mentees)
    # One column per free place a mentor could actually use.
    places = [min(max(x.free_capacity, 0), int(feasible[:, j].sum())) for j, x in enumerate(mentors)]
    col_mentor = np.repeat(np.arange(len(mentors)), places)
    col_slot = np.concatenate([np.arange(c) for c in places]) if places else np.zeros(0, dtype=int)
    bonus = cardinality_bonus(n, int(sum(places)), weights)

    assigned: dict[int, int] = {}  # mentee row → mentor column
    if n and len(col_mentor):
        value = bonus + score[:, col_mentor] + weights.spread / (col_slot[None, :] + 1.0)
        value = np.where(feasible[:, col_mentor], value, 0.0)
        rows, cols = linear_sum_assignment(value, maximize=True)
        for r, c in zip(rows, cols):
            j = int(col_mentor[c])
            if feasible[r, j]:
                assigned[int(r)] = j

    assignments, by_mentor, total = [], {}, 0.0
    mentor_by_id = {x.id: x for x in mentors}
    for i, mentee in enumerate(mentees):
        j = assigned.get(i)
        if j is None:
            reason = CAPACITY_EXHAUSTED if feasible[i].any() else NO_ELIGIBLE_MENTOR
            notes = unmet_preferences(form, mentor_by_id, mentee, None, prefs)
            assignments.append(Assignment(mentee.id, None, 0.0, ((reason,), *notes)))
            continue
        mentor = mentors[j]
        pair, reasons = pair_score(form, mentor, mentee, prefs, weights)
        total += pair
        notes = unmet_preferences(form, mentor_by_id, mentee, mentor.id, prefs)
        assignments.append(Assignment(mentee.id, mentor.id, pair, (*reasons, *notes)))
        by_mentor.setdefault(mentor.id, []).append(mentee.id)
    matched = len(assigned)
    objective = matched * bonus + total + sum(spread_bonus(len(v), weights) for v in by_mentor.values())
    return MatchResult(tuple(assignments), objective, total, matched, bonus, by_mentor)


def objective_of(form: FormRule, mentors: list[MentorIn], mentees: list[MenteeIn],
                 preferences: Iterable[PreferenceIn], chosen: dict[int, int | None],
                 weights: Weights = DEFAULT_WEIGHTS) -> float:
    """The objective of any assignment ``{mentee id: mentor id or None}``, computed pair by
    pair (independently of ``solve``); ValueError if it breaks a hard rule or a capacity."""
    prefs = PreferenceIndex(preferences)
    by_id = {x.id: x for x in mentors}
    places = sum(min(max(x.free_capacity, 0), sum(pair_problem(form, x, y) is None for y in mentees))
                 for x in mentors)
    bonus = cardinality_bonus(len(mentees), places, weights)
    loads: dict[int, int] = {}
    total = 0.0
    for mentee in mentees:
        mentor_id = chosen.get(mentee.id)
        if mentor_id is None:
            continue
        mentor = by_id[mentor_id]
        problem = pair_problem(form, mentor, mentee)
        if problem:
            raise ValueError(problem)
        loads[mentor_id] = loads.get(mentor_id, 0) + 1
        if loads[mentor_id] > mentor.free_capacity:
            raise ValueError("over_capacity")
        total += bonus + pair_score(form, mentor, mentee, prefs, weights)[0]
    return total + sum(spread_bonus(load, weights) for load in loads.values())
