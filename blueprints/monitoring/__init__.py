"""The monitoring: the ministry's configuration and periods (/monitoring), a school's contingent
(/school/contingent). Routes carry their full paths."""
from flask import Blueprint

bp = Blueprint("monitoring", __name__)
