"""Training of mentors and curators (/training): the catalogue of courses and events, a course's
page with its schedule, enrolment, attendance and completion, certificates, and a school's
record of its mentors' trainings."""
from flask import Blueprint

bp = Blueprint("training", __name__, url_prefix="/training")
