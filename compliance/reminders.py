"""Reminder rules of the compliance app, as the notifications app finds them (autodiscover of
each app's `reminders` module): checklists due soon and overdue (compliance/followup/
reminders.py)."""

from compliance.followup.reminders import (
    CHECKLIST_DUE_SOON,
    CHECKLIST_OVERDUE,
    checklists_due_soon,
    checklists_overdue,
)
from psp.notifications.registry import register_rule

register_rule(
    CHECKLIST_DUE_SOON, description="Checklists due in 14 and 3 days, to who completes or signs."
)(checklists_due_soon)
register_rule(CHECKLIST_OVERDUE, description="Checklists past their due date unsigned, weekly.")(
    checklists_overdue
)

__all__ = ["CHECKLIST_DUE_SOON", "CHECKLIST_OVERDUE"]
