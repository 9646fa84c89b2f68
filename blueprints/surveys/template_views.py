"""Stub: replaced by the helper that owns this slice."""
from blueprints.surveys import bp
from blueprints.surveys.access import surveys_required


@bp.route("/templates")
@surveys_required
def templates():
    return "templates"
