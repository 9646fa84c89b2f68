"""A school's people: participants, consents, partner enterprises, imports (under /school)."""
from flask import Blueprint

bp = Blueprint("people", __name__)

from blueprints.people import participant_views, consent_views, enterprise_views, import_views  # noqa: E402,F401
