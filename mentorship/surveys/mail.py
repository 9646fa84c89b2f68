"""The Russian wording of a survey invitation and of its reminders (plain-text e-mail).

What a message says: the campaign's title, the organisation that runs it, what the
questionnaire is for, the personal link, until when it can be answered, that the answers are
anonymous and that the link works once. A message to a legal representative addresses the
parent and says whose answer is asked (the parent's own, or the child's with the parent's
help). Nobody's name is put in a subject, and the body greets generically: the address may
be shared, and a pupil's full name has no place in a mailbox.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PURPOSE_TEXTS = {
    "start": "узнать ожидания участников в начале работы наставнической пары или группы",
    "intermediate": "получить промежуточную обратную связь о том, как идёт работа с наставником",
    "completion": "оценить удовлетворённость участием в программе, её организацию и пользу",
    "programme_quality": "оценить качество программы наставничества: её сильные и слабые стороны, "
                         "возможности и риски",
    "other": "узнать ваше мнение о программе наставничества",
}
ROLE_TEXTS = {
    "mentor": "наставник",
    "mentee": "наставляемый",
    "representative": "родитель (законный представитель) наставляемого",
    "curator": "куратор программы наставничества",
}
SIGNATURE = "Это автоматическое сообщение системы «Наставник», отвечать на него не нужно."


@dataclass(frozen=True)
class CampaignText:
    """What the messages of one campaign share."""

    title: str
    organisation: str
    purpose: str


def _date(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _addressee(role: str, address_kind: str) -> list[str]:
    if address_kind == "representative":
        if role == "representative":
            whose = "Просим ответить на вопросы вас — родителя (законного представителя)."
        else:
            whose = ("Анкета адресована вашему ребёнку: пожалуйста, передайте ему ссылку или помогите "
                     "заполнить анкету — отвечать должен он сам.")
        return ["Ваш ребёнок участвует в программе наставничества, и мы просим принять участие в опросе.", whose]
    return [f"Вы участвуете в программе наставничества (роль: {ROLE_TEXTS.get(role, role)}), "
            "и мы просим вас принять участие в опросе."]


def _common(campaign: CampaignText, link: str, answer_by: date) -> list[str]:
    return [
        f"Опрос: «{campaign.title}».",
        f"Проводит: {campaign.organisation}.",
        f"Цель опроса — {PURPOSE_TEXTS.get(campaign.purpose, PURPOSE_TEXTS['other'])}.",
        "",
        "Ответить можно по персональной ссылке:",
        link,
        "",
        f"Ответы принимаются до {_date(answer_by)} включительно. Ссылка действует один раз: после отправки "
        "ответов её нельзя использовать повторно; не пересылайте её другим людям.",
        "Опрос анонимный: ответы хранятся отдельно от сведений о том, кто их дал, и показываются "
        "организаторам только в обобщённом виде.",
        "",
        SIGNATURE,
    ]


def invitation(campaign: CampaignText, *, role: str, address_kind: str, link: str,
               answer_by: date) -> tuple[str, str]:
    """(subject, body) of the first message."""
    subject = f"Наставник: приглашение к опросу «{campaign.title}»"
    body = ["Здравствуйте!", "", *_addressee(role, address_kind), "", *_common(campaign, link, answer_by)]
    return subject, "\n".join(body)


def reminder(campaign: CampaignText, *, role: str, address_kind: str, link: str,
             answer_by: date) -> tuple[str, str]:
    """(subject, body) of a reminder to someone who has not answered yet (the same link)."""
    subject = f"Наставник: напоминание об опросе «{campaign.title}»"
    body = [
        "Здравствуйте!", "",
        "Напоминаем об опросе, на который пока не получен ответ. Если вы уже ответили, просто "
        "не обращайте внимания на это письмо.",
        *_addressee(role, address_kind), "", *_common(campaign, link, answer_by),
    ]
    return subject, "\n".join(body)
