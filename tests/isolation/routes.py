"""The registry of routes that take an id, for the HTTP isolation suite.

Every URL rule with a path argument must be listed here (or in EXEMPT with the reason):
``test_every_id_route_is_registered`` fails otherwise, so a new route cannot slip past
the suite. To add a route: one ``ProtectedRoute`` naming how to build its URL from the
tenant tree and the objects of ``make_objects``, and which organisation owns it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

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
                "surveys": ("s",)}.get(blueprint, ())


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
        return {"doc": doc.id, "note": note.id, "curator_membership": curator_membership,
                "invitation": invitation.id, "roadmap": roadmap.id, "stage": stage.id, "activity": activity.id,
                "evidence": activity.evidence[0].id}


def _school_roadmap(tree):
    from mentorship.roadmaps.models import ActivityEvidence
    from mentorship.roadmaps.editing import create_from_template
    from mentorship.roadmaps.builtin import builtin_templates

    school = db.session.get(Organization, tree.ids["r1m1s1"])
    user = db.session.get(User, tree.users["r1m1s1.staff"].id)
    roadmap = create_from_template(school, user, builtin_templates()["spb-dou49"], "2023 – 2024 учебный год")
    db.session.flush()
    activity = roadmap.stages[1].activities[0]
    activity.evidence.append(ActivityEvidence(org_id=school.id, filename="prikaz.pdf", content_type="application/pdf",
                                              size=9, data=b"%PDF-1.4\n"))
    db.session.flush()
    return roadmap


S = "r1m1s1"  # the school that owns the objects
M = "r1m1"  # its municipal body

ROUTES: list[ProtectedRoute] = [
    ProtectedRoute("orgs.home", "GET", lambda t, o: f"/org/{t.ids[S]}/", S),
    ProtectedRoute("orgs.members", "GET", lambda t, o: f"/org/{t.ids[S]}/members", S),
    ProtectedRoute("orgs.audit_log", "GET", lambda t, o: f"/org/{t.ids[S]}/audit", S),
    ProtectedRoute("orgs.invite", "GET", lambda t, o: f"/org/{t.ids[S]}/members/invite", S),
    ProtectedRoute(
        "orgs.invite", "POST", lambda t, o: f"/org/{t.ids[S]}/members/invite", S,
        form={"email": "new@test.ru", "role": "school_curator"},
    ),
    ProtectedRoute(
        "orgs.toggle_member", "POST",
        lambda t, o: f"/org/{t.ids[S]}/members/{o['curator_membership']}/active", S,
    ),
    ProtectedRoute(
        "orgs.member_role", "POST",
        lambda t, o: f"/org/{t.ids[S]}/members/{o['curator_membership']}/role", S,
        form={"role": "school_principal"},
    ),
    ProtectedRoute(
        "orgs.revoke", "POST", lambda t, o: f"/org/{t.ids[S]}/invitations/{o['invitation']}/revoke", S,
    ),
    ProtectedRoute("orgs.new_child", "GET", lambda t, o: f"/org/{t.ids[M]}/children/new", M),
    ProtectedRoute(
        "orgs.new_child", "POST", lambda t, o: f"/org/{t.ids[M]}/children/new", M,
        form={"name": "Школа-нарушитель", "school_type": "school"},
    ),
    ProtectedRoute(
        "auth.switch", "POST", lambda t, o: f"/auth/switch/{o['curator_membership']}", S, owner_only=True
    ),
    # Roadmaps (shared upward: the school's municipal body and ministry see them).
    ProtectedRoute("roadmaps.show", "GET", lambda t, o: f"/roadmaps/{o['roadmap']}", S),
    ProtectedRoute("roadmaps.compare_versions", "GET",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/compare?with={o['roadmap']}", S),
    ProtectedRoute("roadmaps.edit_activity", "GET",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/activities/{o['activity']}/edit", S),
    ProtectedRoute("roadmaps.edit_activity", "POST",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/activities/{o['activity']}/edit", S,
                   form={"title": "чужая правка", "deadline_text": "постоянно"}),
    ProtectedRoute("roadmaps.edit_stage", "GET",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/stages/{o['stage']}/edit", S),
    ProtectedRoute("roadmaps.edit_stage", "POST",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/stages/{o['stage']}/edit", S, form={"title": "чужой этап"}),
    ProtectedRoute("roadmaps.new_activity", "GET",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/stages/{o['stage']}/activities/new", S),
    ProtectedRoute("roadmaps.new_activity", "POST",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/stages/{o['stage']}/activities/new", S,
                   form={"title": "чужое мероприятие"}),
    ProtectedRoute("roadmaps.remove_activity", "POST",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/activities/{o['activity']}/delete", S),
    ProtectedRoute("roadmaps.submit", "POST", lambda t, o: f"/roadmaps/{o['roadmap']}/submit", S),
    ProtectedRoute("roadmaps.new_version", "POST", lambda t, o: f"/roadmaps/{o['roadmap']}/new-version", S),
    ProtectedRoute("roadmaps.review", "GET", lambda t, o: f"/roadmaps/{o['roadmap']}/review", S, insider=f"{M}.admin"),
    ProtectedRoute("roadmaps.review", "POST", lambda t, o: f"/roadmaps/{o['roadmap']}/review", S,
                   form={"decision": "approve", "comment": "чужое согласование"}),
    ProtectedRoute("roadmaps.done", "GET",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/activities/{o['activity']}/done", S),
    ProtectedRoute("roadmaps.done", "POST",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/activities/{o['activity']}/done", S, form={"note": "x"}),
    ProtectedRoute("roadmaps.reopen", "POST",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/activities/{o['activity']}/reopen", S),
    # Evidence may hold personal data (consents, individual plans): the owner's alone.
    ProtectedRoute("roadmaps.evidence", "GET",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/evidence/{o['evidence']}", S, owner_only=True),
    ProtectedRoute("roadmaps.publish", "POST", lambda t, o: f"/roadmaps/{o['roadmap']}/publish", S),
    ProtectedRoute("roadmaps.edit_roadmap", "GET", lambda t, o: f"/roadmaps/{o['roadmap']}/edit", S),
    ProtectedRoute("roadmaps.edit_roadmap", "POST", lambda t, o: f"/roadmaps/{o['roadmap']}/edit", S,
                   form={"title": "чужое название"}),
    ProtectedRoute("roadmaps.delete_roadmap", "POST", lambda t, o: f"/roadmaps/{o['roadmap']}/delete", S),
    ProtectedRoute("roadmaps.new_stage", "GET", lambda t, o: f"/roadmaps/{o['roadmap']}/stages/new", S),
    ProtectedRoute("roadmaps.new_stage", "POST", lambda t, o: f"/roadmaps/{o['roadmap']}/stages/new", S,
                   form={"title": "чужой этап"}),
    ProtectedRoute("roadmaps.remove_stage", "POST",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/stages/{o['stage']}/delete", S),
    ProtectedRoute("roadmaps.remove_evidence_file", "POST",
                   lambda t, o: f"/roadmaps/{o['roadmap']}/evidence/{o['evidence']}/delete", S, owner_only=True),
    ProtectedRoute("roadmaps.export", "GET", lambda t, o: f"/roadmaps/{o['roadmap']}/export.xlsx", S),
    ProtectedRoute("roadmaps.oversight", "GET", lambda t, o: f"/roadmaps/oversight/{t.ids[M]}", M),
    # Test-only routes over the test models: one shared-upward, one owner-only.
    ProtectedRoute("testdata.shared_doc", "GET", lambda t, o: f"/test/shared/{o['doc']}", S),
    ProtectedRoute("testdata.rename_shared_doc", "POST", lambda t, o: f"/test/shared/{o['doc']}/rename", S),
    ProtectedRoute("testdata.private_note", "GET", lambda t, o: f"/test/private/{o['note']}", S, owner_only=True),
    ProtectedRoute(
        "testdata.edit_private_note", "POST", lambda t, o: f"/test/private/{o['note']}/edit", S, owner_only=True
    ),
]

# The school's pages (owner-only personal data): one module per slice, over school_world().
from tests.isolation import school_routes  # noqa: E402

ROUTES += school_routes.ROUTES

# Monitoring, reports and dashboards (shared upward), over monitoring_world().
from tests.isolation import monitoring_routes  # noqa: E402

ROUTES += monitoring_routes.ROUTES

# Surveys: templates and campaigns (Lineage), printed sheets, results, over survey_world().
from tests.isolation import surveys_routes  # noqa: E402

ROUTES += surveys_routes.ROUTES

# Rules with path arguments that are not object ids, and why.
EXEMPT = {
    "static": "static files",
    "auth.reset_password_view": "signed token, tested in tests/web/test_auth.py",
    "auth.invitation": "signed token, tested in tests/web/test_auth.py",
    "auth.language": "language code, not an object",
    "survey_public.answer": "public, no tenant: a signed single-use link, tested in tests/web/test_survey_answer.py",
}
