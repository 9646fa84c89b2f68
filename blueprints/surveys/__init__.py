"""Surveys for the staff of every level: questionnaires, campaigns, printed invitation sheets,
results. (The public answer pages are blueprints/survey_public.)"""
from flask import Blueprint

bp = Blueprint("surveys", __name__)

from blueprints.surveys import template_views, campaign_views, sheet_views, results_views  # noqa: E402,F401
