"""What may be published and how: news sanitised, pictures re-encoded (no EXIF GPS), documents
checked by content, snapshots only of approved roadmaps and built reports, award orders only
when everyone in them consents — and a withdrawal unpublishes them at once."""
from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from PIL import Image

from core.extensions import db
from core.richtext import render_markdown
from mentorship.public import documents, news, reading
from mentorship.public.errors import PublicError, PublicNotFound
from mentorship.public.models import PublicDocument, PublicDocumentPerson, PublicPage
from mentorship.public.news import NewsFields
from mentorship.recognition.models import Award, AwardOrder
from mentorship.reports.models import AnalyticalReport
from tenants.context import public_scope, unscoped
from tests.support.monitoring import make_period
from tests.support.roadmaps import make_roadmap
from tests.support.school import PDF, PNG, problems_of
from tests.unit.public.world import (
    TODAY,
    add_news,
    as_org,
    consenting_mentor,
    gps_jpeg,
    org_of,
    publish_page,
    withdraw_consent,
)

pytestmark = pytest.mark.backends("sqlite", "postgresql")
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx() -> bytes:
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


@pytest.mark.parametrize("source, kept, dropped", [
    ("<script>alert(1)</script>Текст", "Текст", "<script"),
    ('<img src="x" onerror="alert(1)">', "", "onerror"),
    ("[ссылка](javascript:alert(1))", "ссылка", "javascript:"),
    ('<a href="https://ok.ru" onclick="steal()">сайт</a>', 'href="https://ok.ru"', "onclick"),
    ("<style>body{display:none}</style>**важно**", "<strong>важно</strong>", "display:none"),
    ('<iframe src="https://evil.ru"></iframe>', "", "<iframe"),
])
def test_markdown_is_rendered_into_a_safe_subset(source, kept, dropped):
    html = str(render_markdown(source))
    assert kept in html
    assert dropped not in html


def test_a_news_picture_is_re_encoded_without_its_exif_gps(ctx, tree):
    publish_page(tree)
    source = gps_jpeg()
    assert b"Secret Camera" in source and Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825)
    item_id = add_news(tree, picture=("photo.jpg", source))
    with public_scope(tree.paths["r1"]):
        data, mimetype = reading.news_picture(tree.ids["r1m1s1"], item_id)
    assert mimetype == "image/jpeg" and data != source
    image = Image.open(io.BytesIO(data))
    assert image.size == (64, 48)
    assert not image.getexif() and b"Secret Camera" not in data and b"Exif" not in data


@pytest.mark.parametrize("filename, data, code", [
    ("photo.jpg", b"", "empty"),
    ("photo.jpg", b"not an image at all", "unreadable"),
    ("photo.png", None, "name_mismatch"),  # a JPEG named .png
    ("photo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "unreadable"),
])
def test_bad_pictures_are_refused_and_nothing_is_kept(ctx, tree, filename, data, code):
    publish_page(tree)
    with as_org(tree, "r1m1s1"):
        with pytest.raises(PublicError) as refused:
            news.save_news(org_of(tree, "r1m1s1"), None, NewsFields(
                title="Новость", text="Текст", published_on=TODAY,
                picture=(filename, gps_jpeg() if data is None else data)), None)
        assert problems_of(refused.value)[0][0] == "picture"
        assert refused.value.code in (code, "picture_type_not_allowed")
        db.session.rollback()
        assert reading.latest_news(tree.ids["r1m1s1"]) == []


def test_a_news_item_needs_a_title_a_text_and_a_date(ctx, tree):
    with as_org(tree, "r1m1s1"):
        with pytest.raises(PublicError) as refused:
            news.save_news(org_of(tree, "r1m1s1"), None, NewsFields(title=" ", text="", published_on=None), None)
    assert problems_of(refused.value) == [("title", "title_required"), ("text", "text_required"),
                                          ("published_on", "date_required")]


@pytest.mark.parametrize("filename, data, code", [
    ("polozhenie.pdf", b"", "empty"),
    ("photo.png", PNG, "type_not_allowed"),  # a picture is not a document
    ("polozhenie.docx", PDF, "name_mismatch"),
    ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "type_not_allowed"),
])
def test_uploaded_documents_are_checked_by_content(ctx, tree, filename, data, code):
    with as_org(tree, "r1m1s1"):
        with pytest.raises(PublicError) as refused:
            documents.upload_document(org_of(tree, "r1m1s1"), title="Положение", category="regulation",
                                      file=(filename, data), user=None)
        assert problems_of(refused.value) == [("file", code)]


def test_a_large_document_is_refused(ctx, tree, monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_MB", 0)
    with as_org(tree, "r1m1s1"), pytest.raises(PublicError) as refused:
        documents.upload_document(org_of(tree, "r1m1s1"), title="Положение", category="regulation",
                                  file=("p.pdf", PDF), user=None)
    assert refused.value.code == "too_large"


def test_only_an_approved_roadmap_of_ones_own_is_published(ctx, tree):
    draft = make_roadmap(tree.ids["r1m1s1"], ["сентябрь 2023"], status="draft")
    approved = make_roadmap(tree.ids["r1m1s1"], ["сентябрь 2023"], status="approved")
    elsewhere = make_roadmap(tree.ids["r1m1s2"], ["сентябрь 2023"], status="approved")
    with as_org(tree, "r1m1s1"):
        org = org_of(tree, "r1m1s1")
        assert [s.id for s in documents.sources.roadmap_choices(org)] == [approved.id]
        with pytest.raises(PublicError) as refused:
            documents.add_roadmap(org, draft.id, title="Дорожная карта", user=None)
        assert refused.value.code == "roadmap_not_approved"
        with pytest.raises(PublicNotFound):
            documents.add_roadmap(org, elsewhere.id, title="Дорожная карта", user=None)
        document = documents.add_roadmap(org, approved.id, title="Дорожная карта", user=None)
        assert document.kind == "roadmap" and document.content_type == DOCX_MIME and not document.is_public
        assert document.data[:2] == b"PK"


def test_a_bodys_built_analytical_report_is_published_as_its_docx(ctx, tree):
    period = make_period(tree.ids["r1"], date(2026, 6, 20))
    with unscoped("tests.analytical"):
        built = AnalyticalReport(org_id=tree.ids["r1m1"], period_id=period, status="done", total=1, done=1,
                                 docx=_docx())
        running = AnalyticalReport(org_id=tree.ids["r1m1"], period_id=period, status="running", total=1, done=0)
        db.session.add_all([built, running])
        db.session.commit()
        built_id, running_id = built.id, running.id
    with as_org(tree, "r1m1"):
        org = org_of(tree, "r1m1")
        assert [s.id for s in documents.sources.analytical_choices(org)] == [built_id]
        with pytest.raises(PublicError):
            documents.add_analytical(org, running_id, title="Справка", user=None)
        document = documents.add_analytical(org, built_id, title="Справка", user=None)
        assert document.category == "report" and document.data[:2] == b"PK"


def _award_order(tree, mentor_ids):
    with as_org(tree, "r1m1s1"):
        seq = (db.session.scalar(sa.select(sa.func.max(AwardOrder.seq))) or 0) + 1
        order = AwardOrder(org_id=tree.ids["r1m1s1"], year=2026, seq=seq, number=f"{seq}-н", dated=TODAY,
                           title="О поощрении участников наставнической деятельности")
        db.session.add(order)
        db.session.flush()
        for mentor_id in mentor_ids:
            db.session.add(Award(org_id=tree.ids["r1m1s1"], participant_id=mentor_id, kind="gratitude",
                                 title="за наставничество", awarded_on=TODAY, order_id=order.id))
        db.session.commit()
        return order.id


def test_an_award_order_is_published_only_when_everyone_in_it_consents(ctx, tree):
    publish_page(tree)
    agreed = consenting_mentor(tree, "r1m1s1", "Смирнова Ольга Ивановна")
    refused_mentor = consenting_mentor(tree, "r1m1s1", "Кузнецов Пётр Ильич", consent=False)
    mixed = _award_order(tree, [agreed, refused_mentor])
    with as_org(tree, "r1m1s1"):
        with pytest.raises(PublicError) as refused:
            documents.add_award_order(org_of(tree, "r1m1s1"), mixed, title="Приказ", user=None)
        assert refused.value.code == "order_without_consent"
        assert "Кузнецов" in refused.value.message and "Смирнова" not in refused.value.message
        db.session.rollback()
    only_agreed = _award_order(tree, [agreed])
    with as_org(tree, "r1m1s1"):
        org = org_of(tree, "r1m1s1")
        document = documents.add_award_order(org, only_agreed, title="Приказ о поощрении", user=None)
        documents.publish_document(org, document)
        db.session.commit()
        document_id = document.id
        assert documents.people_of(document) == [agreed]
    with public_scope(tree.paths["r1"]):
        assert [d.id for d in reading.documents(tree.ids["r1m1s1"])] == [document_id]


def test_withdrawing_the_consent_unpublishes_the_order_and_raises_the_pages_version(ctx, tree):
    publish_page(tree)
    mentor = consenting_mentor(tree, "r1m1s1", "Смирнова Ольга Ивановна")
    order_id = _award_order(tree, [mentor])
    with as_org(tree, "r1m1s1"):
        org = org_of(tree, "r1m1s1")
        document = documents.add_award_order(org, order_id, title="Приказ о поощрении", user=None)
        documents.publish_document(org, document)
        db.session.commit()
        document_id = document.id
        version = db.session.scalar(sa.select(PublicPage.version))
    withdraw_consent(tree, "r1m1s1", mentor)
    with public_scope(tree.paths["r1"]):
        assert reading.documents(tree.ids["r1m1s1"]) == []
        assert reading.published_page(tree.ids["r1m1s1"]).version > version
    with as_org(tree, "r1m1s1"):
        document = db.session.get(PublicDocument, document_id)
        assert not document.is_public
        with pytest.raises(PublicError):  # and it cannot be published again without a new consent
            documents.publish_document(org_of(tree, "r1m1s1"), document)
        assert db.session.scalar(sa.select(sa.func.count(PublicDocumentPerson.id))) == 1


def test_an_award_order_naming_a_partner_needs_its_agreement(ctx, tree):
    from mentorship.people.models import Enterprise

    publish_page(tree)
    mentor = consenting_mentor(tree, "r1m1s1", "Смирнова Ольга Ивановна")
    order_id = _award_order(tree, [mentor])
    with as_org(tree, "r1m1s1"):
        partner = Enterprise(org_id=tree.ids["r1m1s1"], name="АО «Завод»", publication_agreed=False)
        db.session.add(partner)
        db.session.flush()
        db.session.add(Award(org_id=tree.ids["r1m1s1"], enterprise_id=partner.id, kind="thanks", awarded_on=TODAY,
                             order_id=order_id))
        db.session.commit()
        with pytest.raises(PublicError) as refused:
            documents.add_award_order(org_of(tree, "r1m1s1"), order_id, title="Приказ", user=None)
        assert "АО «Завод»" in refused.value.message
        db.session.rollback()
        partner = db.session.get(Enterprise, partner.id)
        partner.publication_agreed = True
        db.session.commit()
        org = org_of(tree, "r1m1s1")
        document = documents.add_award_order(org, order_id, title="Приказ", user=None)
        partner.publication_agreed = False  # the partner changed its mind before publication
        db.session.flush()
        with pytest.raises(PublicError):
            documents.publish_document(org, document)


def test_a_partner_withdrawing_its_agreement_takes_published_award_orders_down_at_once(ctx, tree):
    from mentorship.people.models import Enterprise
    from mentorship.recognition.awards import set_partner_agreement

    publish_page(tree)
    mentor = consenting_mentor(tree, "r1m1s1", "Смирнова Ольга Ивановна")
    order_id = _award_order(tree, [mentor])
    with as_org(tree, "r1m1s1"):
        partner = Enterprise(org_id=tree.ids["r1m1s1"], name="АО «Завод»", publication_agreed=True)
        db.session.add(partner)
        db.session.flush()
        db.session.add(Award(org_id=tree.ids["r1m1s1"], enterprise_id=partner.id, kind="thanks", awarded_on=TODAY,
                             order_id=order_id))
        org = org_of(tree, "r1m1s1")
        document = documents.add_award_order(org, order_id, title="Приказ о поощрении", user=None)
        documents.publish_document(org, document)
        db.session.commit()
        document_id = document.id
    with public_scope(tree.paths["r1"]):
        assert [d.id for d in reading.documents(tree.ids["r1m1s1"])] == [document_id]
    with as_org(tree, "r1m1s1"):
        set_partner_agreement(db.session.get(Enterprise, partner.id), False, org=org_of(tree, "r1m1s1"))
        db.session.commit()
    with public_scope(tree.paths["r1"]):
        assert reading.documents(tree.ids["r1m1s1"]) == []
