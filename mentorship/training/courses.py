"""Courses and events: creating and changing one, its programme document and its schedule of
sessions, and the catalogue each organisation sees.

Anyone who organises work at a level may organise training there (a school's principal or
curator, the municipal body's coordinator or specialist, the ministry's administrator); the
analyst and the expert only read. Only the organiser changes a course; the organisations of its
line (above and below, never a sibling) see it. Every change is audited here; the views commit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.errors import DomainError, Problem
from core.extensions import db
from core.search import contains
from core.uploads import CheckedFile, UploadError, check_upload
from mentorship.region.forms import region_forms
from mentorship.training.models import (
    AUDIENCES,
    COURSE_KINDS,
    FORMATS,
    MAX_CAPACITY,
    MAX_HOURS,
    Course,
    CourseProgramme,
    CourseSession,
)
from tenants import audit
from tenants.context import unscoped
from tenants.models import Membership, Organization
from tenants.roles import Role

ORGANISER_ROLES = frozenset({
    Role.MINISTRY_ADMIN.value, Role.MUNICIPAL_COORDINATOR.value, Role.MUNICIPAL_SPECIALIST.value,
    Role.SCHOOL_PRINCIPAL.value, Role.SCHOOL_CURATOR.value,
})
MAX_PROGRAMME_BYTES = 10 * 1024 * 1024
WHEN = ("current", "past", "all")

KIND_LABELS = {
    "school_of_mentors": _l("School of mentors"),
    "seminar": _l("Seminar"),
    "webinar": _l("Webinar"),
    "course": _l("Further training course"),
    "consultation": _l("Consultation"),
}
FORMAT_LABELS = {"in_person": _l("In person"), "online": _l("Online")}
AUDIENCE_LABELS = {"mentors": _l("Mentors"), "curators": _l("Curators and staff"), "all": _l("Mentors and curators")}
assert set(KIND_LABELS) == set(COURSE_KINDS) and set(FORMAT_LABELS) == set(FORMATS)
assert set(AUDIENCE_LABELS) == set(AUDIENCES)

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class CourseError(DomainError):
    """A course, its programme or a session cannot be saved; each problem names the field."""

    MESSAGES = {
        "title_required": _l("Give the course a title."),
        "bad_choice": _l("An unknown value was chosen."),
        "link_required": _l("An online course needs the link participants follow."),
        "link_bad": _l("The link must be a web address starting with http:// or https://."),
        "hours_range": _l("Hours must be from 1 to %(max)d.", max=MAX_HOURS),
        "capacity_range": _l("The number of places must be from 1 to %(max)d.", max=MAX_CAPACITY),
        "capacity_below_taken": _l("There are already %(taken)d people enrolled: the number of places cannot be "
                                   "smaller."),
        "dates_order": _l("The course cannot end before it starts."),
        "not_organiser": _l("Only the organiser changes the course."),
        "held_on_required": _l("Enter the session's date."),
        "session_outside": _l("The session must fall within the course's dates."),
        "topic_required": _l("Enter the session's topic."),
        "duration_range": _l("A session lasts from 1 to 24 hours."),
        # a programme refused by core.uploads.check_upload
        "empty": _l("The file is empty."),
        "too_large": _l("The file is larger than 10 MB."),
        "type_not_allowed": _l("Only PDF, JPEG, PNG, DOCX and XLSX files are accepted."),
        "name_mismatch": _l("The file's content does not match its name."),
    }


def can_organise(membership: Membership | None) -> bool:
    """Whether this membership may create courses for its organisation."""
    return membership is not None and membership.role in ORGANISER_ROLES


def is_organiser(course: Course, org: Organization) -> bool:
    return course.org_id == org.id


def require_organiser(course: Course, org: Organization) -> None:
    if not is_organiser(course, org):
        raise CourseError("not_organiser")


# ---------------------------------------------------------------------------- a course


@dataclass
class CourseData:
    title: str = ""
    kind: str = "seminar"
    description: str | None = None
    format: str = "in_person"
    place: str | None = None
    link: str | None = None
    hours: int | None = None
    capacity: int | None = None
    audience: str = "mentors"
    form_codes: list[str] = field(default_factory=list)
    starts_on: date | None = None
    ends_on: date | None = None
    enrolment_open: bool = True


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _problems(data: CourseData, org: Organization, taken: int = 0) -> list[tuple[str, str, dict]]:
    problems: list[tuple[str, str, dict]] = []
    if not _clean(data.title):
        problems.append(("title", "title_required", {}))
    for name, allowed in (("kind", COURSE_KINDS), ("format", FORMATS), ("audience", AUDIENCES)):
        if getattr(data, name) not in allowed:
            problems.append((name, "bad_choice", {}))
    if set(data.form_codes) - {f.code for f in region_forms(org.path)}:
        problems.append(("form_codes", "bad_choice", {}))
    link = _clean(data.link)
    if data.format == "online" and not link:
        problems.append(("link", "link_required", {}))
    elif link and not _URL.match(link):
        problems.append(("link", "link_bad", {}))
    if data.hours is None or not 1 <= data.hours <= MAX_HOURS:
        problems.append(("hours", "hours_range", {}))
    if data.capacity is None or not 1 <= data.capacity <= MAX_CAPACITY:
        problems.append(("capacity", "capacity_range", {}))
    elif data.capacity < taken:
        problems.append(("capacity", "capacity_below_taken", {"taken": taken}))
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        problems.append(("ends_on", "dates_order", {}))
    return problems


def _raise(problems: list[tuple[str, str, dict]]) -> None:
    if problems:
        raise CourseError([Problem(code, name, params) for name, code, params in problems])


def _apply(course: Course, data: CourseData, org: Organization) -> None:
    course.title = _clean(data.title) or ""
    course.kind, course.format, course.audience = data.kind, data.format, data.audience
    course.description = _clean(data.description)
    course.place = _clean(data.place)
    course.link = _clean(data.link)
    course.hours, course.capacity = data.hours, data.capacity
    course.form_codes = [f.code for f in region_forms(org.path) if f.code in set(data.form_codes)]
    course.starts_on, course.ends_on = data.starts_on, data.ends_on
    course.enrolment_open = bool(data.enrolment_open)


def create_course(org: Organization, data: CourseData, *, user=None, programme: CheckedFile | None = None) -> Course:
    """A new course organised by ``org`` (with its programme, if given)."""
    _raise(_problems(data, org))
    course = Course(org_id=org.id, title="", kind=data.kind, hours=1, capacity=1,
                    created_by_id=getattr(user, "id", None))
    _apply(course, data, org)
    db.session.add(course)
    db.session.flush()
    if programme is not None:
        attach_programme(course, programme, org=org, user=user)
    audit.record("training.course_created", org=org, obj=course, user=user, details={"title": course.title})
    return course


def update_course(course: Course, data: CourseData, *, org: Organization, user=None,
                  programme: CheckedFile | None = None) -> None:
    require_organiser(course, org)
    _raise(_problems(data, org, taken=course.seats_taken))
    _apply(course, data, org)
    if programme is not None:
        attach_programme(course, programme, org=org, user=user)
    db.session.flush()
    audit.record("training.course_updated", org=org, obj=course, user=user)


def data_of(course: Course) -> CourseData:
    return CourseData(title=course.title, kind=course.kind, description=course.description, format=course.format,
                      place=course.place, link=course.link, hours=course.hours, capacity=course.capacity,
                      audience=course.audience, form_codes=list(course.form_codes or []), starts_on=course.starts_on,
                      ends_on=course.ends_on, enrolment_open=course.enrolment_open)


# ---------------------------------------------------------------------------- the programme


def check_programme(filename: str | None, data: bytes) -> CheckedFile:
    """The uploaded programme checked by content and size (CourseError otherwise)."""
    try:
        return check_upload(filename or "", data, MAX_PROGRAMME_BYTES)
    except UploadError as exc:
        raise CourseError(exc.code, field="programme") from exc


def attach_programme(course: Course, checked: CheckedFile, *, org: Organization, user=None) -> CourseProgramme:
    """Store ``checked`` as the course's programme, replacing the previous one."""
    require_organiser(course, org)
    programme = course.programme
    if programme is None:
        programme = CourseProgramme(org_id=course.org_id, course_id=course.id)
        course.programme = programme
    programme.filename, programme.content_type = checked.filename, checked.content_type
    programme.size, programme.data = len(checked.data), checked.data
    programme.uploaded_by_id = getattr(user, "id", None)
    db.session.flush()
    return programme


# ---------------------------------------------------------------------------- sessions


@dataclass
class SessionData:
    held_on: date | None = None
    starts_at: time | None = None
    duration_hours: int | None = None
    topic: str = ""
    place: str | None = None


def add_session(course: Course, data: SessionData, *, org: Organization, user=None) -> CourseSession:
    """A session of the course's schedule, within the course's dates."""
    require_organiser(course, org)
    problems = []
    if data.held_on is None:
        problems.append(("held_on", "held_on_required", {}))
    elif (course.starts_on and data.held_on < course.starts_on) or (course.ends_on and data.held_on > course.ends_on):
        problems.append(("held_on", "session_outside", {}))
    if not _clean(data.topic):
        problems.append(("topic", "topic_required", {}))
    if data.duration_hours is not None and not 1 <= data.duration_hours <= 24:
        problems.append(("duration_hours", "duration_range", {}))
    _raise(problems)
    session = CourseSession(org_id=course.org_id, course_id=course.id, held_on=data.held_on, starts_at=data.starts_at,
                            duration_hours=data.duration_hours, topic=_clean(data.topic) or "", place=_clean(data.place))
    db.session.add(session)
    db.session.flush()
    audit.record("training.session_added", org=org, obj=course, user=user,
                 details={"session_id": session.id, "held_on": session.held_on.isoformat()})
    return session


def remove_session(course: Course, session: CourseSession, *, org: Organization, user=None) -> None:
    """Take a session off the schedule (its attendance marks go with it)."""
    require_organiser(course, org)
    audit.record("training.session_removed", org=org, obj=course, user=user,
                 details={"session_id": session.id, "held_on": session.held_on.isoformat()})
    db.session.delete(session)
    db.session.flush()


def session_of(course: Course, session_id: int) -> CourseSession | None:
    return db.session.scalar(sa.select(CourseSession).where(CourseSession.id == session_id,
                                                            CourseSession.course_id == course.id))


# ---------------------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class CourseFilters:
    q: str = ""
    kind: str = ""
    when: str = "current"  # current (not ended), past, all
    own: bool = False

    def as_args(self) -> dict:
        return {k: v for k, v in (("q", self.q), ("kind", self.kind),
                                  ("when", self.when if self.when != "current" else ""),
                                  ("own", "y" if self.own else "")) if v}


def courses_query(org: Organization, f: CourseFilters, today: date) -> sa.Select:
    """The courses this organisation sees (its own, those above it and below it), the
    soonest first; past ones the latest first."""
    stmt = sa.select(Course)
    if f.q:
        stmt = stmt.where(sa.or_(contains(Course.title, f.q), contains(Course.description, f.q)))
    if f.kind in COURSE_KINDS:
        stmt = stmt.where(Course.kind == f.kind)
    if f.own:
        stmt = stmt.where(Course.org_id == org.id)
    ended = sa.and_(Course.ends_on.is_not(None), Course.ends_on < today)
    if f.when == "past":
        return stmt.where(ended).order_by(Course.ends_on.desc(), Course.id.desc())
    if f.when != "all":
        stmt = stmt.where(sa.not_(ended))
    return stmt.order_by(Course.starts_on.is_(None), Course.starts_on, Course.id)


def organiser_names(org_ids) -> dict[int, str]:
    """Names of the organisers of courses the scope has shown (the levels above included: an
    organisation's name is not personal data)."""
    ids = sorted({i for i in org_ids if i})
    if not ids:
        return {}
    with unscoped("training.organiser_names"):
        rows = db.session.execute(
            sa.select(Organization.id, sa.func.coalesce(Organization.short_name, Organization.name))
            .where(Organization.id.in_(ids))
        ).all()
    return dict(rows)
