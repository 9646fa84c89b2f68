"""List pages: page number from the query string, paginated through the tenant scope."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, request

from core.extensions import db


def paginate(stmt: sa.Select):
    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(stmt, page=max(page, 1), per_page=current_app.config["PAGE_SIZE"], error_out=False)


def search_term() -> str:
    return (request.args.get("q") or "").strip()[:100]
