"""Roadmaps that move into the new year (issue 15): deadlines taken over from a template, the
region's model roadmap or last year's roadmap are moved into the new period or flagged for the
author; due dates beside the wording; the text around the table; stages done with evidence."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.uploads import check_upload
from mentorship.roadmaps import workflow as wf
from mentorship.roadmaps.builtin import builtin_templates
from mentorship.roadmaps.deadlines import Period, parse_deadline
from mentorship.roadmaps.editing import (
    RoadmapError,
    confirm_deadline,
    create_from_previous,
    create_from_template,
    due_dates,
    flagged_deadlines,
    overdue_activities,
    overdue_steps,
    progress,
    set_due_on,
    start_new_version,
    update_item,
    update_roadmap,
)
from mentorship.roadmaps.execution import mark_done, mark_not_done
from mentorship.roadmaps.models import Roadmap, StageEvidence
from mentorship.roadmaps.moving import anchor_year, move
from mentorship.roadmaps.published import publish_as_model, region_templates
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent, Membership, Organization, User

pytestmark = pytest.mark.backends("sqlite", "postgresql")

YEAR_2026 = Period.school_year(2026)  # 1 August 2026 – 31 August 2027
SEPTEMBER = date(2026, 9, 1)
DECEMBER = date(2026, 12, 3)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _move(text, *, delta=6, today=SEPTEMBER, target=YEAR_2026, structured=None):
    structured = structured if structured is not None else parse_deadline(text).as_json()
    return move(text, structured, delta=delta, target=target, today=today)


# ---------------------------------------------------------------------------- moving, without a database


@pytest.mark.parametrize("before,after", [
    ("Ноябрь 2020 г.", "Ноябрь 2026 г."),
    ("Ноябрь-декабрь 2020 г.", "Ноябрь-декабрь 2026 г."),
    ("Декабрь 2020 г.", "Декабрь 2026 г."),
    ("Май 2021", "Май 2027"),  # by whole school years: May of the 2020/21 school year → May of 2026/27
    ("Май 2023", "Май 2027"),  # a later year of a multi-year model still lands in the new school year
    ("октябрь 2020", "октябрь 2026"),
    ("2020-2021", "2026-2027"),  # a school year
    ("февраль 2022, далее ежегодно", "февраль 2027, далее ежегодно"),
])
def test_a_month_based_wording_moves_by_whole_years_into_the_period(before, after):
    moved = _move(before)
    assert (moved.text, moved.flag, moved.moved_from) == (after, None, before)
    due = parse_deadline(after).due_dates(YEAR_2026)
    assert moved.deadline == parse_deadline(after).as_json() and due
    assert all(YEAR_2026.start <= d <= YEAR_2026.end for d in due)


@pytest.mark.parametrize("wording", ["сентябрь", "ежегодно в мае", "Ежегодно 20 декабря, 20 июня", "Постоянно",
                                     "В соответствии с планом мероприятий ИРО на календарный год", "Август-сентябрь"])
def test_a_wording_without_a_year_needs_no_move(wording):
    moved = _move(wording)
    assert (moved.text, moved.flag, moved.moved_from) == (wording, None, None)


@pytest.mark.parametrize("wording", ["30.11.2025", "до 30 ноября 2025 г.", "2025", "2022 – 2024 гг."])
def test_a_date_outside_the_new_period_is_flagged_never_moved(wording):
    moved = _move(wording, delta=1)
    assert (moved.text, moved.flag, moved.moved_from) == (wording, "outside", None)


def test_a_date_inside_the_period_stays_as_it_is():
    moved = _move("30.11.2026", delta=1)
    assert (moved.text, moved.flag) == ("30.11.2026", None)


def test_a_moved_deadline_already_passed_is_flagged():
    assert _move("Ноябрь 2020 г.", today=DECEMBER).flag == "passed"
    assert _move("Ноябрь-декабрь 2020 г.", today=DECEMBER).flag is None  # due 31 December: still ahead
    assert _move("ежегодно, август", today=DECEMBER).flag is None  # recurring: the next August counts


def test_a_date_set_by_hand_is_kept_and_checked_the_wording_moves():
    structured = {"kind": "date", "text": "Ноябрь 2025 г.", "date": "2025-11-15", "override": True}
    moved = _move("Ноябрь 2025 г.", delta=1, structured=structured)
    assert moved.text == "Ноябрь 2026 г." and moved.flag == "outside"
    assert moved.deadline == {**structured, "text": "Ноябрь 2026 г."}


def test_the_source_year_of_a_template_without_a_period_is_its_earliest_dated_school_year():
    texts = [a.deadline for s in builtin_templates()["donetsk-leninsky-2023-2024"].stages for a in s.activities]
    assert anchor_year(None, texts) == 2023  # «Октябрь 2023», «Ноябрь 2023», «2023-2024», «август 2024»
    assert anchor_year(None, ["январь 2024", "постоянно"]) == 2023
    assert anchor_year(None, ["постоянно", None]) is None
    assert anchor_year((date(2020, 1, 1), date(2024, 12, 31)), ["январь 2024"]) == 2020


def test_a_recurring_deadline_is_not_due_before_the_plan_came_into_force():
    deadline = parse_deadline("Ежегодно, август")
    in_force = Period(YEAR_2026.start, YEAR_2026.end, date(2026, 9, 20))
    assert deadline.due_dates(YEAR_2026) == [date(2026, 8, 31), date(2027, 8, 31)]
    assert deadline.due_dates(in_force) == [date(2027, 8, 31)]
    assert deadline.overdue_since(in_force, date(2026, 10, 1)) is None
    # a one-off deadline is not cut: the author was warned in the draft
    assert parse_deadline("август 2026").overdue_since(in_force, date(2026, 10, 1)) == date(2026, 8, 31)


# ---------------------------------------------------------------------------- with a database


def _acting(tree, who):
    user_id = tree.users[who].id
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == user_id))
    return membership, db.session.get(User, user_id)


def as_org(tree, key):
    return tenant_scope(tree.ids[key], tree.paths[key])


def _items(roadmap):
    for stage in roadmap.stages:
        yield stage
        yield from stage.activities


def _published_model(tree) -> int:
    """The ministry's roadmap from seed 001, approved and published as the region's model."""
    with as_org(tree, "r1"):
        admin, user = _acting(tree, "r1.admin")
        ministry = db.session.get(Organization, tree.ids["r1"])
        roadmap = create_from_template(ministry, user, builtin_templates()["kirov-region-2020-2024"],
                                       today=date(2020, 11, 1))
        db.session.flush()
        assert not flagged_deadlines(roadmap)  # its own period: nothing moves
        wf.approve(roadmap, ministry, admin, user, today=date(2020, 11, 5))
        published = publish_as_model(roadmap, ministry)
        db.session.commit()
        published_id = published.id
    db.session.remove()
    return published_id


def _school_from_model(tree, today, period="2026 – 2027 учебный год") -> int:
    _published_model(tree)
    with as_org(tree, "r1m1s1"):
        _curator, user = _acting(tree, "r1m1s1.staff")
        [model] = region_templates()
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        roadmap = create_from_template(school, user, model.as_template(), period, today=today)
        db.session.commit()
        roadmap_id = roadmap.id
    db.session.remove()
    return roadmap_id


def test_a_school_roadmap_from_the_model_moves_into_2026_27_and_is_not_overdue_on_approval(ctx, tree):
    roadmap_id = _school_from_model(tree, SEPTEMBER)
    with as_org(tree, "r1m1s1"):
        roadmap = db.session.get(Roadmap, roadmap_id)
        assert (roadmap.period_start, roadmap.period_end) == (YEAR_2026.start, YEAR_2026.end)
        first = roadmap.stages[0].activities
        assert [a.deadline_text for a in first[:4]] == ["Ноябрь-декабрь 2026 г.", "Ноябрь 2026 г.", "Ноябрь 2026 г.",
                                                        "Декабрь 2026 г."]
        assert first[1].deadline_moved_from == "Ноябрь 2020 г."
        assert not flagged_deadlines(roadmap)
        due = due_dates(roadmap, SEPTEMBER)
        assert due.activities[first[1].id] == [date(2026, 11, 30)]  # shown in the draft beside the wording
        every = [d for dates in due.activities.values() for d in dates]
        assert len(every) >= 6 and all(YEAR_2026.start <= d <= YEAR_2026.end for d in every)
        # the text around the table came along through the published model
        assert roadmap.preamble.startswith("Целью внедрения") and roadmap.footnote.startswith("* Органы")
        assert roadmap.stages[0].key_result == "Создание организационных и содержательных условий для реализации " \
                                               "программы наставничества"
        curator, user = _acting(tree, "r1m1s1.staff")
        wf.submit(roadmap, db.session.get(Organization, tree.ids["r1m1s1"]), curator, user)
        db.session.commit()
    db.session.remove()
    approved_on = date(2026, 9, 20)
    with as_org(tree, "r1m1"):
        coordinator, user = _acting(tree, "r1m1.admin")
        roadmap = db.session.get(Roadmap, roadmap_id)
        wf.approve(roadmap, db.session.get(Organization, tree.ids["r1m1s1"]), coordinator, user, today=approved_on)
        db.session.commit()
        assert roadmap.in_force_from == approved_on
        # «Ежегодно, август»: the August before the plan came into force was never due
        assert overdue_activities(roadmap, approved_on) == {}
        assert overdue_steps(roadmap, approved_on) == {}
        assert overdue_activities(roadmap, date(2026, 12, 3)).keys() == {
            a.id for a in roadmap.stages[0].activities if a.deadline_text == "Ноябрь 2026 г."}


def test_in_december_the_moved_november_steps_are_flagged_and_block_submission(ctx, tree):
    roadmap_id = _school_from_model(tree, DECEMBER)
    with as_org(tree, "r1m1s1"):
        curator, user = _acting(tree, "r1m1s1.staff")
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        roadmap = db.session.get(Roadmap, roadmap_id)
        flagged = flagged_deadlines(roadmap)
        assert [(i.number, i.deadline_flag) for i in flagged] == [("1.2.", "passed"), ("1.3.", "passed")]
        with pytest.raises(RoadmapError) as refused:
            wf.submit(roadmap, school, curator, user)
        assert refused.value.code == "unconfirmed_deadlines"
        assert "1.2. «Формирование рабочей группы» (Ноябрь 2026 г.)" in refused.value.message
        assert "1.3." in refused.value.message and roadmap.status == "draft"
        # the author gives 1.2 a new date, and keeps 1.3 (it is late, and says so)
        update_item(flagged[0], {"deadline_text": "январь 2027"})
        assert flagged[0].deadline_flag is None and flagged[0].deadline_moved_from is None
        with pytest.raises(RoadmapError) as wrong:
            confirm_deadline(flagged[0], school)
        assert wrong.value.code == "not_flagged"
        confirm_deadline(flagged[1], school)
        wf.submit(roadmap, school, curator, user)
        db.session.commit()
    with unscoped("test"):
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "roadmap.deadline_confirmed"))
        assert event.org_id == tree.ids["r1m1s1"] and event.details["flag"] == "passed"


def test_last_years_roadmap_copied_into_the_new_year(ctx, tree):
    with as_org(tree, "r1m1s1"):
        curator, user = _acting(tree, "r1m1s1.staff")
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        last = create_from_template(school, user, builtin_templates()["donetsk-leninsky-2023-2024"],
                                    "2025 – 2026 учебный год", today=date(2025, 8, 20))
        db.session.flush()
        activity = last.stages[1].activities[0]
        update_item(activity, {"deadline_text": "30.11.2025"})
        assert [a.deadline_text for a in last.stages[0].activities][:2] == ["Октябрь 2025", "Ноябрь 2025"]
        assert (last.stages[5].activities[0].deadline_text, last.stages[6].activities[0].deadline_text) == (
            "2025-2026", "август 2026")
        assert not flagged_deadlines(last)
        new = create_from_previous(school, user, last, "2026 – 2027 учебный год", today=SEPTEMBER)
        db.session.flush()
        assert [a.deadline_text for a in new.stages[0].activities][:2] == ["Октябрь 2026", "Ноябрь 2026"]
        assert (new.stages[5].activities[0].deadline_text, new.stages[6].activities[0].deadline_text) == (
            "2026-2027", "август 2027")
        copied = new.stages[1].activities[0]
        assert (copied.deadline_text, copied.deadline_flag) == ("30.11.2025", "outside")  # never silently kept
        assert flagged_deadlines(new) == [copied]
        with pytest.raises(RoadmapError):
            wf.submit(new, school, curator, user)
        confirm_deadline(copied, school)
        wf.submit(new, school, curator, user)
        assert new.status == "submitted"


def test_a_new_period_moves_a_drafts_deadlines_again(ctx, tree):
    roadmap_id = _school_from_model(tree, SEPTEMBER)
    with as_org(tree, "r1m1s1"):
        roadmap = db.session.get(Roadmap, roadmap_id)
        update_roadmap(roadmap, roadmap.title, "2027 – 2028 учебный год", today=SEPTEMBER)
        activity = roadmap.stages[0].activities[1]
        assert (activity.deadline_text, activity.deadline_moved_from) == ("Ноябрь 2027 г.", "Ноябрь 2020 г.")
        assert not flagged_deadlines(roadmap)
        update_roadmap(roadmap, roadmap.title, "2027 – 2028 учебный год", preamble="  Цель: …  ", footnote="")
        assert roadmap.preamble == "Цель: …" and roadmap.footnote is None


def test_a_due_date_set_by_hand_beside_the_wording(ctx, tree):
    roadmap_id = _school_from_model(tree, SEPTEMBER)
    with as_org(tree, "r1m1s1"):
        roadmap = db.session.get(Roadmap, roadmap_id)
        activity = roadmap.stages[0].activities[1]
        update_item(activity, {"deadline_text": activity.deadline_text, "due_on": date(2026, 11, 16)})
        assert activity.deadline_text == "Ноябрь 2026 г."  # the wording stays
        assert set_due_on(activity) == date(2026, 11, 16)
        assert due_dates(roadmap, SEPTEMBER).activities[activity.id] == [date(2026, 11, 16)]
        update_item(activity, {"deadline_text": "", "due_on": date(2026, 11, 20)})
        assert activity.deadline_text == "20.11.2026" and set_due_on(activity) is None  # the date is the wording
        update_item(activity, {"deadline_text": "Ноябрь 2026 г.", "due_on": None})
        assert set_due_on(activity) is None
        assert due_dates(roadmap, SEPTEMBER).activities[activity.id] == [date(2026, 11, 30)]


def _approved_kindergarten(tree) -> int:
    """Seed 004's roadmap (stages 1 and 7 are text only), approved."""
    with as_org(tree, "r1m1s1"):
        curator, user = _acting(tree, "r1m1s1.staff")
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        roadmap = create_from_template(school, user, builtin_templates()["spb-dou49"], "2026 – 2027 учебный год",
                                       today=SEPTEMBER)
        db.session.commit()
        roadmap_id = roadmap.id
    with unscoped("test"):
        roadmap = db.session.get(Roadmap, roadmap_id)
        roadmap.status, roadmap.in_force_from = "approved", SEPTEMBER
        db.session.commit()
    db.session.remove()
    return roadmap_id


def test_a_stage_without_activities_is_done_with_evidence(ctx, tree):
    roadmap_id = _approved_kindergarten(tree)
    with as_org(tree, "r1m1s1"):
        curator, user = _acting(tree, "r1m1s1.staff")
        roadmap = db.session.get(Roadmap, roadmap_id)
        step, with_activities = roadmap.stages[0], roadmap.stages[1]
        assert step.content.startswith("Подготовка и принятие локальных нормативных правовых актов")
        total, per_stage = progress(roadmap)
        assert (total.done, total.total) == (0, 14) and (per_stage[step.id].total, per_stage[with_activities.id].total) == (1, 2)
        mark_done(step, curator, user, "Приказ № 12 от 01.09.2026", [check_upload("prikaz.pdf", PDF)])
        db.session.commit()
        assert step.done_at and step.done_note == "Приказ № 12 от 01.09.2026"
        assert [e.filename for e in step.evidence] == ["prikaz.pdf"]
        assert progress(roadmap)[0].done == 1
        with pytest.raises(RoadmapError) as refused:
            mark_done(with_activities, curator, user, None, [])
        assert refused.value.code == "not_a_step"
        mark_not_done(step, curator)
        assert step.done_at is None
        mark_done(step, curator, user, None, [])
        db.session.commit()
    db.session.remove()
    with as_org(tree, "r1m1"):  # the body above sees it done, not the file (personal data may be in it)
        roadmap = db.session.get(Roadmap, roadmap_id)
        assert roadmap.stages[0].done_at is not None
        assert db.session.scalars(sa.select(StageEvidence)).all() == []
    with unscoped("test"):
        actions = set(db.session.scalars(sa.select(AuditEvent.action)))
        assert {"roadmap.stage_done", "roadmap.stage_reopened"} <= actions


def test_a_stage_done_carries_into_the_next_approved_version(ctx, tree):
    roadmap_id = _approved_kindergarten(tree)
    with as_org(tree, "r1m1s1"):
        curator, user = _acting(tree, "r1m1s1.staff")
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        roadmap = db.session.get(Roadmap, roadmap_id)
        version_2 = start_new_version(roadmap, user, school)
        # done under version 1 while version 2 is being revised
        mark_done(roadmap.stages[0], curator, user, "сделано", [check_upload("prikaz.pdf", PDF)])
        db.session.commit()
        assert version_2.in_force_from == SEPTEMBER and version_2.preamble == roadmap.preamble
        assert version_2.stages[0].origin_stage_id == roadmap.stages[0].id
        version_2_id = version_2.id
        wf.submit(version_2, school, curator, user)
        db.session.commit()
    db.session.remove()
    with as_org(tree, "r1m1"):
        coordinator, user = _acting(tree, "r1m1.admin")
        version_2 = db.session.get(Roadmap, version_2_id)
        wf.approve(version_2, db.session.get(Organization, tree.ids["r1m1s1"]), coordinator, user,
                   today=date(2026, 10, 1))
        db.session.commit()
        assert version_2.in_force_from == SEPTEMBER  # the plan has been in force since version 1
    db.session.remove()
    with as_org(tree, "r1m1s1"):
        version_2 = db.session.get(Roadmap, version_2_id)
        step = version_2.stages[0]
        assert step.done_note == "сделано" and [e.filename for e in step.evidence] == ["prikaz.pdf"]


def test_a_step_with_a_deadline_is_overdue_like_an_activity(ctx, tree):
    roadmap_id = _approved_kindergarten(tree)
    with unscoped("test"):
        roadmap = db.session.get(Roadmap, roadmap_id)
        step = roadmap.stages[6]
        step.deadline_text, step.deadline = "октябрь 2026", parse_deadline("октябрь 2026").as_json()
        db.session.commit()
        assert overdue_steps(roadmap, date(2026, 11, 2)) == {step.id: date(2026, 10, 31)}
        step.done_at = datetime(2026, 10, 30, tzinfo=UTC)
        assert overdue_steps(roadmap, date(2026, 11, 2)) == {}


def test_no_reminder_for_a_recurring_date_before_the_plan_came_into_force(ctx, tree):
    from mentorship.roadmaps.reminders import send_deadline_reminders
    from tests.support.roadmaps import make_roadmap

    yearly = "ежегодно, не позднее 1 ноября"  # 01.11.2023: six days before 7 November
    before = make_roadmap(tree.ids["r1m1s1"], [yearly, "01.11.2023"])
    later = make_roadmap(tree.ids["r1m1s2"], [yearly])
    with unscoped("test"):
        db.session.get(Roadmap, before.id).in_force_from = date(2023, 11, 5)  # approved after 1 November
        db.session.commit()
    assert send_deadline_reminders(date(2023, 11, 7)) == 2  # the one-off date of the first, the second's yearly one
    with unscoped("test"):
        from mentorship.roadmaps.models import RoadmapReminder

        reminded = set(db.session.scalars(sa.select(RoadmapReminder.activity_id)))
    assert reminded == {before.activities[1], later.activities[0]}


def test_the_parser_reads_months_in_the_prepositional_case():
    assert parse_deadline("ежегодно в мае").due_dates(YEAR_2026) == [date(2027, 5, 31)]
    assert parse_deadline("в сентябре").due_dates(YEAR_2026) == [date(2026, 9, 30)]
    assert parse_deadline("ежегодно в марте и в ноябре").due_dates(YEAR_2026) == [date(2026, 11, 30),
                                                                                 date(2027, 3, 31)]
