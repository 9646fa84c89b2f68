"""A school's mentorship work: banks, programmes, matching, pairs, orders, plans, meetings,
completion (under /school)."""
from flask import Blueprint

bp = Blueprint("pairing", __name__, url_prefix="/school")
