"""Roadmaps through the web: create from a template, edit with deadline validation, submit,
return with comments, resubmit, approve, execute with evidence, export, oversight."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.roadmaps.models import ActivityEvidence, Roadmap, RoadmapActivity
from tenants.context import unscoped
from tenants.models import Notification
from tests.conftest import csrf_token_from

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 32


def _post(client, url, data=None, page=None, **kwargs):
    token = csrf_token_from(client.get(page or url, follow_redirects=True))
    return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)


def _client(app, login, email):
    client = app.test_client()
    login(client, email)
    return client


def _roadmap(app, roadmap_id):
    with app.app_context(), unscoped("test"):
        roadmap = db.session.get(Roadmap, roadmap_id)
        return {"status": roadmap.status, "version": roadmap.version, "lineage": roadmap.lineage_id}


@pytest.fixture
def created(app, tree, login):
    """A school curator creates a roadmap from the kindergarten template."""
    curator = _client(app, login, tree.emails["r1m1s1.staff"])
    page = curator.get("/roadmaps/new")
    assert 'value="template:spb-dou49"' in page.get_data(as_text=True)
    response = curator.post("/roadmaps/new", data={
        "source": "template:spb-dou49", "period_text": "2023 – 2024 учебный год", "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    roadmap_id = int(re.search(r"/roadmaps/(\d+)", response.headers["Location"]).group(1))
    with app.app_context(), unscoped("test"):
        activity_id = db.session.scalars(sa.select(RoadmapActivity.id).where(RoadmapActivity.roadmap_id == roadmap_id)
                                         .order_by(RoadmapActivity.id)).first()
    return curator, roadmap_id, activity_id


def test_the_whole_approval_round(app, tree, login, created):
    curator, roadmap_id, activity_id = created
    show = curator.get(f"/roadmaps/{roadmap_id}").get_data(as_text=True)
    assert "Формирование банка наставляемых" in show and "черновик" in show
    edit_url = f"/roadmaps/{roadmap_id}/activities/{activity_id}/edit"
    bad = _post(curator, edit_url, {"title": "Сбор запросов", "deadline_text": "31.02.2024"})
    assert bad.status_code == 200 and "такой даты нет" in bad.get_data(as_text=True)
    good = _post(curator, edit_url, {"title": "Сбор запросов", "deadline_text": "сентябрь 2023"})
    assert good.status_code == 302
    assert _post(curator, f"/roadmaps/{roadmap_id}/submit", {"comment": "Просим согласовать"},
                 page=f"/roadmaps/{roadmap_id}").status_code == 302
    assert _roadmap(app, roadmap_id)["status"] == "submitted"
    # a submitted roadmap is not edited
    _post(curator, edit_url, {"title": "Правка после отправки"}, page=f"/roadmaps/{roadmap_id}")
    with app.app_context(), unscoped("test"):
        assert db.session.get(RoadmapActivity, activity_id).title == "Сбор запросов"
    # the school cannot approve its own
    assert _post(curator, f"/roadmaps/{roadmap_id}/review", {"decision": "approve"},
                 page=f"/roadmaps/{roadmap_id}").status_code == 403

    coordinator = _client(app, login, tree.emails["r1m1.admin"])
    notes = coordinator.get("/roadmaps/notifications").get_data(as_text=True)
    assert "на согласование" in notes
    returned = _post(coordinator, f"/roadmaps/{roadmap_id}/review",
                     {"decision": "return", "comment": "Уточните сроки", f"activity-{activity_id}": "Слишком поздно"})
    assert returned.status_code == 302 and _roadmap(app, roadmap_id)["status"] == "returned"

    page = curator.get(f"/roadmaps/{roadmap_id}").get_data(as_text=True)
    assert "Уточните сроки" in page and "Слишком поздно" in page
    _post(curator, edit_url, {"title": "Сбор запросов", "deadline_text": "август 2023"})
    _post(curator, f"/roadmaps/{roadmap_id}/submit", page=f"/roadmaps/{roadmap_id}")
    assert _post(coordinator, f"/roadmaps/{roadmap_id}/review", {"decision": "approve", "comment": "Согласовано"}
                 ).status_code == 302
    assert _roadmap(app, roadmap_id)["status"] == "approved"

    ministry = _client(app, login, tree.emails["r1.admin"])
    region = ministry.get("/roadmaps/oversight").get_data(as_text=True)
    assert "Управление 1.1" in region
    drill = ministry.get(f"/roadmaps/oversight/{tree.ids['r1m1']}").get_data(as_text=True)
    assert "Школа 1.1.1" in drill and "согласована" in drill
    assert ministry.get(f"/roadmaps/{roadmap_id}").status_code == 200
    history = ministry.get(f"/roadmaps/{roadmap_id}").get_data(as_text=True)
    assert history.count("направлена на согласование") + history.count("на согласование") >= 1

    # changing the approved roadmap starts version 2, which needs approval again
    response = _post(curator, f"/roadmaps/{roadmap_id}/new-version", page=f"/roadmaps/{roadmap_id}")
    new_id = int(re.search(r"/roadmaps/(\d+)", response.headers["Location"]).group(1))
    assert _roadmap(app, new_id) == {"status": "draft", "version": 2, "lineage": _roadmap(app, roadmap_id)["lineage"]}
    assert curator.get(f"/roadmaps/{new_id}/compare?with={roadmap_id}").status_code == 200


def _approve(app, roadmap_id):
    with app.app_context(), unscoped("test"):
        db.session.get(Roadmap, roadmap_id).status = "approved"
        db.session.commit()


def test_execution_with_evidence_checked_by_content(app, tree, login, created):
    curator, roadmap_id, activity_id = created
    _approve(app, roadmap_id)
    url = f"/roadmaps/{roadmap_id}/activities/{activity_id}/done"

    def upload(name, data):
        return _post(curator, url, {"note": "Приказ издан", "files": (io.BytesIO(data), name)},
                     content_type="multipart/form-data")

    disguised = upload("prikaz.pdf", PNG)
    assert disguised.status_code == 200 and "prikaz.pdf: " in disguised.get_data(as_text=True)
    with app.app_context(), unscoped("test"):
        assert db.session.get(RoadmapActivity, activity_id).done_at is None
        assert db.session.scalar(sa.select(sa.func.count(ActivityEvidence.id))) == 0
    too_big = upload("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    assert too_big.status_code == 200 and "big.pdf: " in too_big.get_data(as_text=True)
    assert upload("prikaz.pdf", PDF).status_code == 302
    with app.app_context(), unscoped("test"):
        evidence = db.session.scalar(sa.select(ActivityEvidence))
        assert evidence.content_type == "application/pdf" and db.session.get(RoadmapActivity, activity_id).done_at
        evidence_id = evidence.id
    download = curator.get(f"/roadmaps/{roadmap_id}/evidence/{evidence_id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    coordinator = _client(app, login, tree.emails["r1m1.admin"])
    # evidence may carry personal data: the body above sees that it is done, not the files
    assert coordinator.get(f"/roadmaps/{roadmap_id}/evidence/{evidence_id}").status_code == 404
    page = coordinator.get(f"/roadmaps/{roadmap_id}").get_data(as_text=True)
    assert "prikaz.pdf" not in page and curator.get(f"/roadmaps/{roadmap_id}").get_data(as_text=True).count("prikaz.pdf") == 1
    # the coordinator reads but does not execute the school's roadmap
    assert _post(coordinator, f"/roadmaps/{roadmap_id}/activities/{activity_id}/reopen",
                 page=f"/roadmaps/{roadmap_id}").status_code == 302
    with app.app_context(), unscoped("test"):
        assert db.session.get(RoadmapActivity, activity_id).done_at is not None


def test_exports(app, tree, login, created):
    curator, roadmap_id, _activity = created
    xlsx = curator.get(f"/roadmaps/{roadmap_id}/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK" and "spreadsheetml" in xlsx.mimetype
    docx = curator.get(f"/roadmaps/{roadmap_id}/export.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK" and "wordprocessingml" in docx.mimetype
    assert curator.get(f"/roadmaps/{roadmap_id}/export.pdf").status_code == 404


def test_oversight_filters_and_reminds(app, tree, login, created):
    coordinator = _client(app, login, tree.emails["r1m1.admin"])
    page = coordinator.get("/roadmaps/oversight?state=missing").get_data(as_text=True)
    assert "Школа 1.1.2" in page and "Школа 1.1.1" not in page  # s1 has a draft
    drafts = coordinator.get("/roadmaps/oversight?state=draft").get_data(as_text=True)
    assert "Школа 1.1.1" in drafts
    assert _post(coordinator, "/roadmaps/oversight/remind", page="/roadmaps/oversight").status_code == 302
    with app.app_context(), unscoped("test"):
        reminded = set(db.session.scalars(sa.select(Notification.recipient_org_id).where(Notification.kind == "roadmap.remind")))
    assert reminded == {tree.ids["r1m1s1"], tree.ids["r1m1s2"]}
    specialist = _client(app, login, tree.emails["r1m1.staff"])
    assert _post(specialist, "/roadmaps/oversight/remind", page="/roadmaps/oversight").status_code == 403
    school = _client(app, login, tree.emails["r1m1s1.admin"])
    assert school.get("/roadmaps/oversight").status_code == 404


def test_transitions_mail_the_other_side_after_commit(app, tree, login, created, monkeypatch):
    from core import mail

    sent = []
    monkeypatch.setattr(mail.send, "apply_async", lambda args=(), kwargs=None, **_o: sent.append(args))
    curator, roadmap_id, _activity = created
    _post(curator, f"/roadmaps/{roadmap_id}/submit", page=f"/roadmaps/{roadmap_id}")
    recipients = sorted(args[0] for args in sent)
    assert recipients == [tree.emails["r1m1.admin"], tree.emails["r1m1.staff"]]  # the municipal body
    assert all(f"/roadmaps/{roadmap_id}" in args[2] for args in sent)
    sent.clear()
    coordinator = _client(app, login, tree.emails["r1m1.admin"])
    _post(coordinator, f"/roadmaps/{roadmap_id}/review", {"decision": "return", "comment": "Доработать"})
    assert sorted(args[0] for args in sent) == [tree.emails["r1m1s1.admin"], tree.emails["r1m1s1.staff"]]


def test_the_ministry_decides_whether_municipal_roadmaps_need_it(app, tree, login):
    from mentorship.region.models import RegionSettings

    ministry = _client(app, login, tree.emails["r1.admin"])
    assert _post(ministry, "/roadmaps/settings", {"municipal_roadmaps_need_approval": "y"}).status_code == 302
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(RegionSettings.municipal_roadmaps_need_approval)) is True
    analyst = _client(app, login, tree.emails["r1.staff"])
    assert analyst.get("/roadmaps/settings").status_code == 403
    coordinator = _client(app, login, tree.emails["r1m1.admin"])
    assert coordinator.get("/roadmaps/settings").status_code == 403


def test_stage_edit(app, tree, login, created):
    curator, roadmap_id, _activity = created
    with app.app_context(), unscoped("test"):
        stage_id = db.session.get(Roadmap, roadmap_id).stages[0].id
    url = f"/roadmaps/{roadmap_id}/stages/{stage_id}/edit"
    assert _post(curator, url, {"title": "Подготовка условий", "deadline_text": "август 2023"}).status_code == 302
    bad = _post(curator, url, {"title": "Подготовка условий", "deadline_text": "август 2023 – июль 2023"})
    assert bad.status_code == 200 and "раньше" in bad.get_data(as_text=True)


def test_add_and_delete_an_activity(app, tree, login, created):
    curator, roadmap_id, _activity = created
    with app.app_context(), unscoped("test"):
        stage_id = db.session.get(Roadmap, roadmap_id).stages[2].id
        before = db.session.scalar(sa.select(sa.func.count(RoadmapActivity.id)).where(RoadmapActivity.stage_id == stage_id))
    url = f"/roadmaps/{roadmap_id}/stages/{stage_id}/activities/new"
    assert _post(curator, url, {"title": "Встреча с родителями", "deadline_text": "когда-нибудь"}).status_code == 200
    response = _post(curator, url, {"title": "Встреча с родителями", "deadline_text": "октябрь 2023"})
    assert response.status_code == 302
    with app.app_context(), unscoped("test"):
        added = db.session.scalar(sa.select(RoadmapActivity).where(RoadmapActivity.title == "Встреча с родителями"))
        assert added.deadline["kind"] == "month" and added.position == before
        added_id = added.id
    assert _post(curator, f"/roadmaps/{roadmap_id}/activities/{added_id}/delete",
                 page=f"/roadmaps/{roadmap_id}").status_code == 302
    with app.app_context(), unscoped("test"):
        assert db.session.get(RoadmapActivity, added_id) is None


def test_roadmap_page_query_count_does_not_grow_with_its_size(app, tree, login):
    from sqlalchemy import event

    curator = _client(app, login, tree.emails["r1m1s1.staff"])
    counts = []
    for template in ("spb-dou49", "kirov-college-school"):  # 12 and 22 activities
        page = curator.get("/roadmaps/new")
        response = curator.post("/roadmaps/new", data={"source": f"template:{template}",
                                                       "csrf_token": csrf_token_from(page)})
        url = response.headers["Location"]
        statements = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert curator.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 15, counts


def test_ancestors_read_but_never_change_a_schools_roadmap(app, tree, login, created):
    curator, roadmap_id, activity_id = created
    _approve(app, roadmap_id)
    for who in ("r1m1.admin", "r1.admin"):
        above = _client(app, login, tree.emails[who])
        page = f"/roadmaps/{roadmap_id}"
        assert above.get(page).status_code == 200
        for url, data in (
            (f"/roadmaps/{roadmap_id}/activities/{activity_id}/done", {"note": "x"}),
            (f"/roadmaps/{roadmap_id}/activities/{activity_id}/edit", {"title": "x"}),
            (f"/roadmaps/{roadmap_id}/new-version", {}),
        ):
            assert _post(above, url, data, page=page).status_code in (302, 403)
    with app.app_context(), unscoped("test"):
        activity = db.session.get(RoadmapActivity, activity_id)
        assert activity.done_at is None and activity.title != "x"
        assert db.session.scalar(sa.select(sa.func.count(Roadmap.id))) == 1


def test_the_ministry_approves_municipal_roadmaps_when_the_region_says_so(app, tree, login):
    ministry = _client(app, login, tree.emails["r1.admin"])
    _post(ministry, "/roadmaps/settings", {"municipal_roadmaps_need_approval": "y"})
    coordinator = _client(app, login, tree.emails["r1m1.admin"])
    page = coordinator.get("/roadmaps/new")
    response = coordinator.post("/roadmaps/new", data={"source": "template:khabarovsk-2022-2024",
                                                       "csrf_token": csrf_token_from(page)})
    roadmap_id = int(re.search(r"/roadmaps/(\d+)", response.headers["Location"]).group(1))
    # no longer its own to approve
    assert _post(coordinator, f"/roadmaps/{roadmap_id}/review", {"decision": "approve"},
                 page=f"/roadmaps/{roadmap_id}").status_code == 403
    _post(coordinator, f"/roadmaps/{roadmap_id}/submit", page=f"/roadmaps/{roadmap_id}")
    assert _post(ministry, f"/roadmaps/{roadmap_id}/review", {"decision": "return", "comment": "Дополните"}
                 ).status_code == 302
    _post(coordinator, f"/roadmaps/{roadmap_id}/submit", page=f"/roadmaps/{roadmap_id}")
    assert _post(ministry, f"/roadmaps/{roadmap_id}/review", {"decision": "approve"}).status_code == 302
    assert _roadmap(app, roadmap_id)["status"] == "approved"


def test_periods_are_validated(app, tree, login):
    curator = _client(app, login, tree.emails["r1m1s1.staff"])
    page = curator.get("/roadmaps/new")
    for bad in ("2023 – 2025 учебный год", "когда-нибудь", "постоянно"):
        response = curator.post("/roadmaps/new", data={"source": "template:spb-dou49", "period_text": bad,
                                                       "csrf_token": csrf_token_from(page)})
        assert response.status_code == 200, bad
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count(Roadmap.id))) == 0


def test_transition_mail_says_what_happened(app, tree, login, created, monkeypatch):
    from core import mail

    sent = []
    monkeypatch.setattr(mail.send, "apply_async", lambda args=(), kwargs=None, **_o: sent.append(args))
    curator, roadmap_id, _activity = created
    _post(curator, f"/roadmaps/{roadmap_id}/submit", {"comment": "Просим согласовать"}, page=f"/roadmaps/{roadmap_id}")
    to, subject, body = sent[0]
    assert "Школа 1.1.1" in subject and "направлена на согласование" in subject
    assert "Просим согласовать" in body


def test_the_ministry_publishes_its_model_roadmap(app, tree, login):
    ministry = _client(app, login, tree.emails["r1.admin"])
    page = ministry.get("/roadmaps/new")
    response = ministry.post("/roadmaps/new", data={"source": "template:kirov-region-2020-2024",
                                                    "csrf_token": csrf_token_from(page)})
    roadmap_id = int(re.search(r"/roadmaps/(\d+)", response.headers["Location"]).group(1))
    _post(ministry, f"/roadmaps/{roadmap_id}/review", {"decision": "approve"}, page=f"/roadmaps/{roadmap_id}")
    school = _client(app, login, tree.emails["r1m1s2.staff"])
    assert "published:" not in school.get("/roadmaps/new").get_data(as_text=True)
    assert _post(ministry, f"/roadmaps/{roadmap_id}/publish", page=f"/roadmaps/{roadmap_id}").status_code == 302
    assert 'value="published:' in school.get("/roadmaps/new").get_data(as_text=True)
    other_region = _client(app, login, tree.emails["r2m1s1.staff"])
    assert "published:" not in other_region.get("/roadmaps/new").get_data(as_text=True)


def test_ministry_table_sums_its_schools(app, tree, login, created):
    from datetime import date as _date

    from mentorship.roadmaps.deadlines import parse_deadline
    from mentorship.roadmaps.oversight import municipal_summaries
    from tenants.context import tenant_scope
    from tenants.models import Organization

    curator, roadmap_id, activity_id = created
    with app.app_context(), unscoped("test"):  # the kindergarten template has no deadlines: give one
        activity = db.session.get(RoadmapActivity, activity_id)
        activity.deadline_text, activity.deadline = "сентябрь 2023", parse_deadline("сентябрь 2023").as_json()
        db.session.commit()
    _approve(app, roadmap_id)
    with app.app_context(), tenant_scope(tree.ids["r1"], tree.paths["r1"]):
        munis = [db.session.get(Organization, tree.ids[k]) for k in ("r1m1", "r1m2")]
        first, second = municipal_summaries(munis, _date(2024, 9, 1))
        assert (first.schools, first.by_state["approved"], first.by_state["missing"]) == (2, 1, 1)
        # 12 activities and the two stages without activities (seed 004's stages 1 and 7)
        assert first.total == 14 and first.done == 0 and first.overdue == 1
        assert (second.schools, second.total, second.overdue) == (2, 0, 0)
    ministry = _client(app, login, tree.emails["r1.admin"])
    assert "%" in ministry.get("/roadmaps/oversight").get_data(as_text=True)


def test_title_period_stages_and_draft_deletion(app, tree, login, created):
    curator, roadmap_id, _activity = created
    bad = _post(curator, f"/roadmaps/{roadmap_id}/edit", {"title": "План", "period_text": "2024–2026 учебный год"})
    assert bad.status_code == 200
    assert _post(curator, f"/roadmaps/{roadmap_id}/edit",
                 {"title": "План на год", "period_text": "2024 – 2025 учебный год"}).status_code == 302
    with app.app_context(), unscoped("test"):
        roadmap = db.session.get(Roadmap, roadmap_id)
        assert roadmap.title == "План на год" and roadmap.period_start.year == 2024
        stages_before = len(roadmap.stages)
    assert _post(curator, f"/roadmaps/{roadmap_id}/stages/new", {"title": "Итоги года"},
                 page=f"/roadmaps/{roadmap_id}/stages/new").status_code == 302
    with app.app_context(), unscoped("test"):
        stages = db.session.get(Roadmap, roadmap_id).stages
        assert len(stages) == stages_before + 1 and stages[-1].title == "Итоги года"
        first_stage = stages[0].id
    assert _post(curator, f"/roadmaps/{roadmap_id}/stages/{first_stage}/delete",
                 page=f"/roadmaps/{roadmap_id}").status_code == 302
    with app.app_context(), unscoped("test"):
        assert len(db.session.get(Roadmap, roadmap_id).stages) == stages_before
    assert _post(curator, f"/roadmaps/{roadmap_id}/delete", page=f"/roadmaps/{roadmap_id}").status_code == 302
    with app.app_context(), unscoped("test"):
        assert db.session.get(Roadmap, roadmap_id) is None


def test_a_submitted_roadmap_cannot_be_deleted_and_evidence_can_be_taken_back(app, tree, login, created):
    curator, roadmap_id, activity_id = created
    _post(curator, f"/roadmaps/{roadmap_id}/submit", page=f"/roadmaps/{roadmap_id}")
    _post(curator, f"/roadmaps/{roadmap_id}/delete", page=f"/roadmaps/{roadmap_id}")
    assert _roadmap(app, roadmap_id)["status"] == "submitted"
    _approve(app, roadmap_id)
    url = f"/roadmaps/{roadmap_id}/activities/{activity_id}/done"
    _post(curator, url, {"files": (io.BytesIO(PDF), "wrong.pdf")}, content_type="multipart/form-data")
    with app.app_context(), unscoped("test"):
        evidence_id = db.session.scalar(sa.select(ActivityEvidence.id))
    assert _post(curator, f"/roadmaps/{roadmap_id}/evidence/{evidence_id}/delete", page=url).status_code == 302
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count(ActivityEvidence.id))) == 0


def _audited(app) -> list[tuple[str, int | None, dict]]:
    from tenants.models import AuditEvent

    with app.app_context(), unscoped("test"):
        return [(e.action, e.org_id, e.details) for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def test_exports_evidence_reminders_settings_publication_and_deletion_are_audited(app, tree, login, created):
    curator, roadmap_id, activity_id = created
    ministry = _client(app, login, tree.emails["r1.admin"])
    coordinator = _client(app, login, tree.emails["r1m1.admin"])
    assert curator.get(f"/roadmaps/{roadmap_id}/export.docx").status_code == 200
    assert _post(coordinator, "/roadmaps/oversight/remind", page="/roadmaps/oversight").status_code == 302
    assert _post(ministry, "/roadmaps/settings", {"municipal_roadmaps_need_approval": "y"}).status_code == 302
    page = ministry.get("/roadmaps/new")
    response = ministry.post("/roadmaps/new", data={"source": "template:kirov-region-2020-2024",
                                                    "csrf_token": csrf_token_from(page)})
    model_id = int(re.search(r"/roadmaps/(\d+)", response.headers["Location"]).group(1))
    _post(ministry, f"/roadmaps/{model_id}/review", {"decision": "approve"}, page=f"/roadmaps/{model_id}")
    assert _post(ministry, f"/roadmaps/{model_id}/publish", page=f"/roadmaps/{model_id}").status_code == 302
    _approve(app, roadmap_id)
    done = f"/roadmaps/{roadmap_id}/activities/{activity_id}/done"
    _post(curator, done, {"files": (io.BytesIO(PDF), "prikaz.pdf")}, content_type="multipart/form-data")
    with app.app_context(), unscoped("test"):
        evidence_id = db.session.scalar(sa.select(ActivityEvidence.id))
    assert curator.get(f"/roadmaps/{roadmap_id}/evidence/{evidence_id}").status_code == 200

    events = {action: (org_id, details) for action, org_id, details in _audited(app)}
    school, body, region = tree.ids["r1m1s1"], tree.ids["r1m1"], tree.ids["r1"]
    assert events["roadmap.exported"] == (school, {"format": "docx"})
    assert events["roadmap.bulk_reminder"] == (body, {"schools": [school, tree.ids["r1m1s2"]]})
    assert events["region.settings_changed"] == (region, {"municipal_roadmaps_need_approval": True})
    assert events["roadmap.published"][0] == region
    assert events["roadmap.evidence_viewed"][0] == school

    draft = _client(app, login, tree.emails["r1m1s2.staff"])
    page = draft.get("/roadmaps/new")
    response = draft.post("/roadmaps/new", data={"source": "template:spb-dou49", "csrf_token": csrf_token_from(page)})
    draft_id = int(re.search(r"/roadmaps/(\d+)", response.headers["Location"]).group(1))
    assert _post(draft, f"/roadmaps/{draft_id}/delete", page=f"/roadmaps/{draft_id}").status_code == 302
    assert ("roadmap.deleted", tree.ids["r1m1s2"], {"roadmap_id": draft_id}) in _audited(app)


def test_a_refused_evidence_file_is_named_beside_the_files_field(app, tree, login, created):
    curator, roadmap_id, activity_id = created
    _approve(app, roadmap_id)
    url = f"/roadmaps/{roadmap_id}/activities/{activity_id}/done"
    response = _post(curator, url, {"files": [(io.BytesIO(PDF), "ok.pdf"), (io.BytesIO(b""), "pusto.pdf"),
                                              (io.BytesIO(PNG), "foto.pdf")]},
                     content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    errors = html.split('id="files-errors"')[1].split("</div>")[0]
    assert response.status_code == 200 and "pusto.pdf: " in errors and "foto.pdf: " in errors
    assert "ok.pdf" not in errors
    with app.app_context(), unscoped("test"):
        assert db.session.scalar(sa.select(sa.func.count(ActivityEvidence.id))) == 0  # none kept
