"""The region's catalogue of mentorship forms (формы наставничества).

A form names the category of its mentors and of its mentees. The ministry's own catalogue
(``MentorshipForm`` rows, region-wide) takes precedence; until a region has saved one, the
defaults of the target model below apply. Pairs and programmes keep the form's *code*, so a
form the ministry retires stays on old pairs.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.extensions import db
from mentorship.region.models import MentorshipForm
from tenants.scoping import region_path

# Participant categories (category of a person in the school's banks).
PUPIL = "pupil"
STUDENT = "student"
TEACHER = "teacher"
EMPLOYER = "employer"
CATEGORIES = (PUPIL, STUDENT, TEACHER, EMPLOYER)
CATEGORY_LABELS = {
    PUPIL: _l("Pupil"),
    STUDENT: _l("Student"),
    TEACHER: _l("Teacher"),
    EMPLOYER: _l("Employer's representative"),
}


@dataclass(frozen=True)
class FormSpec:
    """What matching and validation need to know of a form."""

    code: str
    name: str
    mentor_category: str
    mentee_category: str
    mentee_special_needs: bool = False  # учитель–ученик с ОВЗ: mentees with special needs only
    retired: bool = False


def spec_of(row: MentorshipForm) -> FormSpec:
    """The catalogue row as what matching and validation need."""
    return FormSpec(row.code, row.name, row.mentor_category, row.mentee_category, row.mentee_special_needs,
                    row.retired)


DEFAULT_FORMS: tuple[FormSpec, ...] = (
    FormSpec("pupil_pupil", "ученик – ученик", PUPIL, PUPIL),
    FormSpec("teacher_teacher", "учитель – учитель", TEACHER, TEACHER),
    FormSpec("teacher_pupil", "учитель – ученик", TEACHER, PUPIL),
    FormSpec("teacher_pupil_sen", "учитель – ученик с ОВЗ", TEACHER, PUPIL, mentee_special_needs=True),
    FormSpec("student_student", "студент – студент", STUDENT, STUDENT),
    FormSpec("student_pupil", "студент – ученик", STUDENT, PUPIL),
    FormSpec("employer_pupil", "работодатель – ученик", EMPLOYER, PUPIL),
    FormSpec("employer_student", "работодатель – студент", EMPLOYER, STUDENT),
)


def region_forms(org_path: str, include_retired: bool = False) -> list[FormSpec]:
    """The forms of the region that ``org_path`` belongs to, in catalogue order."""
    rows = db.session.scalars(
        sa.select(MentorshipForm)
        .where(MentorshipForm.org_path == region_path(org_path))
        .order_by(MentorshipForm.position, MentorshipForm.id)
    ).all()
    specs = [spec_of(row) for row in rows] if rows else list(DEFAULT_FORMS)
    return [s for s in specs if include_retired or not s.retired]


def form_by_code(org_path: str, code: str) -> FormSpec | None:
    """A form of the region by code, retired ones included (old pairs keep them)."""
    return next((f for f in region_forms(org_path, include_retired=True) if f.code == code), None)
