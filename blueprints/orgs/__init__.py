"""An organisation's home page, its members and invitations, its audit log, its new child organisations."""
from flask import Blueprint

bp = Blueprint("orgs", __name__, url_prefix="/org")
