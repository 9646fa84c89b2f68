"""Isolation registry for the mentor and mentee banks (see __init__.py)."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"

ROUTES: list = [
    ProtectedRoute("pairing.mentor_profile", "GET",
                   lambda t, o: f"/school/participants/{o['w'].mentor}/mentor-profile", S, owner_only=True),
    ProtectedRoute("pairing.mentor_profile", "POST",
                   lambda t, o: f"/school/participants/{o['w'].mentor}/mentor-profile", S, owner_only=True,
                   form={"competencies": ["career"], "capacity": "5", "interview_result": "passed",
                         "training_status": "completed", "approved": "y"}),
    ProtectedRoute("pairing.mentor_profile_remove", "POST",
                   lambda t, o: f"/school/participants/{o['w'].mentor}/mentor-profile/remove", S, owner_only=True),
    ProtectedRoute("pairing.mentee_profile", "GET",
                   lambda t, o: f"/school/participants/{o['w'].spare}/mentee-profile", S, owner_only=True),
    ProtectedRoute("pairing.mentee_profile", "POST",
                   lambda t, o: f"/school/participants/{o['w'].spare}/mentee-profile", S, owner_only=True,
                   form={"interests": "чужие интересы", "follow_up": "psych_support"}),
    ProtectedRoute("pairing.mentee_profile_remove", "POST",
                   lambda t, o: f"/school/participants/{o['w'].spare}/mentee-profile/remove", S, owner_only=True),
    ProtectedRoute("pairing.request_new", "POST",
                   lambda t, o: f"/school/participants/{o['w'].spare}/requests/new", S, owner_only=True,
                   form={"kind": "career", "source": "parents"}),
    ProtectedRoute("pairing.request_close", "POST",
                   lambda t, o: f"/school/requests/{o['w'].request}/close", S, owner_only=True),
]
