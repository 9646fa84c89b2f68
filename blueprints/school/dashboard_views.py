"""The school's dashboard (/school/): cards, and charts of its mentorships by form."""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _

from blueprints.school import bp
from blueprints.school.access import school_required
from core.clock import region_today
from mentorship.contingent import school_year_label
from mentorship.school_dashboard import Dashboard, school_dashboard
from mentorship.svg_charts import PALETTE, Series, bar_chart
from tenants.access import current_org

# Pages of other parts of the school's work, linked from the empty state when they exist.
START_LINKS = ("school.programme_new", "school.participant_new", "school.imports")


def _charts(board: Dashboard) -> dict:
    if not board.forms:
        return {}
    labels = [f.name for f in board.forms]
    return {
        "pairs": bar_chart("chart-pairs", _("Active pairs and groups by form"), labels, [
            Series(_("Pairs"), [f.pairs for f in board.forms], PALETTE[0]),
            Series(_("Groups"), [f.groups for f in board.forms], PALETTE[2]),
        ]),
        "people": bar_chart("chart-people", _("Mentors and mentees by form"), labels, [
            Series(_("Mentors"), [f.mentors for f in board.forms], PALETTE[3]),
            Series(_("Mentees"), [f.mentees for f in board.forms], PALETTE[1]),
        ]),
    }


@bp.route("/")
@school_required
def dashboard():
    board = school_dashboard(current_org._get_current_object(), region_today())
    links = {endpoint: endpoint in current_app.view_functions for endpoint in START_LINKS}
    return render_template("school/dashboard.html", board=board, charts=_charts(board), links=links,
                           year_label=school_year_label(board.school_year))
