"""Search in Russian: full-text with stemming on PostgreSQL (inflected forms find each other,
«ё» and «е» too, the user's query syntax, ranking), a plain fallback on SQLite; the filters."""
from __future__ import annotations

import pytest

from core.extensions import db
from mentorship.library import items
from mentorship.library.listing import LibraryFilters, search_query
from mentorship.library.models import LibraryItem
from mentorship.library.search import fold, rough_stem
from tenants.context import tenant_scope
from tenants.models import Organization
from tests.unit.library.support import acting_as, make_item


def _found(tree, query: str = "", org_key: str = "r1m1s1", **filters) -> list[str]:
    with tenant_scope(tree.ids[org_key], tree.paths[org_key]):
        org = db.session.get(Organization, tree.ids[org_key])
        titles = [i.title for i in db.session.scalars(search_query(org, LibraryFilters(search=query, **filters)))]
        db.session.rollback()
        return titles


@pytest.fixture
def library(ctx, tree):
    make_item(tree, "r1m1.admin", title="Положение о наставнике", category="regulation",
              description="Права и обязанности наставника образовательной организации", forms=("teacher_teacher",))
    make_item(tree, "r1m1.admin", title="Дорожная карта внедрения наставничества", category="template",
              description="Типовая дорожная карта", forms=("teacher_pupil",), keywords="внедрение, целевая модель")
    make_item(tree, "r1.admin", title="Ёлка наставников", category="presentation",
              description="Новогодний фестиваль практик")
    make_item(tree, "r1.admin", title="Анкета удовлетворённости", category="template",
              description="Для оценки программ наставничества", keywords="опрос")
    return tree


def test_fold_turns_yo_into_ye():
    assert fold("Ёлка и ёж") == "Елка и еж" and fold(None) == ""


@pytest.mark.parametrize("word,stem", [
    ("наставники", "наставник"), ("наставников", "наставник"), ("наставничества", "наставничеств"),
    ("рекомендацию", "рекомендац"), ("дорожные", "дорожн"), ("елки", "елк"), ("кот", "кот"), ("100", "100"),
])
def test_the_fallbacks_rough_stem(word, stem):
    assert rough_stem(word) == stem


@pytest.mark.backends("postgresql")
def test_inflected_forms_find_each_other_on_postgresql(library):
    assert set(_found(library, "наставники")) == {"Положение о наставнике", "Ёлка наставников"}
    assert set(_found(library, "наставничества")) == {"Дорожная карта внедрения наставничества",
                                                        "Анкета удовлетворённости"}
    assert _found(library, "наставничество")[0] == "Дорожная карта внедрения наставничества"  # the title first
    assert _found(library, "елка") == ["Ёлка наставников"]
    assert _found(library, "ёлки") == ["Ёлка наставников"]
    assert _found(library, "удовлетворенность") == ["Анкета удовлетворённости"]
    assert _found(library, "обязанностей наставника") == ["Положение о наставнике"]
    assert _found(library, "дорожные карты") == ["Дорожная карта внедрения наставничества"]


@pytest.mark.backends("postgresql")
def test_the_users_query_syntax_on_postgresql(library):
    assert set(_found(library, "наставник -положение")) == {"Ёлка наставников"}
    assert set(_found(library, "опрос or фестиваль")) == {"Анкета удовлетворённости", "Ёлка наставников"}
    assert _found(library, '"целевая модель"') == ["Дорожная карта внедрения наставничества"]
    assert _found(library, "и или но") == []  # stop words only: nothing, and no error
    assert _found(library, "'; drop table library_items; --") == []


@pytest.mark.backends("sqlite")
def test_the_plain_fallback_on_sqlite(library):
    assert set(_found(library, "наставник")) == {"Положение о наставнике", "Ёлка наставников"}
    assert set(_found(library, "наставники")) == {"Положение о наставнике", "Ёлка наставников"}
    assert set(_found(library, "наставничества")) == {"Дорожная карта внедрения наставничества",
                                                        "Анкета удовлетворённости"}
    assert _found(library, "елка") == ["Ёлка наставников"]
    assert _found(library, "ёлки") == ["Ёлка наставников"]
    assert _found(library, "ЁЛКА") == ["Ёлка наставников"]
    assert _found(library, "дорожная типовая") == ["Дорожная карта внедрения наставничества"]
    assert _found(library, "100%_") == []


@pytest.mark.backends("sqlite", "postgresql")
def test_filters_and_what_the_organisation_may_read(library):
    assert set(_found(library, category="template")) == {"Дорожная карта внедрения наставничества",
                                                         "Анкета удовлетворённости"}
    assert _found(library, form="teacher_pupil") == ["Дорожная карта внедрения наставничества"]
    assert _found(library, "целевая") == ["Дорожная карта внедрения наставничества"]  # keywords are searched
    # «учитель – учитель», «учитель – ученик»: the forms' names from the region's catalogue are searched too
    assert set(_found(library, "учитель")) == {"Положение о наставнике", "Дорожная карта внедрения наставничества"}
    # another municipality's schools read the ministry's items, not r1m1's
    assert set(_found(library, org_key="r1m2s1")) == {"Ёлка наставников", "Анкета удовлетворённости"}


@pytest.mark.backends("sqlite", "postgresql")
def test_an_edit_reindexes_the_item(library):
    with acting_as(library, "r1m1.admin") as (membership, _user):
        item = db.session.scalar(db.select(LibraryItem).where(LibraryItem.title == "Положение о наставнике"))
        items.update_item(membership, item, items.ItemData(category="regulation", title="Положение о куратор",
                                                           description="Права куратора"))
        db.session.commit()
    assert _found(library, "куратор") == ["Положение о куратор"]
    assert _found(library, "обязанности") == []
