"""Reading one checklist answer: what a person sent for an item, checked against the item's
response type, and what it means for compliance (met, not met, not applicable, recorded).

Pure: the same checks serve the page (saved item by item as people go), the API and the
correction copy. Every problem is named by the field it is about.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from compliance.checklists.models import ResponseType
from compliance.instances.models import ItemOutcome
from psp.dates import EARLIEST_DATE, LATEST_DATE, OUT_OF_RANGE_MESSAGE

MAX_TEXT = 4000
MAX_NUMBER = Decimal("9999999999")

CHOICES = {
    ResponseType.DONE: {"done": "Done", "not_done": "Not done", "na": "Not applicable"},
    ResponseType.YES_NO: {"yes": "Yes", "no": "No", "na": "Not applicable"},
}


@dataclass(frozen=True)
class Answer:
    choice: str = ""
    value_date: date | None = None
    value_number: Decimal | None = None
    value_text: str = ""
    na_reason: str = ""
    note: str = ""
    outcome: str = ItemOutcome.UNANSWERED

    @property
    def is_empty(self) -> bool:
        return self.outcome == ItemOutcome.UNANSWERED


def _text(data: dict, field: str) -> str:
    value = data.get(field)
    text = "" if value is None else str(value).strip()
    if len(text) > MAX_TEXT:
        raise ValidationError({field: f"At most {MAX_TEXT} characters ({len(text)} given)."})
    return text


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        found = value
    else:
        try:
            found = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError({"value_date": "Enter a date as YYYY-MM-DD."}) from None
    if not EARLIEST_DATE <= found <= LATEST_DATE:
        raise ValidationError({"value_date": OUT_OF_RANGE_MESSAGE})
    return found


def _number(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({"value_number": "Enter a number, e.g. 12 or 3.5."}) from None
    if not number.is_finite() or abs(number) > MAX_NUMBER:
        raise ValidationError({"value_number": "Enter a number, e.g. 12 or 3.5."})
    # Stored to four places (the column's); more would be rounded by the database anyway.
    return number.quantize(Decimal("0.0001"))


def read_answer(item, data: dict) -> Answer:
    """The answer `data` gives `item` (an empty Answer when it gives none), or ValidationError
    naming the field at fault. "Not applicable" needs its reason."""
    note = _text(data, "note")
    na_reason = _text(data, "na_reason")
    kind = item.response_type
    if kind in CHOICES:
        choice = _text(data, "choice")
        if not choice:
            return Answer(note=note)
        if choice not in CHOICES[kind]:
            allowed = ", ".join(CHOICES[kind])
            raise ValidationError({"choice": f"Choose one of: {allowed}."})
        if choice == "na":
            if not na_reason:
                raise ValidationError({"na_reason": "Say why this item does not apply."})
            return Answer(
                choice="na", na_reason=na_reason, note=note, outcome=ItemOutcome.NOT_APPLICABLE
            )
        return Answer(choice=choice, note=note, outcome=_choice_outcome(item, choice))
    if data.get("choice") == "na":
        if not na_reason:
            raise ValidationError({"na_reason": "Say why this item does not apply."})
        return Answer(
            choice="na", na_reason=na_reason, note=note, outcome=ItemOutcome.NOT_APPLICABLE
        )
    if kind == ResponseType.DATE:
        value = _date(data.get("value_date"))
        return (
            Answer(value_date=value, note=note, outcome=ItemOutcome.NOTED)
            if value
            else Answer(note=note)
        )
    if kind == ResponseType.NUMBER:
        value = _number(data.get("value_number"))
        if value is None:
            return Answer(note=note)
        return Answer(value_number=value, note=note, outcome=ItemOutcome.NOTED)
    text = _text(data, "value_text")
    return (
        Answer(value_text=text, note=note, outcome=ItemOutcome.NOTED) if text else Answer(note=note)
    )


def _choice_outcome(item, choice: str) -> str:
    if item.response_type == ResponseType.DONE:
        return ItemOutcome.MET if choice == "done" else ItemOutcome.FAILED
    compliant = "yes" if item.yes_is_compliant else "no"
    return ItemOutcome.MET if choice == compliant else ItemOutcome.FAILED


def shown(item, response) -> str:
    """An answer in words, for lists, history lines and the report: "Done", "12 Mar 2026"."""
    if response is None or response.outcome == ItemOutcome.UNANSWERED:
        return "not answered"
    if response.choice == "na":
        return "not applicable"
    if item.response_type in CHOICES:
        return CHOICES[item.response_type][response.choice]
    if item.response_type == ResponseType.DATE:
        return f"{response.value_date.day} {response.value_date:%b %Y}"
    if item.response_type == ResponseType.NUMBER:
        return format(response.value_number.normalize(), "f")
    text = response.value_text
    return text if len(text) <= 60 else text[:58] + "…"
