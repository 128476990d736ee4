"""A template's schedule in words, for its pages and the API: "Every quarter, the year from
April, due at each quarter's end", "Within 30 days of enrolment"."""

import calendar

from compliance.checklists.models import Recurrence, RecurrenceEvent
from practices.models import Stage


def _days(n: int) -> str:
    return f"{n} day{'s' * (n != 1)}"


def schedule_words(template) -> str:
    recurrence, anchor = template.recurrence, template.anchor_month
    year = "" if anchor == 1 else f", the year from {calendar.month_name[anchor]}"
    if recurrence == Recurrence.MONTHLY:
        return "Every month, due at the month's end"
    if recurrence == Recurrence.QUARTERLY:
        return f"Every quarter{year}, due at each quarter's end"
    if recurrence == Recurrence.ANNUALLY:
        return f"Every year{year}, due at the year's end"
    if recurrence == Recurrence.ONCE:
        return f"Once, due {_days(template.due_days)} after it is assigned"
    if template.event == RecurrenceEvent.ENROLMENT:
        return f"Within {_days(template.due_days)} of a practice's enrolment"
    stage = dict(Stage.choices).get(template.event_stage)
    moved = f"moving to “{stage}”" if stage else "any stage move"
    return f"Within {_days(template.due_days)} of {moved}"
