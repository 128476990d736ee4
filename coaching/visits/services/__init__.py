"""Writes to facilitation visits: logging one, scheduling the next, editing (with history),
completing a planned visit and cancelling it. The business rules of visits live here.

Every function takes the program explicitly (keyword-only) and the acting person as `by`, refuses
objects of another program, and runs in one transaction: a refused visit leaves nothing behind
(no visit, no attendees, no actions, no planned follow-up). Errors are ValidationErrors keyed by
the input field they are about, so a form shows each beside its field and the API names it:

- `practice`, `visit_date`, `start_time`, `mode`, `duration_minutes`, `travel_minutes`,
  `other_attendees`, `purpose`, `notes`, `attendees`, `goals`, `reason`, `submission_key`;
- `activities` for the minutes by activity (which must add up to the duration);
- `new_actions` for the action items agreed at the visit (each message names its row);
- `next_visit_date`, `next_start_time`, `next_mode`, `next_duration_minutes`, `next_purpose`
  for the planned follow-up visit scheduled from the same form.

Only the coach assigned to a practice logs, plans, edits, completes or cancels its visits, and
only their own. A logged visit is dated today or earlier (later dates are planned visits); a
planned one today or later (the checks are in coaching/visits/checks.py). An edit made on a day
after the visit's date is a line of the visit's change history (psp/history): who made it, why,
and each field changed from what to what (coaching/visits/history.py).

Logging a visit, or completing a planned one, is in log.py (what the visit brings comes as one
VisitInput, coaching/visits/inputs.py, which the log form and the API bodies build); scheduling
and cancelling in planned.py; editing, with its history, in edit.py; the row writes they share
in rows.py.
"""

from coaching.visits.services.edit import visit_update
from coaching.visits.services.log import visit_complete, visit_log
from coaching.visits.services.planned import visit_cancel, visit_plan

__all__ = ["visit_cancel", "visit_complete", "visit_log", "visit_plan", "visit_update"]
