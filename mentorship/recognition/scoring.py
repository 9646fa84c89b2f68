"""The arithmetic of a contest's results, apart from the database: one juror's total of a
nominee, the nominee's score across jurors (sum or mean), and places with ties shared.

Totals are exact (``Fraction``): a mean of 7 and 8 is 15/2, never 7.4999…, so two nominees with
equal means always share their place. Places follow the "standard competition" ranking used by
contest protocols: equal scores share a place and the next place skips (1, 1, 3)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K")


def aggregate(juror_totals: Iterable[int], how: str) -> Fraction | None:
    """A nominee's score from each juror's total: their ``sum`` or their ``mean``; None when
    no juror scored the nominee."""
    totals = list(juror_totals)
    if not totals:
        return None
    if how == "sum":
        return Fraction(sum(totals))
    if how == "mean":
        return Fraction(sum(totals), len(totals))
    raise ValueError(f"unknown aggregation {how!r}")


def places(scores: Mapping[K, Fraction]) -> dict[K, int]:
    """Each key's place, highest score first; equal scores share a place (1, 1, 3)."""
    ordered = sorted(scores.values(), reverse=True)
    first_index: dict[Fraction, int] = {}
    for index, value in enumerate(ordered):
        first_index.setdefault(value, index)
    return {key: first_index[value] + 1 for key, value in scores.items()}


def shown(score: Fraction | None) -> Decimal | None:
    """A score as printed and stored: two decimals, halves rounded up."""
    if score is None:
        return None
    return (Decimal(score.numerator) / Decimal(score.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
