"""The rules a visit's input must meet, checked all at once so a form shows every problem
beside its field: dates (a logged visit today or before, a planned one today or later), minutes
by activity adding up to the duration, the practice's own people and open goals, the action
items agreed at the visit, and the coach being assigned to the practice. The writes that follow
are in coaching/visits/services/."""

from datetime import date, time
from uuid import UUID

from django.core.exceptions import ValidationError

from coaching.plans.models import GoalStatus, PlanGoal
from coaching.visits.models import Activity, Visit, VisitMode
from practices.models import CoachAssignment, Practice, PracticeMembership
from psp.dates import EARLIEST_DATE

MIN_DURATION, MAX_DURATION = 5, 720
MAX_TRAVEL = 24 * 60
MAX_OTHER_ATTENDEES = 500
MAX_NEW_ACTIONS = 20
DEFAULT_PLANNED_DURATION = 60

# The visit's own fields a version keeps and an edit may change (besides activities, attendees
# and goals); a planned visit's edit takes the PLANNED_FIELDS only.
LOG_FIELDS = (
    "visit_date",
    "start_time",
    "mode",
    "duration_minutes",
    "travel_minutes",
    "other_attendees",
    "purpose",
    "notes",
)
LOG_DETAILS = ("activities", "attendees", "goals")
PLANNED_FIELDS = ("visit_date", "start_time", "mode", "duration_minutes", "purpose", "notes")

FUTURE_MESSAGE = "A visit in the future is a planned visit: schedule it instead."
PAST_PLAN_MESSAGE = "A planned visit's date is today or later."
# Dates past these are typos (0001 for 2001): the program's records start in this century, and
# nobody books a visit more than two years ahead.
EARLIEST_VISIT = EARLIEST_DATE  # the platform-wide range, psp/dates.py
PLAN_AHEAD_DAYS = 731
EARLY_MESSAGE = "Visits are recorded from 1 January 2000: check the year."
FAR_PLAN_MESSAGE = "Plan visits at most two years ahead: check the year."


class Errors(dict):
    """Field errors collected across a whole form, so every problem is reported at once."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def ensure_assigned(*, practice: Practice, by) -> None:
    if by is None or not CoachAssignment.objects.filter(practice=practice, coach=by).exists():
        raise ValidationError(
            {"practice": "You can log and plan visits only for practices assigned to you."}
        )


def ensure_own(visit: Visit, by) -> None:
    if by is None or visit.coach_id != by.pk:
        raise ValidationError("Only the coach who made this visit can change it.")


def clean_text(value, *, field: str, errors: Errors, max_length: int) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        errors.add(field, f"At most {max_length} characters.")
    return text


def clean_number(value, *, field: str, errors: Errors, low: int, high: int, message: str) -> int:
    if value is None or value == "":
        value = 0 if low == 0 else None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, message)
        return 0
    if not low <= number <= high:
        errors.add(field, message)
    return number


def clean_mode(value, *, field: str, errors: Errors) -> str:
    if value not in VisitMode.values:
        errors.add(field, "Choose on-site, virtual, phone or email.")
    return value


def clean_submission_key(value) -> UUID | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        raise ValidationError({"submission_key": "Not a valid submission key."}) from None


class SubmissionKeyReused(ValidationError):
    """The key came back with a different request: answering with the first visit would drop
    what the second one said without a word."""

    def __init__(self):
        super().__init__(
            {
                "submission_key": "This key was already sent with a different request. "
                "Send a new key for a new visit."
            }
        )


def ensure_same_request(visit: Visit, fingerprint: str) -> None:
    """Refuse a key sent again with another request (when both requests were fingerprinted:
    the pages send none, and their double submit repeats the form as it was)."""
    if fingerprint and visit.submission_fingerprint not in ("", fingerprint):
        raise SubmissionKeyReused()


def earlier_submission(*, key: UUID | None, by, fingerprint: str = "") -> Visit | None:
    """The visit a first submit of the same form made (a double tap, a resend after a dropped
    connection), marked `resent`. Another person's key is refused rather than answered with
    their visit, and so is the same key with a different request (`fingerprint`)."""
    if key is None:
        return None
    earlier = Visit.objects.filter(submission_key=key).first()
    if earlier is None:
        return None
    if by is None or earlier.coach_id != by.pk:
        raise ValidationError({"submission_key": "This form was already sent by someone else."})
    ensure_same_request(earlier, fingerprint)
    earlier.resent = True
    return earlier


def activity_sum_message(total: int, duration: int) -> str:
    difference = abs(duration - total)
    direction = "fewer" if total < duration else "more"
    return (
        f"The activities add up to {total} minutes, {difference} {direction} than the "
        f"{duration}-minute duration."
    )


def clean_activities(value, *, duration: int | None, errors: Errors) -> dict[str, int]:
    minutes: dict[str, int] = {}
    for activity, amount in (value or {}).items():
        if activity not in Activity.values:
            errors.add("activities", f"“{activity}” is not one of the support activities.")
            continue
        try:
            amount = int(amount or 0)
        except (TypeError, ValueError):
            errors.add(
                "activities", f"Give the minutes of “{Activity(activity).label}” as a number."
            )
            continue
        if amount < 0:
            errors.add("activities", "Minutes by activity cannot be negative.")
            continue
        if amount:
            minutes[activity] = amount
    if "activities" not in errors and duration is not None:
        total = sum(minutes.values())
        if total != duration:
            errors.add("activities", activity_sum_message(total, duration))
    return minutes


def practice_people_ids(practice_id) -> set[int]:
    return set(
        PracticeMembership.objects.filter(practice_id=practice_id, is_active=True).values_list(
            "user_id", flat=True
        )
    )


def open_goal_ids(practice_id, goal_ids) -> set[int]:
    """Of `goal_ids`, those that are open goals of the practice's plans (in this program)."""
    if not goal_ids:
        return set()
    return set(
        PlanGoal.objects.filter(
            pk__in=goal_ids, plan__practice_id=practice_id, status=GoalStatus.OPEN
        ).values_list("pk", flat=True)
    )


def clean_people(people, *, allowed: set[int], errors: Errors) -> list:
    chosen, seen = [], set()
    for person in people or ():
        if person is None or person.pk in seen:
            continue
        if person.pk not in allowed:
            errors.add("attendees", "Choose attendees among the practice's active people.")
            return []
        seen.add(person.pk)
        chosen.append(person)
    return chosen


def clean_goals(goals, *, practice_id, kept: set[int], errors: Errors) -> list[PlanGoal]:
    goals = [goal for goal in dict.fromkeys(goals or ()) if goal is not None]
    fresh = [goal.pk for goal in goals if goal.pk not in kept]
    valid = open_goal_ids(practice_id, fresh) | kept
    if any(goal.pk not in valid for goal in goals):
        errors.add("goals", "Choose open goals of this practice's support plans.")
        return []
    return goals


# Logged visits ------------------------------------------------------------------------------


def clean_log(
    values: dict,
    *,
    practice_id,
    today: date,
    errors: Errors,
    kept_attendees: frozenset = frozenset(),
    kept_goals: frozenset = frozenset(),
) -> dict:
    """The fields of a logged visit, checked: the visit happened (today or before), its minutes
    by activity add up to its duration, its people and goals are the practice's."""
    cleaned: dict = {}
    visit_date = values.get("visit_date")
    if not isinstance(visit_date, date):
        errors.add("visit_date", "Give the date of the visit.")
    elif visit_date > today:
        errors.add("visit_date", FUTURE_MESSAGE)
    elif visit_date < EARLIEST_VISIT:
        errors.add("visit_date", EARLY_MESSAGE)
    cleaned["visit_date"] = visit_date
    start_time = values.get("start_time")
    if start_time is not None and not isinstance(start_time, time):
        errors.add("start_time", "Give the start time as hours and minutes.")
    cleaned["start_time"] = start_time
    cleaned["mode"] = clean_mode(values.get("mode"), field="mode", errors=errors)
    cleaned.update(_clean_minutes(values, errors=errors))
    cleaned["purpose"] = clean_text(
        values.get("purpose"), field="purpose", errors=errors, max_length=300
    )
    cleaned["notes"] = clean_text(
        values.get("notes"), field="notes", errors=errors, max_length=20_000
    )
    cleaned["attendees"] = clean_people(
        values.get("attendees"),
        allowed=practice_people_ids(practice_id) | kept_attendees,
        errors=errors,
    )
    cleaned["goals"] = clean_goals(
        values.get("goals"), practice_id=practice_id, kept=kept_goals, errors=errors
    )
    return cleaned


def _clean_minutes(values: dict, *, errors: Errors) -> dict:
    """A logged visit's numbers: its duration, the minutes by activity adding up to it, the
    travel and the attendees without an account."""
    cleaned: dict = {}
    cleaned["duration_minutes"] = clean_number(
        values.get("duration_minutes"),
        field="duration_minutes",
        errors=errors,
        low=MIN_DURATION,
        high=MAX_DURATION,
        message=f"The duration is between {MIN_DURATION} and {MAX_DURATION} minutes.",
    )
    duration_ok = "duration_minutes" not in errors
    cleaned["activities"] = clean_activities(
        values.get("activities"),
        duration=cleaned["duration_minutes"] if duration_ok else None,
        errors=errors,
    )
    cleaned["travel_minutes"] = clean_number(
        values.get("travel_minutes"),
        field="travel_minutes",
        errors=errors,
        low=0,
        high=MAX_TRAVEL,
        message=f"Travel is between 0 and {MAX_TRAVEL:,} minutes.",
    )
    cleaned["other_attendees"] = clean_number(
        values.get("other_attendees"),
        field="other_attendees",
        errors=errors,
        low=0,
        high=MAX_OTHER_ATTENDEES,
        message=f"Other attendees are between 0 and {MAX_OTHER_ATTENDEES}.",
    )
    return cleaned


def clean_new_actions(rows, *, practice_id, by, visit_date, errors: Errors) -> list[dict]:
    """The action items agreed at the visit: a title each, an owner among the practice's people
    or the coach, an optional due date (not before the visit) and goal (an open one of the
    practice's plans)."""
    rows = [row for row in rows or () if row]
    if len(rows) > MAX_NEW_ACTIONS:
        errors.add("new_actions", f"At most {MAX_NEW_ACTIONS} new actions at one visit.")
        return []
    owners = practice_people_ids(practice_id) | ({by.pk} if by is not None else set())
    goal_ids = {row["goal"].pk for row in rows if row.get("goal") is not None}
    open_goals = open_goal_ids(practice_id, goal_ids)
    cleaned = []
    for number, row in enumerate(rows, start=1):
        title = (row.get("title") or "").strip()
        owner, goal, due_on = row.get("owner"), row.get("goal"), row.get("due_on")
        problems = []
        if not title:
            problems.append("give it a title")
        elif len(title) > 300:
            problems.append("keep its title to 300 characters")
        if owner is not None and owner.pk not in owners:
            problems.append("choose its owner among the practice's people or yourself")
        if goal is not None and goal.pk not in open_goals:
            problems.append("choose one of the practice's open goals, or none")
        if due_on is not None and isinstance(visit_date, date) and due_on < visit_date:
            problems.append("give a due date on or after the visit")
        if problems:
            errors.add("new_actions", f"Action {number}: {', and '.join(problems)}.")
            continue
        cleaned.append({"title": title, "owner": owner, "goal": goal, "due_on": due_on})
    return cleaned


def clean_plan(values: dict, *, today: date, errors: Errors, prefix: str = "") -> dict:
    """A planned visit's fields: a date today or later, a mode, an expected duration."""
    cleaned: dict = {}
    visit_date = values.get("visit_date")
    if not isinstance(visit_date, date):
        errors.add(
            f"{prefix}visit_date",
            "Give the date of the next visit." if prefix else "Give the date of the visit.",
        )
    elif visit_date < today:
        errors.add(f"{prefix}visit_date", PAST_PLAN_MESSAGE)
    elif (visit_date - today).days > PLAN_AHEAD_DAYS:
        errors.add(f"{prefix}visit_date", FAR_PLAN_MESSAGE)
    cleaned["visit_date"] = visit_date
    start_time = values.get("start_time")
    if start_time is not None and not isinstance(start_time, time):
        errors.add(f"{prefix}start_time", "Give the start time as hours and minutes.")
    cleaned["start_time"] = start_time
    cleaned["mode"] = clean_mode(
        values.get("mode") or VisitMode.ON_SITE, field=f"{prefix}mode", errors=errors
    )
    duration = values.get("duration_minutes")
    cleaned["duration_minutes"] = clean_number(
        DEFAULT_PLANNED_DURATION if duration in (None, "") else duration,
        field=f"{prefix}duration_minutes",
        errors=errors,
        low=MIN_DURATION,
        high=MAX_DURATION,
        message=f"The expected duration is between {MIN_DURATION} and {MAX_DURATION} minutes.",
    )
    cleaned["purpose"] = clean_text(
        values.get("purpose"), field=f"{prefix}purpose", errors=errors, max_length=300
    )
    cleaned["notes"] = clean_text(
        values.get("notes"), field=f"{prefix}notes", errors=errors, max_length=20_000
    )
    return cleaned
