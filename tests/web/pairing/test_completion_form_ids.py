"""The completion page holds two forms with fields of the same names (date, rating, text): the
review form is prefixed, so every id is unique and each label points at its own field."""
from __future__ import annotations

import re
from collections import Counter

from tests.support.school import school_world


def test_ids_are_unique_and_labels_point_at_their_own_form(app, tree, login):
    with app.app_context():
        world = school_world(tree, "r1m1s1")
    client = app.test_client()
    login(client, tree.emails["r1m1s1.staff"])
    html = client.get(f"/school/pairs/{world.pair}/completion").get_data(as_text=True)
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert not [i for i, n in ids.items() if n > 1], ids
    for target in re.findall(r'<label[^>]*\sfor="([^"]+)"', html):
        assert ids[target] == 1, target
    reviews = html.split('id="reviews"', 1)[1]
    for name in ("participant_id", "written_on", "rating", "text"):
        assert f'for="review-{name}"' in reviews and f'name="review-{name}"' in reviews
