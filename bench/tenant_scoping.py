"""The cost of automatic tenant scoping: the same reads through the scoped ORM and as
hand-written queries with the filter spelled out, over a region of 1,000 schools.

Prints ratios (scoped / hand-written), measured in one run, on SQLite and, when its
binaries are present, on a throwaway PostgreSQL. Budget: within 2.5× on SQLite, whose
sub-millisecond queries make the fixed Python cost dominate, and within 2× on PostgreSQL. The
scoped path adds the criteria options (one per visibility kind), a cached statement analysis
(tenant tables the criteria cannot reach are refused) and an index range on the
materialised path instead of an equality on org_id. Seen on this machine's kind: SQLite
1.6–2.2× for a page, 1.1–1.3× for a region count; PostgreSQL 1.2–1.9× and 1.0–1.3×.
"""
from __future__ import annotations

import statistics
import time

import sqlalchemy as sa

SCHOOLS_PER_MUNICIPALITY = 50
MUNICIPALITIES = 20
MEMBERS_PER_SCHOOL = 5
REPEATS = 40


def _build(app):
    from core.extensions import db
    from tenants.context import unscoped
    from tenants.models import Membership, User
    from tenants.roles import OrgKind
    from tenants.tree import create_organization

    with app.app_context(), unscoped("bench.build"):
        db.drop_all()
        db.create_all()
        ministry = create_organization(kind=OrgKind.MINISTRY, name="Bench ministry", parent=None)
        schools = []
        for m in range(MUNICIPALITIES):
            muni = create_organization(kind=OrgKind.MUNICIPALITY, name=f"Muni {m}", parent=ministry)
            for s in range(SCHOOLS_PER_MUNICIPALITY):
                schools.append(create_organization(kind=OrgKind.SCHOOL, name=f"School {m}.{s}", parent=muni, school_type="school"))
        db.session.commit()
        users = [{"email": f"u{i}@bench.ru", "full_name": f"User {i}", "is_active": True, "is_superadmin": False,
                  "session_version": 1} for i in range(len(schools) * MEMBERS_PER_SCHOOL)]
        db.session.execute(sa.insert(User), users)
        user_ids = db.session.scalars(sa.select(User.id).order_by(User.id)).all()
        rows = []
        for i, school in enumerate(schools):
            for j in range(MEMBERS_PER_SCHOOL):
                rows.append({"user_id": user_ids[i * MEMBERS_PER_SCHOOL + j], "org_id": school.id,
                             "org_path": school.path, "role": "school_curator", "is_active": True})
        db.session.execute(sa.insert(Membership), rows)
        db.session.commit()
        picked = schools[len(schools) // 2]
        return (picked.id, picked.path), (ministry.id, ministry.path)


def _median(fn) -> float:
    fn()  # warm caches
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _measure(app, school, ministry) -> dict[str, float]:
    from core.extensions import db
    from tenants.context import tenant_scope, unscoped
    from tenants.models import Membership

    def scoped_school_page():
        with tenant_scope(*school):
            db.paginate(sa.select(Membership).order_by(Membership.id), page=1, per_page=20, error_out=False).items
        db.session.remove()

    def manual_school_page():
        with unscoped("bench.manual"):
            db.paginate(sa.select(Membership).where(Membership.org_id == school[0]).order_by(Membership.id),
                        page=1, per_page=20, error_out=False).items
        db.session.remove()

    def scoped_region_count():
        with tenant_scope(*ministry):
            db.session.scalar(sa.select(sa.func.count(Membership.id)))
        db.session.remove()

    def manual_region_count():
        with unscoped("bench.manual"):
            db.session.scalar(sa.select(sa.func.count(Membership.id)).where(Membership.org_path >= ministry[1], Membership.org_path < ministry[1][:-1] + "0"))
        db.session.remove()

    with app.app_context():
        return {
            "school page (20 of its members)": _median(scoped_school_page) / _median(manual_school_page),
            "region count (all members)": _median(scoped_region_count) / _median(manual_region_count),
        }


def _run(label: str, url: str) -> None:
    from config import TestingConfig
    from factory import create_app

    app = create_app(TestingConfig(), SQLALCHEMY_DATABASE_URI=url)
    school, ministry = _build(app)
    for name, ratio in _measure(app, school, ministry).items():
        print(f"{label:<11} {name:<34} scoped / hand-written = {ratio:.2f}x")


def main() -> None:
    from tests.support.services import ServiceUnavailable, start_postgres

    schools = SCHOOLS_PER_MUNICIPALITY * MUNICIPALITIES
    print(f"tenant scoping overhead: {schools} schools, {schools * MEMBERS_PER_SCHOOL} memberships, median of {REPEATS}")
    _run("sqlite", "sqlite://")
    try:
        server = start_postgres()
    except ServiceUnavailable as exc:
        print(f"postgresql  skipped: {exc}")
        return
    try:
        _run("postgresql", server.url)
    finally:
        server.stop()
