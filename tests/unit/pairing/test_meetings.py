"""Meetings: the hard rules and the sequence warning; stale pairs at the boundary of exactly
N weeks; the weekly gap reminder exactly once per school and week, mailing only curators and
only after its claim commits."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from celery.schedules import crontab

from core.extensions import db
from mentorship.pairing import meetings
from mentorship.pairing.meeting_reminders import send_gap_reminders, week_of
from mentorship.pairing.models import Meeting, MeetingGapReminder, Mentorship, Programme
from mentorship.pairing.pairs import complete, create_mentorship
from tasks.schedule import BEAT_SCHEDULE
from tenants.context import tenant_scope, unscoped
from tenants.models import Notification
from tests.support.mail import SentMail
from tests.support.school import make_mentee, make_mentor, school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")

# school_world: the pair started 15.09.2026, met (organisational) 16.09.2026; gap 3 weeks.
LAST = date(2026, 9, 16)


@pytest.fixture
def world(ctx, tree):
    w = school_world(tree)
    with tenant_scope(w.org_id, tree.paths["r1m1s1"]):
        yield w


def _pair(w) -> Mentorship:
    return db.session.get(Mentorship, w.pair)


def _add(pair, kind="regular", held_on=date(2026, 10, 1), duration=45, **kw):
    return meetings.add_meeting(pair, kind=kind, held_on=held_on, duration_minutes=duration, **kw)


def test_hard_rules_refuse_and_save_nothing(world):
    pair = _pair(world)
    for kwargs, code in (
        ({"held_on": date(2026, 9, 14)}, "before_start"),
        ({"duration": 0}, "bad_duration"),
        ({"duration": 601}, "bad_duration"),
        ({"kind": "party"}, "bad_kind"),
        ({"format": "letter"}, "bad_format"),
    ):
        with pytest.raises(meetings.MeetingError) as refused:
            _add(pair, **kwargs)
        assert refused.value.code == code
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 1
    meeting, warnings = _add(pair, kind="organisational", held_on=date(2026, 9, 15), duration=600, format="online",
                             topic="  Тема  ")
    assert warnings == [] and (meeting.topic, meeting.format, meeting.notes) == ("Тема", "online", None)


def test_only_one_final_meeting(world):
    pair = _pair(world)
    final, _ = _add(pair, kind="final", held_on=date(2026, 11, 1))
    with pytest.raises(meetings.MeetingError) as refused:
        _add(pair, kind="final", held_on=date(2026, 11, 2))
    assert refused.value.code == "final_exists"
    # Editing the final meeting itself is fine; turning another into a second final is not.
    assert meetings.update_meeting(final, kind="final", held_on=date(2026, 11, 3), duration_minutes=60) == []
    regular, _ = _add(pair)
    with pytest.raises(meetings.MeetingError):
        meetings.update_meeting(regular, kind="final", held_on=date(2026, 10, 1), duration_minutes=45)
    meetings.delete_meeting(final)
    meetings.update_meeting(regular, kind="final", held_on=date(2026, 10, 1), duration_minutes=45)
    assert regular.kind == "final"


def test_the_organisational_meeting_comes_first_as_a_warning(world, tree):
    org = world.org_id
    mentor = make_mentor(org, "Другой наставник")
    mentee = make_mentee(org, "Другой ученик")
    pair = create_mentorship(db.session.get(Programme, world.programme), mentor, [mentee], date(2026, 10, 1))
    trial, warnings = _add(pair, kind="trial", held_on=date(2026, 10, 5))
    assert warnings == ["organisational_first"] and trial.id is not None  # recorded all the same
    assert meetings.sequence_warnings(pair) == ["organisational_first"]
    _, warnings = _add(pair, kind="organisational", held_on=date(2026, 10, 2))
    assert warnings == [] and meetings.sequence_warnings(pair) == []
    _, warnings = _add(pair, kind="planning", held_on=date(2026, 10, 12))
    assert warnings == []
    # The world's pair began with its organisational meeting.
    assert meetings.sequence_warnings(_pair(world)) == []


def test_a_pair_is_stale_from_exactly_n_weeks(world):
    gap = timedelta(weeks=3)
    boundary = LAST + gap
    assert meetings.count_stale(world.org_id, boundary - timedelta(days=1)) == 0
    assert meetings.stale_pairs(world.org_id, boundary - timedelta(days=1)) == []
    assert meetings.count_stale(world.org_id, boundary) == 1
    assert [p.id for p in meetings.stale_pairs(world.org_id, boundary)] == [world.pair]
    assert meetings.last_meeting_dates([world.pair], boundary) == {world.pair: LAST}

    # The programme's gap decides: 4 weeks moves the boundary by a week.
    db.session.get(Programme, world.programme).meeting_gap_weeks = 4
    db.session.flush()
    assert meetings.count_stale(world.org_id, boundary + timedelta(days=6)) == 0
    assert meetings.count_stale(world.org_id, boundary + timedelta(days=7)) == 1


def test_meetings_after_today_do_not_count_and_new_ones_reset_the_clock(world):
    pair = _pair(world)
    day = LAST + timedelta(weeks=5)
    _add(pair, held_on=day + timedelta(days=3))  # planned, not held yet
    assert meetings.count_stale(world.org_id, day) == 1
    _add(pair, held_on=day - timedelta(days=1))
    assert meetings.count_stale(world.org_id, day) == 0
    # Once its date has come, the planned meeting is the last one held.
    planned_plus_gap = day + timedelta(days=3) + timedelta(weeks=3)
    assert meetings.count_stale(world.org_id, planned_plus_gap - timedelta(days=1)) == 0
    assert meetings.count_stale(world.org_id, planned_plus_gap) == 1


def test_a_pair_that_never_met_counts_from_its_start_and_only_active_pairs(world):
    pair = _pair(world)
    db.session.execute(sa.delete(Meeting).where(Meeting.mentorship_id == pair.id))
    start = pair.started_on
    assert meetings.count_stale(world.org_id, start + timedelta(weeks=3) - timedelta(days=1)) == 0
    assert meetings.count_stale(world.org_id, start + timedelta(weeks=3)) == 1
    assert meetings.last_meeting_dates([pair.id], start + timedelta(weeks=3)) == {}
    complete(pair, date(2026, 11, 1), "finish")
    assert meetings.count_stale(world.org_id, date(2026, 12, 1)) == 0


def test_meetings_in_month(world):
    _add(_pair(world), held_on=date(2026, 9, 30))
    _add(_pair(world), held_on=date(2026, 10, 1))
    assert meetings.meetings_in_month(world.org_id, 2026, 9) == 2
    assert meetings.meetings_in_month(world.org_id, 2026, 10) == 1
    assert meetings.meetings_in_month(world.org_id, 2026, 12) == 0


# -- the weekly reminder -------------------------------------------------------------------

def _reminders():
    with unscoped("tests.reminders"):
        rows = db.session.execute(
            sa.select(MeetingGapReminder.org_id, MeetingGapReminder.week_of, MeetingGapReminder.pairs_flagged)
            .order_by(MeetingGapReminder.id)
        ).tuples().all()
        db.session.rollback()
    return rows


def _notifications():
    with unscoped("tests.reminders"):
        rows = db.session.execute(
            sa.select(Notification.recipient_org_id, Notification.kind, Notification.text, Notification.link)
        ).tuples().all()
        db.session.rollback()
    return rows


@pytest.fixture
def two_schools(ctx, tree):
    """Stale pairs in r1m1s1 and r2m1s1; r1m1s2's pair met recently."""
    worlds = {key: school_world(tree, key) for key in ("r1m1s1", "r2m1s1", "r1m1s2")}
    with tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):
        db.session.add(Meeting(org_id=tree.ids["r1m1s2"], mentorship_id=worlds["r1m1s2"].pair, kind="regular",
                               held_on=date(2026, 11, 20)))
        db.session.commit()
    return worlds


def test_the_reminder_is_sent_once_a_week_to_curators_only(app, tree, two_schools):
    monday, thursday = date(2026, 11, 23), date(2026, 11, 26)
    assert week_of(thursday) == monday and week_of(monday) == monday
    mail = SentMail(app)
    assert send_gap_reminders(thursday) == 2
    schools = [tree.ids["r1m1s1"], tree.ids["r2m1s1"]]
    assert _reminders() == [(org, monday, 1) for org in schools]
    assert sorted(to for to, _subject, _body in mail.sent) == sorted(
        [tree.emails["r1m1s1.staff"], tree.emails["r2m1s1.staff"]])  # curators; not the principals
    to, subject, body = mail.sent[0]
    assert subject == "Наставник: пары без встреч — 1 пара"
    assert "/school/meetings/stale" in body and "«Школа 1.1.1»" in body
    notes = _notifications()
    assert sorted(n[0] for n in notes) == sorted(schools)
    assert {n[1:] for n in notes} == {("meetings.gap", "Наставнические пары без встреч дольше установленного срока: "
                                       "1 пара", "/school/meetings/stale")}

    # Again this week (any day): nothing; next week: again.
    for day in (thursday, monday, date(2026, 11, 29)):
        assert send_gap_reminders(day) == 0
    assert len(_reminders()) == 2 and len(mail.sent) == 2 and len(_notifications()) == 2
    assert send_gap_reminders(date(2026, 11, 30)) == 2
    assert len(_reminders()) == 4 and len(mail.sent) == 4


def test_a_claim_already_held_sends_nothing(app, tree, two_schools):
    """Another worker claimed r1m1s1's week first: this run reminds only r2m1s1."""
    with unscoped("tests.claim"):
        db.session.add(MeetingGapReminder(org_id=tree.ids["r1m1s1"], week_of=date(2026, 11, 23)))
        db.session.commit()
    mail = SentMail(app)
    assert send_gap_reminders(date(2026, 11, 23)) == 1
    assert [to for to, *_ in mail.sent] == [tree.emails["r2m1s1.staff"]]


def test_no_stale_pairs_no_reminder(app, ctx, tree):
    school_world(tree)
    mail = SentMail(app)
    assert send_gap_reminders(date(2026, 9, 20)) == 0  # met on 16.09
    assert _reminders() == [] and mail.sent == []


def test_the_weekly_beat_entry():
    entry = BEAT_SCHEDULE["meeting-gap-reminders"]
    assert entry["task"] == "nastavnik.meetings.gap_reminders"
    assert entry["schedule"] == crontab(hour=8, minute=0, day_of_week="mon")
    assert 0 < entry["options"]["expires"] <= 24 * 3600


def test_stale_pairs_are_searchable_by_mentor_or_mentee(world):
    later = LAST + timedelta(weeks=10)
    found = lambda term: [p.id for p in db.session.scalars(meetings.stale_pairs_stmt(world.org_id, later, term))]  # noqa: E731
    assert found("") == [world.pair]
    assert found("иванова") == [world.pair]  # the mentor, any case
    assert found("ПЕТРОВ") == [world.pair]  # the mentee
    assert found("Сидорова") == []  # in the bank, but not in this pair
    assert found("%") == []  # wildcards are literal
