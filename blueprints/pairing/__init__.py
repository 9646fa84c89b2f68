"""A school's mentorship work: banks, programmes, matching, pairs, orders, plans, meetings,
completion (under /school)."""
from flask import Blueprint

bp = Blueprint("pairing", __name__)

from blueprints.pairing import (  # noqa: E402,F401
    bank_views, programme_views, matching_views, pair_views, order_views, plan_views, meeting_views, completion_views,
)
