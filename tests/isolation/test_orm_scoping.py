"""Automatic tenant isolation at the ORM level, on SQLite and PostgreSQL (DESIGN §4)."""
from __future__ import annotations

import warnings

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import joinedload, selectinload

from core.extensions import db
from tenants.context import TenantScopeError, tenant_scope, unscoped
from tenants.models import Membership, Organization, User
from tenants.scoping import ScopeViolation
from tests.support.models import PrivateNote, SharedDoc

pytestmark = pytest.mark.backends("sqlite", "postgresql")

SCHOOLS = ["r1m1s1", "r1m1s2", "r1m2s1", "r2m1s1"]


@pytest.fixture
def data(ctx, tree):
    """A shared doc and a private note per school, plus a doc owned by municipal body r1m1."""
    ids = {}
    with unscoped("tests.data"):
        for key in SCHOOLS:
            doc = SharedDoc(org_id=tree.ids[key], title=f"doc {key}")
            note = PrivateNote(org_id=tree.ids[key], text=f"note {key}", doc=doc)
            db.session.add_all([doc, note])
            db.session.flush()
            ids[f"doc.{key}"], ids[f"note.{key}"] = doc.id, note.id
        muni_doc = SharedDoc(org_id=tree.ids["r1m1"], title="doc r1m1")
        db.session.add(muni_doc)
        db.session.commit()
        ids["doc.r1m1"] = muni_doc.id
    db.session.remove()
    return ids


def as_org(tree, key):
    return tenant_scope(tree.ids[key], tree.paths[key])


def titles():
    return sorted(db.session.scalars(sa.select(SharedDoc.title)))


def fresh():
    db.session.remove()


# -- reads ----------------------------------------------------------------------------------

def test_select_sees_own_subtree_only(tree, data):
    with as_org(tree, "r1m1s1"):
        assert titles() == ["doc r1m1s1"]
    fresh()
    with as_org(tree, "r1m1"):
        assert titles() == ["doc r1m1", "doc r1m1s1", "doc r1m1s2"]
    fresh()
    with as_org(tree, "r1"):
        assert titles() == ["doc r1m1", "doc r1m1s1", "doc r1m1s2", "doc r1m2s1"]
    fresh()
    with as_org(tree, "r2"):
        assert titles() == ["doc r2m1s1"]
    fresh()
    with as_org(tree, "r2m2"):
        assert titles() == []


def test_owner_only_data_never_reaches_ancestors(tree, data):
    with as_org(tree, "r1m1s1"):
        assert [n.text for n in db.session.scalars(sa.select(PrivateNote))] == ["note r1m1s1"]
    for ancestor in ("r1m1", "r1"):
        fresh()
        with as_org(tree, ancestor):
            assert db.session.scalars(sa.select(PrivateNote)).all() == []
            assert db.session.scalar(sa.select(sa.func.count(PrivateNote.id))) == 0


def test_session_get_returns_none_across_tenants(tree, data):
    with as_org(tree, "r1m1s2"):
        assert db.session.get(SharedDoc, data["doc.r1m1s1"]) is None
        assert db.session.get(PrivateNote, data["note.r1m1s1"]) is None
        assert db.session.get(SharedDoc, data["doc.r1m1s2"]).title == "doc r1m1s2"
    fresh()
    with as_org(tree, "r1m1"):
        assert db.session.get(SharedDoc, data["doc.r1m1s1"]).title == "doc r1m1s1"
        assert db.session.get(PrivateNote, data["note.r1m1s1"]) is None


def test_session_get_does_not_leak_from_the_identity_map(tree, data):
    with unscoped("tests.preload"):
        preloaded = db.session.get(PrivateNote, data["note.r1m1s1"])
        org = db.session.get(Organization, tree.ids["r2"])
    assert preloaded is not None and org is not None
    with as_org(tree, "r1m1s2"):
        assert db.session.get(PrivateNote, data["note.r1m1s1"]) is None
        assert db.session.get(Organization, tree.ids["r2"]) is None
    with as_org(tree, "r1m1s1"):
        assert db.session.get(PrivateNote, data["note.r1m1s1"]) is preloaded


def test_organisations_are_visible_as_a_subtree(tree, data):
    with as_org(tree, "r1m1"):
        names = sorted(db.session.scalars(sa.select(Organization.name)))
        assert names == ["Управление 1.1", "Школа 1.1.1", "Школа 1.1.2"]
        assert db.session.get(Organization, tree.ids["r1"]) is None
        assert db.session.get(Organization, tree.ids["r1m2s1"]) is None


def test_lazy_relationship_is_filtered(tree, data):
    with as_org(tree, "r1m1"):
        doc = db.session.get(SharedDoc, data["doc.r1m1s1"])
        assert doc.notes == []  # the school's personal data stays at the school
    fresh()
    with as_org(tree, "r1m1s1"):
        doc = db.session.get(SharedDoc, data["doc.r1m1s1"])
        assert [n.text for n in doc.notes] == ["note r1m1s1"]


@pytest.mark.parametrize("loader", [selectinload, joinedload], ids=["selectin", "joined"])
def test_eager_relationship_is_filtered(tree, data, loader):
    stmt = sa.select(SharedDoc).options(loader(SharedDoc.notes)).order_by(SharedDoc.id)
    with as_org(tree, "r1m1"):
        docs = db.session.scalars(stmt).unique().all()
        assert len(docs) == 3 and all(d.notes == [] for d in docs)
    fresh()
    with as_org(tree, "r1m1s2"):
        docs = db.session.scalars(stmt).unique().all()
        assert [[n.text for n in d.notes] for d in docs] == [["note r1m1s2"]]


def test_joins_and_pagination_and_counts(tree, data):
    with as_org(tree, "r1m1s1"):
        page = db.paginate(sa.select(SharedDoc).order_by(SharedDoc.id), page=1, per_page=2, error_out=False)
        assert page.total == 1 and [d.title for d in page.items] == ["doc r1m1s1"]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SharedDoc)) == 1
        joined = db.session.scalars(sa.select(PrivateNote.text).join(SharedDoc, PrivateNote.doc_id == SharedDoc.id)).all()
        assert joined == ["note r1m1s1"]
        # An explicit join from a visible doc to other tenants' notes still finds nothing foreign.
        rows = db.session.execute(sa.select(SharedDoc.title, PrivateNote.text).join(PrivateNote, sa.true())).all()
        assert rows == [("doc r1m1s1", "note r1m1s1")]
    fresh()
    with as_org(tree, "r1"):
        assert db.session.scalar(sa.select(sa.func.count(SharedDoc.id))) == 4
        page = db.paginate(sa.select(SharedDoc).order_by(SharedDoc.id), page=2, per_page=3, error_out=False)
        assert page.total == 4 and len(page.items) == 1


def test_members_of_other_tenants_are_invisible(tree, data):
    with as_org(tree, "r1m1s1"):
        emails = sorted(db.session.scalars(sa.select(User.email).join(Membership, Membership.user_id == User.id)))
        assert emails == ["r1m1s1-admin@test.ru", "r1m1s1-staff@test.ru"]


# -- writes ---------------------------------------------------------------------------------

def _all_titles():
    with unscoped("tests.check"):
        return dict(db.session.execute(sa.select(SharedDoc.id, SharedDoc.title)).all())


def test_bulk_update_and_delete_stay_in_scope(tree, data):
    before = _all_titles()
    with as_org(tree, "r1m1s1"):
        result = db.session.execute(sa.update(SharedDoc).values(title="changed"))
        assert result.rowcount == 1
        db.session.commit()
    after = _all_titles()
    assert after[data["doc.r1m1s1"]] == "changed"
    assert {k: v for k, v in after.items() if k != data["doc.r1m1s1"]} == {
        k: v for k, v in before.items() if k != data["doc.r1m1s1"]
    }
    fresh()
    with as_org(tree, "r1m1"):  # owner-only rows of its schools are out of reach even in bulk
        assert db.session.execute(sa.delete(PrivateNote)).rowcount == 0
        db.session.commit()
    fresh()
    with as_org(tree, "r1m1s2"):
        assert db.session.execute(sa.delete(PrivateNote).where(PrivateNote.id > 0)).rowcount == 1
        db.session.commit()
    with unscoped("tests.check"):
        assert db.session.scalar(sa.select(sa.func.count(PrivateNote.id))) == len(SCHOOLS) - 1


def test_insert_into_another_tenant_is_refused(tree, data):
    with as_org(tree, "r1m1s1"):
        db.session.add(SharedDoc(org_id=tree.ids["r1m1s2"], title="intruder"))
        with pytest.raises(ScopeViolation):
            db.session.flush()
        db.session.rollback()
    fresh()
    with as_org(tree, "r1m1"):
        # shared-upward data may be written into the subtree, personal data may not
        db.session.add(SharedDoc(org_id=tree.ids["r1m1s1"], title="from above"))
        db.session.flush()
        db.session.add(PrivateNote(org_id=tree.ids["r1m1s1"], text="from above"))
        with pytest.raises(ScopeViolation):
            db.session.flush()
        db.session.rollback()
    fresh()
    with as_org(tree, "r1m1s1"):
        doc = SharedDoc(title="mine")  # owner defaults to the current organisation
        db.session.add(doc)
        db.session.flush()
        assert (doc.org_id, doc.org_path) == (tree.ids["r1m1s1"], tree.paths["r1m1s1"])
        db.session.rollback()
    assert "intruder" not in _all_titles().values()


def test_moving_a_row_out_of_scope_is_refused(tree, data):
    with as_org(tree, "r1m1s1"):
        doc = db.session.get(SharedDoc, data["doc.r1m1s1"])
        doc.org_id = tree.ids["r2m1s1"]
        with pytest.raises(ScopeViolation):
            db.session.flush()
        db.session.rollback()
    assert _all_titles()[data["doc.r1m1s1"]] == "doc r1m1s1"


def test_no_tenant_raises_instead_of_running_unfiltered(tree, data):
    with pytest.raises(TenantScopeError):
        db.session.scalars(sa.select(SharedDoc)).all()
    with pytest.raises(TenantScopeError):
        db.session.get(PrivateNote, data["note.r1m1s1"])
    with pytest.raises(TenantScopeError):
        db.session.scalars(sa.select(Organization)).all()
    with pytest.raises(TenantScopeError):
        db.session.execute(sa.update(SharedDoc).values(title="x"))
    db.session.rollback()
    db.session.add(SharedDoc(org_id=tree.ids["r1m1s1"], title="no tenant"))
    with pytest.raises(TenantScopeError):
        db.session.flush()
    db.session.rollback()
    # Not tenant-owned: fine without a tenant.
    assert db.session.scalar(sa.select(sa.func.count(User.id))) > 0


def test_unscoped_needs_a_label():
    with pytest.raises(ValueError):
        with unscoped(""):
            pass


# -- the tenant is a bound value: the same statement as A, then as B, binds B's -------------

@pytest.fixture
def captured(ctx):
    statements: list[tuple[str, list]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        values = list(parameters.values()) if isinstance(parameters, dict) else list(parameters or ())
        statements.append((statement, values))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", capture)
    yield statements
    event.remove(engine, "before_cursor_execute", capture)


def _flatten(values):
    out = []
    for v in values:
        out.extend(v) if isinstance(v, (list, tuple)) else out.append(v)
    return out


def _params_of(statements, table):
    return [_flatten(values) for sql, values in statements if table in sql]


def test_bound_tenant_in_select(tree, data, captured):
    stmt = sa.select(SharedDoc).where(SharedDoc.id > 0)
    for key in ("r1m1s1", "r1m2s1"):
        captured.clear()
        with as_org(tree, key):
            assert [d.title for d in db.session.scalars(stmt)] == [f"doc {key}"]
        params = _params_of(captured, "test_shared_docs")
        assert params and tree.paths[key] in str(params[-1])
        other = "r1m2s1" if key == "r1m1s1" else "r1m1s1"
        assert tree.paths[other] not in str(params[-1])
        fresh()


def test_bound_tenant_in_lazy_and_selectin_loads(tree, data, captured):
    for key in ("r1m1s1", "r1m1s2"):
        captured.clear()
        with as_org(tree, key):
            doc = db.session.get(SharedDoc, data[f"doc.{key}"])
            captured.clear()
            assert [n.text for n in doc.notes] == [f"note {key}"]  # lazy load
            lazy = _params_of(captured, "test_private_notes")
        assert lazy and tree.ids[key] in lazy[-1]
        fresh()
        captured.clear()
        with as_org(tree, key):
            docs = db.session.scalars(sa.select(SharedDoc).options(selectinload(SharedDoc.notes))).all()
            assert [n.text for d in docs for n in d.notes] == [f"note {key}"]
            selectin = _params_of(captured, "test_private_notes")
        assert selectin and tree.ids[key] in selectin[-1]
        fresh()


def test_bound_tenant_in_bulk_update_and_delete(tree, data, captured):
    for key in ("r1m1s1", "r1m2s1"):
        captured.clear()
        with as_org(tree, key):
            db.session.execute(sa.update(SharedDoc).values(title=f"bulk {key}"))
            db.session.execute(sa.delete(PrivateNote).where(PrivateNote.text != "keep"))
            db.session.commit()
        updates = [v for sql, v in captured if sql.lstrip().upper().startswith("UPDATE")]
        deletes = [v for sql, v in captured if sql.lstrip().upper().startswith("DELETE")]
        assert updates and tree.paths[key] in str(updates[-1])
        assert deletes and tree.ids[key] in _flatten(deletes[-1])
        fresh()
    titles_now = _all_titles()
    assert titles_now[data["doc.r1m1s1"]] == "bulk r1m1s1"
    assert titles_now[data["doc.r1m2s1"]] == "bulk r1m2s1"
    assert titles_now[data["doc.r1m1s2"]] == "doc r1m1s2"


# -- what the criteria cannot reach is refused, not run unfiltered -------------------------

def test_tenant_tables_outside_orm_entities_are_refused(tree, data):
    with as_org(tree, "r1m1s1"):
        # explicit joins and entities are filtered as usual
        assert len(db.session.scalars(sa.select(User.email).join(Membership, Membership.user_id == User.id)).all()) == 2
        for stmt in (
            sa.select(User.email).where(User.id == Membership.user_id),  # implicit FROM via WHERE
            sa.select(sa.literal_column("test_private_notes.text")).where(PrivateNote.id > 0),
            sa.select(PrivateNote.__table__),  # a Core table
            sa.select(User.id).where(sa.exists().where(Membership.user_id == User.id)),
        ):
            with pytest.raises(ScopeViolation):
                db.session.execute(stmt).all()
        with pytest.raises(ScopeViolation):
            db.session.execute(sa.update(SharedDoc.__table__).values(title="x"))
        db.session.rollback()
    fresh()
    with as_org(tree, "r1m1"):
        # an ancestor cannot even ask whether personal data exists below it
        with pytest.raises(ScopeViolation):
            db.session.scalar(sa.select(sa.exists().where(PrivateNote.text == "note r1m1s1")))
    assert _all_titles()[data["doc.r1m1s1"]] == "doc r1m1s1"


def test_counts_without_a_tenant_raise_rather_than_answer_zero(tree, data):
    with pytest.raises(TenantScopeError):
        db.session.scalar(sa.select(sa.func.count()).select_from(Membership))
    with pytest.raises(TenantScopeError):
        db.session.scalar(sa.select(sa.func.count(SharedDoc.id)))


def test_bulk_writes_are_refused_outside_unscoped(tree, data):
    foreign_note = data["note.r2m1s1"]
    with as_org(tree, "r1m1s1"):
        attempts = [
            lambda: db.session.execute(sa.update(PrivateNote), [{"id": foreign_note, "text": "overwritten"}]),
            lambda: db.session.execute(sa.insert(PrivateNote), [{"org_id": tree.ids["r2m1s1"], "org_path": tree.paths["r2m1s1"], "text": "planted"}]),
            lambda: db.session.execute(sa.insert(SharedDoc).values(org_id=tree.ids["r2m1s1"], org_path=tree.paths["r2m1s1"], title="planted")),
            lambda: db.session.bulk_update_mappings(PrivateNote, [{"id": foreign_note, "text": "overwritten"}]),
            lambda: db.session.bulk_save_objects([SharedDoc(org_id=tree.ids["r1m1s1"], org_path=tree.paths["r1m1s1"], title="b")]),
        ]
        for attempt in attempts:
            with pytest.raises(ScopeViolation):
                attempt()
            db.session.rollback()
    with unscoped("tests.check"):
        texts = db.session.scalars(sa.select(PrivateNote.text).where(PrivateNote.org_id == tree.ids["r2m1s1"])).all()
        assert texts == ["note r2m1s1"]
        # the escape hatch allows them, for reviewed cross-tenant work such as imports
        db.session.execute(sa.update(PrivateNote), [{"id": foreign_note, "text": "migrated"}])
        db.session.commit()
        assert db.session.get(PrivateNote, foreign_note).text == "migrated"


def test_objects_from_another_scope_do_not_leak_through_the_session(tree, data):
    """An object loaded earlier in the same session under a wider scope stays out of reach:
    through Query.get, a many-to-one lazy load, an attribute refresh and a write."""
    with unscoped("tests.setup"):
        # a note of school s1 pointing at school s2's doc (a cross-tenant reference)
        note = PrivateNote(org_id=tree.ids["r1m1s1"], text="cross", doc_id=data["doc.r1m1s2"])
        db.session.add(note)
        db.session.commit()
        note_id = note.id
    fresh()
    with unscoped("tests.preload"):
        foreign_doc = db.session.get(SharedDoc, data["doc.r1m1s2"])
        foreign_note = db.session.get(PrivateNote, data["note.r1m1s2"])
        assert foreign_doc is not None and foreign_note is not None
    with as_org(tree, "r1m1s1"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", sa.exc.LegacyAPIWarning)
            assert PrivateNote.query.get(data["note.r1m1s2"]) is None
        mine = db.session.get(PrivateNote, note_id)
        assert mine.doc is None  # the many-to-one target in the identity map is not handed over
        db.session.expire(foreign_note)
        with pytest.raises(sa.orm.exc.ObjectDeletedError):
            foreign_note.text  # a refresh as s1 fails closed
    db.session.rollback()
    with as_org(tree, "r1m1s1"):
        foreign_doc.title = "written by s1"
        with pytest.raises(ScopeViolation):
            db.session.flush()
        db.session.rollback()
    assert _all_titles()[data["doc.r1m1s2"]] == "doc r1m1s2"


def test_region_wide_data_is_seen_across_the_region_only(tree, data):
    from mentorship.region.models import RegionSettings

    with as_org(tree, "r1"):
        db.session.add(RegionSettings(org_id=tree.ids["r1"], municipal_roadmaps_need_approval=True))
        db.session.commit()
    for key in ("r1", "r1m2", "r1m1s1"):
        fresh()
        with as_org(tree, key):
            assert db.session.scalar(sa.select(sa.func.count(RegionSettings.id))) == 1
    for key in ("r2", "r2m1s1"):
        fresh()
        with as_org(tree, key):
            assert db.session.scalars(sa.select(RegionSettings)).all() == []
    fresh()
    with as_org(tree, "r1m1s1"):  # read across the region, written only from the owner's subtree
        settings = db.session.scalar(sa.select(RegionSettings))
        settings.municipal_roadmaps_need_approval = False
        with pytest.raises(ScopeViolation):
            db.session.flush()
        db.session.rollback()
        db.session.add(RegionSettings(org_id=tree.ids["r1"]))
        with pytest.raises(ScopeViolation):
            db.session.flush()
        db.session.rollback()


def test_lineage_data_is_seen_above_and_below_the_owner_never_beside(tree, data):
    from mentorship.surveys.models import SurveyTemplate

    with as_org(tree, "r1m1"):
        db.session.add(SurveyTemplate(org_id=tree.ids["r1m1"], family="f" * 32, title="municipal"))
        db.session.commit()
    for key in ("r1", "r1m1", "r1m1s1", "r1m1s2"):
        fresh()
        with as_org(tree, key):
            assert db.session.scalars(sa.select(SurveyTemplate.title)).all() == ["municipal"], key
    for key in ("r1m2", "r1m2s1", "r2", "r2m1s1"):
        fresh()
        with as_org(tree, key):
            assert db.session.scalars(sa.select(SurveyTemplate)).all() == [], key
            assert db.session.get(SurveyTemplate, 1) is None
    fresh()
    with as_org(tree, "r1m1s1"):  # seen from below, written only from the owner's subtree
        template = db.session.scalar(sa.select(SurveyTemplate))
        template.title = "changed by a school"
        with pytest.raises(ScopeViolation):
            db.session.flush()
        db.session.rollback()
        db.session.add(SurveyTemplate(org_id=tree.ids["r1m1"], family="e" * 32, title="x"))
        with pytest.raises(ScopeViolation):
            db.session.flush()
        db.session.rollback()
    fresh()
    with as_org(tree, "r1"):  # the ministry above may write it
        template = db.session.scalar(sa.select(SurveyTemplate))
        template.title = "edited above"
        db.session.commit()
