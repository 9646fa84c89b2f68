"""Contests end to end in the domain: the draft and its checks, the announcement (public,
schools notified and e-mailed), nominations (consent to publication required, another school's
entries out of sight), the jury (members only, no judging of one's own school), scores (bounds,
all or nothing, hidden until judging closes), results (sum or mean, ties), publication (only
consenting mentors) and the withdrawal of consent unpublishing at once."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from core.errors import NotFound
from core.extensions import db
from mentorship.people.consents import erase_personal_data
from mentorship.people.models import Participant, PublicationConsent
from mentorship.people.publication import withdraw_publication_consent
from mentorship.recognition import contests, contests_jury, contests_nominations, contests_results
from mentorship.recognition.contests import ContestError, ContestStateError, CriterionInput
from mentorship.recognition.models import (
    Contest,
    ContestNominee,
    ContestResultEntry,
    ContestScore,
)
from tenants.context import public_scope, tenant_scope, unscoped
from tenants.memberships import grant_membership
from tenants.models import AuditEvent, Notification, Organization, User
from tenants.roles import Role
from tenants.scoping import region_path
from tests.support.contests import consenting_mentor, draft_contest
from tests.support.factories import make_user
from tests.support.school import make_mentee, problems_of

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)
M, S1, S2 = "r1m1", "r1m1s1", "r1m1s2"


def scope(tree, key):
    return tenant_scope(tree.ids[key], tree.paths[key])


def org(tree, key) -> Organization:
    return db.session.get(Organization, tree.ids[key])


def user(tree, key) -> User:
    return db.session.get(User, tree.users[key].id)


def _audit(action) -> list[AuditEvent]:
    with unscoped("test"):
        return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def world(ctx, tree):
    """An announced contest of r1m1 (sum of the jurors' totals): two consenting mentors of
    s1 and one of s2 (``anna``, ``boris``; ``vera``), a mentor without consent (``gleb``) and a
    mentee; the municipal specialist and an expert on the jury."""
    w = SimpleNamespace()
    with scope(tree, M):
        contest = draft_contest(org(tree, M), today=TODAY)
        w.contest, w.nomination, w.second = contest.id, contest.nominations[0].id, contest.nominations[1].id
        w.criteria = [c.id for c in contest.criteria]
        db.session.commit()
        w.expert = make_user("expert@test.ru", "Эксперт Экспертов")
        grant_membership(w.expert, org(tree, M), Role.EXPERT)
        db.session.commit()
        w.expert = w.expert.id
    with scope(tree, S1):
        w.anna = consenting_mentor(tree.ids[S1], "Андреева Анна", today=TODAY).id
        w.boris = consenting_mentor(tree.ids[S1], "Борисов Борис", today=TODAY).id
        w.gleb = consenting_mentor(tree.ids[S1], "Глебов Глеб", today=TODAY, consent=False).id
        w.pupil = make_mentee(tree.ids[S1], "Петров Илья").id
        db.session.commit()
    with scope(tree, S2):
        w.vera = consenting_mentor(tree.ids[S2], "Верина Вера", today=TODAY).id
        db.session.commit()
    return w


def _announce(tree, w):
    with scope(tree, M):
        contest = db.session.get(Contest, w.contest)
        count = contests.announce(contest, org(tree, M), today=TODAY)
        db.session.commit()
    return count


def _nominate(tree, key, w, participant_id, nomination=None, text="Достижения наставника"):
    with scope(tree, key):
        contest = db.session.get(Contest, w.contest)
        nominee = contests_nominations.nominate(contest, org(tree, key), participant_id=participant_id,
                                                nomination_id=nomination or w.nomination, entry_text=text,
                                                today=TODAY)
        db.session.commit()
        return nominee.id


def _appoint(tree, w, user_id):
    with scope(tree, M):
        contest = db.session.get(Contest, w.contest)
        juror = contests_jury.appoint(contest, org(tree, M), user_id=user_id)
        db.session.commit()
        return juror.id


def _start(tree, w):
    with scope(tree, M):
        contests.start_judging(db.session.get(Contest, w.contest), org(tree, M))
        db.session.commit()


def _score(tree, w, user_id, scores: dict):
    """``scores``: nominee id → list of values, one per criterion."""
    raw = {(n, c): str(v) for n, values in scores.items() for c, v in zip(w.criteria, values)}
    with scope(tree, M):
        contest = db.session.get(Contest, w.contest)
        contests_jury.save_scores(contest, org(tree, M), user=db.session.get(User, user_id), raw=raw)
        db.session.commit()


def _judging(tree, w):
    """Announced, three entries (anna and boris of s1 in the first nomination, vera of s2 in
    the first), two jurors, judging open."""
    _announce(tree, w)
    w.n_anna = _nominate(tree, S1, w, w.anna)
    w.n_boris = _nominate(tree, S1, w, w.boris)
    w.n_vera = _nominate(tree, S2, w, w.vera)
    w.staff = tree.users["r1m1.staff"].id
    _appoint(tree, w, w.staff)
    _appoint(tree, w, w.expert)
    _start(tree, w)


# -- the draft ---------------------------------------------------------------------------------

def test_a_draft_is_checked_field_by_field_and_nothing_is_written(ctx, tree):
    with scope(tree, M):
        with pytest.raises(ContestError) as info:
            contests.save_draft(
                org(tree, M), title=" ", description=None, nominations=["Лучший", "лучший"],
                criteria=[CriterionInput("Критерий", 0), CriterionInput("", 5), CriterionInput("", None)],
                aggregation="median", nominations_open_on=TODAY, nominations_close_on=TODAY - timedelta(days=1),
                judging_until=TODAY, results_on=None)
        assert problems_of(info.value) == [
            ("title", "title_required"), ("nominations", "nomination_repeated"),
            ("criteria-0-max_score", "max_score_range"), ("criteria-1-title", "criterion_title_required"),
            ("aggregation", "aggregation_unknown"), ("results_on", "date_required"),
        ]
        db.session.rollback()
        with pytest.raises(ContestError) as info:
            contests.save_draft(
                org(tree, M), title="Конкурс", description=None, nominations=[], criteria=[],
                aggregation="sum", nominations_open_on=TODAY, nominations_close_on=TODAY - timedelta(days=1),
                judging_until=TODAY, results_on=TODAY)
        assert problems_of(info.value) == [("nominations", "nominations_required"), ("criteria", "criteria_required"),
                                           ("nominations_close_on", "dates_order")]
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(Contest.id))) == 0


def test_only_a_municipal_body_or_the_ministry_organises_and_only_a_draft_changes(ctx, tree):
    with scope(tree, S1), pytest.raises(ContestError) as info:
        draft_contest(org(tree, S1), today=TODAY)
    assert info.value.code == "not_organiser"
    db.session.rollback()
    with scope(tree, M):
        contest = draft_contest(org(tree, M), today=TODAY)
        contests.save_draft(org(tree, M), contest, title="Новое название", description="", nominations=["Одна"],
                            criteria=[CriterionInput("Единственный", 7)], aggregation="mean",
                            nominations_open_on=TODAY, nominations_close_on=TODAY, judging_until=TODAY,
                            results_on=TODAY)
        db.session.commit()
        contest = db.session.get(Contest, contest.id)
        assert [n.title for n in contest.nominations] == ["Одна"] and contest.max_total == 7
        assert contest.aggregation == "mean" and contest.rules is not None  # the rules stay
        contests.announce(contest, org(tree, M), today=TODAY)
        db.session.commit()
        with pytest.raises(ContestStateError) as info:
            contests.save_draft(org(tree, M), contest, title="x", description="", nominations=["a"],
                                criteria=[CriterionInput("b", 1)], aggregation="sum", nominations_open_on=TODAY,
                                nominations_close_on=TODAY, judging_until=TODAY, results_on=TODAY)
        assert info.value.code == "not_draft" and info.value.status == 409
    assert [e.details["title"] for e in _audit("contest.created")] == ["Лучший педагог-наставник"]
    assert len(_audit("contest.updated")) == 1


# -- the announcement --------------------------------------------------------------------------

def test_a_draft_is_the_organisers_alone_and_the_announcement_reaches_the_schools_below(ctx, tree, world):
    with scope(tree, S1), pytest.raises(NotFound):
        contests.visible_contest(world.contest, org(tree, S1))
    with scope(tree, S1):
        assert db.session.scalars(contests.contests_statement(org(tree, S1))).all() == []
    assert _announce(tree, world) == 2
    with scope(tree, S1):
        assert contests.visible_contest(world.contest, org(tree, S1)).status == "announced"
        assert [c.id for c in db.session.scalars(contests.contests_statement(org(tree, S1)))] == [world.contest]
    for outsider in ("r1m2s1", "r1m2", "r2m1s1"):
        with scope(tree, outsider):
            assert db.session.get(Contest, world.contest) is None
    with unscoped("test"):
        notified = db.session.scalars(sa.select(Notification.recipient_org_id).where(
            Notification.kind == "contest.announced")).all()
        contest = db.session.get(Contest, world.contest)
        assert contest.is_public and contest.rules.is_public
    assert sorted(notified) == sorted([tree.ids[S1], tree.ids[S2]])
    sent = {m["To"] for m in ctx.extensions.get("mail_outbox", [])}
    assert sent == {tree.emails[f"{s}.{r}"] for s in (S1, S2) for r in ("admin", "staff")}
    assert _audit("contest.announced")[0].details == {"schools": 2}
    with scope(tree, M), pytest.raises(ContestStateError):
        contests.announce(db.session.get(Contest, world.contest), org(tree, M), today=TODAY)


def test_a_contest_whose_nominations_are_over_is_not_announced(ctx, tree, world):
    with scope(tree, M), pytest.raises(ContestError) as info:
        contests.announce(db.session.get(Contest, world.contest), org(tree, M), today=TODAY + timedelta(days=30))
    assert problems_of(info.value) == [("nominations_close_on", "nominations_over")]


# -- nominations -------------------------------------------------------------------------------

def _refused_nomination(tree, key, w, today=TODAY, **kwargs):
    values = {"participant_id": w.anna, "nomination_id": w.nomination, "entry_text": "Достижения"} | kwargs
    with scope(tree, key):
        contest = db.session.get(Contest, w.contest)
        with pytest.raises(ContestError) as info:
            contests_nominations.nominate(contest, org(tree, key), today=today, **values)
        db.session.rollback()
    return info.value


def test_only_a_consenting_mentor_of_the_school_is_nominated_while_nominations_are_open(ctx, tree, world):
    assert _refused_nomination(tree, S1, world).code == "nominations_closed"  # a draft
    _announce(tree, world)
    assert _refused_nomination(tree, S1, world, today=TODAY + timedelta(days=15)).code == "nominations_closed"
    assert problems_of(_refused_nomination(tree, S1, world, participant_id=world.gleb)) == [
        ("participant_id", "no_publication_consent")]
    assert problems_of(_refused_nomination(tree, S1, world, participant_id=world.pupil)) == [
        ("participant_id", "not_a_mentor")]
    # another school's mentor is not found from this school
    assert problems_of(_refused_nomination(tree, S1, world, participant_id=world.vera, entry_text=" ",
                                           nomination_id=999999)) == [
        ("participant_id", "mentor_required"), ("nomination_id", "nomination_required"), ("entry_text", "entry_required")]
    with scope(tree, M):
        contest = db.session.get(Contest, world.contest)
        with pytest.raises(ContestError) as info:
            contests_nominations.nominate(contest, org(tree, M), participant_id=world.anna,
                                          nomination_id=world.nomination, entry_text="x", today=TODAY)
        assert info.value.code == "not_a_school"
        db.session.rollback()
    with scope(tree, S1):
        assert [p.id for p in contests_nominations.nominable_mentors()] == [world.anna, world.boris]
    first = _nominate(tree, S1, world, world.anna)
    assert problems_of(_refused_nomination(tree, S1, world)) == [("participant_id", "already_nominated")]
    assert _nominate(tree, S1, world, world.anna, nomination=world.second) != first  # another nomination: fine
    with scope(tree, S1):
        entry = db.session.get(ContestNominee, first)
        assert (entry.display_name, entry.position, entry.status) == ("Андреева Анна", "учитель математики", "submitted")
    assert len(_audit("contest.nominated")) == 2


def test_a_school_sees_its_own_entries_the_organiser_sees_all_another_school_none(ctx, tree, world):
    _announce(tree, world)
    anna = _nominate(tree, S1, world, world.anna)
    vera = _nominate(tree, S2, world, world.vera)
    with scope(tree, S2):
        assert db.session.get(ContestNominee, anna) is None
        contest = db.session.get(Contest, world.contest)
        assert [e.nominee.id for e in contests_nominations.school_entries(contest, org(tree, S2))] == [vera]
        assert [n.id for n in db.session.scalars(contests_nominations.entries_statement(contest))] == [vera]
    with scope(tree, M):
        contest = db.session.get(Contest, world.contest)
        assert sorted(n.id for n in db.session.scalars(contests_nominations.entries_statement(contest))) == [anna, vera]
    with scope(tree, "r1m2"):
        assert db.session.get(ContestNominee, anna) is None


def test_an_entry_is_withdrawn_while_nominations_are_open_and_may_come_back(ctx, tree, world):
    _announce(tree, world)
    anna = _nominate(tree, S1, world, world.anna)
    with scope(tree, S2), pytest.raises(NotFound):
        contests_nominations.withdraw(db.session.get(ContestNominee, anna) or ContestNominee(org_id=0),
                                      org(tree, S2))
    with scope(tree, S1):
        contests_nominations.withdraw(db.session.get(ContestNominee, anna), org(tree, S1))
        db.session.commit()
        with pytest.raises(ContestStateError):
            contests_nominations.withdraw(db.session.get(ContestNominee, anna), org(tree, S1))
    assert _nominate(tree, S1, world, world.anna, text="Снова") == anna
    with scope(tree, S1):
        assert db.session.get(ContestNominee, anna).status == "submitted"


# -- the jury and its scores ------------------------------------------------------------------

def test_the_jury_is_made_of_the_organisers_members(ctx, tree, world):
    with scope(tree, M):
        contest = db.session.get(Contest, world.contest)
        for user_id, code in [(tree.users["r1m1s1.admin"].id, "juror_not_member"), (None, "juror_required")]:
            with pytest.raises(ContestError) as info:
                contests_jury.appoint(contest, org(tree, M), user_id=user_id)
            assert info.value.code == code
        assert {m.user_id for m in contests_jury.candidates(contest)} == {
            tree.users["r1m1.admin"].id, tree.users["r1m1.staff"].id, world.expert}
    _appoint(tree, world, world.expert)
    with scope(tree, M):
        contest = db.session.get(Contest, world.contest)
        with pytest.raises(ContestError) as info:
            contests_jury.appoint(contest, org(tree, M), user_id=world.expert)
        assert info.value.code == "already_juror"
    assert ("expert@test.ru", "Наставник: вы в жюри конкурса «Лучший педагог-наставник»") in [
        (m["To"], m["Subject"]) for m in ctx.extensions.get("mail_outbox", [])]
    assert _audit("contest.juror_appointed")[0].details["juror_user_id"] == world.expert
    with scope(tree, S1):  # the jury is the organiser's
        assert contests_jury.jurors(db.session.get(Contest, world.contest)) == []


def test_judging_needs_a_jury_and_an_entry(ctx, tree, world):
    _announce(tree, world)
    with scope(tree, M), pytest.raises(ContestError) as info:
        contests.start_judging(db.session.get(Contest, world.contest), org(tree, M))
    assert [p.code for p in info.value.problems] == ["no_jury", "no_nominees"]


def test_a_juror_does_not_judge_a_nominee_of_their_own_school(ctx, tree, world):
    _judging(tree, world)
    with unscoped("test"):  # the expert also works at school s1
        grant_membership(db.session.get(User, world.expert), db.session.get(Organization, tree.ids[S1]),
                         Role.SCHOOL_CURATOR)
        db.session.commit()
    with scope(tree, M):
        contest = db.session.get(Contest, world.contest)
        sheet = contests_jury.sheet(contest, world.expert)
        assert sheet.conflicted == {world.n_anna, world.n_boris}
        assert sheet.remaining == 1
        with pytest.raises(ContestError) as info:
            contests_jury.save_scores(contest, org(tree, M), user=db.session.get(User, world.expert),
                                      raw={(world.n_anna, world.criteria[0]): "5"})
        assert problems_of(info.value) == [(f"score-{world.n_anna}-{world.criteria[0]}", "own_school")]
        db.session.rollback()
        progress = {p.juror.user_id: (p.given, p.expected) for p in contests_jury.progress(contest)}
        assert progress == {world.staff: (0, 6), world.expert: (0, 2)}


def test_scores_are_whole_numbers_within_the_criterion_and_a_sheet_is_saved_whole(ctx, tree, world):
    _judging(tree, world)
    c1, c2 = world.criteria  # maxima 10 and 5
    with scope(tree, M):
        contest = db.session.get(Contest, world.contest)
        staff = db.session.get(User, world.staff)
        with pytest.raises(ContestError) as info:
            contests_jury.save_scores(contest, org(tree, M), user=staff, raw={
                (world.n_anna, c1): "10", (world.n_anna, c2): "6", (world.n_boris, c1): "-1",
                (world.n_boris, c2): "4,5", (world.n_vera, c1): "7", (999999, c1): "1"})
        assert problems_of(info.value) == [
            (f"score-{world.n_anna}-{c2}", "score_range"), (f"score-{world.n_boris}-{c1}", "score_range"),
            (f"score-{world.n_boris}-{c2}", "score_not_number"), (f"score-999999-{c1}", "unknown_nominee")]
        assert info.value.messages[0][1] == "Балл — целое число от 0 до 5."
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(ContestScore.id))) == 0
        sheet = contests_jury.save_scores(contest, org(tree, M), user=staff,
                                          raw={(world.n_anna, c1): "10", (world.n_anna, c2): "0"})
        db.session.commit()
        assert sheet.total(world.n_anna) == 10 and sheet.total(world.n_boris) is None
        contest = db.session.get(Contest, world.contest)
        sheet = contests_jury.save_scores(contest, org(tree, M), user=db.session.get(User, world.staff),
                                          raw={(world.n_anna, c1): "", (world.n_anna, c2): "3"})
        db.session.commit()
        assert sheet.scores == {(world.n_anna, c2): 3}
        with pytest.raises(ContestError) as info:  # not on the jury
            contests_jury.save_scores(contest, org(tree, M), user=db.session.get(User, tree.users["r1m1.admin"].id),
                                      raw={})
        assert info.value.code == "not_juror"


def test_no_one_sees_another_jurors_scores_until_judging_closes(ctx, tree, world):
    _judging(tree, world)
    _score(tree, world, world.staff, {world.n_anna: [9, 4]})
    _score(tree, world, world.expert, {world.n_anna: [3, 1]})
    with scope(tree, M):
        contest = db.session.get(Contest, world.contest)
        assert contests_jury.sheet(contest, world.expert).scores == {
            (world.n_anna, world.criteria[0]): 3, (world.n_anna, world.criteria[1]): 1}
        with pytest.raises(ContestStateError) as info:
            contests_results.results(contest)
        assert info.value.code == "judging_open"
        with pytest.raises(ContestError) as info:
            contests_results.close_judging(contest, org(tree, M))
        assert info.value.messages[0][1] == "Не все члены жюри оценили всех участников: не выставлено оценок — 8."
    for key in (S1, S2):  # the schools never read a score
        with scope(tree, key):
            assert db.session.scalars(sa.select(ContestScore)).all() == []
    audit = _audit("contest.scores_saved")
    assert len(audit) == 2 and all("9" not in str(e.details) for e in audit)


def _all_scored(tree, w, staff, expert):
    _score(tree, w, w.staff, staff)
    _score(tree, w, w.expert, expert)


@pytest.mark.parametrize("aggregation", ["sum", "mean"])
def test_results_add_up_by_sum_or_mean_and_ties_share_a_place(ctx, tree, world, aggregation):
    with scope(tree, M):
        db.session.get(Contest, world.contest).aggregation = aggregation
        db.session.commit()
    _judging(tree, world)
    # anna: 10+4 and 6+2 = 14, 8; boris: 9+5 and 7+1 = 14, 8 (a tie); vera: 5+5 and 10+5 = 10, 15
    _all_scored(tree, world, {world.n_anna: [10, 4], world.n_boris: [9, 5], world.n_vera: [5, 5]},
                {world.n_anna: [6, 2], world.n_boris: [7, 1], world.n_vera: [10, 5]})
    with scope(tree, M):
        contest = db.session.get(Contest, world.contest)
        contests_results.close_judging(contest, org(tree, M))
        db.session.commit()
        jury, groups = contests_results.results(db.session.get(Contest, world.contest))
        first = groups[0]
        lines = [(s.nominee.display_name, s.place, s.shown_score, sorted(t for t in s.juror_totals.values()))
                 for s in first.standings]
        if aggregation == "sum":
            assert lines == [("Верина Вера", 1, Decimal("25.00"), [10, 15]),
                             ("Андреева Анна", 2, Decimal("22.00"), [8, 14]),
                             ("Борисов Борис", 2, Decimal("22.00"), [8, 14])]
        else:
            assert lines == [("Верина Вера", 1, Decimal("12.50"), [10, 15]),
                             ("Андреева Анна", 2, Decimal("11.00"), [8, 14]),
                             ("Борисов Борис", 2, Decimal("11.00"), [8, 14])]
        assert groups[1].standings == [] and len(jury) == 2
        assert first.standings[0].school_name == "Школа 1.1.2"


def test_mean_is_fair_to_a_nominee_a_conflicted_juror_cannot_judge(ctx, tree, world):
    with scope(tree, M):
        db.session.get(Contest, world.contest).aggregation = "mean"
        db.session.commit()
    _judging(tree, world)
    with unscoped("test"):
        grant_membership(db.session.get(User, world.expert), db.session.get(Organization, tree.ids[S2]),
                         Role.SCHOOL_CURATOR)
        db.session.commit()
    _all_scored(tree, world, {world.n_anna: [8, 4], world.n_boris: [6, 4], world.n_vera: [9, 4]},
                {world.n_anna: [8, 4], world.n_boris: [6, 4]})
    with scope(tree, M):
        contest = db.session.get(Contest, world.contest)
        contests_results.close_judging(contest, org(tree, M))
        _jury, groups = contests_results.results(contest)
        assert [(s.nominee.display_name, s.place, s.shown_score) for s in groups[0].standings] == [
            ("Верина Вера", 1, Decimal("13.00")), ("Андреева Анна", 2, Decimal("12.00")),
            ("Борисов Борис", 3, Decimal("10.00"))]


def test_an_entry_nobody_may_judge_stops_judging_from_closing(ctx, tree, world):
    _announce(tree, world)
    world.n_anna = _nominate(tree, S1, world, world.anna)
    _appoint(tree, world, world.expert)
    _start(tree, world)
    with unscoped("test"):
        grant_membership(db.session.get(User, world.expert), db.session.get(Organization, tree.ids[S1]),
                         Role.SCHOOL_CURATOR)
        db.session.commit()
    with scope(tree, M), pytest.raises(ContestError) as info:
        contests_results.close_judging(db.session.get(Contest, world.contest), org(tree, M))
    assert [p.code for p in info.value.problems] == ["nominee_without_jury"]
    assert "Андреева Анна" in info.value.message


# -- publication --------------------------------------------------------------------------------

def _published(tree, w):
    _judging(tree, w)
    _all_scored(tree, w, {w.n_anna: [10, 5], w.n_boris: [8, 4], w.n_vera: [9, 5]},
                {w.n_anna: [9, 5], w.n_boris: [7, 3], w.n_vera: [6, 2]})
    with scope(tree, M):
        contests_results.close_judging(db.session.get(Contest, w.contest), org(tree, M))
        db.session.commit()


def _public_results(tree, contest_id):
    with public_scope(region_path(tree.paths[M])):
        return [(e.display_name, e.school_name, e.nomination, e.place, e.score)
                for e in contests.public_results(contest_id)]


def test_publication_lists_only_mentors_whose_consent_is_still_valid(ctx, tree, world):
    _published(tree, world)
    with scope(tree, S1):  # boris withdraws his consent before the results are confirmed
        consent = db.session.scalar(sa.select(PublicationConsent).where(PublicationConsent.participant_id == world.boris))
        withdraw_publication_consent(consent, withdrawn_on=TODAY, reason=None, by_user_id=None, today=TODAY)
        db.session.commit()
    assert _public_results(tree, world.contest) == []
    with scope(tree, M):
        contest = db.session.get(Contest, world.contest)
        assert contests_results.publish(contest, org(tree, M), user=user(tree, "r1m1.admin")) == (2, 1)
        db.session.commit()
        with pytest.raises(ContestStateError):
            contests_results.publish(db.session.get(Contest, world.contest), org(tree, M))
    nomination = "Лучший педагог-наставник"
    assert _public_results(tree, world.contest) == [
        ("Андреева Анна", "Школа 1.1.1", nomination, 1, Decimal("29.00")),
        ("Верина Вера", "Школа 1.1.2", nomination, 2, Decimal("22.00")),
    ]
    with public_scope(region_path(tree.paths[M])):
        assert [c.id for c in contests.public_contests(tree.paths[M])] == [world.contest]
        assert [e.contest.title for e in contests.public_school_results(tree.ids[S2])] == ["Лучший педагог-наставник"]
        assert contests.public_rules(world.contest).data.startswith(b"%PDF")
    with public_scope(region_path(tree.paths["r2"])):  # another region's public pages
        assert contests.public_results(world.contest) == []
    with scope(tree, S2):  # a school sees its entry's result and the published lines, no score of others
        contest = db.session.get(Contest, world.contest)
        entries = contests_nominations.school_entries(contest, org(tree, S2))
        assert [(e.state, e.result.place) for e in entries] == [("published", 2)]
        assert [r.display_name for r in contests_results.published_results(contest)] == ["Андреева Анна", "Верина Вера"]
    with unscoped("test"):
        assert sorted(db.session.scalars(sa.select(Notification.recipient_org_id).where(
            Notification.kind == "contest.published"))) == sorted([tree.ids[S1], tree.ids[S2]])
        assert db.session.get(Contest, world.contest).confirmed_by_id == tree.users["r1m1.admin"].id
    assert _audit("contest.published")[0].details == {"published": 2, "withheld": 1}


def test_withdrawing_the_consent_unpublishes_the_result_at_once(ctx, tree, world):
    _published(tree, world)
    with scope(tree, M):
        contests_results.publish(db.session.get(Contest, world.contest), org(tree, M))
        db.session.commit()
    assert [r[0] for r in _public_results(tree, world.contest)] == ["Андреева Анна", "Борисов Борис", "Верина Вера"]  # a tie
    with scope(tree, S1):
        consent = db.session.scalar(sa.select(PublicationConsent).where(PublicationConsent.participant_id == world.anna))
        withdraw_publication_consent(consent, withdrawn_on=TODAY, reason="Передумала", by_user_id=None, today=TODAY)
        # in the same transaction, before the commit: already off the public pages
        with unscoped("test"):
            assert db.session.scalar(sa.select(ContestResultEntry.is_public).where(
                ContestResultEntry.participant_id == world.anna)) is False
        db.session.commit()
    assert [r[0] for r in _public_results(tree, world.contest)] == ["Борисов Борис", "Верина Вера"]
    with scope(tree, S2):
        contest = db.session.get(Contest, world.contest)
        assert "Андреева Анна" not in [r.display_name for r in contests_results.published_results(contest)]
    assert _audit("contest.results_unpublished")[0].details == {"participant_id": world.anna, "lines": 1}


def test_erasing_the_person_erases_their_entries_and_result_lines(ctx, tree, world):
    _published(tree, world)
    with scope(tree, M):
        contests_results.publish(db.session.get(Contest, world.contest), org(tree, M))
        db.session.commit()
    with scope(tree, S1):
        person = db.session.get(Participant, world.anna)
        record = erase_personal_data(person, "Отзыв согласия", TODAY, org=org(tree, S1))
        db.session.commit()
        assert "contest_nominees" in record.fields and "contest_result_entries.display_name" in record.fields
        entry = db.session.get(ContestNominee, world.n_anna)
        assert entry.display_name != "Андреева Анна" and "Андреева" not in entry.entry_text
    with unscoped("test"):
        line = db.session.scalar(sa.select(ContestResultEntry).where(ContestResultEntry.participant_id == world.anna))
        assert line.display_name != "Андреева Анна" and not line.is_public
    assert "Андреева Анна" not in [r[0] for r in _public_results(tree, world.contest)]


def test_judging_reopens_before_publication_and_the_jury_freezes_after_it(ctx, tree, world):
    _published(tree, world)
    with scope(tree, M):
        contest = db.session.get(Contest, world.contest)
        contests_results.reopen_judging(contest, org(tree, M))
        db.session.commit()
        assert db.session.get(Contest, world.contest).status == "judging"
        contests_results.close_judging(db.session.get(Contest, world.contest), org(tree, M))
        contests_results.publish(db.session.get(Contest, world.contest), org(tree, M))
        db.session.commit()
        contest = db.session.get(Contest, world.contest)
        for action in (lambda: contests_results.reopen_judging(contest, org(tree, M)),
                       lambda: contests_jury.appoint(contest, org(tree, M), user_id=tree.users["r1m1.admin"].id)):
            with pytest.raises(ContestStateError):
                action()


def test_removing_a_juror_removes_their_scores(ctx, tree, world):
    _judging(tree, world)
    _score(tree, world, world.expert, {world.n_anna: [1, 1]})
    with scope(tree, M):
        contest = db.session.get(Contest, world.contest)
        juror = contests_jury.juror_of(contest, world.expert)
        contests_jury.remove(contest, juror, org(tree, M))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(ContestScore.id))) == 0
        assert [j.user_id for j in contests_jury.jurors(contest)] == [world.staff]
    assert _audit("contest.juror_removed")[0].details["scores_removed"] == 2
