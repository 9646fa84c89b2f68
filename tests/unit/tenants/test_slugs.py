"""Organisations get a stable latin slug for their public pages."""
from __future__ import annotations

import pytest

from core.extensions import db
from tenants.context import unscoped
from tenants.models import Organization
from tenants.roles import OrgKind
from tenants.tree import create_organization

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_slug_from_the_name_and_unique(ctx, tree):
    with unscoped("tests.slugs"):
        parent = db.session.get(Organization, tree.ids["r1m1"])
        first = create_organization(kind=OrgKind.SCHOOL, name="МБОУ «Гимназия № 5»", parent=parent)
        second = create_organization(kind=OrgKind.SCHOOL, name="МБОУ «Гимназия № 5»", parent=parent)
        short = create_organization(kind=OrgKind.SCHOOL, name="Длинное имя", short_name="Лицей Ёлочка", parent=parent)
    assert first.slug == "mbou-gimnaziia-5"
    assert second.slug == f"mbou-gimnaziia-5-{second.id}"
    assert short.slug == "litsei-elochka"


def test_a_regions_slug_is_the_regions_name(ctx):
    with unscoped("tests.slugs"):
        ministry = create_organization(kind=OrgKind.MINISTRY, name="Министерство образования Кировской области",
                                       region_name="Кировская область", parent=None)
    assert ministry.slug == "kirovskaia-oblast"
