from flask import Blueprint

bp = Blueprint("reports", __name__)

from blueprints.reports import report_views, analytical_views  # noqa: E402,F401
