"""The methodological library (методическая копилка): documents and best practices published
down the hierarchy, the review of schools' practices, Russian full-text search.

``models`` (``LibraryItem`` and its ``LibraryVersion`` files: RegionWide and Publishable),
``catalogue`` (categories, statuses, accepted files), ``access`` (who sees and does what),
``items`` (making, changing, versions, downloads, publication by a body), ``listing`` (the search
page, an organisation's own materials, the review queue), ``review`` (a school's
practice reviewed by its municipal body), ``search`` (PostgreSQL full-text search in Russian,
a plain fallback on SQLite), ``public`` (what the public pages may show).

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

__all__ = ["access", "catalogue", "items", "listing", "models", "public", "review", "search"]
