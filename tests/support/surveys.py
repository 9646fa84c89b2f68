"""``survey_world``: one of every survey object, for the isolation suite and the survey tests.

Region r1 (the ministry) owns a questionnaire for mentors and mentees (two 1–10 scales counted
in the satisfaction index, a single and a multiple choice, a short and a long text) and an open
region campaign; municipal body r1m1 owns a draft campaign; school r1m1s1 owns its own curator
questionnaire and an open campaign of the region questionnaire with a mentor invited by e-mail,
a pupil mentee invited on paper (short code), and six anonymous responses."""
from __future__ import annotations

import uuid
from datetime import date
from types import SimpleNamespace

from core.extensions import db
from mentorship.surveys.models import (
    SurveyAnswer,
    SurveyCampaign,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyTemplate,
)
from tenants.context import tenant_scope, unscoped
from tests.support.school import make_mentee, make_mentor

OPENS, CLOSES = date(2026, 11, 1), date(2026, 12, 31)
SHORT_CODE = "ABCDE23456"


def make_template(org_id: int, title: str = "Удовлетворённость участников", *, audience=("mentee", "mentor"),
                  purpose: str = "completion", family: str | None = None, version: int = 1,
                  questions: list[dict] | None = None) -> SurveyTemplate:
    """A template with the given questions (default: the six kinds, see the module docstring)."""
    template = SurveyTemplate(org_id=org_id, family=family or uuid.uuid4().hex,
                              version=version, title=title, purpose=purpose, audience=list(audience))
    for position, spec in enumerate(questions or default_questions(), start=1):
        template.questions.append(SurveyQuestion(org_id=org_id, position=position, **spec))
    db.session.add(template)
    db.session.flush()
    return template


def default_questions() -> list[dict]:
    return [
        {"kind": "scale", "text": "Насколько хорошо были организованы встречи?", "in_index": True},
        {"kind": "scale", "text": "Насколько полезной была работа с наставником?", "in_index": True},
        {"kind": "single", "text": "Хотели бы вы продолжить?", "options": ["Да", "Нет", "Не знаю"]},
        {"kind": "multiple", "text": "Что было полезнее всего?", "options": ["Встречи", "Проекты", "Консультации"],
         "required": False},
        {"kind": "short_text", "text": "Одним словом: каким был год?", "required": False},
        {"kind": "long_text", "text": "Что бы вы изменили?", "required": False},
    ]


def make_campaign(org_id: int, template: SurveyTemplate, title: str = "Итоговое анкетирование", *,
                  status: str = "open", roles=("mentee", "mentor"), **fields) -> SurveyCampaign:
    fields.setdefault("opens_on", OPENS)
    fields.setdefault("closes_on", CLOSES)
    fields.setdefault("reminder_days", [3, 7])
    campaign = SurveyCampaign(org_id=org_id, title=title, template_id=template.id, status=status,
                              roles=list(roles), **fields)
    db.session.add(campaign)
    db.session.flush()
    return campaign


def add_response(campaign: SurveyCampaign, template: SurveyTemplate, org_id: int, municipal_id: int | None, *,
                 role: str = "mentee", form_code: str | None = "teacher_pupil", scales=(8, 9), choice: int = 0,
                 chosen=(0,), text: str | None = None, submitted_on: date = date(2026, 11, 20)) -> SurveyResponse:
    """An anonymous response answering the default questions (scales, a choice, options, text)."""
    q = template.questions
    response = SurveyResponse(org_id=org_id, campaign_id=campaign.id, role=role, form_code=form_code,
                              municipal_id=municipal_id, submitted_on=submitted_on)
    values = [(q[0], scales[0], None), (q[1], scales[1], None), (q[2], choice, None)]
    values += [(q[3], option, None) for option in chosen]
    if text:
        values.append((q[5], None, text))
    for question, value, answer_text in values:
        response.answers.append(SurveyAnswer(org_id=org_id, campaign_id=campaign.id, question_id=question.id,
                                             value=value, text=answer_text))
    db.session.add(response)
    return response


def survey_world(tree, key: str = "r1m1s1") -> SimpleNamespace:
    school_id, municipal_id, region_id = tree.ids[key], tree.ids[key[:4]], tree.ids[key[:2]]
    with tenant_scope(region_id, tree.paths[key[:2]]):
        region_template = make_template(region_id, family="a" * 32)
        region_campaign = make_campaign(region_id, region_template, "Региональный опрос удовлетворённости")
        db.session.commit()
        region_template_id, region_campaign_id = region_template.id, region_campaign.id
    with tenant_scope(municipal_id, tree.paths[key[:4]]):
        template = db.session.get(SurveyTemplate, region_template_id)
        municipal_campaign = make_campaign(municipal_id, template, "Муниципальный опрос", status="draft")
        db.session.commit()
        municipal_campaign_id = municipal_campaign.id
    with tenant_scope(school_id, tree.paths[key]):
        template = db.session.get(SurveyTemplate, region_template_id)
        school_template = make_template(
            school_id, "Анкета куратора", audience=("curator",), purpose="programme_quality", family="b" * 32,
            questions=[{"kind": "long_text", "text": "Сильные стороны программы"}],
        )
        mentor = make_mentor(school_id, "Смирнова Ольга Ивановна", email="smirnova@example.org")
        mentee = make_mentee(school_id, "Кузнецов Павел")  # a pupil: no e-mail of his own
        campaign = make_campaign(school_id, template, "Итоговое анкетирование школы")
        invitation = SurveyInvitation(
            org_id=school_id, campaign_id=campaign.id, recipient_key=f"mentor:{mentor.id}", role="mentor",
            participant_id=mentor.id, form_code="teacher_pupil", channel="email", address_kind="self",
            status="sent", expires_on=CLOSES,
        )
        paper = SurveyInvitation(
            org_id=school_id, campaign_id=campaign.id, recipient_key=f"mentee:{mentee.id}", role="mentee",
            participant_id=mentee.id, form_code="teacher_pupil", channel="paper", address_kind="self",
            status="pending", expires_on=CLOSES, short_code=SHORT_CODE,
        )
        db.session.add_all([invitation, paper])
        for n in range(6):
            add_response(campaign, template, school_id, municipal_id, role="mentee" if n % 2 else "mentor",
                         scales=(5 + n % 5, 6 + n % 4), choice=n % 3, chosen=(0, 2) if n % 2 else (1,),
                         text="Больше встреч" if n == 0 else None)
        db.session.flush()
        world = SimpleNamespace(
            region_template=region_template_id, region_campaign=region_campaign_id,
            municipal_campaign=municipal_campaign_id, school_template=school_template.id, campaign=campaign.id,
            mentor=mentor.id, mentee=mentee.id, invitation=invitation.id, paper_invitation=paper.id,
            short_code=SHORT_CODE, questions=[q.id for q in template.questions],
        )
        db.session.commit()
    return world


def count_rows(model) -> int:
    """All rows of a survey table, across tenants (for "nothing saved" assertions)."""
    import sqlalchemy as sa

    with unscoped("tests.surveys.count"):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))
