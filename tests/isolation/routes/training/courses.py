"""Isolation registry for training (see tests/isolation/registry.py): a school's own «Школа
наставников» is seen along its line — by its body and ministry above — never by a sibling
school; enrolments, attendance and certificates belong to the school and are seen upward."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"

ROUTES: list = [
    ProtectedRoute("training.course_show", "GET", lambda t, o: f"/training/{o['t'].course}", S),
    ProtectedRoute("training.course_edit", "GET", lambda t, o: f"/training/{o['t'].course}/edit", S),
    ProtectedRoute("training.course_edit", "POST", lambda t, o: f"/training/{o['t'].course}/edit", S,
                   form={"title": "чужой курс", "kind": "seminar", "format": "in_person", "hours": "8",
                         "capacity": "5", "audience": "mentors"}),
    ProtectedRoute("training.course_programme", "GET", lambda t, o: f"/training/{o['t'].course}/programme", S),
    ProtectedRoute("training.session_add", "POST", lambda t, o: f"/training/{o['t'].course}/sessions", S,
                   form={"held_on": "2026-10-10", "topic": "чужое занятие"}),
    ProtectedRoute("training.session_delete", "POST",
                   lambda t, o: f"/training/{o['t'].course}/sessions/{o['t'].session}/delete", S),
    ProtectedRoute("training.session_attendance", "GET",
                   lambda t, o: f"/training/{o['t'].course}/sessions/{o['t'].session}/attendance", S),
    ProtectedRoute("training.session_attendance", "POST",
                   lambda t, o: f"/training/{o['t'].course}/sessions/{o['t'].session}/attendance", S,
                   form={"present": []}),
    ProtectedRoute("training.enrol_mentor", "POST", lambda t, o: f"/training/{o['t'].course}/enrol-mentor", S,
                   form={"person": "1"}),
    ProtectedRoute("training.enrol_staff", "POST", lambda t, o: f"/training/{o['t'].course}/enrol-staff", S,
                   form={"email": "r1m1s2-staff@test.ru"}),
    ProtectedRoute("training.enrolment_cancel", "POST",
                   lambda t, o: f"/training/enrolments/{o['t'].enrolment}/cancel", S),
    ProtectedRoute("training.enrolment_complete", "GET",
                   lambda t, o: f"/training/enrolments/{o['t'].enrolment}/complete", S),
    ProtectedRoute("training.enrolment_complete", "POST",
                   lambda t, o: f"/training/enrolments/{o['t'].enrolment}/complete", S,
                   form={"completed_on": "2026-11-01", "hours": "36"}),
    ProtectedRoute("training.completion_certificate", "GET",
                   lambda t, o: f"/training/completions/{o['t'].completion}/certificate", S),
]
