from flask import Blueprint

bp = Blueprint("school", __name__)

from blueprints.school import (  # noqa: E402,F401
    participant_views, consent_views, bank_views, enterprise_views, import_views,
    programme_views, matching_views, pair_views, order_views,
    plan_views, meeting_views, completion_views, contingent_views, dashboard_views,
)
