"""Demo awards, portfolio and board of honour for the demo school: a certificate of honour and
a gratitude of the municipal body for two mentors, a letter of thanks to the partner
enterprise (which agreed to be named), the school's award order for its own awards, one mentor
with a consent to publication, a published card on the board of honour and a published
portfolio entry. Called after ``demo.school.load_school_demo`` (``flask demo load``);
idempotent (nothing is added if the school has awards already)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from core.extensions import db
from mentorship.people.models import Enterprise, Participant
from mentorship.people.publication import give_publication_consent
from mentorship.recognition import award_orders, awards, board, portfolio
from mentorship.recognition.awards import AwardData
from mentorship.recognition.board import CardData
from mentorship.recognition.models import Award
from mentorship.recognition.portfolio import ItemData
from tenants.context import tenant_scope
from tenants.models import Organization

TODAY = date(2026, 11, 20)


def load_recognition_demo(school: Organization) -> bool:
    """Fill the demo unless the school has awards already; True if it did."""
    with tenant_scope(school.id, school.path):
        school = db.session.get(Organization, school.id)
        if db.session.scalar(sa.select(sa.func.count(Award.id))):
            return False
        mentors = list(db.session.scalars(
            sa.select(Participant).where(Participant.in_mentor_bank.is_(True), Participant.anonymised_at.is_(None))
            .order_by(Participant.id).limit(2)))
        if not mentors:
            return False
        first = mentors[0]
        own = [awards.save_award(None, AwardData(
            kind="certificate", awarded_on=TODAY, participant_id=first.id, granting_org_id=school.id,
            title="За высокий профессионализм и значительный вклад в развитие наставничества"), org=school, today=TODAY)]
        if len(mentors) > 1 and school.parent_id:
            awards.save_award(None, AwardData(
                kind="gratitude", awarded_on=date(2026, 10, 5), participant_id=mentors[1].id,
                granting_org_id=school.parent_id, order_number="214-к", order_date=date(2026, 10, 5),
                title="За успешную работу с молодыми педагогами"), org=school, today=TODAY)
        enterprise = db.session.scalar(sa.select(Enterprise).order_by(Enterprise.id).limit(1))
        if enterprise is not None:
            enterprise.publication_agreed = True
            thanks = awards.save_award(None, AwardData(
                kind="thanks", awarded_on=TODAY, enterprise_id=enterprise.id, granting_org_id=school.id,
                title="За участие в реализации программы наставничества «Работодатель – ученик»"),
                org=school, today=TODAY)
            own.append(thanks)
            awards.set_public(thanks, True, org=school, today=TODAY)
        award_orders.create_award_order(school, dated=TODAY, award_ids=[a.id for a in own],
                                        grounds="по итогам I полугодия 2026/2027 учебного года")
        give_publication_consent(first, given_on=date(2026, 9, 1), scope_note=(
            "Фамилия, имя, отчество, должность, фотография, сведения о наградах — на сайте школы"),
            by_user_id=None, today=TODAY)
        suggested = board.suggested_data(first)
        card = board.create_card(first, CardData(display_name=suggested.display_name,
                                                 position="учитель математики, наставник",
                                                 achievements=suggested.achievements, sort_order=1),
                                 org=school, today=TODAY)
        board.publish_card(card, org=school, today=TODAY)
        item = portfolio.add_item(first, ItemData(
            kind="publication", title="Статья «Наставничество в школе: первый год»", happened_on=date(2026, 6, 1),
            url="https://example.org/nastavnichestvo"), org=school, today=TODAY)
        portfolio.set_item_public(item, True, org=school, today=TODAY)
        db.session.commit()
    return True
