"""A reviewer's comments on activities: alerts beside the activities while the school revises,
history (under their return) once the roadmap is approved."""
from __future__ import annotations

from core.extensions import db
from mentorship.roadmaps.models import ActivityComment, Roadmap, RoadmapTransition
from tenants.context import unscoped
from tests.support.roadmaps import make_roadmap

COMMENT = "Нужна конкретная дата"


def _roadmap_with_a_return(app, tree, status: str) -> int:
    with app.app_context():
        ids = make_roadmap(tree.ids["r1m1s1"], ["до 30.09.2023"], status=status)
        with unscoped("tests.comments"):
            step = RoadmapTransition(org_id=tree.ids["r1m1s1"], roadmap_id=ids.id, action="return",
                                     from_status="submitted", to_status="returned", comment="Уточните сроки")
            step.activity_comments.append(ActivityComment(org_id=tree.ids["r1m1s1"], activity_id=ids.activities[0],
                                                          text=COMMENT))
            db.session.add(step)
            assert db.session.get(Roadmap, ids.id).status == status
            db.session.commit()
    return ids.id


def _page(app, login, tree, roadmap_id) -> str:
    client = app.test_client()
    login(client, tree.emails["r1m1s1.staff"])
    response = client.get(f"/roadmaps/{roadmap_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_while_revising_the_comments_are_alerts_beside_the_activities(app, tree, login):
    html = _page(app, login, tree, _roadmap_with_a_return(app, tree, "returned"))
    assert f'<div class="alert alert-warning p-1 small mb-0 mt-1 activity-comment">{COMMENT}</div>' in html
    assert "activity-comment-past" not in html


def test_once_approved_the_comments_are_history(app, tree, login):
    html = _page(app, login, tree, _roadmap_with_a_return(app, tree, "approved"))
    assert "activity-comment\"" not in html  # no alert beside the activity
    history = html.split('id="history"', 1)[1]
    assert 'class="activity-comment-past"' in history and f"«{COMMENT}»" in history
