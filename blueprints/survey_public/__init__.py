"""The public answer pages of surveys: no account, reached by a personal link or a printed code."""
from flask import Blueprint

bp = Blueprint("survey_public", __name__)

from blueprints.survey_public import views  # noqa: E402,F401
