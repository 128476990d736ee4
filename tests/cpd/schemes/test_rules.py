"""The rules document: read whole, every problem named by its path, credits worked out."""

from decimal import Decimal

import pytest

from cpd.schemes.rules import Rules, RulesInvalid, credits_for
from tests.cpd.rules_examples import annual_hours, family


def problems_of(data) -> dict:
    with pytest.raises(RulesInvalid) as caught:
        Rules.parse(data)
    return dict(caught.value.problems)


def test_a_family_medicine_scheme_reads_into_its_parts():
    rules = Rules.parse(family())
    assert rules.unit == "credits"
    assert (rules.cycle.years, rules.cycle.start, rules.cycle.fixed_month) == (5, "fixed", 7)
    assert rules.total == 250 and rules.per_year == 25
    assert rules.category_keys == ("certified", "self-directed", "assessment")
    assert rules.category("assessment").parent == "certified"
    assert [c.key for c in rules.children_of("certified")] == ["assessment"]
    assert rules.rule_for("reading").cap_per_cycle == 25
    assert rules.rule_for("conference") is None
    assert rules.carry_over.max == 25


def test_the_rules_written_back_read_the_same():
    rules = Rules.parse(family())
    assert rules.to_json() == family()
    assert Rules.parse(rules.to_json()) == rules
    assert Rules.parse(annual_hours()).to_json() == annual_hours()


def test_every_problem_is_named_by_its_path_at_once():
    data = family(unit="points")
    data["cycle"] = {"years": 0, "start": "fixed", "fixed_month": 13}
    data["categories"][1]["key"] = "Self Directed"
    data["categories"][2]["parent"] = "nowhere"
    data["credit_rules"][0]["rate"] = -1
    data["credit_rules"][1]["activity_type"] = "juggling"
    data["credit_rules"][2]["category"] = "missing"
    data["carry_over"] = {"max": 25, "from_last_years": 11, "roll": True}
    problems = problems_of(data)
    assert set(problems) == {
        "unit",
        "cycle.years",
        "cycle.fixed_month",
        "categories[1].key",
        "categories[2].parent",
        "credit_rules[0].rate",
        "credit_rules[1].activity_type",
        "credit_rules[2].category",
        "carry_over.from_last_years",
        "carry_over.roll",
    }
    assert problems["credit_rules[0].rate"] == "Enter a number above 0."
    assert problems["carry_over.roll"] == "Not a field the rules know."


@pytest.mark.parametrize(
    ("month", "day", "valid"),
    [(2, 29, True), (2, 30, False), (4, 31, False), (12, 31, True), (6, 0, False)],
)
def test_a_fixed_start_must_be_a_day_the_month_has(month, day, valid):
    data = family(cycle__fixed_month=month, cycle__fixed_day=day)
    if valid:
        assert Rules.parse(data).cycle.fixed_day == day
    else:
        assert "cycle.fixed_day" in problems_of(data)


def test_minimums_that_cannot_fit_the_total_are_refused():
    problems = problems_of(family(categories__0__minimum=300))
    assert problems["categories"] == (
        "The categories' minimums add up to 300, more than the 250 required in total."
    )
    assert "required.per_year" in problems_of(family(required__per_year=300))


def test_a_sub_category_cannot_hang_under_another_sub_category():
    data = family()
    data["categories"].append({"key": "quiz", "name": "Quiz", "minimum": 0, "parent": "assessment"})
    assert problems_of(data) == {
        "categories[3].parent": "The parent must be another category that has no parent itself."
    }


def test_keys_and_activity_types_may_appear_once():
    data = family()
    data["categories"].append({"key": "certified", "name": "Again", "minimum": 0})
    data["credit_rules"].append(
        {"activity_type": "workshop", "per": "item", "rate": 2, "category": "certified"}
    )
    assert set(problems_of(data)) == {"categories[3].key", "credit_rules[3].activity_type"}


@pytest.mark.parametrize("bad", [True, "lots", None, [], "NaN", 10001, 0.125])
def test_a_total_must_be_a_sensible_number(bad):
    assert "required.total" in problems_of(family(required__total=bad))


def test_missing_parts_are_each_named():
    assert set(problems_of({})) == {"unit", "cycle", "required", "categories", "credit_rules"}
    assert problems_of([1]) == {"": "The rules must be an object."}


def test_credits_are_hours_or_items_times_the_rate_to_the_cent():
    rules = Rules.parse(family())
    assert credits_for(
        rules, activity_type="workshop", hours=Decimal("2.5"), items=None
    ) == Decimal("2.50")
    assert credits_for(rules, activity_type="practice_audit", hours=2, items=None) == 6
    assert credits_for(rules, activity_type="reading", hours=3, items=5) == Decimal("2.50")
    assert credits_for(rules, activity_type="reading", hours=3, items=None) == 0


def test_an_activity_type_without_a_rule_earns_nothing():
    rules = Rules.parse(family())
    assert credits_for(rules, activity_type="conference", hours=8, items=None) == 0


def test_stored_credits_are_not_capped():
    rules = Rules.parse(family())
    assert credits_for(rules, activity_type="reading", hours=0, items=80) == 40
