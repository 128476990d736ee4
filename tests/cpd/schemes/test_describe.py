"""The rules in plain words, and what changed between two versions."""

from cpd.schemes.describe import changes, describe
from cpd.schemes.rules import Rules
from tests.cpd.rules_examples import annual_hours, family


def test_a_scheme_reads_as_sentences():
    words = describe(Rules.parse(family()))
    assert words["summary"] == "250 credits over 5 years from 1 July, at least 25 each year."
    assert words["categories"] == [
        "Certified: at least 125 credits a cycle.",
        "Self-directed: no minimum.",
        "Assessment (part of Certified): at least 25 credits a cycle.",
    ]
    assert words["credit_rules"][2] == (
        "Reading: 0.5 credits per item, as Self-directed, up to 25 a cycle."
    )
    assert words["uncounted"].startswith("Earn nothing: Course, Seminar or webinar, Conference")
    assert words["carry_over"] == (
        "Up to 25 credits above the total, earned in the cycle's last year, carry into the "
        "next cycle."
    )


def test_annual_hours_on_a_personal_date_read_as_such():
    data = annual_hours()
    data["categories"][0]["per_year_minimum"] = 1
    words = describe(Rules.parse(data))
    assert words["summary"] == "12 hours each year from each person's own start date."
    assert words["credit_rules"] == ["Course: counted hour for hour, as General."]
    assert words["categories"][0] == (
        "Ethics and professionalism: at least 2 hours a cycle, and at least 1 each year."
    )
    assert words["carry_over"] == "Nothing carries over into the next cycle."


def test_what_changed_names_each_change():
    before = Rules.parse(family())
    after_data = family(required__per_year=None, carry_over=None)
    after_data["categories"][1]["minimum"] = 10
    after_data["credit_rules"].pop(0)
    after_data["credit_rules"].append(
        {"activity_type": "course", "per": "hour", "rate": 2, "category": "certified"}
    )
    assert changes(before, Rules.parse(after_data)) == [
        "Requirement: was “250 credits over 5 years from 1 July, at least 25 each year.”, "
        "now “250 credits over 5 years from 1 July.”",
        "Category changed: was “Self-directed: no minimum.”, now “Self-directed: at least 10 "
        "credits a cycle.”",
        "Credit rule added: Course: 2 credits per hour, as Certified.",
        "Credit rule removed: Workshop: 1 credit per hour, as Certified.",
        "Carry-over: now “Nothing carries over into the next cycle.”",
    ]
    assert changes(before, before) == []
