"""Sign-in, sign-out, password reset, invitations, organisation and language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.auth import bp
from blueprints.auth.forms import AcceptInvitationForm, ConfirmForm, LoginForm, ResetPasswordForm, ResetRequestForm
from core.extensions import db, limiter
from core.i18n import LANGUAGE_SESSION_KEY
from core.links import external_url
from core.mail import queue_mail
from tenants.access import switch_membership
from tenants.accounts import (
    authenticate,
    find_user_by_email,
    request_password_reset,
    reset_password,
    sign_out,
    user_for_reset_token,
)
from tenants.memberships import AlreadyMember, accept_invitation, invitation_for_token
from tenants.tokens import TokenError


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _failed_login(response) -> bool:
    # Only failed attempts count toward the limit: a failure re-renders the form (200).
    return request.method == "POST" and response.status_code == 200


def _email_key() -> str:
    return "login-email:" + (request.form.get("email") or "").strip().lower()[:254]


@bp.route("/login", methods=["GET", "POST"])
# Failed attempts per address: the sixth in a minute gets 429. Counting only failures means
# concurrent requests can all pass the check before any is counted, so a hard cap on all
# attempts per address (counted up front) bounds that race, and a per-account limit
# slows guessing one password from many addresses.
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_failed_login)
@limiter.limit(lambda: current_app.config["LOGIN_HARD_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_LIMIT"], methods=["POST"], key_func=_email_key,
               deduct_when=_failed_login)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            lang = session.get(LANGUAGE_SESSION_KEY)
            session.clear()  # no pre-login session state survives (fixation)
            if lang:
                session[LANGUAGE_SESSION_KEY] = lang
            login_user(user)
            return redirect(_safe_next(form.next.data) or url_for("main.index"))
        flash(_("Wrong e-mail or password."), "danger")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    sign_out(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        requested = request_password_reset(form.email.data)
        if requested is not None:
            user, token = requested
            link = external_url("auth.reset_password_view", token=token)
            body = render_template("auth/email/reset.txt", user=user, link=link)
            queue_mail(user.email, _("Password reset — Nastavnik"), body)
            db.session.commit()
        # The same answer whether or not the address is known: no account enumeration.
        flash(_("If the address is registered, a reset link has been sent to it."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password_view(token: str):
    try:
        user_for_reset_token(token)
    except TokenError as error:
        return render_template("auth/link_invalid.html", error=error), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(token, form.password.data)
        except TokenError as error:
            return render_template("auth/link_invalid.html", error=error), 400
        flash(_("Your password has been changed. Sign in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    try:
        invitation = invitation_for_token(token)
    except TokenError as error:
        return render_template("auth/link_invalid.html", error=error), 400
    existing = find_user_by_email(invitation.email)
    if existing is not None:
        if current_user.is_authenticated and current_user.id != existing.id:
            # Signed in as someone else: say so, rather than bounce through the login page.
            return render_template("auth/invitation_wrong_user.html", invitation=invitation), 409
        if not current_user.is_authenticated:
            flash(_("Sign in as %(email)s to accept the invitation.", email=invitation.email), "info")
            return redirect(url_for("auth.login", next=request.path))
        form = ConfirmForm()
    else:
        form = AcceptInvitationForm(full_name=invitation.full_name)
    if form.validate_on_submit():
        # Another MembershipError (a race with another tab) reaches the error page, which says what.
        try:
            membership_id = accept_invitation(
                token,
                password=getattr(form, "password", None) and form.password.data,
                full_name=getattr(form, "full_name", None) and form.full_name.data,
                user=existing,
            )
        except TokenError as error:
            return render_template("auth/link_invalid.html", error=error), 400
        except AlreadyMember:
            db.session.rollback()
            flash(_("You are already a member of this organisation."), "info")
            return redirect(url_for("main.index"))
        if existing is None:
            flash(_("Welcome! Sign in with your e-mail and the new password."), "success")
            return redirect(url_for("auth.login"))
        session["membership_id"] = membership_id
        flash(_("Invitation accepted."), "success")
        return redirect(url_for("main.index"))
    return render_template("auth/invitation.html", form=form, invitation=invitation, existing=existing)


@bp.route("/switch/<int:membership_id>", methods=["POST"])
@login_required
def switch(membership_id: int):
    if not switch_membership(membership_id):
        abort(404)
    return redirect(url_for("main.index"))


@bp.route("/language/<code>", methods=["POST"])
def language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session[LANGUAGE_SESSION_KEY] = code
    return redirect(_safe_next(request.form.get("next")) or url_for("main.index"))
