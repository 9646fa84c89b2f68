"""Built-in roadmap templates: the five seed roadmaps as structured data (seed_roadmaps/*.yaml).

See seed_roadmaps/FORMAT.md for the file format. Templates are read-only data; a roadmap
created from one copies its stages and activities.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "seed_roadmaps"
LEVELS = ("region", "municipality", "school")
COLUMNS = ("stage", "activity", "content", "key_result", "deadline", "responsible", "documents")
TEXT_FIELDS = ("content", "key_result", "deadline", "responsible")


class TemplateError(ValueError):
    """A template file does not follow FORMAT.md; the message names the file and the place.

    Not a ``core.errors.DomainError``: the templates are data shipped with the code (or a
    snapshot the code itself published), so a bad one is a fault to fix, not a request the
    domain refuses — it must fail loudly, never be shown to a user as a message."""


@dataclass(frozen=True)
class TemplateActivity:
    title: str
    number: str | None = None
    content: str | None = None
    key_result: str | None = None
    deadline: str | None = None
    responsible: str | None = None
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateStage(TemplateActivity):
    activities: tuple[TemplateActivity, ...] = ()


@dataclass(frozen=True)
class RoadmapTemplate:
    key: str
    source: str
    level: str
    title: str
    columns: tuple[str, ...]
    stages: tuple[TemplateStage, ...]
    organization: str | None = None
    period: str | None = None
    preamble: str | None = None
    footnote: str | None = None  # a note under the table («* Органы, участвующие … по согласованию.»)
    extra: dict = field(default_factory=dict)

    @property
    def activity_count(self) -> int:
        return sum(len(stage.activities) for stage in self.stages)


def _text(value, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, int, float)):
        raise TemplateError(f"{where}: expected text, got {type(value).__name__}")
    text = str(value).strip()
    return text or None


def _item(raw: dict, where: str, cls, **extra):
    if not isinstance(raw, dict):
        raise TemplateError(f"{where}: expected a mapping")
    allowed = {"number", "title", "documents", *TEXT_FIELDS} | set(extra)
    unknown = set(raw) - allowed
    if unknown:
        raise TemplateError(f"{where}: unknown fields {sorted(unknown)}")
    title = _text(raw.get("title"), f"{where}.title")
    if not title:
        raise TemplateError(f"{where}: a title is required")
    documents = raw.get("documents") or []
    if isinstance(documents, str):
        documents = [documents]
    return cls(
        title=title,
        number=_text(raw.get("number"), f"{where}.number"),
        documents=tuple(d for d in (_text(doc, f"{where}.documents") for doc in documents) if d),
        **{name: _text(raw.get(name), f"{where}.{name}") for name in TEXT_FIELDS},
        **extra,
    )


def parse_template(raw: dict, origin: str = "template") -> RoadmapTemplate:
    if not isinstance(raw, dict):
        raise TemplateError(f"{origin}: expected a mapping at the top")
    for required in ("key", "source", "level", "title", "columns", "stages"):
        if not raw.get(required):
            raise TemplateError(f"{origin}: '{required}' is required")
    if raw["level"] not in LEVELS:
        raise TemplateError(f"{origin}: level must be one of {LEVELS}")
    columns = tuple(raw["columns"])
    if set(columns) - set(COLUMNS):
        raise TemplateError(f"{origin}: unknown columns {sorted(set(columns) - set(COLUMNS))}")
    stages = []
    for i, raw_stage in enumerate(raw["stages"], 1):
        where = f"{origin}: stage {i}"
        activities = tuple(
            _item(raw_activity, f"{where}, activity {j}", TemplateActivity)
            for j, raw_activity in enumerate(raw_stage.get("activities") or [], 1)
        )
        stage_fields = {k: v for k, v in raw_stage.items() if k != "activities"}
        stages.append(_item(stage_fields, where, TemplateStage, activities=activities))
    known = {"key", "source", "level", "title", "columns", "stages", "organization", "period", "preamble", "footnote"}
    return RoadmapTemplate(
        key=raw["key"], source=raw["source"], level=raw["level"], title=_text(raw["title"], origin),
        columns=columns, stages=tuple(stages), organization=_text(raw.get("organization"), origin),
        period=_text(raw.get("period"), origin), preamble=_text(raw.get("preamble"), origin),
        footnote=_text(raw.get("footnote"), origin),
        extra={k: v for k, v in raw.items() if k not in known},
    )


@cache
def builtin_templates() -> dict[str, RoadmapTemplate]:
    """All built-in templates by key, read once."""
    templates = {}
    for path in sorted(DATA_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            template = parse_template(yaml.safe_load(handle), origin=path.name)
        if template.key in templates:
            raise TemplateError(f"{path.name}: duplicate key {template.key}")
        templates[template.key] = template
    return templates
