"""The one set of checks a KPI value meets, whether typed in the grid, imported from a CSV or sent
through the API: what may be entered for which practice and period, and what a number means in
the KPI's unit. Pure rules: no database, no clock (today is passed in).

Messages are written for a practice manager, and each names the field it is about (`value`,
`numerator`, `denominator`, `period`, `kpi`, `note`) so the grid, the CSV table and the API put
it next to what was typed."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kpis.models import KpiDefinition, Source
from kpis.values.periods import is_period_start, period_code, period_label, period_of, step_back
from psp.measures.registry import Aggregation, Frequency, Unit
from psp.tenancy.models import Sector

# KpiValue's columns hold 16 digits, 4 after the point.
PLACES = Decimal("0.0001")
LIMIT = Decimal("1000000000000")
YEARS_BEFORE_ENROLMENT = 10
NOTE_LENGTH = 300


@dataclass
class Checked:
    """A value ready to store, or the reasons it is not: [(field, message)]."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.errors.append((where, message))


def is_ratio(definition: KpiDefinition) -> bool:
    return definition.aggregation == Aggregation.RATIO


def ratio_scale(definition: KpiDefinition) -> Decimal:
    """What a ratio KPI's numerator is stored multiplied by, so that numerator ÷ denominator is
    the value in its unit (psp/measures/registry.py): 100 for a percentage. People type the
    count itself (120 missed appointments of 1,000), never the scaled figure."""
    return Decimal(100) if definition.unit == Unit.PERCENT else Decimal(1)


def parse_number(raw) -> Decimal | None:
    """A number as typed ("1,200.5", " 12 ", 12, 12.5), None for a blank; ValueError for text
    that is no number."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(str(raw))
    text = str(raw).strip().replace(",", "").replace("\u00a0", "").removesuffix("%").strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not number.is_finite():
        raise ValueError(raw)
    return number


def _number(checked: Checked, where: str, raw, label: str) -> Decimal | None:
    try:
        number = parse_number(raw)
    except ValueError:
        checked.add(where, f"Enter the {label} as a number, e.g. 12 or 12.5.")
        return None
    # Rounded to the stored places too: 999999999999.99999 rounds up past what a value holds.
    if number is not None and (
        abs(number) >= LIMIT or abs(number.quantize(PLACES, ROUND_HALF_UP)) >= LIMIT
    ):
        checked.add(where, f"The {label} is too large to be right: check the digits.")
        return None
    return number


def _shown(number: Decimal) -> str:
    text = f"{number.normalize():f}"
    return text


def unit_problem(definition: KpiDefinition, number: Decimal) -> str:
    """Why `number` cannot be a value in the KPI's unit and range, or ""."""
    unit = definition.unit
    if unit == Unit.COUNT and (number < 0 or number != number.to_integral_value()):
        return "A count is a whole number, 0 or more."
    if unit == Unit.PERCENT and not Decimal(0) <= number <= Decimal(100):
        return "A percentage is from 0 to 100."
    if unit in (Unit.DAYS, Unit.MINUTES, Unit.HOURS) and number < 0:
        return f"A number of {Unit(unit).label.lower()} cannot be negative."
    if unit == Unit.CURRENCY and number != number.quantize(Decimal("0.01"), ROUND_HALF_UP):
        return "An amount of money has at most 2 decimal places (cents)."
    if definition.min_value is not None and number < definition.min_value:
        return f"The lowest value allowed for this KPI is {_shown(definition.min_value)}."
    if definition.max_value is not None and number > definition.max_value:
        return f"The highest value allowed for this KPI is {_shown(definition.max_value)}."
    return ""


def definition_problem(definition: KpiDefinition, practice) -> str:
    """Why this KPI takes no entered values for this practice, or ""."""
    if definition.source != Source.ENTERED:
        return f"“{definition.name}” is computed from the platform's data; it cannot be entered."
    if not definition.is_active:
        return f"“{definition.name}” is no longer in use in this program."
    if definition.sector and definition.sector != practice.sector:
        sector = Sector(definition.sector).label
        return f"“{definition.name}” is only for practices of the sector “{sector}”."
    return ""


def period_problem(definition: KpiDefinition, practice, period: date, today: date) -> str:
    """Why `period` is not one this practice can have a value for, or ""."""
    frequency = definition.frequency
    if not is_period_start(period, frequency):
        right = period_code(period_of(period, frequency), frequency)
        if frequency == Frequency.QUARTERLY:
            return f"“{definition.name}” is quarterly: give the quarter, e.g. {right}."
        return f"Give the month, e.g. {right}."
    if period > period_of(today, frequency):
        return f"{period_label(period, frequency)} has not started yet."
    earliest = earliest_period(definition, practice)
    if period < earliest:
        return (
            f"Values go back at most {YEARS_BEFORE_ENROLMENT} years before the practice enrolled: "
            f"{period_label(earliest, frequency)} at the earliest."
        )
    return ""


def earliest_period(definition: KpiDefinition, practice) -> date:
    enrolled = period_of(practice.enrolled_on, definition.frequency)
    months = 12 * YEARS_BEFORE_ENROLMENT
    steps = months // 3 if definition.frequency == Frequency.QUARTERLY else months
    return step_back(enrolled, definition.frequency, steps)


def check_value(
    definition: KpiDefinition,
    practice,
    period: date | None,
    *,
    value=None,
    numerator=None,
    denominator=None,
    note="",
    today: date,
) -> Checked:
    """Everything about one value: the KPI, the period, the numbers. The value of a ratio KPI is
    its numerator divided by its denominator (the numerator already scaled, e.g. ×100 for a
    percentage), so it is worked out rather than typed."""
    checked = Checked(note=(note or "").strip())
    problem = definition_problem(definition, practice)
    if problem:
        checked.add("kpi", problem)
        return checked
    if period is not None:
        problem = period_problem(definition, practice, period, today)
        if problem:
            checked.add("period", problem)
    if len(checked.note) > NOTE_LENGTH:
        checked.add("note", f"Keep the note to {NOTE_LENGTH} characters.")
    if is_ratio(definition):
        _check_ratio(checked, definition, value, numerator, denominator)
    else:
        _check_plain(checked, definition, value)
    return checked


def _check_plain(checked: Checked, definition, value) -> None:
    number = _number(checked, "value", value, "value")
    if number is None:
        if not any(where == "value" for where, _ in checked.errors):
            checked.add("value", "Enter a value.")
        return
    problem = unit_problem(definition, number)
    if problem:
        checked.add("value", problem)
        return
    checked.value = number.quantize(PLACES, ROUND_HALF_UP)


def _check_ratio(checked: Checked, definition, value, numerator, denominator) -> None:
    top = _number(checked, "numerator", numerator, "numerator")
    bottom = _number(checked, "denominator", denominator, "denominator")
    given = _number(checked, "value", value, "value")
    if checked.errors and any(
        w in ("numerator", "denominator", "value") for w, _ in checked.errors
    ):
        return
    if top is None:
        checked.add("numerator", "Enter the numerator (what is counted).")
    if bottom is None:
        checked.add("denominator", "Enter the denominator (out of how many).")
    if top is None or bottom is None:
        return
    if top < 0:
        checked.add("numerator", "The numerator cannot be negative.")
        return
    if bottom <= 0:
        checked.add("denominator", "The denominator must be more than 0.")
        return
    scaled = top * ratio_scale(definition)
    if scaled >= LIMIT:  # stored scaled (×100 for a percentage): it must still fit
        checked.add("numerator", "The numerator is too large to be right: check the digits.")
        return
    if bottom.quantize(PLACES, ROUND_HALF_UP) == 0:
        checked.add("denominator", "The denominator must be at least 0.0001.")
        return
    ratio = (scaled / bottom).quantize(PLACES, ROUND_HALF_UP)
    if ratio >= LIMIT:
        checked.add("value", f"{_formula(definition, top, bottom)} is too large to be right.")
        return
    if given is not None and abs(given - ratio) > Decimal("0.01"):
        checked.add(
            "value",
            f"The value is worked out: {_formula(definition, top, bottom)} = {_shown(ratio)}; "
            "leave it blank or give that.",
        )
        return
    problem = unit_problem(definition, ratio)
    if problem:
        checked.add("value", f"{_formula(definition, top, bottom)} = {_shown(ratio)}. {problem}")
        return
    checked.value = ratio
    checked.numerator = scaled.quantize(PLACES, ROUND_HALF_UP)
    checked.denominator = bottom.quantize(PLACES, ROUND_HALF_UP)


def _formula(definition, top: Decimal, bottom: Decimal) -> str:
    scale = ratio_scale(definition)
    times = f" × {_shown(scale)}" if scale != 1 else ""
    return f"{_shown(top)} ÷ {_shown(bottom)}{times}"
