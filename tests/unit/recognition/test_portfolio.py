"""A mentor's portfolio: awards, pairs and reviews as counts, the school's own entries (files
checked by content), publication entry by entry only with the mentor's consent, withdrawal
unpublishing every entry at once, public entries under the public scope, erasure."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.uploads import CheckedFile
from mentorship.pairing.models import CompletionReview, Mentorship, Programme
from mentorship.pairing.pairs import create_mentorship
from mentorship.people import publication
from mentorship.people.consents import erase_personal_data
from mentorship.people.models import Participant
from mentorship.recognition import portfolio
from mentorship.recognition.models import PortfolioFile, PortfolioItem
from mentorship.recognition.portfolio import ItemData, PortfolioError, PortfolioPublicationError
from tenants.context import TenantScopeError, public_scope, tenant_scope
from tenants.models import Organization
from tests.support.school import PDF, make_mentee, make_mentor, problems_of, school_world

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)


@pytest.fixture
def world(ctx, tree):
    w = school_world(tree)
    with tenant_scope(w.org_id, tree.paths["r1m1s1"]):
        w.org = db.session.get(Organization, w.org_id)
        w.person = db.session.get(Participant, w.mentor)
        yield w


def _consent(person):
    return publication.give_publication_consent(person, given_on=TODAY, scope_note="ФИО, достижения",
                                                by_user_id=None, today=TODAY)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


def test_entries_and_their_refusals(world):
    link = portfolio.add_item(world.person, ItemData("link", " Мастер-класс ", url="https://school.ru/mk",
                                                     happened_on=date(2026, 10, 1)), org=world.org, today=TODAY)
    assert (link.title, link.url, link.is_public) == ("Мастер-класс", "https://school.ru/mk", False)
    for data, expected in (
        (ItemData("video", "x"), [("kind", "bad_kind")]),
        (ItemData("achievement", " "), [("title", "title_required")]),
        (ItemData("link", "Ссылка"), [("url", "url_required")]),
        (ItemData("link", "Ссылка", url="javascript:alert(1)"), [("url", "bad_url")]),
        (ItemData("achievement", "Позже", happened_on=date(2026, 12, 1)), [("happened_on", "in_future")]),
        (ItemData("file", "Без файла"), [("file", "file_required")]),
    ):
        with pytest.raises(PortfolioError) as refused:
            portfolio.add_item(world.person, data, org=world.org, today=TODAY)
        assert problems_of(refused.value) == expected, data
    assert _count(PortfolioItem) == 2  # the world's entry and the link


def test_files_are_checked_by_content(world):
    with pytest.raises(PortfolioError) as refused:
        portfolio.check_file("virus.pdf", b"MZ\x90\x00 not a pdf")
    assert refused.value.code == "file_type"
    with pytest.raises(PortfolioError) as refused:
        portfolio.check_file("statya.docx", PDF)
    assert refused.value.code == "file_name_mismatch"
    checked = portfolio.check_file("statya.pdf", PDF)
    item = portfolio.add_item(world.person, ItemData("file", "Статья"), org=world.org, today=TODAY, file=checked)
    assert (item.file.filename, item.file.content_type) == ("statya.pdf", "application/pdf")
    assert portfolio.item_file(item.id).data == PDF
    portfolio.update_item(item, ItemData("publication", "Статья"), org=world.org, today=TODAY, remove_file=True)
    db.session.flush()
    assert portfolio.item_file(item.id) is None


def test_the_portfolio_gathers_awards_and_counts(world):
    pair = db.session.get(Mentorship, world.pair)
    pair.status, pair.ended_on = "completed", date(2026, 11, 20)
    db.session.add_all([
        CompletionReview(org_id=world.org_id, mentorship_id=pair.id, participant_id=world.mentee,
                         author_role="mentee", written_on=TODAY, rating=9, text="Спасибо"),
    ])
    programme = db.session.get(Programme, world.programme)
    second = create_mentorship(programme, world.person, [db.session.get(Participant, world.spare)], date(2026, 10, 1))
    db.session.add(CompletionReview(org_id=world.org_id, mentorship_id=second.id, participant_id=world.spare,
                                    author_role="mentee", written_on=TODAY, rating=4, text="Так себе"))
    db.session.flush()
    p = portfolio.portfolio_of(world.person, TODAY)
    assert [a.id for a in p.awards] == [world.award]
    assert (p.pairs.led, p.pairs.active, p.pairs.completed) == (2, 1, 1)
    # the mentor's own review is not a rating of the mentor; the mentees' are, as counts only
    assert (p.pairs.reviews, p.pairs.high, p.pairs.middle, p.pairs.low, p.pairs.mean_rating) == (2, 1, 0, 1, 6.5)
    assert [i.title for i in p.items] == ["Статья о наставничестве"]
    assert p.consent is False and p.publishable is False
    assert p.contest_results == [] and p.trainings == []


def test_publication_entry_by_entry_only_with_consent(world):
    item = portfolio.load_item(world.portfolio_item)
    with pytest.raises(PortfolioPublicationError) as refused:
        portfolio.set_item_public(item, True, org=world.org, today=TODAY)
    assert refused.value.code == "no_consent"
    _consent(world.person)
    other = portfolio.add_item(world.person, ItemData("achievement", "Победа"), org=world.org, today=TODAY)
    portfolio.set_item_public(item, True, org=world.org, today=TODAY)
    assert (item.is_public, item.file.is_public, other.is_public) == (True, True, False)  # one by one
    item_id, other_id = item.id, other.id
    db.session.commit()
    with public_scope("/" + str(world.org.ancestor_ids[0]) + "/"):
        entries = portfolio.public_entries(world.org_id, world.mentor)
        assert [(e.title, e.filename) for e in entries] == [("Статья о наставничестве", "statya.pdf")]
        assert portfolio.public_file(world.org_id, item_id).data == PDF
        assert portfolio.public_file(world.org_id, other_id) is None
        with pytest.raises(TenantScopeError):  # the people tables are out of the public's reach
            db.session.scalars(sa.select(Participant)).all()


def test_a_minor_is_never_published(world):
    pupil_mentor = make_mentee(world.org_id, "Юный Наставник")
    item = portfolio.add_item(pupil_mentor, ItemData("achievement", "Олимпиада"), org=world.org, today=TODAY)
    with pytest.raises(PortfolioPublicationError) as refused:
        portfolio.set_item_public(item, True, org=world.org, today=TODAY)
    assert refused.value.code == "minor"


def test_erasure_deletes_the_entries(world):
    _consent(world.person)
    assert _count(PortfolioFile) == 1
    erase_personal_data(world.person, "consent withdrawn", TODAY)
    assert _count(PortfolioItem) == 0 and _count(PortfolioFile) == 0


def test_the_mentors_list(world):
    make_mentor(world.org_id, "Смирнов Олег")
    people = db.session.scalars(portfolio.mentors_statement()).all()
    counts = portfolio.counts_of(p.id for p in people)
    assert [(p.full_name, *counts[p.id]) for p in people] == [("Иванова Мария Петровна", 1, 1), ("Смирнов Олег", 0, 0)]
    assert [p.full_name for p in db.session.scalars(portfolio.mentors_statement("Смир"))] == ["Смирнов Олег"]


def test_checked_file_type_for_the_service(world):
    """The service takes what core.uploads checked (a view never passes raw bytes)."""
    file = CheckedFile("plan.pdf", "application/pdf", PDF)
    item = portfolio.add_item(world.person, ItemData("file", "План"), org=world.org, today=TODAY, file=file)
    assert item.file.size == len(PDF)


def test_contest_results_and_trainings_appear(world, tree):
    from decimal import Decimal

    from mentorship.recognition.models import Contest, ContestResultEntry
    from mentorship.training.models import TrainingCompletion

    with tenant_scope(tree.ids["r1m1"], tree.paths["r1m1"]):  # the municipal body organises and publishes
        contest = Contest(org_id=tree.ids["r1m1"], title="Лучший наставник", status="published",
                          nominations_open_on=date(2026, 9, 1), nominations_close_on=date(2026, 9, 30),
                          judging_until=date(2026, 10, 15), results_on=date(2026, 10, 20))
        db.session.add(contest)
        db.session.flush()
        db.session.add(ContestResultEntry(
            org_id=tree.ids["r1m1"], contest_id=contest.id, participant_id=world.mentor, school_id=world.org_id,
            display_name="Иванова М. П.", school_name="Школа 1.1.1", nomination="Педагог-наставник", place=1,
            score=Decimal("95.5"), is_public=True))
        db.session.flush()
    db.session.add(TrainingCompletion(org_id=world.org_id, participant_id=world.mentor,
                                      course_title="Школа наставника", organiser_name="ИРО", completed_on=TODAY,
                                      hours=36, certificate_number="А-17"))
    db.session.flush()
    p = portfolio.portfolio_of(world.person, TODAY)
    assert [(c.contest, c.nomination, c.place) for c in p.contest_results] == [
        ("Лучший наставник", "Педагог-наставник", 1)]
    assert [(t.course, t.hours, t.certificate_number) for t in p.trainings] == [("Школа наставника", 36, "А-17")]
