"""The roadmap workflow as a state machine, and editing/versioning rules (domain level)."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.region.models import RegionSettings
from mentorship.roadmaps import workflow as wf
from mentorship.roadmaps.builtin import builtin_templates
from mentorship.roadmaps.editing import (
    RoadmapError,
    compare,
    create_from_previous,
    create_from_template,
    overdue_activities,
    progress,
    start_new_version,
    update_item,
)
from mentorship.roadmaps.models import Roadmap, RoadmapTransition
from tenants.context import tenant_scope, unscoped
from tenants.models import Membership, Notification, Organization, User


def _acting(tree, who):
    key, _, kind = who.partition(".")
    user_id = tree.users[who].id
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == user_id))
    return membership, db.session.get(User, user_id)


def as_org(tree, key):
    return tenant_scope(tree.ids[key], tree.paths[key])


@pytest.fixture
def school_roadmap(ctx, tree):
    with as_org(tree, "r1m1s1"):
        membership, user = _acting(tree, "r1m1s1.staff")
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        roadmap = create_from_template(school, user, builtin_templates()["kirov-college-school"], "2023 – 2024 учебный год")
        db.session.commit()
        roadmap_id = roadmap.id
    db.session.remove()
    return roadmap_id


def _load(roadmap_id):
    return db.session.get(Roadmap, roadmap_id)


def test_created_from_a_template_with_every_stage_and_activity(tree, school_roadmap):
    template = builtin_templates()["kirov-college-school"]
    with as_org(tree, "r1m1s1"):
        roadmap = _load(school_roadmap)
        assert roadmap.status == "draft" and roadmap.version == 1 and roadmap.lineage_id == roadmap.id
        assert len(roadmap.stages) == len(template.stages)
        assert sum(len(s.activities) for s in roadmap.stages) == template.activity_count
        assert roadmap.period_start == date(2023, 8, 1) and roadmap.period_end == date(2024, 8, 31)
        first = roadmap.stages[0].activities[0]
        assert first.title == template.stages[0].activities[0].title
        assert first.deadline["kind"] == "month"  # «Август», structured


def test_submit_return_resubmit_approve(tree, school_roadmap):
    with as_org(tree, "r1m1s1"):
        curator, curator_user = _acting(tree, "r1m1s1.staff")
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        roadmap = _load(school_roadmap)
        with pytest.raises(RoadmapError):
            wf.approve(roadmap, school, curator, curator_user)  # a school never approves its own
        wf.submit(roadmap, school, curator, curator_user, "Просим согласовать")
        with pytest.raises(RoadmapError) as err:
            update_item(roadmap.stages[0].activities[0], {"title": "правка"})
        assert err.value.code == "not_editable"
        db.session.commit()
        activity_id = roadmap.stages[1].activities[0].id
    db.session.remove()
    with as_org(tree, "r1m1"):
        coordinator, coordinator_user = _acting(tree, "r1m1.admin")
        specialist, specialist_user = _acting(tree, "r1m1.staff")
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        roadmap = _load(school_roadmap)
        with pytest.raises(RoadmapError):
            wf.approve(roadmap, school, specialist, specialist_user)  # the coordinator decides
        with pytest.raises(RoadmapError) as err:
            wf.return_for_revision(roadmap, school, coordinator, coordinator_user, "", {})
        assert err.value.code == "comment_required"
        wf.return_for_revision(roadmap, school, coordinator, coordinator_user, "Уточните сроки",
                               {activity_id: "Срок не по плану"})
        db.session.commit()
    db.session.remove()
    with as_org(tree, "r1m1s1"):
        curator, curator_user = _acting(tree, "r1m1s1.staff")
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        roadmap = _load(school_roadmap)
        assert roadmap.status == "returned"
        assert [c.text for c in wf.comments_by_activity(roadmap)[activity_id]] == ["Срок не по плану"]
        update_item(roadmap.stages[1].activities[0], {"deadline_text": "сентябрь 2023"})
        with pytest.raises(RoadmapError) as err:
            update_item(roadmap.stages[1].activities[0], {"deadline_text": "31.02.2024"})
        assert err.value.code == "bad_deadline" and "такой даты нет" in err.value.message
        assert err.value.messages[0][0] == "deadline_text"  # shown beside the deadline field
        wf.submit(roadmap, school, curator, curator_user)
        db.session.commit()
    db.session.remove()
    with as_org(tree, "r1m1"):
        coordinator, coordinator_user = _acting(tree, "r1m1.admin")
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        roadmap = _load(school_roadmap)
        wf.approve(roadmap, school, coordinator, coordinator_user, "Согласовано")
        db.session.commit()
        with pytest.raises(RoadmapError):
            wf.approve(roadmap, school, coordinator, coordinator_user)  # not submitted any more
    db.session.remove()
    with unscoped("test"):
        actions = db.session.scalars(sa.select(RoadmapTransition.action).where(
            RoadmapTransition.roadmap_id == school_roadmap).order_by(RoadmapTransition.id)).all()
        assert actions == ["created", "submit", "return", "submit", "approve"]
        kinds = db.session.scalars(sa.select(Notification.kind).order_by(Notification.id)).all()
        assert kinds == ["roadmap.submit", "roadmap.return", "roadmap.submit", "roadmap.approve"]


def test_other_municipal_body_cannot_review(tree, school_roadmap):
    with as_org(tree, "r1m1s1"):
        curator, user = _acting(tree, "r1m1s1.staff")
        wf.submit(_load(school_roadmap), db.session.get(Organization, tree.ids["r1m1s1"]), curator, user)
        db.session.commit()
    db.session.remove()
    with as_org(tree, "r1m2"):
        assert _load(school_roadmap) is None  # not even visible


def _approve_directly(tree, roadmap_id):
    with unscoped("test"):
        roadmap = _load(roadmap_id)
        roadmap.status = "approved"
        db.session.commit()
    db.session.remove()


def test_an_approved_version_is_immutable_and_a_change_starts_the_next(tree, school_roadmap):
    _approve_directly(tree, school_roadmap)
    with as_org(tree, "r1m1s1"):
        curator, user = _acting(tree, "r1m1s1.staff")
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        approved = _load(school_roadmap)
        with pytest.raises(RoadmapError):
            update_item(approved.stages[0], {"title": "x"})
        second = start_new_version(approved, user, school)
        db.session.flush()
        assert (second.version, second.status, second.lineage_id, second.previous_id) == (2, "draft", approved.lineage_id, approved.id)
        update_item(second.stages[0], {"title": "Новое название этапа"})
        rows = compare(approved, second)
        assert rows[0]["changed"] == ["title"] and all(not r["changed"] for r in rows[1:])
        with pytest.raises(RoadmapError):
            start_new_version(approved, user, school)  # only from the latest version
        db.session.commit()


def test_next_year_from_last_years_roadmap(tree, school_roadmap):
    with as_org(tree, "r1m1s1"):
        curator, user = _acting(tree, "r1m1s1.staff")
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        old = _load(school_roadmap)
        new = create_from_previous(school, user, old, "2024 – 2025 учебный год")
        db.session.flush()
        assert new.lineage_id == new.id != old.lineage_id
        assert new.period_start == date(2024, 8, 1)
        assert [s.title for s in new.stages] == [s.title for s in old.stages]


def test_progress_and_overdue(tree, school_roadmap):
    _approve_directly(tree, school_roadmap)
    with as_org(tree, "r1m1s1"):
        roadmap = _load(school_roadmap)
        first = roadmap.stages[0].activities[0]  # «Август» → due 31.08.2023
        overdue = overdue_activities(roadmap, date(2023, 9, 15))
        assert overdue[first.id] == date(2023, 8, 31)
        from core.model import utcnow
        first.done_at = utcnow()
        assert first.id not in overdue_activities(roadmap, date(2023, 9, 15))
        total, per_stage = progress(roadmap)
        assert total.done == 1 and per_stage[roadmap.stages[0].id].done == 1


def test_municipal_roadmaps_need_the_ministry_when_the_region_says_so(tree, ctx):
    with as_org(tree, "r1m1"):
        coordinator, user = _acting(tree, "r1m1.admin")
        muni = db.session.get(Organization, tree.ids["r1m1"])
        roadmap = create_from_template(muni, user, builtin_templates()["khabarovsk-2022-2024"])
        db.session.flush()
        assert wf.reviewer_org_id(muni) is None
        wf.approve(roadmap, muni, coordinator, user)  # confirms its own
        db.session.commit()
    db.session.remove()
    with as_org(tree, "r1"):
        db.session.add(RegionSettings(org_id=tree.ids["r1"], municipal_roadmaps_need_approval=True))
        db.session.commit()
    db.session.remove()
    with as_org(tree, "r1m1"):
        coordinator, user = _acting(tree, "r1m1.admin")
        muni = db.session.get(Organization, tree.ids["r1m1"])
        assert wf.reviewer_org_id(muni) == tree.ids["r1"]
        draft = create_from_template(muni, user, builtin_templates()["khabarovsk-2022-2024"])
        db.session.flush()
        with pytest.raises(RoadmapError):
            wf.approve(draft, muni, coordinator, user)
        wf.submit(draft, muni, coordinator, user)
        db.session.commit()


def test_the_ministry_publishes_an_approved_roadmap_as_the_regions_model(tree, ctx):
    from mentorship.roadmaps.published import PublishError, publish_as_model, region_templates

    with as_org(tree, "r1"):
        admin, user = _acting(tree, "r1.admin")
        ministry = db.session.get(Organization, tree.ids["r1"])
        roadmap = create_from_template(ministry, user, builtin_templates()["kirov-region-2020-2024"])
        db.session.flush()
        with pytest.raises(PublishError):
            publish_as_model(roadmap, ministry)  # a draft is not published
        wf.approve(roadmap, ministry, admin, user)  # the ministry confirms its own
        db.session.flush()
        assert region_templates() == []  # approving alone does not publish
        publish_as_model(roadmap, ministry)
        db.session.commit()
    db.session.remove()
    with as_org(tree, "r1m1s2"):  # a school of the region sees it and creates its roadmap from it
        curator, user = _acting(tree, "r1m1s2.staff")
        [model] = region_templates()
        school = db.session.get(Organization, tree.ids["r1m1s2"])
        copy = create_from_template(school, user, model.as_template(), "2024 – 2025 учебный год")
        db.session.flush()
        assert [s.title for s in copy.stages] == [s.title for s in builtin_templates()["kirov-region-2020-2024"].stages]
        db.session.rollback()
    db.session.remove()
    with as_org(tree, "r2m1s1"):  # another region does not
        assert region_templates() == []


def test_execution_continues_into_the_next_approved_version(tree, school_roadmap):
    from core.uploads import CheckedFile
    from mentorship.roadmaps.editing import is_current_approved
    from mentorship.roadmaps.execution import mark_done

    _approve_directly(tree, school_roadmap)
    pdf = CheckedFile("prikaz.pdf", "application/pdf", b"%PDF-1.4\n")
    with as_org(tree, "r1m1s1"):
        curator, user = _acting(tree, "r1m1s1.staff")
        school = db.session.get(Organization, tree.ids["r1m1s1"])
        v1 = _load(school_roadmap)
        first, second = v1.stages[1].activities[0], v1.stages[1].activities[1]
        mark_done(first, curator, user, "Приказ издан", [pdf])
        v2 = start_new_version(v1, user, school)
        db.session.flush()
        assert v2.stages[1].activities[0].done_at is not None  # the draft shows what is done
        mark_done(second, curator, user, "Сделано, пока шла доработка", [])  # v1 is still in force
        wf.submit(v2, school, curator, user)
        db.session.commit()
        v2_id = v2.id
    db.session.remove()
    with as_org(tree, "r1m1"):
        coordinator, c_user = _acting(tree, "r1m1.admin")
        wf.approve(_load(v2_id), db.session.get(Organization, tree.ids["r1m1s1"]), coordinator, c_user)
        db.session.commit()
    db.session.remove()
    with as_org(tree, "r1m1s1"):
        curator, user = _acting(tree, "r1m1s1.staff")
        v1, v2 = _load(school_roadmap), _load(v2_id)
        new_first, new_second = v2.stages[1].activities[0], v2.stages[1].activities[1]
        assert new_first.done_at and [e.filename for e in new_first.evidence] == ["prikaz.pdf"]
        assert new_second.done_at and new_second.done_note == "Сделано, пока шла доработка"
        assert is_current_approved(v2) and not is_current_approved(v1)
        with pytest.raises(RoadmapError):
            mark_done(v1.stages[0].activities[0], curator, user, None, [])  # the superseded version
        rows = compare(v1, v2)
        assert all(not r["changed"] for r in rows)
