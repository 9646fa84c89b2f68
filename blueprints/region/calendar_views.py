"""The region's monitoring calendar (ministry only; the admin changes it)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from blueprints.region import bp
from blueprints.region.access import MINISTRY_ROLES, admin_only, can_edit, region
from blueprints.region.forms import CalendarForm
from core.extensions import db
from mentorship.region import calendar as region_calendar
from tenants.access import roles_required


@bp.route("/calendar", methods=["GET", "POST"])
@roles_required(*MINISTRY_ROLES)
def calendar():
    form = CalendarForm() if request.method == "POST" else CalendarForm(data=region_calendar.calendar_values(region()))
    form.time_zone.choices = [SelectChoice(zone, zone) for zone in region_calendar.time_zone_choices()]
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
    return render_template("region/calendar.html", form=form, problems=problems, can_edit=can_edit())
