"""A roadmap's history reads in words: where the roadmap came from and which version a new one
is, never the stored source code («template:spb-dou49», «copy:12»)."""
from __future__ import annotations

from flask_babel import force_locale
from markupsafe import escape

from blueprints.roadmaps.helpers import transition_note
from mentorship.roadmaps.builtin import builtin_templates


def test_sources_and_versions_in_words(ctx):
    title = builtin_templates()["kirov-region-2020-2024"].title
    with force_locale("en"):
        assert transition_note("created", "template:kirov-region-2020-2024") == f"from the template «{title}»"
        assert transition_note("created", "template:roadmap-6") == "from the region's model roadmap"
        assert transition_note("created", "copy:12") == "copied from the roadmap of an earlier period"
        assert transition_note("new_version", "version 1 → 2") == "version 1 → 2"
        assert transition_note("return", "Уточните сроки") == "Уточните сроки"  # a reviewer's words, as typed
        assert transition_note("created", None) == ""


def test_the_roadmap_page_names_its_template(app, tree, login):
    from tests.isolation.registry import make_objects

    with app.app_context():
        objects = make_objects(tree, ())
        title = builtin_templates()["spb-dou49"].title
    client = app.test_client()
    login(client, tree.emails["r1m1s1.admin"])
    page = client.get(f"/roadmaps/{objects['roadmap']}").get_data(as_text=True)
    history = page.split('id="history"', 1)[-1] if 'id="history"' in page else page
    assert "template:spb-dou49" not in page and f"«{escape(title)}»" in history
