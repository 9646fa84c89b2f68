"""Announcements through the web: the ministry's admin and a municipal body's staff write them
(the analyst 403, a school 404), a bad form saves nothing and shows each problem beside its
field; the recipients see them with the unread marked and the file as a download; the sender
sees «read by N of M organisations» and who has not read it; the e-mail task is enqueued after
the commit."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from flask_babel import gettext

from core.extensions import db
from mentorship.region.models import Announcement, AnnouncementReceipt
from tenants.context import unscoped
from tests.conftest import csrf_token_from
from tests.support.ministry import count_rows, rows_of, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MESSAGE = {"title": "Совещание кураторов 12 марта", "text": "Просим направить кураторов.\n\nНачало в 10:00.",
           "audience": "all"}


def _t(app, text, **kwargs) -> str:
    """``text`` as the page shows it (in the default language, whatever the catalogue holds)."""
    with app.test_request_context():
        return str(gettext(text, **kwargs))


def _count(app, model) -> int:
    with app.app_context():
        return count_rows(model)


def _send(client, data, **files):
    token = csrf_token_from(client.get("/announcements/new"))
    payload = {**data, "csrf_token": token, **{name: (io.BytesIO(content), filename)
                                               for name, (filename, content) in files.items()}}
    return client.post("/announcements/new", data=payload, content_type="multipart/form-data")


def _unread_flags(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-announcement="(\d+)" data-unread="([01])"', page))


def test_the_ministry_sends_to_all_and_a_school_reads_it(app, tree, login, admin):
    assert admin.get("/announcements/").status_code == 302  # the top receives nothing: its sent list
    form = admin.get("/announcements/new").get_data(as_text=True)
    assert 'name="chosen"' in form and "Школа 1.1.1" in form and 'name="with_schools"' in form
    sent = _send(admin, MESSAGE)
    assert sent.status_code == 302
    announcement = rows_of(app, Announcement)[0]
    assert sent.headers["Location"].endswith(f"/announcements/{announcement.id}")
    assert announcement.recipients_count == 6 and _count(app, AnnouncementReceipt) == 6
    listing = admin.get("/announcements/sent").get_data(as_text=True)
    assert 'data-read="0" data-total="6"' in listing and MESSAGE["title"] in listing

    school = signed_in(app, login, tree, "r1m1s1.staff")
    inbox = school.get("/announcements/").get_data(as_text=True)
    assert _unread_flags(inbox) == {str(announcement.id): "1"} and 'id="announcements-unread"' in inbox
    page = school.get(f"/announcements/{announcement.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<p>Просим направить кураторов.</p><p>Начало в 10:00.</p>" in text
    assert 'id="announcement-receipts"' not in text  # the counts are the sender's
    assert _unread_flags(school.get("/announcements/").get_data(as_text=True)) == {str(announcement.id): "0"}
    assert school.get(f"/announcements/{announcement.id}/receipts").status_code == 404

    shown = admin.get(f"/announcements/{announcement.id}").get_data(as_text=True)
    assert 'data-read="1" data-total="6"' in shown
    unread = admin.get(f"/announcements/{announcement.id}/receipts?state=unread").get_data(as_text=True)
    assert len(re.findall(r'data-read="0"', unread)) == 5 and f'data-org="{tree.ids["r1m1s1"]}"' not in unread
    read = admin.get(f"/announcements/{announcement.id}/receipts?state=read").get_data(as_text=True)
    assert re.findall(r'data-org="(\d+)"', read) == [str(tree.ids["r1m1s1"])]


def test_the_e_mail_task_is_enqueued_after_the_commit(app, admin, monkeypatch):
    from tasks import region as region_tasks

    queued = []
    monkeypatch.setattr(region_tasks.announcement_mail, "apply_async",
                        lambda args=(), kwargs=None, **_: queued.append(tuple(args)))
    assert _send(admin, MESSAGE).status_code == 302
    announcement = rows_of(app, Announcement)[0]
    assert queued == [(announcement.org_id, announcement.id)]
    assert _send(admin, {**MESSAGE, "title": ""}).status_code == 200
    assert len(queued) == 1  # nothing for a refused form


def test_a_municipal_body_sends_a_file_to_a_chosen_school(app, tree, login):
    body = signed_in(app, login, tree, "r1m1.staff")
    form = body.get("/announcements/new").get_data(as_text=True)
    assert "Школа 1.2.1" not in form and 'name="with_schools"' not in form  # only its own schools
    sent = _send(body, {**MESSAGE, "audience": "chosen", "chosen": str(tree.ids["r1m1s2"])},
                 attachment=("График совещаний.pdf", PDF))
    assert sent.status_code == 302
    announcement = rows_of(app, Announcement)[0]
    assert {r.org_id for r in rows_of(app, AnnouncementReceipt)} == {tree.ids["r1m1s2"]}
    school = signed_in(app, login, tree, "r1m1s2.admin")
    download = school.get(f"/announcements/{announcement.id}/attachment")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    other = signed_in(app, login, tree, "r1m1s1.admin")  # below the sender, but not a recipient
    assert other.get(f"/announcements/{announcement.id}").status_code == 404
    assert other.get(f"/announcements/{announcement.id}/attachment").status_code == 404


@pytest.mark.parametrize("changes,field", [
    ({"title": ""}, "title"),
    ({"text": " "}, "text"),
    ({"audience": "kinds"}, "kinds"),
    ({"audience": "chosen"}, "chosen"),
])
def test_a_bad_form_saves_nothing_and_says_where(app, admin, changes, field):
    refused = _send(admin, {**MESSAGE, **changes})
    assert refused.status_code == 200 and f'id="{field}-errors"' in refused.get_data(as_text=True)
    assert _count(app, Announcement) == 0 and _count(app, AnnouncementReceipt) == 0


def test_a_file_of_the_wrong_type_is_refused_beside_its_field(app, admin):
    refused = _send(admin, MESSAGE, attachment=("plan.pdf", b"MZ\x90\x00 not a pdf at all"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'id="attachment-errors"' in page
    assert _t(app, "Only PDF, JPEG, PNG, DOCX and XLSX files are accepted.") in page
    assert _count(app, Announcement) == 0


def test_who_may_write(app, tree, login, analyst):
    assert analyst.get("/announcements/new").status_code == 403
    assert analyst.get("/announcements/sent").status_code == 200
    school = signed_in(app, login, tree, "r1m1s1.admin")
    assert school.get("/announcements/new").status_code == 404
    assert school.get("/announcements/sent").status_code == 404
    assert school.get("/announcements/").status_code == 200
    token = csrf_token_from(school.get("/announcements/"))
    assert school.post("/announcements/new", data={**MESSAGE, "csrf_token": token}).status_code == 404
    assert _count(app, Announcement) == 0


def test_markdown_is_sanitised_and_the_lists_are_searched(app, tree, login, admin):
    _send(admin, {**MESSAGE, "markdown": "y", "text": "**Важно**\n\n<script>alert(1)</script>"})
    _send(admin, {**MESSAGE, "title": "Конкурс «Наставник года»", "text": "Положение о конкурсе"})
    with app.app_context(), unscoped("tests.announcements"):
        first = db.session.scalar(sa.select(Announcement.id).where(Announcement.markdown.is_(True)))
        db.session.remove()
    school = signed_in(app, login, tree, "r1m2s2.admin")
    page = school.get(f"/announcements/{first}").get_data(as_text=True)
    assert "<strong>Важно</strong>" in page and "alert(1)" not in page
    found = school.get("/announcements/?q=конкурс").get_data(as_text=True)
    assert "Наставник года" in found and MESSAGE["title"] not in found
    sent = admin.get("/announcements/sent?q=положение").get_data(as_text=True)
    assert "Наставник года" in sent and MESSAGE["title"] not in sent
    assert 'id="announcements-empty"' in school.get("/announcements/?q=нетакого").get_data(as_text=True)


def test_empty_lists(app, tree, login, admin):
    assert 'id="announcements-empty"' in admin.get("/announcements/sent").get_data(as_text=True)
    school = signed_in(app, login, tree, "r1m1s1.admin")
    assert 'id="announcements-empty"' in school.get("/announcements/").get_data(as_text=True)
