"""The region's catalogue of mentorship forms (формы наставничества), and its editing.

A form names the category of its mentors and of its mentees. The ministry's own catalogue
(``MentorshipForm`` rows, region-wide) takes precedence; until a region has saved one, the
defaults of the target model below apply. The first change writes the whole default list as
the region's rows (``materialise_forms``) and then applies the change, so the defaults become
editable and nothing disappears. Pairs and programmes keep the form's *code*, so a form the
ministry retires stays on old pairs. The caller commits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from slugify import slugify

from core.errors import DomainError
from core.extensions import db
from mentorship.region.models import MentorshipForm
from mentorship.region.settings import record_change
from tenants.models import Organization
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


class FormError(DomainError):
    """A change of the catalogue that is not allowed."""

    MESSAGES = {
        "code_format": _l("The code must be 2–26 characters: Latin lower-case letters, digits and «_», "
                          "starting with a letter."),
        "code_taken": _l("A form with this code already exists in the region's catalogue."),
        "name_required": _l("Give a name."),
        "name_taken": _l("A form with this name already exists in the region's catalogue."),
        "category": _l("Unknown participant category."),
        "unknown_form": _l("There is no such form in the region's catalogue."),
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


# A form's code becomes part of a snapshot code ("pairs_by_form:<code>", 40 characters at most).
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,25}$")


def form_rows(region: Organization) -> list[MentorshipForm]:
    """The region's saved catalogue, in order (empty: the defaults apply)."""
    return list(db.session.scalars(
        sa.select(MentorshipForm).where(MentorshipForm.org_path == region.path)
        .order_by(MentorshipForm.position, MentorshipForm.id)
    ))


@dataclass(frozen=True)
class FormRow:
    """One line of the catalogue page: a saved row (with ``id``) or a default (``id`` None)."""

    id: int | None
    code: str
    name: str
    mentor_category: str
    mentee_category: str
    mentee_special_needs: bool
    retired: bool


def catalogue(region: Organization) -> tuple[list[FormRow], bool]:
    """(the forms, retired included; whether they are still the defaults)."""
    rows = form_rows(region)
    if rows:
        return [FormRow(r.id, r.code, r.name, r.mentor_category, r.mentee_category, r.mentee_special_needs,
                        r.retired) for r in rows], False
    return [FormRow(None, f.code, f.name, f.mentor_category, f.mentee_category, f.mentee_special_needs,
                    f.retired) for f in DEFAULT_FORMS], True


def materialise_forms(region: Organization) -> list[MentorshipForm]:
    """The region's rows, writing the default catalogue as rows first if it has none."""
    rows = form_rows(region)
    if rows:
        return rows
    rows = [
        MentorshipForm(org_id=region.id, code=f.code, name=f.name, mentor_category=f.mentor_category,
                       mentee_category=f.mentee_category, mentee_special_needs=f.mentee_special_needs,
                       retired=f.retired, position=position)
        for position, f in enumerate(DEFAULT_FORMS)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def _clean_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise FormError("name_required", "name")
    return name[:200]


def _check_name_free(rows: list[MentorshipForm], name: str, but: MentorshipForm | None = None) -> None:
    if any(r.name.casefold() == name.casefold() for r in rows if r is not but):
        raise FormError("name_taken", "name")


def code_for(name: str, taken: set[str]) -> str:
    """A code for a new form made from its name («родитель – ученик» → ``roditel_uchenik``),
    unique in the region: people name forms, the code stays internal."""
    base = slugify(name, separator="_", max_length=20, word_boundary=True) or "form"
    if not base[0].isalpha():
        base = f"form_{base}"[:20]
    code, n = base, 1
    while code in taken or not CODE_PATTERN.match(code):
        n += 1
        code = f"{base}_{n}"
    return code


def add_form(region: Organization, *, name: str, mentor_category: str, mentee_category: str,
             mentee_special_needs: bool = False, code: str | None = None) -> MentorshipForm:
    """Add a form to the region's catalogue (the defaults are written as rows first). Its code
    is made from the name unless one is given."""
    code = (code or "").strip()
    if code and not CODE_PATTERN.match(code):
        raise FormError("code_format", "code")
    name = _clean_name(name)
    if mentor_category not in CATEGORIES or mentee_category not in CATEGORIES:
        raise FormError("category", "mentor_category")
    rows = materialise_forms(region)
    if code and any(r.code == code for r in rows):
        raise FormError("code_taken", "code")
    _check_name_free(rows, name)
    code = code or code_for(name, {r.code for r in rows})
    row = MentorshipForm(org_id=region.id, code=code, name=name, mentor_category=mentor_category,
                         mentee_category=mentee_category, mentee_special_needs=bool(mentee_special_needs),
                         retired=False, position=max(r.position for r in rows) + 1)
    db.session.add(row)
    db.session.flush()
    record_change(region, "form_added", row, code=code, name=name)
    return row


def edit_form(region: Organization, code: str, *, name: str, retired: bool) -> MentorshipForm:
    """Rename a form or retire / bring it back, by code (a default is written as a row first).
    Pairs and programmes keep the code, so a retired form stays on them."""
    name = _clean_name(name)
    rows = materialise_forms(region)
    row = next((r for r in rows if r.code == code), None)
    if row is None:
        raise FormError("unknown_form")
    _check_name_free(rows, name, but=row)
    before = (row.name, row.retired)
    row.name, row.retired = name, bool(retired)
    if before != (row.name, row.retired):
        record_change(region, "form_edited", row, code=code, name=name, retired=row.retired)
    return row
