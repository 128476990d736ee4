"""The checks every entered value meets (grid, CSV, API alike), with the words a practice
manager reads. Pure rules: unsaved definitions and a stand-in practice, a fixed today."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from kpis.models import KpiDefinition
from kpis.values.periods import parse_period
from kpis.values.validation import check_value

TODAY = date(2026, 12, 4)
PRACTICE = SimpleNamespace(sector="primary_care", enrolled_on=date(2024, 5, 17))


def kpi(**fields) -> KpiDefinition:
    defaults = {"name": "Patient visits", "unit": "count", "aggregation": "sum"}
    return KpiDefinition(**(defaults | fields))


def errors(definition, period=date(2026, 11, 1), **numbers) -> dict:
    checked = check_value(definition, PRACTICE, period, today=TODAY, **numbers)
    return dict(checked.errors)


@pytest.mark.parametrize(
    ("unit", "value", "message"),
    [
        ("count", "3.5", "A count is a whole number, 0 or more."),
        ("count", "-1", "A count is a whole number, 0 or more."),
        ("percent", "101", "A percentage is from 0 to 100."),
        ("percent", "-0.5", "A percentage is from 0 to 100."),
        ("days", "-2", "A number of days cannot be negative."),
        ("minutes", "-2", "A number of minutes cannot be negative."),
        ("hours", "-0.25", "A number of hours cannot be negative."),
        ("currency", "12.345", "An amount of money has at most 2 decimal places (cents)."),
        ("count", "twelve", "Enter the value as a number, e.g. 12 or 12.5."),
        ("count", "", "Enter a value."),
    ],
)
def test_a_value_is_refused_in_the_words_of_its_unit(unit, value, message):
    assert errors(kpi(unit=unit), value=value) == {"value": message}


@pytest.mark.parametrize(
    ("unit", "value", "stored"),
    [
        ("count", "1,200", Decimal("1200")),
        ("percent", "12.5%", Decimal("12.5")),
        ("currency", "-40.10", Decimal("-40.10")),
        ("score", "-3.25", Decimal("-3.25")),
        ("hours", 7.5, Decimal("7.5")),
    ],
)
def test_a_value_in_its_unit_is_taken_as_typed(unit, value, stored):
    checked = check_value(kpi(unit=unit), PRACTICE, date(2026, 11, 1), value=value, today=TODAY)
    assert checked.errors == []
    assert checked.value == stored


def test_the_kpis_own_range_is_named():
    definition = kpi(unit="score", min_value=Decimal("1"), max_value=Decimal("10"))
    assert errors(definition, value="11") == {
        "value": "The highest value allowed for this KPI is 10."
    }
    assert errors(definition, value="0.5") == {
        "value": "The lowest value allowed for this KPI is 1."
    }


def test_a_ratio_is_its_numerator_over_its_denominator():
    definition = kpi(unit="percent", aggregation="ratio")
    checked = check_value(
        definition, PRACTICE, date(2026, 11, 1), numerator="12", denominator="80", today=TODAY
    )
    assert checked.errors == []
    assert (checked.value, checked.numerator, checked.denominator) == (
        15,
        1200,
        80,
    )  # the numerator stored ×100


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ({"numerator": "12"}, {"denominator": "Enter the denominator (out of how many)."}),
        ({"denominator": "4"}, {"numerator": "Enter the numerator (what is counted)."}),
        (
            {"numerator": "3", "denominator": "0"},
            {"denominator": "The denominator must be more than 0."},
        ),
        (
            {"numerator": "9", "denominator": "4"},
            {"value": "9 ÷ 4 × 100 = 225. A percentage is from 0 to 100."},
        ),
        (
            {"numerator": "3", "denominator": "20", "value": "20"},
            {"value": "The value is worked out: 3 ÷ 20 × 100 = 15; leave it blank or give that."},
        ),
    ],
)
def test_a_ratio_needs_both_figures_and_a_value_that_follows(numbers, expected):
    assert errors(kpi(unit="percent", aggregation="ratio"), **numbers) == expected


@pytest.mark.parametrize(
    ("definition", "period", "message"),
    [
        (kpi(), date(2026, 11, 15), "Give the month, e.g. 2026-11."),
        (
            kpi(frequency="quarterly", name="Days to intake", unit="days"),
            date(2026, 8, 1),
            "“Days to intake” is quarterly: give the quarter, e.g. 2026-Q3.",
        ),
        (kpi(), date(2027, 1, 1), "Jan 2027 has not started yet."),
        (
            kpi(),
            date(2014, 4, 1),
            "Values go back at most 10 years before the practice enrolled: "
            "May 2014 at the earliest.",
        ),
    ],
)
def test_a_period_must_be_a_month_or_quarter_that_has_begun(definition, period, message):
    assert errors(definition, period=period, value="3") == {"period": message}


def test_the_current_month_can_be_entered():
    assert errors(kpi(), period=date(2026, 12, 1), value="3") == {}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"source": "computed"},
            "“Patient visits” is computed from the platform's data; it cannot be entered.",
        ),
        ({"is_active": False}, "“Patient visits” is no longer in use in this program."),
        ({"sector": "law"}, "“Patient visits” is only for practices of the sector “Law practice”."),
    ],
)
def test_only_active_entered_kpis_of_the_practices_sector_take_values(fields, message):
    assert errors(kpi(**fields), value="3") == {"kpi": message}


@pytest.mark.parametrize(
    ("definition", "numbers", "field"),
    [
        # Rounded to the stored 4 places, it would need a 13th whole digit.
        (kpi(unit="score"), {"value": "999999999999.99999"}, "value"),
        # A percentage's numerator is stored ×100: 10¹¹ × 100 no longer fits.
        (
            kpi(unit="percent", aggregation="ratio"),
            {"numerator": "1e11", "denominator": "1e11"},
            "numerator",
        ),
        # Rounds to a denominator of 0.
        (
            kpi(unit="count", aggregation="ratio"),
            {"numerator": "1", "denominator": "0.00001"},
            "denominator",
        ),
        # A quotient too large to store.
        (
            kpi(unit="count", aggregation="ratio"),
            {"numerator": "1e11", "denominator": "0.001"},
            "value",
        ),
    ],
)
def test_figures_too_large_to_store_are_refused_not_saved(definition, numbers, field):
    assert list(errors(definition, **numbers)) == [field]


@pytest.mark.parametrize("text", ["0000-01", "0000-Q1", "0000-01-01"])
def test_a_period_in_year_zero_names_no_period(text):
    assert parse_period(text, "monthly") is None
    assert parse_period(text, "quarterly") is None
