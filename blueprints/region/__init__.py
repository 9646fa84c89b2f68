"""The region's own configuration (ministry only): the catalogue of mentorship forms and the
monitoring calendar (pages under /monitoring, beside the monitoring's configuration)."""
from flask import Blueprint

bp = Blueprint("region", __name__, url_prefix="/monitoring")
