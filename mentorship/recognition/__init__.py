"""Recognition: contests (announce, nominate, jury scoring, results), awards and their orders,
mentors' portfolios and the board of honour.

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

from mentorship.recognition import receivers  # noqa: F401  (connects the area's signal receivers)

__all__: list[str] = ["award_orders", "awards", "board", "models", "portfolio"]
__all__ += ["contests", "contests_jury", "contests_nominations", "contests_results", "scoring"]  # contests
