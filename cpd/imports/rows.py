"""One row of a CPD transcript import checked: whose it is, its fields (checked as a recorded
activity's are, cpd/activities/services/common.py), its category and credits under the person's
rules, and the status it lands in. Every problem of the row is named by its column.

Columns: email (whose activity; blank for the importer's own; someone else's only for the
program's admins), type, title, provider, started_on, ended_on (the start date when blank), hours,
items, category (a key or a name of the person's scheme's categories; the type's when blank),
credits (worked out from the rules when blank), status (self_reported or verified; verified only
by someone who verifies CPD, and never their own), reflection (the answer to the type's first
reflection question)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from cpd.activities.models import ActivityStatus, ActivityType
from cpd.activities.reflection import prompts_for
from cpd.activities.services.common import check_fields, credit_under
from cpd.schemes.rules import MAX_AMOUNT
from psp.csv_files import RowError

COLUMNS = [
    "email",
    "type",
    "title",
    "provider",
    "started_on",
    "ended_on",
    "hours",
    "items",
    "category",
    "credits",
    "status",
    "reflection",
]
REQUIRED = {"type", "title", "started_on"}
# The service's field names as the file's columns.
COLUMN_OF = {"activity_type": "type", "reflection": "reflection"}
TYPES = {
    **{value: value for value in ActivityType.values},
    **{label.lower(): value for value, label in ActivityType.choices},
}
STATUSES = {
    "": ActivityStatus.SELF_REPORTED,
    "self_reported": ActivityStatus.SELF_REPORTED,
    "self-reported": ActivityStatus.SELF_REPORTED,
    "verified": ActivityStatus.VERIFIED,
}


@dataclass
class CheckedRow:
    line: int
    person: object
    fields: dict  # the activity's fields, with its category and credits
    status: str
    activity_id: int | None = None  # once imported

    @property
    def key(self) -> tuple:
        """What makes two rows the same activity: whose, what, and when."""
        f = self.fields
        return (self.person.pk, f["activity_type"], f["title"].lower(), f["started_on"],
                f["ended_on"])  # fmt: skip


class RowChecker:
    """Checks rows for one importer: `others` (may import for others: cpd.define), `verifies`
    (may mark rows verified), `people` (cpd.imports.people.People), `members` ({email: user}
    of the people the file names)."""

    def __init__(self, *, importer, others: bool, verifies: bool, people, members, today):
        self.importer, self.others, self.verifies = importer, others, verifies
        self.people, self.members, self.today = people, members, today

    def check(self, line: int, row: dict) -> tuple[CheckedRow | None, list[RowError]]:
        errors: dict[str, str] = {}
        person = self._person(_cell(row, "email"), errors)
        data = self._data(row, errors)
        fields = {}
        try:
            fields = check_fields(data, today=self.today)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                column = COLUMN_OF.get(key.split(".")[0], key)
                errors.setdefault(column, messages[0])
        if not _cell(row, "ended_on") and "ended_on" in errors:
            # The end is the start: a problem with it is the start's (said once).
            errors.setdefault("started_on", errors.pop("ended_on"))
        if "type" in errors:
            known = ", ".join(ActivityType.values)
            errors["type"] = f"Give one of {known}; not “{_cell(row, 'type')}”."
        status = self._status(_cell(row, "status"), person, errors)
        if fields and person is not None and not errors:
            fields |= self._credited(person, fields, row, errors)
        problems = [RowError(line, column, message) for column, message in errors.items()]
        if problems:
            return None, problems
        return CheckedRow(line=line, person=person, fields=fields, status=status), []

    def _person(self, email: str, errors: dict):
        if not email or email.lower() == self.importer.email.lower():
            return self.importer
        if not self.others:
            errors["email"] = ("You import your own CPD only: leave email blank (the program's "
                               "admins import for others).")  # fmt: skip
            return None
        person = self.members.get(email.lower())
        if person is None:
            errors["email"] = f"No one in this program has the address “{email}”."
        return person

    def _data(self, row: dict, errors: dict) -> dict:
        kind = _cell(row, "type")
        activity_type = TYPES.get(kind.lower(), kind)
        prompts = prompts_for(activity_type)
        reflection = _cell(row, "reflection")
        if reflection and not prompts:
            reflection = ""  # an unknown type: its own error says so
        return {
            "activity_type": activity_type,
            "title": _cell(row, "title"),
            "provider": _cell(row, "provider"),
            "started_on": _day(row, "started_on", errors),
            "ended_on": _day(row, "ended_on", errors),
            "hours": _cell(row, "hours"),
            "items": _cell(row, "items"),
            "reflection": {prompts[0].key: reflection} if reflection else {},
        }

    def _status(self, text: str, person, errors: dict) -> str:
        status = STATUSES.get(text.lower().replace(" ", "_"))
        if status is None:
            errors["status"] = f"Give self_reported or verified, not “{text}”."
        elif status == ActivityStatus.VERIFIED and not self.verifies:
            errors["status"] = ("Only the program's admins and named verifiers import activities "
                                "as verified: give self_reported.")  # fmt: skip
        elif status == ActivityStatus.VERIFIED and person == self.importer:
            errors["status"] = ("Nobody verifies their own CPD: give self_reported, or ask an "
                                "admin to import it.")  # fmt: skip
        return status or ""

    def _credited(self, person, fields: dict, row: dict, errors: dict) -> dict:
        rules = self.people.rules_on(person, fields["ended_on"])
        category = _cell(row, "category")
        if rules is not None:
            names = {c.name.lower(): c.key for c in rules.categories}
            category = names.get(category.lower(), category)
        try:
            category, credits = credit_under(
                rules, fields["activity_type"], fields["hours"], fields["items"], category
            )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors[key] = self._worded(key, messages[0], person, fields, rules)
            return {}
        given = _cell(row, "credits")
        if given:
            credits = _credits(given, rules, person, errors)
        return {"category": category, "credits": credits}

    def _worded(self, key, message, person, fields, rules) -> str:
        """The rules' message, said of whoever the row is about."""
        if key == "category" and message.startswith("Choose the category"):
            keys = ", ".join(rules.category_keys)
            message = (f"Give a category: your scheme gives {fields['activity_type']} none of "
                       f"its own ({keys}).")  # fmt: skip
        return (
            message if person == self.importer else message.replace("your scheme", "their scheme")
        )


def _cell(row: dict, column: str) -> str:
    return (row.get(column) or "").strip()


def _day(row: dict, column: str, errors: dict) -> date | None:
    text = _cell(row, column)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[column] = f"Give the date as year-month-day, e.g. 2024-03-15, not “{text}”."
        return None


def _credits(text: str, rules, person, errors: dict) -> Decimal:
    if rules is None:
        name = person.full_name or person.email
        errors["credits"] = f"No CPD scheme applies to {name}: leave credits blank."
        return Decimal(0)
    try:
        credits = Decimal(text)
    except InvalidOperation:
        credits = Decimal("NaN")
    if not credits.is_finite() or credits < 0 or credits > MAX_AMOUNT:
        errors["credits"] = f"Give the credits as a number from 0 to {MAX_AMOUNT}, e.g. 1.5."
    elif credits != credits.quantize(Decimal("0.01")):
        errors["credits"] = "Give the credits to at most two decimal places."
    return credits.quantize(Decimal("0.01")) if "credits" not in errors else Decimal(0)
