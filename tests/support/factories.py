"""A small tenant tree for tests: two regions, each 2 municipal bodies × 2 schools, users per role.

Nothing defaults into one organisation: every object is created for an explicit owner.
"""
from __future__ import annotations

from types import SimpleNamespace

from core.extensions import db
from tenants.context import unscoped
from tenants.memberships import grant_membership
from tenants.models import Organization, User
from tenants.passwords import hash_password
from tenants.roles import OrgKind, Role, SchoolType
from tenants.tree import create_organization

PASSWORD = "correct-horse-battery"


def make_user(email: str, name: str | None = None, **fields) -> User:
    user = User(email=email, full_name=name or email.split("@")[0], password_hash=hash_password(PASSWORD), **fields)
    db.session.add(user)
    db.session.flush()
    return user


def make_member(email: str, org: Organization, role: Role) -> User:
    user = make_user(email)
    grant_membership(user, org, role)
    return user


def build_tree() -> SimpleNamespace:
    """Regions r1, r2; municipal bodies r1m1, r1m2, r2m1, r2m2; schools r1m1s1 … r2m2s2.

    Users: ``<org>.admin`` (the admin role of that level) and ``<org>.staff`` (the other
    role), e-mails ``<org>-admin@test.ru`` / ``<org>-staff@test.ru``; a super-admin.
    """
    t = SimpleNamespace(orgs={}, users={})
    staff_role = {
        OrgKind.MINISTRY: (Role.MINISTRY_ADMIN, Role.MINISTRY_ANALYST),
        OrgKind.MUNICIPALITY: (Role.MUNICIPAL_COORDINATOR, Role.MUNICIPAL_SPECIALIST),
        OrgKind.SCHOOL: (Role.SCHOOL_PRINCIPAL, Role.SCHOOL_CURATOR),
    }

    def people(key: str, org: Organization) -> None:
        admin_role, other_role = staff_role[OrgKind(org.kind)]
        t.users[f"{key}.admin"] = make_member(f"{key}-admin@test.ru", org, admin_role)
        t.users[f"{key}.staff"] = make_member(f"{key}-staff@test.ru", org, other_role)

    with unscoped("tests.build_tree"):
        t.users["super"] = make_user("super@test.ru", is_superadmin=True)
        for r in (1, 2):
            region = create_organization(kind=OrgKind.MINISTRY, name=f"Министерство {r}", parent=None, region_name=f"Регион {r}")
            t.orgs[f"r{r}"] = region
            people(f"r{r}", region)
            for m in (1, 2):
                muni = create_organization(kind=OrgKind.MUNICIPALITY, name=f"Управление {r}.{m}", parent=region)
                t.orgs[f"r{r}m{m}"] = muni
                people(f"r{r}m{m}", muni)
                for s in (1, 2):
                    school = create_organization(
                        kind=OrgKind.SCHOOL, name=f"Школа {r}.{m}.{s}", parent=muni, school_type=SchoolType.SCHOOL.value
                    )
                    t.orgs[f"r{r}m{m}s{s}"] = school
                    people(f"r{r}m{m}s{s}", school)
        db.session.commit()
        # Plain ids and paths: tests must not lean on objects bound to this session.
        t.ids = {k: o.id for k, o in t.orgs.items()}
        t.paths = {k: o.path for k, o in t.orgs.items()}
        t.emails = {k: u.email for k, u in t.users.items()}
    return t
