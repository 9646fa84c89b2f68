"""Demo public pages: the demo school publishes its «Наставничество» page (texts, contacts, two
news items, its regulation, a best practice; its board of honour comes from the recognition
demo), and so do its municipal body and the ministry above. Call after
``demo.recognition.load_recognition_demo`` (``flask demo load``); idempotent (nothing is done for
an organisation that has a page already). Returns the school page's address."""
from __future__ import annotations

from datetime import date

from core.extensions import db
from mentorship.public import documents, news, pages, practices
from mentorship.public.news import NewsFields
from mentorship.public.pages import PageFields
from mentorship.public.practices import PracticeFields
from tenants.context import tenant_scope, unscoped
from tenants.models import Organization

TODAY = date(2026, 11, 20)
# A one-page PDF: «Положение о наставничестве» (the demo's own text, not a real document).
REGULATION_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

SCHOOL_INTRO = (
    "В школе реализуется целевая модель наставничества: формы «учитель – ученик», «ученик – ученик» и "
    "«работодатель – ученик».\n\nНаставники помогают ребятам в учёбе, проектах и профессиональном выборе."
)


def _publish(org: Organization, intro: str, *, school: bool) -> bool:
    with tenant_scope(org.id, org.path):
        org = db.session.get(Organization, org.id)
        if pages.page_of(org) is not None:
            return False
        pages.save_page(org, PageFields(intro=intro, address="г. Киров", phone="+7 (8332) 00-00-00",
                                        email="info@school9.demo" if school else None,
                                        contacts_note="Куратор наставничества принимает по вторникам, 14:00–16:00."
                                        if school else None))
        if school:
            for title, text, on in [
                ("Стартовала программа «Учитель – ученик»", "Сформированы первые **наставнические пары**.",
                 date(2026, 9, 15)),
                ("День наставника", "В школе прошёл день наставника: встречи, мастер-классы, итоги четверти.", TODAY),
            ]:
                item = news.save_news(org, None, NewsFields(title=title, text=text, published_on=on), None)
                news.publish_news(org, item)
            document = documents.upload_document(org, title="Положение о наставничестве", category="regulation",
                                                 file=("polozhenie.pdf", REGULATION_PDF), user=None)
            documents.publish_document(org, document)
            practice = practices.save_practice(org, None, PracticeFields(
                "Школа молодого педагога", "Наставники сопровождают учителей первых трёх лет работы.",
                "Еженедельные встречи, взаимопосещение уроков, разбор трудных ситуаций."))
            practices.set_practice_public(org, practice, True)
        pages.publish_page(org, TODAY)
        db.session.commit()
        return True


def load_public_demo(school: Organization) -> str | None:
    """Publish the demo pages; the school's public address (None without slugs)."""
    with unscoped("demo.public_lookup"):
        school = db.session.get(Organization, school.id)
        body = db.session.get(Organization, school.parent_id)
        ministry = db.session.get(Organization, body.parent_id)
        ministry_slug, school_slug = ministry.slug, school.slug
    _publish(ministry, "Региональная система наставничества: органы управления образованием и школы региона.",
             school=False)
    _publish(body, "Наставничество в образовательных организациях муниципалитета.", school=False)
    _publish(school, SCHOOL_INTRO, school=True)
    return f"/p/{ministry_slug}/{school_slug}/" if ministry_slug and school_slug else None
