"""The region's catalogue of mentorship forms (mentorship/region/forms.py): the defaults written
as rows on the first change, renamed and retired forms kept on old pairs, bad forms refused."""
from __future__ import annotations

import pytest

from core.errors import DomainError
from core.extensions import db
from mentorship.region import forms as catalogue
from mentorship.region.forms import DEFAULT_FORMS, form_by_code, region_forms
from mentorship.region.models import MentorshipForm
from tests.support.ministry import count_rows

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_the_first_change_writes_the_default_catalogue_as_rows(ministry):
    forms, defaults = catalogue.catalogue(ministry)
    assert defaults and [f.code for f in forms] == [f.code for f in DEFAULT_FORMS] and forms[0].id is None
    catalogue.add_form(ministry, code="parent_pupil", name="родитель – ученик", mentor_category="employer",
                    mentee_category="pupil")
    db.session.commit()
    forms, defaults = catalogue.catalogue(ministry)
    assert not defaults and all(f.id for f in forms)
    assert [f.code for f in forms] == [f.code for f in DEFAULT_FORMS] + ["parent_pupil"]
    assert [f.code for f in region_forms(ministry.path)][-1] == "parent_pupil"
    assert count_rows(MentorshipForm) == len(DEFAULT_FORMS) + 1


def test_a_renamed_and_retired_default_stays_on_old_pairs(ministry, tree):
    catalogue.edit_form(ministry, "student_pupil", name="студент вуза – школьник", retired=True)
    db.session.commit()
    assert count_rows(MentorshipForm) == len(DEFAULT_FORMS)  # materialised, one changed
    school_path = tree.paths["r1m1s1"]
    assert "student_pupil" not in {f.code for f in region_forms(school_path)}
    kept = form_by_code(school_path, "student_pupil")
    assert kept.retired and kept.name == "студент вуза – школьник"
    catalogue.edit_form(ministry, "student_pupil", name="студент – ученик", retired=False)
    db.session.commit()
    assert "student_pupil" in {f.code for f in region_forms(school_path)}
    # the other region still has the defaults
    assert form_by_code(tree.paths["r2"], "student_pupil").name == "студент – ученик"


@pytest.mark.parametrize("kwargs,code", [
    ({"code": "teacher_pupil"}, "code_taken"),
    ({"code": "Bad code"}, "code_format"),
    ({"code": "x"}, "code_format"),
    ({"code": "a" * 27}, "code_format"),  # "pairs_by_form:" + code must fit the snapshot code
    ({"name": "  Ученик – ученик "}, "name_taken"),
    ({"name": "   "}, "name_required"),
    ({"mentor_category": "parent"}, "category"),
])
def test_a_bad_new_form_is_refused(ministry, kwargs, code):
    values = {"code": "new_form", "name": "Новая форма", "mentor_category": "teacher", "mentee_category": "pupil",
              **kwargs}
    with pytest.raises(DomainError) as caught:
        catalogue.add_form(ministry, **values)
    assert caught.value.code == code
    db.session.rollback()
    assert count_rows(MentorshipForm) == 0


def test_renaming_to_another_forms_name_is_refused(ministry):
    with pytest.raises(DomainError) as caught:
        catalogue.edit_form(ministry, "teacher_pupil", name="учитель – учитель", retired=False)
    assert caught.value.code == "name_taken"
    with pytest.raises(DomainError) as caught:
        catalogue.edit_form(ministry, "no_such_form", name="Что-то", retired=False)
    assert caught.value.code == "unknown_form"


def test_a_new_forms_code_is_made_from_its_name_and_unique(ministry):
    """People name a form; its code (kept on pairs and snapshots) is made for them, never asked."""
    first = catalogue.add_form(ministry, name="родитель – ученик", mentor_category="employer", mentee_category="pupil")
    second = catalogue.add_form(ministry, name="Родитель ученик", mentor_category="employer", mentee_category="pupil")
    digits = catalogue.add_form(ministry, name="2 + 2", mentor_category="pupil", mentee_category="pupil")
    assert (first.code, second.code, digits.code) == ("roditel_uchenik", "roditel_uchenik_2", "form_2_2")
    assert all(catalogue.CODE_PATTERN.match(f.code) for f in (first, second, digits))
    assert catalogue.code_for("Очень длинное название новой формы наставничества", set()) == "ochen_dlinnoe_novoi"  # 20 characters at most, whole words
