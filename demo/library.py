"""Demo expert bank and methodological library for the demo school's municipal body: three
experts (one not shown to the schools), four published documents, a best practice of the demo
school approved for the region, and a request for help from the school. Called after
``demo.school.load_school_demo`` (``flask demo load``) with the demo school; idempotent."""
from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa
from docx import Document

from core.extensions import db
from mentorship.experts import bank, help_requests
from mentorship.experts.models import Expert
from mentorship.library import items, review
from mentorship.library.models import LibraryItem
from tenants.context import tenant_scope, unscoped
from tenants.models import Membership, Organization, User
from tenants.roles import Role

TODAY = date(2026, 11, 2)
EXPERTS = (
    dict(full_name="Соколова Анна Петровна", kind="psychologist", areas=["psychology", "young_teachers", "mediation"],
         position="педагог-психолог", workplace="Центр психолого-педагогической помощи", email="sokolova@example.ru",
         availability="вторник и четверг, очно и онлайн", display_consent=True),
    dict(full_name="Берёзкин Игорь Васильевич", kind="institute", areas=["methodology", "evaluation", "legal"],
         position="старший методист", workplace="Институт развития образования", phone="+7 8332 00-00-00",
         availability="по предварительной записи", display_consent=True),
    dict(full_name="Лебедева Ольга Николаевна", kind="employer", areas=["career", "employers"],
         position="руководитель отдела кадров", workplace="АО «Машиностроительный завод»", email="lebedeva@example.ru",
         display_consent=False),
)
DOCUMENTS = (
    ("regulation", "Положение о системе наставничества педагогических работников",
     "Типовое положение для образовательных организаций муниципалитета: цели, формы, права и обязанности наставника "
     "и наставляемого, порядок закрепления наставнических пар.", ["teacher_teacher"]),
    ("template", "Типовая дорожная карта внедрения целевой модели наставничества",
     "Мероприятия, сроки и ответственные на учебный год.", []),
    ("recommendation", "Методические рекомендации по организации наставничества «учитель – ученик»",
     "Как подобрать пары, составить индивидуальный план и оценить результаты.", ["teacher_pupil"]),
    ("presentation", "Презентация для совещания руководителей: итоги мониторинга наставничества",
     "Показатели муниципалитета за прошедший год.", []),
)


def _docx(title: str) -> bytes:
    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph("Демонстрационный документ системы «Наставник».")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _member(org_id: int, roles: tuple[Role, ...]) -> tuple[Membership, User] | None:
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.org_id == org_id, Membership.role.in_([r.value for r in roles]), Membership.is_active.is_(True))
        .order_by(Membership.id).limit(1))
    return (membership, db.session.get(User, membership.user_id)) if membership else None


def load_library_demo(school: Organization) -> bool:
    """Fill the demo unless the school's body already keeps experts; True if it did."""
    with unscoped("demo.library_body"):
        body = db.session.get(Organization, school.parent_id)
        body_id, body_path = body.id, body.path
    with tenant_scope(body_id, body_path):
        if db.session.scalar(sa.select(sa.func.count(Expert.id)).where(Expert.org_id == body_id)):
            return False
        acting = _member(body_id, (Role.MUNICIPAL_COORDINATOR, Role.MUNICIPAL_SPECIALIST))
        if acting is None:
            return False
        membership, user = acting
        expert_ids = []
        for values in EXPERTS:
            data = bank.ExpertData(**{**values, "processing_consent_on": date(2026, 9, 1),
                                      "display_consent_on": date(2026, 9, 1) if values["display_consent"] else None})
            expert_ids.append(bank.create_expert(membership, data, TODAY).id)
        for category, title, description, forms in DOCUMENTS:
            items.create_item(membership, user, items.ItemData(category=category, title=title, description=description,
                                                               form_codes=forms),
                              f"{category}.docx", _docx(title), publish=True, public=category != "presentation")
        db.session.commit()
    with tenant_scope(school.id, school.path):
        acting = _member(school.id, (Role.SCHOOL_CURATOR, Role.SCHOOL_PRINCIPAL))
        if acting is None:
            return True
        membership, user = acting
        practice = items.create_item(
            membership, user, items.ItemData(
                category="practice", title="Клуб молодых педагогов «Первые шаги»",
                description="Ежемесячные встречи молодых учителей с наставниками: разбор уроков, взаимопосещения, "
                            "совместная подготовка к аттестации.", form_codes=["teacher_teacher"]),
            "practice.docx", _docx("Клуб молодых педагогов"))
        review.submit(membership, practice, public=True)
        practice_id = practice.id
        help_requests.ask_expert(membership.org, user, db.session.get(Expert, expert_ids[0]),
                                 topic="Адаптация молодых учителей", text="Просим провести консультацию для молодых "
                                 "педагогов и их наставников по профилактике профессионального выгорания.",
                                 preferred_dates="вторая половина ноября")
        db.session.commit()
    with tenant_scope(body_id, body_path):
        membership, user = _member(body_id, (Role.MUNICIPAL_COORDINATOR, Role.MUNICIPAL_SPECIALIST))
        review.approve(membership, user, db.session.get(LibraryItem, practice_id),
                       comment="Рекомендуем к распространению.")
        db.session.commit()
    return True
