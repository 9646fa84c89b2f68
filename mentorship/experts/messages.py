"""The Russian wording of the in-app notifications and e-mails about requests for an expert's
help. A pupil's name has no place here: a request names its topic and the organisation asking."""
from __future__ import annotations

SIGNATURE = "Это автоматическое сообщение системы «Наставник», отвечать на него не нужно."

EVENT_TEXTS = {
    "created": "{requester}: новый запрос на помощь эксперта «{topic}»",
    "accepted": "{keeper}: запрос на помощь эксперта «{topic}» принят",
    "declined": "{keeper}: запрос на помощь эксперта «{topic}» отклонён",
    "closed": "{keeper}: работа по запросу «{topic}» завершена",
    "withdrawn": "{requester}: запрос на помощь эксперта «{topic}» отозван",
}


def event_text(event: str, *, requester: str, keeper: str, topic: str) -> str:
    """One line: what happened to the request (the notification's text, the e-mail's subject)."""
    return EVENT_TEXTS[event].format(requester=requester, keeper=keeper, topic=topic)


def mail_body(headline: str, *, expert: str | None, dates: str | None, text: str | None, comment: str | None,
              comment_label: str, link: str) -> str:
    """The e-mail: what happened, to whom, when it is wanted, what is asked, the answer, the link."""
    lines = ["Здравствуйте!", "", headline + "."]
    if expert:
        lines.append(f"Эксперт: {expert}.")
    if dates:
        lines.append(f"Желательные сроки: {dates}.")
    if text:
        lines += ["", "Суть запроса:", text]
    if comment:
        lines += ["", f"{comment_label}:", comment]
    lines += ["", "Запрос в системе «Наставник»:", link, "", SIGNATURE]
    return "\n".join(lines)
