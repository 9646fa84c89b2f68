"""The library's objects for the isolation suite, owned by school r1m1s1: a best practice still
a draft (the school's alone) and one submitted to its municipal body (the reviewer's too)."""
from __future__ import annotations

from types import SimpleNamespace

from core.extensions import db
from mentorship.library.models import LibraryItem
from tenants.context import tenant_scope
from tests.unit.library.support import make_practice


def library_world(tree, key: str = "r1m1s1") -> SimpleNamespace:
    draft = make_practice(tree, f"{key}.staff", title="Черновик практики", submit=False)
    submitted = make_practice(tree, f"{key}.staff", title="Практика на рассмотрении")
    with tenant_scope(tree.ids[key], tree.paths[key]):
        version = db.session.get(LibraryItem, draft).versions[0].id
    return SimpleNamespace(draft=draft, submitted=submitted, version=version)
