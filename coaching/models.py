"""Every model of the coaching app, for Django and for code that wants them all in one import.

The models live with their sub-domains (coaching/plans/models.py, coaching/actions/models.py,
coaching/visits/models.py, coaching/feedback/models.py, coaching/caseload/models.py,
coaching/dose/models.py, coaching/pdsa/models.py); the app label stays `coaching`, so importing
them here registers them and leaves the migrations as they are. Import from the sub-package when
writing code inside coaching."""

# In this order the models register as they did from one module (plans, actions, caseload,
# visits, feedback): actions import plans first, feedback imports visits first.
from coaching.actions.models import ActionStatus, ActionStatusChange, PlanAction
from coaching.caseload.models import CaseloadRules, CaseloadStanding, Severity
from coaching.dose.models import DoseActivityMonth, DoseCoachMonth, DoseMonth
from coaching.feedback.models import (
    FeedbackInvite,
    FeedbackPracticeQuarter,
    FeedbackQuarter,
    FeedbackResponse,
)
from coaching.pdsa.models import PdsaCycle, PdsaDecision, PdsaStage
from coaching.plans.models import GoalStatus, PlanGoal, PlanStatus, SupportPlan
from coaching.visits.models import (
    Activity,
    Visit,
    VisitActivity,
    VisitAttendee,
    VisitGoal,
    VisitMode,
    VisitStatus,
)

__all__ = [
    "ActionStatus",
    "ActionStatusChange",
    "Activity",
    "CaseloadRules",
    "CaseloadStanding",
    "DoseActivityMonth",
    "DoseCoachMonth",
    "DoseMonth",
    "FeedbackInvite",
    "FeedbackPracticeQuarter",
    "FeedbackQuarter",
    "FeedbackResponse",
    "GoalStatus",
    "PdsaCycle",
    "PdsaDecision",
    "PdsaStage",
    "PlanAction",
    "PlanGoal",
    "PlanStatus",
    "Severity",
    "SupportPlan",
    "Visit",
    "VisitActivity",
    "VisitAttendee",
    "VisitGoal",
    "VisitMode",
    "VisitStatus",
]
