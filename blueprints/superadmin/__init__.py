"""The super-admin's pages: regions and their ministries."""
from flask import Blueprint

bp = Blueprint("superadmin", __name__, url_prefix="/admin")
