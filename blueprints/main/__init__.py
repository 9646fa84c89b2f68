"""The start page (each level's home), the language switch, the health check."""
from flask import Blueprint

bp = Blueprint("main", __name__)
