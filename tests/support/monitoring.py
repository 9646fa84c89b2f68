"""Compact factories for the monitoring tests: people, pairs and contingent of a school,
written as that school (so the tenant checks apply), and periods of a region."""
from __future__ import annotations

from datetime import date

from core.extensions import db
from mentorship.monitoring.models import ContingentRecord, MonitoringPeriod
from mentorship.pairing.models import Mentorship, MentorshipMentee, Programme
from mentorship.people.models import Enterprise, Participant
from tenants.context import tenant_scope, unscoped


class SchoolFacts:
    """``with SchoolFacts(tree, "r1m1s1") as s: s.pair(s.teacher(...), [s.pupil(...)])``."""

    def __init__(self, tree, key: str):
        self.org_id = tree.ids[key]
        self.path = tree.paths[key]
        self._scope = None
        self._programme: Programme | None = None

    def __enter__(self):
        self._scope = tenant_scope(self.org_id, self.path)
        self._scope.__enter__()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            db.session.commit()
        else:
            db.session.rollback()
        self._scope.__exit__(*exc)
        db.session.remove()

    def _add(self, obj):
        db.session.add(obj)
        db.session.flush()
        return obj

    def person(self, category: str, *, born: date | None = None, birth_year: int | None = None,
               teaching_since: date | None = None, enterprise: int | None = None) -> int:
        return self._add(Participant(
            org_id=self.org_id, full_name=f"{category} {born or birth_year or teaching_since}", category=category,
            birth_date=born, birth_year=birth_year if birth_year is not None else (born.year if born else None),
            teaching_since=teaching_since, enterprise_id=enterprise,
        )).id

    def pupil(self, born: date, **kw) -> int:
        return self.person("pupil", born=born, **kw)

    def teacher(self, teaching_since: date | None = date(2000, 9, 1)) -> int:
        return self.person("teacher", born=date(1980, 1, 1), teaching_since=teaching_since)

    def enterprise(self, name: str = "АО «Завод»") -> int:
        return self._add(Enterprise(org_id=self.org_id, name=name)).id

    def employer(self, enterprise: int) -> int:
        return self.person("employer", born=date(1975, 1, 1), enterprise=enterprise)

    def pair(self, mentor: int, mentees: list[int], started: date = date(2026, 9, 15),
             ended: date | None = None, form: str = "teacher_pupil") -> int:
        if self._programme is None:
            self._programme = self._add(Programme(org_id=self.org_id, title="Программа", form_code=form,
                                                  school_year=2026))
        pair = Mentorship(org_id=self.org_id, programme_id=self._programme.id, form_code=form, mentor_id=mentor,
                          started_on=started, ended_on=ended, status="completed" if ended else "active", reasons=[])
        for mentee in mentees:
            pair.members.append(MentorshipMentee(org_id=self.org_id, participant_id=mentee))
        return self._add(pair).id

    def contingent(self, school_year: int = 2026, pupils_10_19: int = 0, pupils_15_19: int = 0, teachers: int = 0,
                   young_specialists: int = 0) -> int:
        return self._add(ContingentRecord(
            org_id=self.org_id, school_year=school_year, pupils_10_19=pupils_10_19, pupils_15_19=pupils_15_19,
            teachers=teachers, young_specialists=young_specialists,
        )).id


def make_period(region_id: int, reference_date: date, status: str = "pending") -> int:
    with unscoped("tests.monitoring"):
        period = MonitoringPeriod(org_id=region_id, reference_date=reference_date, status=status)
        db.session.add(period)
        db.session.commit()
        period_id = period.id
        db.session.remove()
    return period_id
