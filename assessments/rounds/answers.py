"""One answer checked against its question: what each kind of question accepts, the form it is
stored in, and how it reads back to a person.

Stored values by kind: scale an int, yes/no a bool, single an option value, multiple a list of
option values (in the options' order), number a plain decimal string, text a string.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from assessments.instruments.models import QuestionKind
from psp.numbers import parse_int

# Radio groups (scale, yes/no, single) offer "not applicable" as one more radio with this value.
NA = "__na__"
TEXT_MAX = 5000
# Without bounds of its own a number question still refuses absurd values (and huge strings).
NUMBER_LIMIT = Decimal("1e12")

_YES = {"yes", "true", "1", "y"}
_NO = {"no", "false", "0", "n"}


def is_empty(value) -> bool:
    """No answer at all (as opposed to an answer of "no" or 0)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not any(not is_empty(item) for item in value)
    return False


def clean_answer(question, value, *, is_na: bool = False) -> tuple[object, bool]:
    """The answer as stored: (value, is_na). (None, False) means "no answer".

    Raises ValidationError with a message a person can act on. The question's options must be
    loaded (prefetched) by the caller when it is a choice question."""
    if is_na:
        if not question.allow_na:
            raise ValidationError("“Not applicable” is not an answer this question accepts.")
        return None, True
    if is_empty(value):
        return None, False
    cleaner = _CLEANERS[question.kind]
    return cleaner(question, value), False


def _scale(question, value) -> int:
    low, high = question.scale_min, question.scale_max
    message = f"Choose a whole number from {low} to {high}."
    if isinstance(value, bool):
        raise ValidationError(message)
    if isinstance(value, str):
        value = parse_int(value.strip(), signed=True)
        if value is None:
            raise ValidationError(message)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(message)
    return value


def _yes_no(question, value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
    raise ValidationError("Answer yes or no.")


def _option_values(question) -> list[str]:
    return [option.value for option in question.options.all()]


def _single(question, value) -> str:
    if not isinstance(value, str):
        raise ValidationError("Choose one of the options.")
    value = value.strip()
    if value not in _option_values(question):
        raise ValidationError(f"“{value[:80]}” is not one of this question’s options.")
    return value


def _multiple(question, value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError("Choose any of the options.")
    chosen = {v.strip() for v in value if v.strip()}
    known = _option_values(question)
    unknown = sorted(chosen - set(known))
    if unknown:
        names = ", ".join(f"“{v[:80]}”" for v in unknown[:3])
        raise ValidationError(
            f"{names} {'is' if len(unknown) == 1 else 'are'} not among the options."
        )
    return [v for v in known if v in chosen]


def _number(question, value) -> str:
    message = "Enter a number, e.g. 12 or 3.5."
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValidationError(message)
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(message) from None
    if not number.is_finite():
        raise ValidationError(message)
    low, high = question.number_min, question.number_max
    unit = f" {question.unit}" if question.unit else ""
    if low is not None and high is not None and not low <= number <= high:
        raise ValidationError(f"Enter a number from {_plain(low)} to {_plain(high)}{unit}.")
    if low is not None and number < low:
        raise ValidationError(f"Enter a number of at least {_plain(low)}{unit}.")
    if high is not None and number > high:
        raise ValidationError(f"Enter a number of at most {_plain(high)}{unit}.")
    if abs(number) >= NUMBER_LIMIT:
        raise ValidationError("Enter a number below a trillion.")
    return _plain(number)


def _text(question, value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValidationError("Enter text.")
    value = value.strip()
    if len(value) > TEXT_MAX:
        raise ValidationError(f"Keep the answer under {TEXT_MAX:,} characters.")
    return value


_CLEANERS = {
    QuestionKind.SCALE: _scale,
    QuestionKind.YES_NO: _yes_no,
    QuestionKind.SINGLE: _single,
    QuestionKind.MULTIPLE: _multiple,
    QuestionKind.NUMBER: _number,
    QuestionKind.TEXT: _text,
}


def _plain(number: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 100, 3.5, -0.25."""
    text = format(Decimal(number).normalize(), "f")
    return "0" if text in ("-0", "") else text


def answer_key(value, is_na: bool):
    """A hashable form of a stored answer, so two people's answers compare equal when they say
    the same thing (a list in any order, a number written differently)."""
    if is_na:
        return ("na",)
    if isinstance(value, list):
        return ("list", tuple(sorted(value)))
    if isinstance(value, str):
        return ("str", value.strip())
    return (type(value).__name__, value)


def answer_display(question, value, is_na: bool) -> str:
    """How a stored answer reads to a person."""
    if is_na:
        return "Not applicable"
    if value is None:
        return ""
    kind = question.kind
    if kind == QuestionKind.SCALE:
        label = (question.scale_labels or {}).get(str(value))
        return f"{value} – {label}" if label else str(value)
    if kind == QuestionKind.YES_NO:
        return "Yes" if value else "No"
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        labels = {option.value: option.label for option in question.options.all()}
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(v, v) for v in values)
    if kind == QuestionKind.NUMBER:
        return f"{value} {question.unit}".strip()
    return str(value)
