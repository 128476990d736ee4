"""Reminder rules and notices of the CPD app, as the notifications app finds them (autodiscover
of each app's `reminders` module): importing the sub-domains' modules registers their kinds and
rules (psp/notifications/registry.py)."""

from cpd.activities.reminders import CPD_ACTIVITY_REJECTED, CPD_EVIDENCE_REQUESTED
from cpd.progress.reminders import CPD_DEADLINE

__all__ = ["CPD_ACTIVITY_REJECTED", "CPD_DEADLINE", "CPD_EVIDENCE_REQUESTED"]
