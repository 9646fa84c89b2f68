"""The expert bank's objects for the isolation suite: an expert kept by municipal body r1m1 who
has not consented to be shown (so only the keeper sees them), and a request for help made by
school r1m1s1 to the body's bank."""
from __future__ import annotations

from types import SimpleNamespace

from tests.unit.experts.support import make_expert, make_request


def experts_world(tree, keeper: str = "r1m1", school: str = "r1m1s1") -> SimpleNamespace:
    hidden = make_expert(tree, f"{keeper}.admin", display_consent=False)
    shown = make_expert(tree, f"{keeper}.admin", full_name="Показанный Эксперт", email="shown@iro-region.ru")
    request = make_request(tree, shown, f"{school}.staff", keeper_key=keeper)
    return SimpleNamespace(expert=hidden, request=request)
