"""The report's narrative field about what went wrong is «Problems and difficulties» (in the
form and on the report), not a bare «Problems» («Ошибки»)."""
from __future__ import annotations

import sqlalchemy as sa

from core.extensions import db
from mentorship.reports.models import Report
from tenants.context import unscoped
from tests.support.monitoring_world import monitoring_world
from tests.support.school import school_world


def test_the_problems_field_is_named_problems_and_difficulties(app, tree, login):
    with app.app_context():
        school_world(tree, "r1m1s1")
        world = monitoring_world(tree)
        with unscoped("tests.draft"):  # back to a draft, so the form is shown
            db.session.execute(sa.update(Report).where(Report.id == world.school_report).values(status="draft"))
            db.session.commit()
    client = app.test_client()
    login(client, tree.emails["r1m1s1.admin"])
    html = client.get(f"/reports/{world.school_report}").get_data(as_text=True)
    assert "Проблемы и трудности" in html
    assert ">Ошибки<" not in html and ">Ошибки</label>" not in html
