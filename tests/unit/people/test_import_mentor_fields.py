"""The mentor's questionnaire in the participants import: optional columns (number of mentees,
forms of mentorship, competencies, approval, consent to the municipal registry) checked row by
row with messages in Russian, written with the mentor, so that an imported bank can be matched
at once; the templates carry the columns."""
from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from core.extensions import db
from mentorship.pairing import matching as matching_runs
from mentorship.people.imports.batches import create_batch, queue_batch, run_batch
from mentorship.people.imports.reading import BY_KEY, COLUMNS, FormChoice, SchoolFacts, template_csv, template_xlsx, validate
from mentorship.people.models import MentorProfile, Participant
from mentorship.region.forms import DEFAULT_FORMS
from mentorship.registry.models import RegistryEntry
from tenants.context import tenant_scope
from tenants.models import Organization, User
from tests.support.school import make_mentee, make_programme

TODAY = date(2026, 11, 22)
FORMS = [FormChoice(f.code, f.name, f.mentor_category) for f in DEFAULT_FORMS]


def teacher(i: int = 0, **values) -> dict:
    row = {"full_name": f"Педагог Номер{i}", "category": "педагог", "birth_date": "12.03.1985",
           "class_or_position": "учитель математики", "consent_on": "01.09.2025", "consent_by": "участник",
           "bank": "наставник", "teaching_since": "01.09.2010"}
    row.update(values)
    return row


def csv_file(rows: list[dict]) -> bytes:
    lines = [";".join(c.heading for c in COLUMNS)]
    lines += [";".join(row.get(c.key, "") for c in COLUMNS) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def facts() -> SchoolFacts:
    return SchoolFacts(today=TODAY, forms=FORMS)


def _message(result, row: int, key: str) -> str:
    name = BY_KEY[key].name
    return next(e["message"] for e in result.errors if e["row"] == row and e["column"] == name)


def test_the_questionnaire_columns_are_read_tolerantly(app):
    with app.test_request_context():
        result = validate("bank.csv", csv_file([
            teacher(1, mentor_capacity="3", mentor_forms="Учитель-ученик, учитель — ученик с ОВЗ",
                    mentor_competencies="Образовательные результаты, профориентация, ОВЗ",
                    mentor_approved="да", mentor_registry="Да"),
            teacher(2),  # no questionnaire: the questionnaire's defaults
        ]), facts())
    assert result.valid, result.errors
    first, second = (row.mentor for row in result.rows)
    assert (first.capacity, first.forms, first.competencies, first.approved, first.registry) == (
        3, ["teacher_pupil", "teacher_pupil_sen"], ["academic", "career", "special_needs"], True, True)
    assert (second.capacity, second.forms, second.competencies, second.approved, second.registry) == (
        1, [], [], False, False)


def test_every_problem_of_the_questionnaire_is_named_in_russian(app):
    rows = [
        teacher(1, mentor_capacity="31"),
        teacher(2, mentor_capacity="два", mentor_forms="учитель – учитель, космонавт – ученик"),
        teacher(3, mentor_forms="ученик – ученик"),  # a teacher cannot mentor in «ученик – ученик»
        teacher(4, mentor_competencies="академические, адаптация"),
        teacher(5, mentor_approved="может быть"),
        teacher(6, bank="наставляемый", category="педагог", mentor_capacity="2"),
    ]
    with app.test_request_context(), force_locale("ru"):
        result = validate("bank.csv", csv_file(rows), facts())
        assert not result.valid and result.rows == []
        assert "«31»" in _message(result, 2, "mentor_capacity")
        assert "«два»" in _message(result, 3, "mentor_capacity")
        assert "«космонавт – ученик»" in _message(result, 3, "mentor_forms")
        assert "«ученик – ученик»" in _message(result, 4, "mentor_forms")
        assert "«академические»" in _message(result, 5, "mentor_competencies")
        assert "«может быть»" in _message(result, 6, "mentor_approved")
        assert _message(result, 7, "mentor_capacity")  # a mentee has no mentor questionnaire
    assert {(e["row"], e["column"]) for e in result.errors} == {
        (2, BY_KEY["mentor_capacity"].name), (3, BY_KEY["mentor_capacity"].name), (3, BY_KEY["mentor_forms"].name),
        (4, BY_KEY["mentor_forms"].name), (5, BY_KEY["mentor_competencies"].name),
        (6, BY_KEY["mentor_approved"].name), (7, BY_KEY["mentor_capacity"].name)}


def test_the_templates_carry_the_questionnaire_columns():
    heading = template_csv().decode("utf-8-sig").splitlines()[0].split(";")
    for key in ("mentor_capacity", "mentor_forms", "mentor_competencies", "mentor_approved", "mentor_registry"):
        assert BY_KEY[key].heading in heading
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx(["учитель – ученик", "ученик – ученик"])))
    assert BY_KEY["mentor_registry"].heading in [c.value for c in workbook["Участники"][1]]
    notes = {row[0].value: row[1].value for row in workbook["Инструкция"].iter_rows(min_row=2)}
    assert "учитель – ученик; ученик – ученик" in notes[BY_KEY["mentor_forms"].heading]
    assert "профориентация" in notes[BY_KEY["mentor_competencies"].heading]


@pytest.mark.backends("sqlite", "postgresql")
def test_an_imported_bank_is_matched_at_once(ctx, tree):
    org_id, path = tree.ids["r1m1s1"], tree.paths["r1m1s1"]
    with tenant_scope(org_id, path):
        org = db.session.get(Organization, org_id)
        user = db.session.get(User, tree.users["r1m1s1.admin"].id)
        data = csv_file([
            teacher(1, mentor_capacity="2", mentor_forms="учитель – ученик", mentor_competencies="профориентация",
                    mentor_approved="да", mentor_registry="да"),
            teacher(2),
        ])
        batch = create_batch(org, user, "bank.csv", data, TODAY)
        assert batch.status == "valid", batch.errors
        queue_batch(batch)
        db.session.commit()
        assert run_batch(batch.id, TODAY).status == "done"
        db.session.expire_all()
        first = db.session.scalar(sa.select(Participant).where(Participant.full_name == "Педагог Номер1"))
        profile = first.mentor_profile
        assert (profile.capacity, profile.preferred_forms, profile.competencies, profile.approved,
                profile.publish_consent) == (2, ["teacher_pupil"], ["career"], True, True)
        second = db.session.scalar(sa.select(MentorProfile).join(Participant).where(
            Participant.full_name == "Педагог Номер2"))
        assert (second.capacity, second.approved, second.publish_consent) == (1, False, False)
        # the registry follows the questionnaire, as when it is filled in by hand
        assert [e.participant_id for e in db.session.scalars(sa.select(RegistryEntry))] == [first.id]
        # approved: a candidate of the programme's matching straight away
        programme = make_programme(org_id, "teacher_pupil")
        kid = make_mentee(org_id, "Ученик Для Подбора", requests=["career"])
        db.session.commit()
        run = matching_runs.start_run(programme, org=org, on=TODAY)
        assert [(p.mentee_id, p.mentor_id) for p in run.proposals] == [(kid.id, first.id)]
