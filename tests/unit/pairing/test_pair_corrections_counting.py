"""A voided pair counts nowhere, on every surface that counts pairs: the monitoring's facts
(pairs, people, meetings, plans, pairs by form), the school's own dashboard, the surveys'
audiences and pair triggers (its open invitations are cancelled). And a frozen period's
figures stay final: a pair it counted is voided or corrected (so that it would count
differently) only after the ministry unfreezes it — the message names the period."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.model import utcnow
from mentorship.monitoring.aggregation import aggregate_period
from mentorship.monitoring.facts import DENOMINATOR_FACTS, NUMERATOR_FACTS, FactContext, pairs_by_form
from mentorship.monitoring.models import MonitoringPeriod
from mentorship.monitoring.receivers import CountedPairError
from mentorship.pairing.models import IndividualPlan, Meeting, Mentorship, PlanTask
from mentorship.pairing.pairs import correct_pair, create_mentorship, void_pair
from mentorship.reports.school_dashboard import school_dashboard
from mentorship.surveys.audience import invite_audience
from mentorship.surveys.models import SurveyInvitation
from mentorship.surveys.triggers import due_occasions
from tenants.context import tenant_scope, unscoped
from tenants.models import Organization
from tests.support.school import make_mentee, make_mentor, make_programme
from tests.support.surveys import make_campaign, make_template

pytestmark = pytest.mark.backends("sqlite", "postgresql")

REF = date(2026, 12, 20)
START = date(2026, 9, 15)


@pytest.fixture
def school(ctx, tree):
    org_id = tree.ids["r1m1s1"]
    with tenant_scope(org_id, tree.paths["r1m1s1"]):
        org = db.session.get(Organization, org_id)
        programme = make_programme(org_id, "teacher_pupil")
        mentor = make_mentor(org_id, "Иванова Мария Петровна", capacity=3, email="ivanova@example.org")
        kept_kid = make_mentee(org_id, "Петров Илья", birth_date=date(2012, 3, 1))
        wrong_kid = make_mentee(org_id, "Сидорова Анна", birth_date=date(2012, 4, 1))
        kept = create_mentorship(programme, mentor, [kept_kid], START)
        wrong = create_mentorship(programme, mentor, [wrong_kid], date(2025, 9, 1))  # the year mistyped
        for pair in (kept, wrong):
            db.session.add(Meeting(org_id=org_id, mentorship_id=pair.id, kind="organisational",
                                   held_on=date(2026, 10, 1)))
            plan = IndividualPlan(org_id=org_id, mentorship_id=pair.id, goals="Цели")
            plan.tasks.append(PlanTask(org_id=org_id, title="Задача", status="done"))
            db.session.add(plan)
        db.session.commit()
        yield SimpleNamespace(org=org, org_id=org_id, programme=programme, mentor=mentor, kept_kid=kept_kid,
                              wrong_kid=wrong_kid, kept=kept, wrong=wrong, tree=tree)


def _org(school) -> Organization:
    return db.session.get(Organization, school.org_id)


def _void(school, pair_id: int, reason="Год начала введён с ошибкой"):
    void_pair(db.session.get(Mentorship, pair_id), reason, org=_org(school))
    db.session.commit()


def _facts(tree) -> dict[str, int]:
    """Every numerator fact about pairs, and the plans, for the school at 20 December 2026."""
    ctx = FactContext(tree.paths["r1"], REF)
    out = {}
    with unscoped("tests.pair_corrections"):
        for code in ("pairs", "mentees", "mentors", "mentees_10_19", "meetings_held", "plans_completed"):
            out[code] = dict(db.session.execute(NUMERATOR_FACTS[code].query(ctx)).all()).get(tree.ids["r1m1s1"], 0)
        out["plans"] = dict(db.session.execute(DENOMINATOR_FACTS["plans"].query(ctx)).all()).get(
            tree.ids["r1m1s1"], 0)
        out["by_form"] = sum(n for org, _code, n in db.session.execute(pairs_by_form(ctx)).all()
                             if org == tree.ids["r1m1s1"])
    return out


def test_a_voided_pair_counts_in_no_fact_of_the_monitoring(school):
    before = _facts(school.tree)
    assert before == {"pairs": 2, "mentees": 2, "mentors": 1, "mentees_10_19": 2, "meetings_held": 2,
                      "plans_completed": 2, "plans": 2, "by_form": 2}
    _void(school, school.wrong.id)
    assert _facts(school.tree) == {"pairs": 1, "mentees": 1, "mentors": 1, "mentees_10_19": 1, "meetings_held": 1,
                                   "plans_completed": 1, "plans": 1, "by_form": 1}


def test_the_school_dashboard_counts_as_the_monitoring(school):
    with tenant_scope(school.org_id, school.tree.paths["r1m1s1"]):
        assert school_dashboard(school.org, REF).mentees_10_19 == 2
        _void(school, school.wrong.id)
        assert school_dashboard(school.org, REF).mentees_10_19 == 1


def test_a_voided_pair_is_out_of_the_surveys_and_its_invitations_are_cancelled(school):
    org_id = school.org_id
    template = make_template(org_id)
    manual = make_campaign(org_id, template, roles=("mentor", "mentee"))
    on_start = make_campaign(org_id, template, "Старт пары", trigger="pair_start", opens_on=date(2025, 1, 1))
    db.session.commit()
    with unscoped("tests.pair_corrections"):
        assert {o.mentorship_id for o in due_occasions(on_start, REF)} == {school.kept.id, school.wrong.id}
    pending = SurveyInvitation(org_id=org_id, campaign_id=on_start.id, recipient_key=f"mentee:{school.wrong_kid.id}",
                               role="mentee", participant_id=school.wrong_kid.id, mentorship_id=school.wrong.id,
                               channel="paper", status="pending", expires_on=date(2027, 1, 31))
    db.session.add(pending)
    db.session.commit()
    _void(school, school.wrong.id)
    assert (pending.status, pending.cancel_reason) == ("cancelled", "pair_voided")
    with unscoped("tests.pair_corrections"):
        assert {o.mentorship_id for o in due_occasions(on_start, REF)} == {school.kept.id}
        invite_audience(manual, REF)
        db.session.commit()
        invited = set(db.session.scalars(sa.select(SurveyInvitation.participant_id)
                                         .where(SurveyInvitation.campaign_id == manual.id)))
    assert invited == {school.mentor.id, school.kept_kid.id}  # not the voided pair's mentee


# ---------------------------------------------------------------------------- frozen periods


def _freeze(tree, reference_date=REF, at: datetime | None = None) -> int:
    with unscoped("tests.pair_corrections"):
        period = MonitoringPeriod(org_id=tree.ids["r1"], reference_date=reference_date, status="frozen",
                                  frozen_at=at or utcnow())
        db.session.add(period)
        db.session.commit()
        return period.id


def _unfreeze(period_id: int) -> None:
    with unscoped("tests.pair_corrections"):
        db.session.get(MonitoringPeriod, period_id).status = "pending"
        db.session.commit()


def test_a_pair_a_frozen_period_counted_is_voided_only_after_unfreezing(school):
    june = _freeze(school.tree, date(2026, 6, 20))
    december = _freeze(school.tree)
    pair = db.session.get(Mentorship, school.wrong.id)
    with pytest.raises(CountedPairError) as info:
        void_pair(pair, "ошибка", org=_org(school))
    assert info.value.code == "void_counted" and info.value.status == 409 and june
    assert "20.06.2026, 20.12.2026" in info.value.message  # started 2025: both periods counted it
    db.session.rollback()
    assert db.session.get(Mentorship, school.wrong.id).status == "active"
    # the kept pair started in September: June's period never counted it
    _unfreeze(december)
    _void(school, school.kept.id, "введена дважды")
    with pytest.raises(CountedPairError) as info:
        void_pair(db.session.get(Mentorship, school.wrong.id), "ошибка", org=_org(school))
    assert "20.06.2026" in info.value.message and "20.12.2026" not in info.value.message
    db.session.rollback()
    _unfreeze(june)
    _void(school, school.wrong.id)
    assert db.session.get(Mentorship, school.wrong.id).status == "voided"


def test_a_period_frozen_before_the_pair_was_entered_did_not_count_it(school):
    _freeze(school.tree, at=datetime.now(UTC) - timedelta(days=1))
    _void(school, school.wrong.id)
    assert db.session.get(Mentorship, school.wrong.id).status == "voided"


def test_a_correction_is_refused_only_when_it_would_change_a_frozen_figure(school):
    db.session.execute(sa.delete(Meeting).where(Meeting.mentorship_id == school.kept.id))  # none before a start
    db.session.commit()
    december = _freeze(school.tree)
    pair = db.session.get(Mentorship, school.kept.id)
    kids = [school.kept_kid]
    # the start moves within the year window: the frozen figures hold
    assert correct_pair(pair, programme=school.programme, mentor=school.mentor, mentees=kids,
                        started_on=date(2026, 9, 1), org=school.org) == ["started_on"]
    db.session.commit()
    newcomer = make_mentee(school.org_id, "Новый Ученик")
    db.session.commit()
    for change in ({"started_on": date(2026, 12, 21)},  # out of the window
                   {"mentees": [school.kept_kid, newcomer]}):
        with pytest.raises(CountedPairError) as info:
            correct_pair(pair, **{"programme": school.programme, "mentor": school.mentor, "mentees": kids,
                                  "started_on": date(2026, 9, 1), **change}, org=school.org)
        assert info.value.code == "edit_counted" and "20.12.2026" in info.value.message
        db.session.rollback()
        pair = db.session.get(Mentorship, school.kept.id)
    _unfreeze(december)
    assert correct_pair(pair, programme=school.programme, mentor=school.mentor, mentees=kids,
                        started_on=date(2026, 12, 21), org=school.org) == ["started_on"]


def test_a_recount_after_voiding_leaves_the_figure_as_it_was_before_the_mistake(school, tree):
    wrong = school.wrong.id
    with unscoped("tests.pair_corrections"):
        record = MonitoringPeriod(org_id=tree.ids["r1"], reference_date=REF, status="pending")
        db.session.add(record)
        db.session.commit()
        period = record.id

    def mentees_10_19():
        with unscoped("tests.pair_corrections"):
            row = db.session.execute(sa.text(
                "SELECT numerator FROM metric_snapshots WHERE period_id = :p AND org_id = :o "
                "AND indicator_code = 'mentees_10_19'"), {"p": period, "o": tree.ids["r1m1s1"]}).scalar()
            db.session.commit()
        return row

    assert aggregate_period(period, freeze=False) is True
    assert mentees_10_19() == 2
    _void(school, wrong)
    assert aggregate_period(period) is True
    assert mentees_10_19() == 1
