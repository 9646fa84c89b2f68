"""Demo people and programmes for one school (fictional names), so ``make run`` shows the
banks, matching, pairs and plans with something in them. Idempotent: a school that already
has participants is left alone."""
from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from core.clock import region_today
from core.extensions import db
from core.model import utcnow
from mentorship.monitoring.models import ContingentRecord
from mentorship.pairing.models import IndividualPlan, Meeting, PlanTask, Programme
from mentorship.pairing.pairs import create_mentorship
from mentorship.people.models import (
    Consent,
    Enterprise,
    MenteeProfile,
    MenteeRequest,
    MentorProfile,
    Participant,
)
from mentorship.surveys.defaults import ensure_default_templates
from tenants.context import tenant_scope
from tenants.models import Organization

SURNAMES = ["Орлов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов", "Волков", "Зайцев", "Павлов", "Семёнов",
            "Голубев", "Виноградов", "Богданов", "Воробьёв", "Фёдоров", "Михайлов", "Беляев", "Тарасов"]
FIRST = ["Алексей", "Дмитрий", "Иван", "Максим", "Артём", "Кирилл", "Никита", "Егор"]
FIRST_F = ["Анна", "Мария", "Елена", "Дарья", "Софья", "Полина", "Виктория", "Алиса"]
REQUESTS = ["academic", "adaptation", "career", "projects", "leadership"]


def _name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(SURNAMES)} {rng.choice(FIRST)}"
    return f"{rng.choice(SURNAMES)}а {rng.choice(FIRST_F)}"


def _consent(person: Participant, minor: bool) -> Consent:
    return Consent(
        org_id=person.org_id, participant=person, given_by="representative" if minor else "participant",
        representative_name=person.representative_name if minor else None,
        authority_document="свидетельство о рождении" if minor else None,
        purpose="Участие в программе наставничества, учёт в базе наставляемых/наставников",
        policy_version="1.0", given_on=date(2026, 9, 1),
    )


def load_school_demo(school: Organization) -> bool:
    """Fill ``school`` with demo data unless it has participants already; True if it did."""
    rng = random.Random(9)
    with tenant_scope(school.id, school.path):
        if db.session.scalar(sa.select(sa.func.count(Participant.id))):
            return False
        ensure_default_templates(school)  # the region's default questionnaires, committed with the demo
        enterprise = Enterprise(org_id=school.id, name="АО «Кировский машиностроительный завод»")
        db.session.add(enterprise)
        db.session.add(ContingentRecord(org_id=school.id, school_year=2026, pupils_10_19=620, pupils_15_19=210,
                                        teachers=58, young_specialists=7))
        mentors = []
        for i in range(6):
            person = Participant(org_id=school.id, full_name=_name(rng), category="teacher",
                                 class_or_position="учитель", teaching_since=date(2005 + i, 9, 1),
                                 email=f"mentor{i + 1}@school9.demo", in_mentor_bank=True)
            db.session.add_all([person, _consent(person, False)])
            db.session.add(MentorProfile(org_id=school.id, participant=person, capacity=2 + i % 2,
                                         competencies=rng.sample(REQUESTS, 2), subjects="математика, физика",
                                         approved=True, interview_result="passed", training_status="completed"))
            mentors.append(person)
        mentees = []
        for i in range(14):
            birth = date(2010 + i % 4, 1 + i % 12, 1 + i % 27)
            person = Participant(
                org_id=school.id, full_name=_name(rng), category="pupil", birth_date=birth, birth_year=birth.year,
                class_or_position=f"{8 - i % 4}{'АБВ'[i % 3]}", special_needs=i == 3,
                representative_name="Родитель " + str(i + 1), representative_phone="+7 912 000-00-%02d" % i,
                representative_email=f"parent{i + 1}@school9.demo", in_mentee_bank=True,
            )
            db.session.add_all([person, _consent(person, True), MenteeProfile(org_id=school.id, participant=person)])
            db.session.add(MenteeRequest(org_id=school.id, participant=person, kind=rng.choice(REQUESTS),
                                         source=rng.choice(["class_teacher", "psychologist", "parents", "self"])))
            mentees.append(person)
        programme = Programme(org_id=school.id, title="Учитель – ученик: успешный старт", form_code="teacher_pupil",
                              school_year=2026, goals="Повышение успеваемости и мотивации обучающихся",
                              expected_results="Рост успеваемости, снижение числа неуспевающих")
        db.session.add(programme)
        db.session.flush()
        pair = create_mentorship(programme, mentors[0], [mentees[0]], date(2026, 9, 15),
                                 reasons=[["requests_covered", [mentees[0].requests[0].kind]]])
        plan = IndividualPlan(org_id=school.id, mentorship_id=pair.id, goals="Ликвидировать пробелы по математике")
        for n, title in enumerate(["Входная диагностика", "Индивидуальный образовательный маршрут",
                                   "Еженедельные консультации", "Итоговая диагностика"]):
            plan.tasks.append(PlanTask(org_id=school.id, title=title, position=n,
                                       due_on=date(2026, 9, 15) + timedelta(weeks=4 * n + 2),
                                       status="done" if n == 0 else "planned"))
        db.session.add_all([plan, Meeting(org_id=school.id, mentorship_id=pair.id, kind="organisational",
                                          held_on=date(2026, 9, 16), topic="Знакомство, правила работы")])
        db.session.commit()
        _demo_survey(school, rng)
    return True


def _demo_survey(school: Organization, rng: random.Random) -> None:
    """An open campaign of the region's intermediate questionnaire with its invitations (the
    worker's survey tick mails them to the console), and ten anonymous responses so that the
    results page has something to show."""
    from mentorship.surveys.models import SurveyAnswer, SurveyCampaign, SurveyResponse, SurveyTemplate
    from mentorship.surveys.triggers import create_invitations

    today = region_today()
    template = db.session.scalar(sa.select(SurveyTemplate).where(
        SurveyTemplate.code == "intermediate", SurveyTemplate.is_current.is_(True)))
    if template is None:
        return
    campaign = SurveyCampaign(org_id=school.id, title="Промежуточное анкетирование участников",
                              template_id=template.id, status="open", roles=list(template.audience),
                              opens_on=today - timedelta(days=7), closes_on=today + timedelta(days=30),
                              reminder_days=[3, 7], launched_at=utcnow())
    db.session.add(campaign)
    db.session.flush()
    for n in range(10):
        response = SurveyResponse(org_id=school.id, campaign_id=campaign.id, role=("mentee", "mentor")[n % 2],
                                  form_code="teacher_pupil", municipal_id=school.parent_id,
                                  submitted_on=today - timedelta(days=n % 5))
        for question in template.questions:
            value = text = None
            if question.kind == "scale":
                value = rng.randint(6, 10)
            elif question.kind in ("single", "multiple") and question.options:
                value = rng.randrange(len(question.options))
            elif not question.required:
                continue
            else:
                text = "Встречи проходят регулярно, хотелось бы больше практики."
            response.answers.append(SurveyAnswer(org_id=school.id, campaign_id=campaign.id, question_id=question.id,
                                                 value=value, text=text))
        db.session.add(response)
    db.session.commit()
    create_invitations(campaign.id, today)
    db.session.commit()
