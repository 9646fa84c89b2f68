"""The expert bank (kept by the ministry and municipal bodies) and requests for an expert's
help (under /experts).

A member with the ``expert`` role acts for the bank's keeper but is not its staff: outside the
areas an expert works in (their requests, the library, contests they judge, courses they
teach) every page of the keeper is closed to them (403), whatever decorator the view has."""
from flask import Blueprint, abort, redirect, request, url_for

from tenants.access import current_membership
from tenants.roles import Role

bp = Blueprint("experts", __name__, url_prefix="/experts")

EXPERT_BLUEPRINTS = frozenset({"experts", "library", "recognition", "training", "auth", "main", "public",
                               "survey_public"})


@bp.before_app_request
def confine_experts():
    membership = current_membership()
    if membership is None or membership.role != Role.EXPERT.value:
        return None
    if request.endpoint in (None, "static") or request.blueprint in EXPERT_BLUEPRINTS - {"main"}:
        return None
    if request.endpoint == "main.index" or request.endpoint == "orgs.home":
        return redirect(url_for("experts.requests"))
    if request.blueprint == "main":
        return None
    abort(403)
