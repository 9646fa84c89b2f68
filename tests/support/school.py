"""Factories for a school's people and programmes, and ``school_world``: one of everything a
school keeps, for the isolation suite and view tests. Every object has an explicit owner."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from core.extensions import db
from mentorship.pairing.models import Programme
from mentorship.people.models import Consent, MenteeProfile, MenteeRequest, MentorProfile, Participant
from tenants.context import tenant_scope

TODAY = date(2026, 11, 22)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A 1×1 PNG (a card's photo as stored: already re-encoded).
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154"
                    "789c63382127070002b6010534a675aa0000000049454e44ae426082")


def problems_of(error) -> list[tuple[str | None, str]]:
    """What a DomainError refuses, as (field, code) pairs, in order."""
    return [(problem.field, problem.code) for problem in error.problems]


def make_participant(org_id: int, full_name: str, category: str = "pupil", *, birth_date: date | None = None,
                     consent: bool = True, **fields) -> Participant:
    """A participant with (by default) a valid consent; minors get a legal representative."""
    if birth_date is None and category in ("pupil", "student"):
        birth_date = date(2011, 5, 1) if category == "pupil" else date(2007, 3, 1)
    minor = birth_date is not None and (TODAY.year - birth_date.year) < 18
    if minor:
        fields.setdefault("representative_name", f"Представитель {full_name}")
        fields.setdefault("representative_phone", "+7 900 000-00-00")
    person = Participant(org_id=org_id, full_name=full_name, category=category, birth_date=birth_date,
                         birth_year=birth_date.year if birth_date else None, **fields)
    db.session.add(person)
    db.session.flush()
    if consent:
        db.session.add(Consent(
            org_id=org_id, participant_id=person.id, given_by="representative" if minor else "participant",
            representative_name=fields.get("representative_name") if minor else None,
            authority_document="свидетельство о рождении" if minor else None,
            purpose="участие в программе наставничества", policy_version="1.0", given_on=date(2024, 9, 1),
        ))
        db.session.flush()
    return person


def make_mentor(org_id: int, full_name: str, category: str = "teacher", *, capacity: int = 2,
                competencies: list | None = None, approved: bool = True, preferred_forms: list | None = None,
                **fields) -> Participant:
    person = make_participant(org_id, full_name, category, in_mentor_bank=True, **fields)
    db.session.add(MentorProfile(
        org_id=org_id, participant_id=person.id, capacity=capacity, competencies=list(competencies or ["academic"]),
        preferred_forms=list(preferred_forms or []), approved=approved, interview_result="passed",
        training_status="completed",
    ))
    db.session.flush()
    db.session.refresh(person)
    return person


def make_mentee(org_id: int, full_name: str, category: str = "pupil", *, requests: list | None = None,
                **fields) -> Participant:
    person = make_participant(org_id, full_name, category, in_mentee_bank=True, **fields)
    db.session.add(MenteeProfile(org_id=org_id, participant_id=person.id))
    for kind in requests or ["academic"]:
        db.session.add(MenteeRequest(org_id=org_id, participant_id=person.id, kind=kind, source="class_teacher"))
    db.session.flush()
    db.session.refresh(person)
    return person


def make_programme(org_id: int, form_code: str = "teacher_pupil", school_year: int = 2026, **fields) -> Programme:
    programme = Programme(org_id=org_id, title=fields.pop("title", f"Программа {form_code}"), form_code=form_code,
                          school_year=school_year, **fields)
    db.session.add(programme)
    db.session.flush()
    return programme


def school_world(tree, key: str = "r1m1s1") -> SimpleNamespace:
    """One of everything a school keeps, in school ``key``: a partner enterprise; a teacher
    mentor and two pupil mentees with consents and requests; a programme with a preference,
    a matching run and its proposal; an active pair with its order, plan and task, meeting,
    feedback, completion review; an award of the mentor, a letter of thanks to the enterprise in an
    award order; a portfolio entry with
    its file and a card on the board of honour with a photo (none public); a contingent record;
    an import batch."""
    from mentorship.monitoring.models import ContingentRecord
    from mentorship.pairing.models import (
        CompletionReview,
        FeedbackEntry,
        IndividualPlan,
        MatchingRun,
        MatchProposal,
        Meeting,
        Order,
        OrderItem,
        PlanTask,
        Preference,
    )
    from mentorship.pairing.pairs import create_mentorship
    from mentorship.people.imports.models import ImportBatch
    from mentorship.people.models import Enterprise
    from mentorship.recognition.models import Award, AwardOrder, HonourCard, PortfolioFile, PortfolioItem

    org_id = tree.ids[key]
    with tenant_scope(org_id, tree.paths[key]):
        enterprise = Enterprise(org_id=org_id, name="АО «Завод»")
        db.session.add(enterprise)
        mentor = make_mentor(org_id, "Иванова Мария Петровна", competencies=["academic", "career"])
        mentee = make_mentee(org_id, "Петров Илья", requests=["academic"])
        spare = make_mentee(org_id, "Сидорова Анна", requests=["career"])
        programme = make_programme(org_id, "teacher_pupil")
        pair = create_mentorship(programme, mentor, [mentee], date(2026, 9, 15))
        preference = Preference(org_id=org_id, programme_id=programme.id, from_id=spare.id, to_id=mentor.id, rank=1)
        run = MatchingRun(org_id=org_id, programme_id=programme.id, mentors_count=1, mentees_count=1)
        run.proposals.append(MatchProposal(org_id=org_id, mentee_id=spare.id, mentor_id=mentor.id, score=1.0,
                                           reasons=[]))
        order = Order(org_id=org_id, number="15-од", dated=date(2026, 9, 15),
                      title="Об утверждении наставнических пар/групп", programme_id=programme.id)
        order.items.append(OrderItem(org_id=org_id, mentorship=pair, mentee_ids=[mentee.id]))
        plan = IndividualPlan(org_id=org_id, mentorship_id=pair.id, goals="Повысить успеваемость")
        plan.tasks.append(PlanTask(org_id=org_id, title="Диагностика", due_on=date(2026, 10, 1)))
        meeting = Meeting(org_id=org_id, mentorship_id=pair.id, kind="organisational", held_on=date(2026, 9, 16))
        feedback = FeedbackEntry(org_id=org_id, mentorship_id=pair.id, author_role="mentee",
                                 written_on=date(2026, 10, 20), rating=8, text="Полезно")
        review = CompletionReview(org_id=org_id, mentorship_id=pair.id, participant_id=mentor.id,
                                  author_role="mentor", written_on=date(2026, 11, 1), text="Итоги")
        award_order = AwardOrder(org_id=org_id, year=2026, seq=1, number="1-П", dated=date(2026, 11, 1),
                                 title="О поощрении участников наставнической деятельности")
        award = Award(org_id=org_id, participant_id=mentor.id, kind="thanks", awarded_on=date(2026, 11, 1),
                      granting_org_id=org_id, granted_by="Школа")
        partner_award = Award(org_id=org_id, enterprise=enterprise, kind="thanks", awarded_on=date(2026, 11, 1),
                              granting_org_id=org_id, granted_by="Школа", order=award_order)
        item = PortfolioItem(org_id=org_id, participant_id=mentor.id, kind="publication", title="Статья о наставничестве")
        item.file = PortfolioFile(org_id=org_id, filename="statya.pdf", content_type="application/pdf",
                                  size=len(PDF), data=PDF)
        card = HonourCard(org_id=org_id, participant_id=mentor.id, display_name="Иванова Мария Петровна",
                          position="учитель математики", photo_data=PNG, photo_type="image/png", photo_size=len(PNG))
        contingent = ContingentRecord(org_id=org_id, school_year=2026, pupils_10_19=400, pupils_15_19=150,
                                      teachers=40, young_specialists=5)
        batch = ImportBatch(org_id=org_id, filename="people.csv", data=b"", status="invalid", total=1,
                            errors=[{"row": 2, "column": "ФИО", "message": "x"}])
        scan = PDF
        consent = mentee.consents[0]
        consent.scan_filename, consent.scan_content_type = "soglasie.pdf", "application/pdf"
        consent.scan_size, consent.scan_data = len(scan), scan
        db.session.add_all([preference, run, order, plan, meeting, feedback, review, award_order, award, partner_award, item, card,
                            contingent, batch])
        db.session.flush()
        world = SimpleNamespace(
            org_id=org_id, enterprise=enterprise.id, mentor=mentor.id, mentee=mentee.id, spare=spare.id,
            consent=mentee.consents[0].id, request=mentee.requests[0].id, programme=programme.id,
            preference=preference.id, run=run.id, proposal=run.proposals[0].id, pair=pair.id,
            member=pair.members[0].id, order=order.id, plan=plan.id, task=plan.tasks[0].id, meeting=meeting.id,
            feedback=feedback.id, review=review.id, award=award.id, partner_award=partner_award.id, award_order=award_order.id,
            portfolio_item=item.id, honour_card=card.id, contingent=contingent.id,
            batch=batch.id,
        )
        db.session.commit()
    return world
