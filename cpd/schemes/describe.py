"""A scheme's rules in plain words, and what changed between two versions, for the pages, the
API and the history lines ("250 credits over 5 years from 1 July, at least 25 each year")."""

from decimal import Decimal

from django.utils.dates import MONTHS

from cpd.activities.models import ActivityType
from cpd.schemes.rules import Category, CreditRule, Rules

TYPE_LABELS = dict(ActivityType.choices)


def amount(value: Decimal | None) -> str:
    """A number as people write it: 250, 0.5, 12.25."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text


def quantity(value: Decimal, unit: str) -> str:
    word = unit[:-1] if value == 1 else unit
    return f"{amount(value)} {word}"


def cycle_phrase(rules: Rules) -> str:
    cycle = rules.cycle
    if cycle.start == "fixed":
        start = f"from {cycle.fixed_day} {MONTHS[cycle.fixed_month]}"
    else:
        start = "from each person's own start date"
    if cycle.years == 1:
        return f"each year {start}"
    return f"over {cycle.years} years {start}"


def requirement_sentence(rules: Rules) -> str:
    sentence = f"{quantity(rules.total, rules.unit)} {cycle_phrase(rules)}"
    if rules.per_year:
        sentence += f", at least {amount(rules.per_year)} each year"
    return sentence + "."


def category_sentence(rules: Rules, category: Category) -> str:
    if category.parent:
        parent = rules.category(category.parent)
        text = f"{category.name} (part of {parent.name if parent else category.parent}): "
    else:
        text = f"{category.name}: "
    if category.minimum:
        text += f"at least {quantity(category.minimum, rules.unit)} a cycle"
    else:
        text += "no minimum"
    if category.per_year_minimum:
        text += f", and at least {amount(category.per_year_minimum)} each year"
    return text + "."


def credit_rule_sentence(rules: Rules, rule: CreditRule) -> str:
    label = TYPE_LABELS.get(rule.activity_type, rule.activity_type)
    if rules.unit == "hours" and rule.per == "hour" and rule.rate == 1:
        earns = "counted hour for hour"
    else:
        earns = f"{quantity(rule.rate, rules.unit)} per {rule.per}"
    category = rules.category(rule.category)
    text = f"{label}: {earns}, as {category.name if category else rule.category}"
    if rule.cap_per_cycle is not None:
        text += f", up to {amount(rule.cap_per_cycle)} a cycle"
    return text + "."


def carry_over_sentence(rules: Rules) -> str:
    rule = rules.carry_over
    if rule is None:
        return "Nothing carries over into the next cycle."
    years = "year" if rule.from_last_years == 1 else f"{rule.from_last_years} years"
    return (
        f"Up to {quantity(rule.max, rules.unit)} above the total, earned in the cycle's last "
        f"{years}, carry into the next cycle."
    )


def uncounted_types(rules: Rules) -> list[str]:
    ruled = {rule.activity_type for rule in rules.credit_rules}
    return [label for value, label in ActivityType.choices if value not in ruled]


def summary(rules: Rules) -> str:
    """One line: what is required over what time."""
    text = requirement_sentence(rules)
    return text[0].upper() + text[1:]


def describe(rules: Rules) -> dict:
    """The rules as sentences, grouped as the scheme pages show them."""
    uncounted = uncounted_types(rules)
    return {
        "summary": summary(rules),
        "categories": [category_sentence(rules, c) for c in rules.categories],
        "credit_rules": [credit_rule_sentence(rules, r) for r in rules.credit_rules],
        "uncounted": f"Earn nothing: {', '.join(uncounted)}." if uncounted else "",
        "carry_over": carry_over_sentence(rules),
    }


def changes(before: Rules, after: Rules) -> list[str]:
    """What changed from one version to the next, a phrase per thing that changed."""
    found = []
    if summary(before) != summary(after):
        found.append(f"Requirement: was “{summary(before)}”, now “{summary(after)}”")
    found += _keyed(
        "Category",
        {c.key: category_sentence(before, c) for c in before.categories},
        {c.key: category_sentence(after, c) for c in after.categories},
    )
    found += _keyed(
        "Credit rule",
        {r.activity_type: credit_rule_sentence(before, r) for r in before.credit_rules},
        {r.activity_type: credit_rule_sentence(after, r) for r in after.credit_rules},
    )
    if carry_over_sentence(before) != carry_over_sentence(after):
        found.append(f"Carry-over: now “{carry_over_sentence(after)}”")
    return found


def _keyed(noun: str, before: dict, after: dict) -> list[str]:
    found = []
    for key, sentence in after.items():
        if key not in before:
            found.append(f"{noun} added: {sentence}")
        elif before[key] != sentence:
            found.append(f"{noun} changed: was “{before[key]}”, now “{sentence}”")
    found += [f"{noun} removed: {sentence}" for key, sentence in before.items() if key not in after]
    return found
