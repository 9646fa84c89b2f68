"""Openness: each organisation's public «Наставничество» page — the programme in brief (counts),
published documents, news, best practices, the board of honour, contests and contacts — its
feeds, the region's and the body's directories, and the editor behind them.

The public surface is ``__all__``: the modules other areas and layers may import (checked by
tests/unit/core/test_architecture.py); the others are the area's own."""

from mentorship.public import receivers  # noqa: F401  (connects the area's signal receivers)

__all__ = [
    "documents", "errors", "models", "news", "pages", "practices", "programme", "reading", "sources",
]
