"""Surveys: questionnaires, campaigns, their audience and triggers, dispatch by e-mail and on
paper, anonymous answers, results published in steps of five."""
from mentorship.surveys import receivers  # noqa: F401  (connects the surveys' signal receivers)
