"""The public pages' objects for the isolation suite, all owned by school r1m1s1: its page
(published), a news item with a picture, a document, a practice, and a card of its board of
honour with a photo (for the editor's preview)."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from core.extensions import db
from mentorship.public.models import BestPractice, NewsItem, PublicDocument, PublicPage
from mentorship.recognition.models import HonourCard
from tenants.context import tenant_scope
from tests.support.school import PDF, PNG, make_mentor


def public_world(tree, key: str = "r1m1s1") -> SimpleNamespace:
    school = tree.ids[key]
    with tenant_scope(school, tree.paths[key]):
        page = PublicPage(org_id=school, intro="Наставничество", is_public=True, version=1)
        item = NewsItem(org_id=school, title="Новость", text="Текст", published_on=date(2026, 11, 20), is_public=True,
                        picture=PNG, picture_type="image/png", picture_width=1, picture_height=1)
        document = PublicDocument(org_id=school, title="Положение", kind="upload", category="regulation",
                                  filename="polozhenie.pdf", content_type="application/pdf", size=len(PDF), data=PDF,
                                  is_public=True)
        practice = BestPractice(org_id=school, title="Практика", text="Текст практики", is_public=True)
        mentor = make_mentor(school, "Публичный Наставник Иванович", birth_date=date(1980, 1, 1))
        card = HonourCard(org_id=school, participant_id=mentor.id, display_name="Публичный Наставник",
                          photo_data=PNG, photo_type="image/png", photo_size=len(PNG))
        db.session.add_all([page, item, document, practice, card])
        db.session.commit()
        return SimpleNamespace(page=page.id, news=item.id, document=document.id, practice=practice.id, card=card.id)
