"""Reports up the hierarchy and the analytical report (/reports), the monitoring dashboards
(/monitoring/dashboard) and a school's dashboard (/school/). Routes carry their full paths."""
from flask import Blueprint

bp = Blueprint("reports", __name__)
