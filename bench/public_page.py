"""A school's public page in a region of 10 and of 2,000 schools: the same number of SQL
statements whatever the region's size (asserted), and a conditional GET with its ETag answered
304 (asserted, with its own statement count).

Each region is a synthetic one (demo/synthetic_region.py, five participants a school) whose
schools all publish their pages (counts only); the measured school also publishes news, a
document, a best practice and a mentor's card on its board of honour, and its municipal body a
contest with the school's mentor among the winners. An anonymous client reads the page as a
visitor would (no session). Runs on SQLite and, when its binaries are present, on a throwaway
PostgreSQL (tests/support/services.py), or on DATABASE_URL.

Usage: ``python -m bench.public_page [--schools 2000] [--repeats 10]``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy import event

AS_OF = date(2026, 12, 20)


@dataclass(frozen=True)
class BenchRegion:
    schools: int
    url: str  # the measured school's public page
    region_url: str


class QueryCounter:
    """Counts the statements sent to the database while active."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def _count(self, *args, **kwargs):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


def build_region(schools: int, seed: int) -> BenchRegion:
    """A synthetic region whose every school has a published page; the first school has news,
    a document, a practice, a card and a contest result. Returns its public addresses."""
    from core.extensions import db
    from demo.synthetic_region import generate
    from mentorship.people.models import Consent, Participant
    from mentorship.people.publication import give_publication_consent
    from mentorship.public import documents, news, pages, practices
    from mentorship.public.models import PublicPage
    from mentorship.public.news import NewsFields
    from mentorship.public.practices import PracticeFields
    from mentorship.recognition import board
    from mentorship.recognition.models import Contest, ContestResultEntry
    from tenants.context import tenant_scope, unscoped
    from tenants.models import Organization
    from tests.support.school import PDF

    stamp = time.time_ns()
    now = datetime.now(UTC)
    region = generate(schools=schools, participants=5 * schools, seed=seed, as_of=AS_OF,
                      name=f"Bench public {seed}-{schools}-{stamp}")
    orgs = Organization.__table__
    with unscoped("bench.public_page"):
        low, high = region.ministry_path, region.ministry_path[:-1] + "0"
        in_region = sa.and_(orgs.c.path >= low, orgs.c.path < high)
        db.session.execute(orgs.update().where(in_region, orgs.c.slug.is_(None))
                           .values(slug=sa.literal(f"bench-{stamp}-") + sa.cast(orgs.c.id, sa.String)))
        rows = db.session.execute(sa.select(orgs.c.id, orgs.c.path, orgs.c.kind).where(in_region, orgs.c.kind != "ministry")
                                  .order_by(orgs.c.id)).all()
        db.session.execute(PublicPage.__table__.insert(), [
            {"org_id": r.id, "org_path": r.path, "is_public": True, "version": 1, "pairs_count": 2, "mentors_count": 2,
             "mentees_count": 3, "forms": [], "intro": "Наставничество", "created_at": now, "updated_at": now}
            for r in rows if r.kind == "school"])
        db.session.commit()
        school_id, school_path = next((r.id, r.path) for r in rows if r.kind == "school")
        body_id = db.session.get(Organization, school_id).parent_id
        school_slug = db.session.get(Organization, school_id).slug
        ministry_slug = db.session.get(Organization, region.ministry_id).slug
    with tenant_scope(school_id, school_path):
        school = db.session.get(Organization, school_id)
        for i in range(3):
            item = news.save_news(school, None, NewsFields(title=f"Новость {i}", text="Текст **новости**.",
                                                           published_on=AS_OF), None)
            news.publish_news(school, item)
        document = documents.upload_document(school, title="Положение", category="regulation",
                                             file=("polozhenie.pdf", PDF), user=None)
        documents.publish_document(school, document)
        practices.set_practice_public(school, practices.save_practice(
            school, None, PracticeFields("Практика", "Кратко", "Текст")), True)
        mentor = db.session.scalar(sa.select(Participant).where(Participant.category == "teacher").limit(1))
        mentor.birth_date = date(1980, 1, 1)
        db.session.add(Consent(org_id=school_id, participant_id=mentor.id, given_by="participant",
                               purpose="участие в программе наставничества", policy_version="1.0",
                               given_on=date(2024, 9, 1)))
        db.session.flush()
        give_publication_consent(mentor, given_on=AS_OF, scope_note="ФИО, должность", by_user_id=None, today=AS_OF)
        card = board.create_card(mentor, board.CardData(display_name="Наставник Бенчмарка", position="учитель"),
                                 org=school, today=AS_OF)
        board.publish_card(card, org=school, today=AS_OF)
        pages.save_page(school, pages.PageFields(intro="Наставничество в школе."))
        db.session.commit()
        mentor_id = mentor.id
    with unscoped("bench.public_page"):
        contest = Contest(org_id=body_id, title="Лучший наставник", status="published", aggregation="sum",
                          nominations_open_on=date(2026, 9, 1), nominations_close_on=date(2026, 9, 30),
                          judging_until=date(2026, 10, 15), results_on=date(2026, 10, 20), is_public=True)
        db.session.add(contest)
        db.session.flush()
        db.session.add(ContestResultEntry(org_id=body_id, contest_id=contest.id, participant_id=mentor_id,
                                          school_id=school_id, display_name="Наставник Бенчмарка",
                                          school_name="Школа № 1", nomination="Лучший педагог-наставник", place=1,
                                          score=95, is_public=True))
        db.session.commit()
        db.session.remove()
    return BenchRegion(schools, f"/p/{ministry_slug}/{school_slug}/", f"/p/{ministry_slug}/")


def measure(app, url: str, repeats: int) -> tuple[int, float, int, str]:
    """(statements of one GET, median time in ms, bytes, its ETag) of an anonymous visit."""
    from core.extensions import db

    client = app.test_client()
    client.get(url)  # warm the statement caches
    with app.app_context():
        engine = db.engine
    times, counts, size, etag = [], set(), 0, ""
    for _ in range(repeats):
        with QueryCounter(engine) as counter:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        assert "Set-Cookie" not in response.headers
        counts.add(counter.count)
        size, etag = len(response.data), response.headers["ETag"]
    assert len(counts) == 1, f"the query count varies between requests: {counts}"
    return counts.pop(), statistics.median(times), size, etag


def conditional(app, url: str, etag: str) -> tuple[int, int]:
    """(status, statements) of a GET with ``If-None-Match: etag``."""
    from core.extensions import db

    with app.app_context():
        engine = db.engine
    client = app.test_client()
    with QueryCounter(engine) as counter:
        response = client.get(url, headers={"If-None-Match": etag})
    return response.status_code, counter.count


def _run(label: str, url: str, sizes: list[int], repeats: int) -> None:
    from config import TestingConfig
    from core.extensions import db
    from factory import create_app

    app = create_app(TestingConfig(), SQLALCHEMY_DATABASE_URI=url, SERVER_NAME="nastavnik.test")
    with app.app_context():
        db.create_all()
        regions = {}
        for i, schools in enumerate(sizes):
            started = time.perf_counter()
            regions[schools] = build_region(schools, seed=300 + i)
            print(f"{label}: region of {schools:,} schools built in {time.perf_counter() - started:.1f} s")
    results = {}
    for schools, region in regions.items():
        queries, ms, size, etag = measure(app, region.url, repeats)
        status, conditional_queries = conditional(app, region.url, etag)
        region_queries = measure(app, region.region_url, 1)[0]
        results[schools] = (queries, ms, size, status, conditional_queries, region_queries)
        print(f"{label}: school page at {schools:>5,} schools: {queries} queries, {ms:.1f} ms (median of {repeats}), "
              f"{size / 1024:.0f} KiB; conditional GET with its ETag: {status}, {conditional_queries} queries; "
              f"region page: {region_queries} queries")
    small, large = results[sizes[0]], results[sizes[-1]]
    print(f"{label}: query counts {small[0]} / {large[0]} (ratio {large[0] / small[0]:.2f}), "
          f"render time {sizes[-1]:,} / {sizes[0]:,} schools: {large[1] / small[1]:.2f}x")
    assert small[0] == large[0], f"{label}: the school page's query count grows with the region: {small[0]} → {large[0]}"
    assert small[5] == large[5], f"{label}: the region page's query count grows: {small[5]} → {large[5]}"
    assert small[3] == large[3] == 304, f"{label}: a conditional GET with the page's ETag was not answered 304"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args(argv)
    sizes = [10, args.schools]
    _run("SQLite", "sqlite://", sizes, args.repeats)
    if args.sqlite_only:
        return
    url, server = os.environ.get("DATABASE_URL"), None
    if not url:
        from tests.support.services import ServiceUnavailable, start_postgres

        try:
            server = start_postgres()
            url = server.url
        except ServiceUnavailable as exc:
            print(f"PostgreSQL: not run ({exc})")
            return
    try:
        _run("PostgreSQL", url, sizes, args.repeats)
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
