"""A campaign's audience becomes invitations: consent and erasure respected, minors reached
through their representative or on paper, filters by level / form / programme / pair status,
curators, never outside the owner's subtree, and a rerun inserts nothing."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.model import utcnow
from mentorship.pairing.models import Mentorship, MentorshipMentee
from mentorship.people.models import Consent, Participant
from mentorship.surveys.audience import BATCH
from mentorship.surveys.models import SurveyInvitation
from mentorship.surveys.triggers import create_invitations
from tenants.context import tenant_scope, unscoped
from tests.support.school import make_mentee, make_mentor, make_programme
from tests.support.surveys import make_campaign, make_template

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = date(2026, 11, 22)
ALL_ROLES = ("mentor", "mentee", "representative", "curator")


def make_pair(org_id, programme, mentor, mentees, started_on=date(2026, 9, 15), status="active", ended_on=None):
    pair = Mentorship(org_id=org_id, programme_id=programme.id, form_code=programme.form_code, mentor_id=mentor.id,
                      started_on=started_on, status=status, ended_on=ended_on)
    for mentee in mentees:
        pair.members.append(MentorshipMentee(org_id=org_id, participant_id=mentee.id))
    db.session.add(pair)
    db.session.flush()
    return pair


def simple_school(tree, key, prefix):
    """One teacher with e-mail and one pupil (minor, no e-mail) in an active pair."""
    org_id = tree.ids[key]
    with tenant_scope(org_id, tree.paths[key]):
        programme = make_programme(org_id)
        mentor = make_mentor(org_id, f"{prefix} Наставник", email=f"{prefix}@example.org")
        mentee = make_mentee(org_id, f"{prefix} Ученик")
        pair = make_pair(org_id, programme, mentor, [mentee])
        db.session.commit()
        return SimpleNamespace(programme=programme.id, mentor=mentor.id, mentee=mentee.id, pair=pair.id)


@pytest.fixture
def world(ctx, tree):
    s1 = tree.ids["r1m1s1"]
    w = SimpleNamespace()
    with tenant_scope(s1, tree.paths["r1m1s1"]):
        p1 = make_programme(s1, "teacher_pupil", title="Программа 1")
        p2 = make_programme(s1, "employer_pupil", title="Программа 2")
        a = make_mentor(s1, "А Наставник", email="a@example.org", capacity=5)
        b = make_mentee(s1, "Б Ученик", representative_email="mama-b@example.org")
        c = make_mentee(s1, "В Ученик")  # minor, no address at all: paper
        f = make_mentee(s1, "Ф Ученик", email="f@example.org")  # consent withdrawn below
        h = make_mentee(s1, "Х Ученик", representative_email="mama-h@example.org")
        h.birth_date, h.birth_year = None, None  # a pupil with no birth date counts as a minor
        d = make_mentor(s1, "Д Работодатель", "employer")  # an adult with no e-mail: paper
        e = make_mentee(s1, "Е Ученик", birth_date=date(2007, 1, 10), email="e@example.org")  # an adult pupil
        k = make_mentor(s1, "К Наставник", email="k@example.org")  # erased below
        lo = make_mentee(s1, "Л Ученик", email="l@example.org")  # a minor with her own e-mail
        w.pair1 = make_pair(s1, p1, a, [b, c, f, h]).id
        w.pair2 = make_pair(s1, p2, d, [e], status="completed", ended_on=date(2026, 11, 1)).id
        w.pair3 = make_pair(s1, p1, k, [lo]).id
        f.consents[0].withdrawn_on = date(2026, 10, 1)
        k.anonymised_at = utcnow()
        db.session.commit()
        w.p1, w.p2 = p1.id, p2.id
        w.a, w.b, w.c, w.f, w.h, w.d, w.e, w.k, w.lo = (x.id for x in (a, b, c, f, h, d, e, k, lo))
    w.s2 = simple_school(tree, "r1m1s2", "s2")
    w.m2 = simple_school(tree, "r1m2s1", "m2")
    w.r2 = simple_school(tree, "r2m1s1", "r2")
    return w


def campaign(tree, owner_key, roles=("mentor", "mentee"), audience=ALL_ROLES, **fields):
    org_id = tree.ids[owner_key]
    with tenant_scope(org_id, tree.paths[owner_key]):
        template = make_template(org_id, audience=audience)
        c = make_campaign(org_id, template, roles=roles, **fields)
        db.session.commit()
        return c.id


def invitations(campaign_id) -> dict[str, tuple]:
    with unscoped("tests.invitations"):
        rows = db.session.scalars(sa.select(SurveyInvitation).where(SurveyInvitation.campaign_id == campaign_id)).all()
        out = {i.recipient_key: (i.org_id, i.channel, i.address_kind, i.form_code, i.status, i.expires_on)
               for i in rows}
        db.session.rollback()
        return out


def test_school_campaign_respects_consent_erasure_and_chooses_channels(world, tree):
    cid = campaign(tree, "r1m1s1", roles=("mentor", "mentee", "representative"))
    assert create_invitations(cid, TODAY) == 11
    got = invitations(cid)
    s1 = tree.ids["r1m1s1"]
    expected = {
        f"mentor:{world.a}": ("email", "self"),
        f"mentor:{world.d}": ("paper", "self"),  # an adult without e-mail
        f"mentee:{world.b}": ("email", "representative"),  # a minor without e-mail: the representative
        f"mentee:{world.c}": ("paper", "self"),  # … or paper when there is no address at all
        f"mentee:{world.h}": ("email", "representative"),  # no birth date: a minor
        f"mentee:{world.e}": ("email", "self"),
        f"mentee:{world.lo}": ("email", "self"),  # a minor with her own e-mail
        f"representative:{world.b}": ("email", "representative"),
        f"representative:{world.c}": ("paper", "representative"),
        f"representative:{world.h}": ("email", "representative"),
        f"representative:{world.lo}": ("paper", "representative"),
    }
    assert {k: v[1:3] for k, v in got.items()} == expected
    # the school's own campaign stays in the school (r1m1s2's pair is not asked)
    assert {v[0] for v in got.values()} == {s1}
    assert f"mentee:{world.f}" not in got and f"mentor:{world.k}" not in got  # withdrawn, erased
    assert f"representative:{world.e}" not in got  # an adult has no representative asked
    assert got[f"mentor:{world.d}"][3] == "employer_pupil" and got[f"mentor:{world.a}"][3] == "teacher_pupil"
    assert {v[4] for v in got.values()} == {"pending"}
    assert {v[5] for v in got.values()} == {date(2026, 12, 31)}  # the campaign's closing date


def test_rerun_inserts_nothing_new(world, tree):
    cid = campaign(tree, "r1m1s1")
    first = create_invitations(cid, TODAY)
    assert first > 0
    assert create_invitations(cid, TODAY) == 0
    assert len(invitations(cid)) == first


def test_filters_form_programme_and_pair_status(world, tree):
    by_form = campaign(tree, "r1m1s1", form_code="employer_pupil")
    create_invitations(by_form, TODAY)
    assert set(invitations(by_form)) == {f"mentor:{world.d}", f"mentee:{world.e}"}

    by_programme = campaign(tree, "r1m1s1", programme_id=world.p1, roles=("mentor",))
    create_invitations(by_programme, TODAY)
    assert set(invitations(by_programme)) == {f"mentor:{world.a}"}  # К is erased

    by_status = campaign(tree, "r1m1s1", pair_status="completed")
    create_invitations(by_status, TODAY)
    assert set(invitations(by_status)) == {f"mentor:{world.d}", f"mentee:{world.e}"}


def test_region_campaign_spans_its_schools_only(world, tree):
    cid = campaign(tree, "r1", roles=("mentor",))
    create_invitations(cid, TODAY)
    owners = {v[0] for v in invitations(cid).values()}
    assert owners == {tree.ids["r1m1s1"], tree.ids["r1m1s2"], tree.ids["r1m2s1"]}  # never region r2


def test_municipal_campaign_never_reaches_a_sibling_body(world, tree):
    cid = campaign(tree, "r1m1", roles=("mentor",))
    create_invitations(cid, TODAY)
    owners = {v[0] for v in invitations(cid).values()}
    assert owners == {tree.ids["r1m1s1"], tree.ids["r1m1s2"]}


def test_target_org_narrows_and_a_foreign_target_reaches_no_one(world, tree):
    narrowed = campaign(tree, "r1", roles=("mentor",), target_org_id=tree.ids["r1m1s2"])
    create_invitations(narrowed, TODAY)
    assert set(invitations(narrowed)) == {f"mentor:{world.s2.mentor}"}

    foreign = campaign(tree, "r1m1", roles=("mentor",), target_org_id=tree.ids["r1m2s1"])
    assert create_invitations(foreign, TODAY) == 0


def test_curators_of_the_schools_in_scope(world, tree):
    cid = campaign(tree, "r1m1", roles=("curator",))
    assert create_invitations(cid, TODAY) == 2
    got = invitations(cid)
    curators = {tree.users["r1m1s1.staff"].id: tree.ids["r1m1s1"], tree.users["r1m1s2.staff"].id: tree.ids["r1m1s2"]}
    assert got == {f"curator:{uid}": (org, "email", "user", None, "pending", date(2026, 12, 31))
                   for uid, org in curators.items()}


def test_no_closing_date_expires_after_response_days_and_draft_gets_nothing(world, tree):
    draft = campaign(tree, "r1m1s1", roles=("mentor",), status="draft")
    assert create_invitations(draft, TODAY) == 0
    manual = campaign(tree, "r1m1s1", roles=("mentor",), closes_on=None, response_days=10)
    create_invitations(manual, TODAY)
    assert {v[5] for v in invitations(manual).values()} == {date(2026, 12, 2)}


def test_many_recipients_in_batches(ctx, tree):
    """More than one batch: every row inserted once, a rerun inserts none."""
    org_id = tree.ids["r1m1s2"]
    n = BATCH + 37
    with tenant_scope(org_id, tree.paths["r1m1s2"]):
        programme = make_programme(org_id, "pupil_pupil")
        people = [Participant(org_id=org_id, full_name=f"Ученик {i}", category="pupil",
                              birth_date=date(2010, 1, 1), email=f"p{i}@example.org") for i in range(n + 1)]
        db.session.add_all(people)
        db.session.flush()
        db.session.add_all([Consent(org_id=org_id, participant_id=p.id, given_by="representative", purpose="x",
                                    policy_version="1", given_on=date(2025, 1, 1)) for p in people])
        mentor = people[0]
        pair = Mentorship(org_id=org_id, programme_id=programme.id, form_code="pupil_pupil", mentor_id=mentor.id,
                          started_on=date(2026, 9, 1))
        pair.members = [MentorshipMentee(org_id=org_id, participant_id=p.id) for p in people[1:]]
        db.session.add(pair)
        db.session.commit()
    cid = campaign(tree, "r1m1s2", roles=("mentee",))
    assert create_invitations(cid, TODAY) == n
    assert create_invitations(cid, TODAY) == 0
