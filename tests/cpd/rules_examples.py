"""Rules documents the CPD tests share: a family-medicine style scheme and variations of it."""

import copy


def family(**changes) -> dict:
    """250 credits over 5 years from 1 July, at least 25 a year, 125 certified (25 of them
    assessment), reading capped at 25, up to 25 carried over from the last year."""
    rules = {
        "unit": "credits",
        "cycle": {"years": 5, "start": "fixed", "fixed_month": 7, "fixed_day": 1},
        "required": {"total": 250, "per_year": 25},
        "categories": [
            {"key": "certified", "name": "Certified", "minimum": 125},
            {"key": "self-directed", "name": "Self-directed", "minimum": 0},
            {"key": "assessment", "name": "Assessment", "minimum": 25, "parent": "certified"},
        ],
        "credit_rules": [
            {"activity_type": "workshop", "per": "hour", "rate": 1, "category": "certified"},
            {"activity_type": "practice_audit", "per": "hour", "rate": 3, "category": "assessment"},
            {
                "activity_type": "reading",
                "per": "item",
                "rate": 0.5,
                "cap_per_cycle": 25,
                "category": "self-directed",
            },
        ],
        "carry_over": {"max": 25, "from_last_years": 1},
    }
    rules = copy.deepcopy(rules)
    for path, value in changes.items():
        target = rules
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return rules


def annual_hours(**cycle) -> dict:
    """12 hours a year, 2 of them ethics, on the person's own date."""
    return {
        "unit": "hours",
        "cycle": {"years": 1, "start": "personal", **cycle},
        "required": {"total": 12, "per_year": None},
        "categories": [
            {"key": "ethics", "name": "Ethics and professionalism", "minimum": 2},
            {"key": "general", "name": "General", "minimum": 0},
        ],
        "credit_rules": [
            {"activity_type": "course", "per": "hour", "rate": 1, "category": "general"},
        ],
        "carry_over": None,
    }
