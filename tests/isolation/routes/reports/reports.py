"""Isolation registry for the reports slice (see __init__.py): the school report of r1m1s1
(submitted, with an attachment) and the municipal report of r1m1 (draft)."""
from tests.isolation.registry import ProtectedRoute

S, M = "r1m1s1", "r1m1"


def _school(o) -> int:
    return o["m"].school_report


def _municipal(o) -> int:
    return o["m"].municipal_report


NARRATIVE = {"work_done": "чужая правка", "problems": "", "best_practices": "", "plans": ""}

ROUTES: list = [
    ProtectedRoute("reports.report_show", "GET", lambda t, o: f"/reports/{_school(o)}", S),
    ProtectedRoute("reports.report_show", "GET", lambda t, o: f"/reports/{_municipal(o)}", M),
    ProtectedRoute("reports.report_edit", "POST", lambda t, o: f"/reports/{_school(o)}/edit", S, form=NARRATIVE),
    ProtectedRoute("reports.report_edit", "POST", lambda t, o: f"/reports/{_municipal(o)}/edit", M, form=NARRATIVE),
    ProtectedRoute("reports.report_attach", "POST", lambda t, o: f"/reports/{_school(o)}/attachments", S),
    ProtectedRoute("reports.report_attach", "POST", lambda t, o: f"/reports/{_municipal(o)}/attachments", M),
    ProtectedRoute("reports.report_attachment", "GET",
                   lambda t, o: f"/reports/{_school(o)}/attachments/{o['m'].attachment}", S),
    ProtectedRoute("reports.report_attachment_delete", "POST",
                   lambda t, o: f"/reports/{_school(o)}/attachments/{o['m'].attachment}/delete", S),
    ProtectedRoute("reports.report_submit", "POST", lambda t, o: f"/reports/{_school(o)}/submit", S),
    ProtectedRoute("reports.report_submit", "POST", lambda t, o: f"/reports/{_municipal(o)}/submit", M),
    ProtectedRoute("reports.report_decide", "POST", lambda t, o: f"/reports/{_school(o)}/decide", S,
                   form={"decision": "accept", "comment": ""}),
    ProtectedRoute("reports.report_decide", "POST", lambda t, o: f"/reports/{_municipal(o)}/decide", M,
                   form={"decision": "return", "comment": "чужой возврат"}),
]
