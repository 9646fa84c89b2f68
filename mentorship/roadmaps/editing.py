"""Creating and editing roadmaps: from a template or last year's roadmap (their deadlines
moved into the new period: ``moving``), new versions, side-by-side comparison, due dates,
progress and overdue activities."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from core.errors import DomainError
from core.extensions import db
from mentorship.roadmaps.builtin import RoadmapTemplate, builtin_templates
from mentorship.roadmaps.deadlines import Deadline, DeadlineError, Period, parse_deadline
from mentorship.roadmaps.models import Roadmap, RoadmapActivity, RoadmapStage, RoadmapTransition
from mentorship.roadmaps.moving import anchor_year, move
from tenants import audit
from tenants.context import unscoped
from tenants.models import Organization, User

EDITABLE_FIELDS = ("number", "title", "content", "key_result", "deadline_text", "responsible", "documents")


class RoadmapError(DomainError):
    """A change the roadmap's rules refuse. A deadline or period wording that does not parse
    carries the parser's explanation as ``detail``; a refused evidence file its ``filename``."""

    MESSAGES = {
        "not_allowed": _l("You cannot do this with this roadmap."),
        "not_editable": _l("The roadmap cannot be edited now: it is submitted or approved."),
        "cannot_submit": _l("Only a draft or a returned roadmap can be submitted."),
        "cannot_approve": _l("Only a submitted roadmap can be approved."),
        "cannot_return": _l("Only a submitted roadmap can be returned."),
        "comment_required": _l("Say what to change: a comment on the whole or on activities."),
        "no_reviewer": _l("This roadmap needs no approval from above: its administrator confirms it."),
        "not_approved": _l("Only an approved roadmap can be changed into a new version or executed."),
        "newer_version_exists": _l("A newer version exists: change that one."),
        "title_required": _l("The activity needs a name."),
        "too_many_files": _l("Too many files for one activity."),
        "not_owner": _l("You can only copy your own organisation's roadmap."),
        "unknown_activity": _l("A comment refers to an activity of another roadmap."),
        "bad_period": _l("The period is not understood: %(detail)s"),
        "bad_deadline": _l("The deadline is not understood: %(detail)s"),
        "unconfirmed_deadlines": _l(
            "Some deadlines taken over from the source lie outside the roadmap's period or have already passed. "
            "Change them or keep them as they are, then submit: %(items)s"),
        "not_flagged": _l("This deadline needs no confirmation."),
        "not_a_step": _l("A stage with activities is done when its activities are: mark them instead."),
        # an evidence file refused by core.uploads.check_upload (mentorship/roadmaps/execution.py)
        "empty": _l("%(filename)s: The file is empty."),
        "too_large": _l("%(filename)s: The file is larger than 10 MB."),
        "type_not_allowed": _l("%(filename)s: Only PDF, JPEG, PNG, DOCX and XLSX files are accepted."),
        "name_mismatch": _l("%(filename)s: The file's content does not match its name."),
    }


def parsed_period(period_text: str | None) -> tuple[date, date] | None:
    """The dates a period wording covers («2023 – 2024 учебный год», «2020-2024 годы»), or
    None if it is empty or not a period."""
    if not period_text:
        return None
    try:
        deadline = parse_deadline(period_text)
    except DeadlineError:
        return None
    if deadline.kind == "school_year":
        p = Period.school_year(deadline.data["start_year"])
        return p.start, p.end
    if deadline.kind == "years":
        return date(deadline.data["start_year"], 1, 1), date(deadline.data["end_year"], 12, 31)
    if deadline.kind == "year":
        return date(deadline.data["year"], 1, 1), date(deadline.data["year"], 12, 31)
    return None


def period_of(period_text: str | None, today: date | None = None) -> tuple[date, date]:
    """The dates a period wording covers; the current school year without one."""
    today = today or date.today()
    parsed = parsed_period(period_text)
    if parsed is not None:
        return parsed
    first = today.year if today.month >= 8 else today.year - 1
    p = Period.school_year(first)
    return p.start, p.end


def check_period(period_text: str) -> None:
    """Refuse a period wording that is not a school year, a span of years or a year."""
    try:
        kind = parse_deadline(period_text).kind
    except DeadlineError as exc:
        raise RoadmapError("bad_period", field="period_text", detail=str(exc)) from exc
    if kind not in {"school_year", "years", "year"}:
        raise RoadmapError("bad_period", field="period_text",
                           detail="укажите учебный год («2024 – 2025 учебный год») или годы («2024–2026 годы»)")


def structured_deadline(text: str | None) -> dict | None:
    """The structured form of a deadline wording, or None if empty; DeadlineError if bad."""
    if not text or not text.strip():
        return None
    return parse_deadline(text).as_json()


def _lenient_deadline(text: str | None) -> dict | None:
    try:
        return structured_deadline(text)
    except DeadlineError:
        return None  # kept as wording; the editor asks for a valid one when it is changed


def _item_fields(item) -> dict:
    return {
        "number": item.number, "title": item.title, "content": item.content, "key_result": item.key_result,
        "deadline_text": item.deadline, "deadline": _lenient_deadline(item.deadline),
        "responsible": item.responsible, "documents": list(item.documents),
    }


def _new_roadmap(org: Organization, user: User, *, title: str, period_text: str | None, today: date | None = None,
                 **fields) -> Roadmap:
    start, end = period_of(period_text, today)
    roadmap = Roadmap(org_id=org.id, title=title, period_text=period_text, period_start=start, period_end=end,
                      created_by_id=user.id, status="draft", **fields)
    db.session.add(roadmap)
    return roadmap


def _items(roadmap: Roadmap):
    for stage in roadmap.stages:
        yield stage
        yield from stage.activities


def _template_period(template: RoadmapTemplate) -> tuple[date, date] | None:
    """The period a template's deadlines were written for: a published model roadmap's own
    dates, else its period's wording (None: guessed from the deadlines themselves)."""
    extra = template.extra or {}
    if extra.get("period_start") and extra.get("period_end"):
        return date.fromisoformat(extra["period_start"]), date.fromisoformat(extra["period_end"])
    return parsed_period(template.period)


def take_over_deadlines(roadmap: Roadmap, source_year: int | None, today: date) -> None:
    """Move every deadline of ``roadmap`` (just copied from a plan starting in ``source_year``)
    into its period, flagging what the author must confirm (see ``moving``)."""
    delta = roadmap.period_start.year - source_year if source_year is not None else 0
    target = Period(roadmap.period_start, roadmap.period_end)
    for item in _items(roadmap):
        moved = move(item.deadline_text, item.deadline, delta=delta, target=target, today=today)
        item.deadline_text, item.deadline, item.deadline_flag = moved.text, moved.deadline, moved.flag
        if moved.moved_from:
            item.deadline_moved_from = item.deadline_moved_from or moved.moved_from


def create_from_template(org: Organization, user: User, template: RoadmapTemplate,
                         period_text: str | None = None, today: date | None = None) -> Roadmap:
    """A new draft roadmap for ``org`` copying every stage and activity of ``template``, the
    text around its table, and its deadlines moved into the new roadmap's period."""
    today = today or date.today()
    roadmap = _new_roadmap(org, user, title=template.title, period_text=period_text or template.period, today=today,
                           template_key=template.key, preamble=template.preamble, footnote=template.footnote)
    for s_pos, stage in enumerate(template.stages):
        row = RoadmapStage(org_id=org.id, position=s_pos, **_item_fields(stage))
        roadmap.stages.append(row)
        for a_pos, activity in enumerate(stage.activities):
            row.activities.append(RoadmapActivity(org_id=org.id, roadmap=roadmap, position=a_pos,
                                                  **_item_fields(activity)))
    source_year = anchor_year(_template_period(template), [item.deadline_text for item in _items(roadmap)])
    take_over_deadlines(roadmap, source_year, today)
    _record_creation(roadmap, user, org, f"template:{template.key}")
    return roadmap


def _copy_into(target: Roadmap, source: Roadmap, *, same_plan: bool = False) -> None:
    """Copy stages and activities. ``same_plan`` (a new version): activities keep their origin
    and what was done, so execution continues; a copy for next year starts afresh."""
    target.preamble, target.footnote = source.preamble, source.footnote
    for stage in source.stages:
        extra = {}
        if same_plan:
            extra = {"origin_stage_id": stage.origin_id, "done_at": stage.done_at, "done_by_id": stage.done_by_id,
                     "done_note": stage.done_note, "deadline_moved_from": stage.deadline_moved_from}
        new_stage = RoadmapStage(org_id=target.org_id, position=stage.position,
                                 **{f: getattr(stage, f) for f in EDITABLE_FIELDS}, deadline=stage.deadline, **extra)
        target.stages.append(new_stage)
        for activity in stage.activities:
            extra = {}
            if same_plan:
                extra = {"origin_activity_id": activity.origin_id, "done_at": activity.done_at,
                         "done_by_id": activity.done_by_id, "done_note": activity.done_note,
                         "deadline_moved_from": activity.deadline_moved_from}
            new_stage.activities.append(RoadmapActivity(
                org_id=target.org_id, roadmap=target, position=activity.position,
                **{f: getattr(activity, f) for f in EDITABLE_FIELDS}, deadline=activity.deadline, **extra,
            ))


def carry_execution(approved: Roadmap) -> None:
    """When a later version is approved, what was done under the previous approved version —
    done marks and evidence, including those made while this one was being revised — moves
    to the matching activities, and the previous version stops being executed."""
    # The reviewer (a body above) approves, but evidence is owner-only: moving the owner's
    # files between two versions of the owner's own roadmap is the one cross-scope step here.
    # (Loaded inside the hatch: criteria of a query made outside would follow its lazy loads.)
    with unscoped("roadmaps.carry_execution_to_the_approved_version"):
        previous = db.session.scalar(
            sa.select(Roadmap).where(Roadmap.lineage_id == approved.lineage_id, Roadmap.status == "approved",
                                     Roadmap.version < approved.version, Roadmap.id != approved.id)
            .order_by(Roadmap.version.desc()).limit(1)
        )
        if previous is not None:
            _carry(previous, approved)


def _carry(previous: Roadmap, approved: Roadmap) -> None:
    by_origin = {a.origin_id: a for s in previous.stages for a in s.activities}
    stages_by_origin = {s.origin_id: s for s in previous.stages}
    for stage in approved.stages:
        old_stage = stages_by_origin.get(stage.origin_stage_id) if stage.origin_stage_id else None
        if old_stage is not None:
            if old_stage.done_at and not stage.done_at:
                stage.done_at, stage.done_by_id, stage.done_note = (old_stage.done_at, old_stage.done_by_id,
                                                                    old_stage.done_note)
            for evidence in list(old_stage.evidence):
                evidence.stage = stage
        for activity in stage.activities:
            old = by_origin.get(activity.origin_activity_id) if activity.origin_activity_id else None
            if old is None:
                continue
            if old.done_at and not activity.done_at:
                activity.done_at, activity.done_by_id, activity.done_note = old.done_at, old.done_by_id, old.done_note
            for evidence in list(old.evidence):
                evidence.activity = activity


def is_current_approved(roadmap: Roadmap) -> bool:
    """Whether ``roadmap`` is the approved version being executed (no later approved one)."""
    if roadmap.status != "approved":
        return False
    later = db.session.scalar(
        sa.select(sa.func.count(Roadmap.id)).where(Roadmap.lineage_id == roadmap.lineage_id,
                                                   Roadmap.status == "approved", Roadmap.version > roadmap.version)
    )
    return not later


def create_from_previous(org: Organization, user: User, source: Roadmap, period_text: str | None,
                         today: date | None = None) -> Roadmap:
    """Next year's roadmap from last year's (a new lineage; done marks are not copied; the
    deadlines are moved into the new period)."""
    if source.org_id != org.id:
        raise RoadmapError("not_owner", field="source")
    today = today or date.today()
    roadmap = _new_roadmap(org, user, title=source.title, period_text=period_text, today=today)
    _copy_into(roadmap, source)
    take_over_deadlines(roadmap, source.period_start.year, today)
    _record_creation(roadmap, user, org, f"copy:{source.id}")
    return roadmap


def start_new_version(roadmap: Roadmap, user: User, org: Organization) -> Roadmap:
    """Changing an approved roadmap starts its next version, a draft that needs approval again."""
    if roadmap.status != "approved":
        raise RoadmapError("not_approved")
    latest = db.session.scalar(sa.select(sa.func.max(Roadmap.version)).where(Roadmap.lineage_id == roadmap.lineage_id))
    if latest != roadmap.version:
        raise RoadmapError("newer_version_exists")
    new = Roadmap(org_id=roadmap.org_id, lineage_id=roadmap.lineage_id, version=roadmap.version + 1,
                  previous_id=roadmap.id, title=roadmap.title, period_text=roadmap.period_text,
                  period_start=roadmap.period_start, period_end=roadmap.period_end, status="draft",
                  template_key=roadmap.template_key, created_by_id=user.id, in_force_from=roadmap.in_force_from)
    db.session.add(new)
    _copy_into(new, roadmap, same_plan=True)
    new.transitions.append(RoadmapTransition(org_id=new.org_id, action="new_version", from_status=None,
                                             to_status="draft", by_user_id=user.id, by_org_id=org.id,
                                             comment=f"version {roadmap.version} → {new.version}"))
    return new


def _record_creation(roadmap: Roadmap, user: User, org: Organization, source: str) -> None:
    db.session.flush()
    roadmap.lineage_id = roadmap.id
    roadmap.transitions.append(RoadmapTransition(org_id=roadmap.org_id, action="created", from_status=None,
                                                 to_status="draft", by_user_id=user.id, by_org_id=org.id,
                                                 comment=source))


def require_editable(roadmap: Roadmap) -> None:
    if not roadmap.editable:
        raise RoadmapError("not_editable")


def set_due_on(item: RoadmapStage | RoadmapActivity) -> date | None:
    """The due date the author set by hand beside the wording, if any."""
    if item.deadline and item.deadline.get("override"):
        return date.fromisoformat(item.deadline["date"])
    return None


def _deadline_of(text: str | None, due_on: date | None) -> tuple[str | None, dict | None]:
    """The wording and its structured form; a date set by hand is the due date, the wording
    stays as written (the seed's «Ноябрь 2026 г.» due on 15.11.2026)."""
    try:
        structured = structured_deadline(text)
    except DeadlineError as exc:
        raise RoadmapError("bad_deadline", field="deadline_text", detail=str(exc)) from exc
    if due_on is None:
        return text, structured
    if not text or not text.strip():
        text = f"{due_on:%d.%m.%Y}"
        return text, parse_deadline(text).as_json()
    if structured and structured["kind"] == "date" and structured["date"] == due_on.isoformat():
        return text, structured  # the wording says that very date
    return text, {"kind": "date", "text": text.strip(), "date": due_on.isoformat(), "override": True}


def update_item(item: RoadmapStage | RoadmapActivity, values: dict) -> None:
    """Change a stage's or activity's fields; the deadline wording must parse. ``due_on``
    (a date or None) sets the due date by hand. A changed deadline needs no confirmation
    any more: the author has written it."""
    require_editable(item.roadmap)
    if "deadline_text" in values or "due_on" in values:
        text = values.get("deadline_text", item.deadline_text)
        text, structured = _deadline_of(text or None, values.get("due_on", set_due_on(item)))
        if (text or None) != item.deadline_text or structured != item.deadline:
            item.deadline_flag = item.deadline_moved_from = None
        item.deadline = structured
        values = {**values, "deadline_text": text}
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(item, name, values[name] or ([] if name == "documents" else None))
    if not item.title:
        raise RoadmapError("title_required", field="title")


def add_activity(stage: RoadmapStage, values: dict) -> RoadmapActivity:
    require_editable(stage.roadmap)
    position = max((a.position for a in stage.activities), default=-1) + 1
    activity = RoadmapActivity(org_id=stage.org_id, roadmap=stage.roadmap, position=position, title="—")
    stage.activities.append(activity)
    update_item(activity, values)
    return activity


def delete_activity(activity: RoadmapActivity) -> None:
    require_editable(activity.roadmap)
    db.session.delete(activity)


def load_roadmap(roadmap_id: int, *, lock: bool = False) -> Roadmap | None:
    """A roadmap with its stages, activities, evidence and history in a fixed number of
    queries (no lazy loads per row)."""
    stages = selectinload(Roadmap.stages)
    stmt = sa.select(Roadmap).where(Roadmap.id == roadmap_id)
    if lock:
        stmt = stmt.with_for_update(of=Roadmap)
    return db.session.scalar(
        stmt.options(
            stages.selectinload(RoadmapStage.activities).selectinload(RoadmapActivity.evidence),
            stages.selectinload(RoadmapStage.evidence),
            selectinload(Roadmap.transitions).selectinload(RoadmapTransition.activity_comments),
            selectinload(Roadmap.transitions).joinedload(RoadmapTransition.by_user),
        )
    )


@dataclass
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress(roadmap: Roadmap) -> tuple[Progress, dict[int, Progress]]:
    """Overall and per-stage share of what is marked done: the activities, and each stage
    without activities as one step of its own."""
    per_stage = {
        s.id: Progress(sum(1 for a in s.activities if a.done_at), len(s.activities)) if s.activities
        else Progress(1 if s.done_at else 0, 1)
        for s in roadmap.stages
    }
    total = Progress(sum(p.done for p in per_stage.values()), sum(p.total for p in per_stage.values()))
    return total, per_stage


def _overdue_since(item, period: Period, today: date) -> date | None:
    if item.done_at or not item.deadline:
        return None
    try:
        return Deadline.from_json(item.deadline).overdue_since(period, today)
    except (KeyError, TypeError, ValueError):
        return None


def overdue_activities(roadmap: Roadmap, today: date) -> dict[int, date]:
    """Activities not done whose deadline has passed: id → the date it was due."""
    period = roadmap.period
    out = {}
    for stage in roadmap.stages:
        for activity in stage.activities:
            since = _overdue_since(activity, period, today)
            if since:
                out[activity.id] = since
    return out


def overdue_steps(roadmap: Roadmap, today: date) -> dict[int, date]:
    """Stages without activities, not done, whose deadline has passed: id → the date it was due."""
    period = roadmap.period
    return {s.id: since for s in roadmap.stages if not s.activities
            and (since := _overdue_since(s, period, today))}


@dataclass
class DueDates:
    """The due dates computed from each stage's and activity's deadline, for the page."""

    stages: dict[int, list[date]]
    activities: dict[int, list[date]]


def due_dates(roadmap: Roadmap, today: date) -> DueDates:
    """What each deadline means in dates within the roadmap's period. A draft shows the
    occurrences of a recurring deadline from ``today`` (those before would not count if it
    were approved now); a roadmap in force, from the day it came into force."""
    period = roadmap.period if roadmap.in_force_from else Period(roadmap.period_start, roadmap.period_end, today)
    out = DueDates({}, {})
    for stage in roadmap.stages:
        out.stages[stage.id] = _dates(stage, period)
        for activity in stage.activities:
            out.activities[activity.id] = _dates(activity, period)
    return out


def _dates(item, period: Period) -> list[date]:
    if not item.deadline:
        return []
    try:
        return Deadline.from_json(item.deadline).due_dates(period)
    except (KeyError, TypeError, ValueError):
        return []


def flagged_deadlines(roadmap: Roadmap) -> list[RoadmapStage | RoadmapActivity]:
    """Stages and activities whose taken-over deadline the author must still confirm or change."""
    return [item for item in _items(roadmap) if item.deadline_flag]


def _label(item) -> str:
    name = item.title if len(item.title) <= 60 else item.title[:57].rstrip() + "…"
    return " ".join(part for part in (item.number, f"«{name}»", f"({item.deadline_text})" if item.deadline_text else "")
                    if part)


def require_settled_deadlines(roadmap: Roadmap) -> None:
    """Refuse to submit (or approve) while taken-over deadlines wait for the author, naming them."""
    flagged = flagged_deadlines(roadmap)
    if flagged:
        raise RoadmapError("unconfirmed_deadlines", items="; ".join(_label(item) for item in flagged))


def confirm_deadline(item: RoadmapStage | RoadmapActivity, org: Organization) -> None:
    """The author keeps a flagged deadline as it is (a date outside the period, or already
    passed, on purpose); audited."""
    require_editable(item.roadmap)
    if not item.deadline_flag:
        raise RoadmapError("not_flagged")
    audit.record("roadmap.deadline_confirmed", org=org, obj=item.roadmap,
                 details={"item": _label(item), "flag": item.deadline_flag})
    item.deadline_flag = None
    db.session.flush()


def compare(left: Roadmap, right: Roadmap) -> list[dict]:
    """Rows for a side-by-side view: stages by position; activities by their origin across
    versions (an inserted activity does not shift the rest), else by position."""
    rows = []
    for s_pos in range(max(len(left.stages), len(right.stages))):
        a = left.stages[s_pos] if s_pos < len(left.stages) else None
        b = right.stages[s_pos] if s_pos < len(right.stages) else None
        rows.append(_row("stage", a, b))
        a_acts = list(a.activities) if a else []
        b_acts = list(b.activities) if b else []
        b_by_origin = {x.origin_id: x for x in b_acts}
        matched = set()
        for x in a_acts:
            y = b_by_origin.get(x.origin_id)
            if y is None and not any(z.origin_activity_id for z in b_acts):
                y = b_acts[a_acts.index(x)] if a_acts.index(x) < len(b_acts) else None  # unrelated roadmaps
            if y is not None:
                matched.add(y.id)
            rows.append(_row("activity", x, y))
        rows.extend(_row("activity", None, y) for y in b_acts if y.id not in matched)
    return rows


def _row(kind: str, a, b) -> dict:
    changed = [f for f in EDITABLE_FIELDS if (getattr(a, f, None) if a else None) != (getattr(b, f, None) if b else None)]
    return {"kind": kind, "left": a, "right": b, "changed": changed}


def builtin_template_choices(level: str) -> list[RoadmapTemplate]:
    return [t for t in builtin_templates().values() if t.level == level] + [
        t for t in builtin_templates().values() if t.level != level
    ]


_KEEP = object()


def update_roadmap(roadmap: Roadmap, title: str, period_text: str | None, *, preamble=_KEEP, footnote=_KEEP,
                   today: date | None = None) -> None:
    """Rename a roadmap, change the text around its table or its period while it is
    editable; a new period moves the deadlines into it (as when they were taken over)."""
    require_editable(roadmap)
    if period_text:
        check_period(period_text)
    today = today or date.today()
    old_start = roadmap.period_start
    roadmap.title = title
    roadmap.period_text = period_text
    roadmap.period_start, roadmap.period_end = period_of(period_text, today)
    if preamble is not _KEEP:
        roadmap.preamble = (preamble or "").strip() or None
    if footnote is not _KEEP:
        roadmap.footnote = (footnote or "").strip() or None
    if old_start and roadmap.period_start != old_start:
        take_over_deadlines(roadmap, old_start.year, today)


def add_stage(roadmap: Roadmap, values: dict) -> RoadmapStage:
    require_editable(roadmap)
    position = max((s.position for s in roadmap.stages), default=-1) + 1
    stage = RoadmapStage(org_id=roadmap.org_id, position=position, title="—")
    roadmap.stages.append(stage)
    update_item(stage, values)
    return stage


def delete_stage(stage: RoadmapStage) -> None:
    require_editable(stage.roadmap)
    db.session.delete(stage)


def delete_draft(roadmap: Roadmap, org: Organization) -> None:
    """A draft that was never submitted may be thrown away by its owner ``org`` (nothing was
    agreed on it); audited."""
    if roadmap.status != "draft" or any(t.action != "created" for t in roadmap.transitions):
        raise RoadmapError("not_editable")
    roadmap_id = roadmap.id
    db.session.delete(roadmap)
    audit.record("roadmap.deleted", org=org, details={"roadmap_id": roadmap_id})
    db.session.flush()
