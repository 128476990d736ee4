"""The app's models, as Django and migrations know them (app label `assessments`): instruments
and the change library live in assessments/instruments/models.py, assessment rounds and their
scores in assessments/rounds/models.py. This module only re-exports them."""

from assessments.instruments.models import (
    SCORABLE_KINDS,
    ChangeIdea,
    Domain,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
    QuestionKind,
    VersionStatus,
)
from assessments.rounds.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    ConsensusAnswer,
    DomainScore,
    Response,
)

__all__ = [
    "SCORABLE_KINDS",
    "Answer",
    "Assessment",
    "AssessmentKind",
    "AssessmentStatus",
    "ChangeIdea",
    "ConsensusAnswer",
    "Domain",
    "DomainScore",
    "Instrument",
    "InstrumentVersion",
    "Option",
    "Question",
    "QuestionKind",
    "Response",
    "VersionStatus",
]
