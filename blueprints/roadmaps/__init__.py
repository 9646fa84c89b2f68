"""Roadmaps (дорожные карты): editing, approval, execution with evidence, oversight, exports."""
from flask import Blueprint

bp = Blueprint("roadmaps", __name__, url_prefix="/roadmaps")
