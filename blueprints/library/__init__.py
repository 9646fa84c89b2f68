"""The methodological library (методическая копилка) under /library: search, materials,
versions and downloads, the review of schools' best practices."""
from flask import Blueprint

bp = Blueprint("library", __name__, url_prefix="/library")
