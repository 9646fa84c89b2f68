"""The public pages' domain: what a visitor's public scope can read (published only, one
region), the page's version, the programme's counts (figures only), the nightly refresh."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.pairing.models import Mentorship, MentorshipMentee
from mentorship.people.models import Participant
from mentorship.public import pages, reading
from mentorship.public.errors import PublicError
from mentorship.public.models import NewsItem, PublicPage
from mentorship.public.pages import PageFields
from tenants.context import public_scope, unscoped
from tenants.scoping import region_path
from tests.support.school import make_mentee, make_mentor, make_programme, problems_of
from tests.unit.public.world import TODAY, add_news, as_org, org_of, publish_page, school_site

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _public(tree, key="r1m1s1"):
    return public_scope(region_path(tree.paths[key]))


def test_the_public_scope_reads_published_rows_only(ctx, tree):
    site = school_site(tree)
    publish_page(tree, "r1m1s2", publish=False)
    with _public(tree):
        assert reading.published_page(tree.ids["r1m1s1"]).id == site.page
        assert reading.published_page(tree.ids["r1m1s2"]) is None  # saved, not published
        assert [n.id for n in reading.latest_news(tree.ids["r1m1s1"])] == [site.news]
        assert [d.id for d in reading.documents(tree.ids["r1m1s1"])] == [site.document]
        assert [p.id for p in reading.practices(tree.ids["r1m1s1"])] == [site.practice]
        assert reading.news_item(tree.ids["r1m1s1"], site.draft_news) is None
        assert db.session.get(NewsItem, site.draft_news) is None
        with pytest.raises(Exception, match="not Publishable"):  # personal data cannot even be asked for
            db.session.scalars(sa.select(Participant)).all()


def test_another_regions_pages_do_not_exist_in_a_regions_scope(ctx, tree):
    publish_page(tree, "r2m1s1")
    with _public(tree, "r1m1s1"):
        assert reading.published_page(tree.ids["r2m1s1"]) is None
        assert reading.organisation(org_of_slug(tree, "r2m1s1")) is None
    with _public(tree, "r2m1s1"):
        assert reading.published_page(tree.ids["r2m1s1"]) is not None


def org_of_slug(tree, key):
    with unscoped("tests.slug"):
        return org_of(tree, key).slug


def test_regions_are_found_by_slug_and_unknown_ones_are_not(ctx, tree):
    slug = org_of_slug(tree, "r1")
    region = reading.find_region(slug)
    assert region is not None and region.id == tree.ids["r1"] and region.path == tree.paths["r1"]
    assert reading.find_region("no-such-region") is None
    assert reading.find_region(org_of_slug(tree, "r1m1s1")) is None  # a school's slug is no region


def test_unpublishing_the_page_hides_it_and_every_change_raises_its_version(ctx, tree):
    publish_page(tree)
    with as_org(tree, "r1m1s1"):
        page = pages.page_of(org_of(tree, "r1m1s1"))
        version = page.version
    add_news(tree)
    with as_org(tree, "r1m1s1"):
        page = pages.page_of(org_of(tree, "r1m1s1"))
        assert page.version > version
        version = page.version
        pages.unpublish_page(org_of(tree, "r1m1s1"))
        db.session.commit()
        assert page.version > version and not page.is_public
    with _public(tree):
        assert reading.published_page(tree.ids["r1m1s1"]) is None


def test_page_fields_are_checked_and_nothing_is_kept_on_a_refusal(ctx, tree):
    with as_org(tree, "r1m1s1"):
        with pytest.raises(PublicError) as refused:
            pages.save_page(org_of(tree, "r1m1s1"), PageFields(email="not an address", website="school.ru",
                                                               phone="1" * 61))
        assert sorted(problems_of(refused.value)) == [("email", "bad_email"), ("phone", "too_long"),
                                                      ("website", "bad_website")]
        db.session.rollback()
        assert pages.page_of(org_of(tree, "r1m1s1")) is None


def _pairs(tree, key="r1m1s1"):
    """Two active pairs (teacher–pupil) and one group of two pupils, plus an ended pair."""
    with as_org(tree, key):
        school = tree.ids[key]
        programme = make_programme(school)
        mentors = [make_mentor(school, f"Наставник {i}") for i in range(3)]
        pupils = [make_mentee(school, f"Ученик {i}") for i in range(5)]
        plan = [(mentors[0], [pupils[0]], "active"), (mentors[1], [pupils[1], pupils[2]], "active"),
                (mentors[2], [pupils[3]], "completed")]
        for mentor, mentees, status in plan:
            pair = Mentorship(org_id=school, programme_id=programme.id, form_code="teacher_pupil", mentor_id=mentor.id,
                              status=status, started_on=TODAY, ended_on=TODAY if status != "active" else None)
            pair.members = [MentorshipMentee(org_id=school, participant_id=p.id) for p in mentees]
            db.session.add(pair)
        db.session.commit()


def test_publishing_snapshots_the_programme_as_counts_only(ctx, tree):
    _pairs(tree)
    publish_page(tree)
    with _public(tree):
        page = reading.published_page(tree.ids["r1m1s1"])
        assert (page.pairs_count, page.mentors_count, page.mentees_count) == (2, 2, 3)
        assert page.forms == [{"code": "teacher_pupil", "name": page.forms[0]["name"], "pairs": 2}]
        stored = repr([getattr(page, c.key) for c in sa.inspect(PublicPage).columns])
    assert "Наставник" not in stored and "Ученик" not in stored  # no name is ever copied


def test_the_nightly_refresh_takes_the_counts_again_under_each_schools_scope(ctx, tree):
    from tasks.public import refresh_public_counts

    publish_page(tree)
    publish_page(tree, "r1m1s2", publish=False)
    with _public(tree):
        assert reading.published_page(tree.ids["r1m1s1"]).pairs_count == 0
    _pairs(tree)
    assert refresh_public_counts.apply(args=[TODAY.isoformat()]).get() == 1
    assert refresh_public_counts.apply(args=[TODAY.isoformat()]).get() == 0  # nothing changed the second time
    with _public(tree):
        page = reading.published_page(tree.ids["r1m1s1"])
        assert (page.pairs_count, page.mentees_count, page.counts_on) == (2, 3, TODAY)


def test_bodies_add_up_their_schools_published_figures(ctx, tree):
    _pairs(tree, "r1m1s1")
    _pairs(tree, "r1m1s2")
    publish_page(tree, "r1m1s1")
    publish_page(tree, "r1m1s2", publish=False)
    publish_page(tree, "r1m1")
    with _public(tree):
        totals = reading.totals_below(tree.paths["r1m1"])
        assert (totals.schools, totals.pairs, totals.mentors, totals.mentees) == (1, 2, 2, 3)
        assert [e.id for e in reading.directory_below(org_of(tree, "r1m1"))] == [tree.ids["r1m1s1"]]


def test_the_region_directory_lists_published_pages_only(ctx, tree):
    publish_page(tree, "r1m1s1")
    publish_page(tree, "r1m2")
    publish_page(tree, "r1m2s1", publish=False)
    with _public(tree):
        region = reading.find_region(org_of_slug(tree, "r1"))
        head = reading.region_head(region)
        assert head.page is None  # the ministry has not published its own page
        assert sorted(e.id for e in head.directory) == sorted([tree.ids["r1m1s1"], tree.ids["r1m2"]])
    with _public(tree, "r2m1s1"):
        assert reading.region_head(reading.find_region(org_of_slug(tree, "r2"))) is None  # nothing published


def test_the_fingerprint_changes_with_the_content(ctx, tree):
    publish_page(tree)
    region = reading.find_region(org_of_slug(tree, "r1"))

    def etag():
        with _public(tree):
            org = reading.organisation(org_of_slug(tree, "r1m1s1"))
            value = reading.page_fingerprint(reading.head_of(region, org), "ru")
            db.session.rollback()
            return value

    first = etag()
    assert etag() == first
    news_id = add_news(tree)
    second = etag()
    assert second != first
    with as_org(tree, "r1m1s1"):
        from mentorship.public.news import unpublish_news

        unpublish_news(org_of(tree, "r1m1s1"), db.session.get(NewsItem, news_id))
        db.session.commit()
    assert etag() not in (first, second)
