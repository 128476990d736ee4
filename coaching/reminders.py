"""Reminder rules of the coaching app, as the notifications app finds them: it imports each
app's `reminders` module (autodiscover), and importing the sub-domains' modules here registers
their kinds and rules (psp/notifications/registry.py)."""

from coaching.actions.reminders import ACTION_DUE_SOON, ACTION_OVERDUE
from coaching.caseload.reminders import CASELOAD_WEEKLY, PRACTICE_AT_RISK
from coaching.visits.reminders import VISIT_TOMORROW

__all__ = [
    "ACTION_DUE_SOON",
    "ACTION_OVERDUE",
    "CASELOAD_WEEKLY",
    "PRACTICE_AT_RISK",
    "VISIT_TOMORROW",
]
