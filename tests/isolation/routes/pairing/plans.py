"""Isolation registry for this slice of the school's pages (see __init__.py): individual plans."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"

ROUTES: list = [
    ProtectedRoute("pairing.plan_show", "GET", lambda t, o: f"/school/pairs/{o['w'].pair}/plan", S, owner_only=True),
    ProtectedRoute("pairing.plan_new", "POST", lambda t, o: f"/school/pairs/{o['w'].pair}/plan/new", S,
                   owner_only=True, form={"source": "template"}),
    ProtectedRoute("pairing.plan_goals", "POST", lambda t, o: f"/school/pairs/{o['w'].pair}/plan/goals", S,
                   owner_only=True, form={"goals": "Чужие цели"}),
    ProtectedRoute("pairing.plan_task_new", "POST", lambda t, o: f"/school/pairs/{o['w'].pair}/plan/tasks/new", S,
                   owner_only=True, form={"title": "Чужая задача", "due_on": "2026-12-01"}),
    ProtectedRoute("pairing.plan_task_edit", "POST", lambda t, o: f"/school/plan-tasks/{o['w'].task}/edit", S,
                   owner_only=True, form={"status": "done", "due_on": "2026-12-01"}),
    ProtectedRoute("pairing.plan_task_delete", "POST", lambda t, o: f"/school/plan-tasks/{o['w'].task}/delete", S,
                   owner_only=True),
]
