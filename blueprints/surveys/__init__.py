"""Surveys: the staff's questionnaires, campaigns, printed sheets and results (/surveys), and
the public answer pages reached by a personal link or a printed code (/s, no account)."""
from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/surveys")
public_bp = Blueprint("survey_public", __name__, url_prefix="/s")
