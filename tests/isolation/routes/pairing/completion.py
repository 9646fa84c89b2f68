"""Isolation registry for this slice of the school's pages (see __init__.py): completion."""
from tests.isolation.registry import ProtectedRoute

S = "r1m1s1"

ROUTES: list = [
    ProtectedRoute("pairing.completion", "GET", lambda t, o: f"/school/pairs/{o['w'].pair}/completion", S,
                   owner_only=True),
    ProtectedRoute("pairing.feedback_new", "POST", lambda t, o: f"/school/pairs/{o['w'].pair}/feedback/new", S,
                   owner_only=True, form={"author_role": "curator", "written_on": "2026-10-01", "text": "Чужой"}),
    ProtectedRoute("pairing.review_new", "POST", lambda t, o: f"/school/pairs/{o['w'].pair}/reviews/new", S,
                   owner_only=True,
                   form={"review-participant_id": "0", "review-written_on": "2026-10-01", "review-text": "Чужой отзыв"}),
]
