"""Demo data: the seeds' geography and one login per role and level. Idempotent."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from core.extensions import db
from tenants.accounts import set_password
from tenants.context import unscoped
from tenants.memberships import grant_membership
from tenants.models import Organization, User
from tenants.roles import OrgKind, Role, SchoolType
from tenants.tree import create_organization

DEMO_PASSWORD = "nastavnik-demo"

# (region, ministry, [(municipal body, [(school, type, [(email, name, role)])], [(email, name, role)])], [logins])
GEOGRAPHY = [
    (
        "Кировская область",
        "Министерство образования Кировской области",
        [
            (
                "Управление образования администрации города Кирова",
                "г. Киров",
                [
                    ("МБОУ СОШ с УИОП № 9 г. Кирова", SchoolType.SCHOOL, [
                        ("school9.principal@kirov.demo", "Иванова Анна Петровна", Role.SCHOOL_PRINCIPAL),
                        ("school9.curator@kirov.demo", "Смирнова Ольга Викторовна", Role.SCHOOL_CURATOR),
                    ]),
                ],
                [
                    ("uo.coordinator@kirov.demo", "Кузнецов Игорь Сергеевич", Role.MUNICIPAL_COORDINATOR),
                    ("uo.specialist@kirov.demo", "Попова Марина Андреевна", Role.MUNICIPAL_SPECIALIST),
                ],
            ),
        ],
        [
            ("minobr.admin@kirov.demo", "Соколов Дмитрий Олегович", Role.MINISTRY_ADMIN),
            ("minobr.analyst@kirov.demo", "Лебедева Елена Николаевна", Role.MINISTRY_ANALYST),
        ],
    ),
    (
        "Донецкая Народная Республика",
        "Министерство образования и науки Донецкой Народной Республики",
        [
            (
                "Управление образования администрации Ленинского района г. Донецка",
                "Ленинский район г. Донецка",
                [
                    ("МБОУ «Школа № 12 г. Донецка»", SchoolType.SCHOOL, [
                        ("school12.curator@donetsk.demo", "Коваленко Светлана Ивановна", Role.SCHOOL_CURATOR),
                    ]),
                ],
                [("rmk.coordinator@donetsk.demo", "Шевченко Наталья Юрьевна", Role.MUNICIPAL_COORDINATOR)],
            ),
        ],
        [("minobr.admin@dnr.demo", "Бондаренко Алексей Викторович", Role.MINISTRY_ADMIN)],
    ),
    (
        "Хабаровский край",
        "Министерство образования и науки Хабаровского края",
        [
            (
                "Управление образования администрации г. Хабаровска (МАУ ЦРО)",
                "г. Хабаровск",
                [
                    ("МАОУ «Средняя школа № 1» г. Хабаровска", SchoolType.SCHOOL, [
                        ("school1.curator@khabarovsk.demo", "Ким Татьяна Владимировна", Role.SCHOOL_CURATOR),
                    ]),
                ],
                [("cro.coordinator@khabarovsk.demo", "Морозова Ирина Павловна", Role.MUNICIPAL_COORDINATOR)],
            ),
        ],
        [("minobr.admin@khabarovsk.demo", "Волков Сергей Андреевич", Role.MINISTRY_ADMIN)],
    ),
    (
        "Санкт-Петербург",
        "Комитет по образованию Санкт-Петербурга",
        [
            (
                "Отдел образования администрации Приморского района Санкт-Петербурга",
                "Приморский район",
                [
                    ("ГБДОУ детский сад № 49 Приморского района Санкт-Петербурга", SchoolType.KINDERGARTEN, [
                        ("dou49.principal@spb.demo", "Ермолова Людмила Васильевна", Role.SCHOOL_PRINCIPAL),
                        ("dou49.curator@spb.demo", "Никитина Юлия Сергеевна", Role.SCHOOL_CURATOR),
                    ]),
                ],
                [("primorsky.coordinator@spb.demo", "Орлов Павел Игоревич", Role.MUNICIPAL_COORDINATOR)],
            ),
        ],
        [("komobr.admin@spb.demo", "Федорова Анастасия Михайловна", Role.MINISTRY_ADMIN)],
    ),
]

SUPERADMIN = ("admin@nastavnik.demo", "Администратор сервиса")


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    organization: str


def _org(kind: OrgKind, name: str, parent: Organization | None, **fields) -> Organization:
    parent_clause = Organization.parent_id.is_(None) if parent is None else Organization.parent_id == parent.id
    org = db.session.scalar(sa.select(Organization).where(Organization.name == name, parent_clause))
    return org or create_organization(kind=kind, name=name, parent=parent, **fields)


def _user(email: str, name: str, *, superadmin: bool = False) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, full_name=name, is_superadmin=superadmin)
        set_password(user, DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user


def load_demo() -> list[DemoLogin]:
    """Create (or find) the demo organisations and users; return the demo logins."""
    logins: list[DemoLogin] = []
    with unscoped("demo.load"):
        _user(*SUPERADMIN, superadmin=True)
        logins.append(DemoLogin(SUPERADMIN[0], "super-admin", "—"))
        for region, ministry_name, municipalities, ministry_people in GEOGRAPHY:
            ministry = _org(OrgKind.MINISTRY, ministry_name, None, region_name=region)
            for email, name, role in ministry_people:
                grant_membership(_user(email, name), ministry, role)
                logins.append(DemoLogin(email, role.value, ministry.name))
            for muni_name, muni_short, schools, muni_people in municipalities:
                muni = _org(OrgKind.MUNICIPALITY, muni_name, ministry, short_name=muni_short, region_name=region)
                for email, name, role in muni_people:
                    grant_membership(_user(email, name), muni, role)
                    logins.append(DemoLogin(email, role.value, muni.name))
                for school_name, school_type, school_people in schools:
                    school = _org(OrgKind.SCHOOL, school_name, muni, school_type=school_type.value, region_name=region)
                    for email, name, role in school_people:
                        grant_membership(_user(email, name), school, role)
                        logins.append(DemoLogin(email, role.value, school.name))
        db.session.commit()
    return logins
