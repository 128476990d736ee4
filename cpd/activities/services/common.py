"""What every write to a CPD activity shares: the row lock, the person's practice, the activity's
history lines, and working out an activity's cycle, category and credits from the rules of the
cycle its end date falls in."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError

from cpd.activities import selectors
from cpd.activities.models import ActivityType, CpdActivity
from cpd.activities.reflection import clean_reflection
from cpd.schemes.cycles import cycle_for
from cpd.schemes.rules import credits_for
from psp.dates import EARLIEST_DATE, LATEST_DATE, OUT_OF_RANGE_MESSAGE
from psp.history.models import SubjectType
from psp.history.services import record_change
from psp.tenancy.base import ensure_in_program

MAX_HOURS = Decimal("9999.99")
MAX_ITEMS = 32767
NO_CREDITS = Decimal("0.00")


def locked(program, activity: CpdActivity) -> CpdActivity:
    """The activity's row, locked for this transaction (two requests moving it at once take
    turns, so the second sees what the first did)."""
    ensure_in_program(program, activity)
    return CpdActivity.objects.select_for_update().get(pk=activity.pk)


def ensure_own(activity: CpdActivity, by) -> None:
    if activity.person_id != by.pk:
        raise PermissionDenied("Only the person who recorded this activity can change it.")


def record_activity_line(*, program, activity, what: str, summary: str, by, changes=None):
    """One line of the activity's history. Lines about a person's own CPD carry their
    practice's id, or 0 for someone with none (psp/history/models.py). Returns the line."""
    return record_change(
        program=program,
        practice=activity.practice_id or 0,
        subject_type=SubjectType.CPD_ACTIVITY,
        subject_id=activity.pk,
        what=what,
        summary=summary,
        changes=changes,
        by=by,
    )


# Checking what people send -----------------------------------------------------------------


def clean_text(value, *, field: str, required: bool, max_length: int = 200) -> str:
    text = (value or "").strip() if isinstance(value, str | type(None)) else str(value).strip()
    if required and not text:
        raise ValidationError({field: "This field is required."})
    if len(text) > max_length:
        raise ValidationError({field: f"At most {max_length} characters ({len(text)} given)."})
    return text


def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: "Enter a number, e.g. 1.5."}) from None
    if not number.is_finite():
        raise ValidationError({field: "Enter a number, e.g. 1.5."})
    return number


def _check_hours(value, started_on, ended_on, errors: dict) -> Decimal:
    try:
        hours = _decimal(value, "hours")
    except ValidationError as error:
        errors.update(error.message_dict)
        return NO_CREDITS
    if hours is None:
        return NO_CREDITS
    if hours < 0:
        errors["hours"] = "Hours cannot be negative."
    elif hours != hours.quantize(Decimal("0.01")):
        errors["hours"] = "Give the hours to at most two decimal places (e.g. 1.25)."
    elif hours > MAX_HOURS:
        errors["hours"] = f"At most {MAX_HOURS} hours."
    elif started_on and ended_on and started_on <= ended_on:
        days = (ended_on - started_on).days + 1
        if hours > days * 24:
            errors["hours"] = f"More hours than the {days} day(s) from start to end hold."
    return hours.quantize(Decimal("0.01")) if "hours" not in errors else NO_CREDITS


def _check_items(value, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        items = int(str(value))
    except ValueError:
        errors["items"] = "Enter a whole number."
        return None
    if not 0 <= items <= MAX_ITEMS:
        errors["items"] = f"Enter a number from 0 to {MAX_ITEMS}."
        return None
    return items


def _check_dates(data: dict, today, errors: dict) -> tuple[date | None, date | None]:
    started_on, ended_on = data.get("started_on"), data.get("ended_on") or data.get("started_on")
    for name, day in (("started_on", started_on), ("ended_on", ended_on)):
        if day is None:
            errors.setdefault(name, "This field is required.")
        elif not EARLIEST_DATE <= day <= LATEST_DATE:
            errors[name] = OUT_OF_RANGE_MESSAGE
    if today is not None and "ended_on" not in errors and ended_on and ended_on > today:
        errors["ended_on"] = "This date is in the future: record the activity once it is done."
    dates_read = "started_on" not in errors and "ended_on" not in errors
    if started_on and ended_on and dates_read and ended_on < started_on:
        errors["ended_on"] = "The activity ends before it starts."
    return started_on, ended_on


def _text(data: dict, name: str, *, required: bool, errors: dict, max_length=200) -> str:
    try:
        return clean_text(data.get(name), field=name, required=required, max_length=max_length)
    except ValidationError as error:
        errors[name] = error.message_dict[name][0]
        return ""


def check_fields(data: dict, *, today: date | None, provider_required: bool = False) -> dict:
    """An activity's (or an offering's) own fields, every one checked at once, each problem
    named by its field. `today`: the last day it may end on (None: any, for an offering
    planned ahead)."""
    errors: dict[str, str] = {}
    activity_type = data.get("activity_type")
    if activity_type not in ActivityType.values:
        errors["activity_type"] = "Choose the type of activity."
    title = _text(data, "title", required=True, errors=errors)
    provider = _text(data, "provider", required=provider_required, errors=errors)
    started_on, ended_on = _check_dates(data, today, errors)
    hours = _check_hours(data.get("hours"), started_on, ended_on, errors)
    items = _check_items(data.get("items"), errors)
    reflection, problems = clean_reflection(activity_type, data.get("reflection"))
    errors.update({f"reflection.{key}": message for key, message in problems.items()})
    if errors:
        raise ValidationError(errors)
    return {
        "activity_type": activity_type,
        "title": title,
        "provider": provider,
        "started_on": started_on,
        "ended_on": ended_on,
        "hours": hours,
        "items": items,
        "reflection": reflection,
    }


@dataclass(frozen=True)
class Checked:
    """An activity's fields as they are saved, with its cycle and credits."""

    fields: dict
    cycle: object  # CpdCycle | None


def check_activity(*, program, person, data: dict, today: date) -> Checked:
    """An activity's fields (check_fields), then its cycle (the person's cycle containing the
    end date, under that cycle's rules), category (one of the rules' categories, by default the
    credit rule's) and credits."""
    fields = check_fields(data, today=today)
    cycle = cycle_for(program=program, person=person, on=fields["ended_on"])
    category, credits = credit(
        cycle, fields["activity_type"], fields["hours"], fields["items"], data.get("category")
    )
    return Checked(fields={**fields, "category": category, "credits": credits}, cycle=cycle)


def credit(cycle, activity_type: str, hours: Decimal, items, category) -> tuple[str, Decimal]:
    """The category and credits under the cycle's rules. Someone no scheme applies to records
    the activity all the same: no category to check against, no credits."""
    return credit_under(selectors.rules_of(cycle), activity_type, hours, items, category)


def credit_under(rules, activity_type: str, hours: Decimal, items, category) -> tuple[str, Decimal]:
    """`credit` under parsed rules (None: no scheme), for a caller that has not made the cycle
    yet (an import checked before anything is saved)."""
    category = (category or "").strip()
    if rules is None:
        if not hours and not items:
            raise ValidationError({"hours": "Give the hours it took."})
        return "", NO_CREDITS
    rule = rules.rule_for(activity_type)
    per_item = rule is not None and rule.per == "item"
    if per_item and not items:
        raise ValidationError(
            {"items": "Your scheme credits this type per item: give how many (e.g. articles)."}
        )
    if not per_item and not hours:
        raise ValidationError({"hours": "Give the hours it took."})
    category = category or (rule.category if rule is not None else "")
    keys = list(rules.category_keys)
    if not category:
        raise ValidationError({"category": "Choose the category it counts towards."})
    if category not in keys:
        raise ValidationError(
            {"category": f"“{category}” is not a category of your scheme ({', '.join(keys)})."}
        )
    credits = credits_for(rules, activity_type=activity_type, hours=hours, items=items)
    return category, Decimal(credits).quantize(Decimal("0.01"))
