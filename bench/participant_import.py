"""Import of participants from a CSV file as Russian Excel saves it (cp1251, ';', dd.mm.yyyy):
parse + validate, and the all-or-nothing import task (re-check, then every row written in one
transaction in chunks), at 5,000 and 10,000 rows.

Prints rows per second and peak memory for each size and the 10,000 / 5,000 ratios, so it
shows that time and memory grow linearly (ratio ≈ 2) and not worse. Memory: tracemalloc's
peak of Python allocations during each phase (measured in a second, traced run: tracing slows
Python down, so the timings come from an untraced run), and the process's max RSS so far.

SQLite on a temporary file always; PostgreSQL in a throwaway database created on the server
that DATABASE_URL names (if it is a postgresql:// URL), else on a throwaway server when its
binaries are present.

    .venv/bin/python -m bench.participant_import
"""
from __future__ import annotations

import csv
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import date

import sqlalchemy as sa

SIZES = (5_000, 10_000)
TODAY = date(2026, 11, 22)


def generate_csv(n: int) -> bytes:
    """``n`` valid, distinct rows: pupils (minors, consent by a representative), students,
    teachers in the mentor bank; cp1251 and ';' as Russian Excel writes them."""
    from mentorship.people.imports.reading import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.heading for c in COLUMNS])
    for i in range(n):
        kind = i % 10
        if kind == 0:
            row = {"full_name": f"Педагогова Мария Ивановна {i}", "category": "педагог", "birth_date": "12.03.1985",
                   "class_or_position": "учитель математики", "teaching_since": "01.09.2024",
                   "email": f"t{i}@school.ru", "phone": "+7 900 123-45-67", "consent_on": "01.09.2025",
                   "consent_by": "участник", "bank": "наставник"}
        elif kind == 1:
            row = {"full_name": f"Студентов Пётр Олегович {i}", "category": "студент", "birth_date": "05.06.2005",
                   "class_or_position": "ИС-21", "phone": "89001234567", "consent_on": "2025-09-01",
                   "consent_by": "участник", "bank": "наставляемый", "special_needs": "нет"}
        else:
            row = {"full_name": f"Ученикова Анна Сергеевна {i}", "category": "ученик", "birth_date": "01.05.2012",
                   "class_or_position": "8Б", "special_needs": "да" if i % 17 == 0 else "нет",
                   "representative_name": f"Ученикова Ольга {i}", "representative_phone": "+7 900 000-00-00",
                   "consent_on": "01.09.2025", "consent_by": "представитель", "bank": "наставляемый"}
        writer.writerow([row.get(c.key, "") for c in COLUMNS])
    return out.getvalue().encode("cp1251")


def _fresh_app(url: str):
    from config import TestingConfig
    from core.extensions import db
    from factory import create_app

    app = create_app(TestingConfig(), SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def _round(url: str, data: bytes, n: int, traced: bool) -> dict:
    """One fresh schema: validate the file, then upload + confirm + run the import task's work."""
    from core.extensions import db
    from mentorship.people.imports.batches import create_batch, queue_batch, run_batch, school_facts
    from mentorship.people.imports.reading import validate
    from tenants.context import tenant_scope
    from tenants.models import Organization, User
    from tests.support.factories import build_tree

    app = _fresh_app(url)
    figures: dict = {}
    with app.app_context():
        tree = build_tree()
        org_id, path = tree.ids["r1m1s1"], tree.paths["r1m1s1"]
        with tenant_scope(org_id, path):
            org = db.session.get(Organization, org_id)
            user = db.session.get(User, tree.users["r1m1s1.staff"].id)
            facts = school_facts(org, TODAY)

            if traced:
                tracemalloc.start()
            start = time.perf_counter()
            result = validate("people.csv", data, facts)
            figures["validate_s"] = time.perf_counter() - start
            if traced:
                figures["validate_peak"] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            assert result.valid and len(result.rows) == n, result.errors[:3]
            del result

            batch = create_batch(org, user, "people.csv", data, TODAY)
            queue_batch(batch)
            db.session.commit()
            batch_id = batch.id
            db.session.expunge_all()

            if traced:
                tracemalloc.start()
            start = time.perf_counter()
            outcome = run_batch(batch_id, TODAY)
            figures["run_s"] = time.perf_counter() - start
            if traced:
                figures["run_peak"] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            assert (outcome.status, outcome.imported) == ("done", n), outcome
        db.session.remove()
        db.engine.dispose()
    return figures


def _measure(label: str, url_for_round) -> None:
    rows = {}
    for n in SIZES:
        data = generate_csv(n)
        timed = _round(url_for_round(), data, n, traced=False)
        traced = _round(url_for_round(), data, n, traced=True)
        rows[n] = {**timed, "validate_peak": traced["validate_peak"], "run_peak": traced["run_peak"],
                   "bytes": len(data)}
        f = rows[n]
        write_s = max(f["run_s"] - f["validate_s"], 1e-9)  # the task re-checks the file, then writes
        maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{label:<10} {n:>6} rows ({f['bytes'] / 1e6:.1f} MB): "
              f"parse+validate {n / f['validate_s']:>8,.0f} rows/s ({f['validate_s']:.2f} s), "
              f"import task {n / f['run_s']:>7,.0f} rows/s ({f['run_s']:.2f} s; write ≈ {n / write_s:,.0f} rows/s), "
              f"peak memory validate {f['validate_peak'] / 2**20:.1f} MiB, import {f['run_peak'] / 2**20:.1f} MiB, "
              f"max RSS so far {maxrss_mb:.0f} MiB")
    small, large = rows[SIZES[0]], rows[SIZES[1]]
    print(f"{label:<10} {SIZES[1]:,} / {SIZES[0]:,} rows: time validate {large['validate_s'] / small['validate_s']:.2f}x, "
          f"import {large['run_s'] / small['run_s']:.2f}x; peak memory validate "
          f"{large['validate_peak'] / small['validate_peak']:.2f}x, import {large['run_peak'] / small['run_peak']:.2f}x")


def _postgres():
    """(url factory, cleanup) for PostgreSQL, or None."""
    server_url = os.environ.get("DATABASE_URL", "")
    server = None
    if not server_url.startswith("postgresql"):
        from tests.support.services import ServiceUnavailable, start_postgres

        try:
            server = start_postgres()
        except ServiceUnavailable as exc:
            print(f"postgresql skipped: {exc}")
            return None
        server_url = server.url
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    made: list[str] = []

    def fresh() -> str:
        name = f"bench_import_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)

    def cleanup() -> None:
        with admin.connect() as conn:
            for name in made:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        if server is not None:
            server.stop()

    return fresh, cleanup


def main() -> None:
    print(f"participant import: CSV cp1251 ';', sizes {', '.join(f'{n:,}' for n in SIZES)}; "
          f"python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(100))
        _measure("sqlite", lambda: f"sqlite:///{tmp}/bench-{next(counter)}.sqlite")
    postgres = _postgres()
    if postgres is not None:
        fresh, cleanup = postgres
        try:
            _measure("postgresql", fresh)
        finally:
            cleanup()


if __name__ == "__main__":
    main()
