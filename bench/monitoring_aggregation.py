"""The monitoring aggregation at region scale, on PostgreSQL: prints figures, asserts nothing.

Generates two synthetic regions in one database — full size (default 2,000 schools and
1,000,000 participants) and half size — and for each measures, in the same run:

* the aggregation (mentorship.monitoring.aggregation.aggregate_period: per indicator one INSERT … SELECT
  over the region's schools, roll-ups, freeze), run in a fresh worker-like subprocess, so
  its wall time and peak memory (ru_maxrss above the process's baseline after start-up, and
  tracemalloc's Python peak) are its own;
* a hand-written single-pass SQL reference computing the same numbers (one statement over
  the region, ages via PostgreSQL's age(); plus one GROUP BY for the pairs and groups per
  school and form, which the aggregation also writes; roll-ups summed in Python), timed in
  this process;
* that the two agree on every numerator and denominator of every school, municipal body and
  the region. Targets: aggregation ≤ 2× the reference; full / half ≤ 2.2×; memory flat.

Usage: ``python -m bench.monitoring_aggregation [--schools 2000] [--participants 1000000]
[--repeats 3]``; DATABASE_URL names a scratch PostgreSQL database (tables are created if
missing, regions are added), else a throwaway server is started.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date

import sqlalchemy as sa

REF = date(2026, 12, 20)
SEED = 2026

REFERENCE_SQL = """
WITH active AS (
    SELECT m.id, m.mentor_id FROM mentorships m
    WHERE m.org_path >= :low AND m.org_path < :high
      AND m.started_on <= :ref AND (m.ended_on IS NULL OR m.ended_on >= :jan1)
), mentees AS (
    SELECT DISTINCT mm.participant_id AS id FROM mentorship_mentees mm JOIN active a ON a.id = mm.mentorship_id
), mentors AS (
    SELECT DISTINCT mentor_id AS id FROM active
), people AS (
    SELECT p.org_id,
        count(*) FILTER (WHERE me.id IS NOT NULL AND p.category IN ('pupil', 'student')
                         AND date_part('year', age(:ref, coalesce(p.birth_date, make_date(p.birth_year, 7, 1))))
                             BETWEEN 10 AND 19) AS n1,
        count(*) FILTER (WHERE mo.id IS NOT NULL AND p.category IN ('pupil', 'student')
                         AND date_part('year', age(:ref, coalesce(p.birth_date, make_date(p.birth_year, 7, 1))))
                             BETWEEN 15 AND 19) AS n2,
        count(*) FILTER (WHERE me.id IS NOT NULL AND p.category = 'teacher' AND p.teaching_since <= :ref
                         AND date_part('year', age(:ref, p.teaching_since)) <= 3) AS n3,
        count(DISTINCT p.enterprise_id) FILTER (WHERE mo.id IS NOT NULL AND p.category = 'employer') AS n4
    FROM participants p
    LEFT JOIN mentees me ON me.id = p.id
    LEFT JOIN mentors mo ON mo.id = p.id
    WHERE p.org_path >= :low AND p.org_path < :high AND (me.id IS NOT NULL OR mo.id IS NOT NULL)
    GROUP BY p.org_id
), cont AS (
    SELECT DISTINCT ON (org_id) org_id, pupils_10_19, pupils_15_19, young_specialists
    FROM contingent_records
    WHERE org_path >= :low AND org_path < :high AND school_year = :school_year
    ORDER BY org_id, id DESC
), ent AS (
    SELECT org_id, count(*) AS n FROM enterprises WHERE org_path >= :low AND org_path < :high GROUP BY org_id
)
SELECT s.id, s.parent_id,
    coalesce(p.n1, 0), coalesce(c.pupils_10_19, 0),
    coalesce(p.n2, 0), coalesce(c.pupils_15_19, 0),
    coalesce(p.n3, 0), coalesce(c.young_specialists, 0),
    coalesce(p.n4, 0), coalesce(e.n, 0)
FROM organizations s
LEFT JOIN people p ON p.org_id = s.id
LEFT JOIN cont c ON c.org_id = s.id
LEFT JOIN ent e ON e.org_id = s.id
WHERE s.kind = 'school' AND s.path >= :low AND s.path < :high
"""
BY_FORM_SQL = """
SELECT m.org_id, substr('pairs_by_form:' || m.form_code, 1, 40), count(*) FROM mentorships m
WHERE m.org_path >= :low AND m.org_path < :high
  AND m.started_on <= :ref AND (m.ended_on IS NULL OR m.ended_on >= :jan1)
GROUP BY 1, 2
"""
CODES = ("mentees_10_19", "mentors_15_19", "young_specialists", "enterprises")
FIGURES = ("children_10_19", "children_15_19", "young_specialists", "enterprises")


def _app(url: str):
    from config import TestingConfig
    from factory import create_app

    return create_app(TestingConfig(), SQLALCHEMY_DATABASE_URI=url)


def reference(region_id: int, region_path: str) -> dict[tuple[int, str], tuple[int, int]]:
    """The hand-written computation: one SQL pass per region, roll-ups summed in Python."""
    from core.extensions import db
    from mentorship.monitoring.facts import school_year_of, years_before  # noqa: F401
    from tenants.scoping import subtree_bounds

    low, high = subtree_bounds(region_path)
    params = {"low": low, "high": high, "ref": REF, "jan1": date(REF.year, 1, 1),
              "school_year": REF.year if REF.month >= 9 else REF.year - 1}
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text(REFERENCE_SQL), params).all()
        by_form = conn.execute(sa.text(BY_FORM_SQL), params).all()
        figure = conn.execute(sa.text(
            "SELECT children_10_19, children_15_19, young_specialists, enterprises FROM region_figures "
            "WHERE org_id = :region AND year = :year"), {"region": region_id, "year": REF.year}).first()
        munis = conn.execute(sa.text("SELECT id FROM organizations WHERE parent_id = :region"),
                             {"region": region_id}).scalars().all()
    result: dict[tuple[int, str], tuple[int, int]] = {}
    sums: dict[tuple[int, str], list[int]] = {(m, c): [0, 0] for m in munis for c in CODES}
    for school_id, muni_id, *figures in rows:
        for i, code in enumerate(CODES):
            num, den = figures[2 * i], figures[2 * i + 1]
            result[(school_id, code)] = (num, den)
            sums[(muni_id, code)][0] += num
            sums[(muni_id, code)][1] += den
    for i, code in enumerate(CODES):
        num = sum(v[0] for (m, c), v in sums.items() if c == code)
        den = sum(v[1] for (m, c), v in sums.items() if c == code)
        if figure is not None and figure[i] is not None:
            den = figure[i]
        result[(region_id, code)] = (num, den)
    result.update({key: tuple(value) for key, value in sums.items()})
    # pairs and groups per form: a count (denominator 0), summed to the bodies and the region
    parent = {school_id: muni_id for school_id, muni_id, *_ in rows}
    counts: dict[tuple[int, str], int] = {}
    for school_id, code, n in by_form:
        if school_id in parent:
            for org in (school_id, parent[school_id], region_id):
                counts[(org, code)] = counts.get((org, code), 0) + n
    result.update({key: (n, 0) for key, n in counts.items()})
    return result


def snapshots(period_id: int) -> dict[tuple[int, str], tuple[int, int]]:
    from core.extensions import db

    with db.engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT org_id, indicator_code, numerator, denominator FROM metric_snapshots WHERE period_id = :p"),
            {"p": period_id}).all()
    return {(org, code): (num, den) for org, code, num, den in rows}


def worker(url: str, period_id: int) -> None:
    """Subprocess entry: aggregate one period and report time and memory as JSON."""
    import tracemalloc

    app = _app(url)
    with app.app_context():
        from core.extensions import db
        from mentorship.monitoring.aggregation import aggregate_period

        db.session.execute(sa.text("SELECT 1"))
        db.session.remove()
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        started = time.perf_counter()
        computed = aggregate_period(period_id)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"computed": computed, "seconds": seconds, "baseline_kb": baseline, "maxrss_kb": maxrss,
                      "python_peak_kb": peak // 1024}))


def _run_worker(url: str, period_id: int) -> dict:
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    out = subprocess.run([sys.executable, "-m", "bench.monitoring_aggregation", "--worker", url, str(period_id)],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _unfreeze(period_id: int) -> None:
    from core.extensions import db

    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE monitoring_periods SET status = 'pending' WHERE id = :p"), {"p": period_id})


def _measure(app, url: str, label: str, region, repeats: int) -> dict:
    from core.extensions import db
    from tests.support.monitoring import make_period

    with app.app_context():
        period_id = make_period(region.ministry_id, REF)
        reference(region.ministry_id, region.ministry_path)  # warm the cache for both
        ref_times, agg_runs = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            expected = reference(region.ministry_id, region.ministry_path)
            ref_times.append(time.perf_counter() - started)
            _unfreeze(period_id)
            run = _run_worker(url, period_id)
            assert run["computed"]
            agg_runs.append(run)
        got = snapshots(period_id)
        db.session.remove()
    agg = statistics.median(r["seconds"] for r in agg_runs)
    refs = statistics.median(ref_times)
    equal = got == expected
    mismatches = [k for k in expected if got.get(k) != expected[k]][:5]
    rss = max(r["maxrss_kb"] - r["baseline_kb"] for r in agg_runs)
    py_peak = max(r["python_peak_kb"] for r in agg_runs)
    print(f"{label:<5} aggregation {agg:7.2f} s   reference {refs:7.2f} s   ratio {agg / refs:5.2f}x   "
          f"rows {len(got):>6}   equal numbers: {equal}{'' if equal else f' (e.g. {mismatches})'}")
    print(f"{label:<5} worker memory: peak RSS {max(r['maxrss_kb'] for r in agg_runs) / 1024:.0f} MB, "
          f"+{rss / 1024:.1f} MB over its start-up; Python peak (tracemalloc) {py_peak / 1024:.1f} MB")
    return {"aggregation": agg, "reference": refs, "rss_delta_kb": rss, "python_peak_kb": py_peak}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--worker", nargs=2, metavar=("URL", "PERIOD_ID"))
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return

    server = None
    url = os.environ.get("DATABASE_URL")
    if not url:
        from tests.support.services import start_postgres

        server = start_postgres()
        url = server.url
    try:
        app = _app(url)
        from core.extensions import db
        from demo.synthetic_region import generate

        with app.app_context():
            db.create_all()
            regions = {}
            for label, factor in (("full", 1), ("half", 2)):
                started = time.perf_counter()
                regions[label] = generate(schools=args.schools // factor, participants=args.participants // factor,
                                          seed=SEED + factor, as_of=REF, name=f"Bench {label} {time.time_ns()}")
                counts = regions[label].counts
                print(f"generated {label}: {regions[label].schools} schools, {counts.get('participants', 0):,} "
                      f"participants, {counts.get('mentorships', 0):,} pairs, "
                      f"{counts.get('mentorship_mentees', 0):,} mentee places in {time.perf_counter() - started:.1f} s")
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
            db.session.remove()
        print(f"monitoring aggregation on PostgreSQL, reference date {REF}, median of {args.repeats}")
        full = _measure(app, url, "full", regions["full"], args.repeats)
        half = _measure(app, url, "half", regions["half"], args.repeats)
        print(f"scaling full / half: aggregation {full['aggregation'] / half['aggregation']:.2f}x, "
              f"reference {full['reference'] / half['reference']:.2f}x; worker RSS growth full "
              f"{full['rss_delta_kb'] / 1024:.1f} MB vs half {half['rss_delta_kb'] / 1024:.1f} MB")
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
