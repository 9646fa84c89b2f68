"""Consents: who may give one, the scan's checks, and withdrawal — erasure of the person's
data with a destruction record, banks left, pairs kept but ended, the ``person_erased`` signal."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.pairing.models import Mentorship, MentorshipEvent
from mentorship.pairing.pairs import create_mentorship
from mentorship.pairing.receivers import WITHDRAWAL_PAIR_REASON
from mentorship.people import consents
from mentorship.people.consents import ConsentData, ConsentError, check_consent, check_scan, withdraw_consent
from mentorship.people.models import Consent, DestructionRecord, Participant
from mentorship.people.signals import person_erased
from tenants.context import tenant_scope
from tenants.models import AuditEvent
from tests.support.school import TODAY, make_mentee, make_mentor, make_participant, make_programme, problems_of

pytestmark = pytest.mark.backends("sqlite", "postgresql")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 32
DOCX = b"PK\x03\x04" + b"\x00" * 26 + b"[Content_Types].xml" + b"\x00" * 40 + b"word/document.xml" + b"\x00" * 40


@pytest.fixture
def school(ctx, tree):
    with tenant_scope(tree.ids["r1m1s1"], tree.paths["r1m1s1"]):
        yield tree.ids["r1m1s1"]


def _consent(**kw) -> ConsentData:
    return ConsentData(**{"given_by": "participant", "given_on": date(2026, 9, 1), **kw})


def test_a_minors_consent_is_given_by_a_representative_whose_authority_was_checked():
    minor = date(2012, 1, 1)
    assert ("given_by", "representative_consent_required") in check_consent(_consent(), minor, TODAY)
    problems = check_consent(_consent(given_by="representative"), minor, TODAY)
    assert ("representative_name", "representative_name_required") in problems
    assert ("authority_document", "authority_required") in problems
    assert check_consent(_consent(given_by="representative", representative_name="Петрова Ольга",
                                  authority_document="свидетельство о рождении II-АБ 123456"), minor, TODAY) == []
    assert check_consent(_consent(), date(1980, 1, 1), TODAY) == []  # an adult consents for themselves


def test_consent_dates_purpose_and_policy_are_required():
    problems = check_consent(_consent(given_on=None, purpose=" ", policy_version=""), None, TODAY)
    assert {c for _, c in problems} == {"given_on_required", "purpose_required", "policy_version_required"}
    assert check_consent(_consent(given_on=date(2026, 11, 23)), None, TODAY) == [("given_on", "given_on_future")]
    assert check_consent(_consent(given_by="someone"), None, TODAY) == [("given_by", "bad_given_by")]


@pytest.mark.backends("sqlite")
def test_a_scan_is_a_pdf_jpeg_or_png_by_content_within_the_limit(ctx):
    assert check_scan("soglasie.pdf", PDF).content_type == "application/pdf"
    assert check_scan("scan.PNG", PNG).content_type == "image/png"
    cases = {("scan.pdf", PNG): "scan_mismatch", ("scan.pdf", b"just text"): "scan_type",
             ("scan.pdf", b""): "scan_empty", ("big.pdf", PDF + b"0" * consents.MAX_SCAN_BYTES): "scan_too_large"}
    for (name, data), code in cases.items():
        with pytest.raises(ConsentError) as err:
            check_scan(name, data)
        assert problems_of(err.value) == [("scan", code)], name


def _pair_world(org_id):
    mentor = make_mentor(org_id, "Иванова Мария Петровна", capacity=3)
    mentee = make_mentee(org_id, "Петров Илья", class_or_position="7Б", representative_email="mama@test.ru")
    other = make_mentee(org_id, "Сидорова Анна")
    programme = make_programme(org_id, "teacher_pupil")
    pair = create_mentorship(programme, mentor, [mentee], date(2026, 9, 15))
    other_pair = create_mentorship(programme, mentor, [other], date(2026, 9, 15))
    consent = mentee.consents[0]
    consent.scan_filename, consent.scan_content_type, consent.scan_size, consent.scan_data = (
        "s.pdf", "application/pdf", len(PDF), PDF)
    db.session.commit()
    return mentor, mentee, pair, other_pair


def test_withdrawing_the_last_consent_erases_the_person_but_keeps_their_pairs(school):
    mentor, mentee, pair, other_pair = _pair_world(school)
    from mentorship.pairing.models import CompletionReview

    db.session.add(CompletionReview(org_id=mentee.org_id, mentorship_id=pair.id, participant_id=mentee.id,
                                    author_role="mentee", written_on=date(2026, 10, 30), rating=9,
                                    text="Я, Петров Илья, благодарен наставнику"))
    db.session.flush()
    seen = []

    def receiver(person, **kwargs):
        seen.append((person, kwargs["old_name"]))

    with person_erased.connected_to(receiver):
        erased = withdraw_consent(mentee.consents[0], date(2026, 11, 1), "заявление родителя", TODAY)
        db.session.commit()
    assert erased is True and seen == [(mentee, "Петров Илья")]
    db.session.expire_all()
    person = db.session.get(Participant, mentee.id)
    assert person.anonymised_at is not None and person.full_name == consents.ERASED_NAME
    assert "Петров" not in person.full_name
    assert (person.birth_date, person.birth_year) == (None, 2011)  # the age band stays
    assert person.class_or_position is None and person.representative_name is None
    assert person.representative_phone is None and person.representative_email is None
    assert not person.in_mentee_bank and not person.in_mentor_bank
    consent = db.session.scalar(sa.select(Consent).where(Consent.participant_id == mentee.id)
                                .options(sa.orm.undefer(Consent.scan_data)))
    assert consent.withdrawn_on == date(2026, 11, 1) and consent.withdrawal_reason == "заявление родителя"
    assert consent.scan_data is None and consent.scan_filename is None and consent.representative_name is None
    record = db.session.scalar(sa.select(DestructionRecord).where(DestructionRecord.participant_id == mentee.id))
    fields = record.fields.split(", ")
    for name in ("full_name", "birth_date", "class_or_position", "representative_name", "representative_phone",
                 "representative_email", "consents.scan", "completion_reviews.text"):
        assert name in fields
    assert "Петров" not in record.fields and "withdrawn" in record.reason
    review = db.session.scalar(sa.select(CompletionReview).where(CompletionReview.participant_id == mentee.id))
    assert "Петров" not in review.text and review.rating == 9  # the figure stays
    # the pair stays, anonymous, and ends early: no processing continues
    kept = db.session.get(Mentorship, pair.id)
    assert kept.status == "ended_early" and kept.end_reason == WITHDRAWAL_PAIR_REASON
    assert kept.ended_on == date(2026, 11, 1) and kept.members[0].participant_id == mentee.id
    assert db.session.scalar(sa.select(MentorshipEvent.action).where(MentorshipEvent.mentorship_id == pair.id)
                             .order_by(MentorshipEvent.id.desc())) == "ended_early"
    assert db.session.get(Mentorship, other_pair.id).status == "active"  # others' pairs go on
    actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == str(mentee.id))))
    assert "participant.erased" in actions
    withdrawn = sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "consent.withdrawn")
    assert db.session.scalar(withdrawn) == 1
    # the pairs it ended are listed by the erasure's own record, not audited one by one
    erased_details = db.session.scalar(sa.select(AuditEvent.details).where(AuditEvent.action == "participant.erased"))
    assert erased_details["pairs_ended"] == [pair.id]
    ended = sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "pair.ended_early")
    assert db.session.scalar(ended) == 0


def test_a_withdrawn_mentor_leaves_every_active_pair(school):
    mentor, mentee, pair, other_pair = _pair_world(school)
    # the withdrawal date precedes the pairs' start: they end on the day they started
    mentor.consents[0].given_on = date(2024, 1, 1)
    withdraw_consent(mentor.consents[0], date(2026, 9, 1), "увольнение", TODAY)
    db.session.commit()
    db.session.expire_all()
    for pair_id in (pair.id, other_pair.id):
        ended = db.session.get(Mentorship, pair_id)
        assert ended.status == "ended_early" and ended.ended_on == date(2026, 9, 15)
    person = db.session.get(Participant, mentor.id)
    assert person.anonymised_at is not None and person.mentor_profile.approved is False


def test_another_valid_consent_keeps_the_data(school):
    person = make_participant(school, "Смирнов Олег", "teacher", email="o@test.ru")
    db.session.add(Consent(org_id=school, participant_id=person.id, given_by="participant", purpose="p",
                           policy_version="2.0", given_on=date(2026, 1, 1)))
    db.session.commit()
    assert withdraw_consent(person.consents[-1], date(2026, 11, 1), "новое согласие", TODAY) is False
    db.session.commit()
    db.session.expire_all()
    person = db.session.get(Participant, person.id)
    assert person.full_name == "Смирнов Олег" and person.email == "o@test.ru" and person.anonymised_at is None
    assert db.session.scalar(sa.select(sa.func.count(DestructionRecord.id))) == 0


def test_withdrawal_needs_a_sensible_date_and_a_reason(school):
    person = make_participant(school, "Смирнов Олег", "teacher")
    db.session.commit()
    consent = person.consents[0]  # given 2024-09-01
    for on, reason, code in [(date(2026, 11, 23), "r", "withdrawn_on_future"),
                             (date(2024, 8, 31), "r", "withdrawn_before_given"),
                             (None, "r", "withdrawn_on_required"),
                             (date(2026, 1, 1), " ", "reason_required")]:
        with pytest.raises(ConsentError) as err:
            withdraw_consent(consent, on, reason, TODAY)
        assert code in [c for _, c in problems_of(err.value)]
    db.session.rollback()
    consent = db.session.get(Consent, consent.id)
    withdraw_consent(consent, date(2026, 1, 1), "r", TODAY)
    with pytest.raises(ConsentError) as err:
        withdraw_consent(consent, date(2026, 1, 1), "r", TODAY)
    assert problems_of(err.value) == [("withdrawn_on", "already_withdrawn")]


def test_an_erased_person_cannot_be_paired_again(school):
    from mentorship.pairing import rules as pair_rules
    from mentorship.region.forms import DEFAULT_FORMS

    person = make_mentee(school, "Петров Илья")
    withdraw_consent(person.consents[0], date(2026, 11, 1), "r", TODAY)
    db.session.flush()
    assert pair_rules.mentee_problem(DEFAULT_FORMS[2], person, False) == "anonymised"
