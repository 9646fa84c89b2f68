"""Openness: the public «Наставничество» pages of every organisation (``public``: /p/…, no
account, no session, cacheable; /robots.txt) and their editor for the organisation's admins
(``site``: /site/…)."""
from flask import Blueprint

bp = Blueprint("public", __name__)
site_bp = Blueprint("site", __name__, url_prefix="/site")
