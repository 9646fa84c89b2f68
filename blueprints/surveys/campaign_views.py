"""Stub: replaced by the helper that owns this slice."""
from blueprints.surveys import bp
from blueprints.surveys.access import surveys_required


@bp.route("/")
@surveys_required
def campaigns():
    return "campaigns"
