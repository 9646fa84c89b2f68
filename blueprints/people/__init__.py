"""A school's people: participants, consents, partner enterprises, imports (under /school)."""
from flask import Blueprint

bp = Blueprint("people", __name__, url_prefix="/school")
