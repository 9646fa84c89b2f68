"""``monitoring_world``: region r1's period at 20 December 2026, aggregated and frozen over
what ``school_world`` put in school r1m1s1, with the school's report (submitted, with an
attachment), the municipal body r1m1's consolidated report (draft) and an analytical report
of the region (done), and the region's default forms catalogue and indicators saved as rows
(``form``, ``indicator``: the first of each). Returns ids only."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from core.extensions import db
from mentorship.monitoring.aggregation import aggregate_period
from mentorship.monitoring.indicators import materialise_indicators
from mentorship.region.forms import materialise_forms
from mentorship.reports.models import AnalyticalReport, Report, ReportAttachment, ReportTransition
from tenants.context import unscoped
from tenants.models import Organization
from tests.support.monitoring import make_period

REFERENCE_DATE = date(2026, 12, 20)


def monitoring_world(tree) -> SimpleNamespace:
    period_id = make_period(tree.ids["r1"], REFERENCE_DATE)
    aggregate_period(period_id)
    with unscoped("tests.monitoring_world"):
        school_report = Report(org_id=tree.ids["r1m1s1"], period_id=period_id, kind="school", status="submitted",
                               due_on=date(2027, 1, 10), work_done="Проведены встречи")
        school_report.attachments.append(ReportAttachment(
            org_id=tree.ids["r1m1s1"], filename="otchet.pdf", content_type="application/pdf", size=9,
            data=b"%PDF-1.4\n",
        ))
        school_report.transitions.append(ReportTransition(org_id=tree.ids["r1m1s1"], action="submit",
                                                          from_status="draft", to_status="submitted"))
        municipal_report = Report(org_id=tree.ids["r1m1"], period_id=period_id, kind="municipal", status="draft",
                                  due_on=date(2027, 1, 20))
        analytical = AnalyticalReport(org_id=tree.ids["r1"], period_id=period_id, status="done", total=1, done=1,
                                      docx=b"PK\x03\x04docx", xlsx=b"PK\x03\x04xlsx")
        db.session.add_all([school_report, municipal_report, analytical])
        # The region's configuration saved as rows (the defaults, unchanged): the id routes of
        # the forms catalogue and the indicators need them.
        region = db.session.get(Organization, tree.ids["r1"])
        form, indicator = materialise_forms(region)[0], materialise_indicators(region)[0]
        db.session.commit()
        world = SimpleNamespace(period=period_id, school_report=school_report.id,
                                attachment=school_report.attachments[0].id, municipal_report=municipal_report.id,
                                analytical=analytical.id, form=form.id, indicator=indicator.id)
    return world
