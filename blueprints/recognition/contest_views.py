"""Contests: the list (along the viewer's line), a new draft and its changes, the contest's
page (the organiser's, a school's, or read-only for the others), the announcement, the start of
judging and the rules document.

Views are thin: the rules live in mentorship/recognition/contests*.py (``ContestError`` →
messages beside the fields or flashed). Who sees what: a contest is seen along its organiser's
line once announced (a draft is the organiser's alone — 404 for anyone else); it is run by the
organiser's managers (another organisation: 404; a role that may only read or judge: 403)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import undefer

from blueprints.auth.forms import ConfirmForm
from blueprints.errors import flash_error
from blueprints.pagination import paginate, search_term
from blueprints.recognition import bp
from blueprints.recognition.contest_forms import CRITERIA_ROWS, ContestForm
from core.clock import region_today
from core.errors import DomainError, NotFound
from core.extensions import db
from mentorship.recognition.contests import (
    AGGREGATION_LABELS,
    STATUS_LABELS,
    CriterionInput,
    announce,
    can_manage,
    can_nominate,
    can_organise,
    check_file,
    contests_statement,
    is_juror,
    load_contest,
    org_names,
    save_draft,
    start_judging,
    visible_contest,
)
from mentorship.recognition.contests_jury import progress
from mentorship.recognition.contests_nominations import (
    ENTRY_STATE_LABELS,
    entries_statement,
    nominations_open,
    school_entries,
)
from mentorship.recognition.contests_results import published_results
from mentorship.recognition.models import CONTEST_STATUSES, ContestRules
from tenants.access import current_membership, current_org, membership_required

# -- access --------------------------------------------------------------------------------------


def org():
    return current_org._get_current_object()


def contest_or_404(contest_id: int):
    """The contest as the current organisation sees it (its line; a draft only its own)."""
    try:
        visible_contest(contest_id, org())
    except NotFound:
        abort(404)
    return load_contest(contest_id)


def owned_or_404(contest_id: int):
    """The contest if the current organisation organises it (any role); 404 otherwise."""
    contest = contest_or_404(contest_id)
    if contest.org_id != org().id:
        abort(404)
    return contest


def managed_or_404(contest_id: int):
    """The contest if the current member runs it: 404 for another organisation, 403 for a role
    of the organiser that may only read or judge."""
    contest = owned_or_404(contest_id)
    if not can_manage(contest, current_membership()):
        abort(403)
    return contest


def file_response(data: bytes, content_type: str, filename: str, fallback: str) -> Response:
    response = Response(data, mimetype=content_type)
    response.headers["Content-Disposition"] = (
        f"attachment; filename={fallback}; filename*=UTF-8''{quote(filename, safe='')}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# -- the list ------------------------------------------------------------------------------------

@bp.route("/contests")
@membership_required
def contests():
    status = request.args.get("status", "")
    status = status if status in CONTEST_STATUSES else ""
    search = search_term()
    page = paginate(contests_statement(org(), search, status))
    args = {k: v for k, v in {"q": search, "status": status}.items() if v}
    return render_template("recognition/contest_list.html", page=page, search=search, status=status, args=args,
                           statuses=STATUS_LABELS, owners=org_names(c.org_id for c in page.items),
                           can_organise=can_organise(current_membership()))


# -- a draft -------------------------------------------------------------------------------------

def _criteria_rows(form: ContestForm) -> list[CriterionInput]:
    return [CriterionInput(row.form.title.data or "", row.form.max_score.data) for row in form.criteria]


def _show_errors(form: ContestForm, error: DomainError) -> None:
    """Each problem beside its field; a criterion's beside its row's cell."""
    other = []
    for problem in error.problems:
        parts = (problem.field or "").split("-")
        if len(parts) == 3 and parts[0] == "criteria" and parts[1].isdigit() and int(parts[1]) < len(form.criteria):
            cell = getattr(form.criteria[int(parts[1])].form, parts[2])
            cell.errors = [*cell.errors, error.message_of(problem)]
        else:
            other.append(problem)
    if other:
        form.add_errors(type(error)(other))


def _save(form: ContestForm, contest=None):
    """The draft saved from the form (the view commits), or None with the problems shown."""
    try:
        upload = form.rules.data
        rules = None
        if upload and getattr(upload, "filename", ""):
            rules = check_file(upload.filename, upload.read(), "rules")
        saved = save_draft(org(), contest, title=form.title.data or "", description=form.description.data,
                           nominations=(form.nominations.data or "").splitlines(), criteria=_criteria_rows(form),
                           aggregation=form.aggregation.data, nominations_open_on=form.nominations_open_on.data,
                           nominations_close_on=form.nominations_close_on.data, judging_until=form.judging_until.data,
                           results_on=form.results_on.data, rules=rules, user=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        _show_errors(form, error)
        return None
    return saved


@bp.route("/contests/new", methods=["GET", "POST"])
@membership_required
def contest_new():
    if not can_organise(current_membership()):
        abort(403)
    form = ContestForm()
    if form.validate_on_submit():
        contest = _save(form)
        if contest is not None:
            flash(_("The draft contest is saved. Appoint the jury and announce it when ready."), "success")
            return redirect(url_for("recognition.contest_show", contest_id=contest.id))
    return render_template("recognition/contest_form.html", form=form, contest=None)


@bp.route("/contests/<int:contest_id>/edit", methods=["GET", "POST"])
@membership_required
def contest_edit(contest_id: int):
    contest = managed_or_404(contest_id)
    if contest.status != "draft":
        flash(_("Only a draft contest can be changed."), "warning")
        return redirect(url_for("recognition.contest_show", contest_id=contest.id))
    form = ContestForm(obj=contest if request.method == "GET" else None)
    if request.method == "GET":
        form.rules.data = None
        form.nominations.data = "\n".join(n.title for n in contest.nominations)
        while len(form.criteria) > 0:
            form.criteria.pop_entry()
        for criterion in contest.criteria:
            form.criteria.append_entry({"title": criterion.title, "max_score": criterion.max_score})
        for _extra in range(max(CRITERIA_ROWS - len(contest.criteria), 2)):
            form.criteria.append_entry()
    if form.validate_on_submit():
        if _save(form, contest) is not None:
            flash(_("The draft contest is saved."), "success")
            return redirect(url_for("recognition.contest_show", contest_id=contest_id))
        contest = load_contest(contest_id)
    return render_template("recognition/contest_form.html", form=form, contest=contest)


# -- the contest's page --------------------------------------------------------------------------

@bp.route("/contests/<int:contest_id>")
@membership_required
def contest_show(contest_id: int):
    contest = contest_or_404(contest_id)
    here = org()
    membership = current_membership()
    is_owner = contest.org_id == here.id
    is_school = here.kind == "school"
    context = {
        "contest": contest, "is_owner": is_owner, "is_school": is_school, "statuses": STATUS_LABELS,
        "aggregations": AGGREGATION_LABELS, "entry_states": ENTRY_STATE_LABELS,
        "owner_name": org_names([contest.org_id]).get(contest.org_id, ""), "action_form": ConfirmForm(),
        "can_manage": can_manage(contest, membership), "is_juror": is_owner and is_juror(contest, current_user.id),
        "published": published_results(contest) if contest.status == "published" else [],
    }
    if is_owner:
        entries = db.session.scalars(entries_statement(contest)).all()
        context["entries"] = entries
        context["schools"] = org_names(e.org_id for e in entries)
        context["progress"] = progress(contest) if contest.status == "judging" else []
    elif is_school:
        context["own_entries"] = school_entries(contest, here)
        context["may_nominate"] = can_nominate(membership) and nominations_open(contest, region_today())
    return render_template("recognition/contest_show.html", **context)


@bp.route("/contests/<int:contest_id>/rules")
@membership_required
def contest_rules(contest_id: int):
    contest = contest_or_404(contest_id)
    if contest.rules is None:
        abort(404)
    rules = db.session.get(ContestRules, contest.rules.id, options=[undefer(ContestRules.data)])
    return file_response(rules.data, rules.content_type, rules.filename, f"contest-{contest.id}-rules")


# -- steps ---------------------------------------------------------------------------------------

def step(contest_id: int, action, done: str, then: str = "recognition.contest_show"):
    """Run an organiser's step from a button (CSRF-checked), then go to ``then`` (the contest's
    page by default)."""
    contest = managed_or_404(contest_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action(contest)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    else:
        flash(done, "success")
    return redirect(url_for(then, contest_id=contest_id))


@bp.route("/contests/<int:contest_id>/announce", methods=["POST"])
@membership_required
def contest_announce(contest_id: int):
    return step(contest_id, lambda c: announce(c, org(), today=region_today(), user=current_user),
                _("The contest is announced: the schools are notified and nominations are open."))


@bp.route("/contests/<int:contest_id>/start-judging", methods=["POST"])
@membership_required
def contest_start_judging(contest_id: int):
    return step(contest_id, lambda c: start_judging(c, org(), user=current_user),
                _("Nominations are closed and judging has started: the jurors are notified."))
