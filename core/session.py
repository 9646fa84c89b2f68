"""The ORM session class, with hooks for the layers above to guard what bypasses events.

``Session.get``, legacy ``Query.get`` and many-to-one lazy loads answer from the identity
map without running a query, and the ``bulk_*`` methods write without a flush, so execution and flush events never
see them. Layers above (the tenant scope) register checks here.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession


class GuardedSession(FlaskSQLAlchemySession):
    # Each check gets the object found; False vetoes it (the caller sees None).
    get_checks: ClassVar[list[Callable[[object], bool]]] = []
    # Each check gets the mapped class of a bulk operation and may raise.
    bulk_checks: ClassVar[list[Callable[[type], None]]] = []

    def _identity_lookup(self, mapper, primary_key_identity, **kwargs):
        # The identity-map lookup behind Session.get, Query.get and many-to-one lazy loads
        # (SQLAlchemy's documented override point). A vetoed object counts as "not in the
        # map", so the caller falls back to a query, which the execution events filter.
        found = super()._identity_lookup(mapper, primary_key_identity, **kwargs)
        if hasattr(found, "_sa_instance_state") and not all(check(found) for check in self.get_checks):
            return None
        return found

    def _check_bulk(self, mapped_class: type) -> None:
        for check in self.bulk_checks:
            check(mapped_class)

    def bulk_save_objects(self, objects, *args, **kwargs):
        objects = list(objects)
        for cls in {type(o) for o in objects}:
            self._check_bulk(cls)
        return super().bulk_save_objects(objects, *args, **kwargs)

    def bulk_insert_mappings(self, mapper, mappings, *args, **kwargs):
        self._check_bulk(getattr(mapper, "class_", mapper))
        return super().bulk_insert_mappings(mapper, mappings, *args, **kwargs)

    def bulk_update_mappings(self, mapper, mappings, *args, **kwargs):
        self._check_bulk(getattr(mapper, "class_", mapper))
        return super().bulk_update_mappings(mapper, mappings, *args, **kwargs)
