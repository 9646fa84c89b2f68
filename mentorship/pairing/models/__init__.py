"""Pairing's models, one module per concept; every name is importable from here."""
from mentorship.pairing.models.completion import AUTHOR_ROLES, CompletionReview, FeedbackEntry
from mentorship.pairing.models.matching import MatchingRun, MatchProposal, Preference
from mentorship.pairing.models.meetings import MEETING_FORMATS, MEETING_KINDS, Meeting, MeetingGapReminder
from mentorship.pairing.models.orders import Order, OrderItem
from mentorship.pairing.models.pairs import (
    DECISIONS,
    PAIR_STATUSES,
    VOIDED,
    Mentorship,
    MentorshipEvent,
    MentorshipMentee,
)
from mentorship.pairing.models.plans import TASK_STATUSES, IndividualPlan, PlanTask
from mentorship.pairing.models.programmes import Programme

__all__ = [
    "AUTHOR_ROLES", "DECISIONS", "MEETING_FORMATS", "MEETING_KINDS", "PAIR_STATUSES",
    "TASK_STATUSES", "VOIDED", "CompletionReview", "FeedbackEntry", "IndividualPlan", "MatchProposal",
    "MatchingRun", "Meeting", "MeetingGapReminder", "Mentorship", "MentorshipEvent", "MentorshipMentee", "Order",
    "OrderItem", "PlanTask", "Preference", "Programme",
]
