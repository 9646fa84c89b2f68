"""Announcements down the tree (mentorship/region/announcements.py): who may send to whom (all,
by kind, chosen — with the schools of chosen bodies), one receipt and notification per recipient,
nothing half-written on bad input; only the sender's line and the recipients see one (a sibling
school below the sender that did not receive it: not found); the first opening marks the
receipt read; the e-mails to each recipient's staff queued a batch at a time, once."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from core.errors import NotFound
from core.extensions import db
from mentorship.region import announcements as service
from mentorship.region.announcements import AnnouncementError, Audience
from mentorship.region.models import Announcement, AnnouncementAttachment, AnnouncementReceipt
from tenants.context import tenant_scope, unscoped
from tenants.models import AuditEvent, Membership, Notification, Organization, User
from tests.support.mail import SentMail
from tests.support.ministry import count_rows

pytestmark = pytest.mark.backends("sqlite", "postgresql")

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
R1 = ("r1m1", "r1m2", "r1m1s1", "r1m1s2", "r1m2s1", "r1m2s2")


@contextmanager
def acting(tree, who: str):
    """(membership, user) of ``who`` (e.g. "r1m1.admin"), in that organisation's scope."""
    key = who.split(".")[0]
    with tenant_scope(tree.ids[key], tree.paths[key]):
        membership = db.session.scalar(sa.select(Membership).where(
            Membership.org_id == tree.ids[key], Membership.user_id == tree.users[who].id))
        yield membership, db.session.get(User, tree.users[who].id)
        db.session.remove()


def _send(tree, who="r1.admin", audience=Audience("all"), title="Совещание кураторов", text="Текст", **kwargs) -> int:
    with acting(tree, who) as (membership, user):
        announcement = service.send_announcement(membership, user, title=title, text=text,
                                                 markdown=kwargs.pop("markdown", False), audience=audience, **kwargs)
        db.session.commit()
        return announcement.id


def _recipients(announcement_id) -> set[int]:
    with unscoped("tests.announcements"):
        ids = set(db.session.scalars(sa.select(AnnouncementReceipt.org_id)
                                     .where(AnnouncementReceipt.announcement_id == announcement_id)))
        db.session.remove()
    return ids


def _ids(tree, *keys) -> set[int]:
    return {tree.ids[k] for k in keys}


def test_the_ministry_sends_to_every_organisation_of_its_region(ctx, tree):
    aid = _send(tree)
    assert _recipients(aid) == _ids(tree, *R1)  # not the ministry itself, nothing of region r2
    with unscoped("tests.announcements"):
        announcement = db.session.get(Announcement, aid)
        assert (announcement.recipients_count, announcement.org_id) == (6, tree.ids["r1"])
        notes = db.session.execute(sa.select(Notification.recipient_org_id, Notification.org_id, Notification.link)
                                   .where(Notification.kind == service.NOTIFICATION_KIND)).all()
        assert {n.recipient_org_id for n in notes} == _ids(tree, *R1)
        assert all(n.org_id == n.recipient_org_id and n.link == f"/announcements/{aid}" for n in notes)
        db.session.remove()
    assert count_rows(AuditEvent, action="announcement.sent") == 1


def test_by_kind_and_by_choice(ctx, tree):
    with unscoped("tests.tree"):
        db.session.execute(sa.update(Organization.__table__).where(Organization.__table__.c.id == tree.ids["r1m2s2"])
                           .values(school_type="college"))
        db.session.commit()
    assert _recipients(_send(tree, audience=Audience("kinds", kinds=("municipality",)))) == _ids(tree, "r1m1", "r1m2")
    assert _recipients(_send(tree, audience=Audience("kinds", kinds=("college",)))) == _ids(tree, "r1m2s2")
    assert _recipients(_send(tree, audience=Audience("kinds", kinds=("school", "college")))) == _ids(
        tree, "r1m1s1", "r1m1s2", "r1m2s1", "r1m2s2")
    chosen = Audience("chosen", chosen=(tree.ids["r1m1"], tree.ids["r1m2s1"]))
    assert _recipients(_send(tree, audience=chosen)) == _ids(tree, "r1m1", "r1m2s1")
    with_schools = Audience("chosen", chosen=(tree.ids["r1m1"],), with_schools=True)
    assert _recipients(_send(tree, audience=with_schools)) == _ids(tree, "r1m1", "r1m1s1", "r1m1s2")


def test_a_municipal_body_sends_to_its_own_schools(ctx, tree):
    assert _recipients(_send(tree, "r1m1.staff")) == _ids(tree, "r1m1s1", "r1m1s2")
    with acting(tree, "r1m1.admin") as (membership, _user):
        assert service.kind_codes(membership.org) == ["school", "college", "kindergarten"]
        assert [c.id for c in service.recipient_choices(membership.org)] == sorted(
            _ids(tree, "r1m1s1", "r1m1s2"), key=lambda i: [k for k in R1 if tree.ids[k] == i][0])


@pytest.mark.parametrize("who,audience,values,code,field", [
    ("r1.staff", Audience("all"), {}, "not_allowed", None),  # the ministry's analyst
    ("r1m1s1.admin", Audience("all"), {}, "not_allowed", None),  # a school
    ("r1.admin", Audience("all"), {"title": "  "}, "title_required", "title"),
    ("r1.admin", Audience("all"), {"title": "Т" * 201}, "title_too_long", "title"),
    ("r1.admin", Audience("all"), {"text": ""}, "text_required", "text"),
    ("r1.admin", Audience("kinds"), {}, "kinds_required", "kinds"),
    ("r1m1.admin", Audience("kinds", kinds=("municipality",)), {}, "kinds_required", "kinds"),
    ("r1.admin", Audience("chosen"), {}, "chosen_required", "chosen"),
    ("r1.admin", Audience("everyone"), {}, "bad_audience", "audience"),
    ("r1.admin", Audience("kinds", kinds=("kindergarten",)), {}, "no_recipients", "audience"),
])
def test_what_cannot_be_sent_writes_nothing(ctx, tree, who, audience, values, code, field):
    with pytest.raises(AnnouncementError) as refused:
        _send(tree, who, audience, **values)
    assert refused.value.code == code and refused.value.problems[0].field == field
    db.session.remove()
    assert count_rows(Announcement) == 0 and count_rows(AnnouncementReceipt) == 0 and count_rows(Notification) == 0


def test_an_organisation_not_below_the_sender_cannot_be_chosen(ctx, tree):
    for other in ("r2m1s1", "r1m2s1", "r1"):
        with pytest.raises(AnnouncementError) as refused:
            _send(tree, "r1m1.admin", Audience("chosen", chosen=(tree.ids["r1m1s1"], tree.ids[other])))
        assert refused.value.code == "unknown_recipient"
    db.session.remove()
    assert count_rows(Announcement) == 0


def test_only_the_senders_line_and_the_recipients_see_it(ctx, tree):
    aid = _send(tree, "r1m1.admin", Audience("chosen", chosen=(tree.ids["r1m1s1"],)))
    for who in ("r1m1.staff", "r1.staff", "r1m1s1.staff"):
        with acting(tree, who) as (membership, _user):
            assert service.visible_announcement(aid, membership.org).id == aid, who
    for who in ("r1m1s2.admin", "r1m2.admin", "r1m2s1.admin", "r2.admin", "r2m1s1.admin"):
        with acting(tree, who) as (membership, _user), pytest.raises(NotFound):
            service.visible_announcement(aid, membership.org)
    with acting(tree, "r1m2.admin"):  # a sibling of the sender: not even the row
        assert db.session.get(Announcement, aid) is None
    with acting(tree, "r1m1s2.admin") as (membership, _user):
        assert db.session.scalars(service.received(membership.org)).all() == []


def test_the_first_opening_marks_the_receipt_and_the_notification_read(ctx, tree):
    aid = _send(tree, "r1m1.admin")
    with acting(tree, "r1m1s1.staff") as (membership, user):
        assert service.unread_count(membership.org) == 1
        announcement = service.visible_announcement(aid, membership.org)
        receipt = service.open_announcement(announcement, membership.org, user)
        db.session.commit()
        first_read = receipt.read_at
        assert first_read is not None and receipt.read_by_id == user.id
        assert service.unread_count(membership.org) == 0
        assert db.session.scalars(service.received(membership.org, unread_only=True)).all() == []
        note = db.session.scalar(sa.select(Notification).where(Notification.recipient_org_id == membership.org_id))
        assert note.read_at is not None
    with acting(tree, "r1m1s1.admin") as (membership, user):  # a second member: the first reading stays
        receipt = service.open_announcement(service.visible_announcement(aid, membership.org), membership.org, user)
        db.session.commit()
        assert receipt.read_at == first_read and receipt.read_by_id == tree.users["r1m1s1.staff"].id
    with acting(tree, "r1m1.admin") as (membership, user):  # the sender counts; opening marks nothing
        announcement = service.visible_announcement(aid, membership.org)
        assert service.open_announcement(announcement, membership.org, user) is None
        counts = service.read_counts([aid])[aid]
        assert (counts.read, counts.total, counts.unread) == (1, 2, 1)
        unread = db.session.scalars(service.receipts(announcement, "unread")).all()
        assert [r.org_id for r in unread] == [tree.ids["r1m1s2"]]
        names = service.recipient_names(unread)
        assert names[tree.ids["r1m1s2"]].name == "Школа 1.1.2"
        assert [r.org_id for r in db.session.scalars(service.receipts(announcement, "", "1.1.1"))] == [
            tree.ids["r1m1s1"]]
    with acting(tree, "r1.admin") as (membership, _user):  # the ministry above counts them too
        assert service.read_counts([aid])[aid].read == 1


def test_the_emails_go_to_each_recipients_staff_once(app, ctx, tree):
    aid = _send(tree, "r1.admin", Audience("chosen", chosen=(tree.ids["r1m1"],), with_schools=True),
                text="Просим направить кандидатуры до 1 марта.")
    mail = SentMail(app)
    with tenant_scope(tree.ids["r1"], tree.paths["r1"]):
        assert service.mail_recipients(aid, batch_size=2) == 6
        assert service.mail_recipients(aid) == 0  # a repeated task mails nobody twice
    db.session.remove()
    assert sorted(to for to, _s, _b in mail.sent) == sorted(
        tree.emails[f"{k}.{r}"] for k in ("r1m1", "r1m1s1", "r1m1s2") for r in ("admin", "staff"))
    to, subject, body = mail.sent[0]
    assert subject == "Наставник: объявление — Совещание кураторов"
    assert "Просим направить кандидатуры до 1 марта." in body and f"/announcements/{aid}" in body
    with acting(tree, "r1.admin"):
        assert service.read_counts([aid])[aid].mailed == 3


def test_the_attachment_is_checked_by_content_and_its_download_audited(ctx, tree):
    with pytest.raises(AnnouncementError) as refused:
        service.check_attachment("plan.pdf", b"MZ\x90\x00 not a pdf")
    assert refused.value.code == "type_not_allowed" and refused.value.problems[0].field == "attachment"
    aid = _send(tree, "r1m1.admin", attachment=service.check_attachment("plan.pdf", PDF))
    with acting(tree, "r1m1s2.admin") as (membership, _user):
        stored = service.open_attachment(service.visible_announcement(aid, membership.org), membership.org)
        db.session.commit()
        assert (stored.filename, stored.data) == ("plan.pdf", PDF)
    assert count_rows(AnnouncementAttachment) == 1
    assert count_rows(AuditEvent, action="announcement.attachment_viewed") == 1


def test_the_text_is_escaped_or_sanitised(ctx, tree):
    plain = Announcement(title="t", body="Строка 1\nСтрока <b>2</b>\n\n<script>alert(1)</script>", markdown=False)
    assert str(service.text_html(plain)) == (
        "<p>Строка 1<br>Строка &lt;b&gt;2&lt;/b&gt;</p><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    rich = Announcement(title="t", body="**Важно**\n\n<script>alert(1)</script>\n\n- пункт", markdown=True)
    html = str(service.text_html(rich))
    assert "<strong>Важно</strong>" in html and "<li>пункт</li>" in html and "script" not in html
