"""Organisation kinds and the roles a membership can hold in each."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class OrgKind(str, enum.Enum):
    MINISTRY = "ministry"
    MUNICIPALITY = "municipality"
    SCHOOL = "school"


class SchoolType(str, enum.Enum):
    SCHOOL = "school"
    COLLEGE = "college"
    KINDERGARTEN = "kindergarten"


class Role(str, enum.Enum):
    MINISTRY_ADMIN = "ministry_admin"
    MINISTRY_ANALYST = "ministry_analyst"
    MUNICIPAL_COORDINATOR = "municipal_coordinator"
    MUNICIPAL_SPECIALIST = "municipal_specialist"
    SCHOOL_PRINCIPAL = "school_principal"
    SCHOOL_CURATOR = "school_curator"
    EXPERT = "expert"  # an expert of the expert bank with an account, a member of the bank's keeper


# The parent kind each kind requires (None: a root).
PARENT_KIND: dict[OrgKind, OrgKind | None] = {
    OrgKind.MINISTRY: None,
    OrgKind.MUNICIPALITY: OrgKind.MINISTRY,
    OrgKind.SCHOOL: OrgKind.MUNICIPALITY,
}

CHILD_KIND: dict[OrgKind, OrgKind | None] = {
    OrgKind.MINISTRY: OrgKind.MUNICIPALITY,
    OrgKind.MUNICIPALITY: OrgKind.SCHOOL,
    OrgKind.SCHOOL: None,
}

ROLES_BY_KIND: dict[OrgKind, tuple[Role, ...]] = {
    OrgKind.MINISTRY: (Role.MINISTRY_ADMIN, Role.MINISTRY_ANALYST, Role.EXPERT),
    OrgKind.MUNICIPALITY: (Role.MUNICIPAL_COORDINATOR, Role.MUNICIPAL_SPECIALIST, Role.EXPERT),
    OrgKind.SCHOOL: (Role.SCHOOL_PRINCIPAL, Role.SCHOOL_CURATOR),
}

# The role that administers an organisation of each kind (manages members, invites).
ADMIN_ROLE: dict[OrgKind, Role] = {
    OrgKind.MINISTRY: Role.MINISTRY_ADMIN,
    OrgKind.MUNICIPALITY: Role.MUNICIPAL_COORDINATOR,
    OrgKind.SCHOOL: Role.SCHOOL_PRINCIPAL,
}

ADMIN_ROLES = frozenset(ADMIN_ROLE.values())

KIND_LABELS = {
    OrgKind.MINISTRY: _l("Ministry"),
    OrgKind.MUNICIPALITY: _l("Municipal body"),
    OrgKind.SCHOOL: _l("Educational organisation"),
}

SCHOOL_TYPE_LABELS = {
    SchoolType.SCHOOL: _l("School"),
    SchoolType.COLLEGE: _l("College"),
    SchoolType.KINDERGARTEN: _l("Kindergarten"),
}

ROLE_LABELS = {
    Role.MINISTRY_ADMIN: _l("Ministry administrator"),
    Role.MINISTRY_ANALYST: _l("Ministry analyst"),
    Role.MUNICIPAL_COORDINATOR: _l("Municipal coordinator"),
    Role.MUNICIPAL_SPECIALIST: _l("Municipal specialist"),
    Role.SCHOOL_PRINCIPAL: _l("Principal"),
    Role.SCHOOL_CURATOR: _l("Mentorship curator"),
    Role.EXPERT: _l("Expert"),
}


def kind_of_role(role: Role) -> OrgKind:
    """The kind of organisation a role belongs to; the expert's (held at a ministry or a
    municipal body, wherever the expert bank is kept) is the first, the ministry."""
    for kind, roles in ROLES_BY_KIND.items():
        if role in roles:
            return kind
    raise ValueError(role)
