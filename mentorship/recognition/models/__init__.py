"""Recognition's models, one module per concept; every name is importable from here."""
from mentorship.recognition.models.awards import AWARD_KINDS, Award, AwardOrder
from mentorship.recognition.models.board import HonourCard
from mentorship.recognition.models.contests import (  # contests (H1)
    AGGREGATIONS,
    CONTEST_STATUSES,
    MAX_CRITERION_SCORE,
    NOMINEE_STATUSES,
    Contest,
    ContestCriterion,
    ContestJuror,
    ContestNomination,
    ContestNominee,
    ContestNomineeFile,
    ContestResultEntry,
    ContestRules,
    ContestScore,
)
from mentorship.recognition.models.portfolio import PORTFOLIO_KINDS, PortfolioFile, PortfolioItem

__all__ = [
    "AWARD_KINDS", "PORTFOLIO_KINDS", "Award", "AwardOrder", "HonourCard", "PortfolioFile", "PortfolioItem",
]
__all__ += [  # contests (H1)
    "AGGREGATIONS", "CONTEST_STATUSES", "MAX_CRITERION_SCORE", "NOMINEE_STATUSES", "Contest", "ContestCriterion",
    "ContestJuror", "ContestNomination", "ContestNominee", "ContestNomineeFile", "ContestResultEntry",
    "ContestRules", "ContestScore",
]
