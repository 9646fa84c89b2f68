"""Helpers for the expert bank's tests (unit, web, isolation)."""
from __future__ import annotations

from datetime import date

from core.extensions import db
from mentorship.experts import bank, help_requests
from mentorship.experts.models import Expert
from tests.unit.library.support import acting_as

TODAY = date(2026, 10, 1)


def expert_data(**kw) -> bank.ExpertData:
    values = {"full_name": "Соколова Анна Петровна", "kind": "psychologist", "areas": ["psychology", "young_teachers"],
              "position": "педагог-психолог", "workplace": "ГАУ ДПО ИРО", "email": "sokolova@iro-region.ru",
              "phone": "+7 900 000-00-00", "availability": "по вторникам, онлайн",
              "processing_consent_on": date(2026, 9, 1), "display_consent": True, "display_consent_on": date(2026, 9, 1)}
    values.update(kw)
    return bank.ExpertData(**values)


def make_expert(tree, keeper_user: str = "r1m1.admin", **kw) -> int:
    """An expert of the bank kept by ``keeper_user``'s organisation (committed); its id."""
    with acting_as(tree, keeper_user) as (membership, _user):
        expert = bank.create_expert(membership, expert_data(**kw), TODAY)
        db.session.commit()
        return expert.id


def make_request(tree, expert_id: int | None, asker: str = "r1m1s1.staff", *, keeper_key: str = "r1m1",
                 topic: str = "Адаптация молодого учителя") -> int:
    """A request for help from ``asker``'s organisation (to the expert, or to ``keeper_key``)."""
    with acting_as(tree, asker) as (membership, user):
        if expert_id is None:
            made = help_requests.ask_keeper(membership.org, user, tree.ids[keeper_key], topic=topic,
                                            text="Нужна консультация для молодых педагогов",
                                            preferred_dates="октябрь")
        else:
            expert = db.session.get(Expert, expert_id)
            made = help_requests.ask_expert(membership.org, user, expert, topic=topic,
                                            text="Нужна консультация для молодых педагогов",
                                            preferred_dates="октябрь")
        db.session.commit()
        return made.id
