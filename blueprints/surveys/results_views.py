"""Survey results: a campaign's results page and its XLSX export, and the satisfaction trends.

Anyone along the campaign's line (``Lineage``: the owner, the levels above and below it) may
read the results — for *their own* subtree (mentorship/surveys/results.py reads through the
tenant scope): a school its respondents, a municipal body its schools', the ministry all.
A campaign of another line is a 404. Aggregates only; groups below five are not shown.
"""
from __future__ import annotations

from flask import Response, current_app, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.surveys import bp
from blueprints.surveys.access import surveys_required
from blueprints.svg_charts import PALETTE, LineSeries, Series, bar_chart, line_chart
from core.extensions import db
from mentorship.surveys import results as survey_results
from mentorship.surveys.models import MIN_GROUP_SIZE, PURPOSES
from mentorship.surveys.questionnaires import PURPOSE_LABELS
from mentorship.surveys.results import Results
from mentorship.surveys.workbook import export_results
from tenants.access import current_org

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _question_charts(results: Results) -> dict:
    charts = {}
    for q in results.questions:
        if (q.is_scale or q.is_choice) and q.shares:
            charts[q.id] = bar_chart(f"chart-q{q.id}", _("Answers to question %(n)d", n=q.position),
                                     [share.label for share in q.shares],
                                     [Series(_("Answers"), [share.count for share in q.shares])], width=560)
    return charts


@bp.route("/campaigns/<int:campaign_id>/results")
@surveys_required
def campaign_results(campaign_id: int):
    results = survey_results.campaign_results(campaign_id)  # ResultsNotFound: a 404
    return render_template("surveys/results.html", results=results, charts=_question_charts(results),
                           min_group=MIN_GROUP_SIZE,
                           campaign_link="surveys.campaign_show" in current_app.view_functions)


@bp.route("/campaigns/<int:campaign_id>/results.xlsx")
@surveys_required
def campaign_results_xlsx(campaign_id: int):
    results = survey_results.campaign_results(campaign_id)
    data = export_results(results, current_org._get_current_object(), current_user)
    db.session.commit()
    response = Response(data, mimetype=XLSX)
    response.headers["Content-Disposition"] = f"attachment; filename=survey-results-{results.campaign_id}.xlsx"
    return response


@bp.route("/trends")
@surveys_required
def trends():
    purpose = request.args.get("purpose") or None
    if purpose not in PURPOSES:
        purpose = None
    series = survey_results.trends(purpose=purpose)
    charts = {}
    for i, s in enumerate(series):
        labels = [format_date(p.opens_on, "short") for p in s.points]
        charts[s.family] = line_chart(
            f"chart-trend-{i}", _("Satisfaction index: %(title)s", title=s.title), labels,
            [LineSeries(_("Satisfaction index, %"), [p.index for p in s.points], PALETTE[0])], width=560)
    return render_template("surveys/trends.html", series=series, charts=charts, purpose=purpose,
                           purpose_labels=PURPOSE_LABELS, min_group=MIN_GROUP_SIZE)
