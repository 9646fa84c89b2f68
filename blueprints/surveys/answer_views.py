"""The public survey pages: no account, no tenant, Russian by default (core/i18n.py picks the
language from the session only, never from Accept-Language).

* /s/<token> — the questionnaire of a personal link (signed, single-use, expiring);
* /s/ — "type the code from your sheet" (printed invitations), rate-limited per address;
* /s/done — thanks.

A link that cannot be answered gets its own page: tampered or unknown 404; expired, already
used or cancelled 410 (gone). Nothing is logged about who answered what.
"""
from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from blueprints.surveys import public_bp as bp
from blueprints.surveys.answer_forms import CodeForm
from core.clock import region_today
from core.extensions import db, limiter
from mentorship.surveys.answers import AnswerRefused, resolve_link, submit, validate
from mentorship.surveys.links import make_link_token
from mentorship.surveys.sheets import find_by_code

STATE_STATUS = {"invalid": 404, "expired": 410, "used": 410, "cancelled": 410}
WRONG_CODE_LIMIT = "10 per minute"  # wrong codes per address (a class behind one NAT still gets in)
CODE_HARD_LIMIT = "60 per minute"  # every attempt per address, counted up front


def _private(response):
    """The token is in the URL: never cached, never sent on as a Referer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _refused(state: str):
    response = make_response(render_template("surveys/public/refused.html", state=state), STATE_STATUS[state])
    return _private(response)


@bp.route("/<token>", methods=["GET", "POST"])
def answer(token: str):
    today = region_today()
    link = resolve_link(token, today)
    if not link.ok:
        return _refused(link.state)
    formdata, errors = MultiDict(), {}
    if request.method == "POST":
        formdata = request.form
        values, errors = validate(link, formdata)
        if not errors:
            try:
                submit(link.invitation_id, values, today)
            except AnswerRefused as refused:
                db.session.rollback()
                return _refused(refused.state)
            db.session.commit()
            return _private(redirect(url_for("survey_public.done")))
    response = make_response(render_template("surveys/public/answer.html", link=link, formdata=formdata,
                                             errors=errors), 200)
    return _private(response)


def _wrong_code(response) -> bool:
    # Only wrong codes count toward the per-address limit: a wrong code re-renders the form (200).
    return request.method == "POST" and response.status_code == 200


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(WRONG_CODE_LIMIT, methods=["POST"], deduct_when=_wrong_code)
@limiter.limit(CODE_HARD_LIMIT, methods=["POST"])
def code():
    form = CodeForm()
    wrong = False
    if form.validate_on_submit():
        invitation_id = find_by_code(form.code.data)
        if invitation_id is not None:
            return _private(redirect(url_for("survey_public.answer", token=make_link_token(invitation_id))))
        wrong = True
    response = make_response(render_template("surveys/public/code.html", form=form, wrong=wrong))
    return _private(response)


@bp.route("/done")
def done():
    return _private(make_response(render_template("surveys/public/done.html")))


@bp.errorhandler(429)
def too_many(_error):
    return _private(make_response(render_template("surveys/public/too_many.html"), 429))
