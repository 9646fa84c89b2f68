"""Stub: replaced by the helper that owns this slice."""
from blueprints.survey_public import bp


@bp.route("/<token>")
def answer(token):
    return "answer"
