"""The region's monitoring calendar (ministry only; the admin changes it): the reference dates,
each one's report deadlines (with the dates they give for the current and the next period) and
the time zone."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.region import bp
from blueprints.region.access import MINISTRY_ROLES, admin_only, can_edit, region
from blueprints.region.forms import CalendarForm, time_zone_choices
from core.extensions import db
from mentorship.region import calendar as region_calendar
from mentorship.region.settings import settings_for
from tenants.access import roles_required


@bp.route("/calendar", methods=["GET", "POST"])
@roles_required(*MINISTRY_ROLES)
def calendar():
    form = CalendarForm() if request.method == "POST" else CalendarForm(data=region_calendar.calendar_values(region()))
    form.time_zone.choices = time_zone_choices(region_calendar.calendar_values(region())["time_zone"])
    problems = []
    if request.method == "POST":
        admin_only()
        if form.validate_on_submit():
            problems = region_calendar.save_calendar(
                region(), {name: form[name].data for name in region_calendar.CALENDAR_FIELDS})
            if not problems:
                db.session.commit()
                flash(_("The monitoring calendar has been saved."), "success")
                return redirect(url_for("region.calendar"))
            db.session.rollback()
    settings = settings_for(region())
    rounds = region_calendar.calendar_rounds(settings, region_calendar.region_today(settings))
    return render_template("region/calendar.html", form=form, problems=problems, can_edit=can_edit(), rounds=rounds)
