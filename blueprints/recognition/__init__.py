"""Recognition: contests, awards and their orders, portfolios and the board of honour."""
from flask import Blueprint

bp = Blueprint("recognition", __name__, url_prefix="/recognition")
