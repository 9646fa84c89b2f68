"""The municipal registry of mentors (/registry): the mentors who consented to it across the
body's (or the region's) schools, its XLSX export, mentees as counts, the training of mentors
by school."""
from flask import Blueprint

bp = Blueprint("registry", __name__, url_prefix="/registry")
