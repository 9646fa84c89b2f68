"""The public pages cost a fixed number of SQL statements, however much they show: a school's
page with a few items or many (news, documents, practices, cards, contests and results), a
body's page with 2 or 30 schools, the region's page with 3 or 40 published pages."""
from __future__ import annotations

import pytest

from core.extensions import db
from mentorship.public.models import PublicPage
from tenants.context import unscoped
from tenants.models import Organization
from tenants.roles import OrgKind
from tenants.tree import create_organization
from tests.support.queries import queries_and_page
from tests.unit.public.world import (
    add_document,
    add_news,
    add_practice,
    consenting_mentor,
    honour_card,
    page_url,
    publish_page,
    published_contest,
)

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _school_content(tree, key: str, n: int) -> None:
    for i in range(n):
        add_news(tree, key, title=f"Новость {key} {i}")
        add_document(tree, key, title=f"Документ {key} {i}")
        add_practice(tree, key, title=f"Практика {key} {i}")
        mentor = consenting_mentor(tree, key, f"Наставник {key} {i}")
        honour_card(tree, key, mentor, photo=i % 2 == 0)
        published_contest(tree, "r1m1" if key.startswith("r1m1") else "r1m2", [(key, mentor, f"Наставник {key} {i}")],
                          title=f"Конкурс {key} {i}")


def _more_schools(tree, body: str, n: int) -> None:
    """``n`` more schools under ``body`` with published pages (written directly)."""
    with unscoped("tests.public.schools"):
        parent = db.session.get(Organization, tree.ids[body])
        for i in range(n):
            school = create_organization(kind=OrgKind.SCHOOL, name=f"Школа {body} № {i + 10}", parent=parent)
            db.session.add(PublicPage(org_id=school.id, is_public=True, version=1, pairs_count=i, mentors_count=i,
                                      mentees_count=i, forms=[]))
        db.session.commit()


def test_a_schools_page_costs_the_same_with_few_or_many_items(app, tree, client):
    with app.app_context():
        publish_page(tree, "r1m1s1")
        publish_page(tree, "r1m2s1")
        _school_content(tree, "r1m1s1", 1)
        _school_content(tree, "r1m2s1", 8)
        small_url, large_url = page_url(tree, "r1m1s1"), page_url(tree, "r1m2s1")
    small, small_page = queries_and_page(app, client, small_url)
    large, large_page = queries_and_page(app, client, large_url)
    assert "Наставник r1m1s1 0" in small_page and "Наставник r1m2s1 7" in large_page
    assert "Документ r1m2s1 7" in large_page
    assert small == large, (small, large)


def test_a_bodys_and_the_regions_page_cost_the_same_with_few_or_many_schools(app, tree, client):
    with app.app_context():
        for key in ("r1m1", "r1m2", "r1m1s1", "r1m2s1", "r1"):
            publish_page(tree, key)
        _more_schools(tree, "r1m2", 30)
        small_body, large_body = page_url(tree, "r1m1"), page_url(tree, "r1m2")
    small, _ = queries_and_page(app, client, small_body)
    large, page = queries_and_page(app, client, large_body)
    assert "Школа r1m2 № 39" in page
    assert small == large, (small, large)
    with app.app_context():
        region_url = page_url(tree, "r1")
    before, _ = queries_and_page(app, client, region_url)
    with app.app_context():
        _more_schools(tree, "r1m1", 10)
    after, page = queries_and_page(app, client, region_url)
    assert "Школа r1m1 № 19" in page
    assert before == after, (before, after)


def test_a_conditional_get_costs_no_more_than_the_page(app, tree, client):
    from tests.support.queries import counting_queries

    with app.app_context():
        publish_page(tree, "r1m1s1")
        _school_content(tree, "r1m1s1", 2)
        url = page_url(tree, "r1m1s1")
        engine = db.engine
    full, _ = queries_and_page(app, client, url)
    etag = client.get(url).headers["ETag"]
    with counting_queries(engine) as statements:
        response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert len(statements) < full  # the news, documents and practices are not even read
