"""The ORM session class, with a hook to veto what ``Session.get`` returns.

``Session.get`` answers from the identity map without running a query, so execution
events never see it. Layers above (the tenant scope) register a visibility check here.
"""
from __future__ import annotations

from typing import Callable, ClassVar

from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession


class CheckedGetSession(FlaskSQLAlchemySession):
    get_checks: ClassVar[list[Callable[[object], bool]]] = []

    def get(self, entity, ident, **kwargs):
        obj = super().get(entity, ident, **kwargs)
        if obj is not None and not all(check(obj) for check in self.get_checks):
            return None
        return obj
