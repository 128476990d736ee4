"""The scheme templates we ship: each one sound, saying in its rules what its description says."""

import json

import pytest

from cpd.schemes.packs import (
    TemplateError,
    available_templates,
    read_template,
    template_by_key,
    templates_for_sector,
)


def test_the_four_templates_ship_and_read_whole():
    keys = {t.key for t in available_templates()}
    assert keys == {"family-medicine", "specialist", "law-society", "teaching"}
    for template in available_templates():
        assert template.description and template.body and template.roles


def test_the_family_medicine_template_asks_250_credits_over_5_years_with_its_minimums():
    rules = template_by_key("family-medicine").rules
    assert (rules.total, rules.cycle.years, rules.per_year) == (250, 5, 25)
    assert (rules.cycle.start, rules.cycle.fixed_month, rules.cycle.fixed_day) == ("fixed", 7, 1)
    assert rules.category("certified").minimum == 125
    assessment = rules.category("assessment")
    assert (assessment.parent, assessment.minimum) == ("certified", 25)


def test_the_specialist_template_credits_activity_types_at_different_rates_with_caps():
    rules = template_by_key("specialist").rules
    rates = {r.activity_type: r.rate for r in rules.credit_rules}
    assert (rates["conference"], rates["course"], rates["practice_audit"]) == (1, 2, 3)
    assert rules.rule_for("reading").cap_per_cycle == 60
    assert rules.cycle.start == "personal"


def test_the_law_society_template_counts_annual_hours_with_ethics_and_carry_over():
    rules = template_by_key("law-society").rules
    assert (rules.unit, rules.cycle.years, rules.total) == ("hours", 1, 12)
    assert rules.category("ethics").minimum == 2
    assert rules.category("practice-management").minimum == 1
    assert (rules.carry_over.max, rules.carry_over.from_last_years) == (6, 1)


def test_the_teaching_template_counts_hours_each_school_year():
    rules = template_by_key("teaching").rules
    assert (rules.unit, rules.cycle.years, rules.cycle.fixed_month, rules.total) == (
        "hours",
        1,
        9,
        20,
    )


def test_templates_are_offered_by_sector():
    assert [t.key for t in templates_for_sector("law")] == ["law-society"]
    assert {t.key for t in templates_for_sector("primary_care")} == {
        "family-medicine",
        "specialist",
    }


def test_an_unknown_template_is_a_lookup_error():
    with pytest.raises(LookupError):
        template_by_key("astrology")


def test_a_faulty_template_file_names_every_fault(tmp_path):
    path = tmp_path / "bad.json"
    rules = template_by_key("teaching").rules.to_json()
    rules["required"]["total"] = 0
    path.write_text(
        json.dumps(
            {
                "format": 2,
                "key": "Bad Key",
                "name": "Bad",
                "sectors": ["space"],
                "roles": [],
                "rules": rules,
            }
        )
    )
    with pytest.raises(TemplateError) as caught:
        read_template(path)
    assert caught.value.problems == [
        "`format` must be 1",
        "`key` must be a slug",
        "`description` is missing",
        "`body` is missing",
        "`sectors` must list known sectors (or be empty)",
        "`roles` must list some of lead, staff, coach, manager, admin",
        "rules.required.total: Enter a number above 0.",
    ]
