"""Signing in and out, password reset, accepting an invitation."""
from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")
