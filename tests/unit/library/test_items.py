"""The library's items: who sees what (a school's draft never reaches a sibling), the review
of a school's practice, files checked by content, versions, downloads, the public flag."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.library import items, review
from mentorship.library.access import ItemNotFound, visible_item, visible_version
from mentorship.library.listing import LibraryFilters, own_query, review_query, search_query
from mentorship.library.models import LibraryItem, LibraryVersion
from mentorship.library.public import public_items, public_version, record_public_download
from tenants.context import public_scope, tenant_scope
from tenants.models import AuditEvent, Notification, Organization
from tests.unit.library.support import PDF, PNG, acting_as, make_item, make_practice, pptx

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _sees(tree, org_key: str, item_id: int) -> bool:
    with tenant_scope(tree.ids[org_key], tree.paths[org_key]):
        org = db.session.get(Organization, tree.ids[org_key])
        try:
            visible_item(item_id, org)
        except ItemNotFound:
            return False
        finally:
            db.session.rollback()
        return True


def _listed(tree, org_key: str, **filters) -> list[str]:
    with tenant_scope(tree.ids[org_key], tree.paths[org_key]):
        org = db.session.get(Organization, tree.ids[org_key])
        titles = [i.title for i in db.session.scalars(search_query(org, LibraryFilters(**filters)))]
        db.session.rollback()
        return titles


def test_a_body_publishes_to_everyone_below_it_and_no_one_beside_it(ctx, tree):
    item_id = make_item(tree, "r1m1.admin", title="Типовое положение")
    for who in ("r1m1", "r1m1s1", "r1m1s2", "r1"):
        assert _sees(tree, who, item_id), who
        assert _listed(tree, who) == ["Типовое положение"], who
    for who in ("r1m2", "r1m2s1", "r2", "r2m1s1"):
        assert not _sees(tree, who, item_id), who
        assert _listed(tree, who) == [], who


def test_the_ministry_publishes_to_the_whole_region(ctx, tree):
    item_id = make_item(tree, "r1.admin", title="Методические рекомендации", category="recommendation")
    for who in ("r1m1", "r1m2s2", "r1m1s1"):
        assert _sees(tree, who, item_id)
    assert not _sees(tree, "r2m1s1", item_id)


def test_a_bodys_draft_is_its_own(ctx, tree):
    item_id = make_item(tree, "r1m1.admin", publish=False)
    assert _sees(tree, "r1m1", item_id)
    for who in ("r1m1s1", "r1", "r1m2"):
        assert not _sees(tree, who, item_id), who


def test_a_schools_practice_goes_through_its_municipal_body_to_the_region(ctx, tree):
    item_id = make_practice(tree, submit=False)
    assert _sees(tree, "r1m1s1", item_id)
    for who in ("r1m1s2", "r1m1", "r1", "r1m2s1"):  # a draft: the school's alone
        assert not _sees(tree, who, item_id), who

    with acting_as(tree, "r1m1s1.staff") as (membership, _user):
        review.submit(membership, db.session.get(LibraryItem, item_id), public=True)
        db.session.commit()
    assert _sees(tree, "r1m1", item_id) and _sees(tree, "r1", item_id)  # the reviewer and above
    assert not _sees(tree, "r1m1s2", item_id) and not _sees(tree, "r1m2", item_id)
    with tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):
        body = db.session.get(Organization, tree.ids["r1m1"])
        assert [i.id for i in db.session.scalars(review_query(body))] == [item_id]
        assert db.session.scalar(sa.select(Notification.text).where(
            Notification.recipient_org_id == tree.ids["r1m1"])).startswith("Школа 1.1.1: лучшая практика")
    mails = ctx.extensions.get("mail_outbox", [])
    assert {m["To"] for m in mails} == {"r1m1-admin@test.ru", "r1m1-staff@test.ru"}

    with acting_as(tree, "r1m1.staff") as (membership, user):
        item = db.session.get(LibraryItem, item_id)
        with pytest.raises(review.ReviewError) as error:
            review.return_for_revision(membership, user, item, comment="  ")
        assert error.value.code == "comment_required" and error.value.problems[0].field == "comment"
        review.return_for_revision(membership, user, item, comment="Добавьте план мероприятий")
        db.session.commit()
    assert not _sees(tree, "r1m1s2", item_id)
    with acting_as(tree, "r1m1s1.staff") as (membership, _user):
        item = db.session.get(LibraryItem, item_id)
        assert item.status == "returned" and item.review_comment == "Добавьте план мероприятий"
        items.update_item(membership, item, items.ItemData(category="practice", title="Наставничество в 5-х классах",
                                                           description="План мероприятий на год"))
        review.submit(membership, item)
        db.session.commit()
    with acting_as(tree, "r1m1.admin") as (membership, user):
        review.approve(membership, user, db.session.get(LibraryItem, item_id), comment="Хорошая практика")
        db.session.commit()
    for who in ("r1m1s2", "r1m2s1", "r1m2", "r1"):  # published in the whole region
        assert _sees(tree, who, item_id), who
    assert not _sees(tree, "r2m1s1", item_id)
    assert _listed(tree, "r1m2s2") == ["Наставничество в 5-х классах"]
    with acting_as(tree, "r1m1s1.staff") as (membership, _user):
        item = db.session.get(LibraryItem, item_id)
        assert item.is_public  # the school asked, the reviewer kept it
        assert not review.can_set_public(membership, item, True) and review.can_set_public(membership, item, False)
        with pytest.raises(items.LibraryError):
            items.update_item(membership, item, items.ItemData(category="practice", title="Другое"))
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"library.created", "library.submitted", "library.returned", "library.approved"} <= actions


def test_only_the_municipal_body_above_reviews(ctx, tree):
    item_id = make_practice(tree)
    for who in ("r1.admin", "r1m2.admin", "r1m1s2.admin"):
        with acting_as(tree, who) as (membership, user):
            item = db.session.scalar(sa.select(LibraryItem).where(LibraryItem.id == item_id))
            if item is not None:
                with pytest.raises(items.LibraryError) as error:
                    review.approve(membership, user, item)
                assert error.value.code == "not_allowed"
            db.session.rollback()
    with acting_as(tree, "r1m1.admin") as (membership, user):
        item = db.session.get(LibraryItem, item_id)
        review.approve(membership, user, item)
        with pytest.raises(review.ReviewError) as error:
            review.approve(membership, user, item)
        assert error.value.code == "not_submitted"


def test_a_school_contributes_best_practices_only_and_bad_input_saves_nothing(ctx, tree):
    with acting_as(tree, "r1m1s1.admin") as (membership, user):
        with pytest.raises(items.LibraryError) as error:
            items.create_item(membership, user, items.ItemData(category="regulation", title=" ", form_codes=["nope"]),
                              "notes.txt", b"just text")
        assert {(p.field, p.code) for p in error.value.problems} == {
            ("category", "practice_only"), ("title", "title_required"), ("form_codes", "form"),
            ("file", "type_not_allowed")}
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(LibraryItem.id))) == 0


@pytest.mark.parametrize("filename,data,code", [
    ("doc.pdf", b"", "empty"),
    ("picture.pdf", PNG, "name_mismatch"),
    ("script.pdf", b"#!/bin/sh\necho hi\n", "type_not_allowed"),
    ("big.pdf", PDF + b"0" * (20 * 1024 * 1024), "too_large"),
    ("", b"", "file_required"),
])
def test_files_are_checked_by_content_and_size(ctx, tree, filename, data, code):
    with acting_as(tree, "r1m1.admin") as (membership, user):
        with pytest.raises(items.LibraryError) as error:
            items.create_item(membership, user, items.ItemData(category="template", title="Шаблон"), filename, data)
        assert [(p.field, p.code) for p in error.value.problems] == [("file", code)]


def test_a_presentation_is_accepted(ctx, tree):
    item_id = make_item(tree, "r1m1.admin", category="presentation", data=pptx(), filename="слайды.pptx")
    with tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):
        version = db.session.scalar(sa.select(LibraryVersion).where(LibraryVersion.item_id == item_id))
        assert version.content_type.endswith("presentationml.presentation") and version.filename == "слайды.pptx"


def test_a_new_upload_adds_a_version_and_old_links_keep_working(ctx, tree):
    item_id = make_item(tree, "r1m1.admin", data=PDF, filename="v1.pdf")
    with acting_as(tree, "r1m1.staff") as (membership, user):
        item = db.session.get(LibraryItem, item_id)
        first = item.versions[0].id
        version = items.add_version(membership, user, item, "v2.pdf", PDF + b"% second\n", note="Исправлены сроки")
        db.session.commit()
        assert version.number == 2
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        org = db.session.get(Organization, tree.ids["r1m1s1"])
        item = visible_item(item_id, org)
        assert visible_version(item, None).filename == "v2.pdf"
        old = visible_version(item, first)
        assert old.filename == "v1.pdf" and old.data == PDF
        with pytest.raises(ItemNotFound):
            visible_version(item, first + 1000)
    actions = list(db.session.scalars(sa.select(AuditEvent.details).where(AuditEvent.action == "library.version_added")))
    assert actions == [{"version": 2}]


def test_a_school_may_not_add_versions_to_someone_elses_item(ctx, tree):
    item_id = make_item(tree, "r1m1.admin")
    with acting_as(tree, "r1m1s1.admin") as (membership, user):
        with pytest.raises(items.LibraryError) as error:
            items.add_version(membership, user, db.session.get(LibraryItem, item_id), "x.pdf", PDF)
        assert error.value.code == "not_allowed"


def test_downloads_are_counted_on_the_version_and_the_item(ctx, tree):
    item_id = make_item(tree, "r1m1.admin")
    with tenant_scope(tree.ids["r1m1s2"], tree.paths["r1m1s2"]):
        org = db.session.get(Organization, tree.ids["r1m1s2"])
        item = visible_item(item_id, org)
        version = visible_version(item, None)
        items.record_download(version.id, item.id)
        items.record_download(version.id, item.id)
        db.session.commit()
    db.session.expire_all()
    with tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):
        item = db.session.get(LibraryItem, item_id)
        assert item.download_count == 2 and item.versions[0].download_count == 2


def test_public_pages_read_only_what_is_published_and_offered(ctx, tree):
    shown = make_item(tree, "r1m1.admin", title="Открытый шаблон", public=True)
    make_item(tree, "r1m1.admin", title="Внутренний шаблон")  # not offered
    make_item(tree, "r1m1.admin", title="Черновик", publish=False, public=True)  # not published
    with public_scope(tree.paths["r1"]):
        assert [i.title for i in public_items(tree.paths["r1m1"])] == ["Открытый шаблон"]
        assert [i.title for i in public_items(tree.paths["r1"], subtree=True)] == ["Открытый шаблон"]
        assert public_items(tree.paths["r1"]) == []
        assert public_version(shown).data == PDF
    db.session.rollback()
    with public_scope(tree.paths["r2"]):
        assert public_items(tree.paths["r1m1"], subtree=True) == [] and public_version(shown) is None
    db.session.rollback()
    with public_scope(tree.paths["r1"]):
        version_id = public_version(shown).id
    db.session.rollback()
    record_public_download(version_id)
    db.session.commit()

    with acting_as(tree, "r1m1.admin") as (membership, _user):
        item = db.session.get(LibraryItem, shown)
        assert item.download_count == 1
        items.withdraw_item(membership, item)
        db.session.commit()
        assert not item.is_public and not any(v.is_public for v in item.versions)
    with public_scope(tree.paths["r1"]):
        assert public_items(tree.paths["r1m1"]) == [] and public_version(shown) is None


def test_the_reviewer_decides_the_public_pages_for_a_schools_practice(ctx, tree):
    item_id = make_practice(tree, public=False)
    with acting_as(tree, "r1m1s1.staff") as (membership, _user):
        with pytest.raises(items.LibraryError):
            review.set_public(membership, db.session.get(LibraryItem, item_id), True)
    with acting_as(tree, "r1m1.staff") as (membership, user):
        item = db.session.get(LibraryItem, item_id)
        review.approve(membership, user, item, public=True)
        db.session.commit()
        assert item.is_public
    with acting_as(tree, "r1m1s1.staff") as (membership, _user):
        item = db.session.get(LibraryItem, item_id)
        review.set_public(membership, item, False)  # the school may always take it off
        db.session.commit()
        assert not item.is_public and not item.versions[0].is_public


def test_only_a_never_published_draft_is_deleted(ctx, tree):
    draft = make_item(tree, "r1m1.admin", publish=False)
    published = make_item(tree, "r1m1.admin")
    with acting_as(tree, "r1m1.admin") as (membership, _user):
        items.delete_draft(membership, db.session.get(LibraryItem, draft))
        with pytest.raises(items.LibraryStateError):
            items.delete_draft(membership, db.session.get(LibraryItem, published))
        db.session.commit()
        org = membership.org
        assert [i.id for i in db.session.scalars(own_query(org))] == [published]
        assert db.session.scalar(sa.select(sa.func.count(LibraryVersion.id))) == 1


def test_the_analyst_reads_but_does_not_publish(ctx, tree):
    with acting_as(tree, "r1.staff") as (membership, user):
        with pytest.raises(items.LibraryError) as error:
            items.create_item(membership, user, items.ItemData(category="template", title="Шаблон"), "a.pdf", PDF)
        assert error.value.code == "not_allowed"
