"""The ministry edits its indicators' names in fields wide and tall enough for a whole name
(a wide column and a three-line box that grows with its text), not in a tiny two-line box."""
from __future__ import annotations

import re


def test_indicator_names_have_room(app, tree, login):
    client = app.test_client()
    login(client, tree.emails["r1.admin"])
    html = client.get("/monitoring/indicators").get_data(as_text=True)
    boxes = re.findall(r'<textarea class="([^"]*)" id="name-[^"]+" name="name" rows="(\d+)"', html)
    assert len(boxes) == 4  # the four standard indicators
    assert all("indicator-name" in classes and int(rows) >= 3 for classes, rows in boxes)
    assert '<th scope="col" class="indicator-name-cell">' in html
