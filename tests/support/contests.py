"""Contests for tests: a mentor who consented to publication, a draft contest of a municipal
body, and ``contest_world``: a contest of r1m1 with its nomination, criteria, rules, a juror
and an entry of school r1m1s1 (with a file), plus a draft — for the isolation suite and the
view tests. Every object has an explicit owner."""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from core.extensions import db
from core.uploads import CheckedFile
from mentorship.people.models import Participant
from mentorship.people.publication import give_publication_consent
from mentorship.recognition.contests import CriterionInput, announce, save_draft
from mentorship.recognition.contests_jury import appoint
from mentorship.recognition.contests_nominations import nominate
from mentorship.recognition.models import Contest
from tenants.context import tenant_scope
from tenants.models import Organization, User
from tests.support.school import make_mentor

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def consenting_mentor(org_id: int, full_name: str, *, today: date, position: str = "учитель математики",
                      consent: bool = True) -> Participant:
    """A teacher in the school's mentor bank, with (by default) a valid consent to publication."""
    mentor = make_mentor(org_id, full_name, class_or_position=position, birth_date=date(1980, 1, 1))
    if consent:
        give_publication_consent(mentor, given_on=today, scope_note="ФИО, должность, достижения", by_user_id=None,
                                 today=today)
    return mentor


def draft_contest(org: Organization, *, today: date, title: str = "Лучший педагог-наставник",
                  nominations=("Лучший педагог-наставник", "Наставник молодого специалиста"),
                  criteria=(("Результаты наставляемых", 10), ("Методические разработки", 5)),
                  aggregation: str = "sum", rules: bool = True, user: User | None = None) -> Contest:
    """A draft of ``org`` whose nominations are open from yesterday for a fortnight."""
    return save_draft(
        org, title=title, description="Конкурс профессионального мастерства наставников",
        nominations=list(nominations), criteria=[CriterionInput(t, m) for t, m in criteria],
        aggregation=aggregation, nominations_open_on=today - timedelta(days=1),
        nominations_close_on=today + timedelta(days=14), judging_until=today + timedelta(days=30),
        results_on=today + timedelta(days=35),
        rules=CheckedFile("polozhenie.pdf", "application/pdf", PDF) if rules else None, user=user,
    )


def contest_world(tree, today: date | None = None) -> SimpleNamespace:
    """In municipal body r1m1: an announced contest (``contest``) with the specialist
    ``r1m1.staff`` on its jury (``juror``) and an entry of school r1m1s1 (``nominee``, with a
    file; its mentor ``mentor``); and a draft (``draft``). Plain ids."""
    today = today or date.today()
    m_id, s_id = tree.ids["r1m1"], tree.ids["r1m1s1"]
    w = SimpleNamespace()
    with tenant_scope(m_id, tree.paths["r1m1"]):
        body = db.session.get(Organization, m_id)
        contest = draft_contest(body, today=today)
        draft = draft_contest(body, today=today, title="Черновик конкурса")
        juror = appoint(contest, body, user_id=tree.users["r1m1.staff"].id)
        announce(contest, body, today=today)
        db.session.commit()
        w.contest, w.draft, w.juror = contest.id, draft.id, juror.id
        w.nomination = contest.nominations[0].id
    with tenant_scope(s_id, tree.paths["r1m1s1"]):
        school = db.session.get(Organization, s_id)
        mentor = consenting_mentor(s_id, "Иванова Мария Петровна", today=today)
        contest = db.session.get(Contest, w.contest)
        nominee = nominate(contest, school, participant_id=mentor.id, nomination_id=w.nomination,
                           entry_text="Подготовила трёх молодых учителей", today=today,
                           file=CheckedFile("portfolio.pdf", "application/pdf", PDF))
        db.session.commit()
        w.mentor, w.nominee = mentor.id, nominee.id
    db.session.remove()
    return w
