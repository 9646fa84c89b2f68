"""The region indicator «доля обученных наставников»: a custom indicator over the facts
``mentors_trained`` / ``bank_mentors`` is counted by the monitoring aggregation like any other
— per school, summed per municipal body and for the region — and a completion recorded
through the training area moves the count."""
from __future__ import annotations

from datetime import date

import pytest

from core.extensions import db
from mentorship.monitoring.aggregation import aggregate_period, snapshot_rows
from mentorship.monitoring.facts import DENOMINATOR_FACTS, NUMERATOR_FACTS
from mentorship.monitoring.indicators import add_indicator
from mentorship.people.models import Participant
from mentorship.training import completions
from mentorship.training.completions import ExternalData
from tenants.context import tenant_scope, unscoped
from tenants.models import Organization
from tests.support.monitoring import make_period
from tests.support.school import make_mentor

pytestmark = pytest.mark.backends("sqlite", "postgresql")

REF = date(2026, 12, 20)


def _mentors(tree, key, statuses) -> list[int]:
    with tenant_scope(tree.ids[key], tree.paths[key]):
        ids = []
        for n, status in enumerate(statuses):
            person = make_mentor(tree.ids[key], f"Наставник {key} {n}")
            person.mentor_profile.training_status = status
            ids.append(person.id)
        db.session.commit()
        return ids


def _figures(period_id) -> dict:
    with unscoped("tests.monitoring"):
        rows = snapshot_rows(period_id)
        db.session.remove()
    return {(org, code): (num, den, value) for org, code, num, den, value in rows}


def test_the_share_of_trained_mentors_is_counted_up_the_tree(ctx, tree):
    assert "mentors_trained" in NUMERATOR_FACTS and "bank_mentors" in DENOMINATOR_FACTS
    _mentors(tree, "r1m1s1", ["completed", "none", "in_progress", "completed"])
    untrained = _mentors(tree, "r1m1s2", ["none", "none"])
    _mentors(tree, "r1m2s1", ["completed"])
    with tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):  # erased or out of the bank: not counted
        gone = make_mentor(tree.ids["r1m1s2"], "Ушедший")
        gone.in_mentor_bank = False
        gone.mentor_profile.training_status = "completed"
        db.session.commit()
    with tenant_scope(tree.ids["r1"], tree.paths["r1"]):
        code = add_indicator(db.session.get(Organization, tree.ids["r1"]), name="Доля обученных наставников",
                             numerator="mentors_trained", denominator="bank_mentors").code
        db.session.commit()
    period = make_period(tree.ids["r1"], REF)
    assert aggregate_period(period) is True
    figures = _figures(period)
    assert figures[(tree.ids["r1m1s1"], code)] == (2, 4, 50.0)
    assert figures[(tree.ids["r1m1s2"], code)] == (0, 2, 0.0)
    assert figures[(tree.ids["r1m1"], code)] == (2, 6, 33.33)
    assert figures[(tree.ids["r1"], code)] == (3, 7, 42.86)

    # a course taken elsewhere, recorded by the school, makes the mentor trained
    with tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):
        school = db.session.get(Organization, tree.ids["r1m1s2"])
        completions.record_external(
            db.session.get(Participant, untrained[0]),
            ExternalData(course_title="Курсы ИРО", organiser_name="ИРО", completed_on=date(2026, 11, 1), hours=72),
            org=school, today=date(2026, 11, 22))
        db.session.commit()
    period = make_period(tree.ids["r1"], date(2027, 6, 20))
    assert aggregate_period(period) is True
    assert _figures(period)[(tree.ids["r1m1s2"], code)] == (1, 2, 50.0)
