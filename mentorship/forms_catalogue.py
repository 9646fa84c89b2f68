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
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.model import ReprMixin, TimestampMixin
from tenants.scoping import RegionWide, region_path

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


class MentorshipForm(RegionWide, TimestampMixin, ReprMixin, db.Model):
    """A form in the ministry's catalogue (owned by the ministry, read across the region)."""

    __tablename__ = "mentorship_forms"
    __repr_fields__ = ("id", "code")
    __table_args__ = (
        sa.UniqueConstraint("org_id", "code"),
        sa.CheckConstraint("mentor_category IN ('pupil', 'student', 'teacher', 'employer')", name="mentor_category"),
        sa.CheckConstraint("mentee_category IN ('pupil', 'student', 'teacher', 'employer')", name="mentee_category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200))
    mentor_category: Mapped[str] = mapped_column(sa.String(20))
    mentee_category: Mapped[str] = mapped_column(sa.String(20))
    mentee_special_needs: Mapped[bool] = mapped_column(default=False)
    retired: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    def spec(self) -> FormSpec:
        return FormSpec(self.code, self.name, self.mentor_category, self.mentee_category,
                        self.mentee_special_needs, self.retired)


def region_forms(org_path: str, include_retired: bool = False) -> list[FormSpec]:
    """The forms of the region that ``org_path`` belongs to, in catalogue order."""
    rows = db.session.scalars(
        sa.select(MentorshipForm)
        .where(MentorshipForm.org_path == region_path(org_path))
        .order_by(MentorshipForm.position, MentorshipForm.id)
    ).all()
    specs = [row.spec() for row in rows] if rows else list(DEFAULT_FORMS)
    return [s for s in specs if include_retired or not s.retired]


def form_by_code(org_path: str, code: str) -> FormSpec | None:
    """A form of the region by code, retired ones included (old pairs keep them)."""
    return next((f for f in region_forms(org_path, include_retired=True) if f.code == code), None)
