"""The monitoring aggregation (DESIGN §5): the counting rules, roll-ups as sums, the region's
reference figures, idempotency and concurrency, the calendar and the tick, unfreezing."""
from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.monitoring import aggregation as monitoring
from mentorship.monitoring.aggregation import MonitoringError, aggregate_period, snapshot_rows, unfreeze
from mentorship.monitoring.facts import by_form_code, years_before
from mentorship.monitoring.models import Indicator, MetricSnapshot, MonitoringPeriod, RegionFigure
from mentorship.monitoring.periods import due_periods
from mentorship.region.calendar import calendar_problems, latest_reference_date
from mentorship.region.models import RegionSettings
from mentorship.region.settings import default_settings
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent, User
from tests.support.monitoring import SchoolFacts, make_period

pytestmark = pytest.mark.backends("sqlite", "postgresql")

REF = date(2026, 12, 20)


def _snapshots(period_id: int) -> dict[tuple[int, str], tuple[int, int, float | None]]:
    with unscoped("tests.monitoring"):
        rows = snapshot_rows(period_id)
        db.session.remove()
    return {(org, code): (num, den, value) for org, code, num, den, value in rows}


def _figure(period_id, tree, key, code):
    return _snapshots(period_id)[(tree.ids[key], code)]


def _aggregate(tree, ref=REF, region="r1") -> int:
    period_id = make_period(tree.ids[region], ref)
    assert aggregate_period(period_id) is True
    return period_id


# -- counting rules ------------------------------------------------------------------------

def test_ages_are_taken_at_the_reference_date(ctx, tree):
    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2026, pupils_10_19=100, pupils_15_19=50)
        teacher = s.teacher()
        mentees = [
            s.pupil(years_before(REF, 10)),                      # 10 today: counts
            s.pupil(date(2016, 12, 21)),                         # 10 tomorrow: 9 now
            s.pupil(date(2006, 12, 21)),                         # 19, 20 tomorrow: counts
            s.pupil(years_before(REF, 20)),                      # 20 today: too old
            s.person("student", born=date(2008, 1, 1)),          # a student of 18: counts
        ]
        s.pair(teacher, mentees)
        # Pupil mentors aged 15–19: 15 today counts, 14 does not, 20 does not.
        for born in (years_before(REF, 15), date(2011, 12, 21), years_before(REF, 20), date(2007, 6, 1)):
            s.pair(s.pupil(born), [s.pupil(date(2014, 1, 1))], form="pupil_pupil")
    period = _aggregate(tree)
    assert _figure(period, tree, "r1m1s1", "mentees_10_19") == (3 + 4, 100, 7.0)  # + the 4 pupil mentees aged 12
    assert _figure(period, tree, "r1m1s1", "mentors_15_19") == (2, 50, 4.0)


def test_birth_year_only_counts_as_born_on_1_july(ctx, tree):
    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2026, pupils_10_19=10)
        teacher = s.teacher()
        # Anonymised: 2016 → 10 on 1 July 2016+10 ≤ 20.12.2026: counts; 2006 → 20 by July 2026: not.
        s.pair(teacher, [s.person("pupil", birth_year=2016), s.person("pupil", birth_year=2006),
                         s.person("pupil", birth_year=2007)])
    period = _aggregate(tree)
    assert _figure(period, tree, "r1m1s1", "mentees_10_19")[0] == 2


def test_experience_of_young_specialists(ctx, tree):
    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2026, teachers=20, young_specialists=8)
        mentor = s.teacher()
        young = [
            s.teacher(years_before(REF, 3)),      # exactly 3 full years: counts
            s.teacher(date(2022, 12, 21)),        # 3 years and 364 days: counts
            s.teacher(years_before(REF, 4)),      # exactly 4 years: does not
            s.teacher(REF),                       # starts today (0 years): counts
            s.teacher(date(2026, 12, 21)),        # not yet teaching: does not
            s.teacher(None),                      # unknown: does not
        ]
        s.pair(mentor, young, form="teacher_teacher")
    period = _aggregate(tree)
    assert _figure(period, tree, "r1m1s1", "young_specialists") == (3, 8, 37.5)


def test_a_person_counts_once_however_many_pairs(ctx, tree):
    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2026, pupils_10_19=10, pupils_15_19=10)
        mentee = s.pupil(date(2012, 3, 1))
        mentor = s.pupil(date(2009, 3, 1))
        s.pair(mentor, [mentee], form="pupil_pupil")
        s.pair(mentor, [mentee, s.pupil(date(2012, 4, 1))], form="pupil_pupil")
        s.pair(s.teacher(), [mentee])
    period = _aggregate(tree)
    assert _figure(period, tree, "r1m1s1", "mentees_10_19") == (2, 10, 20.0)
    assert _figure(period, tree, "r1m1s1", "mentors_15_19") == (1, 10, 10.0)


def test_the_year_window(ctx, tree):
    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2026, pupils_10_19=10)
        teacher = s.teacher()
        s.pair(teacher, [s.pupil(date(2012, 1, 1))], started=date(2025, 9, 1), ended=date(2025, 12, 31))  # no
        s.pair(teacher, [s.pupil(date(2012, 1, 2))], started=date(2025, 9, 1), ended=date(2026, 1, 1))  # yes
        s.pair(teacher, [s.pupil(date(2012, 1, 3))], started=date(2024, 9, 1))  # still active: yes
        s.pair(teacher, [s.pupil(date(2012, 1, 4))], started=REF)  # starts on the date: yes
        s.pair(teacher, [s.pupil(date(2012, 1, 5))], started=date(2026, 12, 21))  # after it: no
    period = _aggregate(tree)
    assert _figure(period, tree, "r1m1s1", "mentees_10_19")[0] == 3


def test_enterprises_that_provided_mentors(ctx, tree):
    with SchoolFacts(tree, "r1m1s1") as s:
        plant, farm, idle = s.enterprise("Завод"), s.enterprise("Ферма"), s.enterprise("Склад")
        for enterprise in (plant, plant, farm):
            s.pair(s.employer(enterprise), [s.pupil(date(2010, 5, 5))], form="employer_pupil")
        s.pair(s.employer(idle), [s.pupil(date(2010, 5, 5))], started=date(2025, 1, 1), ended=date(2025, 6, 1),
               form="employer_pupil")
    period = _aggregate(tree)
    assert _figure(period, tree, "r1m1s1", "enterprises") == (2, 3, 66.67)


def test_denominators_from_the_latest_contingent_of_the_school_year(ctx, tree):
    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2025, pupils_10_19=999)
        s.contingent(2026, pupils_10_19=40)
        s.contingent(2026, pupils_10_19=50)  # a correction: the latest record is current
        s.contingent(2027, pupils_10_19=777)
        s.pair(s.teacher(), [s.pupil(date(2013, 1, 1))], started=date(2026, 9, 1))
    december = _aggregate(tree, date(2026, 12, 20))
    june = _aggregate(tree, date(2027, 6, 20))  # still school year 2026/27
    assert _figure(december, tree, "r1m1s1", "mentees_10_19") == (1, 50, 2.0)
    assert _figure(june, tree, "r1m1s1", "mentees_10_19") == (1, 50, 2.0)


def test_roll_ups_are_sums_not_means_and_the_region_uses_its_figures(ctx, tree):
    with SchoolFacts(tree, "r1m1s1") as s:  # 1 of 10: 10 %
        s.contingent(2026, pupils_10_19=10, pupils_15_19=5)
        s.pair(s.teacher(), [s.pupil(date(2012, 2, 2))])
    with SchoolFacts(tree, "r1m1s2") as s:  # 10 of 200: 5 %
        s.contingent(2026, pupils_10_19=200, pupils_15_19=80)
        teacher = s.teacher()
        s.pair(teacher, [s.pupil(date(2012, 2, 2)) for _ in range(10)])
    with SchoolFacts(tree, "r1m2s1") as s:  # another municipal body: 3 of 90
        s.contingent(2026, pupils_10_19=90)
        s.pair(s.teacher(), [s.pupil(date(2011, 2, 2)) for _ in range(3)])
    with SchoolFacts(tree, "r2m1s1") as s:  # another region: never counted in r1
        s.contingent(2026, pupils_10_19=1)
        s.pair(s.teacher(), [s.pupil(date(2011, 2, 2))])
    with unscoped("tests.figures"):
        db.session.add(RegionFigure(org_id=tree.ids["r1"], year=2026, children_10_19=1400, enterprises=None))
        db.session.commit()
    period = _aggregate(tree)
    assert _figure(period, tree, "r1m1", "mentees_10_19") == (11, 210, 5.24)  # not (10 + 5) / 2
    assert _figure(period, tree, "r1m2", "mentees_10_19") == (3, 90, 3.33)
    assert _figure(period, tree, "r1", "mentees_10_19") == (14, 1400, 1.0)  # the region's own figure
    assert _figure(period, tree, "r1", "mentors_15_19") == (0, 85, 0.0)  # no figure: the sum
    assert _figure(period, tree, "r1", "enterprises") == (0, 0, None)  # nothing to divide by
    rows = _snapshots(period)
    assert not any(org in (tree.ids["r2"], tree.ids["r2m1s1"]) for org, _code in rows)
    # every school, municipal body and the region, for each of the four indicators; and the
    # pairs by form (one form here) of the three schools with pairs, both bodies and the region
    assert len(rows) == (4 + 2 + 1) * 4 + (3 + 2 + 1)


def test_a_share_over_100_percent_is_kept_as_counted(ctx, tree):
    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2026, pupils_10_19=1)
        s.pair(s.teacher(), [s.pupil(date(2012, 2, 2)), s.pupil(date(2012, 2, 3))])
    period = _aggregate(tree)
    assert _figure(period, tree, "r1m1s1", "mentees_10_19") == (2, 1, 200.0)


def test_the_regions_own_indicators(ctx, tree):
    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2026, teachers=8)
        teacher = s.teacher()
        s.pair(teacher, [s.pupil(date(2012, 2, 2))])
        s.pair(teacher, [s.pupil(date(2012, 2, 3))])
    with unscoped("tests.indicators"):
        db.session.add_all([
            Indicator(org_id=tree.ids["r1"], code="pairs_per_teacher", name="Пары на учителя", kind="custom",
                      numerator_fact="pairs", denominator_fact="teachers", position=1),
            Indicator(org_id=tree.ids["r1"], code="old", name="Выведен", kind="custom", numerator_fact="mentors",
                      denominator_fact="teachers", position=2, retired=True),
        ])
        db.session.commit()
    period = _aggregate(tree)
    assert _figure(period, tree, "r1m1s1", "pairs_per_teacher") == (2, 8, 25.0)
    assert {code for _org, code in _snapshots(period)} == {"pairs_per_teacher", "pairs_by_form:teacher_pupil"}


def test_snapshots_are_visible_to_the_owner_and_its_ancestors_only(ctx, tree):
    period = _aggregate(tree)
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        assert {r[0] for r in snapshot_rows(period)} == {tree.ids["r1m1s1"]}
    with tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):
        assert {r[0] for r in snapshot_rows(period)} == {tree.ids[k] for k in ("r1m1", "r1m1s1", "r1m1s2")}
    with tenant_scope(tree.ids["r2"], tree.paths["r2"]):
        assert snapshot_rows(period) == []
    db.session.remove()


def test_pairs_are_counted_by_form_per_school_and_summed_up(ctx, tree):
    with SchoolFacts(tree, "r1m1s1") as s:
        teacher = s.teacher()
        s.pair(teacher, [s.pupil(date(2012, 1, 1)), s.pupil(date(2012, 2, 2)), s.pupil(date(2012, 3, 3))])  # one group
        s.pair(teacher, [s.pupil(date(2013, 1, 1))], started=date(2025, 9, 1), ended=date(2026, 1, 1))  # 1 Jan: in
        s.pair(teacher, [s.pupil(date(2013, 2, 2))], started=date(2025, 9, 1), ended=date(2025, 12, 31))  # before
        s.pair(teacher, [s.pupil(date(2013, 3, 3))], started=date(2026, 12, 21))  # after the reference date
        s.pair(s.pupil(date(2009, 1, 1)), [s.pupil(date(2014, 1, 1))], form="pupil_pupil")
    with SchoolFacts(tree, "r1m1s2") as s:
        s.pair(s.teacher(), [s.pupil(date(2012, 1, 1))])
    with SchoolFacts(tree, "r1m2s1") as s:
        s.pair(s.pupil(date(2009, 1, 1)), [s.pupil(date(2014, 1, 1))], form="pupil_pupil")
    with SchoolFacts(tree, "r2m1s1") as s:  # another region: never counted in r1
        s.pair(s.teacher(), [s.pupil(date(2012, 1, 1))])
    period = _aggregate(tree)
    rows = _snapshots(period)
    by_form = {(org, code): figure for (org, code), figure in rows.items() if code.startswith("pairs_by_form:")}
    ids = tree.ids
    assert by_form == {
        (ids["r1m1s1"], "pairs_by_form:teacher_pupil"): (2, 0, None),  # the group once, the pair ended on 1 Jan
        (ids["r1m1s1"], "pairs_by_form:pupil_pupil"): (1, 0, None),
        (ids["r1m1s2"], "pairs_by_form:teacher_pupil"): (1, 0, None),
        (ids["r1m2s1"], "pairs_by_form:pupil_pupil"): (1, 0, None),
        (ids["r1m1"], "pairs_by_form:teacher_pupil"): (3, 0, None),  # Σ of its schools
        (ids["r1m1"], "pairs_by_form:pupil_pupil"): (1, 0, None),
        (ids["r1m2"], "pairs_by_form:pupil_pupil"): (1, 0, None),
        (ids["r1"], "pairs_by_form:teacher_pupil"): (3, 0, None),  # Σ of the municipal bodies
        (ids["r1"], "pairs_by_form:pupil_pupil"): (2, 0, None),
    }
    # the same window as the indicators: the "pairs" fact counts the same pairs
    assert _figure(period, tree, "r1m1s1", "mentees_10_19")[0] == 5  # 3 + 1 (ended 1 Jan) + 1 pupil_pupil
    assert len(rows) == (4 + 2 + 1) * 4 + len(by_form)


def test_a_long_form_code_is_cut_to_the_column_the_same_way_in_sql(ctx, tree):
    long_code = "a_very_long_form_code_of_forty_chars_xyz"[:40]
    assert len(long_code) == 40 and len(by_form_code(long_code)) == 40
    with SchoolFacts(tree, "r1m1s1") as s:
        s.pair(s.teacher(), [s.pupil(date(2012, 1, 1))], form=long_code)
    period = _aggregate(tree)
    assert _figure(period, tree, "r1", by_form_code(long_code)) == (1, 0, None)


# -- idempotency -----------------------------------------------------------------------------

def _some_data(tree):
    for key in ("r1m1s1", "r1m1s2", "r1m2s1"):
        with SchoolFacts(tree, key) as s:
            s.contingent(2026, pupils_10_19=30, pupils_15_19=10, teachers=5, young_specialists=2)
            plant = s.enterprise()
            s.pair(s.teacher(), [s.pupil(date(2012, 1, 1)), s.teacher(date(2025, 9, 1))])
            s.pair(s.pupil(date(2009, 1, 1)), [s.pupil(date(2013, 1, 1))], form="pupil_pupil")
            s.pair(s.employer(plant), [s.pupil(date(2010, 1, 1))], form="employer_pupil")


# _some_data: 4 indicators × (4 schools + 2 bodies + the region), plus the pairs by form: three
# forms in each of three schools, in both bodies and at the region
SOME_DATA_ROWS = 7 * 4 + (3 * 3 + 2 * 3 + 3)
STEPS = 4 + 1  # progress: the four indicators, then the pairs by form


def _period_state(period_id):
    with unscoped("tests.monitoring"):
        period = db.session.get(MonitoringPeriod, period_id)
        state = (period.status, period.total, period.done, period.runs, period.frozen_at is not None)
        db.session.remove()
    return state


def test_running_again_changes_nothing_and_a_rerun_gives_the_same_rows(ctx, tree):
    _some_data(tree)
    period = _aggregate(tree)
    first = _snapshots(period)
    assert len(first) == SOME_DATA_ROWS
    assert _period_state(period) == ("frozen", STEPS, STEPS, 1, True)
    assert aggregate_period(period) is False  # frozen: a redelivered task does nothing
    assert _snapshots(period) == first
    with unscoped("tests.monitoring"):
        unfreeze(db.session.get(MonitoringPeriod, period), "исправлены данные контингента", None)
        db.session.commit()
    assert aggregate_period(period) is True
    assert _snapshots(period) == first
    assert _period_state(period) == ("frozen", STEPS, STEPS, 2, True)


def test_a_run_after_a_killed_worker_restores_the_full_set(ctx, tree):
    _some_data(tree)
    period = _aggregate(tree)
    full = _snapshots(period)
    with unscoped("tests.monitoring"):  # a worker died mid-run: half the rows, the period still running
        ids = db.session.scalars(sa.select(MetricSnapshot.id).where(MetricSnapshot.period_id == period)
                                 .order_by(MetricSnapshot.id)).all()
        db.session.execute(sa.delete(MetricSnapshot).where(MetricSnapshot.id.in_(ids[::2])))
        db.session.execute(sa.update(MonitoringPeriod).where(MonitoringPeriod.id == period)
                           .values(status="running", done=2, frozen_at=None))
        db.session.commit()
        db.session.remove()
    assert len(_snapshots(period)) == len(full) // 2
    assert aggregate_period(period) is True
    assert _snapshots(period) == full


def test_a_failed_run_leaves_the_previous_rows_and_records_the_error(ctx, tree, monkeypatch):
    _some_data(tree)
    period = _aggregate(tree)
    full = _snapshots(period)
    with unscoped("tests.monitoring"):
        unfreeze(db.session.get(MonitoringPeriod, period), "пересчёт", None)
        db.session.commit()
        db.session.remove()
    calls = []

    def failing(*args):
        calls.append(args)
        if len(calls) == 3:
            raise RuntimeError("worker lost")
        return original(*args)

    original = monitoring.monitoring_sql.municipal_rows
    monkeypatch.setattr(monitoring.monitoring_sql, "municipal_rows", failing)
    with pytest.raises(RuntimeError):
        aggregate_period(period)
    assert _snapshots(period) == full  # the replacement was all or nothing
    with unscoped("tests.monitoring"):
        failed = db.session.get(MonitoringPeriod, period)
        assert (failed.status, failed.last_error) == ("pending", "RuntimeError: worker lost")
        db.session.remove()


def test_progress_is_visible_while_the_run_goes_on(ctx, tree, backend, monkeypatch):
    if backend != "postgresql":
        pytest.skip("SQLite has one writer: progress commits with the run")
    _some_data(tree)
    period = make_period(tree.ids["r1"], REF)
    seen = []
    original = monitoring.monitoring_sql.municipal_rows

    def watching(*args):
        with db.engine.connect() as other:  # another transaction, as the ministry's page would be
            seen.append(other.execute(sa.select(MonitoringPeriod.status, MonitoringPeriod.done, MonitoringPeriod.total)
                                      .where(MonitoringPeriod.id == period)).one()._tuple())
            seen.append(other.execute(sa.select(sa.func.count()).select_from(MetricSnapshot)
                                      .where(MetricSnapshot.period_id == period)).scalar())
        return original(*args)

    monkeypatch.setattr(monitoring.monitoring_sql, "municipal_rows", watching)
    assert aggregate_period(period) is True
    assert seen == [("running", 0, STEPS), 0, ("running", 1, STEPS), 0, ("running", 2, STEPS), 0,
                    ("running", 3, STEPS), 0]


def test_two_concurrent_runs_write_one_set(ctx, tree, backend):
    if backend != "postgresql":
        pytest.skip("SQLite has a single writer: runs cannot overlap")
    _some_data(tree)
    period = make_period(tree.ids["r1"], REF)
    app = ctx
    results, errors = [], []
    gate = db.engine.connect()  # hold the period's lock so that both runs queue up behind it
    gate.execute(sa.select(sa.func.pg_advisory_lock(monitoring.ADVISORY_NAMESPACE, period)))

    def run():
        try:
            with app.app_context():
                results.append(aggregate_period(period))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    waiting = 0
    for _ in range(100):  # until both wait on the lock
        waiting = gate.execute(sa.text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).scalar()
        if waiting == 2:
            break
        threading.Event().wait(0.05)
    assert waiting == 2
    gate.execute(sa.select(sa.func.pg_advisory_unlock(monitoring.ADVISORY_NAMESPACE, period)))
    gate.close()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert sorted(results) == [False, True]  # one computed, the other found it frozen
    rows = _snapshots(period)
    assert len(rows) == SOME_DATA_ROWS
    with unscoped("tests.monitoring"):
        count = db.session.scalar(sa.select(sa.func.count()).select_from(MetricSnapshot)
                                  .where(MetricSnapshot.period_id == period))
        db.session.remove()
    assert count == SOME_DATA_ROWS
    assert _period_state(period) == ("frozen", STEPS, STEPS, 1, True)


# -- the calendar and the tick ---------------------------------------------------------------

def _due_for(tree, region, **kw) -> list[int]:
    return [p for r, p in due_periods(**kw) if r == tree.ids[region]]


def _periods_of(tree, region):
    with unscoped("tests.monitoring"):
        rows = db.session.execute(sa.select(MonitoringPeriod.reference_date, MonitoringPeriod.status)
                                  .where(MonitoringPeriod.org_id == tree.ids[region])
                                  .order_by(MonitoringPeriod.reference_date)).tuples().all()
        db.session.remove()
    return rows


def test_due_on_the_20th_not_on_the_19th(ctx, tree):
    june = make_period(tree.ids["r1"], date(2026, 6, 20), status="frozen")
    assert _due_for(tree, "r1", today=date(2026, 12, 19)) == []
    [december] = _due_for(tree, "r1", today=date(2026, 12, 20))
    assert december != june
    assert _periods_of(tree, "r1") == [(date(2026, 6, 20), "frozen"), (date(2026, 12, 20), "pending")]


def test_the_tick_catches_up_and_creates_nothing_twice(ctx, tree):
    make_period(tree.ids["r1"], date(2026, 6, 20), status="frozen")
    first = _due_for(tree, "r1", today=date(2026, 12, 23))  # the 20th–22nd were missed
    again = _due_for(tree, "r1", today=date(2026, 12, 23))
    assert first == again and len(first) == 1
    assert _periods_of(tree, "r1")[-1] == (date(2026, 12, 20), "pending")
    assert len(_periods_of(tree, "r1")) == 2
    assert aggregate_period(first[0]) is True
    assert _due_for(tree, "r1", today=date(2026, 12, 24)) == []  # frozen: nothing more
    assert _due_for(tree, "r1", today=date(2027, 6, 19)) == []


def test_an_unfrozen_period_waits_for_the_ministrys_rerun(ctx, tree):
    period = make_period(tree.ids["r1"], date(2026, 12, 20), status="frozen")
    with unscoped("tests.monitoring"):
        unfreeze(db.session.get(MonitoringPeriod, period), "ошибка в контингенте", None)
        db.session.commit()
    assert _due_for(tree, "r1", today=date(2026, 12, 21)) == []  # schools correct their data first
    with unscoped("tests.monitoring"):
        monitoring.request_rerun(db.session.get(MonitoringPeriod, period), None)
        db.session.commit()
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.object_id == str(period))
                                 .order_by(AuditEvent.id.desc())) == "monitoring.rerun"
        db.session.remove()
    assert _due_for(tree, "r1", today=date(2026, 12, 21)) == [period]  # a re-run that dies is caught up


def test_the_regions_own_dates_and_time_zone(ctx, tree):
    with unscoped("tests.monitoring"):
        db.session.add(RegionSettings(org_id=tree.ids["r1"], reference_month_1=5, reference_day_1=25,
                                      reference_month_2=12, reference_day_2=25, time_zone="Asia/Vladivostok"))
        db.session.commit()
    make_period(tree.ids["r1"], date(2026, 5, 25), status="frozen")
    make_period(tree.ids["r2"], date(2026, 6, 20), status="frozen")
    # 24 December 20:30 UTC: already the 25th in Vladivostok (UTC+10), still the 24th in Moscow.
    now = datetime(2026, 12, 24, 20, 30, tzinfo=UTC)
    assert len(_due_for(tree, "r1", now=now)) == 1
    assert _periods_of(tree, "r1")[-1] == (date(2026, 12, 25), "pending")
    assert _due_for(tree, "r2", now=datetime(2026, 12, 19, 20, 30, tzinfo=UTC)) == []  # 23:30 in Moscow
    assert len(_due_for(tree, "r2", now=datetime(2026, 12, 19, 21, 30, tzinfo=UTC))) == 1  # 00:30


def test_calendar_validation(ctx):
    settings = default_settings()
    assert calendar_problems(settings) == []
    assert (settings.reference_month_1, settings.reference_day_1, settings.reference_month_2,
            settings.reference_day_2) == (6, 20, 12, 20)
    assert (settings.municipal_report_month_1, settings.municipal_report_day_1, settings.time_zone) == (
        None, None, "Europe/Moscow")  # the default rule (mentorship/region/calendar.py)
    assert latest_reference_date(settings, date(2027, 3, 1)) == date(2026, 12, 20)
    assert latest_reference_date(settings, date(2027, 6, 20)) == date(2027, 6, 20)
    settings.reference_month_1, settings.reference_day_1 = 6, 31
    settings.municipal_report_month_1, settings.municipal_report_day_1 = 2, 29
    settings.time_zone = "Mars/Olympus"
    assert [p.code for p in calendar_problems(settings)] == ["reference_date", "report_deadline", "time_zone"]
    assert "31" in calendar_problems(settings)[0].message


# -- unfreezing ------------------------------------------------------------------------------

def test_unfreeze_needs_a_reason_and_is_audited(ctx, tree):
    period = _aggregate(tree)
    with unscoped("tests.monitoring"):
        admin = db.session.scalar(sa.select(User).where(User.email == tree.emails["r1.admin"]))
        frozen = db.session.get(MonitoringPeriod, period)
        with pytest.raises(MonitoringError) as missing:
            unfreeze(frozen, "  ", admin)
        assert missing.value.code == "reason_required"
        unfreeze(frozen, "школа исправила контингент", admin)
        db.session.commit()
        with pytest.raises(MonitoringError) as twice:
            unfreeze(frozen, "ещё раз", admin)
        assert twice.value.code == "not_frozen"
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "monitoring.unfrozen")).all()
        assert (event.user_id, event.org_id, event.object_id) == (admin.id, tree.ids["r1"], str(period))
        assert event.details == {"reason": "школа исправила контингент", "reference_date": "2026-12-20"}
        with pytest.raises(MonitoringError):
            monitoring.request_rerun(db.session.get(MonitoringPeriod, _aggregate(tree, date(2027, 6, 20))), admin)
        db.session.remove()
    assert _period_state(period)[0] == "pending"


def test_region_indicators_from_meetings_plans_and_categories(ctx, tree):
    from mentorship.pairing.models import IndividualPlan, Meeting, PlanTask

    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2026, teachers=10)
        teacher = s.teacher()
        done_pair = s.pair(teacher, [s.pupil(date(2012, 2, 2))])
        open_pair = s.pair(teacher, [s.pupil(date(2012, 2, 3))])
        for pair_id, statuses in ((done_pair, ("done", "cancelled")), (open_pair, ("done", "planned"))):
            plan = IndividualPlan(org_id=s.org_id, mentorship_id=pair_id)
            plan.tasks.extend(PlanTask(org_id=s.org_id, title=str(n), status=st) for n, st in enumerate(statuses))
            db.session.add(plan)
        db.session.add_all([
            Meeting(org_id=s.org_id, mentorship_id=done_pair, kind="organisational", held_on=date(2026, 9, 16)),
            Meeting(org_id=s.org_id, mentorship_id=done_pair, kind="regular", held_on=date(2026, 12, 20)),
            Meeting(org_id=s.org_id, mentorship_id=open_pair, kind="regular", held_on=date(2026, 12, 21)),  # after
            Meeting(org_id=s.org_id, mentorship_id=open_pair, kind="regular", held_on=date(2025, 12, 31)),  # before
        ])
    with unscoped("tests.indicators"):
        db.session.add_all([
            Indicator(org_id=tree.ids["r1"], code="plans_done", name="Планы выполнены", kind="custom",
                      numerator_fact="plans_completed", denominator_fact="plans", position=1),
            Indicator(org_id=tree.ids["r1"], code="meetings_per_teacher", name="Встречи", kind="custom",
                      numerator_fact="meetings_held", denominator_fact="teachers", position=2),
            Indicator(org_id=tree.ids["r1"], code="teacher_mentors", name="Педагоги-наставники", kind="custom",
                      numerator_fact="mentor_teachers", denominator_fact="teachers", position=3),
        ])
        db.session.commit()
    period = _aggregate(tree)
    assert _figure(period, tree, "r1m1s1", "plans_done") == (1, 2, 50.0)
    assert _figure(period, tree, "r1m1s1", "meetings_per_teacher") == (2, 10, 20.0)
    assert _figure(period, tree, "r1m1s1", "teacher_mentors") == (1, 10, 10.0)  # one person, two pairs
    assert _figure(period, tree, "r1", "plans_done") == (1, 2, 50.0)  # summed up the tree


def test_the_coming_period_is_counted_provisionally_then_frozen_on_its_date(ctx, tree):
    from mentorship.monitoring.periods import upcoming_periods

    with SchoolFacts(tree, "r1m1s1") as s:
        s.contingent(2026, pupils_10_19=100)
        s.pair(s.teacher(), [s.pupil(date(2012, 2, 2))])
    ahead = [p for r, p in upcoming_periods(today=date(2026, 11, 22)) if r == tree.ids["r1"]]
    assert ahead == [p for r, p in upcoming_periods(today=date(2026, 11, 23)) if r == tree.ids["r1"]]  # once
    assert _periods_of(tree, "r1") == [(date(2026, 12, 20), "pending")]
    assert aggregate_period(ahead[0], freeze=False) is True
    assert _figure(ahead[0], tree, "r1m1s1", "mentees_10_19") == (1, 100, 1.0)
    with unscoped("tests.monitoring"):
        period = db.session.get(MonitoringPeriod, ahead[0])
        assert (period.status, period.frozen_at is None, period.provisional_at is not None) == ("pending", True, True)
        db.session.remove()
    # more work before the date; on the 20th the tick finds the same period and freezes it
    with SchoolFacts(tree, "r1m1s1") as s:
        s.pair(s.teacher(), [s.pupil(date(2012, 3, 3))])
    assert _due_for(tree, "r1", today=date(2026, 12, 20)) == ahead
    assert aggregate_period(ahead[0]) is True
    assert _figure(ahead[0], tree, "r1m1s1", "mentees_10_19") == (2, 100, 2.0)
    assert _periods_of(tree, "r1") == [(date(2026, 12, 20), "frozen")]
    # a frozen period is never counted provisionally again; the next one is
    assert aggregate_period(ahead[0], freeze=False) is False
    assert [d for d, _s in _periods_of(tree, "r1")] == [date(2026, 12, 20)]
    upcoming_periods(today=date(2026, 12, 21))
    assert _periods_of(tree, "r1")[-1] == (date(2027, 6, 20), "pending")
