"""The region's own configuration (ministry only): the catalogue of mentorship forms and the
monitoring calendar (pages under /monitoring, beside the monitoring's configuration); and the
announcements sent down the organisation tree and read by every level (/announcements)."""
from flask import Blueprint

bp = Blueprint("region", __name__, url_prefix="/monitoring")
announcements_bp = Blueprint("announcements", __name__, url_prefix="/announcements")
