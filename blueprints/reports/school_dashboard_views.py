"""The school's dashboard (/school/): cards, and charts of its mentorships by form."""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _

from blueprints.reports import bp
from blueprints.svg_charts import PALETTE, Series, bar_chart
from core.clock import region_today
from mentorship.monitoring.contingent import school_year_label
from mentorship.reports.school_dashboard import Dashboard
from mentorship.reports.school_dashboard import school_dashboard as build_school_dashboard
from tenants.access import current_org, school_required

# Pages of other parts of the school's work, linked from the empty state when they exist.
START_LINKS = ("pairing.programme_new", "people.participant_new", "people.imports")


def _charts(board: Dashboard) -> dict:
    if not board.forms:
        return {}
    labels = [f.name for f in board.forms]
    return {
        "pairs": bar_chart("chart-pairs", _("Active pairs and groups by form"), labels, [
            Series(_("Pairs"), [f.pairs for f in board.forms], PALETTE[0]),
            Series(_("Groups"), [f.groups for f in board.forms], PALETTE[2]),
        ], width=520),
        "people": bar_chart("chart-people", _("Mentors and mentees by form"), labels, [
            Series(_("Mentors"), [f.mentors for f in board.forms], PALETTE[3]),
            Series(_("Mentees"), [f.mentees for f in board.forms], PALETTE[1]),
        ], width=520),
    }


@bp.route("/school/")
@school_required
def school_dashboard():
    board = build_school_dashboard(current_org._get_current_object(), region_today())
    links = {endpoint: endpoint in current_app.view_functions for endpoint in START_LINKS}
    return render_template("reports/school_dashboard.html", board=board, charts=_charts(board), links=links,
                           year_label=school_year_label(board.school_year))
