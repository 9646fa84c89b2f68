"""One exception tree for what the domain refuses, each error carrying its message and its
HTTP status (as httpx's ``_exceptions``, Superset's ``commands/exceptions``, Indico's
``core/errors``)::

    DomainError            400  a request the rules refuse (bad input, a rule broken)
    ├── NotFound           404  nothing of that kind for this user (never "not yours")
    └── Conflict           409  the object's state does not allow it (frozen, changed meanwhile)

Every area subclasses these with its own ``MESSAGES`` (code → lazy Russian-translatable text
with ``%(name)s`` parameters). An error holds one or more ``Problem`` — a code, the input
field it is about (a service's parameter name, which the forms mirror; None for the whole
request) and the message's parameters — so a form shows each problem beside its field
(``BaseForm.add_errors``) and anything else shows the messages (``blueprints/errors.py``).
Nobody reads codes to build messages by hand.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l

FALLBACK = _l("The change is not allowed.")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request."""

    code: str
    field: str | None = None
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


class DomainError(Exception):
    """A request the domain refuses. ``DomainError("code", field="x", n=3)`` for one problem,
    ``DomainError([Problem(...), ("field", "code"), ...])`` for several."""

    status: ClassVar[int] = 400
    MESSAGES: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, code: str | Iterable[Problem | tuple[str | None, str]], field: str | None = None,
                 **params: Any):
        if isinstance(code, str):
            problems = [Problem(code, field, params)]
        else:
            problems = [p if isinstance(p, Problem) else Problem(p[1], p[0], params) for p in code]
        if not problems:
            raise ValueError("a DomainError needs at least one problem")
        self.problems: list[Problem] = problems
        super().__init__(", ".join(p.code for p in problems))

    @property
    def code(self) -> str:
        """The first problem's code (tests and logs; views show ``messages``)."""
        return self.problems[0].code

    def message_of(self, problem: Problem) -> str:
        text = self.MESSAGES.get(problem.code, FALLBACK)
        return str(text) % dict(problem.params) if problem.params else str(text)

    @property
    def messages(self) -> list[tuple[str | None, str]]:
        """(field, message) of every problem, in order."""
        return [(p.field, self.message_of(p)) for p in self.problems]

    @property
    def message(self) -> str:
        """Every problem's message in one line."""
        return " ".join(text for _field, text in self.messages)


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409

