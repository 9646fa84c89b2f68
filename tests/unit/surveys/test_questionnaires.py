"""Questionnaire templates: validation messages, nothing saved on bad input, versions (a template
in use is never edited in place), copies along the line, archive, the region's defaults, and
the Lineage visibility of a school's own questionnaire."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.extensions import db
from mentorship.surveys import defaults as survey_defaults
from mentorship.surveys import questionnaires as svc
from mentorship.surveys.defaults import DEFAULT_CODES, ensure_default_templates
from mentorship.surveys.models import AUDIENCES, SurveyQuestion, SurveyTemplate
from mentorship.surveys.questionnaires import QuestionData, TemplateData, TemplateError
from tenants.context import tenant_scope
from tenants.models import AuditEvent, Organization
from tests.support.surveys import count_rows, make_campaign, make_template

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _data(**kw) -> TemplateData:
    questions = kw.pop("questions", None) or [
        QuestionData(text="Насколько полезны встречи?", kind="scale", in_index=True),
        QuestionData(text="Продолжите ли вы?", kind="single", options=["Да", "Нет"]),
        QuestionData(text="Что изменить?", kind="long_text", required=False),
    ]
    return TemplateData(**{"title": "Анкета", "purpose": "completion", "audience": ["mentee"],
                           "questions": questions, **kw})


def _codes(data) -> set[tuple[str | None, str]]:
    return {(problem.field, problem.code) for problem in svc.validate(data)}


@pytest.fixture
def as_org(ctx, tree):
    """``as_org(key)``: act as that organisation (a context manager) and get its row."""
    from contextlib import contextmanager

    @contextmanager
    def _as(key):
        with tenant_scope(tree.ids[key], tree.paths[key]):
            yield db.session.get(Organization, tree.ids[key])

    return _as


@pytest.fixture
def user(tree):
    return tree.users["r1m1s1.admin"]


# --- validation --------------------------------------------------------------------------------

@pytest.mark.backends("sqlite")
def test_a_good_questionnaire_has_no_problems_and_every_message_exists(ctx):
    assert svc.validate(_data()) == []
    assert all(str(message) for message in svc.MESSAGES.values())


@pytest.mark.backends("sqlite")
@pytest.mark.parametrize("change,expected", [
    ({"title": "  "}, ("title", "title_required")),
    ({"title": "А" * 301}, ("title", "title_too_long")),
    ({"audience": []}, ("audience", "audience_required")),
    ({"audience": ["mentee", "parent"]}, ("audience", "bad_audience")),
    ({"purpose": "fun"}, ("purpose", "bad_purpose")),
    ({"questions": []}, ("questions", "no_questions")),
])
def test_template_fields_are_checked(ctx, change, expected):
    data = _data(**change)
    if change.get("questions") == []:
        data.questions = []
    assert expected in _codes(data)


@pytest.mark.backends("sqlite")
@pytest.mark.parametrize("question,expected", [
    (QuestionData(text="", kind="scale"), ("text", "text_required")),
    (QuestionData(text="Я" * 1001, kind="scale"), ("text", "text_too_long")),
    (QuestionData(text="Вопрос", kind="scale", help_text="х" * 1001), ("help_text", "help_too_long")),
    (QuestionData(text="Вопрос", kind="essay"), ("kind", "bad_kind")),
    (QuestionData(text="Вопрос", kind="single", options=["Да"]), ("options", "too_few_options")),
    (QuestionData(text="Вопрос", kind="multiple", options=[" ", ""]), ("options", "too_few_options")),
    (QuestionData(text="Вопрос", kind="single", options=[str(n) for n in range(21)]),
     ("options", "too_many_options")),
    (QuestionData(text="Вопрос", kind="single", options=["Да", "д" * 201]), ("options", "option_too_long")),
    (QuestionData(text="Вопрос", kind="single", options=["Да", "да "]), ("options", "duplicate_options")),
    (QuestionData(text="Вопрос", kind="short_text", options=["Да", "Нет"]), ("options", "options_not_allowed")),
    (QuestionData(text="Вопрос", kind="single", options=["Да", "Нет"], in_index=True),
     ("in_index", "in_index_not_scale")),
])
def test_each_question_is_checked_and_named_by_its_place(ctx, question, expected):
    data = _data()
    data.questions.insert(1, question)
    field, code = expected
    assert _codes(data) == {(svc.question_field(1, field), code)} == {(f"questions.1.{field}", code)}


@pytest.mark.backends("sqlite")
def test_at_most_fifty_questions(ctx):
    fifty = [QuestionData(text=f"Вопрос {n}", kind="scale") for n in range(50)]
    assert svc.validate(_data(questions=fifty)) == []
    assert ("questions", "too_many_questions") in _codes(_data(questions=fifty + fifty[:1]))


def test_bad_input_saves_nothing(as_org, user):
    with as_org("r1m1s1") as school:
        with pytest.raises(TemplateError) as err:
            svc.create_template(school, user, _data(title="", audience=[]))
        db.session.rollback()
    assert {(p.field, p.code) for p in err.value.problems} == {
        ("title", "title_required"), ("audience", "audience_required")}
    assert count_rows(SurveyTemplate) == 0 and count_rows(SurveyQuestion) == 0


# --- create, revise, archive, copy -------------------------------------------------------------

def test_create_keeps_the_order_of_the_questions_and_is_audited(as_org, user):
    with as_org("r1m1s1") as school:
        template = svc.create_template(school, user, _data(audience=["mentor", "mentee", "mentor"]))
        db.session.commit()
        assert (template.version, template.is_current, template.org_id) == (1, True, school.id)
        assert template.audience == ["mentor", "mentee"]
        assert [(q.position, q.kind) for q in template.questions] == [(1, "scale"), (2, "single"), (3, "long_text")]
        assert template.questions[1].options == ["Да", "Нет"] and template.questions[0].in_index
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "survey_template.created"))
        assert event.object_id == str(template.id) and event.org_id == school.id


def test_an_unused_template_is_edited_in_place(as_org, user):
    with as_org("r1m1s1") as school:
        template = svc.create_template(school, user, _data())
        db.session.commit()
        question_ids = [q.id for q in template.questions]
        assert not svc.in_use(template)
        saved = svc.revise_template(template, user, _data(title="Новая", questions=[
            QuestionData(text="Только один вопрос", kind="short_text")]))
        db.session.commit()
        assert saved.id == template.id and saved.version == 1 and saved.title == "Новая"
        assert [(q.id, q.text, q.kind) for q in saved.questions] == [(question_ids[0], "Только один вопрос",
                                                                       "short_text")]
        assert count_rows(SurveyTemplate) == 1 and count_rows(SurveyQuestion) == 1


def test_a_template_in_use_gets_a_new_version_and_the_old_one_is_kept(as_org, user):
    with as_org("r1") as region:
        template = make_template(region.id, "Старое название")
        template.code = "completion"
        make_campaign(region.id, template)
        db.session.commit()
        old_id, family = template.id, template.family
        old_questions = [(q.id, q.position, q.kind, q.text) for q in template.questions]
        assert svc.in_use(template)
        new = svc.revise_template(template, user, _data(title="Новое название"))
        db.session.commit()
        assert new.id != old_id and (new.family, new.version, new.is_current, new.code) == (family, 2, True,
                                                                                            "completion")
        assert [q.text for q in new.questions] == ["Насколько полезны встречи?", "Продолжите ли вы?",
                                                   "Что изменить?"]
        db.session.expire_all()
        old = db.session.get(SurveyTemplate, old_id)
        assert (old.title, old.version, old.is_current) == ("Старое название", 1, False)
        assert [(q.id, q.position, q.kind, q.text) for q in old.questions] == old_questions
        assert [v.version for v in svc.versions_of(old)] == [2, 1]
        with pytest.raises(TemplateError) as err:  # the old version is not edited any more
            svc.revise_template(old, user, _data())
        assert err.value.code == "not_current"


def test_archive_and_restore(as_org, user):
    with as_org("r1m1s1") as school:
        template = svc.create_template(school, user, _data())
        svc.set_archived(template, True, user)
        db.session.commit()
        assert template.status == "archived"
        svc.set_archived(template, False, user)
        db.session.commit()
        assert template.status == "active"
        actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions[-2:] == ["survey_template.archived", "survey_template.restored"]


def test_a_school_copies_a_region_questionnaire_into_a_family_of_its_own(as_org, user):
    with as_org("r1") as region:
        source = make_template(region.id, "Региональная анкета")
        source.code = "completion"
        db.session.commit()
        source_id, source_family = source.id, source.family
    with as_org("r1m1s1") as school:
        source = db.session.get(SurveyTemplate, source_id)
        copy = svc.copy_template(source, school, user)
        db.session.commit()
        assert copy.org_id == school.id and copy.family != source_family and copy.version == 1
        assert copy.code is None and copy.title == "Региональная анкета"
        assert [(q.kind, q.text, q.options, q.in_index) for q in copy.questions] == \
            [(q.kind, q.text, q.options, q.in_index) for q in source.questions]
        svc.revise_template(copy, user, _data(title="Наша анкета"))  # the school manages its copy
        db.session.commit()
    with as_org("r1") as region:
        assert db.session.get(SurveyTemplate, source_id).title == "Региональная анкета"


# --- defaults ----------------------------------------------------------------------------------

def test_defaults_are_made_once_per_region_and_pass_validation(as_org):
    with as_org("r1") as region:
        assert ensure_default_templates(region) == len(DEFAULT_CODES) == 6
        db.session.commit()
        assert ensure_default_templates(region) == 0
        templates = db.session.scalars(sa.select(SurveyTemplate).where(SurveyTemplate.org_id == region.id)).all()
        assert sorted(t.code for t in templates) == sorted(DEFAULT_CODES)
        for template in templates:
            assert svc.validate(svc.data_of(template)) == [], template.code
            assert len(template.family) <= 32 and set(template.audience) <= set(AUDIENCES)
        completion = next(t for t in templates if t.code == "completion")
        assert sum(q.in_index and q.kind == "scale" for q in completion.questions) == 5
        quality = next(t for t in templates if t.code == "programme_quality")
        assert [q.kind for q in quality.questions].count("long_text") == 4 and quality.audience == ["curator"]
    with as_org("r2m1s1") as school:  # any organisation of a region names its ministry
        assert ensure_default_templates(school) == 6
        db.session.commit()
    assert count_rows(SurveyTemplate) == 12


def test_a_concurrent_duplicate_of_a_default_is_dropped(as_org, monkeypatch):
    """The race: the other call inserted between our look and our insert — the unique family
    refuses the second row, the savepoint is rolled back, and the session goes on."""
    with as_org("r1") as region:
        assert ensure_default_templates(region) == 6
        db.session.commit()
        monkeypatch.setattr(survey_defaults, "DEFAULT_CODES", ("nothing",))  # the look finds none
        assert ensure_default_templates(region) == 0
        db.session.commit()
    assert count_rows(SurveyTemplate) == 6


def test_an_edited_default_is_not_made_again(as_org, user):
    with as_org("r1") as region:
        ensure_default_templates(region)
        db.session.commit()
        template = db.session.scalar(sa.select(SurveyTemplate).where(SurveyTemplate.code == "intermediate"))
        make_campaign(region.id, template)
        new = svc.revise_template(template, user, svc.data_of(template))
        db.session.commit()
        assert new.version == 2 and new.code == "intermediate"
        assert ensure_default_templates(region) == 0


# --- visibility --------------------------------------------------------------------------------

def test_a_schools_questionnaire_is_seen_along_its_line_but_not_by_a_sibling_school(as_org, user):
    with as_org("r1m1s1") as school:
        template_id = svc.create_template(school, user, _data(title="Своя анкета школы")).id
        db.session.commit()
    for key, sees in [("r1m1s1", True), ("r1m1", True), ("r1", True), ("r1m1s2", False), ("r1m2", False),
                      ("r1m2s1", False), ("r2", False)]:
        db.session.expunge_all()
        with as_org(key) as org:
            titles = [t.title for t in db.session.scalars(svc.templates_query(org))]
            assert ("Своя анкета школы" in titles) is sees, key
            assert (db.session.get(SurveyTemplate, template_id) is not None) is sees, key


def test_the_owner_filter_and_owner_names(as_org, user):
    with as_org("r1") as region:
        make_template(region.id, "Региональная")
        db.session.commit()
    with as_org("r1m1s1") as school:
        make_template(school.id, "Школьная")
        db.session.commit()
    with as_org("r1m1") as body:
        make_template(body.id, "Муниципальная")
        db.session.commit()

        def titles(owner):
            return [t.title for t in db.session.scalars(svc.templates_query(body, owner=owner))]

        assert titles("mine") == ["Муниципальная"]
        assert titles("above") == ["Региональная"]
        assert titles("below") == ["Школьная"]
        assert sorted(titles("")) == ["Муниципальная", "Региональная", "Школьная"]
        owners = svc.owners_of(db.session.scalars(svc.templates_query(body)).all())
        assert sorted(kind for _, kind in owners.values()) == ["ministry", "municipality", "school"]
