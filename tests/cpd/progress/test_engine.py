"""The progress engine: a cycle's credits by category and year, caps, shortfalls and pace."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from cpd.progress.engine import carry_over, progress
from cpd.schemes.rules import Rules
from tests.cpd.rules_examples import annual_hours, family


@dataclass
class Cycle:
    starts_on: date = date(2024, 7, 1)
    ends_on: date = date(2029, 6, 30)
    carried_in: Decimal = Decimal(0)


def act(ended_on, credits, category="certified", activity_type="workshop", status="verified"):
    return {
        "activity_type": activity_type,
        "category": category,
        "credits": Decimal(str(credits)),
        "ended_on": ended_on,
        "status": status,
    }


FAMILY = Rules.parse(family())


def run(activities, *, today=date(2026, 1, 15), rules=FAMILY, cycle=None):
    return progress(rules=rules, cycle=cycle or Cycle(), activities=activities, today=today)


def shortfall_labels(result):
    return [(s.label, s.missing, s.due_on) for s in result.shortfalls]


def test_credits_are_summed_by_category_and_cycle_year():
    result = run(
        [
            act(date(2024, 9, 1), 10),
            act(date(2025, 6, 30), 5, "self-directed", "reading"),
            act(date(2025, 7, 1), 7),
        ]
    )
    assert [(y.number, y.starts_on, y.ends_on, y.credits) for y in result.years[:2]] == [
        (1, date(2024, 7, 1), date(2025, 6, 30), 15),
        (2, date(2025, 7, 1), date(2026, 6, 30), 7),
    ]
    assert len(result.years) == 5 and result.years[-1].ends_on == date(2029, 6, 30)
    assert {c.key: c.credits for c in result.categories} == {
        "certified": 17,
        "self-directed": 5,
        "assessment": 0,
    }
    assert result.earned == result.total == 22


def test_a_sub_category_counts_towards_its_parent_too():
    result = run(
        [act(date(2024, 9, 1), 30, "assessment", "practice_audit"), act(date(2025, 1, 1), 10)]
    )
    credits = {c.key: c.credits for c in result.categories}
    assert credits["assessment"] == 30
    assert credits["certified"] == 40
    assert result.years[0].by_category["certified"] == 40


def test_drafts_and_rejected_activities_count_for_nothing():
    result = run(
        [
            act(date(2024, 9, 1), 10, status="draft"),
            act(date(2024, 9, 2), 10, status="rejected"),
            act(date(2024, 9, 3), 4, status="self_reported"),
            act(date(2024, 9, 4), 3, status="submitted"),
        ]
    )
    assert result.earned == 7


def test_activities_outside_the_cycle_are_left_out():
    result = run([act(date(2024, 6, 30), 10), act(date(2029, 7, 1), 10)])
    assert result.earned == 0


def test_a_cap_per_cycle_counts_the_earliest_credits_and_reports_what_it_kept_out():
    result = run(
        [
            act(date(2025, 8, 1), 20, "self-directed", "reading"),
            act(date(2024, 8, 1), 15, "self-directed", "reading"),
            act(date(2026, 8, 1), 10, "self-directed", "reading"),
        ],
        today=date(2027, 1, 1),
    )
    assert [y.credits for y in result.years[:3]] == [15, 10, 0]
    assert result.earned == 25
    assert result.capped == {"reading": 20}


def test_the_yearly_minimum_is_short_in_a_year_already_begun_with_its_due_date():
    result = run([act(date(2024, 9, 1), 30), act(date(2025, 9, 1), 10)])
    per_year = [s for s in result.shortfalls if s.kind == "per_year"]
    # Year 1 has 30, year 2 (current) has 10 of 25; years 3 to 5 have not begun.
    assert [(s.year, s.missing, s.due_on) for s in per_year] == [(2, 15, date(2026, 6, 30))]


def test_shortfalls_name_the_total_and_each_category_minimum_by_the_cycle_end():
    result = run([act(date(2024, 9, 1), 30), act(date(2025, 9, 1), 25, "assessment")])
    # Assessment's 25 are met and count towards certified (55 of 125).
    assert shortfall_labels(result) == [
        ("Certified", 70, date(2029, 6, 30)),
        ("Total", 195, date(2029, 6, 30)),
    ]


def test_a_missed_year_stays_a_shortfall_after_its_due_date():
    result = run([act(date(2025, 9, 1), 40)], today=date(2025, 10, 1))
    year_one = next(s for s in result.shortfalls if s.kind == "per_year")
    assert (year_one.year, year_one.missing, year_one.due_on) == (1, 25, date(2025, 6, 30))


def test_a_category_yearly_minimum_is_checked_per_year():
    rules = Rules.parse(annual_hours() | {"cycle": {"years": 2, "start": "personal"}})
    data = rules.to_json()
    data["categories"][0]["per_year_minimum"] = 1
    rules = Rules.parse(data)
    cycle = Cycle(date(2024, 3, 1), date(2026, 2, 28))
    result = run(
        [
            act(date(2024, 4, 1), 2, "ethics", "course"),
            act(date(2025, 4, 1), 6, "general", "course"),
        ],
        rules=rules,
        cycle=cycle,
        today=date(2025, 5, 1),
    )
    assert [(s.label, s.missing) for s in result.shortfalls] == [
        ("Ethics and professionalism in year 2", 1),
        ("Total", 4),
    ]


def test_a_cycle_is_met_on_the_day_its_last_requirement_was_met():
    rules = Rules.parse(annual_hours())
    cycle = Cycle(date(2025, 1, 10), date(2026, 1, 9))
    activities = [
        act(date(2025, 2, 1), 8, "general", "course"),
        act(date(2025, 5, 1), 4, "general", "course"),  # the total is met, ethics is not
        act(date(2025, 9, 1), 2, "ethics", "course"),
        act(date(2025, 11, 1), 3, "general", "course"),
    ]
    result = run(activities, rules=rules, cycle=cycle, today=date(2025, 12, 1))
    assert result.is_met and result.met_on == date(2025, 9, 1)
    assert result.shortfalls == ()
    assert not run(activities[:2], rules=rules, cycle=cycle).is_met


def test_carried_in_credits_count_towards_the_total_only():
    result = run([act(date(2024, 9, 1), 20)], cycle=Cycle(carried_in=Decimal(25)))
    assert result.total == 45 and result.earned == 20
    assert result.years[0].credits == 20
    assert {s.label: s.missing for s in result.shortfalls}["Total"] == 205


def test_the_pace_runs_monthly_from_nothing_to_the_total_with_credits_to_today():
    cycle = Cycle(carried_in=Decimal(10))
    result = run([act(date(2024, 7, 20), 30)], cycle=cycle, today=date(2024, 9, 15))
    first, august, september, today = result.pace[:4]
    assert first.on == date(2024, 7, 1) and first.credits == 10
    assert august.on == date(2024, 8, 1) and august.credits == 40
    assert today.on == date(2024, 9, 15) and today.credits == 40
    assert result.pace[4].on == date(2024, 10, 1) and result.pace[4].credits is None
    assert result.pace[-1].on == date(2029, 6, 30) and result.pace[-1].required == 250
    assert august.required == Decimal("4.38")  # 32 of the cycle's 1,826 days
    assert len(result.pace) == 62


@pytest.mark.parametrize(
    ("last_year", "carried"),
    [(Decimal(0), 0), (Decimal(10), 10), (Decimal(40), 25)],
)
def test_carry_over_is_the_surplus_earned_in_the_last_years_up_to_the_maximum(last_year, carried):
    activities = [act(date(2024 + n, 9, 1), 50) for n in range(4)]  # 200 in years 1 to 4
    activities.append(act(date(2028, 9, 1), 50 + last_year))  # year 5: 50 plus the surplus
    result = run(activities, today=date(2029, 6, 30))
    assert carry_over(FAMILY, result) == carried


def test_a_surplus_earned_early_in_the_cycle_is_not_carried_over():
    activities = [act(date(2024, 9, 1), 200)] + [act(date(2025 + n, 9, 1), 25) for n in range(4)]
    result = run(activities, today=date(2029, 6, 30))
    assert result.total == 300
    assert carry_over(FAMILY, result) == 25  # only year 5's 25 were earned in the last year
    no_carry = Rules.parse(family(carry_over=None))
    assert carry_over(no_carry, run(activities, rules=no_carry)) == 0


def test_a_cycle_from_29_february_has_years_on_the_28th_in_common_years():
    rules = Rules.parse(annual_hours() | {"cycle": {"years": 3, "start": "personal"}})
    result = run([], rules=rules, cycle=Cycle(date(2024, 2, 29), date(2027, 2, 27)))
    assert [(y.starts_on, y.ends_on) for y in result.years] == [
        (date(2024, 2, 29), date(2025, 2, 27)),
        (date(2025, 2, 28), date(2026, 2, 27)),
        (date(2026, 2, 28), date(2027, 2, 27)),
    ]
