"""Surveys: the staff's questionnaires, campaigns, printed sheets and results (/surveys), and
the public answer pages reached by a personal link or a printed code (/s, no account)."""
from flask import Blueprint

bp = Blueprint("surveys", __name__)
public_bp = Blueprint("survey_public", __name__)

from blueprints.surveys import (  # noqa: E402,F401
    template_views, campaign_views, sheet_views, results_views, answer_views,
)
