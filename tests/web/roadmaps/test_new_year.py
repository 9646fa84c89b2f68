"""Roadmaps that move into the new year, through the web (issue 15): a school's 2026/27 roadmap
from the region's published model roadmap, its deadlines moved and shown as dates, flagged
deadlines refusing submission until changed or kept, the text around the table on the page and
in the DOCX, stages without activities done with evidence."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from docx import Document

from core.extensions import db
from mentorship.roadmaps.models import Roadmap, RoadmapActivity, StageEvidence
from tenants.context import unscoped
from tests.conftest import csrf_token_from

pytestmark = pytest.mark.backends("sqlite", "postgresql")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(client, url, data=None, page=None, **kwargs):
    token = csrf_token_from(client.get(page or url, follow_redirects=True))
    return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)


def _client(app, login, email):
    client = app.test_client()
    login(client, email)
    return client


@pytest.fixture
def today(monkeypatch):
    """The region's date the roadmap pages use; a test sets ``today.value``."""
    from blueprints.roadmaps import review_views, views

    class Today:
        value = date(2026, 9, 1)

    for module in (views, review_views):
        monkeypatch.setattr(module, "region_today", lambda: Today.value)
    return Today


def _new_roadmap(client, source, period=""):
    page = client.get("/roadmaps/new")
    response = client.post("/roadmaps/new", data={"source": source, "period_text": period,
                                                  "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(re.search(r"/roadmaps/(\d+)", response.headers["Location"]).group(1))


@pytest.fixture
def model(app, tree, login, today):
    """The ministry approves its roadmap from seed 001 and publishes it as the region's model."""
    ministry = _client(app, login, tree.emails["r1.admin"])
    roadmap_id = _new_roadmap(ministry, "template:kirov-region-2020-2024")
    assert _post(ministry, f"/roadmaps/{roadmap_id}/review", {"decision": "approve"},
                 page=f"/roadmaps/{roadmap_id}").status_code == 302
    assert _post(ministry, f"/roadmaps/{roadmap_id}/publish", page=f"/roadmaps/{roadmap_id}").status_code == 302
    school = _client(app, login, tree.emails["r1m1s1.staff"])
    published = re.search(r'value="(published:\d+)"', school.get("/roadmaps/new").get_data(as_text=True)).group(1)
    return school, published


def _activity(app, roadmap_id, number):
    with app.app_context(), unscoped("test"):
        return db.session.scalar(sa.select(RoadmapActivity.id).where(RoadmapActivity.roadmap_id == roadmap_id,
                                                                    RoadmapActivity.number == number))


def test_a_2026_27_roadmap_from_the_model_shows_its_dates_and_is_not_overdue_on_approval(app, tree, login, model, today):
    school, published = model
    roadmap_id = _new_roadmap(school, published, "2026 – 2027 учебный год")
    page = school.get(f"/roadmaps/{roadmap_id}").get_data(as_text=True)
    # the deadlines moved into the new school year, with the date each means, in the draft
    assert "Ноябрь 2026 г." in page and 'data-due="2026-11-30"' in page and 'data-due="2026-12-31"' in page
    assert "Ноябрь 2020 г." in page  # only as «moved from …»
    assert page.count("moved-from") >= 4 and "flagged-deadlines" not in page
    # the text around the table and the stages' key results
    assert 'id="preamble"' in page and "Целью внедрения целевой модели наставничества" in page
    assert 'id="footnote"' in page and "* Органы, участвующие в реализации плана по согласованию." in page
    assert "Создание организационных и содержательных условий для реализации программы наставничества" in page

    document = Document(io.BytesIO(school.get(f"/roadmaps/{roadmap_id}/export.docx").data))
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("Задачи внедрения целевой модели") for t in texts) and texts[-1].startswith("* Органы")
    cells = {c.text for row in document.tables[0].rows for c in row.cells}
    assert "Ноябрь 2026 г.\nсрок: 30.11.2026" in cells

    assert _post(school, f"/roadmaps/{roadmap_id}/submit", page=f"/roadmaps/{roadmap_id}").status_code == 302
    today.value = date(2026, 9, 20)
    coordinator = _client(app, login, tree.emails["r1m1.admin"])
    assert _post(coordinator, f"/roadmaps/{roadmap_id}/review", {"decision": "approve"}).status_code == 302
    with app.app_context(), unscoped("test"):
        roadmap = db.session.get(Roadmap, roadmap_id)
        assert roadmap.status == "approved" and roadmap.in_force_from == date(2026, 9, 20)
    approved = school.get(f"/roadmaps/{roadmap_id}").get_data(as_text=True)
    assert "overdue since" not in approved and "Overdue:" not in approved and "table-danger" not in approved


def test_flagged_deadlines_refuse_submission_until_changed_or_kept(app, tree, login, model, today):
    school, published = model
    today.value = date(2026, 12, 3)  # adopting the model in December: its November steps have passed
    page = school.get("/roadmaps/new")
    created = school.post("/roadmaps/new", data={"source": published, "period_text": "2026 – 2027 учебный год",
                                                 "csrf_token": csrf_token_from(page)}, follow_redirects=True)
    html = created.get_data(as_text=True)
    assert "Измените их или оставьте без изменений перед направлением на" in html
    assert 'id="flagged-deadlines"' in html and html.count('data-flag="passed"') == 2
    roadmap_id = int(re.search(r'/roadmaps/(\d+)/submit', html).group(1))

    refused = _post(school, f"/roadmaps/{roadmap_id}/submit", page=f"/roadmaps/{roadmap_id}", follow_redirects=True)
    text = refused.get_data(as_text=True)
    assert "1.2. «Формирование рабочей группы» (Ноябрь 2026 г.)" in text and "1.3." in text
    with app.app_context(), unscoped("test"):
        assert db.session.get(Roadmap, roadmap_id).status == "draft"

    # 1.2: a new due date beside the seed's wording; 1.3: kept as it is
    first, second = _activity(app, roadmap_id, "1.2."), _activity(app, roadmap_id, "1.3.")
    edit = f"/roadmaps/{roadmap_id}/activities/{first}/edit"
    form = school.get(edit).get_data(as_text=True)
    assert 'data-due="2026-11-30"' in form and "Перенесено в период дорожной карты с «Ноябрь 2020 г.»" in form
    assert _post(school, edit, {"title": "Формирование рабочей группы", "deadline_text": "Ноябрь 2026 г.",
                                "due_on": "2026-12-15"}).status_code == 302
    assert _post(school, f"/roadmaps/{roadmap_id}/deadlines/confirm", {"item": f"activity-{second}"},
                 page=f"/roadmaps/{roadmap_id}").status_code == 302
    assert _post(school, f"/roadmaps/{roadmap_id}/deadlines/confirm", {"item": "nonsense"},
                 page=f"/roadmaps/{roadmap_id}").status_code == 400
    shown = school.get(f"/roadmaps/{roadmap_id}").get_data(as_text=True)
    assert "flagged-deadlines" not in shown and 'data-due="2026-12-15"' in shown and "установлен вручную" in shown
    assert _post(school, f"/roadmaps/{roadmap_id}/submit", page=f"/roadmaps/{roadmap_id}").status_code == 302
    with app.app_context(), unscoped("test"):
        assert db.session.get(Roadmap, roadmap_id).status == "submitted"
    # the reviewer sees the dates too
    coordinator = _client(app, login, tree.emails["r1m1.admin"])
    assert 'data-due="2026-12-15"' in coordinator.get(f"/roadmaps/{roadmap_id}/review").get_data(as_text=True)


def test_the_title_page_edits_the_text_around_the_table_and_a_new_period_moves_the_dates(app, tree, login, model):
    school, published = model
    roadmap_id = _new_roadmap(school, published, "2026 – 2027 учебный год")
    url = f"/roadmaps/{roadmap_id}/edit"
    assert "Целью внедрения" in school.get(url).get_data(as_text=True)
    assert _post(school, url, {"title": "Дорожная карта школы", "period_text": "2027 – 2028 учебный год",
                               "preamble": "Цель: наставничество для всех.", "footnote": "* По согласованию."}
                 ).status_code == 302
    page = school.get(f"/roadmaps/{roadmap_id}").get_data(as_text=True)
    assert "Цель: наставничество для всех." in page and "* По согласованию." in page
    assert "Ноябрь 2027 г." in page and 'data-due="2027-11-30"' in page


def _approved_kindergarten(app, school, today) -> int:
    roadmap_id = _new_roadmap(school, "template:spb-dou49", "2026 – 2027 учебный год")
    with app.app_context(), unscoped("test"):
        roadmap = db.session.get(Roadmap, roadmap_id)
        roadmap.status, roadmap.in_force_from = "approved", today.value
        db.session.commit()
    return roadmap_id


def test_a_stage_without_activities_shows_its_text_and_is_done_with_evidence(app, tree, login, today):
    school = _client(app, login, tree.emails["r1m1s1.staff"])
    roadmap_id = _approved_kindergarten(app, school, today)
    with app.app_context(), unscoped("test"):
        stages = db.session.get(Roadmap, roadmap_id).stages
        step, with_activities = stages[0].id, stages[1].id
    page = school.get(f"/roadmaps/{roadmap_id}").get_data(as_text=True)
    assert "Подготовка и принятие локальных нормативных правовых актов" in page  # seed 004's stage 1 text
    assert "Освещение мероприятий Дорожной карты осуществляется на всех этапах" in page  # and stage 7
    assert f"/stages/{step}/done" in page and f"/stages/{with_activities}/done" not in page
    assert school.get(f"/roadmaps/{roadmap_id}/stages/{with_activities}/done").status_code == 404

    url = f"/roadmaps/{roadmap_id}/stages/{step}/done"
    assert "Подготовка и принятие" in school.get(url).get_data(as_text=True)
    done = _post(school, url, {"note": "Приказ издан", "files": (io.BytesIO(PDF), "prikaz.pdf")},
                 content_type="multipart/form-data")
    assert done.status_code == 302
    with app.app_context(), unscoped("test"):
        evidence_id = db.session.scalar(sa.select(StageEvidence.id))
    page = school.get(f"/roadmaps/{roadmap_id}").get_data(as_text=True)
    assert "stage-done" in page and "prikaz.pdf" in page and re.search(r"\b1\D{1,6}14 \(7%\)", page)  # done: 1 of 14
    download = school.get(f"/roadmaps/{roadmap_id}/stage-evidence/{evidence_id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    coordinator = _client(app, login, tree.emails["r1m1.admin"])
    assert coordinator.get(f"/roadmaps/{roadmap_id}/stage-evidence/{evidence_id}").status_code == 404
    assert "prikaz.pdf" not in coordinator.get(f"/roadmaps/{roadmap_id}").get_data(as_text=True)
    assert _post(school, f"/roadmaps/{roadmap_id}/stage-evidence/{evidence_id}/delete", page=url).status_code == 302
    assert _post(school, f"/roadmaps/{roadmap_id}/stages/{step}/reopen", page=url).status_code == 302
    with app.app_context(), unscoped("test"):
        roadmap = db.session.get(Roadmap, roadmap_id)
        assert roadmap.stages[0].done_at is None and roadmap.stages[0].evidence == []
