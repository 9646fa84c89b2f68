"""The arithmetic of results: sum or mean across jurors (exact), places with ties shared."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorship.recognition.scoring import aggregate, places, shown


def test_sum_and_mean_of_the_jurors_totals():
    assert aggregate([10, 8, 9], "sum") == 27
    assert aggregate([10, 8, 9], "mean") == 9
    assert aggregate([7, 8], "mean") == Fraction(15, 2)
    assert aggregate([], "sum") is None
    with pytest.raises(ValueError):
        aggregate([1], "median")


def test_ties_share_a_place_and_the_next_place_skips():
    assert places({"a": Fraction(18), "b": Fraction(18), "c": Fraction(12), "d": Fraction(20)}) == {
        "d": 1, "a": 2, "b": 2, "c": 4}
    assert places({"x": Fraction(1, 3), "y": Fraction(2, 6)}) == {"x": 1, "y": 1}  # exact, not floats
    assert places({}) == {}


def test_scores_are_shown_with_two_decimals_halves_up():
    assert shown(Fraction(15, 2)) == Decimal("7.50")
    assert shown(Fraction(2, 3)) == Decimal("0.67")
    assert shown(Fraction(1, 200)) == Decimal("0.01")
    assert shown(None) is None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.integers(0, 50), st.integers(0, 30), min_size=1, max_size=20))
def test_places_are_the_number_of_better_scores_plus_one(raw):
    scores = {k: Fraction(v) for k, v in raw.items()}
    ranked = places(scores)
    for key, value in scores.items():
        assert ranked[key] == 1 + sum(1 for other in scores.values() if other > value)
