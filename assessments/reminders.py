"""Reminder rules of the assessments app, as the notifications app finds them (autodiscover of
each app's `reminders` module): importing the sub-domain's module registers its kinds and rules
(psp/notifications/registry.py)."""

from assessments.rounds.reminders import ASSESSMENT_FOLLOWUP

__all__ = ["ASSESSMENT_FOLLOWUP"]
