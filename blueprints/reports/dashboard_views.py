"""Monitoring dashboards (/monitoring/dashboard): the current organisation's figures against
the region's targets, the trend, the level below with drill-down, XLSX exports.

Every member of the region may read its own level's dashboard (ministry, municipal body,
school); the drill-down takes any organisation at or below the current one — another
organisation's id is a 404 (the organisation tree is scoped). Figures come from the frozen
snapshots (mentorship/reports/dashboards.py): aggregates only, never a person.
"""
from __future__ import annotations

from flask import Response, current_app, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from blueprints.reports import bp
from blueprints.svg_charts import PALETTE, TARGET_COLOUR, LineSeries, Series, bar_chart, line_chart, target_chart
from core.extensions import db
from mentorship.reports.dashboard_export import export_dashboard
from mentorship.reports.dashboards import Dashboard, build_dashboard
from tenants.access import current_org, get_or_404, membership_required
from tenants.models import Organization

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_KINDS = {"school": _l("School reports"), "municipal": _l("Municipal reports")}
REPORT_STATUSES = {"draft": _l("Draft"), "submitted": _l("Submitted"), "returned": _l("Returned"),
                   "accepted": _l("Accepted")}


def _charts(board: Dashboard) -> dict:
    charts: dict = {"trend": {}}
    lines = [line for line in board.indicators if line.figure is not None]
    if lines:
        charts["targets"] = target_chart(
            "chart-targets", _("Indicators against targets, %"), [line.name for line in lines],
            [line.figure.value for line in lines], [line.target for line in lines],
            value_name=_("Value"), target_name=_("Target"), width=760, label_width=320)
    if board.forms_total:
        charts["forms"] = bar_chart("chart-forms", _("Pairs and groups by form"), [f.name for f in board.forms],
                                    [Series(_("Pairs and groups"), [f.count for f in board.forms])], width=520)
    if board.trend_periods:
        dates = [format_date(p.reference_date, "short") for p in board.trend_periods]
        for i, line in enumerate(board.indicators):
            if line.code not in board.trend:
                continue
            series = [LineSeries(board.org_name, [f.value if f else None for f in board.trend[line.code]], PALETTE[0])]
            if board.region_trend:
                series.append(LineSeries(_("Region"), [f.value if f else None for f in board.region_trend[line.code]],
                                         PALETTE[1]))
            if any(t is not None for t in board.trend_targets[line.code]):
                series.append(LineSeries(_("Target"), board.trend_targets[line.code], TARGET_COLOUR, dashed=True))
            charts["trend"][line.code] = line_chart(f"chart-trend-{i}", _("Trend: %(name)s", name=line.name),
                                                    dates, series)
    return charts


def _requested_period() -> int | None:
    return request.args.get("period", type=int)


def _render(org: Organization, drill: bool):
    board = build_dashboard(org, _requested_period())
    return render_template(
        "reports/dashboard_show.html", board=board, charts=_charts(board), drill=drill,
        report_kinds=REPORT_KINDS, report_statuses=REPORT_STATUSES,
        reports_link="reports.index" in current_app.view_functions,
    )


def _export(org: Organization) -> Response:
    board, data = export_dashboard(org, current_org._get_current_object(), _requested_period(),
                                   kind_labels={k: str(v) for k, v in REPORT_KINDS.items()},
                                   status_labels={k: str(v) for k, v in REPORT_STATUSES.items()})
    db.session.commit()
    stamp = board.period.reference_date.isoformat() if board.period else "none"
    response = Response(data, mimetype=XLSX)
    response.headers["Content-Disposition"] = f"attachment; filename=dashboard-{org.id}-{stamp}.xlsx"
    return response


@bp.route("/monitoring/dashboard")
@membership_required
def dashboard():
    return _render(current_org._get_current_object(), drill=False)


@bp.route("/monitoring/dashboard/orgs/<int:org_id>")
@membership_required
def dashboard_org(org_id: int):
    org = get_or_404(Organization, org_id)
    return _render(org, drill=org.id != current_org.id)


@bp.route("/monitoring/dashboard.xlsx")
@membership_required
def dashboard_xlsx():
    return _export(current_org._get_current_object())


@bp.route("/monitoring/dashboard/orgs/<int:org_id>.xlsx")
@membership_required
def dashboard_org_xlsx(org_id: int):
    return _export(get_or_404(Organization, org_id))
