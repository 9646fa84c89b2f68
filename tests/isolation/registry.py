"""The registry of routes that take an id, for the HTTP isolation suite.

Every URL rule with a path argument must be listed (or in EXEMPT with the reason):
``test_every_id_route_is_registered`` fails otherwise, so a new route cannot slip past the
suite. To add a route: one ``ProtectedRoute`` in its area's module under
tests/isolation/routes/ (collected by convention), naming how to build its URL from the tenant
tree and the objects of ``make_objects``, and which organisation owns it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from core.extensions import db
from tenants.context import unscoped
from tenants.memberships import issue_invitation
from tenants.models import Membership, Organization, User
from tenants.roles import Role
from tests.support.models import PrivateNote, SharedDoc


@dataclass(frozen=True)
class ProtectedRoute:
    endpoint: str
    method: str
    url: Callable[[object, dict], str]
    owner: str  # tree key of the owning organisation
    owner_only: bool = False  # personal data: ancestors are outsiders too
    form: dict = field(default_factory=dict)
    insider: str | None = None  # who gets 200 in the positive control (default: the owner's admin)

    @property
    def id(self) -> str:
        return f"{self.endpoint}:{self.method}"

    @property
    def worlds(self) -> tuple[str, ...]:
        """Which of the costly test worlds its URL needs (see make_objects)."""
        blueprint = self.endpoint.split(".")[0]
        return {"people": ("w",), "pairing": ("w",), "region": ("m",), "monitoring": ("m",), "reports": ("m",),
                "surveys": ("s",), "training": ("t",)}.get(blueprint, ())


def make_objects(tree, worlds=("w", "m")) -> dict:
    """The base objects, plus the school's world ("w") and the monitoring world ("m") when
    asked for (each costs a few hundred inserts, so a route builds only what it points at)."""
    from tests.support.monitoring_world import monitoring_world
    from tests.support.school import school_world
    from tests.support.surveys import survey_world

    objects = _base_objects(tree)
    if "w" in worlds:
        objects["w"] = school_world(tree)
    if "m" in worlds:
        objects["m"] = monitoring_world(tree)
    if "s" in worlds:
        objects["s"] = survey_world(tree)
    if "c" in worlds:  # recognition's contests (tests/support/contests.py)
        from tests.support.contests import contest_world

        objects["c"] = contest_world(tree)
    if "t" in worlds:
        from tests.support.training import training_world

        objects["t"] = training_world(tree)
    if "p" in worlds:  # the public pages' editor (tests/isolation/routes/public/world.py)
        from tests.isolation.routes.public.world import public_world

        objects["p"] = public_world(tree)
    if "e" in worlds:  # the expert bank (tests/isolation/routes/experts/world.py)
        from tests.isolation.routes.experts.world import experts_world

        objects["e"] = experts_world(tree)
    if "l" in worlds:  # the library (tests/isolation/routes/library/world.py)
        from tests.isolation.routes.library.world import library_world

        objects["l"] = library_world(tree)
    if "a" in worlds:  # the announcements (tests/isolation/routes/region/world.py)
        from tests.isolation.routes.region.world import announcement_world

        objects["a"] = announcement_world(tree)
    return objects


def _base_objects(tree) -> dict:
    """Objects the routes point at, all owned inside school r1m1s1 or municipal body r1m1."""
    with unscoped("tests.isolation.objects"):
        doc = SharedDoc(org_id=tree.ids["r1m1s1"], title="shared")
        note = PrivateNote(org_id=tree.ids["r1m1s1"], text="private")
        db.session.add_all([doc, note])
        db.session.flush()
        curator_membership = db.session.scalar(
            sa.select(Membership.id).where(
                Membership.org_id == tree.ids["r1m1s1"], Membership.role == "school_curator"
            )
        )
        invitation = issue_invitation(
            org=db.session.get(Organization, tree.ids["r1m1s1"]), email="pending@test.ru",
            role=Role.SCHOOL_CURATOR, full_name=None, inviter=db.session.get(User, tree.users["r1m1s1.admin"].id),
        )
        roadmap = _school_roadmap(tree)
        db.session.commit()
        stage = roadmap.stages[1]
        activity = stage.activities[0]
        step = roadmap.stages[0]  # a stage without activities, done with evidence of its own
        return {"doc": doc.id, "note": note.id, "curator_membership": curator_membership,
                "invitation": invitation.id, "roadmap": roadmap.id, "stage": stage.id, "activity": activity.id,
                "evidence": activity.evidence[0].id, "step": step.id, "stage_evidence": step.evidence[0].id}


def _school_roadmap(tree):
    from mentorship.roadmaps.builtin import builtin_templates
    from mentorship.roadmaps.editing import create_from_template
    from mentorship.roadmaps.models import ActivityEvidence, StageEvidence

    school = db.session.get(Organization, tree.ids["r1m1s1"])
    user = db.session.get(User, tree.users["r1m1s1.staff"].id)
    roadmap = create_from_template(school, user, builtin_templates()["spb-dou49"], "2023 – 2024 учебный год")
    db.session.flush()
    activity = roadmap.stages[1].activities[0]
    activity.evidence.append(ActivityEvidence(org_id=school.id, filename="prikaz.pdf", content_type="application/pdf",
                                              size=9, data=b"%PDF-1.4\n"))
    roadmap.stages[0].evidence.append(StageEvidence(org_id=school.id, filename="plan.pdf",
                                                    content_type="application/pdf", size=9, data=b"%PDF-1.4\n"))
    db.session.flush()
    return roadmap


S = "r1m1s1"  # the school that owns the objects
M = "r1m1"  # its municipal body

def _collect() -> list[ProtectedRoute]:
    """Every ``ROUTES`` list of the modules under tests/isolation/routes/ (by convention)."""
    import importlib
    import pkgutil

    from tests.isolation import routes

    found = []
    for info in sorted(pkgutil.walk_packages(routes.__path__, prefix="tests.isolation.routes."), key=lambda i: i.name):
        found += getattr(importlib.import_module(info.name), "ROUTES", [])
    return found


ROUTES: list[ProtectedRoute] = _collect()

# Rules with path arguments that are not object ids, and why.
EXEMPT = {
    "static": "static files",
    "auth.reset_password_view": "signed token, tested in tests/web/tenants/test_auth.py",
    "auth.invitation": "signed token, tested in tests/web/tenants/test_auth.py",
    "auth.language": "language code, not an object",
    "survey_public.answer": "public, no tenant: a signed single-use link, tested in tests/web/surveys/test_answers.py",
    # The public «Наставничество» pages: slugs and ids of published rows only, read by an
    # anonymous visitor in the region's PublicScope (drafts, other regions: 404), tested in
    # tests/web/public/test_public_pages.py and test_privacy.py.
    **{f"public.{name}": "public pages, no tenant: published rows only (tests/web/public/)" for name in (
        "region", "org", "news_list", "news_item", "news_picture", "practice", "document", "card_photo",
        "contest_rules", "library_file", "feed_atom", "feed_rss", "sitemap")},
}
